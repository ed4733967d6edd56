"""The 2025 challenge winner's submission (TPIGE) as one preset: it resolves with the recipe's
settings (../shared/RECIPES.md §5) and runs offline on tiny random-weight models, with the
face-aware caption rewrite answered by a local OpenAI-compatible stub."""

from __future__ import annotations

from pathlib import Path

import pytest

from stdt2v.config import load_config
from stdt2v.io import load_image
from stdt2v.plan import plan_pipeline
from tests.openai_stub import StubServer

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
CAPTION = "The video features a woman in a dark jacket. She turns her head and smiles at the camera."
REWRITTEN = "The video features a woman with short grey hair and blue eyes in a dark jacket. She turns her head and smiles at the camera."
# Wan's default Chinese negative prompt, as configs/wan22_ti2v_5b.yaml holds it too.
WAN_NEGATIVE = load_config(CONFIGS / "wan22_ti2v_5b.yaml").animate.negative_prompt


def test_tpige_preset_has_the_winners_settings():
    cfg = load_config(CONFIGS / "tpige.yaml")
    a = cfg.animate
    assert (a.backend.value, a.model) == ("wan_vace", "Wan-AI/Wan2.1-VACE-14B-diffusers")
    assert (a.height, a.width, a.num_frames, a.fps, a.num_inference_steps, a.flow_shift, a.guidance_scale) == (480, 832, 81, 16, 50, 16.0, 5.0)
    assert (
        a.negative_prompt == WAN_NEGATIVE
        and a.negative_prompt.startswith("色调艳丽，过曝，静态")
        and a.size_mode.value == "fixed"
        and a.prompt.value == "caption"
    )
    assert a.vace.reference.value == "image" and list(a.guidance.skip_blocks) == [2] and a.guidance.skip_scale == 0.5 and a.guidance.drop_reference
    assert cfg.seed + 1 == 2025 and not cfg.batch.seed_offset  # the video stage draws with seed + 1, every item alike
    f = cfg.prompts.face_description
    assert f.enabled and (f.mode.value, f.backend.value, f.model) == ("rewrite", "openai", "gpt-4.1")
    plan = plan_pipeline(cfg, budget_gb=80)  # `stdt2v plan`: one reference frame in front of 21 latent frames
    assert any(f"{22 * 30 * 52} tokens" in f for f in plan.activations["animate"]["formula"])


@pytest.mark.slow
def test_tpige_runs_offline_on_tiny_models(tiny_cache):
    from stdt2v.pipeline import IPT2VPipeline

    server = StubServer([REWRITTEN])
    tiny = [
        "device=cpu",
        "progress=false",
        "face.backend=dlib",
        "keyframe.model=tiny:sdxl",
        "keyframe.num_inference_steps=2",
        "animate.model=tiny:wan2.1-vace",
        "animate.height=64",
        "animate.width=96",
        "animate.num_frames=5",
        "animate.num_inference_steps=2",
        "prompts.cache=false",
        f"prompts.face_description.base_url={server.url}",
    ]
    try:
        pipe = IPT2VPipeline.from_config(load_config(CONFIGS / "tpige.yaml", tiny))
        animator = pipe.animator
        prompts, controls, references = [], [], []
        encode = animator.pipe.encode_prompt
        animator.pipe.encode_prompt = lambda *args, **kw: prompts.append(kw.get("prompt", args[0] if args else None)) or encode(*args, **kw)
        animator.pipe.transformer.register_forward_pre_hook(lambda m, a, kw: controls.append(kw["control_hidden_states"].shape[2]), with_kwargs=True)
        conditioning = animator.conditioning
        animator.conditioning = lambda *args: references.append(conditioning(*args)) or references[-1]
        id_image = load_image("builtin:grace_hopper")
        result = pipe(CAPTION, id_image, seed=2024)
    finally:
        server.close()
    assert result.frames.shape == (5, 64, 96, 3)
    scheduler = animator.pipe.scheduler
    assert type(scheduler).__name__ == "UniPCMultistepScheduler" and scheduler.config.flow_shift == 16.0
    assert result.prompts.caption == REWRITTEN and prompts == [REWRITTEN]  # the video model reads the rewritten caption whole
    assert references[0]["reference_images"] == [id_image]  # the raw reference image, not the keyframe
    # Per step: conditional and unconditional with the reference frame in front of 2 latent
    # frames, then the weak pass without it.
    assert controls == [3, 3, 2] * 2
    report = result.report.to_dict()
    assert report["seeds"]["animate"] == 2025 and report["animate"]["transformer_calls"] == 6
    assert report["animate"]["guidance"]["skip_blocks"] == [2] and report["animate"]["guidance"]["guided_steps"] == 2
    assert report["video"]["size"]["mode"] == "fixed" and (report["video"]["height"], report["video"]["width"]) == (64, 96)
