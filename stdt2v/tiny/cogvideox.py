"""Tiny random-weight CogVideoX-5B-I2V: the real diffusers/transformers classes, small configs.

Its layout: a 3D causal VAE (8× spatial, 4× temporal), a transformer with learned positional
embeddings for one size and length (here 64×64 px, 9 frames), the image latents concatenated
to the noise (2 × latent channels in), a T5 text encoder and CogVideoX's DDIM scheduler.
Sizes follow diffusers' own CogVideoX I2V fast tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from stdt2v.tiny.tokenizers import save_t5_tokenizer, t5_config_kwargs


def build_tiny_cogvideox_i2v(folder: str | Path) -> None:
    import torch
    from diffusers import AutoencoderKLCogVideoX, CogVideoXDDIMScheduler, CogVideoXImageToVideoPipeline, CogVideoXTransformer3DModel
    from transformers import T5Config, T5EncoderModel, T5Tokenizer

    folder = Path(folder)
    torch.manual_seed(0)
    transformer = CogVideoXTransformer3DModel(
        num_attention_heads=2,
        attention_head_dim=16,
        in_channels=8,  # noise latents + image latents
        out_channels=4,
        time_embed_dim=2,
        text_embed_dim=32,
        num_layers=1,
        sample_width=8,  # latent pixels: 64 px at the VAE's 8×
        sample_height=8,
        sample_frames=9,
        patch_size=2,
        temporal_compression_ratio=4,
        max_text_seq_length=16,
        use_rotary_positional_embeddings=True,
        use_learned_positional_embeddings=True,  # as CogVideoX-5B-I2V
    )
    vae = AutoencoderKLCogVideoX(
        in_channels=3,
        out_channels=3,
        down_block_types=("CogVideoXDownBlock3D",) * 4,
        up_block_types=("CogVideoXUpBlock3D",) * 4,
        block_out_channels=(8, 8, 8, 8),
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=2,
        temporal_compression_ratio=4,
    )
    tokenizer = T5Tokenizer.from_pretrained(save_t5_tokenizer(folder / "_t5_tokenizer"))
    text_encoder = T5EncoderModel(T5Config(**t5_config_kwargs(tokenizer)))
    scheduler = CogVideoXDDIMScheduler(
        beta_schedule="scaled_linear", prediction_type="v_prediction", rescale_betas_zero_snr=True, snr_shift_scale=1.0, timestep_spacing="trailing"
    )
    pipe = CogVideoXImageToVideoPipeline(tokenizer=tokenizer, text_encoder=text_encoder, vae=vae, transformer=transformer, scheduler=scheduler)
    pipe.save_pretrained(folder)
    shutil.rmtree(folder / "_t5_tokenizer", ignore_errors=True)
