"""`stdt2v plan`: every component built on the meta device; published sizes; budgets; the
estimate of the weights against the tiny models actually loaded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from stdt2v.config import load_config
from stdt2v.plan import GB, plan_pipeline
from tests.conftest import ROOT

CONFIGS = ROOT / "configs"


@pytest.fixture(scope="module")
def a14b():
    return plan_pipeline(load_config(CONFIGS / "wan22_i2v_a14b.yaml", needs_models=True), budget_gb=24)


def test_parameter_counts_match_the_published_sizes(a14b):
    params = {name: c.params for name, c in a14b.components.items()}
    assert params["keyframe.unet"] == 2_567_463_684  # SDXL UNet: 2.567 B
    assert round(params["animate.transformer"] / 1e9, 2) == round(params["animate.transformer_2"] / 1e9, 2) == 14.29  # each A14B expert
    assert round(params["animate.text_encoder"] / 1e9, 2) == 5.68  # UMT5-XXL encoder
    ti2v = plan_pipeline(load_config(CONFIGS / "wan22_ti2v_5b.yaml"), budget_gb=80)
    assert round(ti2v.components["animate.transformer"].params / 1e9, 1) == 5.0  # TI2V-5B


def test_a_24_gb_plan_for_a14b_is_group_offload_and_explained(a14b):
    result = a14b.to_dict("group")
    assert result["fits"] and result["offload"] == "group:block_level" and result["estimated_peak_bytes"] <= 24 * GB
    assert "animate.memory.offload=group" in result["overrides"] and "animate.memory.group_offload_type=block_level" in result["overrides"]
    assert result["modes"]["model"]["item"] > 24 * GB  # one expert alone is 26.6 GiB in bf16: model offload cannot fit
    assert result["schedule"]["stage"]["peak_bytes"] < result["schedule"]["item"]["peak_bytes"]  # one stage's models at a time
    assert any("75600 tokens" in f for f in result["activations"]["animate"]["formula"])  # 81 frames at 720×1280, stated


def test_the_weight_estimate_equals_the_loaded_tiny_models(tiny_cache):
    """The planner's weight bytes against the parameters the pipeline really holds (fp32 on CPU)."""
    from stdt2v.pipeline import IPT2VPipeline

    cfg = load_config(CONFIGS / "demo.yaml", ["dtype=float32", "progress=false"])
    plan = plan_pipeline(cfg, budget_gb=1)
    pipe = IPT2VPipeline.from_config(cfg)
    loaded = {
        "keyframe": pipe.keyframe_stage.generator.pipe,
        "animate": pipe.animator.pipe,
    }
    for stage, diffusers_pipe in loaded.items():
        for name, module in diffusers_pipe.components.items():
            key = f"{stage}.{name}"
            if key in plan.components and hasattr(module, "parameters"):
                own = sum(
                    p.numel() * p.element_size() for n, p in module.named_parameters() if ".processor." not in n and "encoder_hid_proj" not in n
                )  # the identity adapter is not in the base model
                assert plan.components[key].bytes == own, key


def test_the_cli_writes_the_contract_json_and_says_when_nothing_fits(tmp_path):
    out = tmp_path / "plan.json"
    cmd = [sys.executable, "-m", "stdt2v", "plan", "--config", str(CONFIGS / "wan22_ti2v_5b.yaml"), "--budget-gb", "24", "--json", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    plan = json.loads(out.read_text())
    assert {"unet", "transformer"} <= {name.split(".")[1] for name in plan["components"]}
    assert all(isinstance(c["params"], int) and isinstance(c["bytes"], int) for c in plan["components"].values())
    assert isinstance(plan["schedule"]["item"]["peak_bytes"], int) and isinstance(plan["schedule"]["stage"]["peak_bytes"], int)
    assert isinstance(plan["offload"], str) and isinstance(plan["estimated_peak_bytes"], int) and "plan:" in done.stdout


def test_nothing_fits_is_said_with_what_would(a14b):
    import dataclasses

    from stdt2v.plan import format_plan

    small_gpu = dataclasses.replace(a14b, budget_bytes=8 * GB)  # the keyframe models fit, no video mode does
    result = small_gpu.to_dict("group")
    last = format_plan(small_gpu, result)[-1]
    assert not result["fits"] and "nothing fits 8.0 GiB: even sequential offload" in last and "smaller animate.height/width" in last
    tiny_gpu = dataclasses.replace(a14b, budget_bytes=2 * GB)  # not even the keyframe models
    assert "the keyframe models alone need 7.0 GiB" in format_plan(tiny_gpu, tiny_gpu.to_dict("group"))[-1]


def test_offload_auto_is_resolved_at_load_time_and_reported(tiny_cache):
    from stdt2v.pipeline import IPT2VPipeline

    cfg = load_config(CONFIGS / "demo.yaml", ["animate.memory.offload=auto", "animate.num_frames=5", "animate.height=64", "animate.width=96", "progress=false"])
    pipe = IPT2VPipeline.from_config(cfg)
    assert pipe.memory_plan == {"offload": "none", "reason": "device cpu"}  # no GPU memory to plan for here
    report = pipe("A man waves.", "builtin:grace_hopper", until="decouple").report.to_dict()
    assert report["memory_plan"]["offload"] == "none"


@pytest.mark.parametrize("preset, blocks, vace_blocks", [("wan21_vace_14b.yaml", 40, 8), ("wan21_vace_1_3b.yaml", 30, 15)])
def test_vace_presets_are_planned_with_their_reference_frames(preset, blocks, vace_blocks):
    plan = plan_pipeline(load_config(CONFIGS / preset), budget_gb=80)
    transformer = plan.components["animate.transformer"]
    assert transformer.cls == "WanVACETransformer3DModel"
    assert transformer.config["num_layers"] == blocks and len(transformer.config["vace_layers"]) == vace_blocks
    # 81 frames → 21 latent frames, plus the keyframe's reference frame; one control hint per VACE block.
    dim = transformer.config["num_attention_heads"] * 128
    assert any(f"{22 * 30 * 52} tokens × ({transformer.config['ffn_dim']} + {4 + vace_blocks}·{dim})" in f for f in plan.activations["animate"]["formula"])
