"""Batch items from a challenge-layout folder or a manifest.

* folder: ``idNNN/image.png`` (any image suffix) + ``idNNN/promptK.txt`` → one item per prompt;
* manifest: JSONL or CSV with ``id``, ``image`` (relative to the manifest), ``prompt``, and
  optionally ``name`` (default ``promptK`` by order within the id), ``seed``, ``overrides``
  (a JSON object; in CSV a JSON string), ``timeline`` (the challenge's list of
  ``{"start", "end", "description"}``, or the text "0-2s: …; 2-5s: …") and ``images`` (more
  reference images: objects, as ``{"path", "label"}`` or paths);
* the 2026 challenge's ``eval.json``, both tracks (``stdt2v.data.evaljson``).

An item's seed is the run's base seed plus a stable offset from its key (``idNNN/promptK``), mod
2^64 (``stdt2v.seeds``), so it does not depend on which process runs it or in which order; a
``seed`` in the manifest wins.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from stdt2v.errors import InputError
from stdt2v.io import NAME_MAX, read_prompt_file, regular_file
from stdt2v.layout import prompt_files, reference_image
from stdt2v.seeds import ITEM_OFFSETS, check_seed, derive_seed
from stdt2v.timeline import TimelineRequest, parse_timeline


@dataclass
class Item:
    id: str
    name: str  # promptK: the video is idNNN/promptK.mp4
    image: Path | None
    prompt: str
    seed: int | None = None
    overrides: dict = field(default_factory=dict)
    error: str | None = None  # why this item cannot run (it fails alone)
    # eval.json (stdt2v.data.evaljson): the video's path in the output, the track, a timeline
    # (stdt2v.timeline.TimelineRequest) and object references as (class label, image path).
    video_path: str | None = None
    track: str | None = None
    timeline: object = None
    objects: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.id}/{self.name}"


def item_seed(base: int, key: str) -> int:
    """``base`` plus an offset from the key's hash (stable across processes and runs), mod 2^64."""
    return derive_seed(base, int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % ITEM_OFFSETS)


def safe_component(value: object, what: str) -> str:
    """An id or name used as a folder or file name: one plain path component, or InputError."""
    text = str(value).strip()
    bad = (
        not text
        or text in (".", "..")
        or "/" in text
        or "\\" in text
        or "\x00" in text
        or text.startswith("~")
        or Path(text).is_absolute()
        or any(ord(c) < 32 for c in text)
    )
    if bad:
        raise InputError(f"{what}: {text!r} is not a plain name (it becomes a folder or file name: no '/', '\\', '..', or control characters)")
    if text.startswith("."):  # the output folder's own files (.stdt2v.lock, .tmp-*, .journal) start with a dot
        raise InputError(f"{what}: {text!r} starts with '.', which names the run's own hidden files; use a name without a leading dot")
    size = len(text.encode("utf-8", "surrogateescape"))
    if size > NAME_MAX - 16:  # room for the suffixes it gets (.mp4, .tmp- names)
        raise InputError(f"{what}: {text[:40]!r}... is {size} bytes, over the {NAME_MAX - 16}-byte limit of a file name here; use a shorter name")
    return text


def _folder_items(root: Path) -> list[Item]:
    items = []
    for path in prompt_files(root):
        try:
            prompt, error = read_prompt_file(path), None
        except InputError as err:  # this item fails alone, in the journal and the summary
            prompt, error = "", str(err)
        items.append(Item(path.parent.name, path.stem, reference_image(root, path.parent.name), prompt, error=error))
    return items


def read_manifest_rows(path: Path) -> list[dict]:
    """A manifest's rows. Files saved by Excel ("CSV UTF-8") start with a byte-order mark: it is
    dropped (utf-8-sig). A CSV quote left open would swallow the rows after it: refused."""
    try:
        return _manifest_rows(path)
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start}); save the manifest as UTF-8") from None


def _manifest_rows(path: Path) -> list[dict]:
    if path.suffix == ".jsonl":
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise InputError(f"{path}:{n}: not JSON ({err.msg}); one object per line") from None
        return rows
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f, strict=True)
            try:
                rows = list(reader)
            except csv.Error as err:
                fix = 'check the quotes (a field with a comma or quote is written "..." with "" inside)'
                raise InputError(f"{path}: line {reader.line_num}: {err}; {fix}") from None
        for n, row in enumerate(rows, 1):
            if None in row:
                raise InputError(f"{path}: row {n} has more fields than the header; check its commas and quotes")
            if any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in row.values()):
                # A quote left open runs on to the next quote and merges the rows between.
                raise InputError(f"{path}: row {n} has a field that spans lines: a quote left open merges rows; close the quote (a prompt is one line)")
        return rows
    raise InputError(f"{path}: a manifest must be .jsonl or .csv")


def _manifest_items(path: Path) -> list[Item]:
    items, counts = [], {}
    for n, row in enumerate(read_manifest_rows(path), 1):
        where = f"{path}: row {n}"
        if not isinstance(row, dict):
            raise InputError(f'{where}: not an object; each row is {{"id": ..., "image": ..., "prompt": ...}}')
        if not str(row.get("id") or "").strip():
            raise InputError(f"{where} has no id; every row needs id, image and prompt")
        identity = safe_component(row["id"], f"{where}: id")
        counts[identity] = counts.get(identity, 0) + 1
        name = safe_component(row.get("name") or f"prompt{counts[identity]}", f"{where}: name")
        image = str(row.get("image") or "").strip()
        prompt = row.get("prompt")
        if prompt is not None and not isinstance(prompt, str):
            raise InputError(f"{where}: prompt must be text, not {type(prompt).__name__} ({json.dumps(prompt, ensure_ascii=False)[:60]}); write one string")
        item = Item(
            identity,
            name,
            (path.parent / image) if image else None,
            prompt or "",
            _seed(row.get("seed"), where),
            _overrides(row.get("overrides"), where),
        )
        try:  # a bad timeline fails this item alone
            item.timeline, item.objects = _row_timeline(row.get("timeline"), where), _row_objects(row.get("images"), path.parent)
        except InputError as err:
            item.error = str(err)
        items.append(item)
    return items


def _row_timeline(value, where: str) -> TimelineRequest | None:
    if value in (None, "", []):
        return None
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as err:
                raise InputError(f"{where}: timeline is not JSON ({err.msg})") from None
        else:
            return TimelineRequest(parse_timeline(value, what=f"{where}: timeline"))
    from stdt2v.timeline import segments_from_captions

    segments, note = segments_from_captions(value, what=f"{where}: timeline")
    return TimelineRequest(segments, notes=[note] if note else [])


def _row_objects(value, folder: Path) -> list:
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.lstrip().startswith("[") else [value]
    objects = []
    for entry in value:
        path, label = (entry.get("path"), entry.get("label")) if isinstance(entry, dict) else (entry, None)
        objects.append((str(label or Path(str(path)).parent.name or "object"), folder / str(path)))
    return objects


def _seed(value: object, where: str) -> int | None:
    return None if value in (None, "") else check_seed(value, f"{where}: seed")


def _overrides(value, where: str) -> dict:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise InputError(f'{where}: overrides is not JSON ({err.msg}); write an object such as {{"animate.guidance_scale": 4}}') from None
    if not isinstance(value, dict):
        raise InputError(f"{where}: overrides must be an object of setting: value, not {type(value).__name__}")
    return dict(value)


def read_items(source: str | Path) -> list[Item]:
    if not str(source).strip():
        raise InputError("--input: empty; pass a challenge-layout folder or a .jsonl/.csv manifest")
    source = Path(source).expanduser()
    if source.is_dir():
        items = _folder_items(source)
    elif source.suffix == ".json" and (source.exists() or source.is_symlink()):
        from stdt2v.data.evaljson import read_eval_json

        items = read_eval_json(regular_file(source, "--input", "pass an eval.json, a challenge-layout folder or a .jsonl/.csv manifest"))
    elif source.exists() or source.is_symlink():
        items = _manifest_items(regular_file(source, "--input", "pass a challenge-layout folder or a .jsonl/.csv manifest"))
    else:
        raise InputError(f"--input: {source} is neither a folder nor a manifest file")
    keys = [item.key for item in items]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise InputError(f"--input: item {duplicates[0]} appears twice; give each prompt its own name")
    if not items:
        raise InputError(f"--input: no items in {source} (expected idNNN/promptK.txt, or manifest rows)")
    return items
