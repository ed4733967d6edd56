"""The keyframe keeps the place, the light and the time of day (issue 28, point 1): a place noun no
word list names, said with its preposition; a path crossed said as the ground it crosses; a light
said with its verb kept with where it falls, never as a clause; a light in a header kept; the time
and light of a shot-led header kept. Prompts written for these tests."""

from __future__ import annotations

import re

import pytest


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("A woman working in a flooded rice paddy under a grey sky.", "A woman", "in a flooded rice paddy"),
        ("An old man mends a fishing net in a cramped boat shed.", "A man", "in a cramped boat shed"),
        ("A young woman stretches in a sunlit attic loft, barefoot on a mat.", "A woman", "in a sunlit attic loft"),
        ("A teenage boy fixes a bicycle chain at a dusty roadside stall.", "A man", "at a dusty roadside stall"),
    ],
)
def test_a_place_no_list_names_is_kept_with_its_preposition(rule, prompt, subject, place):
    out = spatial(rule, prompt, subject)
    assert place in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("Boy chasing a paper kite across a windy salt flat at sunset", "A man", "on a windy salt flat"),
        ("A man in a parka walks his dog across a snowy footbridge at night.", "A man", "on a snowy footbridge"),
        ("Girl pulling a red sled across a frozen cranberry bog", "A woman", "on a frozen cranberry bog"),
        ("A rider leads her pony across a muddy paddock in the rain.", "A woman", "on a muddy paddock"),
    ],
)
def test_a_path_across_an_unnamed_ground_is_the_ground_it_crosses(rule, prompt, subject, place):
    out = spatial(rule, prompt, subject)
    assert place in out and "across" not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "light", "never"),
    [
        (
            "A nurse in scrubs reads a chart in a hospital corridor as pale morning light falls through the blinds.",
            "A woman",
            "pale morning light through the blinds",
            "as pale",
        ),
        (
            "Standing at a potter's wheel, she trims a bowl as late-morning sun slants through a dusty window.",
            "A woman",
            "late-morning sun through a dusty window",
            "in the dusty window",
        ),
        (
            "A man reads a newspaper at a kitchen table. Warm afternoon light pours through tall windows.",
            "A man",
            "warm afternoon light through tall windows",
            "pours",
        ),
        ("An old tailor sews a button onto a coat while soft lamplight spills across the workbench.", "A man", "soft lamplight across the workbench", "spills"),
    ],
)
def test_a_light_with_its_verb_is_kept_with_where_it_falls(rule, prompt, subject, light, never):
    out = spatial(rule, prompt, subject)
    assert light in out and never not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "light"),
    [
        ("A glassblower turns a pipe at the furnace. Slow push-in, 50mm, warm furnace glow.", "A man", "warm furnace glow"),
        ("A baker shapes dough at a floured counter. Handheld, 35mm, soft window light.", "A man", "soft window light"),
        ("A girl reads under a blanket fort. Static shot, dim flashlight glow.", "A woman", "dim flashlight glow"),
        ("A monk sweeps a temple courtyard. Wide shot, 24mm, pale dawn light.", "A man", "pale dawn light"),
    ],
)
def test_a_light_in_a_verbless_camera_sentence_is_kept(rule, prompt, subject, light):
    out = spatial(rule, prompt, subject)
    assert light in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        (
            "Tracking shot from the aisle, night, sodium streetlights: a young man sits on a crowded bus, reading a book.",
            "A man",
            ["at night", "sodium streetlights"],
        ),
        ("Tracking shot, dusk, neon glow: a woman walks a bicycle down a wet alley.", "A woman", ["at dusk", "neon glow"]),
        (
            "Tracking shot from behind, late afternoon, warm backlight: an old fisherman coils a rope on a pier.",
            "A man",
            ["in the late afternoon", "warm backlight"],
        ),
        ("Tracking shot, golden hour: a young woman rides a horse along a beach.", "A woman", ["at golden hour"]),
    ],
)
def test_the_time_and_light_of_a_shot_led_header_stay(rule, prompt, subject, kept):
    out = spatial(rule, prompt, subject)
    assert all(k in out for k in kept) and "tracking" not in out.lower().split(",")[0], out


@pytest.mark.parametrize(
    ("prompt", "subject", "kept"),
    [
        ("An old man sits on a bench by a canal. The far bank can be seen, softened by thick fog.", "A man", "thick fog"),
        ("A girl builds a snowman in a yard. The houses behind her are blurred by light snowfall.", "A woman", "light snowfall"),
        ("A farmer checks the fence of a field. The light is grey and soft, typical of a rainy autumn afternoon.", "A man", "on a rainy autumn afternoon"),
        ("A woman waits at a bus stop. The street is quiet, typical of a Sunday morning.", "A woman", "on a Sunday morning"),
    ],
)
def test_the_weather_or_time_a_describing_phrase_names_is_kept(rule, prompt, subject, kept):
    out = spatial(rule, prompt, subject)
    assert kept in out and "typical" not in out and "blurred" not in out, out


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("dusk", "at dusk"),
        ("early morning", "in the early morning"),
        ("golden hour", "at golden hour"),
        ("at dusk", "at dusk"),
        ("the night", "the night"),
        ("film grain", "film grain"),
    ],
)
def test_a_bare_time_is_said_with_its_preposition_once(text, said):
    from stdt2v.prompts.ambient import at_time

    assert at_time(text) == said


@pytest.mark.parametrize(
    ("prompt", "subject", "light"),
    [
        ("Slow dolly, soft window light: an elderly woman knits a scarf in her cozy living room.", "A woman", "soft window light"),
        ("Slow pan, cold blue moonlight: a boy sleeps in a bunk bed.", "A man", "cold blue moonlight"),
        ("An old man waters tomatoes in a greenhouse. Slow tilt, hazy morning light.", "A man", "hazy morning light"),
        ("Old man pushing a wheelbarrow through a muddy vineyard at dusk", "A man", "at dusk"),
    ],
)
def test_a_light_beside_a_camera_move_is_kept_once(rule, prompt, subject, light):
    out = spatial(rule, prompt, subject)
    assert light in out and "dolly" not in out and "at at" not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("Female welder in a leather jacket and mask, sparks flying, shipyard at night", "A woman", "a shipyard"),
        ("teenage boy, skateboard, empty parking lot, orange hoodie", "A man", "an empty parking lot"),
        ("young nurse in blue scrubs, tired eyes, quiet hospital corridor at night", "A woman", "a quiet hospital corridor"),
        ("teenage girl, climbing gym, bright neon holds, ponytail", "A woman", "a climbing gym"),
    ],
)
def test_a_place_set_off_as_an_item_is_said_with_its_preposition(rule, prompt, subject, place):
    out = spatial(rule, prompt, subject)
    assert re.search(rf"(?:^|, )(?:in|at|on) {re.escape(place)}(?:,| at)", out), out


@pytest.mark.parametrize(
    ("prompt", "subject", "never"),
    [
        ("A teenage girl lies on her bed, writing in a small diary.", "A woman", "in a small diary"),
        ("An old man sits on a bench, sketching in a leather sketchbook.", "A man", "in a leather sketchbook"),
        ("A woman stands at a bus stop, rummaging in a canvas tote.", "A woman", "in a canvas tote"),
        ("A boy kneels on the floor, drawing in a spiral notebook.", "A man", "in a spiral notebook"),
    ],
)
def test_a_thing_the_hands_work_in_is_no_place(rule, prompt, subject, never):
    out = spatial(rule, prompt, subject)
    assert never not in out, out
