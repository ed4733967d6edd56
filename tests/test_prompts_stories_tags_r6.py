"""The keyframe of a story and of a tag list (issue 28, point 1). A story names its person, tells
their history, then calls them by what they are ("the old baker") as the first moment begins: the
keyframe shows that person, where the history put them, and no later sentence of deeds. A tag
list keeps every tag in its own words, each read alone ("harbour", "sparks" are things; a
"rocking chair" is a seat, not an action). Prompts written for these tests."""

from __future__ import annotations

import pytest


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


def temporal(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).temporal


@pytest.mark.parametrize(
    ("prompt", "subject", "opener"),
    [
        (
            "Rafael had fished the same bay for thirty years. At dawn the grey-bearded fisherman pushed his small blue boat off the pebbles and rowed out.",
            "A man",
            "A man as a grey-bearded fisherman, ",
        ),
        (
            "Kenji had repaired clocks since he was twenty. That afternoon the elderly watchmaker put on his loupe and opened a gold pocket watch.",
            "A man",
            "A man as an elderly watchmaker, ",
        ),
        (
            "Dmitri had taught piano for half his life. That evening the gray-haired teacher sat down at the grand piano, opened the lid and played a waltz.",
            "A man",
            "A man as a gray-haired teacher, ",
        ),
        (
            "Aiko had sold flowers at the station for years. One spring morning the young florist set out her buckets of tulips and tied a bouquet.",
            "A woman",
            "A woman as a young florist, ",
        ),
        (
            "Hamid had baked bread for thirty years. Before dawn the old baker tied his apron, shaped the dough and slid it into the clay oven.",
            "A man",
            "A man as an old baker, ",
        ),
    ],
)
def test_the_story_s_word_for_its_person_is_the_keyframe_subject(rule, prompt, subject, opener):
    out = spatial(rule, prompt, subject)
    assert out.startswith(opener), out
    assert " the " + opener.split(" as a")[1].split(",")[0].split(" ", 1)[-1] not in out, out  # no second person "the ... fisherman"


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        ("Tomasz had kept bees on the hillside behind his farmhouse for forty years. That morning the old man lit the smoker.", "A man", "on the hillside"),
        (
            "Bruno had guarded the lighthouse on the cliff for decades. That stormy night the weathered keeper climbed the stairs and lit the lamp.",
            "A man",
            "on the cliff",
        ),
        (
            "Kenji had repaired clocks in his tiny shop for years. That afternoon the elderly watchmaker opened a gold pocket watch.",
            "A man",
            "in his tiny shop",
        ),
        ("Aiko had sold flowers at the station for years. One spring morning the young florist set out her buckets of tulips.", "A woman", "at the station"),
    ],
)
def test_where_the_history_happened_is_where_the_frame_is(rule, prompt, subject, kept):
    assert kept in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        ("Hamid had baked bread for thirty years. Before dawn the old baker tied his apron. He pulled out the first loaf and broke it open.", "A man", "loaf"),
        (
            "Nadia had painted boats for years. That morning she sat on the quay in a straw hat and opened her box. She dipped a brush in paint.",
            "A woman",
            "brush",
        ),
        (
            "Old Sven had carved spoons since boyhood. That winter he sat by the stove and picked up a birch branch. He took out a knife and cut it.",
            "A man",
            "knife",
        ),
        (
            "Lucia had sung in the choir for decades. On Sunday she stood in the front row and opened her hymn book. She lifted a candle and sang.",
            "A woman",
            "candle",
        ),
    ],
)
def test_a_later_sentence_of_the_person_s_deeds_is_no_part_of_the_keyframe(rule, prompt, subject, gone):
    out = spatial(rule, prompt, subject)
    assert gone not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        ("old fisherman, mending nets, harbour, dawn fog, wool sweater", "A man", ["at a harbour", "in dawn fog", "wool sweater"]),
        (
            "blacksmith, hammering a horseshoe, anvil, forge glow, leather apron, sparks",
            "A man",
            ["A man as a blacksmith", "at an anvil", "forge glow", "leather apron"],
        ),
        ("old woman, knitting, rocking chair, fireplace, cozy living room", "A woman", ["on a rocking chair", "by a fireplace", "in a cozy living room"]),
        ("fisherman, fishing rod, wooden pier, sunrise, rain jacket", "A man", ["fishing rod", "on a wooden pier", "at sunrise", "rain jacket"]),
        ("young woman, reading a paperback, park bench, golden hour, yellow raincoat", "A woman", ["at golden hour", "on a park bench", "yellow raincoat"]),
    ],
)
def test_every_tag_is_kept_in_its_own_words(rule, prompt, subject, kept):
    out = spatial(rule, prompt, subject)
    assert all(k in out for k in kept), out


@pytest.mark.parametrize(
    ("prompt", "subject", "said"),
    [
        ("elderly woman, knitting, rocking chair, fireplace, cozy living room", "A woman", "knits on a rocking chair by a fireplace in a cozy living room"),
        ("old woman, sleeping bag, tent, lantern, starry night", "A woman", "with a sleeping bag and a lantern"),
        ("young man, reading a paperback, dining table, candlelight", "A man", "at a dining table"),
        ("woman, reading, window seat, blue hour, knitted sweater", "A woman", "at blue hour"),
        ("teenage boy, rooftop, bright neon signs, hoodie, night", "A man", "amid bright neon signs"),
        ("climber, chalk-covered hands, granite wall, dusk, red helmet", "A man", "chalk-covered hands"),
    ],
)
def test_a_tag_list_becomes_one_sentence_with_each_tag_read_alone(rule, prompt, subject, said):
    out = temporal(rule, prompt, subject)
    assert said in out, out
    assert "," in prompt and prompt not in out, out
