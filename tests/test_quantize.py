"""animate.quantization on the tiny Wan models: fp8 (layerwise casting), int8 (torchao), gguf
(a Q8_0 file through from_single_file); the planner's bytes against the loaded models; LoRAs on
quantised transformers; the one-line refusals off CUDA."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from stdt2v.config import load_config
from stdt2v.config.validate import check_animate
from stdt2v.errors import ConfigError
from stdt2v.plan import GB, measure_all, plan_pipeline
from stdt2v.quantize import gguf_type, storage_bytes
from tests.conftest import ROOT
from tests.test_animate import KEYFRAME, animator_for

pytest.importorskip("torchao")
pytest.importorskip("gguf")

TI2V = "tiny:wan2.2-ti2v-5b"
# The tiny TI2V transformer's weight bytes in float32, and under each quantisation (pinned:
# fp8 keeps the patch embedding, norms and the time embedder; int8 adds a scale and zero point per row).
BYTES = {"none": 138_400, "fp8": 70_672, "int8": 57_792, "gguf": 131_632}


def latents(animator) -> torch.Tensor:
    return animator.run(KEYFRAME, "a person waves", seed=0, output_type="latent")


def distance(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).norm() / b.norm())


@pytest.fixture(scope="module")
def reference(tiny_cache):
    return latents(animator_for(tiny_cache, TI2V))


@pytest.fixture(scope="module")
def gguf_file(tiny_cache, tmp_path_factory):
    from tests.tiny_gguf import write_wan_gguf

    plain = animator_for(tiny_cache, TI2V)
    return write_wan_gguf(plain.transformers[0], tmp_path_factory.mktemp("gguf") / "wan-tiny-Q8_0.gguf")


def test_fp8_stores_float8_and_computes_close_to_float32(tiny_cache, reference):
    animator = animator_for(tiny_cache, TI2V, quantization="fp8")
    transformer = animator.transformers[0]
    assert transformer.blocks[0].attn1.to_q.weight.dtype == torch.float8_e4m3fn  # stored in fp8 between calls
    assert transformer.condition_embedder.time_embedder.linear_1.weight.dtype == torch.float32  # pinned to float32 by the model
    assert transformer.patch_embedding.weight.dtype == torch.float32
    assert animator.quantization == {"mode": "fp8", "transformer_bytes": BYTES["fp8"], "per_transformer_bytes": [BYTES["fp8"]], "compute_dtype": "float32"}
    assert BYTES["fp8"] <= 0.55 * BYTES["none"]
    out = latents(animator)
    assert 1e-4 < distance(out, reference) < 0.1  # e4m3 rounding moves it, a little


def test_int8_is_torchao_weight_only_and_close(tiny_cache, reference):
    from torchao.quantization import Int8Tensor

    animator = animator_for(tiny_cache, TI2V, quantization="int8")
    weight = animator.transformers[0].blocks[0].ffn.net[2].weight
    assert isinstance(weight, Int8Tensor) and weight.qdata.dtype == torch.int8
    assert animator.quantization["transformer_bytes"] == BYTES["int8"]
    assert 1e-5 < distance(latents(animator), reference) < 0.05


def test_a_q8_0_gguf_file_loads_through_from_single_file_and_animates(tiny_cache, reference, gguf_file):
    from diffusers.quantizers.gguf.utils import GGUFParameter

    animator = animator_for(tiny_cache, TI2V, quantization="gguf", gguf_file=str(gguf_file))
    transformer = animator.transformers[0]
    packed = transformer.blocks[0].ffn.net[2].weight  # 32 inputs: one Q8_0 block per row
    assert isinstance(packed, GGUFParameter) and packed.dtype == torch.uint8 and tuple(packed.shape) == (24, 34)
    assert animator.quantization["transformer_bytes"] == BYTES["gguf"]
    assert gguf_type(str(gguf_file)) == "Q8_0"
    frames = animator.animate(KEYFRAME, "a person waves", seed=0)
    assert frames.shape == (5, 64, 96, 3) and frames.dtype.name == "uint8"
    assert 1e-5 < distance(latents(animator), reference) < 0.05


@pytest.mark.parametrize("mode", ["none", "fp8", "int8", "gguf"])
def test_the_planner_bytes_equal_the_loaded_quantised_transformer(tiny_cache, gguf_file, mode):
    import json

    from stdt2v.loading import resolve_model_source

    folder = resolve_model_source(TI2V, tiny_cache, key="animate.model")
    config = json.loads((Path(folder) / "transformer" / "config.json").read_text())
    planned = measure_all("animate.transformer", config, 4, (mode,), "Q8_0" if mode == "gguf" else None)[mode]
    extra = {"gguf_file": str(gguf_file)} if mode == "gguf" else {}
    loaded = animator_for(tiny_cache, TI2V, quantization=mode, **extra).transformers[0]
    assert planned.bytes == storage_bytes(loaded) == BYTES[mode]


@pytest.mark.parametrize("mode", ["fp8", "int8"])
def test_a_lora_on_a_quantised_transformer_acts_and_stays_in_the_compute_dtype(tiny_cache, tmp_path, mode):
    from diffusers import WanImageToVideoPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    maker = animator_for(tiny_cache, TI2V).transformers[0]
    torch.manual_seed(0)
    maker.add_adapter(LoraConfig(r=4, lora_alpha=4, target_modules=["to_q", "to_k", "to_v", "to_out.0"], init_lora_weights=False), adapter_name="make")
    WanImageToVideoPipeline.save_lora_weights(
        tmp_path, transformer_lora_layers=get_peft_model_state_dict(maker, adapter_name="make"), weight_name="distill.safetensors"
    )
    plain = latents(animator_for(tiny_cache, TI2V, quantization=mode))
    with_lora = animator_for(tiny_cache, TI2V, quantization=mode, **{"fast.distill_lora": str(tmp_path / "distill.safetensors")})
    q = with_lora.transformers[0].blocks[0].attn1.to_q
    assert q.lora_A["distill"].weight.dtype == torch.float32  # the LoRA layers are not quantised
    assert distance(latents(with_lora), plain) > 1e-3


def test_nf4_and_the_cuda_kernels_are_refused_in_one_line_off_cuda():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    demo = ROOT / "configs" / "demo.yaml"
    with pytest.raises(ConfigError, match=r"^animate.quantization=nf4: bitsandbytes 4-bit needs a CUDA GPU"):
        load_config(demo, ["animate.quantization=nf4"])
    for backend in ("sage", "flash", "flash_hub", "xformers"):
        with pytest.raises(ConfigError, match=rf"^animate.attention_backend={backend}: the kernel runs on CUDA GPUs only"):
            load_config(demo, [f"animate.attention_backend={backend}"])
    with pytest.raises(ConfigError, match="set animate.gguf_file"):
        load_config(demo, ["animate.quantization=gguf"])
    with pytest.raises(ConfigError, match="animate.quantization=none"):
        load_config(demo, ["animate.gguf_file=x-Q8_0.gguf"])


def test_generate_with_nf4_off_cuda_exits_2_in_one_line_before_loading(tmp_path):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    cmd = [sys.executable, "-m", "stdt2v", "generate", "--config", str(ROOT / "configs" / "demo.yaml"), "--id-image", "builtin:grace_hopper"]
    done = subprocess.run([*cmd, "--prompt", "A woman waves.", "--output", str(tmp_path / "out"), "animate.quantization=nf4"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.strip().startswith("stdt2v: error: animate.quantization=nf4")
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "preset, budget, quantization",
    [("wan22_i2v_a14b_24gb.yaml", 24, "fp8"), ("wan22_ti2v_5b_16gb.yaml", 16, "fp8"), ("flux_24gb.yaml", 24, "fp8")],
)
def test_the_small_gpu_presets_plan_under_their_budget(preset, budget, quantization):
    cfg = load_config(ROOT / "configs" / preset, validate=lambda c: check_animate(c.animate))  # as `stdt2v plan` does
    result = plan_pipeline(cfg, budget_gb=budget).to_dict(cfg.animate.memory.offload.value, cfg.batch.schedule.value)
    assert result["fits"] and result["estimated_peak_bytes"] <= budget * GB
    assert result["quantization"]["mode"] == quantization and not [o for o in result["overrides"] if "quantization" in o]


def test_the_planner_switches_to_fp8_before_offloading():
    import dataclasses

    cfg = load_config(ROOT / "configs" / "wan22_ti2v_5b.yaml", ["animate.height=480", "animate.width=832", "animate.num_frames=81"])
    plan = plan_pipeline(cfg, budget_gb=80)
    sizes = {q: sum(c.bytes for c in plan.parts("animate", q) if c.name == "animate.transformer") for q in ("none", "fp8", "int8", "nf4")}
    assert sizes["nf4"] < sizes["int8"] < sizes["fp8"] < 0.55 * sizes["none"]
    between = (plan.peaks("none", True, "fp8")["item"] + plan.peaks("none", True, "none")["item"]) // 2
    result = dataclasses.replace(plan, budget_bytes=between).to_dict("none")
    assert result["offload"] == "none" and result["quantization"]["mode"] == "fp8" and "animate.quantization=fp8" in result["overrides"]
    assert dataclasses.replace(plan, budget_bytes=between).to_dict("none", search=False)["offload"] != "none"  # offload=auto keeps the configured one


@pytest.mark.parametrize(
    "backend, adapter",
    [
        ("flux", {"identity.adapter": "stdt2v", "identity.path": "tiny:id-adapter-flux"}),
        ("sdxl", {"identity.adapter": "faceid", "identity.path": "tiny:faceid-sdxl"}),
    ],
)
def test_the_keyframe_denoiser_in_fp8_with_its_identity_adapter(tiny_cache, backend, adapter):
    """FLUX with the project's adapter; SDXL with FaceID, whose checkpoint loads a LoRA after the cast."""
    from stdt2v.keyframe import Identity
    from tests.test_keyframe import SIZE, make_generator, pixels, unit

    base = {"backend": backend, "model": f"tiny:{backend}", **adapter}
    dim = 512 if adapter["identity.adapter"] == "faceid" else 128
    plain = make_generator(tiny_cache, **base)
    fp8 = make_generator(tiny_cache, **base, quantization="fp8")
    denoiser = getattr(fp8.pipe, "transformer", None) or fp8.pipe.unet
    linear = next(m for n, m in denoiser.named_modules() if isinstance(m, torch.nn.Linear) and ".to_q" in n and "lora" not in n)
    assert linear.weight.dtype == torch.float8_e4m3fn  # stored in fp8, also after the adapter loaded
    assert storage_bytes(denoiser) < 0.7 * storage_bytes(getattr(plain.pipe, "transformer", None) or plain.pipe.unet)
    a = pixels(fp8.generate("a woman", seeds=[0], identity=Identity(unit(dim, 1)), **SIZE)[0])
    b = pixels(plain.generate("a woman", seeds=[0], identity=Identity(unit(dim, 1)), **SIZE)[0])
    assert 0 < np.abs(a - b).mean() < 10  # fp8 rounding moves the pixels a little
    assert linear.weight.dtype == torch.float8_e4m3fn


@pytest.mark.parametrize(
    "preset, steps, lora",
    [
        ("wan22_ti2v_5b_3step.yaml", 3, None),
        ("wan22_i2v_a14b_4step.yaml", 4, "lightx2v/Wan2.2-Lightning/"),
        ("wan21_i2v_14b_480p_4step.yaml", 4, "lightx2v/Wan2.1-Distill-Loras/wan2.1_i2v_lora_rank64_lightx2v_4step.safetensors"),
        ("wan21_i2v_14b_720p_4step.yaml", 4, "lightx2v/Wan2.1-Distill-Loras/wan2.1_i2v_lora_rank64_lightx2v_4step.safetensors"),
        ("wan21_vace_14b_4step.yaml", 4, "lightx2v/Wan2.1-Distill-Loras/wan2.1_t2v_14b_lora_rank64_lightx2v_4step.safetensors"),
    ],
)
def test_few_step_presets_run_without_cfg_and_name_their_files(preset, steps, lora):
    a = load_config(ROOT / "configs" / preset, validate=lambda c: check_animate(c.animate)).animate
    assert a.num_inference_steps == steps and a.guidance_scale == 1.0 and a.flow_shift == 5.0
    assert (a.fast.distill_lora or "").startswith(lora) if lora else "FastWan2.2" in a.model


def test_identity_guidance_runs_on_its_own_when_cfg_is_off(tiny_cache):
    """Distilled presets set guidance 1 (one transformer call per step): the weak pass still runs
    and guides, cond + skip_scale · (cond − weak)."""
    plain = animator_for(tiny_cache, TI2V, guidance_scale=1.0)
    guided = animator_for(tiny_cache, TI2V, guidance_scale=1.0, **{"guidance.skip_blocks": "[0]", "quantization": "fp8"})
    a, b = latents(plain), latents(guided)
    assert plain.transformer_calls == 2 and guided.transformer_calls == 4 and guided.guided_steps == 2
    assert distance(b, a) > 1e-3


@pytest.mark.slow  # 20–30 s: two 14 B experts built on the meta device in a fresh process
def test_the_cli_plans_the_a14b_24gb_preset_under_24_gib_in_fp8(tmp_path):
    out = tmp_path / "P.json"
    cmd = [sys.executable, "-m", "stdt2v", "plan", "--config", str(ROOT / "configs" / "wan22_i2v_a14b_24gb.yaml"), "--budget-gb", "24", "--json", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    plan = json.loads(out.read_text())
    assert plan["fits"] and plan["estimated_peak_bytes"] <= 24 * GB and plan["quantization"]["mode"] == "fp8"
    assert plan["quantization"]["transformer_bytes"] < 0.55 * 2 * plan["components"]["animate.transformer"]["params"] * 2  # both experts, against bf16
