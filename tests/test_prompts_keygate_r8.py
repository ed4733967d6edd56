"""The keyframe's last gate (issue 28, point 1: "no fragments: every phrase is a well-formed noun
phrase or a prepositional phrase attached to one"): each phrase is found again in the input's parse
and kept whole, mended from the input's own words, or dropped (stdt2v/prompts/keygate.py).
Prompts written for these tests."""

from __future__ import annotations

import re

import pytest


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


def phrases(rule, prompt: str, subject: str) -> list[str]:
    return [p.strip() for p in spatial(rule, prompt, subject).split(",")]


@pytest.mark.parametrize(
    ("prompt", "subject", "whole"),
    [
        (
            "The video shows a young woman with several brass eyebrow rings sitting on a park bench. She reads a paperback.",
            "A woman",
            "several brass eyebrow rings",
        ),
        (
            "The video features a young man with a shaved head and several steel ear piercings riding a scooter through a market.",
            "A man",
            "several steel ear piercings",
        ),
        ("The video depicts a young woman with braids and several copper eyebrow rings sitting at a bar counter.", "A woman", "several copper eyebrow rings"),
        (
            "The video shows a young woman with freckles and several gold nose rings sitting on the floor of a record store.",
            "A woman",
            "several gold nose rings",
        ),
    ],
)
def test_a_noun_phrase_cut_before_its_head_takes_the_head_back(rule, prompt, subject, whole):
    # the parse read the head noun ("rings", "piercings") as the sentence's verb; the phrase stopped before it
    out = phrases(rule, prompt, subject)
    assert any(p.endswith(whole) for p in out)
    assert not any(p.endswith(whole.rsplit(" ", 1)[0]) for p in out)


@pytest.mark.parametrize(
    ("prompt", "subject", "detail"),
    [
        (
            "A librarian in a gray vest stands between tall shelves. Behind him, rows of books with cracked spines fill the shelves.",
            "A man",
            "rows of books with cracked spines",
        ),
        (
            "A tailor in a striped vest stands at a cutting table. Behind her, rows of suits with pinned sleeves hang on a rail.",
            "A woman",
            "rows of suits with pinned sleeves",
        ),
        (
            "A young woman sits on the floor of a record store. Shelves of records with faded spines line the walls behind her.",
            "A woman",
            "shelves of records with faded spines",
        ),
        (
            "The video captures a gardener on a rooftop. She has short gray hair, wears a faded denim shirt with rolled-up sleeves and a pair of canvas gloves, "
            "and is kneeling between raised beds.",
            "A woman",
            "faded denim shirt with rolled-up sleeves",
        ),
        (
            "A clockmaker in a leather apron stands behind his counter. Behind him, dozens of wall clocks with painted faces tick in unison.",
            "A man",
            "dozens of wall clocks with painted faces",
        ),
    ],
)
def test_a_things_own_detail_goes_back_onto_the_thing(rule, prompt, subject, detail):
    out = phrases(rule, prompt, subject)
    assert detail in out
    said_alone = detail.rsplit(" with ", 1)[1]
    assert said_alone not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        ("A woman in a black leotard stretches at the barre, the camera gliding beside her at knee height.", "A woman", "knee height"),
        ("A farmer in a straw hat walks through a wheat field, the camera drifting beside him at chest height.", "A man", "chest height"),
        ("A boxer shadowboxes in a dim gym, the camera gliding beside him at shoulder height.", "A man", "shoulder height"),
        (
            "A bearded fisherman in a yellow oilskin hauls a net at dawn, gulls circling overhead, the camera drifting past at deck height.",
            "A man",
            "deck height",
        ),
    ],
)
def test_where_the_camera_is_is_no_keyframe_phrase(rule, prompt, subject, gone):
    assert gone not in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "seen"),
    [
        ("A student in a blazer sits at a desk, frowning at the blank page.", "A man", "blank page"),
        ("A woman in a parka kneels in the snow, peering at the frozen lake.", "A woman", "frozen lake"),
        ("A singer in a sequined dress stands on a small stage, smiling at the empty seats.", "A woman", "empty seats"),
        ("A tired janitor in a gray uniform leans on his mop in a school hallway, glaring at the broken vending machine.", "A man", "broken vending machine"),
    ],
)
def test_what_a_look_is_aimed_at_stays_as_a_thing_not_a_dangling_phrase(rule, prompt, subject, seen):
    out = phrases(rule, prompt, subject)
    assert seen in out
    assert not any(p.startswith("at ") and p.endswith(seen) for p in out)


@pytest.mark.parametrize(
    ("prompt", "subject", "mended"),
    [
        ("welder, forties, leather gloves, leaning on steel beam, shipyard, night", "A man", "leaning on a steel beam"),
        ("barista, twenties, green apron, standing by espresso machine, cafe, morning", "A woman", "standing by an espresso machine"),
        ("painter, thirties, paint-splattered smock, standing at wooden easel, studio, afternoon", "A woman", "standing at a wooden easel"),
        ("courier, twenties, yellow jacket, sitting on wooden crate, alley, night", "A woman", "sitting on a wooden crate"),
    ],
)
def test_a_tag_lists_bare_noun_after_a_preposition_takes_its_article(rule, prompt, subject, mended):
    assert mended in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        (
            "Marta has baked bread in the same brick oven for decades. This morning she pulls a loaf out and sets it on the counter.",
            "A woman",
            "brick oven",
            "same",
        ),
        ("Tom has repaired shoes at the same workbench since 1980. Now he sits at it and hammers a heel.", "A man", "at the workbench", "same"),
        ("The video depicts a man with a goatee in the same blue overalls he wore yesterday, standing by a tractor.", "A man", "blue overalls", "same"),
        (
            "Mei has sold dumplings from the same corner cart in Taipei for thirty years. This evening she lifts the lid of a steamer.",
            "A woman",
            "Taipei",
            "same",
        ),
    ],
)
def test_the_same_thing_of_a_story_is_said_as_the_thing(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out
    assert re.search(rf"\b{gone}\b", out) is None, out


def test_a_manner_phrase_alone_is_dropped(rule):
    out = phrases(
        rule, "A clockmaker in a leather apron stands behind his counter. Behind him, dozens of wall clocks with painted faces tick in unison.", "A man"
    )
    assert "in unison" not in out


def test_style_and_framing_pass_the_gate_as_they_are(rule):
    out = spatial(rule, "A potter in an indigo jacket kneels at a kick wheel in a wooden studio. 35mm, film grain, shallow depth of field.", "A man")
    assert out.endswith("35mm, film grain, shallow depth of field, medium shot")
    assert "kneeling at a kick wheel" in out


def gate(rule, text: str, parts: list[str]) -> list[str]:
    from stdt2v.prompts.keygate import gate_phrases

    return gate_phrases(rule.nlp, rule.nlp(text), ["A person", *parts, "medium shot"], {"A person", "medium shot"})[1:-1]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("A woman in a straw hat bargains with a spice seller in a souk.", "spice seller in hand"),
        ("A man in a cap haggles with a street merchant in a bazaar.", "street merchant in hand"),
        ("A woman argues with a taxi driver on a busy corner.", "taxi driver in hand"),
        ("A man chats with a flower vendor at a stall.", "flower vendor in hand"),
    ],
)
def test_a_person_is_nothing_to_hold(rule, text, phrase):
    assert gate(rule, text, [phrase]) == []


@pytest.mark.parametrize(
    ("text", "phrase", "held", "worn"),
    [
        ("A skater, teens, carrying a skateboard, gray hoodie, empty plaza, dusk", "a skateboard gray hoodie in hand", "a skateboard in hand", "gray hoodie"),
        ("A climber, carrying a coiled rope, orange helmet, granite wall", "a coiled rope orange helmet in hand", "a coiled rope in hand", "orange helmet"),
        ("A fisherman, carrying a tackle box, green waders, river bank", "a tackle box green waders in hand", "a tackle box in hand", "green waders"),
        ("A nurse, carrying a clipboard, blue scrubs, hospital hallway", "a clipboard blue scrubs in hand", "a clipboard in hand", "blue scrubs"),
    ],
)
def test_two_tags_run_together_in_hand_are_said_apart(rule, text, phrase, held, worn):
    assert gate(rule, text, [phrase]) == [held, worn]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("He crouches to inspect the ground and brush aside the dry leaves with his fingers.", "a ground and brush in hand"),
        ("An editor sits in a dark room while the screen in front of her displays a film timeline.", "in front of her displays"),
        ("A trader sits at a desk while the monitor in front of him displays a stock chart.", "in front of him displays"),
        ("She kneels to check the soil and rake away the fallen petals.", "a soil and rake in hand"),
    ],
)
def test_a_phrase_ending_on_a_verb_the_parse_read_as_a_noun_is_dropped(rule, text, phrase):
    assert gate(rule, text, [phrase]) == []
