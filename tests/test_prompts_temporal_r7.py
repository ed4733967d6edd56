"""The video prompt's polish after set 9's rating (issue 28, point 2): the person is found when the
parse leaves its head out of every noun chunk or a place word modifies it ('A mountain guide',
'A middle-aged beekeeper'), and a placeholder 'A man is in view.' before them goes; a 'who' hung on
a worn thing is the person's; a past participle joined to a copula's adjective stays ('tired but
determined'); a noun set off after a comma is never a bare verb ('sweat on his brow'); a mood said
as a state (also after a mistyped 'overall') goes; the person's past-perfect history goes; an age
said in a sentence of its own joins the opening; each thing is said once; 'It seems like' goes.
Prompts written for these tests."""

from __future__ import annotations

import pytest


def temporal(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).temporal


@pytest.mark.parametrize(
    ("prompt", "subject", "opening"),
    [
        ("A mountain guide with a red beanie kneels on the ridge to check his rope.", "A man", "A man, a mountain guide"),
        ("A river guide in a life vest steers the raft while she shouts to the crew.", "A woman", "A woman, a river guide"),
        ("A middle-aged beekeeper in a white veil hat lifts a frame from the hive.", "A man", "A man, a middle-aged beekeeper"),
        ("A woman is in view. A glassblower with silver hoop earrings turns a glowing rod in the furnace.", "A woman", "A woman, a glassblower"),
        ("A man in view. A firefighter with soot on his cheeks drags a hose across a smoky hallway.", "A man", "A man, a firefighter"),
    ],
)
def test_person_found_once(rule, prompt: str, subject: str, opening: str) -> None:
    out = temporal(rule, prompt, subject)
    assert out.startswith(opening)
    assert "in view" not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        (
            "The video features a beekeeper in a white hat who lifts a frame from the hive.",
            "A man",
            "A man, a beekeeper in a white hat, lifts a frame from the hive.",
        ),
        (
            "The clip shows a ferry captain in a navy cap who steers the boat into the harbour.",
            "A man",
            "A man, a ferry captain in a navy cap, steers the boat into the harbour.",
        ),
        (
            "The video features a young violinist in a black dress who tunes her violin backstage.",
            "A woman",
            "A woman, a young violinist in a black dress, tunes her violin backstage.",
        ),
        (
            "The video features a tall beekeeper in a white veil hat who lifts a frame from the hive, he appears to be calm and focused.",
            "A man",
            "A man, a tall beekeeper in a white veil hat, lifts a frame from the hive. He is calm and focused.",
        ),
    ],
)
def test_who_after_worn_thing(rule, prompt: str, subject: str, expected: str) -> None:
    assert temporal(rule, prompt, subject) == expected


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "never"),
    [
        ("A cyclist pedals up a steep road. He is tired but determined to reach the top.", "A man", "tired but determined", "determines"),
        ("A nurse checks the chart. She is calm and focused.", "A woman", "calm and focused", "focuses"),
        ("A climber reaches the ledge. She is cold and exhausted.", "A woman", "cold and exhausted", "exhausts"),
        ("A runner crosses the line. He is breathless but relieved.", "A man", "breathless but relieved", "relieves"),
    ],
)
def test_state_after_copula_stays(rule, prompt: str, subject: str, kept: str, never: str) -> None:
    out = temporal(rule, prompt, subject)
    assert kept in out
    assert never not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "never"),
    [
        ("A cyclist in a red jersey pedals up a mountain road, sweat on his brow, the valley below.", "A man", "sweat on his brow", "sweats"),
        ("A muralist climbs the scaffold, paint on her sleeves, the wall behind her.", "A woman", "paint on her sleeves", "paints on"),
        ("A gymnast steps onto the mat, chalk on her palms, the judges watching.", "A woman", "chalk on her palms", "chalks"),
        ("A roofer kneels on the slates and hammers a nail, dust on his knees.", "A man", "dust on his knees", "dusts"),
    ],
)
def test_noun_set_off_is_no_verb(rule, prompt: str, subject: str, kept: str, never: str) -> None:
    out = temporal(rule, prompt, subject)
    assert kept in out
    assert never not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        ("A potter shapes a tall jug at the wheel. The atmosphere is calm and creative.", "A woman", "atmosphere"),
        ("A beekeeper lifts a frame from the hive. The overal mood of the video is peaceful and meditative.", "A man", "mood"),
        ("A drummer counts in the band on a small stage. The mood is festive and warm.", "A man", "mood"),
        ("A weaver pulls the shuttle across the loom. The ovarall atmosphere is quiet.", "A woman", "atmosphere"),
    ],
)
def test_mood_said_as_a_state_goes(rule, prompt: str, subject: str, gone: str) -> None:
    out = temporal(rule, prompt, subject)
    assert gone not in out.lower()
    assert out.count(".") == 1


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        (
            "An elderly clockmaker, who had repaired watches in the same shop for forty years, peers through a loupe at a tiny gear.",
            "A man",
            "A man, an elderly clockmaker, peers through a loupe at a tiny gear.",
        ),
        (
            "A tattoo artist leans over a client's shoulder and traces a rose outline. She had opened the studio after leaving the navy.",
            "A woman",
            "A woman, a tattoo artist, leans over a client's shoulder and traces a rose outline.",
        ),
        (
            "A baker shapes loaves at dawn. He had learned the trade from his grandmother in Lyon.",
            "A man",
            "A man, a baker, shapes loaves at dawn.",
        ),
        (
            "A retired teacher finally opens the letter she had kept in a drawer for years, and reads it by the window.",
            "A woman",
            "A woman, a retired teacher, finally opens the letter, and reads it by the window.",
        ),
    ],
)
def test_past_perfect_history_goes(rule, prompt: str, subject: str, expected: str) -> None:
    assert temporal(rule, prompt, subject) == expected


def test_past_perfect_moment_stays(rule) -> None:
    out = temporal(rule, "A tailor sits down. She had just finished the last stitch when the bell rang.", "A woman")
    assert "the last stitch when the bell rings" in out


@pytest.mark.parametrize(
    ("prompt", "subject", "opening", "never"),
    [
        (
            "A violinist plays on a dim stage. She is in her late forties. She bows at the end.",
            "A woman",
            "A woman, a violinist, in her late forties, plays",
            "She is in",
        ),
        ("A mechanic wipes his hands on a rag. He is in his 50s. He starts the engine.", "A man", "in his 50s, wipes his hands", "He is in"),
        (
            "A sculptor in a dusty smock chisels a block of marble. She is in her early twenties and hums.",
            "A woman",
            "in her early twenties, chisels",
            "She is in",
        ),
        ("A fisherman in a wool cap mends a net. He appears to be in his sixties and whistles a tune.", "A man", "in his sixties, mends a net", "He is in"),
    ],
)
def test_age_sentence_joins_the_opening(rule, prompt: str, subject: str, opening: str, never: str) -> None:
    out = temporal(rule, prompt, subject)
    assert opening in out
    assert never not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        (
            "A chef plates a dessert and wipes the rim of the plate. He then wipes the rim of the plate and steps back.",
            "A man",
            "A man, a chef, plates a dessert and wipes the rim of the plate. He then steps back.",
        ),
        (
            "A chemist writes a note on a label, then holds a tube up to the light. She writes a note on a label.",
            "A woman",
            "A woman, a chemist, writes a note on a label, then holds a tube up to the light.",
        ),
        (
            "A boy glues a fin onto the model rocket, tilting it to inspect his work, tilting it to inspect his work.",
            "A man",
            "A man, a boy, glues a fin onto the model rocket, tilting it to inspect his work.",
        ),
        (
            "A florist trims the stems and ties the bouquet with twine. She then ties the bouquet with twine and hands it over.",
            "A woman",
            "A woman, a florist, trims the stems and ties the bouquet with twine. She then hands it over.",
        ),
    ],
)
def test_said_once(rule, prompt: str, subject: str, expected: str) -> None:
    assert temporal(rule, prompt, subject) == expected


@pytest.mark.parametrize(
    ("prompt", "subject", "sentence"),
    [
        ("A cyclist pedals up a road. It seems like he is tired.", "A man", "He is tired."),
        ("A hiker stops at the fork. It looks as if she is lost.", "A woman", "She is lost."),
        ("A clerk stamps the form. It appears that he is bored.", "A man", "He is bored."),
        ("A dancer waits in the wings. It seems as though she is nervous.", "A woman", "She is nervous."),
    ],
)
def test_it_seems_like_goes(rule, prompt: str, subject: str, sentence: str) -> None:
    out = temporal(rule, prompt, subject)
    assert out.endswith(sentence)
    assert "seem" not in out and "appear" not in out and "looks" not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        (
            "A chemist pours a liquid into a flask. The lighting is cool and even, typical of a laboratory environment, and the hum of fans fills the room.",
            "A woman",
            "The lighting is cool and even, and the hum of fans fills the room.",
            "typical",
        ),
        (
            "A barista steams milk, the counter lined with cups, characteristic of a busy cafe setting.",
            "A man",
            "the counter lined with cups.",
            "characteristic",
        ),
        ("A monk sweeps the courtyard, the tiled roofs glowing, reminiscent of an old temple scene.", "A man", "the tiled roofs glowing.", "reminiscent"),
        (
            "A clerk sorts letters at a wooden desk, evocative of a vintage office aesthetic, and stamps each one.",
            "A woman",
            "at a wooden desk, and stamps each one.",
            "evocative",
        ),
    ],
)
def test_typical_of_aside_goes(rule, prompt: str, subject: str, kept: str, gone: str) -> None:
    out = temporal(rule, prompt, subject)
    assert kept in out
    assert gone not in out


def test_typical_of_a_time_stays(rule) -> None:
    out = temporal(rule, "An angler sits by a hole in the ice. The light is flat and white, typical of an overcast winter afternoon.", "A man")
    assert "typical of an overcast winter afternoon" in out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        ("A chef plates a dish as cooks pass behind him, slightly out of focus.", "A man", "cooks pass behind him, slightly out of focus."),
        (
            "A singer steps to the microphone while the band plays behind her, softly out of focus.",
            "A woman",
            "the band plays behind her, softly out of focus.",
        ),
        ("A runner crosses the line as the crowd cheers behind him, partly in shadow.", "A man", "the crowd cheers behind him, partly in shadow."),
        (
            "A florist wraps a bouquet while customers browse behind her, slightly out of focus.",
            "A woman",
            "customers browse behind her, slightly out of focus.",
        ),
    ],
)
def test_how_things_look_stays_in_their_sentence(rule, prompt: str, subject: str, kept: str) -> None:
    out = temporal(rule, prompt, subject)
    assert kept in out
    assert not out.endswith(("Slightly out of focus.", "Softly out of focus.", "Partly in shadow."))
