"""The challenge folder layout, in one place: ``idNNN/image.*`` (the reference face),
``idNNN/promptK.txt`` (the prompts) and ``idNNN/promptK.mp4`` (a submission's videos).
Batch runs, ``stdt2v decouple --input`` and ``stdt2v evaluate`` all read it through here."""

from __future__ import annotations

import re
from pathlib import Path

ID = re.compile(r"^id\d+$")
PROMPT = re.compile(r"^prompt(\d+)$")


def _prompt_order(path: Path) -> tuple[int, str]:
    match = PROMPT.match(path.stem)
    return (int(match.group(1)) if match else 1_000_000, path.stem)


def identity_folders(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).iterdir() if p.is_dir() and ID.match(p.name))


def reference_image(root: Path, identity: str) -> Path | None:
    """``root/idNNN/image.*`` (the first by name), or None."""
    return next(iter(sorted((Path(root) / identity).glob("image.*"))), None)


def prompt_files(root: Path) -> list[Path]:
    """Every ``idNNN/promptK.txt``, by identity, then by K."""
    return [p for folder in identity_folders(root) for p in sorted(folder.glob("prompt*.txt"), key=_prompt_order)]


def video_files(root: Path) -> list[Path]:
    """Every ``idNNN/promptK.mp4`` (a submission)."""
    return [p for folder in identity_folders(root) for p in sorted(folder.glob("*.mp4"), key=_prompt_order)]


def prompt_file(root: Path, identity: str, name: str) -> Path:
    return Path(root) / identity / f"{name}.txt"
