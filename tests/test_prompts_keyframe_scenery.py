"""Keyframe recall (issue 28): every visible thing of the input reaches the keyframe once, in a
static form. Other things said by their own clause or absolute phrase keep their place and lose a
motion verb ("gulls circle overhead" → "gulls overhead"); the subject's 'with' list of looks keeps
each item whole, with its participle ("a beard flecked with gray"); a closing list of style tags
keeps its light and lens tags; a comma tag list keeps each tag. Prompts written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prompt", "subject", "phrase", "gone"),
    [
        # a verb of position stays as a participle, with its place
        ("A woman paints on a balcony. Ivy hangs from the railing below her.", "A woman", "ivy hanging from the railing below her", "hangs"),
        # a motion verb goes, its place adverb stays
        ("An old man fishes from a rowboat while ducks paddle nearby.", "A man", "ducks nearby", "paddle"),
        # an absolute phrase with a motion participle: the thing and its place
        ("A singer performs on a stage, spotlights blazing behind her.", "A woman", "spotlights behind her", "blazing"),
        # an absolute phrase with a verb of position
        ("A man rests on a park bench, a folded newspaper lying beside him.", "A man", "folded newspaper lying beside him", "rests"),
        # a path crossed is where the thing is
        ("A man stands in an empty warehouse while dust drifts through the warm air.", "A man", "dust in the warm air", "drifts"),
        # other people seen where they are; the sound they make stays out
        ("A boy plays cricket in a dusty alley while children cheer in the background.", "A man", "children in the background", "cheer"),
    ],
)
def test_other_things_keep_their_place_in_a_static_form(rule, prompt, subject, phrase, gone):
    spatial = rule.decouple(prompt, subject).spatial
    assert phrase in spatial, spatial
    assert gone not in spatial, spatial


def test_a_sound_alone_stays_out(rule):
    spatial = rule.decouple("A girl reads on a porch while birds chirp in the background.", "A woman").spatial
    assert "bird" not in spatial, spatial


def test_where_a_motion_ends_is_no_place(rule):
    spatial = rule.decouple("A man stands on a cliff while gulls dive into the sea.", "A man").spatial
    assert "into the sea" not in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "phrases"),
    [
        (
            "An old man with a bald head, a gray mustache waxed at the tips and round spectacles reads a letter.",
            "A man",
            ["bald head", "gray mustache waxed at the tips", "round spectacles"],
        ),
        (
            "A woman in her thirties with short curly hair dyed purple, a small nose ring and deep dimples waves at a friend.",
            "A woman",
            ["in her thirties", "short curly hair dyed purple", "small nose ring", "deep dimples"],
        ),
        # a bare item is said with the look before it, with its article
        ("A man with a square jaw, a crooked nose and a scar leans on a bar.", "A man", ["square jaw", "crooked nose and a scar"]),
        # adjectives parted by a comma are one item
        ("A man with a narrow face, short, dark hair and a thin mustache repairs a clock.", "A man", ["narrow face", "short dark hair", "thin mustache"]),
        # the age phrase ends at the age, the looks follow it
        (
            "A man in his early forties with olive skin, a shaved head and a thick goatee stands by a truck.",
            "A man",
            ["in his early forties", "olive skin", "goatee"],
        ),
        # a place on the face stays with its look; a clause after a look goes
        (
            "A teenage girl with pale skin, freckles across her cheeks and braces showing when she laughs sits on a swing.",
            "A woman",
            ["pale skin", "freckles across her cheeks", "braces"],
        ),
    ],
)
def test_each_look_of_the_with_list_is_kept_whole(rule, prompt, subject, phrases):
    spatial = rule.decouple(prompt, subject).spatial
    for phrase in phrases:
        assert phrase in spatial, spatial
    assert "laughs" not in spatial and "when" not in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "phrases", "gone"),
    [
        (
            "A man walks on a pier at dusk. Slow motion, film grain, soft haze, shallow depth of field.",
            "A man",
            ["film grain", "soft haze", "shallow depth of field"],
            "slow",
        ),
        (
            "A woman waters plants on a terrace. Wide shot easing into a close-up, slow push-in, 50mm lens, morning mist, cinematic, 4K.",
            "A woman",
            ["50mm lens", "morning mist", "cinematic"],
            "push-in",
        ),
        (
            "A man sits on the hood of a truck. Shot on 35mm film, shallow depth of field, golden hour.",
            "A man",
            ["35mm film", "shallow depth of field", "golden hour"],
            "slow",
        ),
    ],
)
def test_a_closing_style_list_keeps_its_tags(rule, prompt, subject, phrases, gone):
    spatial = rule.decouple(prompt, subject).spatial
    for phrase in phrases:
        assert phrase in spatial, spatial
    assert gone not in spatial, spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "phrases"),
    [
        ("young man, bicycle, rainy street, neon signs, yellow raincoat, film grain", "A man", ["rainy street", "neon signs", "yellow raincoat", "film grain"]),
        (
            "teenage girl, empty parking lot, sunset, oversized denim jacket, lens flare, 35mm film look",
            "A woman",
            ["empty parking lot", "lens flare", "35mm film look"],
        ),
    ],
)
def test_a_tag_list_keeps_each_tag(rule, prompt, subject, phrases):
    spatial = rule.decouple(prompt, subject).spatial
    for phrase in phrases:
        assert phrase in spatial, spatial
