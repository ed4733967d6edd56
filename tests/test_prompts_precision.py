"""Issue 28, precision on prompts the rule decoupler was not tuned on: only graspable things in
hand or nearby, framing only from a shot phrase, no past-tense motion in the keyframe, a role is a
person, absolute participles and shot nouns left alone in the temporal prompt, and the checks'
false positives and misses. The prompts are written for these tests (none is from a rated set)."""

from __future__ import annotations

import pytest

from stdt2v.prompts import wellformed
from stdt2v.prompts.invariants import check_invariants
from stdt2v.prompts.result import DecoupledPrompt
from stdt2v.prompts.style import framing_of


@pytest.mark.parametrize(
    "prompt, spatial_out",
    [
        # a light on the face, a camera move, a mass noun: never held, never "nearby"
        ("A woman with red hair plays a violin on a balcony, pale blue light illuminating her face.", ["light in hand"]),
        ("A man lifts a lantern above his head as the camera cranes up over the harbor.", ["cranes in hand", "camera"]),
        ("A woman sweeps the sand off the porch of a beach house.", ["sand nearby", "a sand"]),
    ],
)
def test_only_graspable_things_are_held(rule, prompt, spatial_out):
    spatial = rule(prompt, "A woman").spatial.lower()
    for phrase in spatial_out:
        assert phrase not in spatial, spatial


def test_a_tablet_tapped_on_is_not_in_hand(rule):
    spatial = rule("A man sits at a kitchen table, tapping on a tablet.", "A man").spatial
    assert "a tablet in front of him" in spatial and "tablet in hand" not in spatial, spatial


@pytest.mark.parametrize(
    "text, framing",
    [
        ("A pendant lamp hangs overhead as she reads.", (None, None)),
        ("Crows circle overhead while he digs.", (None, None)),
        ("Overhead shot of a woman painting a mural.", ("overhead shot", None)),
        ("A girl rollerblades past, the camera placed low to the ground.", ("low-angle shot", None)),
    ],
)
def test_framing_only_from_a_shot_phrase(text, framing):
    assert framing_of(text) == framing


def test_past_motion_never_in_the_keyframe(rule):
    result = rule("The sailor, wearing a striped shirt, leapt from the dock to the deck and tied the rope.", "A man")
    assert "leapt" not in result.spatial and "striped shirt" in result.spatial, result.spatial


def test_a_thing_is_never_the_role(rule):
    prompt = "Wide shot of a woman with red curls, wearing a green scarf, as she opens her umbrella, a church bell heard in the distance."
    result = rule(prompt, "A woman")
    assert " as a " not in result.spatial and "red curls" in result.spatial, result.spatial
    assert "bell hears" not in result.temporal and "bell heard" in result.temporal, result.temporal


def test_an_opening_role_the_parse_leaves_unattached(rule):
    result = rule("The firefighter, his helmet dented by debris, burst through the gate.", "A man")
    assert result.spatial.startswith("A man as a firefighter"), result.spatial
    assert result.temporal.startswith("A man, a firefighter,") and "A man:" not in result.temporal, result.temporal


@pytest.mark.parametrize(
    "prompt, te_in, te_out",
    [
        ("A man walks along a pier, his coat soaked with rain.", ["his coat soaked with rain"], ["soaks"]),
        ("A woman rows a boat across a lake. Tracking shot from behind, the camera follows her.", ["Tracking shot from behind"], ["shoots"]),
        ("A man plays piano in a bar, the crowd silhouetted against the window.", ["the crowd silhouetted"], ["silhouettes"]),
    ],
)
def test_absolute_participles_and_shot_nouns_stay(rule, prompt, te_in, te_out):
    temporal = rule(prompt, "A man").temporal
    for phrase in te_in:
        assert phrase in temporal, temporal
    for phrase in te_out:
        assert phrase not in temporal, temporal


def _checks(nlp, spatial: str, temporal: str, subject: str = "A woman"):
    result = DecoupledPrompt(original=temporal, subject=subject, spatial=spatial, temporal=temporal)
    return check_invariants(nlp, result)[2]


def test_checks_false_positives_are_gone(nlp):
    checks = _checks(nlp, "A woman, smiling, short gray hair, medium shot", "A woman with short gray hair, pinned in a bun, sits by a fire and knits.")
    assert checks["spatial_motion_free"] and checks["present_tense"]
    checks = _checks(nlp, "A woman, medium shot", "A woman, dressed in a yellow coat, waits at the bus stop.")
    assert checks["present_tense"]
    assert _checks(nlp, "A man, medium shot", "A man walks home, his coat soaked with rain. Tracking shot from the side.", "A man")["present_tense"]


def test_checks_catch_what_a_rater_catches(nlp):
    assert not _checks(nlp, "A man, leapt from the bridge to the boat, medium shot", "A man leaps.", "A man")["spatial_motion_free"]
    assert not _checks(nlp, "A woman, a notebook in hand, opens it, then smiled and left.", "A woman opens it, then smiled.")["present_tense"]
    assert wellformed.fragment_phrases(nlp, "A man, baker,, white cap, medium shot") == ["baker,,"]
    assert wellformed.fragment_phrases(nlp, "A man, soft morning light in hand, a guitar in hand, medium shot") == ["soft morning light in hand"]


def test_hedge_relative_and_video_kind_sentence_go(rule):
    prompt = "A woman in a green blazer is seated at a table in what appears to be a small library. The video seems to be a travel advertisement."
    temporal = rule(prompt, "A woman").temporal
    assert "in a small library" in temporal and "what" not in temporal and "advertisement" not in temporal, temporal


def test_a_colon_header_is_style_not_spliced(rule):
    result = rule("Moody wide shot: a man in a red coat walks along a frozen river at dawn.", "A man")
    assert ":" not in result.temporal and result.temporal.endswith("Moody wide shot."), result.temporal
    assert result.spatial.endswith("moody wide shot") and result.spatial.count("wide shot") == 1, result.spatial


def test_story_verbs_after_an_absolute_phrase_are_present(rule):
    temporal = rule("The baker, her apron dusted with flour, grabbed a tray and hurried to the oven.", "A woman").temporal
    assert "her apron dusted with flour, grabs a tray and hurries to the oven" in temporal, temporal


def test_where_an_action_puts_a_thing_is_its_end_state(rule):
    spatial = rule("The chemist, wearing rubber gloves, carefully poured a green syrup from a flask into a jar, then sealed it.", "A man").spatial
    assert "in a jar" not in spatial and "rubber gloves" in spatial, spatial


def test_past_verbs_joined_to_a_present_one_go_present(rule):
    temporal = rule(
        "The potter, wearing a clay-stained smock, carefully lifts the bowl from the wheel, then held it up to the window and smiled.", "A man"
    ).temporal
    assert "then holds it up to the window and smiles" in temporal, temporal
    temporal = rule("The potter carefully lifted the bowl from the wheel, then held it up to the window and smiled.", "A man").temporal
    assert "lifts the bowl from the wheel, then holds it up to the window and smiles" in temporal, temporal
    temporal = rule("The chemist carefully poured a green syrup into a jar, then held it up to the lamp and smiled in relief.", "A man").temporal
    assert "then holds it up to the lamp and smiles in relief" in temporal, temporal
