"""The status journal: one append-only JSONL file per process, merged when the run ends.

A line is appended (and fsynced) only after an item's outputs are complete under their final
names, so a process killed at any moment loses at most the item in flight.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

JOURNAL_DIR = ".journal"


class Journal:
    def __init__(self, output: Path, rank: int):
        self.folder = output / JOURNAL_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / f"rank{rank}.jsonl"

    def append(self, entry: dict) -> None:
        line = json.dumps({**entry, "time": time.time()}, ensure_ascii=False)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())


def journal_entries(output: Path) -> list[dict]:
    """Every entry of every process's journal (a torn last line, from a kill mid-write, is ignored)."""
    entries = []
    for path in sorted(p for p in (output / JOURNAL_DIR).glob("*.jsonl") if p.is_file()):  # not a FIFO: it would block
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return entries


def read_journals(output: Path) -> dict[str, dict]:
    """The latest entry per item key across every process's journal."""
    latest: dict[str, dict] = {}
    for entry in journal_entries(output):
        key = entry.get("key")
        if key and (key not in latest or entry.get("time", 0) >= latest[key].get("time", 0)):
            latest[key] = entry
    return latest


class JournalTail:
    """New journal entries since the last call, read incrementally (the main process's progress
    bar follows every process without re-reading whole files after each item)."""

    def __init__(self, output: Path):
        self.folder = output / JOURNAL_DIR
        self.offsets: dict[Path, int] = {}

    def new_entries(self) -> list[dict]:
        entries = []
        for path in sorted(p for p in self.folder.glob("*.jsonl") if p.is_file()):
            with open(path, "rb") as f:
                f.seek(self.offsets.get(path, 0))
                data = f.read()
            complete = data[: data.rfind(b"\n") + 1]  # a line still being written waits
            self.offsets[path] = self.offsets.get(path, 0) + len(complete)
            entries += [json.loads(line) for line in complete.decode("utf-8").splitlines() if line.strip()]
        return entries
