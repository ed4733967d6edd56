"""Batch items from a challenge-layout folder or a manifest.

* folder: ``idNNN/image.png`` (any image suffix) + ``idNNN/promptK.txt`` → one item per prompt;
* manifest: JSONL or CSV with ``id``, ``image`` (relative to the manifest), ``prompt``, and
  optionally ``name`` (default ``promptK`` by order within the id), ``seed`` and ``overrides``
  (a JSON object; in CSV a JSON string).

An item's seed is the run's base seed plus a stable offset from its key (``idNNN/promptK``), so
it does not depend on which process runs it or in which order; a ``seed`` in the manifest wins.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from stdt2v.errors import InputError
from stdt2v.layout import prompt_files, reference_image


@dataclass
class Item:
    id: str
    name: str  # promptK: the video is idNNN/promptK.mp4
    image: Path | None
    prompt: str
    seed: int | None = None
    overrides: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.id}/{self.name}"


def item_seed(base: int, key: str) -> int:
    """``base`` plus an offset from the key's hash: stable across processes and runs."""
    return base + int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 1_000_000


def _folder_items(root: Path) -> list[Item]:
    return [Item(path.parent.name, path.stem, reference_image(root, path.parent.name), path.read_text(encoding="utf-8")) for path in prompt_files(root)]


def read_manifest_rows(path: Path) -> list[dict]:
    if path.suffix == ".jsonl":
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise InputError(f"{path}:{n}: not JSON ({err.msg}); one object per line") from None
        return rows
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    raise InputError(f"{path}: a manifest must be .jsonl or .csv")


def _manifest_items(path: Path) -> list[Item]:
    items, counts = [], {}
    for n, row in enumerate(read_manifest_rows(path), 1):
        missing = [k for k in ("id", "image", "prompt") if not str(row.get(k) or "").strip()]
        if missing and "id" in missing:
            raise InputError(f"{path}: row {n} has no id; every row needs id, image and prompt")
        identity = str(row["id"])
        counts[identity] = counts.get(identity, 0) + 1
        overrides = row.get("overrides") or {}
        if isinstance(overrides, str):
            overrides = json.loads(overrides) if overrides.strip() else {}
        seed = row.get("seed")
        image = str(row.get("image") or "").strip()
        items.append(
            Item(
                identity,
                str(row.get("name") or f"prompt{counts[identity]}"),
                (path.parent / image) if image else None,
                str(row.get("prompt") or ""),
                int(seed) if seed not in (None, "") else None,
                dict(overrides),
            )
        )
    return items


def read_items(source: str | Path) -> list[Item]:
    source = Path(source).expanduser()
    if source.is_dir():
        items = _folder_items(source)
    elif source.is_file():
        items = _manifest_items(source)
    else:
        raise InputError(f"--input: {source} is neither a folder nor a manifest file")
    keys = [item.key for item in items]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise InputError(f"--input: item {duplicates[0]} appears twice; give each prompt its own name")
    if not items:
        raise InputError(f"--input: no items in {source} (expected idNNN/promptK.txt, or manifest rows)")
    return items
