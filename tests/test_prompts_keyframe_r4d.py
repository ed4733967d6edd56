"""Keyframe places (issue 28): a part of a place the subject works on says where they are ("on the
steel frame of an unfinished barn", "at the edge of a hop field"), but not a part of a place where
something else happens or a thing is put; a person's origin after adjectives is its own phrase,
never "elderly of Irish descent". Prompts written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prompt", "subject", "phrase"),
    [
        ("A man in a gray jacket works on the steel frame of an unfinished barn.", "A man", "on the steel frame of an unfinished barn"),
        # the parse gives the verb no subject after a long appositive: the sentence's subject still walks there
        (
            "The farmer, a wiry old man in a checked shirt with the sleeves rolled up, walked slowly at the edge of a hop field.",
            "A man",
            "at the edge of a hop field",
        ),
    ],
)
def test_a_part_of_a_place_says_where_the_subject_is(rule, prompt, subject, phrase):
    spatial = rule.decouple(prompt, subject).spatial
    assert phrase in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        # the gutters are along the row, not the boy: the row is said with the gutters, never as his place
        ("A boy in a green raincoat plays on a wet pavement. Gutters drip along the row of houses behind him.", "A man", ", along the row"),
        # where loaves are put is not where the baker stands
        ("A woman in a white apron stands at a counter. She sets the loaves on the shelf of the bakery window.", "A woman", "on the shelf"),
    ],
)
def test_a_part_of_a_place_someone_else_uses_is_no_place(rule, prompt, subject, gone):
    spatial = rule.decouple(prompt, subject).spatial
    assert gone not in spatial, spatial


def test_an_origin_after_adjectives_is_its_own_phrase(rule):
    prompt = "The gardener, a tall elderly man of Irish descent in a green apron, trims roses in a walled garden."
    spatial = rule.decouple(prompt, "A man").spatial
    assert "tall elderly, of Irish descent" in spatial, spatial
    assert "elderly of" not in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("A woman rows a canoe across a lake. Her expression is focused and determined as she pulls the paddle.", "focused and determined expression"),
        ("A woman waits at a bus stop. Her expression is focused.", "focused expression"),
    ],
)
def test_a_mood_said_of_the_expression_comes_before_it(rule, prompt, phrase):
    spatial = rule.decouple(prompt, "A woman").spatial
    assert phrase in spatial, spatial
    assert "expression focused" not in spatial, spatial
