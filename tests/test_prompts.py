"""The skeleton's rule-based decoupler: nothing lost, subject first, framing last."""

from __future__ import annotations

import re

import pytest

from stdt2v.errors import InputError
from stdt2v.prompts import SimpleDecoupler, subject_phrase


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


SUBJECT_WORDS = {"a", "an", "the", "woman", "man", "person"}


def check(result, prompt: str, subject: str, framing: str = "medium shot") -> None:
    assert result.temporal.startswith(subject)
    assert result.spatial.startswith(subject) and result.spatial.endswith(framing)
    assert "\n" not in result.spatial and "\n" not in result.temporal
    dropped = words(" ".join(n.split("'")[1] for n in result.notes if n.startswith("dropped the caption lead-in")))
    lost = words(prompt) - words(result.spatial) - words(result.temporal) - SUBJECT_WORDS - dropped
    assert not lost, f"words lost: {sorted(lost)}"


def test_short_action_prompt():
    prompt = "A woman with short grey hair smiles and turns her head to the left in a bright office."
    result = SimpleDecoupler()(prompt, subject="A woman")
    check(result, prompt, "A woman")
    assert "grey hair" in result.spatial and "smiles" not in result.spatial
    assert result.temporal == prompt


def test_subject_from_face_replaces_a_plain_subject():
    result = SimpleDecoupler(framing="close-up")("A man walks along the river.", subject="A woman")
    assert result.temporal == "A woman walks along the river."
    assert result.spatial == "A woman, close-up"


def test_every_sample_prompt_keeps_all_words(sample_dir):
    prompts = sorted(sample_dir.glob("id*/prompt*.txt"))
    assert prompts
    for path in prompts:
        text = path.read_text()
        check(SimpleDecoupler()(text, subject="A person"), text, "A person")


def test_caption_lead_in_dropped_with_a_note():
    result = SimpleDecoupler()("The video features a man in a blue coat standing on a bridge.", subject="A man")
    assert result.temporal.startswith("A man")
    assert "video features" not in result.temporal and result.notes


@pytest.mark.parametrize("prompt", ["", "   \n\t "])
def test_empty_prompt_is_an_input_error(prompt):
    with pytest.raises(InputError, match="prompt: empty"):
        SimpleDecoupler()(prompt, subject="A person")


def test_subject_phrase_precedence():
    assert subject_phrase("female", None, "A person") == "A woman"
    assert subject_phrase("male", None, "A person") == "A man"
    assert subject_phrase("unknown", None, "A person") == "A person"
    assert subject_phrase("female", "An old sailor", "A person") == "An old sailor"
