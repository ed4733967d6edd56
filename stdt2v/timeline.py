"""Timelines: "0-2s: action A; 2-5s: action B" (IPVG 2026, Sequential-Action track).

Torch-free: parsing and checking a timeline, which video frames each segment covers, and which
segment each latent frame of the video model belongs to. Wan's VAE compresses time 4×, except
the first frame: latent frame 0 is video frame 0, latent frame k ≥ 1 covers video frames
4k-3 … 4k. A latent frame's weight for a segment is the mean of its video frames' weights, so
a latent frame that straddles a boundary is shared between the two segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from stdt2v.errors import InputError

# "0-2s", "0–2 s", "0.0s-1.4s", "1.4 – 3.1 sec": a start, a dash (hyphen, en or em dash), an end.
SPAN = re.compile(r"^\s*(?P<start>\d+(?:\.\d+)?)\s*(?:s|sec)?\s*[-–—]\s*(?P<end>\d+(?:\.\d+)?)\s*(?:s|sec|seconds)?\s*$")
# Segment boundaries closer than this are one boundary (floats from JSON, "1.4" vs "1.40000001").
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    text: str

    def to_dict(self) -> dict:
        return {"start_s": self.start_s, "end_s": self.end_s, "text": self.text}


@dataclass(frozen=True)
class FrameSpan:
    """A segment's video frames: ``first_frame`` … ``last_frame`` (inclusive, 0-based)."""

    segment: Segment
    first_frame: int
    last_frame: int


def parse_timeline(text: str, *, what: str = "--timeline") -> list[Segment]:
    """``"0-2s: walks in; 2-5s: sits down"`` (segments split by ';' or new lines) → checked segments."""
    parts = [p for p in re.split(r"[;\n]", str(text)) if p.strip()]
    if not parts:
        raise InputError(f'{what}: empty; write segments such as "0-2s: walks in; 2-5s: sits down"')
    segments = []
    for n, part in enumerate(parts, 1):
        span, colon, description = part.partition(":")
        match = SPAN.match(span)
        if not colon or not match:
            raise InputError(f'{what}: segment {n} "{part.strip()[:60]}" has no time span; write it as "START-ENDs: text", e.g. "0-2s: walks in"')
        segments.append(Segment(float(match["start"]), float(match["end"]), " ".join(description.split())))
    return check_segments(segments, what=what)


def segments_from_captions(captions: object, *, what: str = "temporal_captions") -> tuple[list[Segment], str | None]:
    """The challenge's ``[{"start", "end", "description"}, …]`` → checked segments, and a note when
    the times were read as shares of the clip (every value ≤ 1), which is then 1 s long here and
    scaled to the clip later (``fit_to_clip``)."""
    if not isinstance(captions, list) or not captions:
        raise InputError(f'{what}: expected a non-empty list of {{"start", "end", "description"}}')
    segments = []
    for n, caption in enumerate(captions, 1):
        if not isinstance(caption, dict):
            raise InputError(f'{what}[{n}]: not an object; each segment is {{"start", "end", "description"}}')
        try:
            start, end = float(caption.get("start")), float(caption.get("end"))
        except (TypeError, ValueError):
            raise InputError(f"{what}[{n}]: start/end {caption.get('start')!r}/{caption.get('end')!r} are not numbers (seconds)") from None
        segments.append(Segment(start, end, " ".join(str(caption.get("description") or "").split())))
    segments = check_segments(segments, what=what)
    note = None
    if segments[-1].end_s <= 1.0:
        note = f"{what}: every time is at most 1, so the times were read as shares of the clip"
    return segments, note


def check_segments(segments: list[Segment], *, what: str) -> list[Segment]:
    """Ordered, from 0, contiguous (no gap, no overlap), each with text and a positive length."""
    for n, seg in enumerate(segments, 1):
        if not seg.text:
            raise InputError(f"{what}: segment {n} ({seg.start_s:g}-{seg.end_s:g}s) has no text; say what happens in it")
        if not np.isfinite([seg.start_s, seg.end_s]).all() or seg.start_s < 0:
            raise InputError(f"{what}: segment {n}: times must be finite seconds ≥ 0, not {seg.start_s:g}-{seg.end_s:g}")
        if seg.end_s <= seg.start_s + TOLERANCE:
            raise InputError(f"{what}: segment {n} ends ({seg.end_s:g}s) before it starts ({seg.start_s:g}s); write START-END with END > START")
    if abs(segments[0].start_s) > TOLERANCE:
        raise InputError(f"{what}: the first segment starts at {segments[0].start_s:g}s; a timeline starts at 0")
    for n, (before, after) in enumerate(zip(segments, segments[1:]), 2):
        if after.start_s < before.end_s - TOLERANCE:
            raise InputError(f"{what}: segments {n - 1} and {n} overlap ({before.end_s:g}s > {after.start_s:g}s); each segment starts where the last ended")
        if after.start_s > before.end_s + TOLERANCE:
            raise InputError(
                f"{what}: gap between segments {n - 1} and {n} ({before.end_s:g}s to {after.start_s:g}s); each segment starts where the last ended"
            )
    return segments


def clip_seconds(num_frames: int, fps: int) -> float:
    """How long a clip of ``num_frames`` at ``fps`` plays."""
    return num_frames / fps


def fit_to_clip(segments: list[Segment], num_frames: int, fps: int, *, scale: bool, what: str = "--timeline") -> tuple[list[Segment], str | None]:
    """The segments on the clip's time axis. ``scale=False``: an end beyond the clip is an input
    error. ``scale=True`` (the challenge's timelines, written for its own 5 s clip): a timeline of
    another length is stretched to the clip, and the note says so."""
    length, end = clip_seconds(num_frames, fps), segments[-1].end_s
    if not scale:
        if end > length + TOLERANCE:
            raise InputError(
                f"{what}: ends at {end:g}s, beyond the clip ({num_frames} frames at {fps} fps = {length:g}s); shorten it or raise animate.num_frames"
            )
        return segments, None
    if abs(end - length) <= 1.0 / fps:  # within a frame: as written
        return segments, None
    factor = length / end
    scaled = [Segment(round(s.start_s * factor, 4), round(s.end_s * factor, 4), s.text) for s in segments]
    return scaled, f"timeline scaled ×{factor:.4g} to the clip ({end:g}s → {length:g}s: {num_frames} frames at {fps} fps)"


def frame_segments(segments: list[Segment], num_frames: int, fps: int) -> np.ndarray:
    """The segment index of every video frame: frame f (at f / fps seconds) belongs to the
    segment whose [start, end) holds its time; frames past the last end belong to the last."""
    times = np.arange(num_frames) / fps
    starts = np.array([s.start_s for s in segments])
    return np.clip(np.searchsorted(starts, times + TOLERANCE, side="right") - 1, 0, len(segments) - 1)


def frame_spans(segments: list[Segment], num_frames: int, fps: int) -> list[FrameSpan]:
    """Each segment's first and last video frame: contiguous, covering every frame. A segment
    too short to hold a frame of its own gets none and is left out (the report lists the rest)."""
    owner = frame_segments(segments, num_frames, fps)
    spans = []
    for i, seg in enumerate(segments):
        frames = np.flatnonzero(owner == i)
        if frames.size:
            spans.append(FrameSpan(seg, int(frames[0]), int(frames[-1])))
    return spans


def frame_weights(segments: list[Segment], num_frames: int, fps: int, transition_frames: int = 0) -> np.ndarray:
    """[num_frames, segments]: each row sums to 1. Hard ownership, then a moving average of
    ``transition_frames`` frames: a linear hand-over at each boundary (0 or 1: none)."""
    owner = frame_segments(segments, num_frames, fps)
    weights = np.eye(len(segments))[owner]
    width = int(transition_frames)
    if width > 1:
        padded = np.concatenate([np.repeat(weights[:1], width // 2, 0), weights, np.repeat(weights[-1:], width - 1 - width // 2, 0)])
        kernel = np.ones(width) / width
        weights = np.stack([np.convolve(padded[:, s], kernel, mode="valid") for s in range(len(segments))], axis=1)
    return weights


def latent_frame_ranges(num_frames: int, temporal_factor: int = 4) -> list[tuple[int, int]]:
    """The video frames (first, last inclusive) each latent frame covers: (0, 0), then
    temporal_factor frames each."""
    if (num_frames - 1) % temporal_factor:
        raise ValueError(f"num_frames {num_frames} is not {temporal_factor}·n + 1")
    return [(0, 0)] + [(temporal_factor * k - temporal_factor + 1, temporal_factor * k) for k in range(1, (num_frames - 1) // temporal_factor + 1)]


def latent_weights(frame_w: np.ndarray, temporal_factor: int = 4) -> np.ndarray:
    """[latent frames, segments]: each latent frame's weights, the mean over its video frames."""
    return np.stack([frame_w[a : b + 1].mean(axis=0) for a, b in latent_frame_ranges(len(frame_w), temporal_factor)])


def latent_segments(segments: list[Segment], num_frames: int, fps: int, temporal_factor: int = 4) -> np.ndarray:
    """The segment each latent frame mostly belongs to (ties: the earlier)."""
    return latent_weights(frame_weights(segments, num_frames, fps), temporal_factor).argmax(axis=1)


def flatten_prompt(global_prompt: str, segments: list[Segment], texts: list[str] | None = None) -> str:
    """The one-prompt form: "{global} Temporal sequence: 0.0s-1.4s: … 1.4s-3.1s: …"."""
    texts = texts if texts is not None else [s.text for s in segments]
    steps = " ".join(f"{s.start_s:.1f}s-{s.end_s:.1f}s: {_sentence(t)}" for s, t in zip(segments, texts))
    return f"{_sentence(global_prompt)} Temporal sequence: {steps}"


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if text.endswith((".", "!", "?")) else f"{text}."


@dataclass
class TimelineRequest:
    """A timeline for one pipeline call: its segments (on the clip's time axis after
    ``fit_to_clip``), whether a timeline of another length is scaled to the clip (the challenge's
    own) or refused (``--timeline``), and the notes its reading left."""

    segments: list[Segment]
    scale: bool = False
    notes: list[str] | None = None


def timeline_report(mode: str, segments: list[Segment], num_frames: int, fps: int, prompts: list[str], notes: list[str], **extra: object) -> dict:
    """The run report's ``timeline``: the mode and, per segment with frames, its seconds, first
    and last video frame and the prompt the video model got for it."""
    text = dict(zip(segments, prompts))
    spans = frame_spans(segments, num_frames, fps)
    out = {
        "mode": mode,
        "segments": [
            {"start_s": s.segment.start_s, "end_s": s.segment.end_s, "first_frame": s.first_frame, "last_frame": s.last_frame, "prompt": text[s.segment]}
            for s in spans
        ],
        "notes": list(notes),
    }
    return out | extra
