"""Tiny random-weight identity adapters shaped for the tiny SDXL and FLUX models.

* ``tiny:id-adapter-sdxl`` / ``tiny:id-adapter-flux``: the project's ``IdentityAdapter``
  (``save_pretrained`` folder), for 128-d identity vectors (the dlib face backend).
* ``tiny:faceid-sdxl``: a folder laid out like ``h94/IP-Adapter-FaceID`` after conversion to
  safetensors — ``ip-adapter-faceid_sdxl.safetensors`` (MLP projection + per-layer
  ``to_k_ip``/``to_v_ip`` + the LoRA the FaceID checkpoints embed) and
  ``ip-adapter-faceid-plusv2_sdxl.safetensors`` (the FacePerceiverResampler), with the
  original IP-Adapter key names (``image_proj.*``, ``ip_adapter.{i}.*``) that diffusers'
  ``load_ip_adapter`` converts, and ``image_encoder/`` (a tiny ``CLIPVisionModelWithProjection``,
  standing in for CLIP ViT-H/14 that FaceID-Plus reads the face crop with). 512-d identity
  vectors, as ArcFace gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stdt2v.models.hyperlora import PROJECTIONS, TOKENS_PER_MODULE, HyperLoRA, HyperResampler, IDProjector, attention_modules, save_hyperlora
from stdt2v.models.identity_adapter import IdentityAdapter
from stdt2v.tiny.clip import build_tiny_clip
from stdt2v.tiny.flux import tiny_flux_transformer
from stdt2v.tiny.sdxl import tiny_sdxl_unet

if TYPE_CHECKING:
    import torch

FACEID_WEIGHTS = "ip-adapter-faceid_sdxl.safetensors"
FACEID_PLUSV2_WEIGHTS = "ip-adapter-faceid-plusv2_sdxl.safetensors"
DLIB_ID_DIM = 128
ARCFACE_ID_DIM = 512


def _tiny_adapter(model, folder: Path) -> None:
    import torch

    torch.manual_seed(0)
    adapter = IdentityAdapter.for_model(model, id_dim=DLIB_ID_DIM, num_tokens=4, dim=32, depth=1, heads=2, dim_head=16)
    adapter.save_pretrained(folder)


def build_tiny_id_adapter_sdxl(folder: str | Path) -> None:
    _tiny_adapter(tiny_sdxl_unet(), Path(folder))


def build_tiny_id_adapter_flux(folder: str | Path) -> None:
    _tiny_adapter(tiny_flux_transformer(), Path(folder))


def _attention_layers(unet) -> list[tuple[str, int, int | None]]:
    """(processor name, hidden size, cross-attention width or None) in diffusers' order, which
    is the order of the original checkpoints' numeric keys."""
    out = []
    channels = unet.config.block_out_channels
    for name in unet.attn_processors:
        block = name.split(".")
        if block[0] == "mid_block":
            hidden = channels[-1]
        elif block[0] == "up_blocks":
            hidden = list(reversed(channels))[int(block[1])]
        else:
            hidden = channels[int(block[1])]
        out.append((name, hidden, None if name.endswith("attn1.processor") else unet.config.cross_attention_dim))
    return out


def _ip_layers(unet, rank: int | None, randn) -> dict:
    tensors = {}
    for index, (_, hidden, cross) in enumerate(_attention_layers(unet)):
        if cross is not None:
            tensors[f"ip_adapter.{index}.to_k_ip.weight"] = randn(hidden, cross)
            tensors[f"ip_adapter.{index}.to_v_ip.weight"] = randn(hidden, cross)
        if rank:  # FaceID's LoRA on every attention layer's q/k/v/out
            source = cross or hidden
            for proj, width in (("to_q", hidden), ("to_k", source), ("to_v", source), ("to_out", hidden)):
                tensors[f"ip_adapter.{index}.{proj}_lora.down.weight"] = randn(rank, width)
                tensors[f"ip_adapter.{index}.{proj}_lora.up.weight"] = randn(hidden, rank)
    return tensors


def build_tiny_faceid_sdxl(folder: str | Path) -> None:
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    unet = tiny_sdxl_unet()
    cross = unet.config.cross_attention_dim
    generator = torch.Generator().manual_seed(0)

    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=generator) * 0.05

    def layer_norm(prefix: str, width: int) -> dict:
        return {f"{prefix}.weight": torch.ones(width), f"{prefix}.bias": torch.zeros(width)}

    num_tokens, id_dim = 4, ARCFACE_ID_DIM
    # FaceID: MLPProjModel (Linear → GELU → Linear) + LayerNorm.
    faceid = {
        "image_proj.proj.0.weight": randn(id_dim * 2, id_dim),
        "image_proj.proj.0.bias": randn(id_dim * 2),
        "image_proj.proj.2.weight": randn(cross * num_tokens, id_dim * 2),
        "image_proj.proj.2.bias": randn(cross * num_tokens),
        **layer_norm("image_proj.norm", cross),
    }
    faceid.update(_ip_layers(unet, rank=4, randn=randn))
    save_file(faceid, folder / FACEID_WEIGHTS)

    # FaceID-Plus v2: ID MLP → tokens, refined by a FacePerceiverResampler over CLIP features.
    clip_hidden, embed, inner = 32, cross, 64  # heads = to_q rows / 64; v2's shortcut needs embed == cross
    plus = {
        "image_proj.proj.0.weight": randn(id_dim * 2, id_dim),
        "image_proj.proj.0.bias": randn(id_dim * 2),
        "image_proj.proj.2.weight": randn(embed * num_tokens, id_dim * 2),
        "image_proj.proj.2.bias": randn(embed * num_tokens),
        **layer_norm("image_proj.norm", embed),
        "image_proj.perceiver_resampler.proj_in.weight": randn(embed, clip_hidden),
        "image_proj.perceiver_resampler.proj_in.bias": randn(embed),
        "image_proj.perceiver_resampler.proj_out.weight": randn(cross, embed),
        "image_proj.perceiver_resampler.proj_out.bias": randn(cross),
        **layer_norm("image_proj.perceiver_resampler.norm_out", cross),
    }
    for i in range(4):  # diffusers' converter maps exactly four resampler layers
        p = f"image_proj.perceiver_resampler.layers.{i}"
        plus.update(layer_norm(f"{p}.0.norm1", embed) | layer_norm(f"{p}.0.norm2", embed) | layer_norm(f"{p}.1.0", embed))
        plus[f"{p}.0.to_q.weight"] = randn(inner, embed)
        plus[f"{p}.0.to_kv.weight"] = randn(2 * inner, embed)
        plus[f"{p}.0.to_out.weight"] = randn(embed, inner)
        plus[f"{p}.1.1.weight"] = randn(4 * embed, embed)
        plus[f"{p}.1.3.weight"] = randn(embed, 4 * embed)
    plus.update(_ip_layers(unet, rank=None, randn=randn))
    save_file(plus, folder / FACEID_PLUSV2_WEIGHTS)

    torch.manual_seed(0)
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=clip_hidden,
            projection_dim=32,
            num_hidden_layers=2,
            num_attention_heads=4,
            intermediate_size=37,
            image_size=32,
            patch_size=8,
        )
    )
    encoder.save_pretrained(folder / "image_encoder")


def build_tiny_hyperlora_sdxl(folder: str | Path) -> None:
    """A tiny HyperLoRA in the release layout (json + three fp16 safetensors, the release's key
    names and block maths), sized for the tiny SDXL UNet, with a tiny CLIP vision tower in
    ``image_encoder/``. Its id projector reads 128-d vectors (the dlib backend's); every width is
    read from the weights, so the released checkpoint (512-d ArcFace) loads through the same code."""
    import torch

    folder = Path(folder)
    torch.manual_seed(0)
    modules = attention_modules(tiny_sdxl_unet())
    num_bases, rank, width = 16, 4, 64  # one 64-wide head, as the release's heads are
    bases = {}
    for i, shapes in enumerate(modules.values()):
        hidden, cross = shapes["hidden_size"], shapes["cross_attention_dim"] or shapes["hidden_size"]
        for projection in PROJECTIONS:
            inner = cross if projection in ("to_k", "to_v") else hidden
            bases[f"{i}.{projection}.id_down_basis"] = torch.randn(num_bases, inner, rank) * 0.5
            bases[f"{i}.{projection}.id_up_basis"] = torch.randn(num_bases, rank, hidden) * 0.5
    build_tiny_clip(folder / "image_encoder")
    resampler = HyperResampler(
        TOKENS_PER_MODULE * len(modules), width=width, depth=2, heads=1, dim_head=width, clip_dim=32, id_width=width, num_bases=num_bases, ff_inner=4 * width
    )
    save_hyperlora(HyperLoRA(modules, bases, IDProjector(id_dim=DLIB_ID_DIM, width=width), resampler), folder)
