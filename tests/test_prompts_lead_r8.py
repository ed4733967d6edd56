"""Round 8's second-reading fixes (issue 28): an absolute with its own subject is not the
person's action, the person's own role or hair is no other person for a pronoun, "next to" is
no later moment, and the keyframe gate takes any phrase. Prompts written for these tests."""

from __future__ import annotations

import re

import pytest

from stdt2v.prompts.keygate import gate_phrases


@pytest.mark.parametrize(
    ("prompt", "subject", "held", "not_held"),
    [
        (
            "A young woman sitting at a desk by the window, rain streaking down the glass. She writes in a spiral notebook with a pencil.",
            "A woman",
            "notebook",
            "glass in hand",
        ),
        (
            "An old man sitting on a porch swing, fog drifting over the fence. He whittles a small wooden bird with a knife.",
            "A man",
            "wooden bird",
            "fence in hand",
        ),
        (
            "A girl standing at a bus stop, snow dusting the bench. She reads a paperback novel.",
            "A woman",
            "paperback novel",
            "bench in hand",
        ),
        (
            "A chef standing at a steel counter, steam rising off the pots. He slices a red onion with a cleaver.",
            "A man",
            "red onion",
            "pots in hand",
        ),
    ],
)
def test_an_absolutes_own_subject_makes_its_verb_no_action_of_the_person(rule, prompt, subject, held, not_held):
    spatial = rule.decouple(prompt, subject=subject).spatial
    assert held in spatial and not_held not in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "said", "not_said"),
    [
        (
            "An old baker with a round face, grey hair tucked under his cap, stands at a counter; she slides a loaf onto a peel.",
            "A man",
            "he slides",
            "she slides",
        ),
        (
            "A young diver with a tanned face, short hair wet against her forehead, sits on a boat; he lowers a crab into a bucket.",
            "A woman",
            "she lowers",
            "he lowers",
        ),
        ("A woman, a nurse, walks down the corridor with his clipboard.", "A woman", "her clipboard", "his clipboard"),
        ("A young teacher sits at her desk and grades his papers.", "A woman", "her papers", "his papers"),
    ],
)
def test_the_persons_own_hair_or_role_is_no_other_person_for_a_pronoun(rule, prompt, subject, said, not_said):
    temporal = rule.decouple(prompt, subject=subject).temporal
    assert said in temporal and re.search(rf"\b{not_said}", temporal) is None, temporal


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("A woman bargains with a fruit seller, laughing at his joke.", "A woman"),
        ("A man dances with his grandmother, spinning her around the kitchen.", "A man"),
        ("A woman sits beside an old fisherman and listens to his story.", "A woman"),
        ("A man helps a little girl tie her shoelaces.", "A man"),
    ],
)
def test_another_persons_pronoun_stays(rule, prompt, subject):
    other = "his" if subject == "A woman" else "her"
    assert f" {other} " in rule.decouple(prompt, subject=subject).temporal


@pytest.mark.parametrize(
    ("prompt", "subject", "pose"),
    [
        ("A woman sits next to a tall window in a small kitchen.", "A woman", "sitting next to a tall window"),
        ("A man stands next to a red fire truck.", "A man", "standing next to a red fire truck"),
        ("A young woman sits next to a fountain in a town square.", "A woman", "sitting next to a fountain"),
        ("An old man leans next to the door of a barn.", "A man", "next to the door of a barn"),
    ],
)
def test_next_to_is_a_place_not_a_later_moment(rule, prompt, subject, pose):
    assert pose in rule.decouple(prompt, subject=subject).spatial


def test_the_gate_takes_a_phrase_with_no_words_and_keeps_a_tap(rule):
    doc = rule.nlp("A woman stands at the kitchen tap, filling a kettle.")
    assert gate_phrases(rule.nlp, doc, ["—", "'", "", "the kitchen tap"], set()) == ["the kitchen tap"]
