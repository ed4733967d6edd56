"""The keyframe keeps who the person is and what the place holds (issue 28, point 1; set 9's rating):
a role said beside a plain subject (an appositive, a job's 'as' phrase, a predicate noun), an opening
role noun the parse hung anywhere, and a past participle after the place that says what fills, lines
or lights it. Prompts written for these tests."""

from __future__ import annotations

import re

import pytest


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


# --- a role said beside a plain subject -------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "subject", "opener"),
    [
        ("The video features an older woman, a cheesemaker, standing in a stone cellar among wheels of cheese.", "A woman", "A woman as a cheesemaker, "),
        ("A tall man with a shaved head, a night watchman, walks along a dark warehouse with a flashlight.", "A man", "A man as a night watchman, "),
        ("A woman, a wedding photographer, kneels on the lawn of a country house and raises her camera.", "A woman", "A woman as a wedding photographer, "),
        ("Young man, a bicycle courier, waiting at a red light on a busy avenue.", "A man", "A man as a bicycle courier, "),
    ],
)
def test_an_appositive_role_of_a_plain_subject_is_the_keyframes_role(rule, prompt, subject, opener):
    out = spatial(rule, prompt, subject)
    assert out.startswith(opener), out


@pytest.mark.parametrize(
    ("prompt", "subject", "opener"),
    [
        ("An elderly man works as a locksmith in a tiny kiosk under a railway bridge.", "A man", "A man as a locksmith, "),
        ("A young woman works as a barista in a crowded cafe near the harbor.", "A woman", "A woman as a barista, "),
        ("A woman is a surgeon. She stands in a bright operating room and pulls on her gloves.", "A woman", "A woman as a surgeon, "),
        ("A man is a carpenter. He kneels on the floor of an unfinished attic.", "A man", "A man as a carpenter, "),
    ],
)
def test_a_job_said_with_as_or_a_predicate_noun_is_the_keyframes_role(rule, prompt, subject, opener):
    out = spatial(rule, prompt, subject)
    assert out.startswith(opener), out


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("A man, a tall guy in a gray hoodie, waits at a bus stop.", "A man"),  # a plain word, no role
        ("A woman, her hair tied back, sits at a piano in an empty hall.", "A woman"),  # an absolute phrase, no role
        ("A man walks into a bakery as a customer waits at the counter.", "A man"),  # another person, no role
        ("A woman works as the sun sets over the fields behind her farmhouse.", "A woman"),  # 'as' a clause, no role
    ],
)
def test_no_role_is_made_from_a_plain_word_an_absolute_phrase_or_another_person(rule, prompt, subject):
    out = spatial(rule, prompt, subject)
    assert not out.startswith(f"{subject} as "), out


@pytest.mark.parametrize(
    ("prompt", "subject", "opener", "kept"),
    [
        (
            "A ski instructor with a sunburned face, cracked lips and green eyes, curly red hair under a wool cap, kneels on a slope to tighten "
            "her boot, the poles lying in the snow beside him.",
            "A man",
            "A man as a ski instructor, ",
            "cracked lips",
        ),
        ("A tour guide with silver hair and a bright scarf stands at the gate of an old fortress.", "A woman", "A woman as a tour guide, ", "silver hair"),
    ],
)
def test_an_opening_role_noun_stays_the_role_when_the_parse_hangs_it_anywhere(rule, prompt, subject, opener, kept):
    out = rule.decouple(prompt, subject=subject)
    assert out.spatial.startswith(opener) and kept in out.spatial, out.spatial
    assert not out.temporal.startswith(f"{subject} is in view."), out.temporal


# --- what fills, lines or lights the place -----------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        (
            "A man sits at a counter in a small diner filled with chrome stools and jukeboxes.",
            "A man",
            "in a small diner filled with chrome stools and jukeboxes",
        ),
        ("A woman stands in a narrow hallway lined with framed family photographs.", "A woman", "in a narrow hallway lined with framed family photographs"),
        ("An old man dozes in a cabin lit by a single oil lamp.", "A man", "in a cabin lit by a single oil lamp"),
        ("A girl kneels in a meadow covered with wild poppies and sketches in a notebook.", "A woman", "in a meadow covered with wild poppies"),
        ("A woman waits in a quiet station hall lit by tall arched windows.", "A woman", "in a quiet station hall lit by tall arched windows"),
    ],
)
def test_a_participle_saying_what_fills_or_lights_the_place_stays_with_it(rule, prompt, subject, place):
    out = spatial(rule, prompt, subject)
    assert place in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "cut"),
    [
        ("A man sits in a cart pulled by a tired horse along a muddy road.", "A man", "pulled"),  # a motion, not a state of the place
        ("A woman stands in a kitchen, filled with pride as she tastes the soup.", "A woman", "pride"),  # her feeling, after a comma
    ],
)
def test_a_participle_that_says_no_state_of_the_place_is_not_kept(rule, prompt, subject, cut):
    out = spatial(rule, prompt, subject)
    assert cut not in out, out


# --- a plain place after the subject's own verb with no object ---------------------------------------


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("An old man dozes in a cabin.", "A man", "in a cabin"),
        ("A young woman studies in a library late at night.", "A woman", "in a library"),
        ("A boy waits on a platform with his suitcase.", "A man", "on a platform"),
        ("A woman naps in a hammock after lunch.", "A woman", "in a hammock"),
    ],
)
def test_a_plain_place_after_the_subjects_own_verb_is_kept(rule, prompt, subject, place):
    out = spatial(rule, prompt, subject)
    assert place in out, out


def test_a_thing_put_somewhere_by_the_subject_is_no_place_of_the_subject(rule):
    out = spatial(rule, "A man keeps his keys in a box by the door.", "A man")
    assert not re.search(r"(?:^|, )in a box", out), out


# --- an absolute phrase whose participle the tagger read as a past ---------------------------------------


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        ("A woman stands on a hill at dusk, the sky streaked with pink and gold.", "A woman", "sky streaked with pink and gold"),
        ("A man rows across a lake at dawn, the water tinted with gold.", "A man", "water tinted with gold"),
        ("A man sits on a bench, the wall behind him covered with ivy.", "A man", "wall covered with ivy"),
        ("A girl reads by a window, the glass streaked with rain.", "A woman", "glass streaked with rain"),
    ],
)
def test_a_set_off_participle_keeps_what_the_thing_is_covered_with(rule, prompt, subject, kept):
    out = spatial(rule, prompt, subject)
    assert kept in out, out


# --- a light with its path, where a participle describes the place it falls through ---------------------


@pytest.mark.parametrize(
    ("prompt", "subject", "light"),
    [
        ("Soft light streams through stained glass windows as a woman kneels in a pew.", "A woman", "soft light through stained glass windows"),
        ("A man sits in a vaulted hall, pale sunlight slanting through arched windows.", "A man", "pale sunlight through arched windows"),
        ("A girl sleeps on a sofa while moonlight falls through frosted windows.", "A woman", "moonlight through frosted windows"),
        ("A chef chops onions as morning light pours through tinted glass.", "A man", "morning light through tinted glass"),
    ],
)
def test_a_light_keeps_its_path_through_a_place_described_by_a_participle(rule, prompt, subject, light):
    out = spatial(rule, prompt, subject)
    assert light in out and not re.search(r"(?:^|, )in (?:stained|arched|frosted|tinted)", out), out


@pytest.mark.parametrize(
    ("prompt", "subject", "words"),
    [
        ("A woman kneels by a window. Pale winter light through frosted glass, dust in the air.", "A woman", ("pale winter light", "frosted glass")),
        ("A man plays chess in a study. Warm evening light through linen curtains.", "A man", ("warm evening light", "linen curtains")),
        ("A girl sits on a bench. Soft light through paper lanterns, a quiet garden.", "A woman", ("soft light", "paper lanterns")),
        ("A monk sweeps a courtyard. Morning light through the tall cedar trees.", "A man", ("morning light", "cedar trees")),
    ],
)
def test_a_verbless_light_through_a_thing_never_puts_the_subject_in_the_thing(rule, prompt, subject, words):
    out = spatial(rule, prompt, subject)
    assert all(w in out for w in words) and not re.search(r"(?:^|, )in (?:frosted|linen|paper|the tall)", out), out
