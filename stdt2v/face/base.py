"""The face interface every backend implements, and what callers build on it.

Images come in as PIL images or uint8 RGB arrays; a backend that wants BGR converts inside
its own ``_detect``/``_embed``. Boxes and landmarks are in the input image's pixels.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from PIL import Image

from stdt2v.errors import NoFaceError
from stdt2v.io import to_uint8_rgb


@dataclass
class Face:
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1
    score: float
    landmarks: np.ndarray | None = None  # [K, 2] in the backend's landmark order
    gender: str = "unknown"  # "female" | "male" | "unknown"
    age: float | None = None

    @property
    def area(self) -> float:
        x0, y0, x1, y1 = self.bbox
        return max(0.0, x1 - x0) * max(0.0, y1 - y0)

    def to_dict(self) -> dict:
        return {
            "bbox": [round(float(v), 2) for v in self.bbox],
            "score": round(float(self.score), 4),
            "landmarks": None if self.landmarks is None else np.round(self.landmarks, 2).tolist(),
            "gender": self.gender,
            "age": self.age,
        }


class FaceAnalyzer(ABC):
    """Detect faces and map them to unit-norm identity vectors."""

    name: str

    @abstractmethod
    def detect(self, image: Image.Image | np.ndarray) -> list[Face]:
        """All faces, largest first."""

    @abstractmethod
    def _embed_face(self, rgb: np.ndarray, face: Face) -> np.ndarray:
        """Raw identity vector of ``face`` in the uint8 RGB image ``rgb``."""

    def largest_face(self, image: Image.Image | np.ndarray, what: str = "image") -> Face:
        faces = self.detect(image)
        if not faces:
            raise NoFaceError(f"{what}: no face found; pass an image where the face is clearly visible")
        return faces[0]

    def embed(self, image: Image.Image | np.ndarray, face: Face | None = None, what: str = "image") -> np.ndarray:
        """Unit-norm identity vector of ``face`` (default: the largest face) in ``image``."""
        rgb = to_uint8_rgb(image)
        face = face or self.largest_face(rgb, what)
        vector = np.asarray(self._embed_face(rgb, face), dtype=np.float32)
        return vector / max(float(np.linalg.norm(vector)), 1e-12)

    @staticmethod
    def similarity(a: np.ndarray, b: np.ndarray) -> float:
        """Cosine similarity of two identity vectors."""
        a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
        return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12))

    def frame_similarities(self, reference: np.ndarray, frames: Sequence[Image.Image | np.ndarray]) -> list[float | None]:
        """Identity similarity of the largest face in each frame to ``reference``; None where no face."""
        scores: list[float | None] = []
        for frame in frames:
            rgb = to_uint8_rgb(frame)
            faces = self.detect(rgb)
            scores.append(self.similarity(reference, self.embed(rgb, faces[0])) if faces else None)
        return scores
