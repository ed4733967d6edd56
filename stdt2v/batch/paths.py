"""Where a batch run puts an item's outputs (written by the runner, read by the report)."""

from __future__ import annotations

from pathlib import Path

from stdt2v.data.items import Item
from stdt2v.outputs import KEYFRAME_FILE, PROMPTS_FILE


def final_path(output: Path, item: Item, stage: str) -> Path:
    """What marks an item done: its video, or its keyframe / prompts for shorter runs."""
    if stage == "full":
        return output / (item.video_path or f"{item.id}/{item.name}.mp4")  # eval.json: submission/N.mp4
    return item_dir(output, item) / (KEYFRAME_FILE if stage == "keyframe" else PROMPTS_FILE)


def item_dir(output: Path, item: Item) -> Path:
    """The item's prompts, keyframe, candidates and report."""
    return output / "items" / item.id / item.name
