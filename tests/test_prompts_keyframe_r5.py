"""Keyframe fixes found when this round's branches met (issue 28, point 1): the shot a prompt
opens with stays the keyframe's framing after the person's sentence is put first, and an
article never stands before a possessive. Prompts written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prompt", "subject", "framing"),
    [
        ("Low-angle shot, then slow push-in: a boxer in red gloves hits a heavy bag in a dim gym.", "A man", "low-angle shot"),
        ("Overhead shot, then handheld: a woman in a yellow kayak paddles across a green lake.", "A woman", "overhead shot"),
    ],
)
def test_the_opening_shot_stays_the_keyframe_framing(rule, prompt, subject, framing):
    spatial = rule.decouple(prompt, subject).spatial
    assert spatial.endswith(framing) and "medium shot" not in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        ("A fisherman in a yellow slicker hauls a crate onto his boat.", "A man", "on his boat"),
        ("A rower in a blue cap pulls an oar onto her boat at dusk.", "A woman", "on her boat"),
    ],
)
def test_no_article_before_a_possessive_in_the_keyframe(rule, prompt, subject, kept):
    spatial = rule.decouple(prompt, subject).spatial
    assert not any(f"{a} {p} " in spatial for a in ("the", "a") for p in ("his", "her", "their")), spatial
    assert kept in spatial, spatial
