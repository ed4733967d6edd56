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
    load_hyperlora,
    save_hyperlora,
)

ROOT = Path(__file__).resolve().parent.parent
NORMS = ("norm_attn1", "norm_attn2_l", "norm_attn2_x", "norm_attn3_l", "norm_attn3_y", "norm_ff")


def _tiny_hyperlora(modules, bases, num_bases):
    return HyperLoRA(
        modules,
        bases,
        IDProjector(id_dim=4, width=8),
        HyperResampler(8 * len(modules), width=8, depth=1, heads=1, dim_head=8, clip_dim=8, id_width=8, num_bases=num_bases, ff_inner=32),
    )


def test_basis_mixing_transposes_and_alpha_by_hand():
    name = "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1"
    modules = {name: {"hidden_size": 2, "cross_attention_dim": None}}
    down = torch.tensor([[[1.0], [0.0]], [[0.0], [1.0]]])  # [K=2, in=2, r=1]
    up = torch.tensor([[[1.0, 2.0]], [[3.0, 4.0]]])  # [K=2, r=1, out=2]
    bases = {f"0.{p}.id_{kind}_basis": (down if kind == "down" else up) for p in PROJECTIONS for kind in ("down", "up")}
    hyper = _tiny_hyperlora(modules, bases, num_bases=2)
    coefficients = torch.tensor([[0.6, 0.8], [1.0, 0.0]] * 4)  # each projection: c_down=(0.6, 0.8), c_up=(1, 0)
    state = hyper.lora_state_dict(coefficients)
    assert set(state) == {f"{name}_{p}.{w}" for p in ("to_q", "to_k", "to_v", "to_out_0") for w in ("lora_down.weight", "lora_up.weight", "alpha")}
    # down = 0.6·[1, 0]ᵀ + 0.8·[0, 1]ᵀ = [[0.6], [0.8]] (in × r) → lora_down = downᵀ = [[0.6, 0.8]]
    torch.testing.assert_close(state[f"{name}_to_q.lora_down.weight"], torch.tensor([[0.6, 0.8]]))
    # up = 1·[[1, 2]] + 0·[[3, 4]] (r × out) → lora_up = upᵀ = [[1], [2]]
    torch.testing.assert_close(state[f"{name}_to_out_0.lora_up.weight"], torch.tensor([[1.0], [2.0]]))
    assert float(state[f"{name}_to_k.alpha"]) == 0.5  # alpha / rank = 0.5 (4.0 for the released rank 8)


def test_the_sdxl_unet_has_the_release_s_140_modules_in_its_json_order():
    from diffusers import UNet2DConditionModel

    config = json.loads((ROOT / "stdt2v" / "models" / "architectures" / "sdxl_unet.json").read_text())
    with torch.device("meta"):
        unet = UNet2DConditionModel.from_config(config)
    modules = attention_modules(unet)
    assert len(modules) == 140
    assert sum(m["hidden_size"] == 640 for m in modules.values()) == 20 and sum(m["hidden_size"] == 1280 for m in modules.values()) == 120
    assert {m["cross_attention_dim"] for m in modules.values() if m["cross_attention_dim"]} == {2048}
    assert list(modules)[:3] == [
        "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1",
        "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2",
        "lora_unet_down_blocks_1_attentions_0_transformer_blocks_1_attn1",
    ]


# ---------------------------------------------------------------- a folder written from RECIPES.md §4 alone

# Written key by key from the release's description, not with the project's classes: W = 128
# (two 64-wide heads), depth 2, 4 identity tokens from 128-d vectors (the dlib backend's), the tiny
# CLIP's 32-d hidden states, K = 8 bases of rank 2, two modules.
W, DEPTH, ID_TOKENS, ID_DIM, CLIP_DIM, K, RANK = 128, 2, 4, 128, 32, 8, 2
MODULES = {
    "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1": {"hidden_size": 6, "cross_attention_dim": None},
    "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2": {"hidden_size": 6, "cross_attention_dim": 5},
}


def _release_folder(folder: Path, seed: int = 0, zero_inputs: bool = False) -> Path:
    from safetensors.torch import save_file

    g = torch.Generator().manual_seed(seed)
    rand = lambda *shape: (torch.randn(*shape, generator=g) * 0.3).half()  # noqa: E731
    norm = lambda: (1 + rand(W).float() * 0.5).half()  # noqa: E731
    resampler = {"latents": rand(1, 8 * len(MODULES), W), "proj_out.weight": rand(K, W), "proj_out.bias": rand(K)}
    for name, width in (("proj_in", W), ("proj_in_2", CLIP_DIM)):
        resampler[f"{name}.weight"] = torch.zeros(W, width).half() if zero_inputs else rand(W, width)
        resampler[f"{name}.bias"] = rand(W)
    for n in range(DEPTH):
        for norm_name in NORMS:
            resampler[f"layers.{n}.{norm_name}.weight"], resampler[f"layers.{n}.{norm_name}.bias"] = norm(), rand(W)
        for attn in ("attn1", "attn2", "attn3"):
            for proj in ("to_q", "to_k", "to_v"):
                resampler[f"layers.{n}.{attn}.{proj}.weight"] = rand(W, W)
            resampler[f"layers.{n}.{attn}.to_out.0.weight"] = rand(W, W)
        resampler[f"layers.{n}.ff.net.0.proj.weight"], resampler[f"layers.{n}.ff.net.0.proj.bias"] = rand(4 * W, W), rand(4 * W)
        resampler[f"layers.{n}.ff.net.2.weight"], resampler[f"layers.{n}.ff.net.2.bias"] = rand(W, 4 * W), rand(W)
    projector = {"0.weight": rand(ID_TOKENS * W, ID_DIM), "0.bias": rand(ID_TOKENS * W), "2.weight": norm(), "2.bias": rand(W)}
    bases = {}
    for i, widths in enumerate(MODULES.values()):
        hidden, cross = widths["hidden_size"], widths["cross_attention_dim"] or widths["hidden_size"]
        for p in PROJECTIONS:
            bases[f"{i}.{p}.id_down_basis"] = rand(K, cross if p in ("to_k", "to_v") else hidden, RANK)
            bases[f"{i}.{p}.id_up_basis"] = rand(K, RANK, hidden)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hyper_lora_modules.json").write_text(json.dumps(MODULES))
    save_file(resampler, str(folder / "resampler.safetensors"))
    save_file(projector, str(folder / "id_projector.safetensors"))
    save_file(bases, str(folder / "hyper_lora_modules.safetensors"))
    return folder


def _reference_lora(folder: Path, embeddings: torch.Tensor, clip_hidden: torch.Tensor) -> dict[str, torch.Tensor]:
    """§4 in plain torch: every step as RECIPES.md says it, in float64."""
    from safetensors.torch import load_file

    res = {k: v.double() for k, v in load_file(str(folder / "resampler.safetensors")).items()}
    proj = {k: v.double() for k, v in load_file(str(folder / "id_projector.safetensors")).items()}
    bases = {k: v.double() for k, v in load_file(str(folder / "hyper_lora_modules.safetensors")).items()}
    ln = lambda t, p: torch.nn.functional.layer_norm(t, (W,), res[f"{p}.weight"], res[f"{p}.bias"], eps=1e-5)  # noqa: E731

    def attention(prefix, query, context):
        q, k, v = (t @ res[f"{prefix}.{n}.weight"].T for t, n in ((query, "to_q"), (context, "to_k"), (context, "to_v")))
        heads = lambda t: t.reshape(*t.shape[:2], -1, 64).transpose(1, 2)  # noqa: E731
        weights = torch.softmax(heads(q) @ heads(k).transpose(-1, -2) / 64**0.5, dim=-1)
        return (weights @ heads(v)).transpose(1, 2).reshape(q.shape) @ res[f"{prefix}.to_out.0.weight"].T

    n = embeddings.shape[0]
    ids = embeddings.double() @ proj["0.weight"].T + proj["0.bias"]
    ids = torch.nn.functional.layer_norm(ids.reshape(n, ID_TOKENS, W), (W,), proj["2.weight"], proj["2.bias"], eps=1e-5)
    x = ids @ res["proj_in.weight"].T + res["proj_in.bias"]
    y = clip_hidden.double() @ res["proj_in_2.weight"].T + res["proj_in_2.bias"]
    latents = res["latents"].expand(n, -1, -1)
    for b in range(DEPTH):
        p = f"layers.{b}"
        latents = latents + attention(f"{p}.attn1", ln(latents, f"{p}.norm_attn1"), ln(latents, f"{p}.norm_attn1"))
        latents = latents + attention(f"{p}.attn2", ln(latents, f"{p}.norm_attn2_l"), ln(x, f"{p}.norm_attn2_x"))
        latents = latents + attention(f"{p}.attn3", ln(latents, f"{p}.norm_attn3_l"), ln(y, f"{p}.norm_attn3_y"))
        hidden = ln(latents, f"{p}.norm_ff") @ res[f"{p}.ff.net.0.proj.weight"].T + res[f"{p}.ff.net.0.proj.bias"]
        latents = latents + torch.nn.functional.gelu(hidden) @ res[f"{p}.ff.net.2.weight"].T + res[f"{p}.ff.net.2.bias"]
    tokens = (latents @ res["proj_out.weight"].T + res["proj_out.bias"]).mean(0)
    tokens = tokens / torch.sqrt((tokens**2).sum(-1, keepdim=True) + 1e-8)
    lora = {}
    for i, name in enumerate(MODULES):
        for j, (p, kohya) in enumerate(zip(PROJECTIONS, ("to_q", "to_k", "to_v", "to_out_0"))):
            c_down, c_up = tokens[8 * i + 2 * j], tokens[8 * i + 2 * j + 1]
            lora[f"{name}_{kohya}.lora_down.weight"] = torch.einsum("k,kir->ir", c_down, bases[f"{i}.{p}.id_down_basis"]).T
            lora[f"{name}_{kohya}.lora_up.weight"] = torch.einsum("k,kro->ro", c_up, bases[f"{i}.{p}.id_up_basis"]).T
            lora[f"{name}_{kohya}.alpha"] = torch.tensor(RANK / 2.0)
    return lora


def test_a_folder_written_from_the_release_description_gives_its_lora(tmp_path):
    folder = _release_folder(tmp_path / "release")
    hyper = load_hyperlora(folder)
    assert (hyper.id_dim, hyper.clip_dim, hyper.rank, len(hyper.resampler.layers)) == (ID_DIM, CLIP_DIM, RANK, DEPTH)
    assert hyper.resampler.layers[0].attn1.heads == 2  # 128 / 64
    g = torch.Generator().manual_seed(1)
    emb, clip = torch.randn(2, ID_DIM, generator=g), torch.randn(2, 7, CLIP_DIM, generator=g)  # two references: averaged
    state = hyper.lora_state_dict(hyper.coefficients(emb, clip))
    expected = _reference_lora(folder, emb, clip)
    assert set(state) == set(expected)
    for key, value in expected.items():
        torch.testing.assert_close(state[key].double(), value.double(), atol=2e-4, rtol=2e-3)


def test_with_zero_input_projections_the_tokens_are_the_weights_own_by_hand(tmp_path):
    """Zero input projections: the identity and CLIP tokens are the biases alone, so every face gives
    the same LoRA; with the attentions' outputs and the FFN's second layer zeroed as well, each
    block adds only the FFN's output bias, and the tokens are L2(proj_out(latents + Σ b_ff))."""
    from safetensors.torch import load_file, save_file

    folder = _release_folder(tmp_path / "release", zero_inputs=True)
    res = load_file(str(folder / "resampler.safetensors"))
    for key in res:
        if key.endswith(("to_out.0.weight", "ff.net.2.weight")):
            res[key] = torch.zeros_like(res[key])
    save_file(res, str(folder / "resampler.safetensors"))
    hyper = load_hyperlora(folder)
    a = hyper.coefficients(torch.randn(1, ID_DIM), torch.randn(1, 7, CLIP_DIM))
    b = hyper.coefficients(torch.randn(3, ID_DIM), torch.randn(3, 5, CLIP_DIM))
    latents = res["latents"][0].float() + sum(res[f"layers.{n}.ff.net.2.bias"].float() for n in range(DEPTH))
    tokens = latents @ res["proj_out.weight"].float().T + res["proj_out.bias"].float()
    by_hand = tokens / torch.sqrt((tokens**2).sum(-1, keepdim=True) + 1e-8)
    torch.testing.assert_close(a, by_hand, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(b, by_hand, atol=1e-5, rtol=1e-4)


def test_each_of_the_six_layernorms_counts_and_there_is_no_output_norm(tmp_path):
    hyper = load_hyperlora(_release_folder(tmp_path / "release"))
    assert not any("norm_out" in key for key in hyper.resampler.state_dict())
    g = torch.Generator().manual_seed(2)
    emb, clip = torch.randn(1, ID_DIM, generator=g), torch.randn(1, 7, CLIP_DIM, generator=g)
    base = hyper.coefficients(emb, clip)
    for name in NORMS:
        norm = getattr(hyper.resampler.layers[0], name)
        with torch.no_grad():
            norm.weight.mul_(1.5)
        assert (hyper.coefficients(emb, clip) - base).abs().max() > 1e-3, name
        with torch.no_grad():
            norm.weight.div_(1.5)
    torch.testing.assert_close(hyper.coefficients(emb, clip), base)


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        ("resampler.safetensors", lambda s: s.update({"layers.0.norm_ff.gamma": s.pop("layers.0.norm_ff.weight")}), "key 'layers.0.norm_ff.weight' is missing"),
        ("resampler.safetensors", lambda s: s.update({"norm_out.weight": torch.ones(W).half()}), "unexpected key 'norm_out.weight'"),
        ("id_projector.safetensors", lambda s: s.update({"2.bias": torch.zeros(W + 1).half()}), "key '2.bias' has shape [129], expected [128]"),
        ("hyper_lora_modules.safetensors", lambda s: s.pop("1.to_k.id_down_basis"), "key '1.to_k.id_down_basis' is missing"),
    ],
)
def test_a_missing_extra_or_misshapen_key_is_one_line_naming_the_file_and_key(tmp_path, file, edit, message):
    from safetensors.torch import load_file, save_file

    from stdt2v.errors import ConfigError

    folder = _release_folder(tmp_path / "release")
    state = load_file(str(folder / file))
    edit(state)
    save_file(state, str(folder / file))
    with pytest.raises(ConfigError) as err:
        load_hyperlora(folder)
    assert message in str(err.value) and file in str(err.value) and "\n" not in str(err.value)


def test_tiny_checkpoint_has_the_release_layout_and_loads_through_the_same_path(tiny_cache, tmp_path):
    from safetensors.torch import load_file

    from stdt2v.loading import resolve_model_source

    folder = Path(resolve_model_source("tiny:hyperlora-sdxl", tiny_cache, marker="hyper_lora_modules.json"))
    assert {p.name for p in folder.iterdir()} >= {
        "hyper_lora_modules.json",
        "hyper_lora_modules.safetensors",
        "resampler.safetensors",
        "id_projector.safetensors",
        "image_encoder",
    }
    assert set(load_file(str(folder / "id_projector.safetensors"))) == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert {k for k in load_file(str(folder / "resampler.safetensors")) if k.startswith("layers.0.norm")} == {
        f"layers.0.{n}.{w}" for n in NORMS for w in ("weight", "bias")
    }
    assert all(name.startswith("lora_unet_") for name in json.loads((folder / "hyper_lora_modules.json").read_text()))
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
    expected = raw.mean(0) / torch.sqrt((raw.mean(0) ** 2).sum(-1, keepdim=True) + 1e-8)
    torch.testing.assert_close(both, expected)
    assert not torch.allclose(both, hyper.coefficients(emb[:1], clip[:1]), atol=1e-3)


@pytest.fixture(scope="module")
def faces():
    import skimage.data

    from stdt2v.io import load_image

    return {"hopper": load_image("builtin:grace_hopper"), "astronaut": Image.fromarray(skimage.data.astronaut())}


def test_the_mask_polygon_is_the_release_s_points_or_dlib_s_jaw_and_brows():
    from stdt2v.face.hyper_input import MASK_POINTS_68, MASK_POINTS_106

    # RECIPES.md §4 calls them "41 fixed landmarks" and lists 43 (the jaw 0–32 is 33 points): the list wins.
    assert MASK_POINTS_106 == (*range(33), 43, 48, 49, 50, 51, 101, 102, 103, 104, 105)
    assert MASK_POINTS_68 == (*range(17), 26, 25, 24, 23, 22, 21, 20, 19, 18, 17)  # jaw, then back over the brows


def test_the_mask_blur_is_relative_to_the_face_not_the_image():
    from stdt2v.face.hyper_input import blurred_mask

    square = np.array([[100, 100], [200, 100], [200, 200], [100, 200]], np.float32)  # a 100-px face
    small, large = np.asarray(blurred_mask((400, 400), square)), np.asarray(blurred_mask((3000, 3000), square))
    np.testing.assert_array_equal(small, large[:400, :400])  # the same blur whatever the image size
    assert large[400:, :].max() == 0 and large[:, 400:].max() == 0
    # The square cut around the mean has half-side 0.8·100 = 80 px (160 px → 512): radius 15 at
    # 512 px is a sigma of 15·160/512 ≈ 4.7 px here, so the edge is soft over ~15 px only.
    row = small[150].astype(int)
    assert row[150] == 255 and row[112] > 250 and row[85] < 3 and 60 < row[100] < 200


def test_face_input_on_a_real_face_grey_canvas_clip_crop_and_arcface(face_analyzer, faces):
    from stdt2v.face.hyper_input import GREY, clip_box, first_face, hyper_face_input

    rgb = np.asarray(faces["hopper"])
    face_input = hyper_face_input(face_analyzer, rgb)
    face, size = first_face(face_analyzer, rgb)
    dense = face_analyzer.dense_landmarks(rgb, face)
    box, half, (cx, cy) = clip_box(dense)
    assert face_input.box == box and size == 640 == face_input.detect_size
    (x0, y0), (x1, y1) = dense.min(0), dense.max(0)
    assert half == pytest.approx(0.75 * max(x1 - x0, y1 - y0)) and cy == pytest.approx((y0 + y1) / 2 - 0.125 * half)
    crop = np.asarray(face_input.clip_image)
    assert crop.shape[:2] == (round(box[3]) - round(box[1]), round(box[2]) - round(box[0]))
    corners = np.concatenate([crop[:4, :4].reshape(-1, 3), crop[-4:, -4:].reshape(-1, 3)])
    assert np.abs(corners.astype(int) - GREY).max() <= 1  # grey outside the face outline
    centre = crop[crop.shape[0] // 2 - 4 : crop.shape[0] // 2 + 4, crop.shape[1] // 2 - 4 : crop.shape[1] // 2 + 4]
    assert np.abs(centre.astype(int) - GREY).mean() > 10  # the face, not the grey canvas
    assert "68-point" in face_input.polygon  # dlib: the jaw and brows stand in, and the report says so
    assert face_input.embedding.shape == (128,) and abs(np.linalg.norm(face_input.embedding) - 1) < 1e-4


def test_outside_the_image_the_clip_crop_is_black(face_analyzer, faces):
    from stdt2v.face.hyper_input import hyper_face_input

    rgb = np.asarray(faces["hopper"])
    x0, y0, x1, y1 = face_analyzer.largest_face(rgb).bbox
    cut = rgb[int(y0) + 10 :, int(x0) + 10 :]  # the face at the top-left corner: the crop leaves the image
    face_input = hyper_face_input(face_analyzer, cut)
    assert face_input.box[0] < 0 and face_input.box[1] < 0
    crop = np.asarray(face_input.clip_image)
    assert crop[:3, :3].max() == 0  # black (PIL's crop), not the grey canvas


@pytest.fixture(scope="module")
def hyper_generator(tiny_cache, face_analyzer):
    from stdt2v.config import load_config
    from stdt2v.keyframe import build_keyframe_generator
    from stdt2v.loading import resolve_model_source
    from stdt2v.sources import Sources, identity_sources

    cfg = load_config(
        ROOT / "configs" / "demo.yaml",
        ["keyframe.identity.adapter=hyperlora", "keyframe.identity.path=tiny:hyperlora-sdxl", "keyframe.identity.scale=1.0", "progress=false"],
    )
    source = resolve_model_source(cfg.keyframe.model, tiny_cache, key="keyframe.model")
    sources = Sources(torch.device("cpu"), torch.float32, cache_dir=str(tiny_cache), keyframe=source, **identity_sources(cfg.keyframe, str(tiny_cache)))
    return build_keyframe_generator(cfg.keyframe, sources, progress=False, face_analyzer=face_analyzer)


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
    from stdt2v.sources import Sources

    cfg = load_config(ROOT / "configs" / "demo.yaml", ["keyframe.identity.adapter=none", "progress=false"])
    source = resolve_model_source(cfg.keyframe.model, tiny_cache, key="keyframe.model")
    base = build_keyframe_generator(cfg.keyframe, Sources(torch.device("cpu"), torch.float32, keyframe=source), progress=False)
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
    face_input = HyperFaceInput(Image.new("RGB", (32, 32)), arcface, (0, 0, 32, 32), 640, "test")
    monkeypatch.setattr(module, "hyper_face_input", lambda analyzer, image, what: face_input)
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


def _hyperlora_cli(tiny_cache, folder: Path, clip: str, out: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "stdt2v", "hyperlora", "--config", str(ROOT / "configs" / "demo.yaml"), "--id-image", "builtin:grace_hopper"]
    cmd += ["--output", str(out), "keyframe.identity.adapter=hyperlora", f"keyframe.identity.path={folder}", f"keyframe.identity.image_encoder={clip}"]
    return subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "STDT2V_CACHE": str(tiny_cache), "HF_HUB_OFFLINE": "1"})


def test_the_cli_on_a_release_folder_gives_its_lora_and_a_renamed_key_is_exit_2(tiny_cache, tmp_path):
    from safetensors.torch import load_file, save_file

    from stdt2v.loading import resolve_model_source

    clip = str(resolve_model_source("tiny:clip", tiny_cache, key="keyframe.identity.image_encoder"))
    folder = _release_folder(tmp_path / "release", zero_inputs=True)  # the LoRA does not depend on the face: comparable by hand
    out = tmp_path / "face.safetensors"
    done = _hyperlora_cli(tiny_cache, folder, clip, out)
    assert done.returncode == 0, done.stderr[-1500:]
    state = load_file(str(out))
    expected = _reference_lora(folder, torch.zeros(1, ID_DIM), torch.zeros(1, 1, CLIP_DIM))
    assert set(state) == set(expected) and float(state[f"{next(iter(MODULES))}_to_q.alpha"]) == RANK / 2
    for key, value in expected.items():
        torch.testing.assert_close(state[key].double(), value.double(), atol=2e-4, rtol=2e-3)

    resampler = load_file(str(folder / "resampler.safetensors"))
    resampler["layers.1.attn2.to_k.weights"] = resampler.pop("layers.1.attn2.to_k.weight")
    save_file(resampler, str(folder / "resampler.safetensors"))
    done = _hyperlora_cli(tiny_cache, folder, clip, tmp_path / "again.safetensors")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "resampler.safetensors" in lines[0] and "layers.1.attn2.to_k.weight" in lines[0], done.stderr
    assert not (tmp_path / "again.safetensors").exists()


def test_best_of_n_scoring_with_a_pack_of_its_own_embeds_the_reference_itself(face_analyzer, faces):
    from stdt2v.face.base import cosine
    from stdt2v.keyframe.select import FaceScorer

    pair = Image.new("RGB", (1024, 512))
    pair.paste(faces["astronaut"].resize((512, 512)), (0, 0))
    pair.paste(faces["hopper"].resize((300, 360)), (600, 80))
    largest = FaceScorer(face_analyzer, detect_size=640)
    first = FaceScorer(face_analyzer, detect_size=224, first_face=True)
    assert len(face_analyzer.detect_in_order(pair)) == 2
    assert largest.face(pair, "x").area == max(f.area for f in face_analyzer.detect_in_order(pair))
    assert first.face(pair, "x").bbox == face_analyzer.detect_in_order(pair, 224)[0].bbox
    stranger = np.ones(128, np.float32) / 128**0.5
    assert largest.reference(stranger, faces["hopper"]) is stranger  # the pipeline's vector
    own = FaceScorer(face_analyzer, first_face=True, own_reference=True, pack="buffalo_l")
    vector = own.reference(stranger, faces["hopper"])
    assert cosine(vector, face_analyzer.embed(faces["hopper"])) > 0.99
    assert own.describe() == {"analyzer": "dlib buffalo_l", "detect_size": None, "face": "first", "reference": "its own embedding of the id image"}


def test_ipvg_presets_score_with_buffalo_l_at_224_and_the_first_face():
    from stdt2v.config import load_config

    for preset in ("ipvg.yaml", "ipvg_a14b.yaml"):
        cfg = load_config(ROOT / "configs" / preset, needs_models=False)
        assert (cfg.keyframe.score_pack.value, cfg.keyframe.score_detect_size, cfg.keyframe.score_face.value) == ("buffalo_l", 224, "first")
        assert cfg.face.model_pack.value == "antelopev2"  # HyperLoRA's own input stays antelopev2


def test_a_score_pack_without_insightface_is_one_line():
    from stdt2v.config import load_config
    from stdt2v.errors import ConfigError

    with pytest.raises(ConfigError, match="keyframe.score_pack: 'buffalo_l' is an insightface pack; set face.backend=insightface"):
        load_config(ROOT / "configs" / "demo.yaml", ["keyframe.score_pack=buffalo_l"], needs_models=False)


def test_a_hyperlora_for_another_unet_is_one_line(tiny_cache, tmp_path):
    from stdt2v.errors import ConfigError
    from stdt2v.keyframe.hyperlora_identity import check_modules

    unet = {"lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1": {"hidden_size": 640, "cross_attention_dim": None}}
    check_modules(dict(unet), unet)
    with pytest.raises(ConfigError, match="is not in keyframe.model's UNet"):
        check_modules({"lora_unet_up_blocks_0_attentions_0_transformer_blocks_0_attn1": {"hidden_size": 640, "cross_attention_dim": None}}, unet)
    wider = {next(iter(unet)): {"hidden_size": 1280, "cross_attention_dim": None}}
    with pytest.raises(ConfigError, match="has widths"):
        check_modules(wider, unet)
