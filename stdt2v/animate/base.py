"""The animation interface, the size and frame-count rules video models share, and
``DiffusersAnimator``: what every diffusers image-to-video pipeline needs around its call
(loading with per-component dtypes, placement and offloading, attention backend, seeding,
uint8 frames)."""

from __future__ import annotations

import contextlib
import logging
import math
from abc import ABC, abstractmethod

import numpy as np
import torch
from PIL import Image

from stdt2v.animate.guidance import DenoisingHooks, GuidanceSettings
from stdt2v.errors import StdT2VError
from stdt2v.io import to_uint8_rgb
from stdt2v.loading import load_pretrained

logger = logging.getLogger(__name__)


class Animator(ABC):
    name: str
    fps: int
    max_prompt_tokens: int = 512  # the text encoder's sequence (Wan, CogVideoX: T5/UMT5)
    temporal_factor: int = 4  # frame counts are temporal_factor·n + 1 (the VAE's temporal stride)
    adapters: tuple | list = ()  # LoRAs applied, each {"stage", "name", "scale", "source"} (the run report lists them)
    needs_face: bool = False  # whether animate() wants the aligned reference face (VACE references)
    transformer_calls: int = 0  # transformer forward passes so far (the run report shows the cost of guidance)
    guided_steps: int = 0  # denoising steps that got identity-aware guidance so far

    @abstractmethod
    def video_size(self, aspect: float | None = None) -> tuple[int, int]:
        """(height, width) this animator will produce; ``aspect`` = width / height of the keyframe."""

    @abstractmethod
    def animate(
        self,
        image: Image.Image,
        prompt: str,
        *,
        seed: int,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
        num_frames: int | None = None,
        negative_prompt: str | None = None,
        face: Image.Image | None = None,
    ) -> np.ndarray:
        """uint8 frames [F, H, W, 3] at ``video_size(image aspect)``; None settings: the configured
        ones. ``face``: the aligned reference face, for animators that take it (``needs_face``)."""

    @abstractmethod
    def count_prompt_tokens(self, prompt: str) -> int:
        """Tokens ``prompt`` takes in the text encoder (special tokens included)."""

    def place(self, device) -> None:
        """Move the model to ``device`` (stage-major batches park it on the CPU during the keyframes)."""


def snap_size(height: int, width: int, multiple: int, aspect: float | None = None) -> tuple[int, int]:
    """Nearest (height, width) in multiples of ``multiple`` with about the same pixel count,
    keeping ``aspect`` (width / height) when given, else the requested one."""
    aspect = aspect or width / height
    area = height * width
    h = math.sqrt(area / aspect)
    snapped_h = max(multiple, int(round(h / multiple)) * multiple)
    snapped_w = max(multiple, int(round(h * aspect / multiple)) * multiple)
    return snapped_h, snapped_w


def log_size_change(requested: tuple[int, int], snapped: tuple[int, int], multiple: int, why: str, said: set | None = None) -> None:
    """Warn that the video size changed; ``said``: the changes an animator logged already (each once)."""
    if requested != snapped and (said is None or (requested, snapped, why) not in said):
        if said is not None:
            said.add((requested, snapped, why))
        logger.warning(
            "animate: video size %dx%d (WxH) changed to %dx%d: %s, sides must be multiples of %d",
            requested[1],
            requested[0],
            snapped[1],
            snapped[0],
            why,
            multiple,
        )


class DiffusersAnimator(Animator):
    """Shared by the Wan and CogVideoX animators; subclasses name the pipeline class and add
    their family's call arguments."""

    pipeline_class: str  # a diffusers pipeline class name

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
        guidance: GuidanceSettings = GuidanceSettings(),
    ):
        self.pipe = pipe  # a diffusers image-to-video pipeline, already placed
        self.height, self.width = height, width
        self.num_frames = num_frames
        self.fps = fps
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.negative_prompt = negative_prompt
        self.guidance = guidance
        guidance.check_blocks(self.transformers)
        self.offloaded = False  # set by the builder when a memory offload mode manages placement
        self._said: set = set()  # size changes logged already: a batch or benchmark says each once

    @classmethod
    def load_pipeline(cls, source: str, *, dtype: torch.dtype, vae_dtype: torch.dtype, allow_pickle: bool = False):
        import diffusers

        pipeline_class = getattr(diffusers, cls.pipeline_class)
        return load_pretrained(
            pipeline_class.from_pretrained,
            source,
            "animate.model",
            allow_pickle=allow_pickle,
            dtype={"default": dtype, "vae": vae_dtype},
        )

    @property
    def transformers(self) -> list:
        """The denoising models (two for Wan2.2 A14B's experts)."""
        return [m for m in (self.pipe.transformer, getattr(self.pipe, "transformer_2", None)) if m is not None]

    def video_size(self, aspect: float | None = None) -> tuple[int, int]:
        requested = (self.height, self.width)
        snapped = snap_size(self.height, self.width, self.size_multiple, aspect)
        log_size_change(requested, snapped, self.size_multiple, "keyframe aspect kept" if aspect else "model grid", self._said)
        return snapped

    def count_prompt_tokens(self, prompt: str) -> int:
        return len(self.pipe.tokenizer(prompt, truncation=False).input_ids)

    def place(self, device) -> None:
        if not self.offloaded:  # under an offload mode diffusers' hooks decide where weights live
            self.pipe.to(device)

    def add_objects(self, conditioning: dict, objects: list) -> dict:
        raise StdT2VError(f"object reference images: the {self.name} backend takes none (wan_vace does); they are named in the prompt instead")

    def relay(self, timeline):
        """The per-segment cross-attention for one call (a no-op context without a timeline)."""
        if timeline is None:
            return contextlib.nullcontext()
        raise StdT2VError(f"animate.timeline.mode=relay: the {self.name} backend has no per-segment cross-attention; set animate.timeline.mode=flatten")

    def pipe_kwargs(self) -> dict:
        """The family's own call arguments."""
        return {}

    def conditioning(self, image: Image.Image, face: Image.Image | None, height: int, width: int) -> dict:
        """The pipeline's image arguments: image-to-video starts from the keyframe at the video size."""
        if image.size != (width, height):
            image = image.resize((width, height), Image.LANCZOS)
        return {"image": image}

    def animate(self, image: Image.Image, prompt: str, *, seed: int, **settings) -> np.ndarray:
        frames = self.run(image, prompt, seed=seed, output_type="np", **settings)[0]
        return to_uint8_rgb(frames)  # [F, H, W, 3]

    def run(
        self,
        image: Image.Image,
        prompt: str,
        *,
        seed: int,
        output_type: str = "np",
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
        num_frames: int | None = None,
        negative_prompt: str | None = None,
        face: Image.Image | None = None,
        timeline=None,
        objects: list[Image.Image] | None = None,
    ):
        """The pipeline's ``frames`` output (``latent``: the final latents, as benchmarks
        compare); None settings: the configured ones. ``timeline``: a ``RelayPlan`` (per-segment
        prompts in the cross-attention, ``stdt2v.animate.relay``; Wan only)."""
        height, width = self.video_size(image.width / image.height)
        conditioning = self.conditioning(image, face, height, width)
        if objects:  # Track 2's object references: VACE takes them as more reference images
            conditioning = self.add_objects(conditioning, objects)
        steps = num_inference_steps or self.num_inference_steps
        references = len(conditioning.get("reference_images") or [])
        relay = self.relay(timeline)
        with relay, DenoisingHooks(self.pipe, self.transformers, self.guidance, steps, reference_frames=references) as hooks:
            frames = self.pipe(
                **conditioning,
                **(relay.prompt_arguments() if timeline is not None else {"prompt": prompt}),
                negative_prompt=(self.negative_prompt if negative_prompt is None else negative_prompt) or None,
                height=height,
                width=width,
                num_frames=num_frames or self.num_frames,
                num_inference_steps=steps,
                guidance_scale=self.guidance_scale if guidance_scale is None else guidance_scale,
                # A CPU generator makes the initial noise identical on every device.
                generator=torch.Generator("cpu").manual_seed(seed),
                output_type=output_type,
                **self.pipe_kwargs(),
            ).frames
        self.transformer_calls += hooks.calls
        self.guided_steps += hooks.guided_steps
        return frames
