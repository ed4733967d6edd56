"""Performance harness: FLOP formulas, the model clock, fast-mode switches, benchmark contracts."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from benchmarks.denoise import BENCHES, build_model, make_inputs, model_config
from stdt2v import families
from tests.test_animate import KEYFRAME, animator_for

ROOT = Path(__file__).resolve().parent.parent

REDUCED = {  # real block structure, small widths: torch can count every op in seconds
    "wan22_ti2v_5b": ({"num_layers": 2, "num_attention_heads": 4, "attention_head_dim": 32, "ffn_dim": 256, "text_dim": 64}, (9, 128, 192)),
    "flux1_dev": (
        {
            "num_layers": 1,
            "num_single_layers": 2,
            "num_attention_heads": 4,
            "attention_head_dim": 32,
            "axes_dims_rope": [8, 12, 12],
            "joint_attention_dim": 64,
            "pooled_projection_dim": 32,
        },
        (1, 128, 192),
    ),
}


def test_published_wan_step_flops():
    """A Wan2.2 TI2V-5B step at 1280×704×121 with the CFG batch: about 1.03 PFLOP."""
    config = model_config(BENCHES["wan22_ti2v_5b"], small=False)
    family = families.family("Wan-AI/Wan2.2-TI2V-5B-Diffusers")
    assert family.tokens(121, 704, 1280) == 31 * 22 * 40
    assert family.step_flops(config, 704, 1280, 121, batch=2).total == pytest.approx(1.03e15, rel=0.01)


@pytest.mark.parametrize("name", sorted(REDUCED))
def test_analytic_flops_match_torch_counts(name):
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode

    bench = BENCHES[name]
    overrides, size = REDUCED[name]
    config = {**model_config(bench, small=False), **overrides}
    model = build_model(name, config, torch.device("cpu"), torch.float32)
    inputs, analytic = make_inputs(name, bench, config, size, 2, torch.device("cpu"), torch.float32)
    # the math backend runs attention as two bmm calls, which torch counts
    with torch.inference_mode(), sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        model(**inputs)
    counts = {str(op): n for op, n in counter.get_flop_counts()["Global"].items()}
    assert counts["aten.bmm"] == analytic.attention
    linear = counts["aten.addmm"] + counts.get("aten.convolution", 0) + counts.get("aten.mm", 0)
    assert analytic.linear == pytest.approx(linear, rel=0.01)  # left out: time embedder and modulation


def test_model_clock_counts_outermost_calls_and_pauses_the_profiler():
    import cProfile

    from benchmarks.overhead import ModelClock

    inner = torch.nn.Linear(4, 4)
    outer = torch.nn.Sequential(inner, torch.nn.ReLU())

    class Detector:
        def _detect_raw(self, x):
            time.sleep(0.05)
            return outer(x)

    detector = Detector()
    profiler = cProfile.Profile()
    clock = ModelClock(profiler)
    clock.watch_module("outer", outer)
    clock.watch_module("inner", inner)
    clock.watch_method(detector, "_detect_raw", "detect")
    profiler.enable()
    outer(torch.zeros(1, 4))
    detector._detect_raw(torch.zeros(1, 4))
    time.sleep(0.05)
    profiler.disable()
    clock.close()
    assert dict(clock.calls) == {"outer": 1, "detect": 1}  # nested calls are inside their caller
    assert clock.total >= 0.05  # the sleep inside the watched method counts as model time
    import pstats

    sleep_calls = [v[1] for k, v in pstats.Stats(profiler).stats.items() if k[2] == "<built-in method time.sleep>"]
    assert sleep_calls == [1]  # the profile holds only the sleep outside the model: it was paused inside
    assert "_detect_raw" not in vars(detector)  # restored to the class's method


def test_distilled_loras_go_into_both_experts(tiny_cache, tmp_path):
    """LightX2V-style: one LoRA per Wan2.2 A14B expert, loaded by animate.fast.distill_lora(_2)."""
    from diffusers import WanImageToVideoPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    plain = animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b")
    files = []
    for n, transformer in enumerate(plain.transformers):
        torch.manual_seed(n)
        transformer.add_adapter(
            LoraConfig(r=4, lora_alpha=4, target_modules=["to_q", "to_k", "to_v", "to_out.0"], init_lora_weights=False), adapter_name="make"
        )
        folder = tmp_path / f"expert{n}"
        WanImageToVideoPipeline.save_lora_weights(
            folder, transformer_lora_layers=get_peft_model_state_dict(transformer, adapter_name="make"), weight_name="distill.safetensors"
        )
        files.append(folder / "distill.safetensors")

    def latents(animator):
        return animator.run(KEYFRAME, "a person", seed=0, output_type="latent")

    def distance(a, b):
        return float((a - b).norm() / b.norm())

    reference = latents(animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b"))
    high_only = latents(animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b", **{"fast.distill_lora": str(files[0])}))
    fast = animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b", **{"fast.distill_lora": str(files[0]), "fast.distill_lora_2": str(files[1].parent)})
    assert [list(t.peft_config) for t in fast.transformers] == [["distill"], ["distill_2"]]
    both = latents(fast)
    assert distance(high_only, reference) > 1e-3 and distance(both, high_only) > 1e-3  # each expert's LoRA acts


def test_one_expert_model_refuses_a_second_distilled_lora(tiny_cache, tmp_path):
    from stdt2v.errors import ConfigError

    with pytest.raises(ConfigError, match="only Wan2.2 A14B has two experts"):
        animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", **{"fast.distill_lora_2": str(tmp_path)})


@pytest.mark.parametrize("cache", ["first_block", "taylorseer"])
def test_cache_hooks_stay_close_to_the_plain_run(tiny_cache, cache):
    steps = {"num_inference_steps": 12}
    plain = animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", **steps).run(KEYFRAME, "a person", seed=0, output_type="latent")
    fast = animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", **steps, **{"fast.cache": cache, "fast.cache_interval": 2, "fast.cache_warmup_steps": 2})
    assert fast.transformers[0].is_cache_enabled
    latents = fast.run(KEYFRAME, "a person", seed=0, output_type="latent")
    assert 0 < float((latents - plain).norm() / plain.norm()) < 0.5  # it skipped work, and stayed close


def test_mag_cache_needs_ratios(tiny_cache):
    from stdt2v.errors import ConfigError

    with pytest.raises(ConfigError, match="mag_ratios"):
        animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", **{"fast.cache": "mag"})


def test_bench_denoise_contract(tmp_path):
    out = tmp_path / "d.json"
    cmd = [
        sys.executable,
        "-m",
        "scripts.bench_denoise",
        "--model",
        "wan22_ti2v_5b",
        "--device",
        "cpu",
        "--small",
        "--warmup",
        "1",
        "--repeat",
        "1",
        "--no-cfg-batch",
        "--json",
        str(out),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    for key in ("ms_per_step", "flops_per_step", "achieved_tflops", "matmul_tflops"):
        assert result[key] > 0
    assert "attention = batch·blocks·(4·L²·d + 4·L·T·d)" in done.stdout


def test_four_step_preset_names_a_lora_per_expert():
    from stdt2v.animate.fast import _lora_file
    from stdt2v.config import load_config as load_pipeline_config

    cfg = load_pipeline_config(ROOT / "configs" / "wan22_i2v_a14b_4step.yaml")
    a = cfg.animate
    assert (a.num_inference_steps, a.guidance_scale, a.guidance_scale_2) == (4, 1.0, 1.0)
    assert _lora_file(a.fast.distill_lora, "k")[0] == _lora_file(a.fast.distill_lora_2, "k")[0] == "lightx2v/Wan2.2-Lightning"
    assert "high_noise" in a.fast.distill_lora and "low_noise" in a.fast.distill_lora_2


def test_bench_pipeline_contract(tmp_path, tiny_cache):
    out = tmp_path / "p.json"
    fast = ["keyframe.num_candidates=1", "face.identity_frames=2", "animate.num_frames=5", "animate.height=64", "animate.width=96", f"cache_dir={tiny_cache}"]
    cmd = [sys.executable, "-m", "scripts.bench_pipeline", "--runs", "1", "--json", str(out), *fast]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    assert 0 < result["overhead_share"] < 1 and set(result["stage_seconds"]) >= {"keyframe", "animate", "identity"}
    run = result["runs"][0]
    assert abs(run["model_seconds"] + run["overhead_seconds"] - run["wall_seconds"]) < 1e-6
    assert {"keyframe.unet", "animate.transformer", "animate.vae", "face.detect"} <= set(run["models"])
    assert run["top_outside_models"] and "overhead share" in done.stdout
