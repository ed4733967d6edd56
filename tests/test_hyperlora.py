"""HyperLoRA: the maths by hand, the published layout, the SDXL module map, the face input,
and the keyframe stage on the tiny SDXL (faces shipped in packages: runs without ../shared)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from omegaconf import OmegaConf
from PIL import Image

from stdt2v.models.hyperlora import (
    PROJECTIONS,
    HyperLoRA,
    HyperResampler,
    IDProjector,
    attention_modules,
    diffusers_module_path,
    load_hyperlora,
    save_hyperlora,
)

ROOT = Path(__file__).resolve().parent.parent


def _tiny_hyperlora(modules, bases, num_bases):
    return HyperLoRA(
        modules,
        bases,
        IDProjector(id_dim=4, width=8),
        HyperResampler(8 * len(modules), width=8, depth=1, heads=1, dim_head=8, clip_dim=8, id_width=8, num_bases=num_bases),
    )


def test_basis_mixing_transposes_and_alpha_by_hand():
    modules = {"down_blocks.1.attentions.0.transformer_blocks.0.attn1": {"hidden_size": 2, "cross_attention_dim": None}}
    down = torch.tensor([[[1.0], [0.0]], [[0.0], [1.0]]])  # [K=2, in=2, r=1]
    up = torch.tensor([[[1.0, 2.0]], [[3.0, 4.0]]])  # [K=2, r=1, out=2]
    bases = {f"0.{p}.id_{kind}_basis": (down if kind == "down" else up) for p in PROJECTIONS for kind in ("down", "up")}
    hyper = _tiny_hyperlora(modules, bases, num_bases=2)
    coefficients = torch.tensor([[0.6, 0.8], [1.0, 0.0]] * 4)  # each projection: c_down=(0.6, 0.8), c_up=(1, 0)
    state = hyper.lora_state_dict(coefficients)
    prefix = "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1"
    assert set(state) == {f"{prefix}_{p}.{w}" for p in ("to_q", "to_k", "to_v", "to_out_0") for w in ("lora_down.weight", "lora_up.weight", "alpha")}
    # down = 0.6·[1, 0]ᵀ + 0.8·[0, 1]ᵀ = [[0.6], [0.8]] (in × r) → lora_down = downᵀ = [[0.6, 0.8]]
    torch.testing.assert_close(state[f"{prefix}_to_q.lora_down.weight"], torch.tensor([[0.6, 0.8]]))
    # up = 1·[[1, 2]] + 0·[[3, 4]] (r × out) → lora_up = upᵀ = [[1], [2]]
    torch.testing.assert_close(state[f"{prefix}_to_out_0.lora_up.weight"], torch.tensor([[1.0], [2.0]]))
    assert float(state[f"{prefix}_to_k.alpha"]) == 0.5  # alpha / rank = 0.5 (4.0 for the released rank 8)


def test_the_sdxl_module_map_reaches_all_140_attention_modules_in_both_numberings():
    from diffusers import UNet2DConditionModel

    config = json.loads((ROOT / "stdt2v" / "models" / "architectures" / "sdxl_unet.json").read_text())
    with torch.device("meta"):
        unet = UNet2DConditionModel.from_config(config)
    modules = attention_modules(unet)
    assert len(modules) == 140
    assert sum(m["hidden_size"] == 640 for m in modules.values()) == 20 and sum(m["hidden_size"] == 1280 for m in modules.values()) == 120
    assert {m["cross_attention_dim"] for m in modules.values() if m["cross_attention_dim"]} == {2048}
    # SGM numbering: input_blocks.{4,5,7,8}.1, middle_block.1, output_blocks.{0..5}.1
    layers = {4: 2, 5: 2, 7: 10, 8: 10}
    sgm = [f"input_blocks_{b}_1_transformer_blocks_{t}_{a}" for b, n in layers.items() for t in range(n) for a in ("attn1", "attn2")]
    sgm += [f"middle_block_1_transformer_blocks_{t}_{a}" for t in range(10) for a in ("attn1", "attn2")]
    sgm += [f"output_blocks_{b}_1_transformer_blocks_{t}_{a}" for b in range(6) for t in range(10 if b < 3 else 2) for a in ("attn1", "attn2")]
    mapped = {diffusers_module_path(name) for name in sgm}
    assert mapped == set(modules)
    assert {diffusers_module_path(name.replace(".", "_")) for name in modules} == set(modules)  # diffusers numbering, kohya style
    named = dict(unet.named_modules())
    for path, widths in modules.items():
        attention = named[path]
        assert attention.to_q.in_features == widths["hidden_size"] and attention.to_out[0].out_features == widths["hidden_size"]


def test_tiny_checkpoint_has_the_published_layout_and_loads_through_the_same_path(tiny_cache, tmp_path):
    from stdt2v.loading import resolve_model_source

    folder = Path(resolve_model_source("tiny:hyperlora-sdxl", tiny_cache, marker="hyper_lora_modules.json"))
    assert {p.name for p in folder.iterdir()} >= {
        "hyper_lora_modules.json",
        "hyper_lora_modules.safetensors",
        "resampler.safetensors",
        "id_projector.safetensors",
        "image_encoder",
    }
    hyper = load_hyperlora(folder)
    assert hyper.id_dim == 128 and hyper.resampler.latents.shape[1] == 8 * len(hyper.module_names)
    save_hyperlora(hyper, tmp_path / "copy")  # and back: the same numbers
    again = load_hyperlora(tmp_path / "copy")
    emb, clip = torch.randn(1, 128), torch.randn(1, 5, hyper.clip_dim)
    torch.testing.assert_close(again.coefficients(emb, clip), hyper.coefficients(emb, clip), atol=1e-3, rtol=1e-3)


def test_averaging_several_references_happens_before_normalisation(tiny_cache):
    from stdt2v.loading import resolve_model_source

    hyper = load_hyperlora(resolve_model_source("tiny:hyperlora-sdxl", tiny_cache, marker="hyper_lora_modules.json"))
    torch.manual_seed(0)
    emb, clip = torch.randn(2, 128), torch.randn(2, 5, hyper.clip_dim)
    both = hyper.coefficients(emb, clip)
    raw = hyper.resampler(hyper.id_projector(emb), clip)  # [2, Q, K]
    expected = raw.mean(0) / raw.mean(0).norm(dim=-1, keepdim=True)
    torch.testing.assert_close(both, expected)
    assert not torch.allclose(both, hyper.coefficients(emb[:1], clip[:1]), atol=1e-3)
    torch.testing.assert_close(both.norm(dim=-1), torch.ones(both.shape[0]))


@pytest.fixture(scope="module")
def faces():
    import skimage.data

    from stdt2v.io import load_image

    return {"hopper": load_image("builtin:grace_hopper"), "astronaut": Image.fromarray(skimage.data.astronaut())}


def test_face_input_grey_outside_the_outline_and_the_face_inside_the_crop(face_analyzer, faces):
    from stdt2v.face.hyper_input import GREY, hyper_face_input

    rgb = np.asarray(faces["hopper"])
    face_input = hyper_face_input(face_analyzer, rgb)
    crop = np.asarray(face_input.clip_image)
    x0, y0, x1, y1 = face_input.box
    assert crop.shape[0] == crop.shape[1] == x1 - x0 == y1 - y0  # square
    corners = np.concatenate([crop[:4, :4].reshape(-1, 3), crop[-4:, -4:].reshape(-1, 3)])
    assert np.abs(corners.astype(int) - GREY).max() <= 1  # grey outside the face outline
    face = face_analyzer.largest_face(rgb)
    for px, py in face.landmarks:  # every landmark inside the crop
        assert x0 < px < x1 and y0 < py < y1
    centre = crop[crop.shape[0] // 2 - 4 : crop.shape[0] // 2 + 4, crop.shape[1] // 2 - 4 : crop.shape[1] // 2 + 4]
    assert np.abs(centre.astype(int) - GREY).mean() > 10  # the face, not the grey canvas
    assert face_input.embedding.shape == (128,) and abs(np.linalg.norm(face_input.embedding) - 1) < 1e-4


@pytest.fixture(scope="module")
def hyper_generator(tiny_cache, face_analyzer):
    from stdt2v.config import load_config
    from stdt2v.keyframe import build_keyframe_generator
    from stdt2v.loading import resolve_model_source

    cfg = load_config(
        ROOT / "configs" / "demo.yaml",
        ["keyframe.identity.adapter=hyperlora", "keyframe.identity.path=tiny:hyperlora-sdxl", "keyframe.identity.scale=1.0", "progress=false"],
    )
    source = resolve_model_source(cfg.keyframe.model, tiny_cache, key="keyframe.model")
    return build_keyframe_generator(
        cfg.keyframe, source=source, device="cpu", dtype=torch.float32, cache_dir=str(tiny_cache), progress=False, face_analyzer=face_analyzer
    )


def _keyframe(generator, image, scale=None, seed=0):
    from stdt2v.keyframe import Identity

    if scale is not None:
        generator.conditioner.set_scale(scale)
    identity = Identity(np.zeros(128, np.float32), images=[image])
    return np.asarray(generator.generate("fcsks fxhks fhyks, a woman, close-up", height=64, width=64, seeds=[seed], identity=identity)[0])


@pytest.mark.slow
def test_two_faces_give_two_loras_and_two_keyframes_and_the_lora_is_replaced(hyper_generator, faces):
    conditioner = hyper_generator.conditioner
    a = _keyframe(hyper_generator, faces["hopper"], scale=1.0)
    lora_a = {k: v.clone() for k, v in conditioner._cache[next(iter(conditioner._cache))].items()}
    a_again = _keyframe(hyper_generator, faces["hopper"])  # computed once per identity: reused
    assert conditioner.report.identities == 1
    b = _keyframe(hyper_generator, faces["astronaut"])
    lora_b = next(iter(conditioner._cache.values()))
    assert conditioner.report.identities == 2 and len(conditioner.report.seconds) == 2
    assert any(not torch.allclose(lora_a[k], lora_b[k]) for k in lora_a)
    assert np.array_equal(a, a_again) and not np.array_equal(a, b)
    assert list(hyper_generator.pipe.unet.peft_config) == ["hyperlora"]  # replaced, never stacked


def test_scale_zero_is_the_base_model_bit_for_bit(hyper_generator, faces, tiny_cache):
    from stdt2v.config import load_config
    from stdt2v.keyframe import build_keyframe_generator
    from stdt2v.loading import resolve_model_source

    cfg = load_config(ROOT / "configs" / "demo.yaml", ["keyframe.identity.adapter=none", "progress=false"])
    base = build_keyframe_generator(
        cfg.keyframe, source=resolve_model_source(cfg.keyframe.model, tiny_cache, key="keyframe.model"), device="cpu", dtype=torch.float32, progress=False
    )
    plain = np.asarray(base.generate("fcsks fxhks fhyks, a woman, close-up", height=64, width=64, seeds=[0])[0])
    assert np.array_equal(_keyframe(hyper_generator, faces["hopper"], scale=0.0), plain)
    assert not np.array_equal(_keyframe(hyper_generator, faces["hopper"], scale=1.0), plain)


def test_the_wrong_identity_width_is_one_line(tiny_cache, monkeypatch):
    import stdt2v.keyframe.hyperlora_identity as module
    from stdt2v.errors import StdT2VError
    from stdt2v.face.hyper_input import HyperFaceInput
    from stdt2v.loading import resolve_model_source

    encoder = module.HyperLoRAEncoder.from_pretrained(resolve_model_source("tiny:hyperlora-sdxl", tiny_cache, marker="hyper_lora_modules.json"), None, None)
    arcface = np.ones(512, np.float32) / 512**0.5  # a 512-d ArcFace vector into the 128-d tiny projector
    monkeypatch.setattr(module, "hyper_face_input", lambda analyzer, image: HyperFaceInput(Image.new("RGB", (32, 32)), arcface, (0, 0, 32, 32)))
    with pytest.raises(StdT2VError, match="reads 128-d identity vectors, the face backend gives 512-d") as err:
        encoder.lora_state_dict([Image.new("RGB", (32, 32))])
    assert "\n" not in str(err.value)


def test_hyperlora_cli_writes_a_kohya_lora_that_diffusers_loads(tiny_cache, tmp_path):
    from diffusers import StableDiffusionXLPipeline
    from safetensors.torch import load_file

    from stdt2v.loading import resolve_model_source

    out = tmp_path / "face_lora.safetensors"
    cmd = [
        sys.executable,
        "-m",
        "stdt2v",
        "hyperlora",
        "--config",
        str(ROOT / "configs" / "demo.yaml"),
        "--id-image",
        "builtin:grace_hopper",
        "--output",
        str(out),
        "keyframe.identity.adapter=hyperlora",
        "keyframe.identity.path=tiny:hyperlora-sdxl",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "STDT2V_CACHE": str(tiny_cache)})
    assert done.returncode == 0, done.stderr[-1500:]
    state = load_file(str(out))
    assert all(k.endswith((".lora_down.weight", ".lora_up.weight", ".alpha")) for k in state)
    assert sum(k.endswith(".alpha") for k in state) * 3 == len(state)
    pipe = StableDiffusionXLPipeline.from_pretrained(resolve_model_source("tiny:sdxl", tiny_cache, key="keyframe.model"))
    pipe.load_lora_weights(str(tmp_path), weight_name=out.name, adapter_name="face")
    assert sum(1 for _, m in pipe.unet.named_modules() if hasattr(m, "lora_A") and "face" in m.lora_A) == len(state) // 3


def test_ipvg_presets_name_the_recipe():
    from stdt2v.config import load_config

    cfg = load_config(ROOT / "configs" / "ipvg.yaml")
    assert cfg.keyframe.model == "SG161222/RealVisXL_V4.0" and cfg.keyframe.identity.adapter.value == "hyperlora"
    assert cfg.keyframe.identity.trigger == "fcsks fxhks fhyks" and cfg.keyframe.identity.scale == 0.85
    assert (cfg.keyframe.height, cfg.keyframe.width, cfg.keyframe.num_inference_steps, cfg.keyframe.guidance_scale) == (480, 832, 20, 5.0)
    assert cfg.animate.model == "Wan-AI/Wan2.2-TI2V-5B-Diffusers" and (cfg.animate.num_frames, cfg.animate.fps) == (121, 24)
    assert cfg.prompts.instructions == "ipvg" and cfg.eval.protocol.value == "consisid"
    a14b = load_config(ROOT / "configs" / "ipvg_a14b.yaml")
    assert a14b.animate.model == "Wan-AI/Wan2.2-I2V-A14B-Diffusers" and a14b.keyframe.identity.adapter.value == "hyperlora"
    assert OmegaConf.to_container(a14b.keyframe) == OmegaConf.to_container(cfg.keyframe)


@pytest.mark.slow
def test_generate_with_hyperlora_offline_and_a_keyframe_rendered_at_its_own_size(tiny_cache, tmp_path):
    out = tmp_path / "run"
    cmd = [
        sys.executable,
        "-m",
        "stdt2v",
        "generate",
        "--config",
        str(ROOT / "configs" / "demo.yaml"),
        "--id-image",
        "builtin:grace_hopper",
        "--prompt",
        "A woman with short grey hair smiles in a bright office.",
        "--output",
        str(out),
        "keyframe.identity.adapter=hyperlora",
        "keyframe.identity.path=tiny:hyperlora-sdxl",
        "keyframe.identity.scale=0.5",
        "keyframe.identity.trigger=fcsks fxhks fhyks",
        "keyframe.height=64",
        "keyframe.width=64",
        "animate.num_frames=5",
        "animate.height=64",
        "animate.width=96",
        "keyframe.num_candidates=1",
        "progress=false",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "STDT2V_CACHE": str(tiny_cache)})
    assert done.returncode == 0, done.stderr[-1500:]
    report = json.loads((out / "report.json").read_text())
    assert report["keyframe"]["identity_adapter"]["identities"] == 1 and report["keyframe"]["identity_adapter"]["identity_to_lora_seconds"][0] > 0
    assert report["keyframe"]["fitted"] == {"from": [64, 64], "to": [96, 64], "how": "scaled to cover, centre crop"}
    prompts = json.loads((out / "prompts.json").read_text())
    assert prompts["spatial"].startswith("fcsks fxhks fhyks, A woman")
    assert Image.open(out / "keyframe.png").size == (96, 64)
