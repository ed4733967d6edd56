"""The keyframe interface: a spatial prompt (+ who) → candidate first frames, and face refinement.

``DiffusersKeyframeGenerator`` holds what SDXL and FLUX share: one CPU generator per
candidate seed (a candidate's pixels do not depend on how candidates are batched), the
identity conditioning, and img2img built from the same components (``from_pipe``) so that
refinement runs with the same weights and identity adapter.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from typing import Any, Iterator

import torch
from PIL import Image

from stdt2v import families
from stdt2v.keyframe.identity import Identity, IdentityConditioner
from stdt2v.loading import load_pretrained


class KeyframeGenerator(ABC):
    name: str
    # Height and width must be multiples of this (the VAE's downsampling, × packing for FLUX).
    size_multiple: int
    # The text encoder's prompt limit in tokens (the spatial prompt is kept under it).
    max_prompt_tokens: int
    conditioner: IdentityConditioner = IdentityConditioner()
    identity_scale: float = 1.0

    @property
    def adapters(self) -> list[dict]:
        """The identity adapter applied, with its scale (the run report lists it)."""
        if self.conditioner.name == "none":
            return []
        return [{"stage": "keyframe", "name": self.conditioner.name, "scale": self.identity_scale}]

    def place(self, device: Any) -> None:
        """Move the model to ``device`` (stage-major batches park it on the CPU while the video runs)."""

    @contextlib.contextmanager
    def scaled_identity(self, scale: float | None) -> Iterator[None]:
        """Within: the identity adapter at ``scale`` (None: as configured); restored after."""
        if scale is None:
            yield
            return
        self.conditioner.set_scale(scale)
        try:
            yield
        finally:
            self.conditioner.set_scale(self.identity_scale)

    @abstractmethod
    def generate(
        self,
        prompt: str,
        *,
        height: int,
        width: int,
        seeds: list[int],
        identity: Identity | None = None,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
    ) -> list[Image.Image]:
        """One image per seed, generated as one batch; None settings: the configured ones."""

    @abstractmethod
    def refine(
        self,
        image: Image.Image,
        prompt: str,
        *,
        seed: int,
        strength: float,
        identity: Identity | None = None,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
    ) -> Image.Image:
        """img2img of ``image`` (at its own size) with the same conditioning."""

    @abstractmethod
    def count_prompt_tokens(self, prompt: str) -> int:
        """Tokens ``prompt`` takes in the text encoder (special tokens included)."""


class DiffusersKeyframeGenerator(KeyframeGenerator):
    @classmethod
    def load_pipeline(cls, source: str, *, dtype: torch.dtype, allow_pickle: bool = False) -> Any:
        """The family's diffusers pipeline (named by ``stdt2v.families``) from a folder or hub id."""
        import diffusers

        pipeline_class = getattr(diffusers, families.pipeline_class(cls.name, "keyframe"))
        return load_pretrained(pipeline_class.from_pretrained, source, "keyframe.model", allow_pickle=allow_pickle, dtype=dtype)

    def __init__(
        self,
        pipe: Any,
        *,
        num_inference_steps: int,
        guidance_scale: float,
        negative_prompt: str = "",
        conditioner: IdentityConditioner | None = None,
        identity_scale: float = 1.0,
    ):
        self.pipe = pipe  # a diffusers text-to-image pipeline, already on its device
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.negative_prompt = negative_prompt
        self.conditioner = conditioner or IdentityConditioner()
        self.identity_scale = identity_scale
        self.conditioner.set_scale(identity_scale)
        self._img2img = None

    def place(self, device: Any) -> None:
        self.pipe.to(device)

    def uses_guidance(self, guidance_scale: float) -> bool:
        """Whether the pipeline runs classifier-free guidance (two branches per step)."""
        return guidance_scale > 1.0

    def pipe_kwargs(self, guidance_scale: float) -> dict:
        """Keyword arguments of this model family's pipeline call (besides prompt and size)."""
        return {"guidance_scale": guidance_scale}

    def prompt_kwargs(self, pipe: Any, prompt: str, guidance: bool) -> dict[str, Any]:
        """How the prompt reaches this family's pipeline call (SDXL: embeddings of the whole prompt)."""
        return {"prompt": prompt}

    @staticmethod
    def generators(seeds: list[int]) -> list[torch.Generator]:
        # CPU generators make the initial noise identical on every device.
        return [torch.Generator("cpu").manual_seed(s) for s in seeds]

    def generate(
        self,
        prompt: str,
        *,
        height: int,
        width: int,
        seeds: list[int],
        identity: Identity | None = None,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
    ) -> list[Image.Image]:
        self.conditioner.check(identity)
        guidance = self.guidance_scale if guidance_scale is None else guidance_scale
        result = self.pipe(
            **self.prompt_kwargs(self.pipe, prompt, self.uses_guidance(guidance)),
            height=height,
            width=width,
            num_images_per_prompt=len(seeds),
            num_inference_steps=num_inference_steps or self.num_inference_steps,
            generator=self.generators(seeds),
            output_type="pil",
            **self.pipe_kwargs(guidance),
            **self.conditioner.call_kwargs(self.pipe, identity, len(seeds), self.uses_guidance(guidance)),
        )
        return list(result.images)

    def img2img_pipe(self) -> Any:
        if self._img2img is None:
            from diffusers import AutoPipelineForImage2Image

            self._img2img = AutoPipelineForImage2Image.from_pipe(self.pipe)
            self._img2img.set_progress_bar_config(disable=True)
        return self._img2img

    def refine(
        self,
        image: Image.Image,
        prompt: str,
        *,
        seed: int,
        strength: float,
        identity: Identity | None = None,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
    ) -> Image.Image:
        self.conditioner.check(identity)
        guidance = self.guidance_scale if guidance_scale is None else guidance_scale
        pipe = self.img2img_pipe()
        result = pipe(
            **self.prompt_kwargs(pipe, prompt, self.uses_guidance(guidance)),
            image=image,
            height=image.height,
            width=image.width,
            strength=strength,
            num_inference_steps=num_inference_steps or self.num_inference_steps,
            generator=self.generators([seed]),
            output_type="pil",
            **self.pipe_kwargs(guidance),
            **self.conditioner.call_kwargs(pipe, identity, 1, self.uses_guidance(guidance)),
        )
        return result.images[0]

    def count_prompt_tokens(self, prompt: str) -> int:
        return len(self.pipe.tokenizer(prompt, truncation=False).input_ids)
