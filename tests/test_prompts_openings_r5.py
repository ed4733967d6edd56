"""Temporal openings that were not clean prose (issue 28, point 2): a prompt typed as a list of
tags, an article-less person with a participle, a shot named before its person ("Medium shot of a
woman watering plants, then wiping ..."), a camera header before the person's sentence, an adverb
of the verb read into the attire, and 'is seen doing' followed by a sentence of the person's.
Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.shots import person_first
from stdt2v.prompts.tags import tags_as_prose

# --- tag lists -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "chef, busy kitchen, chopping onions, white apron, steam, night",
            "A chef in a white apron chops onions in a busy kitchen in the steam at night.",
        ),
        (
            "young woman, long red hair, freckles, green sweater, library, reading, warm light",
            "A young woman in a green sweater, with long red hair and freckles, reads in a library in warm light.",
        ),
        (
            "Cinematic, 35mm, old man, fishing pier, rain, yellow raincoat, smoking a pipe",
            "An old man in a yellow raincoat smokes a pipe on a fishing pier in the rain. Cinematic, 35mm.",
        ),
        ("Man, beach, sunset", "A man is on a beach at sunset."),
        (
            "little girl, birthday party, blowing out candles, pink dress, balloons, living room",
            "A little girl in a pink dress blows out candles at a birthday party in a living room amid balloons.",
        ),
    ],
)
def test_a_tag_list_is_said_as_one_sentence_with_every_tag(rule, text, expected):
    assert tags_as_prose(rule.nlp, text, "female") == expected


@pytest.mark.parametrize(
    "text",
    [
        "A man walks his dog, then stops.",  # prose already: a finite verb with its subject
        "Cinematic, 4K, golden hour",  # no person
        "man, woman, beach, sunset",  # two people: whose tags are whose is not said
        "old man, portrait, studio lighting",  # nothing for a verb to say
    ],
)
def test_what_is_no_tag_list_of_one_person_stays_as_it_is(rule, text):
    assert tags_as_prose(rule.nlp, text, "male") == text


def test_a_tag_list_of_a_woman_in_the_rain_becomes_a_merged_sentence(rule):
    out = rule.decouple("young woman, red raincoat, umbrella, rainy street, neon signs, night, Tokyo", subject="A woman")
    assert out.temporal == "A woman, young, in a red raincoat, with an umbrella, is on a rainy street amid neon signs at night in Tokyo.", out.temporal
    for seen in ("red raincoat", "rainy street", "Tokyo", "at night"):
        assert seen in out.spatial, out.spatial


def test_a_tag_list_whose_verb_the_tagger_misreads_takes_the_progressive(rule):
    # "An old fisherman mends nets" reads "mends" as a noun; "is mending" never is one
    out = rule.decouple("old fisherman, wooden boat, mending nets, early morning, mist, harbor", subject="A man")
    assert out.temporal == "A man, an old fisherman, is mending nets on a wooden boat at a harbor in the mist in the early morning.", out.temporal
    assert "wooden boat" in out.spatial and "harbor" in out.spatial, out.spatial


def test_a_tag_list_with_no_action_says_where_the_person_is(rule):
    out = rule.decouple("teenage girl, skateboard, graffiti wall, sunny afternoon, baggy jeans, headphones", subject="A woman")
    assert out.temporal.startswith("A woman, a teenage girl in baggy jeans and headphones"), out.temporal
    assert "skateboard" in out.temporal and "is at a graffiti wall on a sunny afternoon." in out.temporal, out.temporal
    assert "A woman:" not in out.temporal and "is in view" not in out.temporal


def test_an_english_tag_list_is_never_kept_whole_as_a_foreign_prompt(rule):
    out = rule.decouple("teenage girl, skateboard, graffiti wall, sunny afternoon, baggy jeans, headphones", subject="A woman")
    assert not any("not English" in n for n in out.notes), out.notes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Boy in a striped shirt chasing bubbles in a sunny park", "A man, a boy in a striped shirt, chases bubbles in a sunny park."),
        ("Man jogging along a river path at sunrise, grey hoodie", "A man in a grey hoodie jogs along a river path at sunrise."),
        (
            "Elderly man knitting by the fireplace, cozy living room, warm lamplight",
            "A man, elderly, knits by the fireplace in a cozy living room in warm lamplight.",
        ),
    ],
)
def test_an_article_less_person_with_a_participle_gets_a_verb_and_keeps_its_tags(rule, text, expected):
    assert rule.decouple(text, subject="A man").temporal == expected


# --- shots named before the person -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Slow-motion, film grain. Medium shot of a middle-aged woman in a yellow apron watering tomato plants in a backyard garden, then wiping her forehead.",
            "Slow-motion, film grain. A middle-aged woman in a yellow apron waters tomato plants in a backyard garden, then wipes her forehead. Medium shot.",
        ),
        (
            "Overhead drone shot of a female surfer paddling out through crashing waves, then ground-level tracking as she pops up on her board.",
            "A female surfer is paddling out through crashing waves. Overhead drone shot, then ground-level tracking as she pops up on her board.",
        ),
        (
            "Handheld, natural light: a teenage boy in a hoodie skateboards down an empty street at dawn.",
            "Handheld, natural light. A teenage boy in a hoodie skateboards down an empty street at dawn.",
        ),
        ("A woman waters her plants.", "A woman waters her plants."),
    ],
)
def test_a_shot_led_opening_is_said_person_first(rule, text, expected):
    assert person_first(rule.nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "subject", "opening", "later"),
    [
        (
            "Photorealistic, 35mm, soft light. Close-up of a young chef in a white jacket chopping onions on a wooden board, steam rising from a pot behind him.",
            "A man",
            "A man, a young chef in a white jacket, chops onions on a wooden board, steam rising from a pot behind him.",
            "close-up",
        ),
        (
            "Low-angle shot of a young ballerina in a white tutu spinning on a dark stage, then bowing to an empty theater.",
            "A woman",
            "A woman, a young ballerina, in a white tutu, is spinning on a dark stage, then bowing to an empty theater.",
            "low-angle shot",
        ),
        (
            "Wide shot of an old Irish shepherd in a tweed cap leading his sheep across a green hill, then pausing to look at the sea.",
            "A man",
            "A man, an old Irish shepherd in a tweed cap, leads his sheep across a green hill, then pauses to look at the sea.",
            "wide shot",
        ),
        (
            "Close-up of a young man in a denim jacket tuning a guitar on a porch, then strumming a chord.",
            "A man",
            "A man, young, in a denim jacket, is tuning a guitar on a porch, then strumming a chord.",
            "close-up",
        ),
    ],
)
def test_a_shot_of_a_person_opens_with_the_person_and_keeps_the_shot(rule, text, subject, opening, later):
    out = rule.decouple(text, subject=subject)
    assert out.temporal.startswith(opening), out.temporal
    assert later in out.temporal and "is in view" not in out.temporal, out.temporal


# --- adverbs and merged sentences ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject", "expected"),
    [
        ("A young girl in a blue dress slowly turns around and smiles.", "A woman", "A woman, a young girl in a blue dress, slowly turns around and smiles."),
        (
            "A tall man in a grey suit first checks his watch, then hurries across the street.",
            "A man",
            "A man, tall, in a grey suit, first checks his watch, then hurries across the street.",
        ),
        ("A boy in a red cap quickly grabs the ball and runs.", "A man", "A man, a boy in a red cap, quickly grabs the ball and runs."),
        ("An old woman with a cane carefully steps off the bus.", "A woman", "A woman, old, with a cane, carefully steps off the bus."),
    ],
)
def test_an_adverb_before_the_verb_stays_with_the_verb(rule, text, subject, expected):
    assert rule.decouple(text, subject=subject).temporal == expected


@pytest.mark.parametrize(
    ("text", "subject", "expected"),
    [
        (
            "A woman who appears to be in her thirties is seen sitting at a cafe table. She is wearing a green sweater and reading a newspaper.",
            "A woman",
            "A woman in her thirties sits at a cafe table. She is wearing a green sweater and reading a newspaper.",
        ),
        (
            "an old man who looks to be in his seventies is seen standing at a bus stop. He is holding a paper bag of groceries.",
            "A man",
            "A man, old, in his seventies, stands at a bus stop. He is holding a paper bag of groceries.",
        ),
        (
            "A man who appears to be in his fifties is seen walking along a pier. He is wearing a navy peacoat.",
            "A man",
            "A man in his fifties walks along a pier. He is wearing a navy peacoat.",
        ),
        (
            "A girl who seems to be in her twenties is seen standing by a fence. She is holding a kitten.",
            "A woman",
            "A woman, a girl, in her twenties, stands by a fence. She is holding a kitten.",
        ),
    ],
)
def test_a_seen_doing_opening_keeps_its_verb_and_the_next_sentence_its_own(rule, text, subject, expected):
    assert rule.decouple(text, subject=subject).temporal == expected


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        (
            "Woman hanging laundry on a flat roof at noon, Lisbon skyline behind",
            "A woman",
            "A woman hangs laundry on a flat roof at noon, the Lisbon skyline behind.",
        ),
        (
            "goat herder, steep hillside, wooden crook, grey wool cloak, morning haze",
            "A man",
            "A man, a goat herder in a grey wool cloak, with a wooden crook, is on a steep hillside in morning haze.",
        ),
    ],
)
def test_tag_with_a_place_adverb_or_haze(rule, prompt, subject, expected):
    assert rule.decouple(prompt, subject).temporal == expected
