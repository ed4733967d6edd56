"""``stdt2v evaluate --timelines eval.json``: each segment of a Track 2 video on its own.

Per sample and segment: the segment's frames (the timeline fitted to the video as generation
fits it, ``stdt2v.timeline``), read with the protocol's frame reader; up to
``eval.num_frames / segments`` of them, evenly spaced, go to CLIPScore against every segment's
description. A segment's ``clip_score`` is against its own description; the sample's
``order_score`` is the share of its segments whose frames match their own description better
than any other segment's; ``identity`` is the mean face similarity of the segment's frames to the
person's reference image (None: no face in them). Each segment's frames are also saved as a strip
(``strips/N_segK.png``), shown under the segment's text in ``report.html``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np

from stdt2v.errors import StdT2VError
from stdt2v.eval.frames import VideoFrames
from stdt2v.html import esc, fmt, rel, write_page
from stdt2v.io import MIN_IMAGE_SIDE, atomic_write_json, contact_sheet, evenly_spaced, first_line, load_image, save_png
from stdt2v.timeline import Segment, fit_to_clip, frame_spans

if TYPE_CHECKING:
    from stdt2v.eval.suite import Evaluator

logger = logging.getLogger(__name__)

COLUMNS = ["sample", "segment", "start_s", "end_s", "first_frame", "last_frame", "clip_score", "best_match", "identity", "description"]


def video_fps(path: Path) -> float:
    import imageio.v2 as imageio

    with imageio.get_reader(path, format="FFMPEG") as reader:
        return float(reader.get_meta_data()["fps"])


def find_video(videos: Path, n: int) -> Path | None:
    """``N.mp4`` in the folder or in its ``submission/`` (a batch run's output)."""
    return next((p for p in (videos / f"{n}.mp4", videos / "submission" / f"{n}.mp4") if p.is_file()), None)


def score_segments(
    evaluator: Evaluator, frames: VideoFrames, fps: float, segments: list[Segment], reference: np.ndarray | None
) -> tuple[list[dict], list[list[np.ndarray]]]:
    """One row per segment with frames, and each segment's frames (the strip)."""
    segments, _ = fit_to_clip(segments, frames.count, round(fps), scale=True)
    spans = frame_spans(segments, frames.count, round(fps))
    per_segment = max(1, evaluator.num_frames // max(1, len(spans)))
    picked = []
    for span in spans:
        indices = [span.first_frame + i for i in evenly_spaced(span.last_frame - span.first_frame + 1, per_segment)]
        picked.append(frames.pick(indices)[1])
    texts = [span.segment.text for span in spans]
    clip = evaluator.clip_scorer
    matrix = None if clip is None else np.array([[clip(images, text, channels=evaluator.protocol.clip_channels) for text in texts] for images in picked])
    rows = []
    for k, (span, images) in enumerate(zip(spans, picked)):
        identity = None
        if reference is not None:
            scores = [s for s in evaluator.analyzer.frame_similarities(reference, images) if s is not None]
            identity = float(np.mean(scores)) if scores else None
        row = {"segment": k + 1, "start_s": span.segment.start_s, "end_s": span.segment.end_s, "first_frame": span.first_frame, "last_frame": span.last_frame}
        row |= {"description": span.segment.text, "identity": identity}
        if matrix is not None:
            others = np.delete(matrix[k], k)
            row |= {"clip_score": float(matrix[k, k]), "best_match": bool(others.size == 0 or matrix[k, k] > others.max())}
        rows.append(row)
    return rows, picked


def order_score(rows: list[dict]) -> float | None:
    """The share of segments whose frames match their own description best."""
    marks = [r["best_match"] for r in rows if "best_match" in r]
    return sum(marks) / len(marks) if marks else None


def evaluate_timelines(evaluator: Evaluator, items: list, videos: Path, output: Path, source: str = "eval.json") -> tuple[list[dict], dict]:
    """Score every sample of a Track 2 ``eval.json`` (its items, ``stdt2v.data.evaljson``) whose
    video is in ``videos``; a bad one is reported and skipped."""
    if not any(item.timeline for item in items):
        raise StdT2VError(f"--timelines: {source} has no temporal_captions (a Track 2 eval.json)")
    rows, samples, failures = [], [], []
    for n, item in enumerate(items, 1):
        video = find_video(videos, n)
        if video is None:
            continue
        try:
            if item.error:
                raise StdT2VError(item.error)
            reference = None
            if item.image is not None:
                image = load_image(item.image, what=str(item.image), min_side=MIN_IMAGE_SIDE)
                reference = evaluator.references(image, what=str(item.image))[1]
            frames = VideoFrames(video, reader=evaluator.protocol.frame_reader)
            segment_rows, picked = score_segments(evaluator, frames, video_fps(video), item.timeline.segments, reference)
        except (StdT2VError, OSError, ValueError) as err:
            logger.error("evaluate: sample %d: %s", n, first_line(err))
            failures.append({"sample": n, "error": first_line(err)})
            continue
        for row, images in zip(segment_rows, picked):
            strip = save_png(contact_sheet(images, columns=len(images)), output / "strips" / f"{n}_seg{row['segment']}.png")
            rows.append({"sample": n, **row, "strip": str(strip.relative_to(output))})
        samples.append({"sample": n, "video": str(video), "order_score": order_score(segment_rows), "segments": len(segment_rows)})
    if not samples and not failures:
        raise StdT2VError(f"--videos: no N.mp4 (or submission/N.mp4) under {videos} for the samples of {source}")
    summary = {"samples": len(samples), "failed": failures, "means": _means(rows, samples), "per_sample": samples}
    _write(output, rows, summary)
    return rows, summary


def _means(rows: list[dict], samples: list[dict]) -> dict:
    def mean(values: Iterable[float | None]) -> float | None:
        values = [v for v in values if v is not None]
        return round(float(np.mean(values)), 4) if values else None

    return {
        "clip_score": mean(r.get("clip_score") for r in rows),
        "order_score": mean(s["order_score"] for s in samples),
        "identity": mean(r.get("identity") for r in rows),
    }


def _write(output: Path, rows: list[dict], summary: dict) -> None:
    import csv
    import io

    from stdt2v.io import atomic_write_text

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(output / "scores.csv", buffer.getvalue())
    atomic_write_json(output / "scores.json", rows)
    atomic_write_json(output / "summary.json", summary)
    write_page(output / "report.html", "stdt2v timeline evaluation", _html(output, rows, summary))


def _html(output: Path, rows: list[dict], summary: dict) -> str:
    means = summary["means"]
    cards = "".join(f"<div class='card'><div class='muted'>{esc(k)}</div><div class='v'>{fmt(v)}</div></div>" for k, v in means.items())
    blocks = []
    for sample in summary["per_sample"]:
        n = sample["sample"]
        video = Path(sample["video"])
        parts = [f"<h2>Sample {n} · order score {fmt(sample['order_score'])}</h2><video controls muted loop src='{rel(video, output)}'></video>"]
        for row in (r for r in rows if r["sample"] == n):
            identity = fmt(row["identity"]) if row["identity"] is not None else "no face"
            mark = "" if row.get("best_match", True) else " <span class='bad'>(matches another segment better)</span>"
            parts.append(
                f"<p><b>{row['start_s']:g}–{row['end_s']:g} s</b> (frames {row['first_frame']}–{row['last_frame']}): {esc(row['description'])}<br>"
                f"<span class='muted'>CLIPScore {fmt(row.get('clip_score'))} · identity {identity}</span>{mark}</p>"
                f"<img src='{esc(row['strip'])}' alt='segment {row['segment']}' style='max-width:100%'>"
            )
        blocks.append("".join(parts))
    failures = "".join(f"<p class='bad'>sample {f['sample']}: {esc(f['error'])}</p>" for f in summary["failed"])
    return f"<h1>Timeline evaluation</h1><div class='cards'>{cards}</div>{failures}{''.join(blocks)}"
