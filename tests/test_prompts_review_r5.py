"""Inputs a second reader of this round's diff tried (issue 28): colon headers that are no camera
move, looks lists with one-word items and an absolute phrase after them, tag lists with ages,
emoji, names and 'a lot of', asides after the attire, a plural subject after 'and', and a thing
with its place adverb. Prompts written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prompt", "spatial", "temporal"),
    [
        ("Golden hour: a man sits by a canal.", "A man, sitting by a canal, at golden hour, medium shot", "A man sits by a canal, golden hour."),
        (
            "Handheld. A fisherman mends a net on the dock.",
            "A man as a fisherman, on the dock, medium shot",
            "A man, a fisherman, mends a net on the dock. Handheld.",
        ),
    ],
)
def test_a_header_is_never_the_role(rule, prompt, spatial, temporal):
    result = rule.decouple(prompt, "A man")
    assert (result.spatial, result.temporal) == (spatial, temporal)


def test_one_word_looks_are_not_paired_and_the_list_ends_at_an_absolute_phrase(rule):
    spatial = rule.decouple("A woman with a cap, a vest, a scarf and gloves waits at a tram stop.", "A woman").spatial
    assert "cap and" not in spatial and "vest" in spatial, spatial
    spatial = rule.decouple("A woman with short red hair and freckles, her hands folded on a desk, smiles.", "A woman").spatial
    assert "freckles and hands" not in spatial and "her hands" in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "temporal"),
    [
        ("woman, 40 years old, green coat, market, shopping", "A woman", "A woman, 40-year-old, in a green coat, is shopping in a market."),
        ("man, Rome, Piazza Navona, evening, street painter, painting", "A man", None),
        ("woman, a lot of paper bags, station, waiting", "A woman", "A woman, with a lot of paper bags, waits at a station."),
        ("man, 🎸, stage, night", "A man", None),
    ],
)
def test_tag_lists_with_ages_names_amounts_and_symbols(rule, prompt, subject, temporal):
    out = rule.decouple(prompt, subject).temporal
    if temporal is not None:
        assert out == temporal
    assert " in a lot of" not in out and "a Piazza" not in out and "in 🎸" not in out and "in 40" not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        (
            "A man in a denim jacket, snow settling on his shoulders, waits at a crossing.",
            "A man",
            "A man in a denim jacket, snow settling on his shoulders, waits at a crossing.",
        ),
        (
            "A woman with a pixie cut, a nose ring and a green parka, wind tugging at her hood, stares at the sea.",
            "A woman",
            "A woman with a pixie cut, a nose ring and a green parka, wind tugging at her hood, stares at the sea.",
        ),
    ],
)
def test_an_absolute_phrase_after_the_attire_keeps_its_commas(rule, prompt, subject, expected):
    assert rule.decouple(prompt, subject).temporal == expected


def test_a_plural_subject_after_and_keeps_its_plural_verb_and_its_place(rule):
    result = rule.decouple("A man jogs along the beach while pelicans glide overhead.", "A man")
    assert "pelicans glide overhead" in result.temporal, result.temporal
    assert "pelicans overhead" in result.spatial and not any("head noun" in v for v in result.violations), (result.spatial, result.violations)


@pytest.mark.parametrize(
    ("prompt", "subject", "temporal"),
    [
        (
            "Oskar had repaired clocks in the old town for decades. That afternoon he opened the shop and dusted the tall clock.",
            "A man",
            "A man opens the shop and dusts the tall clock, that afternoon.",  # the decades of repairs are history (round 8)
        ),
        (
            "Dusk settled over the orchard. She picked the last pears.",
            "A woman",
            "A woman is in view. Dusk settles over the orchard. She picks the last pears.",
        ),
    ],
)
def test_a_name_the_tagger_does_not_know_is_no_role_but_a_time_is_no_name(rule, prompt, subject, temporal):
    result = rule.decouple(prompt, subject)
    assert result.temporal == temporal
    assert " as a oskar" not in result.spatial.lower() and "dusk" not in result.temporal.split(".")[0].lower().replace("a woman is in view", ""), result


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        ("She waits at the net. Her partner tightens his grip on the racket. She serves.", "A woman", "Her partner tightens his grip"),
        ("He sits on the porch. His daughter ties her shoelaces beside him.", "A man", "His daughter ties her shoelaces"),
    ],
)
def test_a_possessive_of_the_subjects_relation_stays_theirs(rule, prompt, subject, kept):
    assert kept in rule.decouple(prompt, subject).temporal
