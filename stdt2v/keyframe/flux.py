"""FLUX.1 keyframes through diffusers' ``FluxPipeline``.

FLUX.1-dev is guidance-distilled: ``guidance_scale`` is an input of the transformer, not
classifier-free guidance, so one branch runs per step and no negative prompt is used.
"""

from __future__ import annotations

from typing import Any

from stdt2v import families
from stdt2v.keyframe.base import DiffusersKeyframeGenerator


class FluxKeyframeGenerator(DiffusersKeyframeGenerator):
    name = "flux"

    def __init__(self, pipe: Any, **kwargs: Any) -> None:
        super().__init__(pipe, **kwargs)
        # Latents are packed 2×2 after the VAE's downsampling.
        self.size_multiple = pipe.vae_scale_factor * 2
        self.max_prompt_tokens = families.family("flux").text_tokens  # T5's sequence (CLIP only gives the pooled vector)

    def uses_guidance(self, guidance_scale: float) -> bool:
        return False  # FLUX.1-dev's guidance is distilled: one branch per step

    def pipe_kwargs(self, guidance_scale: float) -> dict:
        return {"guidance_scale": guidance_scale, "max_sequence_length": self.max_prompt_tokens}

    def count_prompt_tokens(self, prompt: str) -> int:
        return len(self.pipe.tokenizer_2(prompt, truncation=False).input_ids)
