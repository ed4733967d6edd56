"""Tag lists and camera headers said as clean prose in the temporal prompt (issue 28, point 2; set 10's
rating, items 5, 10, 11, 17, 19, 24, 29): each item of a list is read by its own shape and said in its
slot (an age as "in her thirties", a nationality as an adjective of the person, a camera move as the
camera's own sentence, a thing with its own participle or place as a phrase after the verb, a worn
mass noun with no article); a cinematic header's light is said in the person's clause, its camera move
as a sentence, its framing before the camera moves. Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.headrun import moves_said
from stdt2v.prompts.style import closing_sentence
from stdt2v.prompts.tagsort import camera_sentence


def temporal(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).temporal


@pytest.mark.parametrize(
    ("prompt", "subject", "temporal_text"),
    [
        (
            "carpenter, late forties, sawing a plank, dusty workshop, afternoon light",
            "A man",
            "A man, a carpenter, in his late forties, saws a plank in a dusty workshop in afternoon light.",
        ),
        (
            "mechanic, fifties, grease-stained overalls, fixing an engine, garage, fluorescent light",
            "A man",
            "A man, a mechanic, in his fifties wearing grease-stained overalls, fixes an engine in a garage in fluorescent light.",
        ),
        (
            "violinist, mid-twenties, black dress, playing on a stage, spotlight",
            "A woman",
            "A woman, a violinist, in her mid-twenties wearing a black dress, is playing on a stage in spotlight.",
        ),
        (
            "weaver, Peruvian, working a loom, mountain village, clear morning",
            "A woman",
            "A woman, a Peruvian weaver, works a loom in a mountain village on a clear morning.",
        ),
        ("fisherman, Vietnamese, casting a net, river delta, dawn", "A man", "A man, a Vietnamese fisherman, casts a net in a river delta at dawn."),
        ("potter, Moroccan, shaping a vase, sunny courtyard", "A woman", "A woman, a Moroccan potter, shapes a vase in a sunny courtyard."),
        ("drummer, Cuban, playing congas, street corner, sunset", "A man", "A man, a Cuban drummer, plays congas at a street corner at sunset."),
    ],
)
def test_an_age_or_a_nationality_alone_is_said_of_the_person(rule, prompt, subject, temporal_text):
    """'thirties' → 'in her thirties' (never 'amid thirties'); 'Peruvian' alone → 'a Peruvian weaver' (never a second person or 'in Peruvian')."""
    assert temporal(rule, prompt, subject) == temporal_text


@pytest.mark.parametrize(
    ("prompt", "subject", "move"),
    [
        ("painter, linen smock, painting a canvas, riverbank, golden hour, slow push-in", "A woman", "The camera slowly pushes in."),
        ("gardener, straw hat, pruning roses, walled garden, morning, slow pan right", "A man", "The camera slowly pans to the right."),
        ("archer, green cloak, drawing a bow, misty forest, dawn, gentle dolly-in", "A woman", "The camera gently dollies in."),
        ("sailor, yellow raincoat, tying a rope, harbor, overcast, slow zoom out", "A man", "The camera slowly zooms out."),
    ],
)
def test_a_camera_move_in_a_list_is_the_cameras_sentence(rule, prompt, subject, move):
    said = temporal(rule, prompt, subject)
    assert said.endswith(move)
    assert said.count(".") == 2 and " with " not in said  # one sentence for the person, one for the camera; never "with a slow push-in"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("slow push-in", "The camera slowly pushes in."),
        ("dolly-in", "The camera dollies in."),
        ("slow pan left", "The camera slowly pans to the left."),
        ("slow orbit around him", "The camera slowly orbits around him."),
        ("tilt up", "The camera tilts up."),
        ("frying pan", None),
        ("pan", None),
        ("crane", None),
    ],
)
def test_camera_sentence(text, sentence):
    assert camera_sentence(text) == sentence


@pytest.mark.parametrize(
    ("prompt", "subject", "temporal_text"),
    [
        (
            "writer, wool sweater, typing on a laptop, cozy cabin, evening, candle flickering",
            "A woman",
            "A woman, a writer in a wool sweater, is typing on a laptop in a cozy cabin in the evening, a candle flickering.",
        ),
        (
            "grocer, green apron, stacking apples, market stall, radio playing",
            "A man",
            "A man, a grocer in a green apron, stacks apples at a market stall, a radio playing.",
        ),
        (
            "student, denim jacket, reading a book, quiet library, lamp glowing",
            "A woman",
            "A woman, a student in a denim jacket, reads a book in a quiet library, a lamp glowing.",
        ),
        (
            "cook, towel on shoulder, stirring a pot, busy kitchen, steam in background",
            "A man",
            "A man, a cook, with towel on his shoulder, stirs a pot in a busy kitchen, steam in the background.",
        ),
        (
            "nurse, badge on collar, checking a chart, hospital ward, night",
            "A woman",
            "A woman, a nurse with a badge on her collar, checks a chart in a hospital ward at night.",
        ),
        (
            "hiker, map in pocket, climbing a trail, rocky ridge, noon, clouds in distance",
            "A woman",
            "A woman, a hiker, with a map in her pocket, climbs a trail on a rocky ridge at noon, clouds in the distance.",
        ),
    ],
)
def test_a_thing_with_its_own_participle_or_place_is_a_phrase_after_the_verb(rule, prompt, subject, temporal_text):
    """'radio playing' is no thing held ('with a radio playing'); 'steam in background' takes 'the', 'map in pocket' the person's 'her'."""
    assert temporal(rule, prompt, subject) == temporal_text


@pytest.mark.parametrize(
    ("prompt", "subject", "worn", "place"),
    [
        ("welder, welding gear, joining steel beams, shipyard, night", "A man", "in welding gear", "in a shipyard"),
        ("knight, silver armor, holding a sword, castle courtyard, dusk", "A woman", "in silver armor", "in a castle courtyard"),
        ("climber, climbing gear, scaling a wall, indoor gym, bright light", "A man", "in climbing gear", "in an indoor gym"),
        ("diver, diving gear, sitting on a boat, open sea, noon", "A woman", "in diving gear", "on a boat"),
    ],
)
def test_a_worn_mass_noun_takes_no_article(rule, prompt, subject, worn, place):
    said = temporal(rule, prompt, subject)
    assert worn in said and place in said
    assert " a " + worn.split(" ", 1)[1] not in said  # never "in a welding gear"


@pytest.mark.parametrize(
    ("prompt", "subject", "phrase"),
    [
        ("farmer, overalls, leaning on wooden fence, wheat field, sunset", "A man", "leans on a wooden fence"),
        ("teacher, cardigan, standing at classroom whiteboard, school, morning", "A woman", "stands at a classroom whiteboard"),
        ("waiter, white shirt, walking toward camera, busy cafe, noon", "A man", "walks toward the camera"),
        ("florist, apron, sitting on park bench, city park, afternoon", "A woman", "sits on a park bench"),
    ],
)
def test_a_bare_place_after_an_actions_preposition_takes_its_article(rule, prompt, subject, phrase):
    assert phrase in temporal(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "clause"),
    [
        (
            "Close-up, soft morning light, an old clockmaker leans over his bench, turning a tiny screw. The camera slowly pulls back to show the ticking clocks.",
            "A man",
            "leans over his bench in soft morning light, turning a tiny screw.",
        ),
        (
            "Wide shot, golden hour, a young rider walks her horse along a sandy beach, the surf rolling in. The camera tracks beside her.",
            "A woman",
            "walks her horse along a sandy beach at golden hour, the surf rolling in.",
        ),
        (
            "Medium shot, warm candlelight, a monk copies a manuscript at a stone desk, his quill scratching. Slow dolly-in, muted tones.",
            "A man",
            "copies a manuscript at a stone desk in warm candlelight, his quill scratching.",
        ),
        (
            "Slow push-in, cold blue light, a swimmer sits on the edge of an empty pool, dripping. Grainy film look.",
            "A woman",
            "sits on the edge of an empty pool in cold blue light, dripping.",
        ),
    ],
)
def test_a_headers_light_is_said_in_the_persons_clause(rule, prompt, subject, clause):
    said = temporal(rule, prompt, subject)
    assert clause in said
    light = clause.split(" in ")[-1].split(",")[0] if " in " in clause else "golden hour"
    assert said.count(light) == 1  # said once, in the clause, never tacked on after the action


@pytest.mark.parametrize(
    ("prompt", "subject", "order"),
    [
        (
            "Close-up, soft morning light, an old clockmaker leans over his bench, turning a tiny screw. The camera slowly pulls back to show the ticking clocks.",
            "A man",
            ["turning a tiny screw", "The shot frames him in a close-up.", "The camera slowly pulls back"],
        ),
        (
            "Wide shot, golden hour, a young rider walks her horse along a sandy beach, the surf rolling in. The camera tracks beside her.",
            "A woman",
            ["the surf rolling in", "The camera frames her in a wide shot.", "The camera tracks beside her"],
        ),
        (
            "Medium shot, warm candlelight, a monk copies a manuscript at a stone desk, his quill scratching. Slow dolly-in, muted tones.",
            "A man",
            ["his quill scratching", "The camera frames him in a medium shot.", "The camera slowly dollies in.", "Muted tones."],
        ),
        (
            "Slow push-in, cold blue light, a swimmer sits on the edge of an empty pool, dripping. Grainy film look.",
            "A woman",
            ["dripping.", "The camera slowly pushes in.", "Grainy film look."],
        ),
    ],
)
def test_a_headers_framing_and_move_come_before_the_moves_and_style_they_precede(rule, prompt, subject, order):
    said = temporal(rule, prompt, subject)
    places = [said.find(x) for x in order]
    assert -1 not in places and places == sorted(places), said


@pytest.mark.parametrize(
    ("temporal_text", "style", "said", "kept"),
    [
        ("A man plays a cello, slow orbit around him.", [], "A man plays a cello. The camera slowly orbits around him.", []),
        ("A woman reads.", ["Slow push-in, soft grain."], "A woman reads. The camera slowly pushes in.", ["Soft grain."]),
        ("A man rows a boat. Slow zoom out, misty light.", [], "A man rows a boat. The camera slowly zooms out. Misty light.", []),
        ("A woman bakes bread, humming.", ["Warm tones."], "A woman bakes bread, humming.", ["Warm tones."]),
        ("Slow push-in toward her face, which shows relief.", [], "Slow push-in toward her face, which shows relief.", []),
    ],
)
def test_moves_said(temporal_text, style, said, kept):
    assert moves_said(temporal_text, style) == (said, kept)


@pytest.mark.parametrize(
    ("temporal_text", "said"),
    [
        (
            "A man smokes. Slow dolly-in toward his face as he exhales, the hum of the city filling the air.",
            "A man smokes. The camera slowly dollies in toward his face as he exhales, the hum of the city filling the air.",
        ),
        (
            "A woman waits. Slow push-in toward her face as she looks up, her breath fogging in the cold.",
            "A woman waits. The camera slowly pushes in toward her face as she looks up, her breath fogging in the cold.",
        ),
        (
            "A man rows. Slow zoom out over the lake, a heron lifting off the reeds.",
            "A man rows. The camera slowly zooms out over the lake, a heron lifting off the reeds.",
        ),
        (
            "A woman sings. Slow orbit around her, the crowd swaying below.",
            "A woman sings. The camera slowly orbits around her, the crowd swaying below.",
        ),
    ],
)
def test_an_absolute_after_a_leading_move_stays_on_the_moves_sentence(temporal_text, said):
    assert moves_said(temporal_text, [])[0] == said


@pytest.mark.parametrize(
    ("style", "obj", "said"),
    [
        (["Full body shot."], "him", "The camera frames him in a full body shot."),
        (["Low-angle shot."], "her", "The camera frames her in a low-angle shot."),
        (["Close-up."], "her", "The shot frames her in a close-up."),
        (["Medium close-up."], "him", "The shot frames him in a medium close-up."),
    ],
)
def test_a_framing_named_as_a_shot_is_framed_by_the_camera(style, obj, said):
    assert closing_sentence(style, obj) == said
