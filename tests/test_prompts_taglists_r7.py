"""Tag-list prompts (issue 28, set 9's rating): a list that names the person plainly and by trade
("middle-aged Korean man, street food vendor, grilling skewers, ...") becomes one clean sentence with a
finite verb, the trade merged with the person's looks; the keyframe keeps the trade, the clothing and
the place. Each item is read alone where the whole list's parse misreads it: an -ing verb taken for
an adjective, a trade the lexicon lacks ("welder"), an age ("40s", "12"), a thing with where it is
("rain on the skylight", "henna on hands"). Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.tags import tags_as_prose


def decoupled(rule, prompt: str, subject: str):
    return rule.decouple(prompt, subject=subject)


# A plain person and a trade: one person, the trade taking the plain noun's place among its looks.
@pytest.mark.parametrize(
    ("prompt", "subject", "temporal"),
    [
        (
            "elderly Peruvian man, weaver, working a backstrap loom, mountain village, alpaca wool poncho, bright textiles, clear morning",
            "A man",
            "A man, an elderly Peruvian weaver in an alpaca wool poncho, works a backstrap loom in a mountain village amid bright textiles on a clear morning.",
        ),
        (
            "young Korean woman, barista, pouring latte art, cozy cafe, black apron, round glasses, warm window light",
            "A woman",
            "A woman, a young Korean barista in a black apron and round glasses, pours latte art in a cozy cafe in warm window light.",
        ),
        (
            "glassblower, young woman, shaping molten glass, hot workshop, leather apron, safety goggles, orange glow",
            "A woman",
            "A woman, a young glassblower in a leather apron and safety goggles, shapes molten glass in a hot workshop in orange glow.",
        ),
        (
            "tall woman, archer, drawing a bow, autumn forest, leather vest, braided hair, misty morning, 85mm",
            "A woman",
            "A woman, a tall archer in a leather vest, with braided hair, draws a bow in an autumn forest on a misty morning. 85mm.",
        ),
        (
            "young man, drummer, playing drums, small club, black t-shirt, stage lights, handheld camera",
            "A man",
            "A man, a young drummer in a black t-shirt, plays drums at a small club under stage lights. Handheld camera.",
        ),
    ],
)
def test_plain_person_and_trade_become_one_sentence(rule, prompt, subject, temporal):
    out = decoupled(rule, prompt, subject)
    assert out.temporal == temporal
    role = temporal.split(", ")[1].split(" in ")[0]  # "an elderly Peruvian weaver"
    assert out.spatial.startswith(f"{subject} as {role}")


# A trade the lexicon does not list, right beside the plain person ("young man, welder").
@pytest.mark.parametrize(
    ("prompt", "subject", "opening"),
    [
        (
            "young man, welder, welding a steel beam, shipyard, leather gloves, welding mask, sparks flying, night",
            "A man",
            "A man, a young welder in leather gloves",
        ),
        ("Swedish woman, 40s, fisher, hauling a net, rocky shore, orange oilskin jacket, grey sky", "A woman", "A woman, a Swedish fisher"),
        ("woman in her 70s, knitter, knitting a scarf, sunroom, lavender cardigan, reading glasses, cat on lap", "A woman", "A woman, a knitter"),
        ("old man, roofer, nailing shingles, steep roof, tool belt, blue sky", "A man", "A man, an old roofer"),
    ],
)
def test_unlisted_trade_beside_the_person(rule, prompt, subject, opening):
    out = decoupled(rule, prompt, subject)
    assert out.temporal.startswith(opening)
    assert out.spatial.startswith(f"{subject} as {opening.split(', ')[1].split(' in ')[0]}")


# A child stays a child: the trade is said beside the child word, never in its place.
@pytest.mark.parametrize(
    ("prompt", "subject", "temporal"),
    [
        (
            "little boy, football player, kicking a ball, muddy field, striped jersey, rainy afternoon",
            "A man",
            "A man, a little boy, a football player in a striped jersey, kicks a ball on a muddy field on a rainy afternoon.",
        ),
        (
            "young girl, painter, painting a sunflower, garden, straw hat, sunny afternoon",
            "A woman",
            "A woman, a young girl, a painter in a straw hat, paints a sunflower in a garden on a sunny afternoon.",
        ),
        (
            "boy, 12, chess player, moving a knight, school library, blue uniform, afternoon",
            "A man",
            "A man, a 12-year-old boy, a chess player in a blue uniform, moves a knight in a school library in the afternoon.",
        ),
        (
            "teenage boy, drummer, drumming, garage, band t-shirt, fairy lights, night",
            "A man",
            "A man, a teenage boy, a drummer in a band t-shirt, drums in a garage under fairy lights at night.",
        ),
    ],
)
def test_child_keeps_child_word_beside_trade(rule, prompt, subject, temporal):
    out = decoupled(rule, prompt, subject)
    assert out.temporal == temporal
    assert temporal.split(", ")[1] in out.spatial


# An -ing item the whole list's parse took for an adjective or a noun is the verb; a participle
# describing clothing or a thing named by its use is not.
@pytest.mark.parametrize(
    ("prompt", "verb", "kept"),
    [
        ("young Nigerian woman, potter, shaping clay on a wheel, sunlit studio, linen apron", "shapes clay on a wheel", "in a linen apron"),
        ("woman in her 60s, gardener, watering roses, cottage garden, wide-brimmed hat, watering can", "waters roses", "with a watering can"),
        ("middle-aged Brazilian woman, street artist, spray-painting a mural, brick wall, bandana", "is spray-painting a mural", "in a bandana"),
        ("young Mexican woman, dancer, twirling, flowing red skirt, town plaza", "twirls", "in a flowing red skirt"),
    ],
)
def test_action_read_alone(rule, prompt, verb, kept):
    said = tags_as_prose(rule.nlp, prompt, "female")
    assert verb in said and kept in said
    assert said.count(".") == 1  # one sentence, with its finite verb


# A thing and where it is stays in the input's words, after the verb; on the body it is the person's, with the possessive.
@pytest.mark.parametrize(
    ("prompt", "gender", "ending"),
    [
        ("Latina woman, 30s, florist, arranging sunflowers and eucalyptus, small shop, rain on the window", "female", ", rain on the window."),
        ("middle-aged man, carpenter, sanding a table, woodshop, pencil behind ear", "male", "with a pencil behind his ear, sands"),
        (
            "young Indian woman, bride getting ready, red and gold lehenga, jasmine in hair, afternoon",
            "female",
            "in a red and gold lehenga, with jasmine in her hair, gets ready",
        ),
        ("woman, potter, shaping a bowl, studio, rain on the skylight", "female", ", rain on the skylight."),
    ],
)
def test_placed_thing_after_the_verb(rule, prompt, gender, ending):
    said = tags_as_prose(rule.nlp, prompt, gender)
    assert said.endswith(ending) if ending.startswith(",") else ending in said
    assert said.count(".") == 1


# The person said once with age, trade and looks: the set-9 shapes in other words.
@pytest.mark.parametrize(
    ("prompt", "gender", "opening"),
    [
        ("Latina woman, 30s, florist, arranging sunflowers, small shop", "female", "A Latina florist in her 30s arranges sunflowers"),
        ("man in his 40s, beekeeper, holding a honeycomb frame, lavender field", "male", "A beekeeper in his 40s holds a honeycomb frame"),
        (
            "Indian man, 30s, chef, tossing noodles in a wok, busy kitchen, white chef's jacket",
            "male",
            "An Indian chef in his 30s wearing a white chef's jacket tosses",
        ),
        ("nurse, young woman, blue scrubs, hospital corridor, tired smile", "female", "A young nurse"),
    ],
)
def test_person_said_once(rule, prompt, gender, opening):
    said = tags_as_prose(rule.nlp, prompt, gender)
    assert said.startswith(opening)
    assert " woman" not in said and " man " not in said


# Two people, or a real clause, stay as the input gave them.
@pytest.mark.parametrize(
    "prompt",
    [
        "old man, young woman, park bench, feeding pigeons",
        "A fisherman mends his nets on the harbour wall, gulls circling overhead.",
        "woman, man, dancing, ballroom, chandeliers",
        "chef, the kitchen is busy, steam",
    ],
)
def test_left_as_it_is(rule, prompt):
    assert tags_as_prose(rule.nlp, prompt, "female") == prompt


# A verb the whole list's parse made across a comma ("fisherman, | harbor at dawn", "| gulls overhead")
# is no clause in a bare list: the list is still said as one sentence, the where-word kept.
@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        (
            "old sailor, coiling ropes, harbor at dusk, gulls overhead, wool sweater",
            "An old sailor in a wool sweater coils ropes at a harbor at dusk, the gulls overhead.",
        ),
        (
            "young woman, jogger, running, riverside path, pigeons nearby, grey hoodie",
            "A young jogger in a grey hoodie runs on a riverside path, the pigeons nearby.",
        ),
        ("elderly man, angler, casting a line, dock at sunrise, seagulls above", "An elderly angler casts a line on a dock at sunrise, the seagulls above."),
        ("woman, cyclist, riding a bike, harbor at noon, yellow jacket", "A cyclist in a yellow jacket rides a bike at a harbor at noon."),
    ],
)
def test_verb_across_a_comma_is_the_lists_parse(rule, prompt, said):
    assert tags_as_prose(rule.nlp, prompt, "male") == said


def test_prose_with_its_subject_across_a_comma_stays(rule):
    prompt = "A boy with a kite, wind in his hair, runs across the dunes."
    assert tags_as_prose(rule.nlp, prompt, "male") == prompt


# Things that hang overhead are "under", never "amid" (which the keyframe would read as held things).
@pytest.mark.parametrize(
    ("prompt", "said", "kept"),
    [
        ("old man, noodle vendor, stirring a pot, street stall, paper lanterns, night", "under paper lanterns", "A man as an old noodle vendor"),
        ("young woman, violinist, playing violin, ballroom, crystal chandeliers", "under crystal chandeliers", "A woman as a young violinist"),
        ("woman, flower seller, arranging roses, market square, colorful banners, morning", "under colorful banners", "A woman as a flower seller"),
        ("man, drummer, drumming, village square, prayer flags, dusk", "under prayer flags", "A man as a drummer"),
    ],
)
def test_hanging_things_are_overhead(rule, prompt, said, kept):
    subject = "A woman" if prompt.startswith(("woman", "young woman")) else "A man"
    out = decoupled(rule, prompt, subject)
    assert said in out.temporal
    assert out.spatial.startswith(kept)
    assert " in hand" not in out.spatial
