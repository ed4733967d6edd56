"""Tiny random-weight Wan image-to-video models: the real diffusers/transformers classes, small configs.

Three layouts, as in the published ``Wan-AI/*-Diffusers`` folders (sizes follow diffusers'
own Wan fast tests):

* Wan2.2 TI2V-5B: the 2.2 VAE (48 latent channels, 16× spatial and 4× temporal compression,
  patchified input), one transformer with ``expand_timesteps`` (per-token timesteps, the first
  frame kept clean), no image encoder;
* Wan2.2 I2V-A14B: the 2.1 VAE (16 latent channels, 8×), two experts (``transformer`` for high
  noise, ``transformer_2`` for low noise) switched at ``boundary_ratio``, no image encoder;
* Wan2.1 I2V-14B: the 2.1 VAE, one transformer with image cross-attention fed by a CLIP
  vision encoder;
* Wan2.1 VACE (``WanVACEPipeline``): the 2.1 VAE, a ``WanVACETransformer3DModel`` whose VACE
  blocks read the 96-channel context (16 video + 16 inactive latents, 64 mask channels).

All use a UMT5 text encoder and UniPC with flow sigmas.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from stdt2v.tiny.tokenizers import save_t5_tokenizer, t5_config_kwargs

# The Wan2.2 A14B experts switch at timestep 0.9 × 1000, as in the published model_index.json.
A14B_BOUNDARY_RATIO = 0.9


# The tiny transformer's shape, shared by the image-to-video and VACE models.
TINY_WAN_TRANSFORMER = dict(
    patch_size=(1, 2, 2),
    num_attention_heads=2,
    attention_head_dim=12,
    text_dim=32,
    freq_dim=256,
    ffn_dim=32,
    num_layers=2,
    cross_attn_norm=True,
    qk_norm="rms_norm_across_heads",
    rope_max_seq_len=32,
)


def _wan_transformer(in_channels: int, out_channels: int, image_dim: int | None = None):
    from diffusers import WanTransformer3DModel

    return WanTransformer3DModel(**TINY_WAN_TRANSFORMER, in_channels=in_channels, out_channels=out_channels, image_dim=image_dim)


def _wan21_vae():
    from diffusers import AutoencoderKLWan

    return AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True])


def _save_wan(folder: Path, pipeline_class: str = "WanImageToVideoPipeline", flow_shift: float = 5.0, **components) -> None:
    """Add the UMT5 text encoder and the flow UniPC scheduler, then save the pipeline."""
    import diffusers
    import torch
    from diffusers import UniPCMultistepScheduler
    from transformers import T5Tokenizer, UMT5Config, UMT5EncoderModel

    torch.manual_seed(1)
    tokenizer = T5Tokenizer.from_pretrained(save_t5_tokenizer(folder / "_t5_tokenizer"))
    text_encoder = UMT5EncoderModel(UMT5Config(**t5_config_kwargs(tokenizer)))
    scheduler = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, num_train_timesteps=1000, flow_shift=flow_shift)
    pipe = getattr(diffusers, pipeline_class)(tokenizer=tokenizer, text_encoder=text_encoder, scheduler=scheduler, **components)
    pipe.save_pretrained(folder)
    shutil.rmtree(folder / "_t5_tokenizer", ignore_errors=True)


def build_tiny_wan22_ti2v(folder: str | Path) -> None:
    """Write a tiny ``WanImageToVideoPipeline`` in the TI2V-5B layout to ``folder``."""
    import torch
    from diffusers import AutoencoderKLWan

    torch.manual_seed(0)
    vae = AutoencoderKLWan(
        base_dim=3,
        z_dim=48,
        in_channels=12,
        out_channels=12,
        is_residual=True,
        patch_size=2,
        latents_mean=[0.0] * 48,
        latents_std=[1.0] * 48,
        dim_mult=[1, 1, 1, 1],
        num_res_blocks=1,
        scale_factor_spatial=16,
        scale_factor_temporal=4,
        temperal_downsample=[False, True, True],
    )
    transformer = _wan_transformer(48, 48)
    _save_wan(Path(folder), vae=vae, transformer=transformer, expand_timesteps=True)


def build_tiny_wan22_i2v_a14b(folder: str | Path) -> None:
    """Tiny Wan2.2 I2V-A14B: two experts on 16 noise + 16 image-latent + 4 mask channels."""
    import torch

    torch.manual_seed(0)
    vae = _wan21_vae()
    transformer, transformer_2 = _wan_transformer(36, 16), _wan_transformer(36, 16)
    _save_wan(Path(folder), vae=vae, transformer=transformer, transformer_2=transformer_2, boundary_ratio=A14B_BOUNDARY_RATIO)


def build_tiny_wan21_i2v(folder: str | Path) -> None:
    """Tiny Wan2.1 I2V-14B: one transformer with image cross-attention and a CLIP vision encoder."""
    import torch
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModel

    torch.manual_seed(0)
    vae = _wan21_vae()
    image_encoder = CLIPVisionModel(
        CLIPVisionConfig(hidden_size=4, projection_dim=4, num_hidden_layers=2, num_attention_heads=2, image_size=32, intermediate_size=16, patch_size=1)
    )
    transformer = _wan_transformer(36, 16, image_dim=4)
    image_processor = CLIPImageProcessor(crop_size=32, size=32)
    _save_wan(Path(folder), vae=vae, transformer=transformer, image_encoder=image_encoder, image_processor=image_processor)


def build_tiny_wan21_vace(folder: str | Path) -> None:
    """Tiny Wan2.1 VACE: three blocks, VACE blocks beside blocks 0 and 2 (the 1.3B model has
    one beside every second block), reference-to-video through ``WanVACEPipeline``."""
    import torch
    from diffusers import WanVACETransformer3DModel

    torch.manual_seed(0)
    vae = _wan21_vae()
    transformer = WanVACETransformer3DModel(
        **{**TINY_WAN_TRANSFORMER, "num_layers": 3}, in_channels=16, out_channels=16, vace_layers=[0, 2], vace_in_channels=96
    )
    # The published VACE pipelines sample with UniPC at flow shift 3 (the presets set 16, as the winner did).
    _save_wan(Path(folder), pipeline_class="WanVACEPipeline", flow_shift=3.0, vae=vae, transformer=transformer)
