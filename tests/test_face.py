"""The offline (dlib) face backend on real faces."""

from __future__ import annotations

import numpy as np
import pytest

from stdt2v.errors import NoFaceError
from stdt2v.io import load_image


def test_each_sample_identity_is_found_and_distinct(face_analyzer, sample_dir):
    images = [load_image(p) for p in sorted(sample_dir.glob("id*/image.png"))]
    assert len(images) == 3
    embeddings = []
    for image in images:
        face = face_analyzer.largest_face(image)
        x0, y0, x1, y1 = face.bbox
        assert 0 <= x0 < x1 <= image.width and 0 <= y0 < y1 <= image.height
        assert face.landmarks.shape == (5, 2)
        embeddings.append(face_analyzer.embed(image, face))
    for e in embeddings:
        assert abs(np.linalg.norm(e) - 1) < 1e-5
    mirrors = [face_analyzer.embed(im.transpose(0)) for im in images]
    same = [face_analyzer.similarity(e, m) for e, m in zip(embeddings, mirrors)]
    different = [face_analyzer.similarity(embeddings[i], embeddings[j]) for i in range(3) for j in range(i + 1, 3)]
    assert min(same) > max(different), (same, different)


def test_builtin_face_is_detected(face_analyzer):
    face = face_analyzer.largest_face(load_image("builtin:grace_hopper"))
    assert face.score > 0 and face.area > 100 * 100


def test_blank_image_has_no_face(face_analyzer):
    with pytest.raises(NoFaceError, match="id image: no face found"):
        face_analyzer.largest_face(np.full((128, 128, 3), 127, np.uint8), what="id image")
