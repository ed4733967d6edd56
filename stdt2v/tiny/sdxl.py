"""Tiny random-weight SDXL: the real diffusers/transformers classes with small configs.

Sizes follow diffusers' own SDXL fast tests, except that the VAE keeps SDXL's 8× spatial
downsampling (four blocks), so size arithmetic behaves as with the real model.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from stdt2v.tiny.tokenizers import save_clip_tokenizer

if TYPE_CHECKING:
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig


def tiny_sdxl_unet() -> UNet2DConditionModel:
    """The tiny SDXL UNet (the identity adapters are shaped against it)."""
    import torch
    from diffusers import UNet2DConditionModel

    torch.manual_seed(0)
    return UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=2,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4),
        use_linear_projection=True,
        addition_embed_type="text_time",
        addition_time_embed_dim=8,
        transformer_layers_per_block=(1, 2),
        projection_class_embeddings_input_dim=6 * 8 + 32,  # 6 time ids × 8 + pooled text (32)
        cross_attention_dim=64,  # the two text encoders' hidden states, concatenated
        norm_num_groups=1,
    )


def tiny_image_vae(latent_channels: int, **kwargs: object) -> AutoencoderKL:
    """A tiny ``AutoencoderKL`` with the real 8× spatial downsampling (four blocks)."""
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        block_out_channels=(16, 16, 32, 32),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        latent_channels=latent_channels,
        norm_num_groups=8,
        sample_size=64,
        **kwargs,
    )


def tiny_clip_text_config() -> CLIPTextConfig:
    """CLIP text encoder config for the character-level tiny tokenizer (514 symbols)."""
    from transformers import CLIPTextConfig

    return CLIPTextConfig(
        bos_token_id=512,
        eos_token_id=513,
        pad_token_id=513,
        hidden_size=32,
        intermediate_size=37,
        layer_norm_eps=1e-05,
        num_attention_heads=4,
        num_hidden_layers=2,
        vocab_size=514,
        hidden_act="gelu",
        projection_dim=32,
    )


def build_tiny_sdxl(folder: str | Path) -> None:
    """Write a tiny ``StableDiffusionXLPipeline`` to ``folder`` with ``save_pretrained``."""
    import torch
    from diffusers import EulerDiscreteScheduler, StableDiffusionXLPipeline
    from transformers import CLIPTextModel, CLIPTextModelWithProjection, CLIPTokenizer

    folder = Path(folder)
    torch.manual_seed(0)
    unet = tiny_sdxl_unet()
    vae = tiny_image_vae(latent_channels=4, scaling_factor=0.13025)  # SDXL's
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        steps_offset=1,
        timestep_spacing="leading",
    )
    text_config = tiny_clip_text_config()
    text_encoder = CLIPTextModel(text_config)
    text_encoder_2 = CLIPTextModelWithProjection(text_config)
    tokenizer = CLIPTokenizer.from_pretrained(save_clip_tokenizer(folder / "_clip_tokenizer"))
    pipe = StableDiffusionXLPipeline(
        vae=vae,
        text_encoder=text_encoder,
        text_encoder_2=text_encoder_2,
        tokenizer=tokenizer,
        tokenizer_2=tokenizer,
        unet=unet,
        scheduler=scheduler,
    )
    pipe.save_pretrained(folder)
    shutil.rmtree(folder / "_clip_tokenizer", ignore_errors=True)
