"""What a decoupler returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class DecoupledPrompt:
    original: str
    spatial: str  # for the keyframe: who, looks, clothes, place, light, framing
    temporal: str  # for the video: starts with `subject`, carries every action in order
    subject: str  # e.g. "A woman", "A person"
    coverage: float | None = None  # share of the input's content words kept (see invariants)
    notes: list[str] = field(default_factory=list)  # what the decoupler changed or noticed
    dropped: list[str] = field(default_factory=list)  # input text left out on purpose (caption meta, replaced subject, cut to fit)
    violations: list[str] = field(default_factory=list)  # invariants broken (reported, never hidden)
    checks: dict = field(default_factory=dict)  # each invariant's measured value (stdt2v.prompts.invariants)
    face_description: str | None = None  # what a vision-language model saw in the reference face, as inserted (None: off)
    # The caption after a face-aware rewrite (prompts.face_description.mode=rewrite): every word
    # of `original` in order, the face description inserted; None: not rewritten.
    caption: str | None = None
    segments: list[dict] | None = None  # a timeline: each segment's {start_s, end_s, text, temporal} (stdt2v.prompts.timeline)

    def to_dict(self) -> dict:
        return asdict(self)
