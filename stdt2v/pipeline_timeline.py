"""What a timeline (and Track 2's object references) changes in one pipeline call, kept out of
``pipeline.py``: the timeline fitted to the clip and checked before any model runs, the
decoupling of every segment, the video model's prompt arguments (``relay`` or ``flatten``) and
the report's ``timeline`` section."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image

from stdt2v.animate.base import Animator
from stdt2v.animate.vace import WanVACEAnimator
from stdt2v.animate.wan import WanAnimator
from stdt2v.config.schema import TimelineConfig, TimelineMode
from stdt2v.errors import StdT2VError
from stdt2v.prompts import DecoupledPrompt, FaceDescription, PromptDecoupler
from stdt2v.prompts.timeline import decouple_timeline
from stdt2v.timeline import Segment, TimelineRequest, fit_to_clip, flatten_prompt, frame_spans, frame_weights, latent_weights, timeline_report


class TimelineHost(Protocol):
    """What ``TimelinePlan.start`` reads of the pipeline (``IPT2VPipeline``, which imports this module)."""

    animator: Animator
    timeline_settings: TimelineConfig


@dataclass
class TimelinePlan:
    mode: TimelineMode
    settings: TimelineConfig  # animate.timeline
    segments: list[Segment] | None
    num_frames: int
    fps: int
    temporal_factor: int
    objects: list[tuple[str, Image.Image]] = field(default_factory=list)
    objects_as_images: bool = False
    notes: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, pipe: TimelineHost, timeline: TimelineRequest | None, objects: list[tuple[str, Image.Image]] | None, num_frames: int | None) -> TimelinePlan:
        """Fit the timeline to the clip and check the backend can take it (before any model runs)."""
        animator, settings = pipe.animator, pipe.timeline_settings
        frames = num_frames or animator.num_frames
        notes, segments = list((timeline.notes if timeline else None) or []), None
        if timeline is not None:
            segments, note = fit_to_clip(timeline.segments, frames, animator.fps, scale=timeline.scale)
            notes += [note] if note else []
            if settings.mode == TimelineMode.relay and not isinstance(animator, WanAnimator):
                raise StdT2VError(
                    f"animate.timeline.mode=relay: the {animator.name} backend has no per-segment cross-attention (Wan only); set animate.timeline.mode=flatten"
                )
        as_images = isinstance(animator, WanVACEAnimator)
        if objects and not as_images:
            notes.append(
                f"object references ({', '.join(label for label, _ in objects)}) named in the spatial prompt; not used as images (only wan_vace takes them)"
            )
        return cls(settings.mode, settings, segments, frames, animator.fps, animator.temporal_factor, list(objects or []), as_images, notes)

    def decouple(self, decoupler: PromptDecoupler, prompt: str, subject: str | None, description: FaceDescription | None) -> DecoupledPrompt:
        if self.segments is not None:
            result = decouple_timeline(decoupler, prompt, self.segments, subject=subject, face_description=description)
            prompts, self.notes = result.prompts, self.notes + result.notes
        else:
            prompts = decoupler(prompt, subject=subject, face_description=description)
        for label, _ in self.objects:
            prompts.spatial = name_object(prompts.spatial, label)
        return prompts

    def temporals(self, prompts: DecoupledPrompt) -> list[str]:
        return [s["temporal"] for s in prompts.segments or []]

    def animate_arguments(self, prompts: DecoupledPrompt, sampling: dict) -> tuple[str, dict]:
        """The video model's prompt and settings: the flattened prompt, or the relay plan."""
        sampling = dict(sampling)
        if self.objects_as_images:
            sampling["objects"] = [image for _, image in self.objects]
        if self.segments is None:
            return prompts.temporal, sampling
        temporals = self.temporals(prompts)
        if self.mode == TimelineMode.flatten:
            return flatten_prompt(prompts.temporal, self.segments, temporals), sampling
        from stdt2v.animate.relay import RelayPlan

        s = self.settings
        weights = latent_weights(frame_weights(self.segments, self.num_frames, self.fps, s.transition_frames), self.temporal_factor)
        sampling["timeline"] = RelayPlan(temporals, weights, s.penalty, prompts.temporal if s.global_visible else None)
        return prompts.temporal, sampling

    def report(self, prompts: DecoupledPrompt) -> dict | None:
        if self.segments is None:
            return {"objects": self.objects_report()} if self.objects else None
        notes = list(self.notes)
        if len(frame_spans(self.segments, self.num_frames, self.fps)) < len(self.segments):
            notes.append("a segment shorter than one frame has no frames of its own and is left out of segments")
        extra = {"objects": self.objects_report()} if self.objects else {}
        if self.mode == TimelineMode.flatten:
            extra["prompt"] = flatten_prompt(prompts.temporal, self.segments, self.temporals(prompts))
        else:
            s = self.settings
            extra["relay"] = {"transition_frames": s.transition_frames, "penalty": s.penalty, "global_visible": s.global_visible}
        return timeline_report(self.mode.value, self.segments, self.num_frames, self.fps, self.temporals(prompts), notes, **extra)

    def objects_report(self) -> list[dict]:
        return [{"label": label, "used_as_image": self.objects_as_images} for label, _ in self.objects]


def name_object(spatial: str, label: str) -> str:
    """Put "with a {label}" before the framing phrase, unless the spatial prompt names it already."""
    if label.lower() in spatial.lower():
        return spatial
    head, comma, framing = spatial.rpartition(", ")
    article = "an" if label[:1].lower() in "aeiou" else "a"
    return f"{head}, with {article} {label}, {framing}" if comma else f"{spatial}, with {article} {label}"
