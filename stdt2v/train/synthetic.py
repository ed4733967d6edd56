"""Small training sets made from real face photographs (the sample data, package images)."""

from __future__ import annotations

import json
from pathlib import Path

from stdt2v.io import atomic_write_text, load_image, save_png, write_video

CAPTIONS = ["A portrait of a person, medium shot", "A person in soft light, close-up", "A person looking at the camera"]


def make_identity_triples(images: list[str | Path], folder: str | Path, size: int = 128) -> Path:
    """Write ``identity.jsonl`` (image, face, caption) using each photograph as its own target
    and reference, plus a mirrored target; return the manifest path."""
    folder = Path(folder)
    rows = []
    for n, source in enumerate(images):
        image = load_image(source, what=str(source)).convert("RGB")
        image.thumbnail((size * 2, size * 2))
        face = save_png(image, folder / f"face{n}.png")
        mirrored = save_png(image.transpose(0), folder / f"target{n}.png")  # FLIP_LEFT_RIGHT
        rows.append({"image": face.name, "face": face.name, "caption": CAPTIONS[n % len(CAPTIONS)]})
        rows.append({"image": mirrored.name, "face": face.name, "caption": CAPTIONS[(n + 1) % len(CAPTIONS)]})
    return atomic_write_text(folder / "identity.jsonl", "".join(json.dumps(r) + "\n" for r in rows))


def make_face_clips(images: list[str | Path], folder: str | Path, size: tuple[int, int] = (96, 64), num_frames: int = 9) -> Path:
    """Write short clips panning over each photograph and ``clips.jsonl`` (video, caption)."""
    import numpy as np

    folder = Path(folder)
    rows = []
    width, height = size
    for n, source in enumerate(images):
        image = load_image(source, what=str(source)).convert("RGB").resize((width + 2 * num_frames, height + 2 * num_frames))
        pixels = np.asarray(image)
        clip = np.stack([pixels[i * 2 : i * 2 + height, i * 2 : i * 2 + width] for i in range(num_frames)])
        video = write_video(clip, folder / f"clip{n}.mp4", fps=8)
        rows.append({"video": video.name, "caption": "A person turns slowly, the camera pans"})
    return atomic_write_text(folder / "clips.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
