"""Tiny random-weight Wan2.2 TI2V-5B: the real diffusers/transformers classes, small configs.

The layout is TI2V-5B's: the 2.2 VAE (48 latent channels, 16× spatial and 4× temporal
compression, patchified input), one transformer with ``expand_timesteps`` (per-token
timesteps, the first frame kept clean), no CLIP image encoder, a UMT5 text encoder and
UniPC with flow sigmas, as in the published ``Wan-AI/Wan2.2-TI2V-5B-Diffusers`` folder.
Sizes follow diffusers' own Wan2.2 TI2V fast tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from stdt2v.tiny.tokenizers import save_t5_tokenizer


def build_tiny_wan22_ti2v(folder: str | Path) -> None:
    """Write a tiny ``WanImageToVideoPipeline`` (TI2V-5B layout) to ``folder``."""
    import torch
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanImageToVideoPipeline, WanTransformer3DModel
    from transformers import T5Tokenizer, UMT5Config, UMT5EncoderModel

    folder = Path(folder)
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
    transformer = WanTransformer3DModel(
        patch_size=(1, 2, 2),
        num_attention_heads=2,
        attention_head_dim=12,
        in_channels=48,
        out_channels=48,
        text_dim=32,
        freq_dim=256,
        ffn_dim=32,
        num_layers=2,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        rope_max_seq_len=32,
    )
    tokenizer = T5Tokenizer.from_pretrained(save_t5_tokenizer(folder / "_t5_tokenizer"))
    text_encoder = UMT5EncoderModel(
        UMT5Config(
            vocab_size=len(tokenizer),
            d_model=32,
            d_kv=8,
            d_ff=37,
            num_layers=2,
            num_heads=4,
            relative_attention_num_buckets=8,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
        )
    )
    scheduler = UniPCMultistepScheduler(
        prediction_type="flow_prediction",
        use_flow_sigmas=True,
        num_train_timesteps=1000,
        flow_shift=5.0,
    )
    pipe = WanImageToVideoPipeline(
        tokenizer=tokenizer,
        text_encoder=text_encoder,
        vae=vae,
        scheduler=scheduler,
        transformer=transformer,
        expand_timesteps=True,
    )
    pipe.save_pretrained(folder)
    shutil.rmtree(folder / "_t5_tokenizer", ignore_errors=True)
