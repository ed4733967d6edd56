"""Reference identity, computed once per image content and kept on disk.

Batch runs meet the same reference image for every prompt of an identity; detection and
embedding run once. Entries are ``.npz`` files (no pickle), keyed by the backend and the
SHA-256 of the decoded RGB pixels.
"""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

import numpy as np
from PIL import Image

from stdt2v.face.base import Face, FaceAnalyzer
from stdt2v.io import atomic_write_bytes, to_uint8_rgb

logger = logging.getLogger(__name__)


class ReferenceCache:
    def __init__(self, analyzer: FaceAnalyzer, folder: str | Path | None):
        self.analyzer = analyzer
        self.folder = None if folder is None else Path(folder).expanduser() / "faces" / analyzer.cache_key
        self._memory: dict[str, tuple[Face, np.ndarray]] = {}

    def __call__(self, image: Image.Image | np.ndarray, what: str = "id image") -> tuple[Face, np.ndarray]:
        """The largest face of ``image`` and its identity vector (NoFaceError when none)."""
        rgb = to_uint8_rgb(image)
        key = hashlib.sha256(str(rgb.shape).encode() + rgb.tobytes()).hexdigest()
        if key in self._memory:
            return self._memory[key]
        path = None if self.folder is None else self.folder / f"{key}.npz"
        entry = None
        if path is not None and path.is_file():
            try:
                entry = self._read(path)
            except Exception as err:  # truncated or foreign (BadZipFile, KeyError, ...): rebuilt below
                logger.warning("faces: cache entry %s is unreadable (%s); deleted, detecting again", path.name, type(err).__name__)
                path.unlink(missing_ok=True)
        if entry is None:
            face = self.analyzer.largest_face(rgb, what)
            entry = (face, self.analyzer.embed(face))
            if path is not None:
                self._write(path, *entry)
        self._memory[key] = entry
        return entry

    @staticmethod
    def _write(path: Path, face: Face, embedding: np.ndarray) -> None:
        buffer = io.BytesIO()
        np.savez(
            buffer,
            embedding=embedding,
            bbox=np.asarray(face.bbox, np.float64),
            score=face.score,
            landmarks=face.landmarks,
            gender=face.gender,
            age=np.nan if face.age is None else face.age,
        )
        atomic_write_bytes(path, buffer.getvalue())

    @staticmethod
    def _read(path: Path) -> tuple[Face, np.ndarray]:
        with np.load(path, allow_pickle=False) as data:
            age = float(data["age"])
            face = Face(
                bbox=tuple(float(v) for v in data["bbox"]),
                score=float(data["score"]),
                landmarks=data["landmarks"],
                gender=str(data["gender"]),
                age=None if np.isnan(age) else age,
            )
            return face, data["embedding"]
