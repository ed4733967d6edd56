"""OpenS2V-Eval's input layout and its boards' TotalScore (PKU-YuanGroup/OpenS2V-Nexus, Apache-2.0).

Input: a JSON dict keyed by sample id (``singleface_3``, ``singlehuman_2``, ...), each entry with
``img_paths`` (relative to the benchmark folder), ``prompt`` and ``class_label``; the videos are
``<sample id>.mp4`` in one folder.

TotalScore: ``eval/merge_result.py``. Each video's value is clamped, the clamped values are
averaged over the videos that have the metric, the mean is normalised as (mean − lo) / (hi − lo),
and the board's weights sum the normalised means. v1.1 (the leaderboard's ``file_v1.1``,
August 2025) added MotionSmoothness (Q-Align) and split Motion into smoothness and amplitude.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from stdt2v.errors import InputError

# get_facesim.py: only these sample ids are scored for FaceSim ...
FACE_ID_KEYWORDS = ("singlehuman", "singleface", "faceobj", "humanobj")
# ... against the first img_paths entry under one of these folders.
FACE_REFERENCE_DIRS = ("/man/", "/woman/", "/crop_woman/", "/crop_man/")


@dataclass(frozen=True)
class Sample:
    id: str
    video: Path
    reference: Path | None  # the FaceSim reference; None: the sample is not scored for FaceSim
    prompt: str
    class_label: str | None
    face_note: str | None = None  # why the sample has no FaceSim reference


def face_reference(img_paths: list[str]) -> str | None:
    """The first entry under /man/, /woman/, /crop_man/ or /crop_woman/ (get_facesim.py's rule)."""
    return next((p for p in img_paths if any(d in p for d in FACE_REFERENCE_DIRS)), None)


def scores_facesim(sample_id: str) -> bool:
    return any(keyword in sample_id for keyword in FACE_ID_KEYWORDS)


def read_samples(references: Path, videos: Path, root: Path | None = None) -> tuple[list[Sample], list[str]]:
    """Every sample of the benchmark JSON that has ``videos/<id>.mp4``, and the ids without one."""
    try:
        data = json.loads(Path(references).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"--references: cannot read {references} as OpenS2V-Eval's JSON ({err}); pass e.g. Human-Domain_Eval.json") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise InputError(f"--references: {references} is not a dict of samples keyed by id (OpenS2V-Eval's *_Eval.json)")
    root = Path(root) if root is not None else Path(references).parent
    samples, missing = [], []
    for sample_id, entry in data.items():
        video = Path(videos) / f"{sample_id}.mp4"
        if not video.is_file():
            missing.append(sample_id)
            continue
        reference, note = None, None
        if not scores_facesim(sample_id):
            note = "not scored for FaceSim: OpenS2V scores ids with singlehuman, singleface, faceobj or humanobj"
        elif (path := face_reference(list(entry.get("img_paths") or []))) is None:
            note = "no img_paths entry under /man/, /woman/, /crop_man/ or /crop_woman/"
        else:
            reference = root / path
        samples.append(Sample(sample_id, video, reference, str(entry.get("prompt") or ""), entry.get("class_label"), note))
    return samples, missing


@dataclass(frozen=True)
class Metric:
    column: str  # our scores.json column
    lo: float
    hi: float
    clamp_low: bool  # the per-video value is also clamped below at lo (aesthetics, naturalness)
    absolute: bool = False  # |value| first (motion)
    skip_zero: bool = False  # videos scoring exactly 0 are left out (NexusScore)

    def per_video(self, value: float) -> float:
        value = abs(value) if self.absolute else value
        value = min(value, self.hi)
        return max(value, self.lo) if self.clamp_low else value


# merge_result.py's clamps and normalisations, by its metric names.
METRICS = {
    "aes_score": Metric("aesthetic", 4.0, 7.0, clamp_low=True),
    "motion_score": Metric("motion_amplitude", 0.0, 1.0, clamp_low=False, absolute=True),  # v1.0's "Motion"
    "motion_amplitude": Metric("motion_amplitude", 0.0, 1.0, clamp_low=False, absolute=True),
    "motion_smoothness": Metric("motion_smoothness_qalign", 0.0, 1.0, clamp_low=False, absolute=True),
    "facesim_cur": Metric("face_sim_cur", 0.0, 1.0, clamp_low=False),
    "gme_score": Metric("gme_score", 0.0, 1.0, clamp_low=False),
    "nexus_score": Metric("nexus_score", 0.0, 0.05, clamp_low=False, skip_zero=True),
    "natural_score": Metric("natural_score", 1.0, 5.0, clamp_low=True),
}

# The weights of each board's TotalScore, by version (merge_result.py; Human-Domain has no NexusScore).
WEIGHTS = {
    "v1.0": {
        "Human-Domain": {"aes_score": 0.15, "motion_score": 0.15, "facesim_cur": 0.25, "gme_score": 0.15, "natural_score": 0.30},
        "other": {"aes_score": 0.12, "motion_score": 0.12, "facesim_cur": 0.20, "gme_score": 0.12, "nexus_score": 0.20, "natural_score": 0.24},
    },
    "v1.1": {
        "Human-Domain": {
            "aes_score": 0.18,
            "motion_smoothness": 0.09,
            "motion_amplitude": 0.03,
            "facesim_cur": 0.25,
            "gme_score": 0.15,
            "natural_score": 0.30,
        },
        "other": {
            "aes_score": 0.16,
            "motion_smoothness": 0.06,
            "motion_amplitude": 0.02,
            "facesim_cur": 0.20,
            "gme_score": 0.12,
            "nexus_score": 0.20,
            "natural_score": 0.24,
        },
    },
}

# Metrics this project does not compute, and why.
NOT_COMPUTED = {
    "nexus_score": "NexusScore needs YOLO-World (ultralytics, AGPL); stdt2v does not depend on it",
    "motion_smoothness": "MotionSmoothness needs Q-Align (q-future/one-align, mPLUG-Owl2); not implemented",
}
# What turns a metric on, for the note when no video has it.
ENABLED_BY = {
    "aesthetic": "eval.aesthetic_clip and eval.aesthetic_model",
    "motion_amplitude": "a protocol with motion_amplitude (opens2v)",
    "face_sim_cur": "eval.curricularface, and a sample scored for FaceSim",
    "gme_score": "eval.gme_model",
    "natural_score": "eval.opens2v.natural_base_url and natural_prompt_file",
}


def normalised_mean(metric: Metric, values: list[float]) -> float | None:
    kept = [metric.per_video(v) for v in values if not (metric.skip_zero and v == 0)]
    if not kept:
        return None
    return (sum(kept) / len(kept) - metric.lo) / (metric.hi - metric.lo)


def total_score(rows: list[dict], board: str, version: str) -> dict:
    """``summary.json → opens2v``: each weighted metric's normalised mean, and the total — null
    with ``missing`` naming what was not computed (no silent renormalisation); ``partial_total``
    sums the weights of what was computed, labelled as such."""
    weights = WEIGHTS[version]["Human-Domain" if board == "Human-Domain" else "other"]
    metrics, missing = {}, []
    for name, weight in weights.items():
        metric = METRICS[name]
        values = [row[metric.column] for row in rows if isinstance(row.get(metric.column), (int, float))]
        mean = normalised_mean(metric, values)
        metrics[name] = {"column": metric.column, "weight": weight, "videos": len(values), "normalised_mean": mean}
        if mean is None:
            missing.append(name)
            metrics[name]["why"] = NOT_COMPUTED.get(name, f"no video has a {metric.column} value (needs {ENABLED_BY.get(metric.column, 'its model')})")
    computed = {k: v for k, v in metrics.items() if v["normalised_mean"] is not None}
    partial = sum(v["weight"] * v["normalised_mean"] for v in computed.values())
    covered = round(sum(v["weight"] for v in computed.values()), 6)
    return {
        "board": board,
        "version": version,
        "source": "PKU-YuanGroup/OpenS2V-Nexus eval/merge_result.py",
        "metrics": metrics,
        "total": None if missing else partial,
        "missing": missing,
        "partial_total": {"value": partial, "weight_covered": covered, "label": "partial: not comparable with the board"} if missing else None,
    }
