"""SDXL keyframes through diffusers' ``StableDiffusionXLPipeline``."""

from __future__ import annotations

from typing import Any

from stdt2v.keyframe.base import DiffusersKeyframeGenerator
from stdt2v.keyframe.long_prompt import MAX_CHUNKS, count_tokens, encode_long_prompt


class SDXLKeyframeGenerator(DiffusersKeyframeGenerator):
    name = "sdxl"

    def __init__(self, pipe: Any, **kwargs: Any) -> None:
        super().__init__(pipe, **kwargs)
        self.size_multiple = pipe.vae_scale_factor
        # The whole prompt is encoded in 77-token chunks (keyframe/long_prompt.py), up to a budget.
        self.max_prompt_tokens = MAX_CHUNKS * pipe.tokenizer.model_max_length

    def prompt_kwargs(self, pipe: Any, prompt: str, guidance: bool) -> dict[str, Any]:
        return encode_long_prompt(pipe, prompt, self.negative_prompt or None, guidance=guidance)

    def count_prompt_tokens(self, prompt: str) -> int:
        return count_tokens(self.pipe.tokenizer, prompt)


def dpmpp_2m_karras(scheduler_config: Any) -> Any:
    """DPM++ 2M Karras, the SDXL sampler the authors used."""
    from diffusers import DPMSolverMultistepScheduler

    return DPMSolverMultistepScheduler.from_config(scheduler_config, algorithm_type="dpmsolver++", solver_order=2, use_karras_sigmas=True)


def euler_ancestral(scheduler_config: Any) -> Any:
    from diffusers import EulerAncestralDiscreteScheduler

    return EulerAncestralDiscreteScheduler.from_config(scheduler_config)
