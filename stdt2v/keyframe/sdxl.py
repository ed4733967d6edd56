"""SDXL keyframes through diffusers' ``StableDiffusionXLPipeline``."""

from __future__ import annotations

import torch

from stdt2v.keyframe.base import DiffusersKeyframeGenerator
from stdt2v.loading import load_pretrained


class SDXLKeyframeGenerator(DiffusersKeyframeGenerator):
    name = "sdxl"

    def __init__(self, pipe, **kwargs):
        super().__init__(pipe, **kwargs)
        self.size_multiple = pipe.vae_scale_factor
        self.max_prompt_tokens = pipe.tokenizer.model_max_length

    @classmethod
    def load_pipeline(cls, source: str, *, dtype: torch.dtype, allow_pickle: bool = False):
        from diffusers import StableDiffusionXLPipeline

        return load_pretrained(StableDiffusionXLPipeline.from_pretrained, source, "keyframe.model", allow_pickle=allow_pickle, dtype=dtype)

    def pipe_kwargs(self, guidance_scale: float) -> dict:
        return {"guidance_scale": guidance_scale, "negative_prompt": self.negative_prompt or None}


def dpmpp_2m_karras(scheduler_config):
    """DPM++ 2M Karras, the SDXL sampler the authors used."""
    from diffusers import DPMSolverMultistepScheduler

    return DPMSolverMultistepScheduler.from_config(scheduler_config, algorithm_type="dpmsolver++", solver_order=2, use_karras_sigmas=True)


def euler_ancestral(scheduler_config):
    from diffusers import EulerAncestralDiscreteScheduler

    return EulerAncestralDiscreteScheduler.from_config(scheduler_config)
