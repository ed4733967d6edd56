"""The keyframe holds no garbled fragment, finite verb, sound or smell, or later state (issue 28,
points 1 and 3): each phrase is anchored in the input's parse (stillanchor), and the
``spatial_whole_and_still`` self-check flags what still leaks. Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.stillcheck import still_leaks


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "pose", "verb"),
    [
        ("A beekeeper in a white veil crouches beside a stack of hives as bees drift around him.", "A man", "crouching beside a stack of hives", "crouches"),
        ("A welder in a leather apron crouches beside a steel beam in a dark shipyard.", "A man", "crouching beside a steel beam", "crouches"),
        ("A hiker in a red parka kneels on a rocky ledge above the valley.", "A woman", "kneeling on a rocky ledge", "kneels"),
        (
            "A farmer with a sunburned face and a straw hat, a faint smile on his lips, crouches beside a wooden fence in a wheat field at noon.",
            "A man",
            "crouching beside a wooden fence",
            "crouches",
        ),
    ],
)
def test_a_pose_verb_read_as_a_noun_is_said_with_its_participle(rule, prompt, subject, pose, verb):
    out = spatial(rule, prompt, subject)
    assert pose in out and verb not in out, out
    assert "veil crouches" not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        (
            "A violinist in a black velvet gown stands on a dim stage, rain taps on the tall windows behind her, and she draws her bow across the strings.",
            "A woman",
            "rain on the tall windows",
            ", on the tall windows",
        ),
        (
            "A man in a flannel shirt sits in his truck as wipers squeak across the windshield and neon signs reflect in the puddles.",
            "A man",
            "sitting in his truck",
            "windshield and neon",
        ),
        (
            "A woman in a gray coat waits by a taxi as horns blare down the avenue and shop lights blink in the fog.",
            "A woman",
            "gray coat",
            "avenue and shop lights",
        ),
        (
            "Handheld shot, 3 a.m. A taxi driver with a silver nose ring waits in her cab on a rain-soaked street, wipers squeak across the windshield and neon signs reflect in the puddles.",
            "A woman",
            "silver nose ring",
            "windshield and neon",
        ),
    ],
)
def test_a_preposition_alone_is_said_with_its_thing_and_a_second_clause_is_cut(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out and gone not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        (
            "A nurse in teal scrubs stands at the window. The sky is a pale lemon yellow above the hills. She turns to the door.",
            "A woman",
            "pale lemon yellow sky",
            ", pale lemon,",
        ),
        (
            "A potter sits at her wheel in a bright studio. At the end she stands up and smiles at the camera.",
            "A woman",
            "sitting at her wheel",
            "standing at the end",
        ),
        ("A chemist in a white coat stands at a bench. At the end of the video she sits on a stool.", "A woman", "standing at a bench", "on a stool"),
        (
            "A mechanic in gray overalls stands by a tractor in a barn. In the end he sits on a crate and wipes his hands.",
            "A man",
            "gray overalls",
            "sitting on a crate",
        ),
    ],
)
def test_a_colour_is_said_with_its_thing_and_a_later_pose_goes(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out and gone not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        ("old man, fisherman getting ready, yellow oilskin, knife on belt, wet dock, gray dawn", "A man", "yellow oilskin", "ready"),
        (
            "A rally driver with a lean, tanned face, cropped black hair and a thin scar, crouches beside a muddy jeep, as the smell of diesel and wet leaves hangs in the air.",
            "A man",
            "muddy jeep",
            "wet leaves",
        ),
        ("A fisherman in a wool cap stands on the dock while the smell of salt and tar hangs over the harbor.", "A man", "wool cap", "tar"),
        ("A baker in a flour-dusted apron kneels beside an oven as the scent of rye and caraway fills the room.", "A woman", "flour-dusted apron", "caraway"),
    ],
)
def test_a_predicate_word_and_what_a_smell_is_of_are_left_out(rule, prompt, subject, kept, gone):
    out = spatial(rule, prompt, subject)
    assert kept in out and gone not in out, out


@pytest.mark.parametrize(
    ("spatial_prompt", "flagged"),
    [
        ("A man, white veil crouches, stack of hives, medium shot", ["white veil crouches"]),
        ("A man, crouches beside a dusty car, medium shot", ["crouches beside a dusty car"]),
        ("A woman, at night, light drizzle falls, medium shot", ["light drizzle falls"]),
        ("A man, the smell of petrol, medium shot", ["the smell of petrol"]),
        ("A woman, then kneeling in the soil, medium shot", ["then kneeling in the soil"]),
    ],
)
def test_the_self_check_flags_a_verb_a_smell_or_a_later_moment(nlp, spatial_prompt, flagged):
    assert still_leaks(nlp, spatial_prompt) == flagged


@pytest.mark.parametrize(
    "spatial_prompt",
    [
        "A woman, bright neon holds, climbing gym, medium shot",
        "A woman, standing at the end of the pier, gulls overhead, glass bangles, medium shot",
        "A man, rain on the window, dust particles, medium shot",
        "A man, city lights, bees around him, medium shot",
    ],
)
def test_the_self_check_leaves_whole_still_phrases_alone(nlp, spatial_prompt):
    assert still_leaks(nlp, spatial_prompt) == []
