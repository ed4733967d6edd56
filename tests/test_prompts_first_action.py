"""Keyframe pose and held thing of the first action (issue 28): the pose a verb states, even where
the tagger read the verb as a plural noun ("A man squats beside ..."), said with all its places;
the first action's tool ("with a wrench"), the thing it works in ("writing in a diary") in hand,
the thing it works on ("paints ... on a large canvas") in front of the subject; a ball dribbled
or a book read in hand. Never a later action's thing, a seat, a person or a feeling. Prompts
written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prompt", "subject", "phrases"),
    [
        (
            "A man squats beside his motorcycle in a dusty garage, tightening a bolt with a wrench.",
            "A man",
            ["a wrench in hand", "squatting beside his motorcycle in a dusty garage"],
        ),
        (
            "A girl kneels in the garden beside a row of tomato plants, pulling weeds with a small trowel.",
            "A woman",
            ["a small trowel in hand", "kneeling in the garden beside a row of tomato plants"],
        ),
        ("A man crouches at the edge of a stream, filling a metal canteen with water.", "A man", ["crouching at the edge of a stream"]),
        ("An old woman hunches over a sewing machine in a dim workshop.", "A woman", ["hunched over a sewing machine in a dim workshop"]),
        ("A boy squats on the curb outside a corner shop, eating an ice cream cone.", "A man", ["an ice cream cone in hand", "squatting on the curb"]),
    ],
)
def test_the_pose_of_the_first_action_with_its_places(rule, prompt, subject, phrases):
    spatial = rule.decouple(prompt, subject).spatial
    for phrase in phrases:
        assert phrase in spatial, spatial
    assert "crouches" not in spatial and "squats" not in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "phrase"),
    [
        ("A teenage girl lies on her bed, writing in a small diary.", "A woman", "a small diary in hand"),
        ("A man sketches in a battered notebook at a cafe table.", "A man", "a battered notebook in hand"),
        ("A grandmother rolls out dough with a wooden rolling pin in a warm farmhouse kitchen.", "A woman", "a wooden rolling pin in hand"),
        ("A woman stirs a pot of soup with a wooden spoon in a small kitchen.", "A woman", "a wooden spoon in hand"),
        ("A woman paints a landscape on a large canvas in a sunlit studio, then steps back to look at it.", "A woman", "a large canvas in front of her"),
        ("A boy dribbles a basketball on an outdoor court at dusk, then shoots at the hoop.", "A man", "a basketball in hand"),
        ("A young man reads a paperback novel on a crowded train.", "A man", "a paperback novel in hand"),
    ],
)
def test_the_thing_the_first_action_works_with(rule, prompt, subject, phrase):
    spatial = rule.decouple(prompt, subject).spatial
    assert phrase in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        ("A man walks along the beach, then picks up a shell with his fingers.", "A man", "shell"),  # a later action's
        ("A woman naps on a sofa in a sunny living room.", "A woman", "in front of her"),  # a seat is no work
        ("A woman shops with her friends in a busy market.", "A woman", "friends"),  # people are not held
        ("A man works with great care in his workshop.", "A man", "care"),  # a manner, not a thing
        ("A woman stirs a pot of soup with a wooden spoon in a small kitchen.", "A woman", "soup in hand"),  # stirred, not held
    ],
)
def test_nothing_held_the_input_does_not_name_or_hold(rule, prompt, subject, gone):
    spatial = rule.decouple(prompt, subject).spatial
    assert gone not in spatial, spatial
