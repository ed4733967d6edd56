"""Identity over time: per-frame similarity of the video's faces to the reference face.

One detection pass per frame feeds every recognizer: the face backend's own (``face_sim``),
ArcFace (FaceSim-Arc) and CurricularFace (FaceSim-Cur) all read the same detected faces,
embedded in one batch each.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from stdt2v.errors import ConfigError
from stdt2v.face import Face, FaceAnalyzer


@dataclass
class IdentityCurve:
    """Similarity per sampled frame (None: no face in that frame)."""

    per_frame: list[float | None]

    @property
    def found(self) -> list[float]:
        return [s for s in self.per_frame if s is not None]

    @property
    def mean(self) -> float | None:
        return float(np.mean(self.found)) if self.found else None

    @property
    def min(self) -> float | None:
        return float(np.min(self.found)) if self.found else None

    @property
    def guard_min(self) -> float:
        """The minimum with a face-less frame counting as 0 (identity lost)."""
        return float(min((0.0 if s is None else s) for s in self.per_frame)) if self.per_frame else 0.0

    @property
    def drop(self) -> float | None:
        """First minus last similarity among frames with a face (positive: identity fades)."""
        return float(self.found[0] - self.found[-1]) if len(self.found) >= 2 else None

    @property
    def no_face_ratio(self) -> float:
        return 1.0 - len(self.found) / len(self.per_frame) if self.per_frame else 1.0


def largest_faces(analyzer: FaceAnalyzer, frames: Sequence[np.ndarray]) -> list[Face | None]:
    return [faces[0] if faces else None for faces in analyzer.detect_batch(frames)]


def curve_from_vectors(reference: np.ndarray, vectors: list[np.ndarray | None], clamp: bool = False) -> IdentityCurve:
    """Cosine similarity per frame; ``clamp`` floors at 0, as ConsisID's FaceSim does."""
    scores = []
    for v in vectors:
        if v is None:
            scores.append(None)
            continue
        s = float(np.dot(reference, v) / max(np.linalg.norm(reference) * np.linalg.norm(v), 1e-12))
        scores.append(max(0.0, s) if clamp else s)
    return IdentityCurve(scores)


def analyzer_vectors(analyzer: FaceAnalyzer, faces: list[Face | None]) -> list[np.ndarray | None]:
    found = [f for f in faces if f is not None]
    vectors = iter(analyzer.embed_batch(found) if found else [])
    return [next(vectors) if f is not None else None for f in faces]


class CurricularFace:
    """A CurricularFace recognizer exported to ONNX: aligned 112×112 RGB faces, scaled to
    [-1, 1] as ConsisID does (``x / 255 − 0.5) / 0.5``, in float32), → unit vectors."""

    name = "curricularface"

    def __init__(self, path: str | Path, device: str = "cpu"):
        import onnxruntime

        path = Path(path).expanduser()
        if path.suffix != ".onnx" or not path.is_file():
            raise ConfigError(f"eval.curricularface: '{path}' is not an .onnx file (export the IR-101 backbone to ONNX)")
        providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if device.startswith("cuda") else ["CPUExecutionProvider"]
        self.session = onnxruntime.InferenceSession(str(path), providers=providers)
        self.input_name = self.session.get_inputs()[0].name

    def embed(self, aligned: Sequence[np.ndarray]) -> np.ndarray:
        batch = (np.stack(aligned).astype(np.float32) / np.float32(255) - np.float32(0.5)) / np.float32(0.5)
        vectors = self.session.run(None, {self.input_name: batch.transpose(0, 3, 1, 2)})[0]
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def vectors(self, analyzer: FaceAnalyzer, frames: Sequence[np.ndarray], faces: list[Face | None]) -> list[np.ndarray | None]:
        found = [(frame, face) for frame, face in zip(frames, faces) if face is not None]
        embedded = iter(self.embed([analyzer.align(frame, face, size=112) for frame, face in found]) if found else [])
        return [next(embedded) if face is not None else None for face in faces]
