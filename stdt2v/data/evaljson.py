"""The 2026 challenge's ``eval.json`` (IPVG 2026, ACM Multimedia), both tracks.

* Track 1 (Facial IPVG): a JSON list of ``{"img": ".../images/id001.webp", "prompt": "..."}``;
  the image is looked up as written (relative to the JSON's folder), else by its base name
  under ``images/`` beside the JSON.
* Track 2 (Sequential-Action IPVG): a list, or a dict keyed "1".."N", of ``{"img_paths": [...],
  "class_label": [...], "global_prompt": "...", "temporal_captions": [{"start", "end",
  "description"}, ...]}``; image paths are relative to the JSON's folder. The person's image is
  the first whose class label (or first folder) names a person; the others are objects.

Item N (1-based, in the file's order) writes ``submission/N.mp4``; a bad sample fails alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from stdt2v.errors import InputError
from stdt2v.timeline import TimelineRequest, segments_from_captions

TRACKS = {"facial": "facial_results.zip", "sequential_action": "sequential_action_results.zip"}
PERSON_WORDS = {"man", "woman", "person", "people", "boy", "girl", "child", "human", "men", "women", "celebrity", "commoner", "face"}


def looks_like_eval_json(path: Path) -> bool:
    return path.suffix == ".json"


def read_eval_json(path: Path) -> list:
    """``eval.json`` → Items (``stdt2v.data.items.Item``), in the file's order."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not JSON ({err.msg} at line {err.lineno}); pass the challenge's eval.json") from None
    samples = _samples(data, path)
    if not any(isinstance(s, dict) and ("img" in s or "temporal_captions" in s) for s in samples):
        raise InputError(f'{path}: not a 2026 eval.json (samples with "img", or "img_paths" and "temporal_captions"); a manifest is .jsonl or .csv')
    track = "sequential_action" if any(isinstance(s, dict) and "temporal_captions" in s for s in samples) else "facial"
    read = _track2_item if track == "sequential_action" else _track1_item
    return [read(path, n, sample, track) for n, sample in enumerate(samples, 1)]


def _samples(data, path: Path) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        try:
            keys = sorted(data, key=int)
        except ValueError:
            raise InputError(f'{path}: a dict eval.json is keyed "1".."N"; found key {next(k for k in data if not k.lstrip("-").isdigit())!r}') from None
        return [data[k] for k in keys]
    raise InputError(f"{path}: expected a list of samples or a dict keyed 1..N, not {type(data).__name__}")


def _item(n: int, track: str, **fields):
    from stdt2v.data.items import Item

    return Item(f"sample{n:03d}", "video", video_path=f"submission/{n}.mp4", track=track, **fields)


def _track1_item(path: Path, n: int, sample, track: str):
    if not isinstance(sample, dict) or "img" not in sample:
        return _item(n, track, image=None, prompt="", error=f'{path}: sample {n}: expected {{"img": ..., "prompt": ...}}')
    image = path.parent / str(sample["img"])
    if not image.is_file():
        image = path.parent / "images" / Path(str(sample["img"])).name
    return _item(n, track, image=image, prompt=str(sample.get("prompt") or ""))


def _is_person(image: str, label) -> bool:
    words = {str(label or "").strip().lower()} | {part.lower() for part in Path(image).parts[:-1]}
    return bool(words & PERSON_WORDS)


def _track2_item(path: Path, n: int, sample, track: str):
    where = f"{path}: sample {n}"
    try:
        if not isinstance(sample, dict):
            raise InputError(f"{where}: not an object")
        images = [str(p) for p in sample.get("img_paths") or []]
        labels = list(sample.get("class_label") or [])
        labels += [None] * (len(images) - len(labels))
        segments, note = segments_from_captions(sample.get("temporal_captions"), what=f"{where}: temporal_captions")
        person = next((i for i, (img, label) in enumerate(zip(images, labels)) if _is_person(img, label)), None)
        objects = [(str(labels[i] or Path(images[i]).parent.name or "object"), path.parent / images[i]) for i in range(len(images)) if i != person]
        timeline = TimelineRequest(segments, scale=True, notes=[note] if note else [])
        return _item(
            n,
            track,
            image=path.parent / images[person] if person is not None else None,
            prompt=str(sample.get("global_prompt") or ""),
            timeline=timeline,
            objects=objects,
        )
    except InputError as err:  # this sample fails alone
        return _item(n, track, image=None, prompt="", error=str(err))
