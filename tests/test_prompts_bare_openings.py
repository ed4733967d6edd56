"""Prompts that open on a person without an article ("Girl walking a dog, …"): the opening is read as
the subject, merged with the given subject, its -ing verb made finite, and the keyframe keeps the
person word and what the person holds (issue 28, points 1 and 2). Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.bare import with_article


def test_bare_child_word_with_a_participle_merges_and_gets_a_finite_verb(rule):
    out = rule.decouple("Girl chasing a yellow balloon, sunny meadow", subject="A woman")
    assert out.temporal.startswith("A woman, a girl, chases a yellow balloon"), out.temporal
    assert "is in view" not in out.temporal
    assert "a girl" in out.spatial and "balloon" in out.spatial, out.spatial


def test_bare_role_noun_after_a_demonym_keeps_its_capital_and_its_role(rule):
    out = rule.decouple("Mexican baker kneading dough at a wooden table", subject="A man")
    assert out.temporal.startswith("A man, a Mexican baker, kneads dough"), out.temporal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Old farmer scattering grain in a muddy yard", "An old farmer scattering grain in a muddy yard"),
        ("Boy with a torch in a cave", "A boy with a torch in a cave"),
    ],
)
def test_an_article_less_person_opening_gets_an_article(rule, text, expected):
    assert with_article(rule.nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A boy with a torch in a cave",  # has its article already
        "Children playing tag in a schoolyard",  # plural: no "a"
        "Sunset over a harbour, a fisherman mending nets",  # the person is not the opening
        "Man's hands shaping clay on a wheel",  # a possessive, not the subject
        "The old farmer feeds his hens",
    ],
)
def test_other_openings_are_left_alone(rule, text):
    assert with_article(rule.nlp, text) == text


def test_an_opening_the_parser_still_reads_as_a_compound_is_left_alone(rule):
    # "Man roller skating": with "A" the parse makes "man" a modifier of "skating"; no gain, no change
    text = "Man roller skating along a seaside promenade"
    assert with_article(rule.nlp, text) == text
