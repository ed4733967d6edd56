"""The run report as typed data: what one ``IPT2VPipeline`` call measured.

The pipeline fills these dataclasses while it runs; ``RunReport.to_dict`` turns them into
``report.json`` at save time (the only place the JSON layout is spelled out).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from stdt2v.face.curve import IdentityCurve
from stdt2v.runinfo import StageTiming


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


@dataclass(frozen=True)
class GuardAttempt:
    seed: int
    curve: IdentityCurve

    def to_dict(self) -> dict:
        return {"seed": self.seed, "min": _round(self.curve.guard_min), "mean": _round(self.curve.mean)}


@dataclass
class GuardReport:
    """The identity guard's attempts; ``chosen`` indexes the kept one (best minimum)."""

    min_identity: float
    attempts: list[GuardAttempt] = field(default_factory=list)
    chosen: int = 0

    @property
    def passed(self) -> bool:
        return self.attempts[self.chosen].curve.guard_min >= self.min_identity

    def to_dict(self) -> dict:
        return {"min_identity": self.min_identity, "attempts": [a.to_dict() for a in self.attempts], "chosen": self.chosen, "passed": self.passed}


@dataclass(frozen=True)
class IdentityReport:
    """The keyframe's similarity to the reference (None: no face) and the video's identity curve
    over ``frame_indices``."""

    keyframe: float | None
    frame_indices: list[int]
    curve: IdentityCurve

    def to_dict(self) -> dict:
        keyframe = {"similarity": _round(self.keyframe)} if self.keyframe is not None else {"similarity": None, "reason": "no face detected in the keyframe"}
        scores = self.curve.per_frame
        video: dict[str, Any] = {
            "frame_indices": list(self.frame_indices),
            "per_frame": [_round(s) for s in scores],
            "mean": _round(self.curve.mean),
            "no_face_ratio": round(self.curve.no_face_ratio, 4) if scores else None,
        }
        if not self.curve.found:
            video["reason"] = f"no face detected in any of the {len(scores)} sampled frames"
        return {"keyframe": keyframe, "video": video}


@dataclass(frozen=True)
class VideoInfo:
    frames: int
    height: int
    width: int
    fps: int
    # How the size was chosen: animate.size_mode, the requested size or pixel area, the
    # keyframe's size, the rule in words and (area) how the keyframe was fitted.
    size: dict | None = None


@dataclass
class RunReport:
    """Everything one call measured; sections stay None for the stages it did not run."""

    seeds: dict[str, int]
    face_backend: str
    load: dict[str, StageTiming] = field(default_factory=dict)
    stages: dict[str, StageTiming] = field(default_factory=dict)
    reference_face: dict | None = None
    keyframe: dict | None = None  # KeyframeResult.report(), plus "fitted" / "identity_adapter"
    identity_guard: GuardReport | None = None
    identity: IdentityReport | None = None
    video: VideoInfo | None = None
    animate: dict | None = None  # the video model's backend, transformer calls and identity-aware guidance
    adapters: list[dict] = field(default_factory=list)  # every identity adapter and LoRA applied, with its scale
    memory_plan: dict | None = None  # offload=auto: the planner's choice and estimate, beside the measured peaks
    timeline: dict | None = None  # a timeline's mode and segments (stdt2v.timeline.timeline_report)
    extra: dict[str, Any] = field(default_factory=dict)  # set by callers (batch: item, seed, reused)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "seeds": dict(self.seeds),
            "face_backend": self.face_backend,
            "load": {k: asdict(v) for k, v in self.load.items()},
            "stages": {k: asdict(v) for k, v in self.stages.items()},
            "adapters": list(self.adapters),
        }
        if self.memory_plan is not None:
            out["memory_plan"] = self.memory_plan
        if self.reference_face is not None:
            out["reference_face"] = self.reference_face
        if self.keyframe is not None:
            out["keyframe"] = self.keyframe
        if self.identity_guard is not None:
            out["identity_guard"] = self.identity_guard.to_dict()
        if self.identity is not None:
            out["identity"] = self.identity.to_dict()
        if self.animate is not None:
            out["animate"] = self.animate
        if self.video is not None:
            out["video"] = asdict(self.video)
        if self.timeline is not None:
            out["timeline"] = self.timeline
        return {**out, **self.extra}
