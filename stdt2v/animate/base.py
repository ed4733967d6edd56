"""The animation interface, the size and frame-count rules video models share, and
``DiffusersAnimator``: what every diffusers image-to-video pipeline needs around its call
(loading with per-component dtypes, placement and offloading, attention backend, seeding,
uint8 frames)."""

from __future__ import annotations

import contextlib
import logging
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from PIL import Image

from stdt2v import families
from stdt2v.animate.guidance import IdentityGuidance, TransformerCalls, check_skip_blocks
from stdt2v.config.schema import GuidanceConfig, SizeMode
from stdt2v.errors import StdT2VError
from stdt2v.families import AreaRule
from stdt2v.io import to_uint8_rgb
from stdt2v.loading import load_pretrained

if TYPE_CHECKING:
    from diffusers import DiffusionPipeline

logger = logging.getLogger(__name__)


class Animator(ABC):
    name: str
    fps: int
    max_prompt_tokens: int = 512  # the text encoder's sequence (Wan, CogVideoX: T5/UMT5)
    temporal_factor: int = 4  # frame counts are temporal_factor·n + 1 (the VAE's temporal stride; stdt2v.families)
    adapters: tuple | list = ()  # LoRAs applied, each {"stage", "name", "scale", "source"} (the run report lists them)
    needs_face: bool = False  # whether animate() wants the aligned reference face (VACE references)
    needs_reference_image: bool = False  # whether animate() wants the raw reference image (VACE reference=image)
    fits_keyframe: bool = False  # whether it sizes the video from a keyframe of any size and fits it itself (size_mode=area)
    last_size = None  # SizeChoice of the last call (the run report's video.size); None: not said
    transformer_calls: int = 0  # transformer forward passes so far (the run report shows the cost of guidance)
    guided_steps: int = 0  # denoising steps that got identity-aware guidance so far
    quantization: dict | None = None  # animate.quantization: mode and transformer bytes (the run report shows it)

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
        reference_image: Image.Image | None = None,
    ) -> np.ndarray:
        """uint8 frames [F, H, W, 3] at ``video_size(image aspect)``; None settings: the configured
        ones. ``face``: the aligned reference face, for animators that take it (``needs_face``);
        ``reference_image``: the raw reference image (``needs_reference_image``)."""

    @abstractmethod
    def count_prompt_tokens(self, prompt: str) -> int:
        """Tokens ``prompt`` takes in the text encoder (special tokens included)."""

    def place(self, device: Any) -> None:
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


@dataclass(frozen=True)
class SizeChoice:
    """The video size one call used, and why (the run report's ``video.size``)."""

    height: int
    width: int
    mode: str  # animate.size_mode
    requested: tuple[int, int]  # animate.height, animate.width
    keyframe: tuple[int, int] | None  # (width, height) of the image the size followed
    rule: str  # in words
    fit: str | None = None  # how the keyframe was fitted to the size (area mode)

    def to_dict(self) -> dict:
        out = {"height": self.height, "width": self.width, "mode": self.mode, "rule": self.rule}
        if self.mode == "area":
            out["area"] = self.requested[0] * self.requested[1]
        else:
            out["requested"] = {"height": self.requested[0], "width": self.requested[1]}
        if self.keyframe is not None:
            out["keyframe"] = {"width": self.keyframe[0], "height": self.keyframe[1]}
        if self.fit is not None:
            out["fit"] = self.fit
        return out


def best_output_size(width: int, height: int, multiple: int, area: int) -> tuple[int, int]:
    """(height, width) in multiples of ``multiple`` within ``area`` pixels, following the image's
    aspect as Wan2.2's TI2V code does (``best_output_size``): round the width down first and fit
    the height in the area, then the height first; keep the pair whose aspect is closer. Sides
    stay at least ``multiple`` (where Wan's code would divide by zero on a tiny area)."""
    ratio = width / height
    exact_w = math.sqrt(area * ratio)
    exact_h = area / exact_w
    w1 = max(multiple, int(exact_w // multiple * multiple))
    h1 = max(multiple, int(area / w1 // multiple * multiple))
    h2 = max(multiple, int(exact_h // multiple * multiple))
    w2 = max(multiple, int(area / h2 // multiple * multiple))
    if max(ratio / (w1 / h1), (w1 / h1) / ratio) < max(ratio / (w2 / h2), (w2 / h2) / ratio):
        return h1, w1
    return h2, w2


def latent_grid_size(width: int, height: int, stride: int, patch: int, area: int) -> tuple[int, int]:
    """(height, width) within ``area`` pixels at the image's aspect, as Wan's I2V code does:
    ``lat_h = round(sqrt(area · h / w) // stride // patch · patch)``, likewise ``lat_w``, and
    the size is the latent grid × ``stride`` (at least one patch per side)."""
    aspect = height / width
    lat_h = max(patch, round(math.sqrt(area * aspect) // stride // patch * patch))
    lat_w = max(patch, round(math.sqrt(area / aspect) // stride // patch * patch))
    return lat_h * stride, lat_w * stride


def cover_crop(image: Image.Image, width: int, height: int, resample: int = Image.LANCZOS) -> Image.Image:
    """``image`` scaled (aspect kept) to cover width × height, then centre-cropped, in the order
    and rounding of Wan2.2's TI2V code."""
    scale = max(width / image.width, height / image.height)
    scaled = image.resize((round(image.width * scale), round(image.height * scale)), resample)
    left, top = (scaled.width - width) // 2, (scaled.height - height) // 2
    return scaled.crop((left, top, left + width, top + height))


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

    area_rule: AreaRule | None = None  # the family's own sizing under size_mode=area (None: the family has none)
    vae_stride: int  # pixels per latent pixel, per side
    patch_size: int  # latent pixels per transformer token, per side
    size_multiple: int  # vae_stride × patch_size: the sides' grid

    def __init__(
        self,
        pipe: Any,
        *,
        height: int,
        width: int,
        num_frames: int,
        fps: int,
        num_inference_steps: int,
        guidance_scale: float,
        negative_prompt: str = "",
        guidance: GuidanceConfig = GuidanceConfig(),
        size_mode: SizeMode = SizeMode.fixed,
    ):
        self.pipe = pipe  # a diffusers image-to-video pipeline, already placed
        self.height, self.width = height, width
        self.num_frames = num_frames
        self.fps = fps
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.negative_prompt = negative_prompt
        self.guidance = guidance
        self.size_mode = SizeMode(size_mode)  # fixed: height × width, snapped; area: a pixel area the keyframe's aspect fills
        self.last_size: SizeChoice | None = None  # the size the last call used, and why (the run report)
        check_skip_blocks(guidance, self.transformers)
        self.temporal_factor = families.temporal_factor(self.name)  # the VAE's temporal stride (stdt2v.families)
        self.offloaded = False  # set by the builder when a memory offload mode manages placement
        self._said: set = set()  # size changes logged already: a batch or benchmark says each once

    @classmethod
    def pipeline_type(cls) -> type:
        """The pipeline class this animator loads: diffusers' own (families whose loop we own override it)."""
        import diffusers

        return getattr(diffusers, families.pipeline_class(cls.name))

    @classmethod
    def adopt_pipeline(cls, pipe: "DiffusionPipeline") -> "DiffusionPipeline":
        """A pipeline built already, as this animator runs it (families whose loop we own convert it)."""
        return pipe

    @classmethod
    def load_pipeline(cls, source: str, *, dtype: torch.dtype, vae_dtype: torch.dtype, allow_pickle: bool = False, **extra: object) -> "DiffusionPipeline":
        """``extra``: more ``from_pretrained`` arguments (components built already, a quantisation config)."""
        return load_pretrained(
            cls.pipeline_type().from_pretrained,
            source,
            "animate.model",
            allow_pickle=allow_pickle,
            dtype={"default": dtype, "vae": vae_dtype},
            **extra,
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

    @property
    def fits_keyframe(self) -> bool:
        """Whether the animator fits a keyframe of any size itself (area mode): the pipeline
        then leaves the keyframe as rendered."""
        return self.size_mode == SizeMode.area

    def size_choice(self, keyframe: tuple[int, int] | None = None) -> SizeChoice:
        """The size for a keyframe of ``keyframe`` = (width, height) pixels (None: the
        configured size's own aspect), and why."""
        requested = (self.height, self.width)
        if self.size_mode != SizeMode.area:
            aspect = keyframe[0] / keyframe[1] if keyframe else None
            height, width = self.video_size(aspect)
            return SizeChoice(height, width, "fixed", requested, keyframe, self.fixed_rule(aspect))
        rule = self.area_rule  # validated: area mode is refused for families without one
        image = keyframe or (self.width, self.height)
        area = self.height * self.width
        if rule.rounding == "best_output_size":
            height, width = best_output_size(image[0], image[1], self.size_multiple, area)
            words = f"Wan2.2 best_output_size: multiples of {self.size_multiple} within {area} pixels, width-first or height-first rounding, the closer aspect"
        else:
            stride, patch = self.vae_stride, self.patch_size
            height, width = latent_grid_size(image[0], image[1], stride, patch, area)
            words = f"Wan I2V latent grid: round(sqrt({area} · h/w) // {stride} // {patch} · {patch}) × {stride}, likewise the width"
        fit = {"cover_crop": "scaled to cover, centre crop", "resize": "resized to the size, no crop"}[rule.fit]
        if (image, (height, width)) not in self._said:  # each once in a batch
            self._said.add((image, (height, width)))
            logger.info("animate: size_mode=area: a %dx%d keyframe in %d pixels → %dx%d (WxH), %s", *image, area, width, height, fit)
        return SizeChoice(height, width, "area", requested, keyframe, f"{words} ({rule.source})", fit)

    def fixed_rule(self, aspect: float | None) -> str:
        """In words, how size_mode=fixed sized the video."""
        kept = "the keyframe's aspect" if aspect else "the requested aspect"
        return f"height × width snapped to multiples of {self.size_multiple} at about the same pixel count, {kept} kept"

    def fit_keyframe(self, image: Image.Image, choice: SizeChoice) -> Image.Image:
        """The keyframe at the chosen size: under area mode as the family's code fits it."""
        size = (choice.width, choice.height)
        if image.size == size:
            return image
        if choice.mode == "area" and self.area_rule.fit == "cover_crop":
            return cover_crop(image, *size, resample=Image.Resampling[self.area_rule.resample])
        return image.resize(size, Image.Resampling[self.area_rule.resample] if choice.mode == "area" else Image.LANCZOS)

    def count_prompt_tokens(self, prompt: str) -> int:
        return len(self.pipe.tokenizer(prompt, truncation=False).input_ids)

    def place(self, device: Any) -> None:
        if not self.offloaded:  # under an offload mode diffusers' hooks decide where weights live
            self.pipe.to(device)

    def add_objects(self, conditioning: dict, objects: list) -> dict:
        raise StdT2VError(f"object reference images: the {self.name} backend takes none (wan_vace does); they are named in the prompt instead")

    def relay(self, timeline: Any) -> contextlib.AbstractContextManager[Any]:
        """The per-segment cross-attention for one call (a no-op context without a timeline)."""
        if timeline is None:
            return contextlib.nullcontext()
        raise StdT2VError(f"animate.timeline.mode=relay: the {self.name} backend has no per-segment cross-attention; set animate.timeline.mode=flatten")

    def pipe_kwargs(self) -> dict:
        """The family's own call arguments."""
        return {}

    def identity_guidance(self, num_steps: int, reference_frames: int) -> IdentityGuidance | None:
        """This call's identity-aware guidance (None: off); the pipeline's loop applies it."""
        return IdentityGuidance(self.guidance, num_steps, reference_frames) if self.guidance.enabled else None

    def conditioning(self, image: Image.Image, face: Image.Image | None, choice: SizeChoice, reference_image: Image.Image | None = None) -> dict:
        """The pipeline's image arguments: image-to-video starts from the keyframe at the video size."""
        return {"image": self.fit_keyframe(image, choice)}

    def animate(self, image: Image.Image, prompt: str, *, seed: int, **settings: Any) -> np.ndarray:
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
        reference_image: Image.Image | None = None,
        timeline: Any = None,
        objects: list[Image.Image] | None = None,
    ) -> Any:
        """The pipeline's ``frames`` output (``latent``: the final latents, as benchmarks
        compare); None settings: the configured ones. ``timeline``: a ``RelayPlan`` (per-segment
        prompts in the cross-attention, ``stdt2v.animate.relay``; Wan only)."""
        choice = self.size_choice(image.size)
        height, width = choice.height, choice.width
        conditioning = self.conditioning(image, face, choice, reference_image)
        if objects:  # Track 2's object references: VACE takes them as more reference images
            conditioning = self.add_objects(conditioning, objects)
        steps = num_inference_steps or self.num_inference_steps
        references = len(conditioning.get("reference_images") or [])
        guidance = self.identity_guidance(steps, references)
        relay = self.relay(timeline)
        with relay, TransformerCalls(self.transformers) as count:
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
                **({} if guidance is None else {"identity_guidance": guidance}),
            ).frames
        self.transformer_calls += count.calls
        self.guided_steps += 0 if guidance is None else guidance.guided_steps
        self.last_size = choice
        return frames
