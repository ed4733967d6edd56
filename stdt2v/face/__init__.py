"""Faces: detection, landmarks and identity embeddings behind one interface."""

from stdt2v.face.base import Face, FaceAnalyzer

__all__ = ["Face", "FaceAnalyzer", "build_face_analyzer"]


def build_face_analyzer(cfg) -> FaceAnalyzer:
    """``cfg``: the ``face`` section (``FaceConfig``)."""
    from stdt2v.config.schema import FaceBackend

    def dlib_analyzer() -> FaceAnalyzer:
        from stdt2v.face.dlib_backend import DlibFaceAnalyzer

        return DlibFaceAnalyzer(detector=cfg.detector.value, detect_size=cfg.detect_size, pad_ratio=cfg.pad_ratio)

    builders = {FaceBackend.dlib: dlib_analyzer}
    return builders[cfg.backend]()
