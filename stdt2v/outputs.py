"""What a run writes and what a later run reads back: the output record (``IPT2VOutput``) and
the stage-output folder format (prompts.json, keyframe.png, keyframe_candidates.png, frames.png,
report.json, video.mp4, plus config.yaml and env.json). Written and read here only."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from omegaconf import DictConfig
from PIL import Image

from stdt2v.config import save_config
from stdt2v.io import atomic_write_json, contact_sheet, evenly_spaced, save_png, write_video
from stdt2v.loading import resolve_device
from stdt2v.prompts import DecoupledPrompt
from stdt2v.report import RunReport
from stdt2v.runinfo import environment

__all__ = ["IPT2VOutput", "candidate_sheet", "load_stage_outputs", "save_output", "save_run_info"]


@dataclass
class IPT2VOutput:
    prompts: DecoupledPrompt
    keyframe: Image.Image | None  # None when run with until="decouple"
    frames: np.ndarray | None  # uint8 [F, H, W, 3]; None unless run to the end
    fps: int
    report: RunReport
    candidates: list[Image.Image] = field(default_factory=list)  # every keyframe candidate, in seed order


PROMPTS_FILE, KEYFRAME_FILE = "prompts.json", "keyframe.png"


def load_stage_outputs(folder: str | Path) -> tuple[DecoupledPrompt | None, Image.Image | None]:
    """What ``save_output`` wrote that a later stage can reuse: the prompts and the keyframe
    (None where absent). The stage-output format is written and read here only."""
    folder = Path(folder)
    prompts = DecoupledPrompt(**json.loads((folder / PROMPTS_FILE).read_text())) if (folder / PROMPTS_FILE).is_file() else None
    keyframe = Image.open(folder / KEYFRAME_FILE).convert("RGB") if (folder / KEYFRAME_FILE).is_file() else None
    return prompts, keyframe


def save_output(output: IPT2VOutput, folder: str | Path, cfg: DictConfig | None = None, video_name: str = "video.mp4") -> Path:
    """Write what the run produced: prompts.json, keyframe.png, keyframe_candidates.png,
    video.mp4, frames.png, report.json (+ config.yaml, env.json with ``cfg``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if cfg is not None:
        save_run_info(folder, cfg, output.report.seeds)
    atomic_write_json(folder / PROMPTS_FILE, output.prompts.to_dict())
    if output.keyframe is not None:
        save_png(output.keyframe, folder / KEYFRAME_FILE)
    if output.candidates:
        save_png(candidate_sheet(output.candidates, output.report.keyframe or {}), folder / "keyframe_candidates.png")
    if output.frames is not None:
        sheet = contact_sheet([output.frames[i] for i in evenly_spaced(len(output.frames), 8)], columns=4)
        save_png(sheet, folder / "frames.png")
    atomic_write_json(folder / "report.json", output.report.to_dict())
    if output.frames is not None:  # last: a video means the folder is complete (a full disk stops before it)
        write_video(output.frames, folder / video_name, fps=output.fps)
    return folder


def candidate_sheet(images: list[Image.Image], keyframe_report: dict) -> Image.Image:
    """The keyframe candidates side by side, each labelled with its seed and identity score."""
    labels = []
    entries = keyframe_report.get("candidates", [])
    for i, _ in enumerate(images):
        entry = entries[i] if i < len(entries) else {}
        score = entry.get("identity")
        chosen = " *" if keyframe_report.get("chosen") == i else ""
        labels.append(f"seed {entry.get('seed', '?')}: {'no face' if score is None else f'{score:.3f}'}{chosen}")
    return contact_sheet(images, columns=len(images), labels=labels)


def save_run_info(folder: Path, cfg: DictConfig, seeds: dict[str, int]) -> None:
    save_config(cfg, folder / "config.yaml")
    atomic_write_json(folder / "env.json", environment(seeds, device=str(resolve_device(cfg.device))))
