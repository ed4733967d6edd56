"""SDXL keyframes through diffusers' ``StableDiffusionXLPipeline``."""

from __future__ import annotations

import logging

import torch
from PIL import Image

from stdt2v.keyframe.base import KeyframeGenerator
from stdt2v.loading import load_pretrained

logger = logging.getLogger(__name__)


class SDXLKeyframeGenerator(KeyframeGenerator):
    name = "sdxl"

    def __init__(self, pipe, num_inference_steps: int, guidance_scale: float, negative_prompt: str = ""):
        self.pipe = pipe  # a StableDiffusionXLPipeline, already on its device
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.negative_prompt = negative_prompt
        self.size_multiple = pipe.vae_scale_factor

    @classmethod
    def from_pretrained(
        cls, source: str, *, device: torch.device, dtype: torch.dtype, progress: bool = True, allow_pickle: bool = False, **kwargs
    ):
        from diffusers import StableDiffusionXLPipeline

        pipe = load_pretrained(
            StableDiffusionXLPipeline.from_pretrained, source, "keyframe.model", allow_pickle=allow_pickle, dtype=dtype
        )
        pipe.to(device)
        pipe.set_progress_bar_config(disable=not progress, desc="keyframe", leave=False)
        return cls(pipe, **kwargs)

    def count_prompt_tokens(self, prompt: str) -> int:
        return len(self.pipe.tokenizer(prompt, truncation=False).input_ids)

    def generate(self, prompt: str, *, height: int, width: int, seed: int) -> Image.Image:
        # A CPU generator makes the initial noise identical on every device.
        generator = torch.Generator("cpu").manual_seed(seed)
        result = self.pipe(
            prompt=prompt,
            negative_prompt=self.negative_prompt or None,
            height=height,
            width=width,
            num_inference_steps=self.num_inference_steps,
            guidance_scale=self.guidance_scale,
            generator=generator,
            output_type="pil",
        )
        return result.images[0]
