"""Face-aware prompts: a vision-language model describes the reference face, and the
description follows the subject in both prompts with every original word kept."""

from __future__ import annotations

import base64
import io
import json

import pytest
from omegaconf import OmegaConf
from PIL import Image

from stdt2v.cli import main
from stdt2v.config.schema import PromptsConfig
from stdt2v.face import Face
from stdt2v.prompts import FaceDescriber, FaceDescription, TokenLimits, build_decoupler, build_face_describer
from stdt2v.prompts.face_description import clean_features
from tests.conftest import DEMO_CONFIG
from tests.openai_stub import StubServer

PROMPT = "A woman in a red coat walks through a snowy park at dusk, then waves at the camera."
ANSWER = "Short grey hair, light blue eyes, a navy blazer, round wire-rimmed glasses, an office background, smiling warmly"
FACE = Face(bbox=(40.0, 30.0, 120.0, 130.0), score=0.99, landmarks=None, gender="female", age=71.6)
IMAGE = Image.new("RGB", (160, 180), (180, 140, 120))


def prompts_cfg(**overrides):
    return OmegaConf.merge(OmegaConf.structured(PromptsConfig), overrides)


@pytest.fixture(scope="module")
def rule():
    return build_decoupler(prompts_cfg())


def describer_answering(answer, **kwargs) -> FaceDescriber:
    return FaceDescriber(lambda image, instructions: answer, instructions="describe", version="t", source="stub", **kwargs)


def test_only_phrases_about_the_face_are_kept():
    kept, rejected = clean_features(ANSWER, max_features=6)
    assert kept == ["short grey hair", "light blue eyes", "round wire-rimmed glasses"]
    assert len(rejected) == 3 and any("blazer" in r for r in rejected) and any("background" in r for r in rejected)
    assert clean_features("tttttttttt", 6)[0] == [] and clean_features("<think>x</think>- dark curly hair\n- brown eyes", 1)[0] == ["dark curly hair"]


def test_description_follows_the_subject_in_both_prompts(rule):
    description = describer_answering(ANSWER)(IMAGE, FACE)
    result = rule(PROMPT, subject="A woman", face_description=description)
    assert result.spatial.startswith("A woman, short grey hair, light blue eyes, round wire-rimmed glasses, red coat")
    with_phrase = "A woman with short grey hair, light blue eyes and round wire-rimmed glasses"
    assert result.temporal == f"{with_phrase} in a red coat walks through a snowy park at dusk, then waves at the camera."
    assert result.face_description == "short grey hair, light blue eyes, round wire-rimmed glasses"
    assert result.violations == [] and result.coverage == 1.0 and result.checks["face_description_in_both"]
    plain = rule(PROMPT, subject="A woman")
    assert plain.face_description is None and "face_description_in_both" not in plain.checks


def test_the_prompt_wins_over_the_description(rule):
    description = FaceDescription(features=["long brown hair", "green eyes"], source="stub")
    result = rule("A woman with short grey hair smiles.", subject="A woman", face_description=description)
    assert result.face_description == "green eyes"
    assert result.temporal == "A woman with green eyes and short grey hair smiles."
    assert any("'long brown hair' left out: the prompt describes the hair" in n for n in result.notes)
    assert result.violations == []


def test_the_description_gives_way_to_the_token_limit():
    decoupler = build_decoupler(prompts_cfg(), spatial_limit=16)
    description = FaceDescription(features=["short grey hair", "light blue eyes", "round wire-rimmed glasses"], source="stub")
    result = decoupler("A woman in a red coat stands in a park.", subject="A woman", face_description=description)
    assert TokenLimits().count_spatial(result.spatial) <= 16
    assert "red coat" in result.spatial and "park" in result.spatial  # the user's words stay; the description shrinks
    assert any("token limit" in n for n in result.notes)


def test_fallback_says_only_what_the_analyzer_measured():
    failing = FaceDescriber(lambda image, instructions: "tttt tttt", instructions="x", version="t", source="stub")
    description = failing(IMAGE, FACE)
    assert description.source == "analyzer" and description.features == ["an apparent age of about 72"]
    assert any("no usable phrase" in n for n in description.notes)
    no_age = failing(IMAGE, Face(bbox=FACE.bbox, score=1.0, landmarks=None))
    assert no_age.features == [] and any("nothing is added" in n for n in no_age.notes)


def test_answers_are_cached_by_image_content(tmp_path):
    asked = []
    describer = FaceDescriber(
        lambda image, instructions: asked.append(image.size) or ANSWER, instructions="x", version="t", source="stub", cache_folder=tmp_path
    )
    first, second = describer(IMAGE, FACE), describer(IMAGE.copy(), FACE)
    assert first == second and len(asked) == 1 and len(list((tmp_path / "face_descriptions").glob("*.json"))) == 1
    describer(Image.new("RGB", (160, 180), (10, 10, 10)), FACE)
    assert len(asked) == 2
    assert max(asked[0]) <= 448  # the model sees the face crop, not the whole picture


def test_decouple_sends_the_face_to_a_vision_server(tmp_path, capsys):
    """The issue's contract: the image goes as a data URL, the answer goes into both prompts."""
    server = StubServer([ANSWER])
    try:
        args = ["decouple", "--config", str(DEMO_CONFIG), "--prompt", PROMPT, "--id-image", "builtin:grace_hopper", "prompts.face_description.enabled=true"]
        args += [f"prompts.openai.base_url={server.url}", "prompts.face_description.model=qwen-vl", "prompts.cache=false", f"cache_dir={tmp_path}"]
        assert main(args) == 0
    finally:
        server.close()
    result = json.loads(capsys.readouterr().out)
    assert result["face_description"] == "short grey hair, light blue eyes, round wire-rimmed glasses"
    assert "short grey hair" in result["spatial"] and "short grey hair" in result["temporal"] and result["violations"] == []
    ((path, body),) = server.requests
    assert path == "/v1/chat/completions" and body["model"] == "qwen-vl" and "response_format" not in body
    part = next(p for p in body["messages"][-1]["content"] if p["type"] == "image_url")
    header, data = part["image_url"]["url"].split(",", 1)
    assert header == "data:image/png;base64"
    assert Image.open(io.BytesIO(base64.b64decode(data))).size[0] >= 64
    assert not (tmp_path / "face_descriptions").exists()  # prompts.cache=false


def test_decouple_without_the_face_is_one_line(capsys):
    assert main(["decouple", "--config", str(DEMO_CONFIG), "--prompt", PROMPT, "prompts.face_description.enabled=true"]) == 2
    assert "--id-image: required with prompts.face_description.enabled=true" in capsys.readouterr().err


def test_local_vlm_loads_generates_and_falls_back(tiny_cache):
    cfg = prompts_cfg(cache=False, face_description={"enabled": True, "backend": "transformers", "model": "tiny:llava-vlm", "max_new_tokens": 12})
    describer = build_face_describer(cfg, cache_dir=str(tiny_cache))
    assert type(describer.ask.model).__name__ == "LlavaForConditionalGeneration"
    answer = describer.ask(IMAGE, describer.instructions)  # random weights: random tokens
    assert isinstance(answer, str)
    description = describer(IMAGE, FACE)
    assert description.source == "analyzer" and description.features == ["an apparent age of about 72"]


def test_pipeline_writes_the_description_to_prompts_json(demo_pipe, tmp_path):
    from stdt2v.pipeline import save_output

    demo_pipe.face_describer = describer_answering("short grey hair, brown eyes")
    try:
        output = demo_pipe("A woman smiles in a bright office.", "builtin:grace_hopper", until="decouple")
    finally:
        demo_pipe.face_describer = None
    save_output(output, tmp_path)
    saved = json.loads((tmp_path / "prompts.json").read_text())
    assert saved["face_description"] == "short grey hair, brown eyes"
    assert saved["temporal"].startswith(f"{saved['subject']} with short grey hair and brown eyes smiles")


CAPTION = "The video features a woman in a red coat. She walks through a snowy park and waves."
REWRITTEN = "The video features a woman with short grey hair, light blue eyes and round glasses in a red coat. She walks through a snowy park and waves."


def rewriter(server, tmp_path=None):
    cfg = prompts_cfg(
        cache=tmp_path is not None,
        openai={"base_url": server.url, "retries": 1},
        face_description={"enabled": True, "mode": "rewrite", "model": "gpt-4.1", "max_new_tokens": 512},
    )
    return build_face_describer(cfg, cache_dir=str(tmp_path) if tmp_path else None)


def asked_text(body) -> str:
    return next(p["text"] for p in body["messages"][-1]["content"] if p["type"] == "text")


def test_rewrite_keeps_every_word_and_decouples_the_new_caption(rule, tmp_path):
    server = StubServer([f"New caption: “{REWRITTEN}”"])
    try:
        description = rewriter(server, tmp_path)(IMAGE, FACE)
        result = rule(CAPTION, subject="A woman", face_description=description)
        again = rewriter(server, tmp_path)(IMAGE, FACE).rewrite(CAPTION)  # cached by image and caption: no second request
    finally:
        server.close()
    assert result.caption == again.caption == REWRITTEN and result.original == CAPTION
    assert "short grey hair" in result.temporal and result.face_description is None
    assert any("caption rewritten, every original word kept" in n for n in result.notes)
    ((path, body),) = server.requests
    assert body["model"] == "gpt-4.1" and body["max_tokens"] == 512
    system, user = body["messages"]
    assert "completely intact" in system["content"] and "only the face" in system["content"]
    assert asked_text(body) == f"Caption: {CAPTION}"
    part = next(p for p in user["content"] if p["type"] == "image_url")
    assert Image.open(io.BytesIO(base64.b64decode(part["image_url"]["url"].split(",", 1)[1]))).size == IMAGE.size  # the whole image


def test_rewrite_that_drops_a_word_is_asked_again():
    dropped = REWRITTEN.replace("snowy ", "")
    server = StubServer([dropped, REWRITTEN])
    try:
        rewrite = rewriter(server)(IMAGE, FACE).rewrite(CAPTION)
    finally:
        server.close()
    assert rewrite.caption == REWRITTEN and "second try" in rewrite.notes[0]
    first, second = (asked_text(body) for _, body in server.requests)
    assert first == f"Caption: {CAPTION}" and "the caption's word 'snowy' is missing or out of order" in second


@pytest.mark.parametrize(
    "answers, why",
    [
        (["The video features a woman in a red coat. She waves and walks through a snowy park."] * 2, "word 'and' is missing or out of order"),
        ([CAPTION, CAPTION], "no face description was inserted"),
        ([CAPTION.replace("woman", "woman " + "with grey hair " * 21)] * 2, "63 words were added"),
    ],
)
def test_rewrite_refused_twice_leaves_the_caption_unchanged(rule, answers, why):
    server = StubServer(answers)
    try:
        result = rule(CAPTION, subject="A woman", face_description=rewriter(server)(IMAGE, FACE))
    finally:
        server.close()
    assert result.caption is None and result.original == CAPTION and len(server.requests) == 2
    note = next(n for n in result.notes if n.startswith("face description (rewrite): caption unchanged"))
    assert why in note


def test_word_order_check_ignores_case_and_punctuation_only():
    from stdt2v.prompts.face_description import missing_word

    assert missing_word("A man, smiling.", "a MAN with a beard smiling!") is None
    assert missing_word("A man smiles and waves", "A man waves and smiles") == "and"  # "smiles" matched last: nothing after it
    assert missing_word("He runs", "He, with dark hair, run") == "runs"


def test_rewrite_needs_a_vision_model():
    from stdt2v.config import load_config
    from stdt2v.errors import ConfigError

    rewrite = ["prompts.face_description.enabled=true", "prompts.face_description.mode=rewrite"]
    with pytest.raises(ConfigError, match=r"max_new_tokens=96: too few for mode=rewrite \(the whole caption comes back\); use 256 or more"):
        load_config(DEMO_CONFIG, rewrite)
    with pytest.raises(ConfigError, match="mode=rewrite: the caption is rewritten by a vision-language model"):
        load_config(
            DEMO_CONFIG, ["prompts.face_description.enabled=true", "prompts.face_description.mode=rewrite", "prompts.face_description.backend=analyzer"]
        )
