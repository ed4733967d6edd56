"""Image-to-video on tiny random-weight instances of each supported architecture."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import torch
from omegaconf import OmegaConf
from PIL import Image

from stdt2v.animate import build_animator
from stdt2v.animate.base import best_output_size, latent_grid_size
from stdt2v.config import load_config
from stdt2v.config.schema import AnimateConfig
from stdt2v.config.validate import check_animate as check_animate_config
from stdt2v.errors import ConfigError, StdT2VError
from stdt2v.loading import resolve_model_source
from stdt2v.sources import Sources

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
KEYFRAME = Image.new("RGB", (96, 64), (150, 110, 90))


def animator_for(cache, model: str, backend: str = "wan", **overrides):
    cfg = OmegaConf.merge(
        OmegaConf.structured(AnimateConfig),
        {"model": model, "backend": backend, "height": 64, "width": 96, "num_frames": 5, "num_inference_steps": 2},
        OmegaConf.from_dotlist([f"{k}={v}" for k, v in overrides.items()]),
    )
    source = resolve_model_source(cfg.model, cache, key="animate.model")
    return build_animator(cfg, Sources(torch.device("cpu"), torch.float32, torch.float32, animate=source), progress=False)


@pytest.mark.parametrize(
    "model, backend, overrides, frames, size, layout",
    [
        ("tiny:wan2.2-ti2v-5b", "wan", {}, 5, (64, 96), {"z_dim": 48, "experts": 1, "image_encoder": False}),
        ("tiny:wan2.2-i2v-a14b", "wan", {}, 5, (64, 96), {"z_dim": 16, "experts": 2, "image_encoder": False}),
        ("tiny:wan2.1-i2v-14b", "wan", {}, 5, (64, 96), {"z_dim": 16, "experts": 1, "image_encoder": True}),
        ("tiny:cogvideox-5b-i2v", "cogvideox", {"num_frames": 9}, 9, (64, 64), {"experts": 1}),
    ],
)
def test_each_architecture_animates(tiny_cache, model, backend, overrides, frames, size, layout):
    animator = animator_for(tiny_cache, model, backend, **overrides)
    pipe = animator.pipe
    assert len(animator.transformers) == layout["experts"]
    if "z_dim" in layout:
        assert pipe.vae.config.z_dim == layout["z_dim"]
        assert (pipe.image_encoder is not None) == layout["image_encoder"]
    video = animator.animate(KEYFRAME, "A woman smiles and turns her head.", seed=0)
    assert video.dtype == np.uint8 and video.shape == (frames, *size, 3)
    again = animator.animate(KEYFRAME, "A woman smiles and turns her head.", seed=0)
    np.testing.assert_array_equal(video, again)


def test_a14b_experts_switch_at_the_boundary(tiny_cache):
    animator = animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b", num_inference_steps=6, boundary_ratio=0.8, guidance_scale_2=2.0)
    ran = []
    for name, model in (("high", animator.pipe.transformer), ("low", animator.pipe.transformer_2)):
        model.register_forward_pre_hook(lambda module, args, kwargs, name=name: ran.append((name, float(kwargs["timestep"].flatten()[0]))), with_kwargs=True)
    animator.animate(KEYFRAME, "A man waves.", seed=0)
    assert animator.boundary_timestep == 800.0
    steps = ran[::2]  # two forwards per step: conditional and unconditional
    assert len(ran) == 12 and {name for name, _ in steps} == {"high", "low"}
    for name, timestep in ran:
        assert name == ("high" if timestep >= 800 else "low"), ran


def test_one_expert_models_refuse_expert_settings(tiny_cache):
    with pytest.raises(ConfigError, match="only Wan2.2 A14B has two experts"):
        animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", guidance_scale_2=3.0)


def test_invalid_frame_counts_name_the_valid_ones(tiny_cache):
    cfg = OmegaConf.merge(OmegaConf.structured(AnimateConfig), {"model": "x", "num_frames": 80})
    with pytest.raises(ConfigError, match=r"num_frames=80 is invalid.*4n\+1 \(e\.g\. 77 or 81"):
        check_animate_config(cfg)
    cfg = OmegaConf.merge(cfg, {"backend": "cogvideox", "num_frames": 50})
    with pytest.raises(ConfigError, match=r"num_frames=50 is invalid.*e\.g\. 49 or 53; usual lengths: CogVideoX-5B-I2V 49"):
        check_animate_config(cfg)
    with pytest.raises(ConfigError, match="positional embeddings for 9 frames only"):
        animator_for(tiny_cache, "tiny:cogvideox-5b-i2v", "cogvideox", num_frames=13)


def test_odd_resolutions_are_snapped_and_said(tiny_cache, caplog):
    animator = animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", height=70, width=100)
    with caplog.at_level(logging.WARNING):
        assert animator.video_size() == (64, 96)
    assert "100x70 (WxH) changed to 96x64" in caplog.text and "multiples of 32" in caplog.text
    cog = animator_for(tiny_cache, "tiny:cogvideox-5b-i2v", "cogvideox", num_frames=9)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert cog.video_size(1.5) == (64, 64)  # learned positional embeddings: one size only
    assert "the only size this model was trained for" in caplog.text


def test_group_offload_gives_the_same_video(tiny_cache):
    plain = animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b")
    grouped = animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", **{"memory.offload": "group", "memory.vae_tiling": True, "memory.vae_slicing": True})
    assert grouped.pipe.vae.use_tiling and grouped.pipe.vae.use_slicing
    hooks = [m for m in grouped.pipe.transformer.modules() if getattr(m, "_diffusers_hook", None) is not None]
    assert hooks  # diffusers' group-offloading hooks are installed
    np.testing.assert_allclose(
        grouped.animate(KEYFRAME, "A man waves.", seed=3).astype(int), plain.animate(KEYFRAME, "A man waves.", seed=3).astype(int), atol=2
    )


@pytest.mark.parametrize("mode", ["model", "sequential"])
def test_cpu_offload_modes_need_a_gpu(tiny_cache, mode):
    with pytest.raises(ConfigError, match=f"offload={mode} .* needs a CUDA device"):
        animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", **{"memory.offload": mode})


def test_missing_attention_backend_is_one_line(tiny_cache):
    try:
        import flash_attn  # noqa: F401

        pytest.skip("flash-attn is installed here")
    except ImportError:
        pass
    with pytest.raises(StdT2VError, match="attention_backend=flash: .*use attention_backend=native"):
        animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", attention_backend="flash")


@pytest.mark.parametrize(
    "preset, model, frames, fps",
    [
        ("wan22_ti2v_5b.yaml", "Wan-AI/Wan2.2-TI2V-5B-Diffusers", 121, 24),
        ("wan22_i2v_a14b.yaml", "Wan-AI/Wan2.2-I2V-A14B-Diffusers", 81, 16),
        ("wan21_i2v_14b_480p.yaml", "Wan-AI/Wan2.1-I2V-14B-480P-Diffusers", 81, 16),
        ("wan21_i2v_14b_720p.yaml", "Wan-AI/Wan2.1-I2V-14B-720P-Diffusers", 81, 16),
        ("cogvideox_5b_i2v.yaml", "THUDM/CogVideoX-5b-I2V", 49, 8),
        ("wan21_vace_14b.yaml", "Wan-AI/Wan2.1-VACE-14B-diffusers", 81, 16),
        ("wan21_vace_1_3b.yaml", "Wan-AI/Wan2.1-VACE-1.3B-diffusers", 81, 16),
    ],
)
def test_presets(preset, model, frames, fps, tmp_path):
    cfg = load_config(CONFIGS / preset)
    assert cfg.animate.model == model and cfg.animate.num_frames == frames and cfg.animate.fps == fps
    check_animate_config(cfg.animate)
    assert cfg.animate.height % 16 == 0 and cfg.animate.width % 16 == 0
    local = load_config(CONFIGS / preset, [f"animate.model={tmp_path}"])  # a local folder overrides the id
    assert local.animate.model == str(tmp_path)


WIDE = Image.fromarray(np.tile(np.linspace(0, 255, 200, dtype=np.uint8)[None, :, None], (100, 1, 3)))  # 200×100, a left-to-right ramp


def test_area_sizes_follow_wan22_for_an_832x480_keyframe(tiny_cache):
    """The presets' area (height × width) and Wan2.2's rounding: TI2V-5B (2.2 VAE, 16× → multiples
    of 32) and I2V-A14B (2.1 VAE, 8×, patch 2)."""
    assert best_output_size(832, 480, 32, 1280 * 704) == (704, 1248)
    assert latent_grid_size(832, 480, 8, 2, 1280 * 720) == (720, 1248)
    assert best_output_size(512, 512, 32, 1280 * 704) == (928, 960)  # a tie in aspect: the height-first pair, as Wan2.2 picks
    ti2v = animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b", height=704, width=1280, size_mode="area")
    a14b = animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b", height=720, width=1280, size_mode="area")
    assert (ti2v.vae_stride, ti2v.size_multiple, a14b.vae_stride, a14b.size_multiple) == (16, 32, 8, 16)
    assert (ti2v.size_choice((832, 480)).height, ti2v.size_choice((832, 480)).width) == (704, 1248)
    choice = a14b.size_choice((832, 480))
    assert (choice.height, choice.width) == (720, 1248)
    assert choice.to_dict() == {
        "height": 720,
        "width": 1248,
        "mode": "area",
        "rule": "Wan I2V latent grid: round(sqrt(921600 · h/w) // 8 // 2 · 2) × 8, likewise the width (Wan2.2 wan/image2video.py, Wan2.1 wan/image2video.py)",
        "area": 921600,
        "keyframe": {"width": 832, "height": 480},
        "fit": "resized to the size, no crop",
    }
    fixed = animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b", height=720, width=1280)
    assert fixed.size_choice((832, 480)).mode == "fixed" and fixed.video_size(832 / 480) == (736, 1264)  # fixed: the snap keeps the pixel count


@pytest.mark.parametrize(
    "model, size, fixed_size",
    [("tiny:wan2.2-ti2v-5b", (96, 160), (96, 192)), ("tiny:wan2.2-i2v-a14b", (80, 176), (96, 176))],
)
def test_area_mode_sizes_and_fits_the_keyframe_as_the_family_does(tiny_cache, model, size, fixed_size):
    """A 128×128 area and a 2:1 keyframe: TI2V-5B scales it to cover and crops the centre,
    A14B resizes it (bicubic, no crop); size_mode=fixed snaps the same request differently."""
    animator = animator_for(tiny_cache, model, height=128, width=128, size_mode="area")
    given = []
    conditioning = animator.conditioning
    animator.conditioning = lambda *args: given.append(conditioning(*args)) or given[-1]
    video = animator.animate(WIDE, "A man waves.", seed=0)
    assert video.shape == (5, *size, 3) and (animator.last_size.height, animator.last_size.width) == size
    image = given[0]["image"]
    assert image.size == (size[1], size[0])
    if animator.vae_stride == 16:  # scaled ×0.96 to 192×96, columns 16..176 kept
        expected = WIDE.resize((192, 96), Image.LANCZOS).crop((16, 0, 176, 96))
        assert animator.last_size.fit == "scaled to cover, centre crop"
    else:
        expected = WIDE.resize((176, 80), Image.BICUBIC)
    np.testing.assert_array_equal(np.asarray(image), np.asarray(expected))
    fixed = animator_for(tiny_cache, model, height=128, width=128)
    assert fixed.size_choice(WIDE.size).height == fixed_size[0] and fixed.size_choice(WIDE.size).width == fixed_size[1]


@pytest.mark.parametrize("backend, why", [("wan_vace", "VACE renders on a fixed canvas"), ("cogvideox", "CogVideoX's code has no area rule")])
def test_area_mode_is_for_the_wan_backend_only(backend, why):
    cfg = OmegaConf.merge(OmegaConf.structured(AnimateConfig), {"model": "x", "backend": backend, "num_frames": 49, "size_mode": "area"})
    with pytest.raises(ConfigError, match=f"animate.size_mode=area: Wan's image-to-video sizing, for backend wan only; {why}.*use size_mode=fixed"):
        check_animate_config(cfg)


@pytest.mark.parametrize("preset, size", [("ipvg.yaml", (704, 1248)), ("ipvg_a14b.yaml", (720, 1248))])
def test_ipvg_presets_size_the_video_from_the_keyframe(preset, size):
    cfg = load_config(CONFIGS / preset)
    assert cfg.animate.size_mode.value == "area" and (cfg.keyframe.width, cfg.keyframe.height) == (832, 480)
    area = cfg.animate.height * cfg.animate.width
    if cfg.animate.height == 704:
        assert best_output_size(832, 480, 32, area) == size
    else:
        assert latent_grid_size(832, 480, 8, 2, area) == size
