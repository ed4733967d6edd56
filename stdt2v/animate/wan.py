"""Wan image-to-video through diffusers' ``WanImageToVideoPipeline`` (Wan2.2 TI2V-5B layout)."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from stdt2v.animate.base import Animator, log_size_change, snap_size
from stdt2v.io import to_uint8_rgb
from stdt2v.loading import load_pretrained

# Every Wan VAE (2.1 and 2.2) compresses time 4× after the first frame.
WAN_TEMPORAL_FACTOR = 4


class WanAnimator(Animator):
    name = "wan"

    def __init__(
        self,
        pipe,
        *,
        height: int,
        width: int,
        num_frames: int,
        fps: int,
        num_inference_steps: int,
        guidance_scale: float,
        negative_prompt: str = "",
    ):
        self.pipe = pipe  # a WanImageToVideoPipeline, already on its device
        self.height, self.width = height, width
        self.num_frames = num_frames
        self.fps = fps
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.negative_prompt = negative_prompt
        transformer = pipe.transformer if pipe.transformer is not None else pipe.transformer_2
        # Latent pixels per side = VAE spatial factor × transformer patch size.
        self.size_multiple = pipe.vae_scale_factor_spatial * transformer.config.patch_size[1]

    @classmethod
    def from_pretrained(
        cls,
        source: str,
        *,
        device: torch.device,
        dtype: torch.dtype,
        vae_dtype: torch.dtype,
        progress: bool = True,
        allow_pickle: bool = False,
        **kwargs,
    ):
        from diffusers import WanImageToVideoPipeline

        pipe = load_pretrained(
            WanImageToVideoPipeline.from_pretrained,
            source,
            "animate.model",
            allow_pickle=allow_pickle,
            dtype={"default": dtype, "vae": vae_dtype},
        )
        pipe.to(device)
        pipe.set_progress_bar_config(disable=not progress, desc="animate", leave=False)
        return cls(pipe, **kwargs)

    def video_size(self, aspect: float | None = None) -> tuple[int, int]:
        requested = (self.height, self.width)
        snapped = snap_size(self.height, self.width, self.size_multiple, aspect)
        log_size_change(requested, snapped, self.size_multiple, "keyframe aspect kept" if aspect else "model grid")
        return snapped

    def count_prompt_tokens(self, prompt: str) -> int:
        return len(self.pipe.tokenizer(prompt, truncation=False).input_ids)

    def animate(self, image: Image.Image, prompt: str, *, seed: int) -> np.ndarray:
        height, width = self.video_size(image.width / image.height)
        generator = torch.Generator("cpu").manual_seed(seed)
        frames = self.pipe(
            image=image,
            prompt=prompt,
            negative_prompt=self.negative_prompt or None,
            height=height,
            width=width,
            num_frames=self.num_frames,
            num_inference_steps=self.num_inference_steps,
            guidance_scale=self.guidance_scale,
            generator=generator,
            output_type="np",
        ).frames[0]  # [F, H, W, 3] floats in [0, 1]
        return to_uint8_rgb(frames)
