"""Keyframe phrases that are whole and still (issue 28, point 1): no action participle after the
place, no clause with its own verb, no shape of a motion, one framing (the first frame's), words a
cut left back where they belong, and the self-check that finds what is left. Prompts written for
these tests."""

from __future__ import annotations

import re

import pytest

from stdt2v.prompts.stillcheck import still_leaks


def spatial(rule, prompt: str, subject: str = "A man") -> str:
    return rule.decouple(prompt, subject=subject).spatial


@pytest.mark.parametrize(
    ("prompt", "kept", "gone"),
    [
        ("A barber in a black vest stands at a marble counter sharpening razors, a leather chair behind him.", "standing at a marble counter", "sharpening"),
        ("A florist stands at a wooden table trimming roses, a tin bucket of tulips at her feet.", "standing at a wooden table", "trimming"),
        (
            "A chef in a white jacket stands at a stainless steel counter slicing onions, a copper pot simmering on the stove behind him.",
            "standing at a stainless steel counter",
            "slicing",
        ),
        ("A guard leans against a pillar of the station hall at night drinking tea from a flask.", "leaning against a pillar of the station hall", "drinking"),
    ],
)
def test_an_action_after_the_place_is_no_motion_in_the_keyframe(rule, prompt, kept, gone):
    out = spatial(rule, prompt, "A woman" if "her " in prompt else "A man")
    assert kept in out and gone not in out, out


@pytest.mark.parametrize(
    ("prompt", "framing", "gone"),
    [
        ("Wide static shot: a man in a suit sits alone in an empty cinema, popcorn in his lap.", "wide static shot", "medium shot"),
        ("Close-up to wide shot: a woman in a yellow scarf stands on a cliff above the sea.", "close-up", "wide shot"),
        ("Medium close-up to wide shot: a baker in a white cap slides loaves into a brick oven.", "medium close-up", "wide shot"),
        ("Wide locked-off shot: a farmer in a straw hat leans on a wooden fence at sunrise.", "wide locked-off shot", "medium shot"),
    ],
)
def test_one_framing_the_first_frames(rule, prompt, framing, gone):
    out = spatial(rule, prompt, "A woman" if "woman" in prompt else "A man")
    assert out.endswith(f", {framing}") and out.count(framing) == 1 and gone not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        ("A fisherman stands in a river in tall waders, casting his line in wide loops.", "A man", "standing in a river", "loops"),
        ("A skater in a blue dress glides across a frozen lake in slow circles, pine trees around the shore.", "A woman", "frozen lake", "circles"),
        ("A dancer in a flowing red dress spins across a dark stage in wide circles, a single spotlight above her.", "A woman", "dark stage", "circles"),
        ("A rower sits in a narrow boat on a calm lake, pulling the oars in long smooth strokes.", "A man", "narrow boat", "strokes"),
    ],
)
def test_the_shape_of_a_motion_is_no_thing(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out and gone not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        (
            "A man wearing a blue coat, grey jeans and boots, and his short red hair looks wet from the rain, waits at a crossing.",
            "A man",
            "short red hair",
            "and his",
        ),
        ("A cyclist rests beside his mountain bike propped on its kickstand, the trail dusty.", "A man", "beside his mountain bike", "beside mountain bike"),
        ("A skater in a blue dress glides across a frozen lake in slow circles.", "A woman", "blue dress", "glides"),
        ("A violinist in a black suit stands on a small stage; at one point he misses a note and smiles.", "A man", "black suit", "note"),
        (
            "A woman sits on a park bench feeding bread crumbs to pigeons, a small dog sleeping on a blanket next to her, the light is soft golden.",
            "A woman",
            "soft golden light",
            "golden small dog",
        ),
    ],
)
def test_no_fragment_is_left_where_a_cut_fell(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out and gone not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("The video features an elderly man crouching in a narrow alley beside an old green bicycle turned upside down on its seat and handlebars.", "A man"),
        ("The video features a young woman kneeling in a small yard beside a wooden cart tipped over on its side and wheels.", "A woman"),
        ("The video features a boy sitting on a beach beside a small boat pulled up on its keel and oars.", "A man"),
        ("The video features a woman standing in a kitchen beside a tall stool knocked over on its back and legs.", "A woman"),
    ],
)
def test_a_participle_of_a_thing_keeps_its_phrase(rule, prompt, subject):
    """'on seat' of "a bicycle turned upside down on its seat": said with the bicycle in the input's words, never alone."""
    out = spatial(rule, prompt, subject)
    assert not re.search(r", on \w+(?:,|$)", out), out
    if "bicycle" in prompt:
        assert "beside an old green bicycle turned upside down on its seat and handlebars" in out, out


@pytest.mark.parametrize(
    "phrase",
    [
        "a pair of ducks swim in the pond",
        "drinking a coffee",
        "a blanket next",
        "single window letting",
        "beside mountain bike",
        "hand-painting a sign onto the door",
        "at night drinking tea",
    ],
)
def test_the_self_check_flags_clauses_actions_and_cut_phrases(rule, phrase):
    assert still_leaks(rule.nlp, f"A man, {phrase}, medium shot") == [phrase]


@pytest.mark.parametrize(
    "phrase",
    [
        "shower of orange sparks across the floor",
        "thin white hair combed back",
        "warm backlight forming a rim",
        "glowing embers",
        "at golden hour",
        "warm color grading",
        "a small dog next to her",
        "sitting on a wooden stool",
        "half-body standing",
    ],
)
def test_the_self_check_leaves_whole_still_phrases(rule, phrase):
    assert still_leaks(rule.nlp, f"A man, {phrase}, medium shot") == []
