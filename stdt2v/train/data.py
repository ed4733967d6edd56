"""Training data: images or clips with captions and a reference face, from a manifest or a folder.

Sources (``data.manifest``):

* a JSONL/CSV manifest, paths relative to it: ``{"image"|"video", "caption", "face"}`` —
  ``video`` is a video file or a folder of frames; ``face`` (the reference) is optional and
  defaults to the image itself / the clip's first frame;
* a folder: every image, video file or frame folder ``NAME`` with its caption in ``NAME.txt``
  and, optionally, its reference face in ``NAME.face.png`` (or ``.jpg``).

Face analysis runs once per file and is kept on disk (keyed by content and face backend):
the reference's identity vector and landmarks (``ReferenceCache``), the target's landmarks,
and for clips the face box of every ``mask_stride``-th frame. Samples go to the bucket of the
nearest aspect ratio (and, for clips, the longest frame count they can fill); a batch never
mixes buckets. A sample that cannot be used is skipped with one line saying why.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from PIL import Image

from stdt2v.data.items import read_manifest_rows
from stdt2v.errors import InputError, NoFaceError, StdT2VError
from stdt2v.face import FaceAnalyzer, ReferenceCache
from stdt2v.face.align import similarity_transform, template_for
from stdt2v.io import atomic_write_bytes, load_image, regular_file
from stdt2v.seeds import derive_seed

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".webm", ".mkv", ".avi"}


@dataclass
class Sample:
    media: Path  # an image, a video file or a folder of frames
    caption: str
    face: Path | None = None  # the reference face; None: the media itself (its first frame)


def _is_media(path: Path, kind: str) -> bool:
    if ".face." in path.name or path.name.startswith(".") or not (path.is_file() or path.is_dir()):
        return False  # a FIFO or device named clip.mp4 would block the reader
    if kind == "image":
        return path.suffix.lower() in IMAGE_SUFFIXES
    return path.suffix.lower() in VIDEO_SUFFIXES or (path.is_dir() and any(_frame_files(path)))


def _frame_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def read_samples(source: str | Path, kind: str) -> list[Sample]:
    """The samples of a manifest or folder; ``kind`` is ``image`` or ``video``."""
    path = Path(source).expanduser()
    if not path.exists():
        raise InputError(f"data.manifest: {path} does not exist (a .jsonl/.csv manifest or a folder)")
    if not path.is_dir():
        regular_file(path, "data.manifest", "pass a .jsonl/.csv manifest or a folder")
    samples, problems = [], []
    if path.is_dir():
        for media in sorted(p for p in path.iterdir() if _is_media(p, kind)):
            caption = media.with_suffix(".txt") if media.is_file() else media.parent / f"{media.name}.txt"
            if not caption.is_file():  # is_file: a FIFO caption is skipped, not read
                problems.append(f"{media}: no caption file {caption.name}; write the caption there")
                continue
            face = next((f for f in (media.parent / f"{media.stem}.face{s}" for s in (".png", ".jpg", ".jpeg")) if f.is_file()), None)
            samples.append(Sample(media, caption.read_text(encoding="utf-8").strip(), face))
    else:
        key = "image" if kind == "image" else "video"
        for n, row in enumerate(read_manifest_rows(path), 1):
            if not str(row.get(key) or "").strip() or not str(row.get("caption") or "").strip():
                problems.append(f"{path}: row {n} needs '{key}' and 'caption'")
                continue
            face = str(row.get("face") or "").strip()
            media = path.parent / row[key]
            if media.exists() and not (media.is_file() or media.is_dir()):  # a FIFO or device would block the reader
                problems.append(f"{path}: row {n}: {row[key]} is not a regular file or folder")
                continue
            samples.append(Sample(path.parent / row[key], str(row["caption"]), path.parent / face if face else None))
    for problem in problems:
        logger.warning("train data: skipped %s", problem)
    if not samples:
        raise InputError(f"data.manifest: no usable {kind} samples in {path}")
    return samples


# ---- media -----------------------------------------------------------------------------------


def probe_clip(path: Path) -> tuple[int, int, int]:
    """(frames, height, width) of a video file or frame folder, without decoding it all."""
    if path.is_dir():
        frames = _frame_files(path)
        width, height = load_image(frames[0], what=str(frames[0])).size
        return len(frames), height, width
    import cv2

    capture = cv2.VideoCapture(str(path))
    try:
        if not capture.isOpened():
            raise InputError(f"{path}: cannot open the video (is it a video file?)")
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        height, width = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)), int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
    finally:
        capture.release()
    return count, height, width


def read_clip(path: Path, indices: list[int]) -> np.ndarray:
    """The frames at ``indices`` (ascending) as uint8 [F, H, W, 3]."""
    if path.is_dir():
        files = _frame_files(path)
        return np.stack([np.asarray(load_image(files[i], what=str(files[i]))) for i in indices])
    import imageio.v2 as imageio

    wanted, frames = set(indices), {}
    with imageio.get_reader(path, format="FFMPEG") as reader:
        for i, frame in enumerate(reader):
            if i in wanted:
                frames[i] = np.asarray(frame)
            if i >= indices[-1]:
                break
    if len(frames) < len(wanted):
        raise InputError(f"{path}: has fewer frames than its header says ({len(frames)} of {len(wanted)} read)")
    return np.stack([frames[i] for i in indices])


# ---- buckets ---------------------------------------------------------------------------------


def make_buckets(area: int, aspect_ratios: list[float], multiple: int) -> list[tuple[int, int]]:
    """(height, width) per aspect ratio (width / height) with about ``area`` pixels, sides
    rounded to ``multiple``."""
    buckets = []
    for ratio in aspect_ratios:
        height = max(multiple, round(math.sqrt(area / ratio) / multiple) * multiple)
        width = max(multiple, round(math.sqrt(area * ratio) / multiple) * multiple)
        if (height, width) not in buckets:
            buckets.append((height, width))
    return buckets


def nearest_bucket(height: int, width: int, buckets: list[tuple[int, int]]) -> tuple[int, int]:
    ratio = math.log(width / height)
    return min(buckets, key=lambda b: abs(math.log(b[1] / b[0]) - ratio))


def fit(frames: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, float, tuple[float, float]]:
    """Resize [F, H, W, 3] to cover ``size`` (h, w) and centre-crop; returns the frames, the
    scale and the crop offset (x, y) so that points map as ``p * scale - offset``."""
    import cv2

    height, width = size
    scale = max(height / frames.shape[1], width / frames.shape[2])
    new_w, new_h = max(width, round(frames.shape[2] * scale)), max(height, round(frames.shape[1] * scale))
    x0, y0 = (new_w - width) // 2, (new_h - height) // 2
    resized = [cv2.resize(f, (new_w, new_h), interpolation=cv2.INTER_AREA)[y0 : y0 + height, x0 : x0 + width] for f in frames]
    return np.stack(resized), scale, (float(x0), float(y0))


def to_tensor(frames: np.ndarray) -> torch.Tensor:
    """uint8 [F, H, W, 3] → float [3, F, H, W] in [-1, 1]."""
    return torch.from_numpy(frames.astype(np.float32) / 127.5 - 1.0).permute(3, 0, 1, 2)


def alignment_theta(landmarks: np.ndarray, height: int, width: int, size: int = 112) -> torch.Tensor:
    """The ``affine_grid`` matrix that samples the ArcFace-aligned ``size`` crop of a face with
    these 5 landmarks (pixels of a ``height``×``width`` image): differentiable alignment."""
    forward = np.vstack([similarity_transform(landmarks, template_for(size)), [0, 0, 1]])  # image px → crop px
    inverse = np.linalg.inv(forward)  # crop px → image px
    # normalised coordinates (align_corners=False): u = (2x + 1) / n - 1
    to_crop_px = np.array([[size / 2, 0, size / 2 - 0.5], [0, size / 2, size / 2 - 0.5], [0, 0, 1]])
    to_image_norm = np.array([[2 / width, 0, 1 / width - 1], [0, 2 / height, 1 / height - 1], [0, 0, 1]])
    return torch.from_numpy((to_image_norm @ inverse @ to_crop_px)[:2].astype(np.float32))


# ---- cached face analysis --------------------------------------------------------------------


def _file_key(path: Path) -> str:
    digest = hashlib.sha256()
    for file in _frame_files(path) if path.is_dir() else [path]:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


class FaceBoxes:
    """Face boxes of a clip's frames, detected every ``stride`` frames and kept on disk (npz)."""

    def __init__(self, analyzer: FaceAnalyzer, cache_dir: str | Path | None, stride: int) -> None:
        self.analyzer, self.stride = analyzer, max(1, stride)
        self.folder = None if cache_dir is None else Path(cache_dir).expanduser() / "train-faces" / analyzer.cache_key

    def __call__(self, path: Path, num_frames: int) -> np.ndarray:
        """[num_frames, 4] boxes (x0, y0, x1, y1) of the largest face; NaN where none was found.
        Frames between two detections take the nearer one's box."""
        key = f"{_file_key(path)}-{num_frames}-{self.stride}"
        cached = None if self.folder is None else self.folder / f"{key}.npz"
        if cached is not None and cached.is_file():
            with np.load(cached, allow_pickle=False) as data:
                return data["boxes"]
        picked = list(range(0, num_frames, self.stride))
        detected = np.full((len(picked), 4), np.nan, np.float32)
        for row, faces in enumerate(self.analyzer.detect_batch(list(read_clip(path, picked)))):
            if faces:
                detected[row] = max(faces, key=lambda f: f.area).bbox
        boxes = detected[np.clip(np.round(np.arange(num_frames) / self.stride).astype(int), 0, len(picked) - 1)]
        if cached is not None:
            buffer = io.BytesIO()
            np.savez(buffer, boxes=boxes)
            atomic_write_bytes(cached, buffer.getvalue())
        return boxes


def reference_identity(references: ReferenceCache, sample: Sample, first_frame: Callable[[], Image.Image | np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """(identity vector, aligned 112-px crop) of the sample's reference face, or None with a
    warning when it has no face."""
    image = load_image(sample.face, what=str(sample.face)) if sample.face else first_frame()
    try:
        face, vector = references(image, what=f"reference face of {sample.media}")
    except NoFaceError as err:
        logger.warning("train data: skipped %s: %s", sample.media, err)
        return None
    return np.asarray(vector, np.float32), references.analyzer.align(image, face, 112)


# ---- datasets --------------------------------------------------------------------------------


class ImageTriples(torch.utils.data.Dataset):
    """(target image, reference identity, caption) for the identity adapter; ``bucket_keys``
    groups samples of the same size. The target's face landmarks (when it has one) give the
    differentiable alignment of the identity loss."""

    def __init__(self, samples: list[Sample], buckets: list[tuple[int, int]], references: ReferenceCache):
        self.samples, self.sizes, self.identity, self.reference_crops, self.landmarks = [], [], [], [], []
        for sample in samples:
            try:
                target = load_image(sample.media, what=str(sample.media))
            except StdT2VError as err:
                logger.warning("train data: skipped %s", err)
                continue
            found = reference_identity(references, sample, lambda: target)
            if found is None:
                continue
            try:
                face, _ = references(target, what=str(sample.media))
                landmarks = np.asarray(face.landmarks, np.float32)
            except NoFaceError:
                landmarks = None  # no identity loss on this sample
            self.samples.append(sample)
            self.sizes.append(nearest_bucket(target.height, target.width, buckets))
            self.identity.append(torch.from_numpy(found[0]))
            self.reference_crops.append(found[1])
            self.landmarks.append(landmarks)
        if not self.samples:
            raise InputError("data.manifest: no sample has a usable reference face")
        self.bucket_keys = list(self.sizes)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> dict:
        sample, size = self.samples[i], self.sizes[i]
        pixels, scale, offset = fit(np.asarray(load_image(sample.media, what=str(sample.media)))[None], size)
        item = {
            "pixels": to_tensor(pixels)[:, 0],
            "identity": self.identity[i],
            "caption": sample.caption,
            "index": i,
            "has_face": self.landmarks[i] is not None,
        }
        landmarks = self.landmarks[i] * scale - np.asarray(offset, np.float32) if self.landmarks[i] is not None else None
        item["align"] = alignment_theta(landmarks, *size) if landmarks is not None else torch.zeros(2, 3)
        return item


class VideoClips(torch.utils.data.Dataset):
    """Clips with captions, a reference identity and per-frame face masks for the LoRA trainer;
    ``bucket_keys`` are (height, width, frames)."""

    def __init__(
        self, samples: list[Sample], buckets: list[tuple[int, int]], frame_buckets: list[int], frame_stride: int, references: ReferenceCache, boxes: FaceBoxes
    ):
        self.samples, self.bucket_keys, self.identity, self.boxes = [], [], [], []
        self.frame_stride = frame_stride
        for sample in samples:
            try:
                count, height, width = probe_clip(sample.media)
            except (StdT2VError, OSError) as err:
                logger.warning("train data: skipped %s: %s", sample.media, err)
                continue
            usable = [f for f in frame_buckets if (f - 1) * frame_stride + 1 <= count]
            if not usable:
                logger.warning(
                    "train data: skipped %s: %d frames, fewer than the shortest frame bucket %d (stride %d)",
                    sample.media,
                    count,
                    min(frame_buckets),
                    frame_stride,
                )
                continue
            frames = max(usable)
            found = reference_identity(references, sample, lambda: read_clip(sample.media, [0])[0])
            if found is None:
                continue
            self.samples.append(sample)
            self.bucket_keys.append((*nearest_bucket(height, width, buckets), frames))
            self.identity.append(torch.from_numpy(found[0]))
            self.boxes.append(boxes(sample.media, (frames - 1) * frame_stride + 1)[::frame_stride])
        if not self.samples:
            raise InputError("data.manifest: no usable clips (see the warnings above)")

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> dict:
        sample, (height, width, frames) = self.samples[i], self.bucket_keys[i]
        clip, scale, (x0, y0) = fit(read_clip(sample.media, list(range(0, (frames - 1) * self.frame_stride + 1, self.frame_stride))), (height, width))
        mask = np.zeros((frames, height, width), np.float32)
        for f, box in enumerate(self.boxes[i]):
            if not np.isnan(box).any():
                bx0, by0, bx1, by1 = (int(round(v)) for v in (box[0] * scale - x0, box[1] * scale - y0, box[2] * scale - x0, box[3] * scale - y0))
                mask[f, max(0, by0) : max(0, by1), max(0, bx0) : max(0, bx1)] = 1.0
        return {"video": to_tensor(clip), "face_mask": torch.from_numpy(mask)[None], "identity": self.identity[i], "caption": sample.caption}


class BucketBatchSampler(torch.utils.data.Sampler):
    """Batches of ``batch_size`` samples sharing a bucket key, shuffled by ``seed + epoch``:
    the order of an epoch is a pure function of the epoch (what resume relies on)."""

    def __init__(self, bucket_keys: list, batch_size: int, shuffle: bool, seed: int):
        self.groups: dict = {}
        for index, key in enumerate(bucket_keys):
            self.groups.setdefault(key, []).append(index)
        self.batch_size, self.shuffle, self.seed, self.epoch = batch_size, shuffle, seed, 0
        for key, members in self.groups.items():
            if len(members) % batch_size:
                logger.info(
                    "train data: bucket %s has %d samples; %d per epoch are left out by batch_size=%d",
                    "x".join(map(str, key)),
                    len(members),
                    len(members) % batch_size,
                    batch_size,
                )

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self):
        generator = torch.Generator().manual_seed(derive_seed(self.seed, self.epoch))
        batches = []
        for key in sorted(self.groups):
            members = self.groups[key]
            order = torch.randperm(len(members), generator=generator).tolist() if self.shuffle else range(len(members))
            picked = [members[j] for j in order]
            batches += [picked[k : k + self.batch_size] for k in range(0, len(picked) - self.batch_size + 1, self.batch_size)]
        if self.shuffle:
            batches = [batches[j] for j in torch.randperm(len(batches), generator=generator).tolist()]
        yield from batches

    def __len__(self) -> int:
        return sum(len(m) // self.batch_size for m in self.groups.values())
