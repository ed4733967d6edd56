"""Faces: detection, 5-point alignment, identity embeddings and attributes behind one interface
(``base``); the builder is ``stdt2v.face.build``."""

from stdt2v.face.base import Face, FaceAnalyzer
from stdt2v.face.build import build_face_analyzer
from stdt2v.face.cache import ReferenceCache

__all__ = ["Face", "FaceAnalyzer", "ReferenceCache", "build_face_analyzer"]
