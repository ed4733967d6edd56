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


def test_a_pose_place_keeps_its_own_words_and_what_follows_the_comma(rule):
    # "site" is no form of "sit"; the phrase after the comma is its own thing, kept with its article
    spatial = rule.decouple("A man in a hard hat stands on the top floor of a construction site in Lagos, a clipboard under his arm.", "A man").spatial
    assert "standing on the top floor of a construction site in Lagos" in spatial, spatial
    assert "a clipboard under his arm" in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # a look's participle and a 'when' clause inside a description are no first action: the ball is the first frame's
        (
            "A girl with freckles across her nose, braces showing when she smiles. She bounces a red ball on the sand at the beach, knee, foot, knee.",
            "A woman",
            "a red ball in hand",
            "knee",
        ),
        ("A boy juggles a football on the grass at the park, knee, foot, knee, then kicks it to his friend.", "A man", "a football in hand", ", foot"),
    ],
)
def test_the_first_action_is_the_subjects_act_and_a_bare_list_is_no_place(rule, prompt, subject, kept, gone):
    spatial = rule.decouple(prompt, subject).spatial
    assert kept in spatial, spatial
    assert gone not in spatial, spatial
