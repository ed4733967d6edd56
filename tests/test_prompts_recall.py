"""The spatial prompt's recall pass and phrase gate (stdt2v/prompts/recall.py) and the keyframe
checks that go with them (wellformed.py): visible noun chunks the rules did not phrase are said in
the input's own words in their slot; fragments never reach the prompt; sounds, camera moves and
abstractions stay out. Prompts written for these tests, not taken from any rated set."""

from __future__ import annotations

import pytest

from stdt2v.prompts import wellformed
from stdt2v.prompts.invariants import check_invariants
from stdt2v.prompts.recall import complete, dangling_text, merge_restated
from stdt2v.prompts.result import DecoupledPrompt


def assert_keeps(text: str, kept: list[str], gone: list[str]) -> None:
    for phrase in kept:
        assert phrase in text, text
    for phrase in gone:
        assert phrase not in text, text


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # the thing an action uses, said as held
        ("A woman drinks tea from a cracked porcelain cup outside her cabin.", "A woman", ["a cracked porcelain cup in hand"], []),
        # face features after 'with', a body part described as a look
        ("A man with a shaved head and a small gold eyebrow ring stands in an empty subway station.", "A man", ["shaved head", "eyebrow ring"], []),
        # clothing a participle names ("wrapped in")
        ("A woman sits at a bus stop, wrapped in a thick plaid scarf.", "A woman", ["thick plaid scarf"], []),
        # age said after a hedge, and the room the input names (never "in the room")
        (
            "The video shows a woman who seems to be in her early forties, standing behind a lectern in a large lecture hall. "
            "Rows of empty chairs stretch behind her, and her voice carries through the room.",
            "A woman",
            ["in her early forties", "in a large lecture hall", "rows of empty chairs"],
            ["in the room"],
        ),
        # the pose at a fixture named by a compound ("drafting table"), the specific place; the sound stays out
        (
            "A man sits at a cluttered drafting table in a small architect's studio. The faint hum of a radio can be heard.",
            "A man",
            ["sitting at a cluttered drafting table", "small architect's studio"],
            ["hum", "radio", "heard"],
        ),
        # a road is 'on', and the light of the hour is kept
        (
            "A man rides a motorbike down an empty prairie highway at golden hour.",
            "A man",
            ["on an empty prairie highway", "at golden hour"],
            ["in the empty"],
        ),
        # scenery with its modifiers; a bare part of a thing is not said
        (
            "A woman walks through a sunflower field, brushing the tops of the flowers, a weathered red barn in the distance.",
            "A woman",
            ["weathered red barn"],
            ["tops of"],
        ),
    ],
)
def test_recall_keeps_visible_chunks(rule, prompt, subject, kept, gone):
    assert_keeps(rule(prompt, subject).spatial, kept, gone)


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        # an event after a light verb, a manner after 'with': nothing to draw, hold or place
        ("A potter shapes clay while giving a short talk to her students.", "A woman", ["talk", "nearby"]),
        ("A boy flips pancakes with practiced skill in a small diner kitchen.", "A man", ["practiced skill", "skill"]),
        # a camera move named as the style header stays in the temporal prompt only
        ("Tracking shot, from the waist up: a woman in a yellow coat rides a scooter down a busy market street.", "A woman", ["tracking"]),
        # quoted text on a sign is not a thing of the scene
        ('A man stands under a neon sign reading "Open All Night" on a rainy street.', "A man", ["Open All Night"]),
        # the verb the parse read as a noun ends no phrase
        ("A woman reads a letter at her dining table. She folds the letter and smiles.", "A woman", ["and smiles"]),
    ],
)
def test_recall_leaves_out_what_a_still_cannot_show(rule, prompt, subject, gone):
    assert_keeps(rule(prompt, subject).spatial, [], gone)


def test_style_header_with_a_frame_extent_keeps_the_subject(rule):
    """'Tracking shot, from the waist up: a woman ...' is a header: the woman, her coat and her scooter stay."""
    spatial = rule("Tracking shot, from the waist up: a woman in a yellow coat rides a scooter down a busy market street.", "A woman").spatial
    assert_keeps(spatial, ["yellow coat", "on a scooter", "from the waist up"], ["tracking shot"])


def test_resolution_tag_is_never_the_role(rule):
    spatial = rule("8K, film grain. Close-up of a bearded man in a wool cap sipping tea from a dented tin mug.", "A man").spatial
    assert spatial.startswith("A man, bearded"), spatial
    assert_keeps(spatial, ["dented tin mug", "8K", "close-up"], ["as a 8K", "as an 8K"])


def test_gate_on_tokens(nlp):
    doc = nlp("Her black hair is pulled into a low, elegant bun, with natural skin texture and a shallow depth of field.")
    words = {t.text: t for t in doc}
    assert not complete([words["a"], words["low"]])  # the adjective's noun lies beyond
    assert not complete([words["natural"], words["skin"]])  # "skin" modifies "texture"
    assert not complete([words["shallow"], words["depth"]])  # its "of field" was cut
    assert complete([words["elegant"], words["bun"]])
    assert complete(list(doc[doc.text.split().index("shallow") + 1 - 1 : len(doc) - 1]))  # "shallow depth of field"


@pytest.mark.parametrize(
    ("text", "dangling"),
    [
        ("spectacles pushed up as he slowly", True),
        ("gaze calm yet", True),
        ("braid tied with a", True),
        ("wool scarf,", True),
        ("a mug in front of her", False),
    ],
)
def test_dangling_text(text, dangling):
    assert dangling_text(text) is dangling


def test_merge_restated():
    texts = ["a large pot of soup in front of him", "large pot on the stove", "a candle in hand", "candle on the shelf"]
    gone = merge_restated(texts, [True, False, True, False])
    assert gone == [1]
    assert texts[0] == "a large pot of soup on the stove"
    assert texts[3] == "on the shelf"


def test_keyframe_checks(nlp):
    assert wellformed.keyframe_leaks("A man, soft ticking heard, tracking shot, wool coat, medium shot") == ["soft ticking heard", "tracking shot"]
    assert wellformed.repeated_phrases("A woman, a paper map in hand, paper map on the car hood, medium shot") == ["paper map on the car hood"]
    assert wellformed.repeated_phrases("A man, cinematic shot: high angle, high-angle shot") == ["the camera angle said twice"]
    assert wellformed.repeated_phrases("A man, sitting at a desk, sitting at a window, medium shot") == []
    # "the course of a lecture nearby": nothing to place; an adverb or a conjunction never ends a phrase
    bad = wellformed.fragment_phrases(nlp, "A woman, a lecture nearby, spectacles pushed up as he slowly, gaze calm yet, green scarf, medium shot")
    assert bad == ["a lecture nearby", "spectacles pushed up as he slowly", "gaze calm yet"]
    # a list of adjectives that goes on is no fragment
    assert wellformed.fragment_phrases(nlp, "A man, a small, slightly open suitcase, medium shot") == []


def test_invariants_report_sounds_and_repeats(nlp):
    result = DecoupledPrompt(
        original="A woman reads a map by her car while a dog barks.",
        spatial="A woman, a paper map in hand, paper map by her car, barking heard, medium shot",
        temporal="A woman reads a map by her car while a dog barks.",
        subject="A woman",
    )
    _, violations, checks = check_invariants(nlp, result)
    assert not checks["spatial_still_only"] and not checks["spatial_said_once"]
    assert any("sound or a camera move: barking heard" in v for v in violations), violations
