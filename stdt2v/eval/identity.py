"""Identity over time: per-frame similarity of the video's faces to the reference face.

One detection pass per frame feeds every recognizer: the face backend's own (``face_sim``),
ArcFace (FaceSim-Arc) and CurricularFace (FaceSim-Cur) all read the same detected faces,
embedded in one batch each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from stdt2v.errors import ConfigError
from stdt2v.face import Face, FaceAnalyzer
from stdt2v.face.curve import IdentityCurve, curve_from_vectors

__all__ = ["CurricularFace", "IdentityCurve", "curve_from_vectors"]


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
