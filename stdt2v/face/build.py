"""``build_face_analyzer``: the ``face`` section → the chosen backend's analyzer."""

from __future__ import annotations

from typing import Any

from stdt2v.config.schema import FaceBackend, FaceConfig
from stdt2v.face.base import FaceAnalyzer


def build_face_analyzer(cfg: FaceConfig, device: str = "cpu", warp: str = "float32") -> FaceAnalyzer:
    """``cfg``: the ``face`` section (``FaceConfig``); ``device`` picks ONNX Runtime providers;
    ``warp``: the alignment warp ("norm_crop" = insightface's, bit for bit)."""
    common: dict[str, Any] = dict(detect_size=cfg.detect_size, max_upscale=cfg.max_upscale, pad_ratio=cfg.pad_ratio, warp=warp)

    # Each backend is imported only when chosen: dlib and insightface are separate optional stacks.
    def dlib_analyzer() -> FaceAnalyzer:
        from stdt2v.face.dlib_backend import DlibFaceAnalyzer

        return DlibFaceAnalyzer(detector=cfg.detector.value, **common)

    def insightface_analyzer() -> FaceAnalyzer:
        from stdt2v.face.insightface_backend import InsightFaceAnalyzer

        return InsightFaceAnalyzer(model_root=cfg.model_root, pack=cfg.model_pack.value, device=str(device), det_thresh=cfg.det_thresh, **common)

    builders = {FaceBackend.dlib: dlib_analyzer, FaceBackend.insightface: insightface_analyzer}
    return builders[cfg.backend]()
