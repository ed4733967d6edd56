"""Tiny random-weight FLUX.1: the real diffusers/transformers classes with small configs.

The layout is FLUX.1's: a 16-channel VAE with 8× downsampling (latents packed 2×2 into 64
channels for the transformer), double- and single-stream blocks, a CLIP text encoder for the
pooled vector and a T5 encoder for the token sequence, flow-matching Euler with dynamic shift.
Sizes follow diffusers' own FLUX fast tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from stdt2v.tiny.sdxl import tiny_clip_text_config, tiny_image_vae
from stdt2v.tiny.tokenizers import save_clip_tokenizer, save_t5_tokenizer, t5_config_kwargs

if TYPE_CHECKING:
    from diffusers import FluxTransformer2DModel


def tiny_flux_transformer() -> FluxTransformer2DModel:
    import torch
    from diffusers import FluxTransformer2DModel

    torch.manual_seed(0)
    return FluxTransformer2DModel(
        patch_size=1,
        in_channels=64,  # 16 latent channels × 2×2 packing
        out_channels=None,
        num_layers=1,
        num_single_layers=1,
        attention_head_dim=16,
        num_attention_heads=2,
        joint_attention_dim=32,  # the T5 width
        pooled_projection_dim=32,  # the CLIP projection width
        guidance_embeds=True,  # FLUX.1-dev is guidance-distilled
        axes_dims_rope=(4, 4, 8),
    )


def build_tiny_flux(folder: str | Path) -> None:
    """Write a tiny ``FluxPipeline`` to ``folder`` with ``save_pretrained``."""
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, FluxPipeline
    from transformers import CLIPTextModel, CLIPTokenizer, T5Config, T5EncoderModel, T5TokenizerFast

    folder = Path(folder)
    transformer = tiny_flux_transformer()
    torch.manual_seed(0)
    vae = tiny_image_vae(
        latent_channels=16,
        use_quant_conv=False,
        use_post_quant_conv=False,
        shift_factor=0.1159,
        scaling_factor=0.3611,  # FLUX.1's
    )
    text_encoder = CLIPTextModel(tiny_clip_text_config())
    tokenizer = CLIPTokenizer.from_pretrained(save_clip_tokenizer(folder / "_clip_tokenizer"))
    tokenizer_2 = T5TokenizerFast.from_pretrained(save_t5_tokenizer(folder / "_t5_tokenizer"))
    text_encoder_2 = T5EncoderModel(T5Config(**t5_config_kwargs(tokenizer_2)))
    scheduler = FlowMatchEulerDiscreteScheduler(
        shift=3.0, use_dynamic_shifting=True, base_shift=0.5, max_shift=1.15, base_image_seq_len=256, max_image_seq_len=4096
    )
    pipe = FluxPipeline(
        scheduler=scheduler,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        text_encoder_2=text_encoder_2,
        tokenizer_2=tokenizer_2,
        transformer=transformer,
    )
    pipe.save_pretrained(folder)
    for staging in ("_clip_tokenizer", "_t5_tokenizer"):
        shutil.rmtree(folder / staging, ignore_errors=True)
