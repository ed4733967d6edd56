"""The keyframe shows one instant (issue 28, point 1): no finite verb, no goal of a motion, no state
a later moment brings, no camera move (``stillmotion``). Prompts written for these tests."""

from __future__ import annotations

import pytest


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        (
            "A grill cook with a round face and a thin mustache, short black hair slicked back, flips burgers over a gas flame at a county fair.",
            "A man",
            "burgers over a gas flame",
            "flips",
        ),
        (
            "A fishmonger with a weathered face and deep crow's feet, grey hair tied back with string, guts mackerel over a steel sink at a harbour market.",
            "A woman",
            "mackerel",
            "guts",
        ),
        (
            "A sailor coils rope on the deck of a fishing boat. Waves splash against the hull, and beams of grey light break through the clouds above the harbour.",
            "A man",
            "beams of grey light",
            "break",
        ),
        ("A mechanic rolls out from under a pickup truck in a dusty garage.", "A man", "in a dusty garage", "rolls"),
    ],
)
def test_a_finite_verb_in_a_phrase_leaves_its_noun_phrase(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out
    assert f" {gone} " not in f" {out.replace(',', ' ')} "


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        (
            "A carpenter in a flannel shirt hammers a nail into a beam. After a while he sits on a stack of planks and drinks from a thermos.",
            "A man",
            "stack of planks",
        ),
        (
            "A night cleaner in a grey uniform mops the lobby floor of an office tower. Later she sits on a bench by the elevators and eats an apple.",
            "A woman",
            "bench",
        ),
        ("A potter pours glaze into a ceramic bowl, lifts it onto a shelf, and sits down on a low stool by the kiln.", "A woman", "sitting"),
        pytest.param(
            "A boy waits on a jetty with a rod. Suddenly the line jerks; he pulls hard, and a silver trout flashes in the sunlight.",
            "A man",
            "trout",
            marks=pytest.mark.xfail(reason="a later event whose verb an earlier mend cut from the phrase is not yet seen as one", strict=True),
        ),
    ],
)
def test_a_state_or_event_after_a_time_connective_or_a_later_action_is_not_in_the_keyframe(rule, prompt, subject, gone):
    assert gone not in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        (
            "Wide shot, grey morning, a woman in a green coat walks a spaniel along a sea wall. Slow drone pull-away revealing the harbour below.",
            "A woman",
            "wide shot",
            "pull-away",
        ),
        (
            "A violinist in a black tuxedo plays on a dark stage. Slow push-in on his face, then a slow orbit around the stage.",
            "A man",
            "on a dark stage",
            "push-in",
        ),
        ("Medium shot, low angle: a climber in a red helmet grips a ledge on a granite wall.", "A woman", "low-angle", "angle:"),
        ("A fisherman mends a net on a pier at dusk. Slow drone pull-back over the bay.", "A man", "at dusk", "pull-back"),
    ],
)
def test_a_camera_move_never_a_framing_leaves_the_keyframe(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out
    assert gone not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        # a light of a result verb stays when the action is the first one; the thing a later action works on stays
        ("A janitor closes the blinds of the classroom, leaving only a thin strip of afternoon light, and stacks the chairs.", "A man", "afternoon light"),
        ("A lighthouse keeper climbs the stairs, then polishes the great lens with a soft cloth.", "A woman", "as a lighthouse keeper"),
        ("A woman in a red scarf knits in a rocking chair by the window, then keeps knitting while snow falls outside.", "A woman", "red scarf"),
        ("A boy skates down a hill in Lisbon, then kicks the board up into his hand.", "A man", "Lisbon"),
    ],
)
def test_what_the_first_frame_shows_stays(rule, prompt, subject, kept):
    assert kept in spatial(rule, prompt, subject)


def test_a_later_result_of_the_subjects_action_goes(rule):
    prompt = "After ten years in the studio, a dancer stays late. She switches off the overhead lights, leaving only the streetlight, and ties her shoes."
    out = spatial(rule, prompt, "A woman")
    assert "streetlight" not in out
