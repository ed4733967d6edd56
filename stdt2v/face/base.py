"""The face interface every backend implements, and what callers build on it.

Images come in as PIL images or uint8 RGB arrays (the one place that converts is
``to_uint8_rgb``; backends that want BGR flip inside their own ``_detect_raw``). Boxes and
landmarks are in the input image's pixels. Landmarks are the 5 ArcFace points: left eye,
right eye, nose tip, left and right mouth corners ("left" = image left).

Shared here, so every backend gets it: tight crops are padded before detection (challenge
references are background-removed face crops, and detectors need context), images are
scaled towards ``detect_size`` (tiny ones up, 4k ones down) and boxes mapped back.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from PIL import Image

from stdt2v.errors import NoFaceError
from stdt2v.face.align import align_face
from stdt2v.io import to_uint8_rgb

logger = logging.getLogger(__name__)

# What `detect_reference` tries after the configured size and padding: a larger detector input
# (small faces), then no border (faces that fill the frame), then both.
RETRY_SCALES = ((1280, None), (None, 0.0), (1280, 0.0))


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two identity vectors (the one definition every score uses)."""
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))


@dataclass
class Face:
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1
    score: float
    landmarks: np.ndarray  # [5, 2]: ArcFace order
    gender: str = "unknown"  # "female" | "male" | "unknown"
    age: float | None = None
    # The crop the backend's recognizer reads (set by detect), so that embed(face) needs no image.
    crop: np.ndarray | None = field(default=None, repr=False)
    # Set when the default detection found nothing and a retry did: {"detect_size", "pad_ratio"}.
    found_with: dict | None = None

    @property
    def area(self) -> float:
        x0, y0, x1, y1 = self.bbox
        return max(0.0, x1 - x0) * max(0.0, y1 - y0)

    def to_dict(self) -> dict:
        return {
            "bbox": [round(float(v), 2) for v in self.bbox],
            "score": round(float(self.score), 4),
            "landmarks": np.round(np.asarray(self.landmarks, np.float64), 2).tolist(),
            "gender": self.gender,
            "age": None if self.age is None else round(float(self.age), 1),
            **({"found_with": self.found_with} if self.found_with else {}),
        }


class FaceAnalyzer(ABC):
    """Detect faces and map them to unit-norm identity vectors."""

    name: str
    # Names the models, so cached embeddings are never mixed across backends or packs.
    cache_key: str

    def __init__(self, detect_size: int = 640, max_upscale: float = 2.0, pad_ratio: float = 0.25, warp: str = "float32"):
        self.detect_size = detect_size
        self.max_upscale = max_upscale
        self.pad_ratio = pad_ratio
        # The alignment warp: "float32" or "norm_crop" (insightface's, bit for bit).
        self.warp = warp

    # ---------------------------------------------------------------- backend hooks

    @abstractmethod
    def _detect_raw(self, rgb: np.ndarray) -> list[tuple[tuple[float, float, float, float], float, np.ndarray, str, float | None]]:
        """Faces in ``rgb`` as (bbox, score, 5 landmarks, gender, age), in ``rgb``'s pixels."""

    def _detect_raw_at(self, rgb: np.ndarray, input_size: int | None) -> list:
        """``_detect_raw`` with the detector run at ``input_size`` (square) where the backend has
        such a setting (insightface's det_size); a backend without one ignores it."""
        return self._detect_raw(rgb)

    @abstractmethod
    def _recognition_crop(self, rgb: np.ndarray, face: Face) -> np.ndarray:
        """The crop the recognizer reads, from the full-resolution image."""

    @abstractmethod
    def _embed_crops(self, crops: list[np.ndarray]) -> np.ndarray:
        """Raw identity vectors [N, D] of recognition crops, in one batch."""

    # ---------------------------------------------------------------- public API

    def detect(self, image: Image.Image | np.ndarray) -> list[Face]:
        """All faces, largest first, each with its recognition crop."""
        return self._detect_scaled(to_uint8_rgb(image), self.detect_size, self.pad_ratio)

    def detect_reference(self, image: Image.Image | np.ndarray) -> list[Face]:
        """``detect`` for an image that must hold a face (a reference): when the default size and
        padding find none, the scales and paddings that find small faces and faces filling the
        frame are tried before giving up (padding shrinks a small face below the detector's
        reach; a face filling the frame needs no border). Faces found by a retry say with which."""
        rgb = to_uint8_rgb(image)
        tried = []
        for size, pad_ratio in ((self.detect_size, self.pad_ratio), *RETRY_SCALES):
            size, pad_ratio = size or self.detect_size, self.pad_ratio if pad_ratio is None else pad_ratio
            if (size, pad_ratio) in tried:
                continue
            tried.append((size, pad_ratio))
            faces = self._detect_scaled(rgb, size, pad_ratio, retry=len(tried) > 1)
            if faces:
                if len(tried) > 1:
                    for face in faces:
                        face.found_with = {"detect_size": size, "pad_ratio": pad_ratio}
                    logger.info("faces: none at detect_size %d, pad %.2f; found at detect_size %d, pad %.2f", self.detect_size, self.pad_ratio, size, pad_ratio)
                return faces
        return []

    def _detect_scaled(self, rgb: np.ndarray, detect_size: int, pad_ratio: float, retry: bool = False) -> list[Face]:
        h, w = rgb.shape[:2]
        pad = int(round(pad_ratio * max(h, w)))
        padded = np.pad(rgb, ((pad, pad), (pad, pad), (0, 0)), mode="constant") if pad else rgb
        scale = min(detect_size / max(padded.shape[:2]), self.max_upscale)
        if abs(scale - 1.0) > 1e-3:
            size = (max(1, round(padded.shape[1] * scale)), max(1, round(padded.shape[0] * scale)))
            resample = Image.BILINEAR if scale > 1 else Image.LANCZOS
            scaled = np.asarray(Image.fromarray(padded).resize(size, resample))
        else:
            scale, scaled = 1.0, padded

        faces = []
        # A retry runs the detector at its own size too (insightface's input is otherwise the
        # size it was prepared with, and the larger image would be shrunk back).
        found = self._detect_raw_at(scaled, detect_size // 32 * 32) if retry else self._detect_raw(scaled)
        for bbox, score, landmarks, gender, age in found:
            x0, y0, x1, y1 = (float(v) / scale - pad for v in bbox)
            x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(float(w), x1), min(float(h), y1)
            if x1 - x0 < 2 or y1 - y0 < 2:
                continue  # a detection in the padding only
            points = np.asarray(landmarks, np.float32) / scale - pad
            face = Face(bbox=(x0, y0, x1, y1), score=float(score), landmarks=points, gender=gender, age=age)
            face.crop = self._recognition_crop(rgb, face)
            faces.append(face)
        return sorted(faces, key=lambda f: f.area, reverse=True)

    def detect_in_order(self, image: Image.Image | np.ndarray, input_size: int | None = None) -> list[Face]:
        """All faces in the detector's own order (its score order), found on the image as it is:
        no padding, no rescaling here, the detector at ``input_size`` (as insightface's
        ``FaceAnalysis(det_size=...)`` runs it). Recognition crops come from ``image``."""
        rgb = to_uint8_rgb(image)
        faces = []
        for bbox, score, landmarks, gender, age in self._detect_raw_at(rgb, input_size):
            face = Face(bbox=tuple(float(v) for v in bbox), score=float(score), landmarks=np.asarray(landmarks, np.float32), gender=gender, age=age)
            face.crop = self._recognition_crop(rgb, face)
            faces.append(face)
        return faces

    def detect_as_is(self, image: Image.Image | np.ndarray, fallback_pad: float = 0.25, pad_value: int = 128) -> list[Face]:
        """All faces, largest first, found on the image as it is (no padding, no rescaling);
        only when none is found, again on the image with a ``pad_value`` grey border of
        ``fallback_pad`` × its height above and below and × its width left and right
        (ConsisID's evaluation). Recognition crops come from the image the faces were found
        in; boxes and landmarks are returned in ``image``'s pixels."""
        import cv2

        rgb = to_uint8_rgb(image)
        searched, (left, top) = rgb, (0, 0)
        found = self._detect_raw(rgb)
        if not found:
            h, w = rgb.shape[:2]
            top, left = int(h * fallback_pad), int(w * fallback_pad)
            searched = cv2.copyMakeBorder(rgb, top, top, left, left, cv2.BORDER_CONSTANT, value=(pad_value,) * 3)
            found = self._detect_raw(searched)
        faces = []
        for bbox, score, landmarks, gender, age in found:
            face = Face(bbox=tuple(float(v) for v in bbox), score=float(score), landmarks=np.asarray(landmarks, np.float32), gender=gender, age=age)
            face.crop = self._recognition_crop(searched, face)
            x0, y0, x1, y1 = face.bbox
            face.bbox = (x0 - left, y0 - top, x1 - left, y1 - top)
            face.landmarks = face.landmarks - np.array([left, top], np.float32)
            faces.append(face)
        # Stable sort of the reversed list: among equal areas the later detection comes first,
        # as ``sorted(faces, key=area)[-1]`` picks it.
        return sorted(faces[::-1], key=lambda f: f.area, reverse=True)

    def detect_batch(self, images: Sequence[Image.Image | np.ndarray]) -> list[list[Face]]:
        return [self.detect(image) for image in images]

    def largest_face(self, image: Image.Image | np.ndarray, what: str = "image") -> Face:
        faces = self.detect_reference(image)
        if not faces:
            raise NoFaceError(f"{what}: no face found; pass an image where the face is clearly visible")
        return faces[0]

    def embed(self, image_or_face: Image.Image | np.ndarray | Face, face: Face | None = None, what: str = "image") -> np.ndarray:
        """Unit-norm identity vector of a ``Face`` from ``detect``, or of the largest face in an image."""
        if isinstance(image_or_face, Face):
            face = image_or_face
        elif face is None:
            face = self.largest_face(image_or_face, what)
        elif face.crop is None:
            face.crop = self._recognition_crop(to_uint8_rgb(image_or_face), face)
        return self.embed_batch([face])[0]

    def embed_batch(self, faces: Sequence[Face]) -> np.ndarray:
        """Unit-norm identity vectors [N, D] of faces from ``detect``, in one recognizer batch."""
        if not faces:
            return np.zeros((0, 0), np.float32)
        vectors = np.asarray(self._embed_crops([f.crop for f in faces]), np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def align(self, image: Image.Image | np.ndarray, face: Face, size: int = 112) -> np.ndarray:
        """The standard 5-point ArcFace alignment of ``face``: uint8 RGB [size, size, 3]."""
        return align_face(to_uint8_rgb(image), face.landmarks, size, warp=self.warp)

    def dense_landmarks(self, rgb: np.ndarray, face: Face) -> np.ndarray | None:
        """More landmarks than the 5 (dlib's 68, insightface's 106), or None."""
        return None

    def outline(self, image: Image.Image | np.ndarray, face: Face) -> np.ndarray:
        """The face outline as a polygon [N, 2]: the convex hull of the dense landmarks (jaw
        and brows) when the backend has them, else an ellipse in the face box."""
        import cv2

        rgb = to_uint8_rgb(image)
        dense = self.dense_landmarks(rgb, face)
        if dense is not None and len(dense) >= 3:
            return cv2.convexHull(np.asarray(dense, np.float32)).reshape(-1, 2)
        x0, y0, x1, y1 = face.bbox
        angles = np.linspace(0, 2 * np.pi, 48, endpoint=False)
        centre, radius = np.array([(x0 + x1) / 2, (y0 + y1) / 2]), np.array([(x1 - x0) / 2, (y1 - y0) / 2])
        return (centre + radius * np.stack([np.cos(angles), np.sin(angles)], 1)).astype(np.float32)

    similarity = staticmethod(cosine)

    def largest_faces(self, images: Sequence[Image.Image | np.ndarray]) -> list[Face | None]:
        """The largest face of each image (None where there is none)."""
        return [faces[0] if faces else None for faces in self.detect_batch(images)]

    def embed_faces(self, faces: Sequence[Face | None]) -> list[np.ndarray | None]:
        """Identity vectors of ``faces`` (None stays None), from one recognizer batch."""
        found = [f for f in faces if f is not None]
        vectors = iter(self.embed_batch(found) if found else [])
        return [next(vectors) if f is not None else None for f in faces]

    def embed_largest(self, detections: Sequence[list[Face]]) -> list[np.ndarray | None]:
        """Identity vector of the largest face of each image's detections (None where none)."""
        return self.embed_faces([faces[0] if faces else None for faces in detections])

    def frame_similarities(self, reference: np.ndarray, frames: Sequence[Image.Image | np.ndarray]) -> list[float | None]:
        """Identity similarity of the largest face in each frame to ``reference``; None where no face."""
        return [None if v is None else cosine(reference, v) for v in self.embed_faces(self.largest_faces(frames))]
