"""A camera header before the person (issue 28): a change of framing ("Medium shot to close-up:")
is a move like "Slow push-in:": the person's sentence opens the video prompt and the move follows
it; the keyframe describes the person and the place, and no move is ever said in it (a still
shows none). Prompts written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prompt", "subject", "opening", "seen"),
    [
        (
            "Medium shot to close-up: an old woman in a knitted shawl sits in a rocking chair by the fireplace.",
            "A woman",
            "A woman, old, in a knitted shawl, sits in a rocking chair by the fireplace.",
            ["knitted shawl", "rocking chair by the fireplace"],
        ),
        (
            "Wide shot to medium shot: a fisherman in a yellow raincoat stands on a wooden pier.",
            "A man",
            "A man, a fisherman in a yellow raincoat, stands on a wooden pier.",
            ["yellow raincoat", "on a wooden pier"],
        ),
        (
            "Close-up to wide shot: a young woman with braided hair kneels in a vegetable garden.",
            "A woman",
            "A woman, young, with braided hair, kneels in a vegetable garden.",
            ["braided hair", "in a vegetable garden"],
        ),
        (
            "Full shot to close-up: a boy in a school uniform sits on the steps of a library.",
            "A man",
            "A man, a boy in a school uniform, sits on the steps of a library.",
            ["school uniform", "on the steps of a library"],
        ),
    ],
)
def test_a_change_of_framing_before_the_person_follows_the_persons_sentence(rule, prompt, subject, opening, seen):
    out = rule(prompt, subject)
    assert out.temporal.startswith(opening)
    assert " to " in out.temporal.split(".")[1]  # the move, right after the person's sentence
    for phrase in seen:
        assert phrase in out.spatial
    assert not out.violations


@pytest.mark.parametrize(
    ("prompt", "subject", "move"),
    [
        ("Slow push-in: an old woman in a knitted shawl sits in a rocking chair, turning the pages of a photo album.", "A woman", "push-in"),
        ("Slow pull-out: a chef in a white jacket stands at a steel counter in a busy kitchen.", "A man", "pull-out"),
        ("Slow zoom: a man in a grey suit stands on a rooftop at dusk, looking over the city.", "A man", "zoom"),
        ("Dolly-in: a girl in a red raincoat waits at a bus stop in the rain.", "A woman", "dolly"),
    ],
)
def test_no_camera_move_in_the_keyframe(rule, prompt, subject, move):
    out = rule(prompt, subject)
    assert move not in out.spatial.lower()
    assert move.split("-")[0] in out.temporal.lower() or "the camera " in out.temporal.lower()  # "Dolly-in" said as "The camera dollies in."


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("A boy sits on the steps of a library.", "A man", "sitting on the steps of a library"),
        ("A girl sits on the front steps of her house at dusk, tying her shoelaces.", "A woman", "sitting on the front steps of her house"),
        ("A mechanic lies on a creeper under a pickup truck.", "A man", "lying on a creeper under a pickup truck"),
        ("A cook stands by a frying pan on a camp stove at a lakeside campsite.", "A man", "campsite"),
        ("A dockworker stands beside a crane at the harbour.", "A man", "standing beside a crane at the harbour"),
    ],
)
def test_a_pose_on_a_part_of_a_place_or_by_a_thing_that_names_a_camera_move(rule, prompt, subject, place):
    """'steps' is a motion noun and 'truck', 'pan', 'crane' are camera moves as words: here they are where the person is."""
    assert place in rule(prompt, subject).spatial
