"""Keyframe phrases stay noun phrases (issue 28): a verb the small parser glued to a noun is cut
off ("a lamp lights", "a jacket weaving through"), a thing is said where it is (beneath a
lantern, at one's feet, worn, or in hand), a sound, a later smile or a manner ("with delight")
stays out, and a thing said twice is said once. Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.clausecut import clause_start, join_repeats
from stdt2v.prompts.phrase import DECOR, Phrase


def spatial_of(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # a verbless-looking sentence whose verb the tagger read as a plural noun
        (
            "A young man writes a letter at a narrow table. A brass desk lamp lights his notebook from the side.",
            "A man",
            ["brass desk lamp", "at a narrow table"],
            ["lamp lights", "lights"],
        ),
        # a moving participle after the garment: the garment stays, the motion goes
        ("A courier in a yellow rain jacket weaving through the morning crowd on a wet boulevard.", "A man", ["yellow rain jacket"], ["weaving"]),
        # a sounding participle: never "a speaker humming in hand"
        ("A drummer in a leather vest plays on a small stage, a speaker humming beside him.", "A man", ["leather vest", "on a small stage"], ["humming"]),
        # a body part in the plural before a verb: "fingertips brush" is a clause, not a brush
        ("A jogger in a blue windbreaker runs along the river, her fingertips brush against the railing.", "A woman", ["blue windbreaker"], ["brush"]),
    ],
)
def test_a_clause_inside_a_phrase_is_cut(rule, prompt, subject, kept, gone):
    spatial = spatial_of(rule, prompt, subject)
    assert all(k in spatial for k in kept), spatial
    assert not any(g in spatial for g in gone), spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # standing beneath a lantern is not holding it
        ("A young woman stands beneath a paper lantern in a quiet garden, reading a postcard.", "A woman", ["beneath a paper lantern"], ["lantern in hand"]),
        # sleeves that come with what she wears are worn
        ("A student wears a grey hoodie with long sleeves and reads a book in the library.", "A woman", ["long sleeves"], ["sleeves in hand"]),
        # a thing set down where the input says it is
        (
            "A street musician plays a violin in a plaza, with a worn violin case at his feet.",
            "A man",
            ["a violin in hand", "worn violin case at his feet"],
            ["feet in hand"],
        ),
        # "He was a heavy man with ...": the man is the subject said again, and his clothes are his
        (
            "The old baker kneaded the dough at dawn. He was a heavy man with a flour-dusted apron and round spectacles.",
            "A man",
            ["A man as an old baker", "flour-dusted apron"],
            [],
        ),
        # the tool of the first action, though the parse hangs it on what it touches
        (
            "A nurse in blue scrubs listens to the old man's chest with a stethoscope in a bright clinic.",
            "A woman",
            ["stethoscope in hand"],
            ["stethoscope in a"],
        ),
    ],
)
def test_a_thing_is_said_where_it_is(rule, prompt, subject, kept, gone):
    spatial = spatial_of(rule, prompt, subject)
    assert all(k in spatial for k in kept), spatial
    assert not any(g in spatial for g in gone), spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        # steps after "then" follow the pose, though no finite action verb starts them
        ("An old woman sits on a porch swing, first shelling peas, then folding laundry with a tired smile.", "A woman", ["smile"]),
        ("A hiker sits on a rock, first checking her map, then drinking from a bottle with a satisfied grin.", "A woman", ["grin", "bottle"]),
        # "with delight" says how she laughs; no "delight" to draw
        ("A girl laughs with delight in a sunny meadow.", "A woman", ["delight"]),
        # what a later breath puts in the air
        ("A hiker in a red parka stands on a snowy ridge and exhales a cloud of breath into the cold air.", "A man", ["cloud", "breath"]),
        # what is heard with a sound ("the noise of sirens and distant engines")
        ("A busker sings on a corner at night, the noise of sirens and distant engines filling the street.", "A man", ["engines", "sirens"]),
        # a verb read as a bare plural noun: never "squints nearby"
        ("A fisherman in a knitted cap sits on the pier. He pauses, squints toward the harbor, and lights his pipe.", "A man", ["squints"]),
    ],
)
def test_what_a_still_cannot_show_stays_out(rule, prompt, subject, gone):
    spatial = spatial_of(rule, prompt, subject)
    assert not any(g in spatial for g in gone), spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # a person noun 'in' a thing wears it, though the garment's name is in no list and the parse made the verb its head
        ("A bus driver in a faded denim shirt hums along to the radio while waiting at a red light.", "A man", ["faded denim shirt"], ["hums"]),
        # the same, with a finite verb in a clause that hangs on the sentence ("as the rain drips"): the sentence still has none of its own
        (
            "A bus driver in a faded denim shirt hums along to the radio, tapping the wheel as the rain drips down the windshield.",
            "A man",
            ["faded denim shirt"],
            ["hums"],
        ),
        # the role is said once, in the opening
        (
            "An old fisherman in a yellow oilskin hums along to the radio as the waves slap against the hull.",
            "A man",
            ["A man as an old fisherman, yellow oilskin"],
            ["oilskin, old fisherman"],
        ),
        # the last step of a chain of actions is no face of the first frame
        ("A woman in a grey cardigan kneels by a flower bed, pulling out a weed, shaking off the soil and smiling.", "A woman", ["grey cardigan"], ["smile"]),
        # "strikes a pose": no thing to put nearby
        ("A young dancer strikes a pose in a mirrored studio.", "A woman", ["in a mirrored studio"], ["pose"]),
        # how he dresses is no thing to draw; how the beard is trimmed is part of it
        ("A young man is dressed casually in a hooded sweatshirt and waits at a bus stop.", "A man", ["in a hooded sweatshirt"], ["casually"]),
        ("A barber with a neatly trimmed beard stands in his shop.", "A man", ["neatly trimmed beard"], []),
    ],
)
def test_looks_and_clothes_as_the_first_frame_shows_them(rule, prompt, subject, kept, gone):
    spatial = spatial_of(rule, prompt, subject)
    assert all(k in spatial for k in kept), spatial
    assert not any(g in spatial for g in gone), spatial


def test_a_thing_said_again_with_its_place_is_joined(rule):
    spatial = spatial_of(rule, "A cook stands at the grill under a striped awning, a shower of bright sparks, bright sparks across the pavement.", "A man")
    assert spatial.count("bright sparks") == 1, spatial


def test_join_repeats_merges_the_tail_and_keeps_the_rest():
    phrases = [
        Phrase(DECOR, 3, "shower of orange sparks", "a"),
        Phrase(DECOR, 9, "orange sparks across the stone floor", "b"),
        Phrase(DECOR, 20, "red brick wall", "c"),
    ]
    assert [p.text for p in join_repeats(phrases)] == ["shower of orange sparks across the stone floor", "red brick wall"]
    # words said again without a place after them: both kept (nothing to join)
    phrases = [Phrase(DECOR, 3, "old wooden boat", "a"), Phrase(DECOR, 9, "wooden boat", "b")]
    assert [p.text for p in join_repeats(phrases)] == ["old wooden boat", "wooden boat"]


def test_clause_start_reads_the_shape_not_the_word(nlp):
    doc = nlp("A green desk lamp lights her face from below.")
    assert [t.text for t in doc if clause_start(t)] == ["lights"]
    doc = nlp("Warm fairy lights hang on the wall behind her.")
    assert [t.text for t in doc if clause_start(t)] == ["hang"]  # the plural noun is a noun; its verb starts the clause
    for text, verb in [
        ("A bass player on a dim stage, an amp buzzing beside him.", "buzzing"),  # a sounding participle after its noun
        ("The furnace behind her casts flickering light on the walls.", "casts"),  # "her casts" read as a noun
        ("Her fingertips brush against the petals.", "brush"),  # a plural body part before its verb
    ]:
        assert [t.text for t in nlp(text) if clause_start(t)] == [verb], text
    doc = nlp("A jeweler grips a pair of pliers holding a tiny silver ring over his workbench.")
    assert not clause_start(doc[11]) and doc[11].text == "ring"  # it ends in -ing but is no participle


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        # one walks on a frozen lake and swims in one
        ("An old man in a fur hat walks across a frozen lake at noon.", "A man", ["on a frozen lake"]),
        ("A young woman swims across a calm lake at dawn.", "A woman", ["in a calm lake"]),
    ],
)
def test_a_crossed_water_is_under_the_subject_unless_they_swim(rule, prompt, subject, kept):
    spatial = spatial_of(rule, prompt, subject)
    assert all(k in spatial for k in kept), spatial
