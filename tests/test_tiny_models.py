"""The embedded tiny models: real classes, deterministic, save_pretrained → from_pretrained."""

from __future__ import annotations

import pytest
import torch

from stdt2v.errors import ConfigError
from stdt2v.loading import materialize_tiny, resolve_model_source


def state_dicts_equal(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def test_tiny_sdxl_round_trip(tiny_cache, tmp_path):
    from diffusers import StableDiffusionXLPipeline, UNet2DConditionModel

    from stdt2v.tiny.sdxl import build_tiny_sdxl

    folder = materialize_tiny("sdxl", tiny_cache)
    assert (folder / "unet" / "diffusion_pytorch_model.safetensors").is_file()  # safetensors, no pickle
    pipe = StableDiffusionXLPipeline.from_pretrained(folder)
    assert isinstance(pipe.unet, UNet2DConditionModel) and pipe.vae_scale_factor == 8
    # Building again with the same seed gives the same weights: the demo is reproducible.
    build_tiny_sdxl(tmp_path / "again")
    again = StableDiffusionXLPipeline.from_pretrained(tmp_path / "again")
    for name in ("unet", "vae", "text_encoder", "text_encoder_2"):
        assert state_dicts_equal(getattr(pipe, name), getattr(again, name)), name
    ids = pipe.tokenizer("a woman smiles").input_ids
    assert len(set(ids)) > 4 and pipe.tokenizer.model_max_length == 77


def test_tiny_wan_round_trip(tiny_cache):
    from diffusers import AutoencoderKLWan, WanImageToVideoPipeline, WanTransformer3DModel
    from transformers import UMT5EncoderModel

    folder = materialize_tiny("wan2.2-ti2v-5b", tiny_cache)
    pipe = WanImageToVideoPipeline.from_pretrained(folder)
    assert isinstance(pipe.transformer, WanTransformer3DModel)
    assert isinstance(pipe.vae, AutoencoderKLWan) and pipe.vae.config.z_dim == 48  # the 2.2 VAE
    assert isinstance(pipe.text_encoder, UMT5EncoderModel)
    assert pipe.config.expand_timesteps and pipe.image_encoder is None  # TI2V-5B layout
    tokens = pipe.tokenizer("A woman smiles in a park").input_ids
    assert pipe.tokenizer.unk_token_id not in tokens


def test_cache_is_reused_not_rebuilt(tiny_cache):
    first = materialize_tiny("sdxl", tiny_cache)
    stamp = (first / "model_index.json").stat().st_mtime_ns
    assert materialize_tiny("sdxl", tiny_cache) == first
    assert (first / "model_index.json").stat().st_mtime_ns == stamp
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_damaged_cached_model_is_rebuilt(tmp_path, caplog):
    """A truncated weight file (a full disk, a killed copy) is found by the size stamp, said, and rebuilt."""
    import logging

    folder = materialize_tiny("clip", tmp_path)
    weights = sorted(folder.rglob("*.safetensors"))[0]
    good = weights.read_bytes()
    weights.write_bytes(good[:64])
    with caplog.at_level(logging.WARNING):
        assert materialize_tiny("clip", tmp_path) == folder
    assert weights.read_bytes() == good  # the same random weights: the builders are seeded
    assert "is damaged" in caplog.text and weights.name in caplog.text and "rebuilding" in caplog.text
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".tmp-")]


def test_model_source_resolution(tiny_cache, tmp_path):
    assert resolve_model_source("Wan-AI/Wan2.2-TI2V-5B-Diffusers", tiny_cache) == "Wan-AI/Wan2.2-TI2V-5B-Diffusers"
    assert resolve_model_source("tiny:sdxl", tiny_cache).startswith(str(tiny_cache))
    with pytest.raises(ConfigError, match="unknown tiny model 'nope'"):
        resolve_model_source("tiny:nope", tiny_cache)
    with pytest.raises(ConfigError, match="neither a local folder nor a hub id"):
        resolve_model_source("./no/such/dir", tiny_cache, key="keyframe.model")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no model_index.json"):
        resolve_model_source(str(tmp_path / "empty"), tiny_cache)


def test_pickle_weights_need_the_opt_in(tiny_cache, tmp_path):
    import shutil

    from diffusers import AutoencoderKL, StableDiffusionXLPipeline

    from stdt2v.errors import StdT2VError
    from stdt2v.loading import load_pretrained

    folder = tmp_path / "sdxl"
    shutil.copytree(materialize_tiny("sdxl", tiny_cache), folder)
    vae = AutoencoderKL.from_pretrained(folder / "vae")
    shutil.rmtree(folder / "vae")
    vae.save_pretrained(folder / "vae", safe_serialization=False)  # a .bin (pickle) file only
    assert not list((folder / "vae").glob("*.safetensors"))

    with pytest.raises(StdT2VError, match=r"cannot load keyframe\.model .*allow_pickle_weights=true"):
        load_pretrained(StableDiffusionXLPipeline.from_pretrained, str(folder), "keyframe.model")
    pipe = load_pretrained(StableDiffusionXLPipeline.from_pretrained, str(folder), "keyframe.model", allow_pickle=True)
    assert state_dicts_equal(pipe.vae, vae)
