"""What ``stdt2v faces`` prints: faces per image and the identity similarity matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from stdt2v.face.base import FaceAnalyzer
from stdt2v.io import MIN_IMAGE_SIDE, load_image


def describe_faces(analyzer: FaceAnalyzer, paths: Sequence[str | Path]) -> dict:
    """``{"backend", "images": [{"path", "faces": [...]}], "similarity": N×N (None rows where no face)}``."""
    detections = [analyzer.detect_reference(load_image(path, what=str(path), min_side=MIN_IMAGE_SIDE)) for path in paths]
    images = [{"path": str(p), "faces": [f.to_dict() for f in faces]} for p, faces in zip(paths, detections)]
    embeddings = analyzer.embed_largest(detections)
    matrix = [None if a is None else [None if b is None else round(float(np.dot(a, b)), 4) for b in embeddings] for a in embeddings]
    return {"backend": analyzer.cache_key, "images": images, "similarity": matrix}
