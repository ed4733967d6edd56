"""The model-family registry: torch-free, complete for the schema's backends, its lookups, and
its token formula against what diffusers' transformers build (their patch sizes)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from stdt2v import families
from stdt2v.config.schema import AnimateBackend, KeyframeBackend
from stdt2v.errors import ConfigError
from stdt2v.tiny import TINY_MODELS
from tests.conftest import ROOT


def test_imports_without_torch():
    code = "import stdt2v.families, stdt2v.config, sys; assert 'torch' not in sys.modules, 'torch imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-1000:]


def test_every_backend_the_schema_accepts_has_a_family():
    assert families.ANIMATE_BACKENDS == sorted(b.value for b in AnimateBackend)
    assert families.KEYFRAME_BACKENDS == sorted(b.value for b in KeyframeBackend)
    assert {f.name for f in families.for_backend(AnimateBackend.wan)} == {"wan2.2-ti2v-5b", "wan2.2-i2v-a14b", "wan2.1-i2v-14b"}
    assert [f.name for f in families.for_backend(KeyframeBackend.flux, "keyframe")] == ["flux"]


def test_lookup_by_name_model_tiny_and_class():
    ti2v = families.family("wan2.2-ti2v-5b")
    assert families.family("Wan-AI/Wan2.2-TI2V-5B-Diffusers") is ti2v and families.family("tiny:wan2.2-ti2v-5b") is ti2v
    assert (ti2v.size_multiple, families.family("wan2.2-i2v-a14b").size_multiple, families.family("flux").size_multiple) == (32, 16, 16)
    assert families.by_class("WanVACETransformer3DModel").backend == "wan_vace"
    assert families.find("/some/local/folder") is None
    with pytest.raises(ConfigError, match="no model family 'wan3'") as err:
        families.family("wan3")
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="animate.backend=hunyuan: no model family runs it"):
        families.for_backend("hunyuan")


def test_backend_wide_facts():
    assert [families.temporal_factor(b) for b in AnimateBackend] == [4, 4, 4]
    assert (families.max_frames(AnimateBackend.wan), families.max_frames(AnimateBackend.cogvideox)) == (1001, 81)
    assert families.usual_lengths(AnimateBackend.cogvideox) == "usual lengths: CogVideoX-5B-I2V 49, CogVideoX 1.5 81"
    assert families.area_rule("wan", 16).rounding == "best_output_size" and families.area_rule("wan", 8).fit == "resize"
    assert families.area_rule("wan_vace", 8) is None


@pytest.mark.parametrize("name", [f.name for f in families.FAMILIES.values()])
def test_tiny_layout_matches_the_spec(name, tmp_path):
    family = families.family(name)
    TINY_MODELS[family.tiny](tmp_path)
    index = json.loads((tmp_path / "model_index.json").read_text())
    denoiser = index.get("transformer") or index["unet"]
    assert (index["_class_name"], denoiser[1], index["vae"][1]) == (family.pipeline_class, family.transformer_class, family.vae_class)


def _wan_sequence(patch: tuple[int, int, int], latent: tuple[int, int, int]) -> int:
    from diffusers import WanTransformer3DModel

    from stdt2v.tiny.wan import TINY_WAN_TRANSFORMER

    model = WanTransformer3DModel(**{**TINY_WAN_TRANSFORMER, "patch_size": patch}, in_channels=4, out_channels=4)
    seen = []
    model.patch_embedding.register_forward_hook(lambda m, i, out: seen.append(out.flatten(2).shape[2]))
    with torch.no_grad():
        model(torch.randn(1, 4, *latent), torch.tensor([500]), torch.randn(1, 8, TINY_WAN_TRANSFORMER["text_dim"]))
    return seen[0]


def test_wan_token_formula_is_the_transformers_sequence():
    """17 frames at 128×192 through the 2.1 VAE (8×): 5 latent frames of 16×24; Wan's (1, 2, 2)
    patch and a (1, 4, 2) one (the formula reads the patch from the config)."""
    family = families.family("wan2.1-i2v-14b")
    for patch in ((1, 2, 2), (1, 4, 2)):
        assert family.tokens(17, 128, 192, patch=patch) == _wan_sequence(patch, (5, 16, 24)) == 5 * (16 // patch[1]) * (24 // patch[2])


def test_cogvideox_token_formula_follows_the_temporal_patch():
    """CogVideoX 1.5's temporal patch of 2 halves the video tokens (the planner used to count
    every latent frame); the transformer's sequence = text + video tokens."""
    from diffusers import CogVideoXTransformer3DModel

    family = families.family("cogvideox")
    kwargs = dict(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=4, time_embed_dim=4, text_embed_dim=16, num_layers=1)
    kwargs.update(sample_width=24, sample_height=16, sample_frames=9, max_text_seq_length=8, use_rotary_positional_embeddings=True)
    for patch_t in (None, 2):
        model = CogVideoXTransformer3DModel(**kwargs, patch_size=2, patch_size_t=patch_t, use_learned_positional_embeddings=False)
        frames = 13  # 4 latent frames: whole temporal patches, as the pipeline pads them
        with torch.no_grad():  # the transformer's own patch embedding: [batch, text + video tokens, dim]
            sequence = model.patch_embed(torch.randn(1, 8, 16), torch.randn(1, 4, 4, 16, 24)).shape[1]
        config = {"patch_size": 2, "patch_size_t": patch_t}
        assert family.tokens(frames, 128, 192, patch=families.config_patch(config)) + 8 == sequence == 8 + 4 // (patch_t or 1) * 8 * 12
