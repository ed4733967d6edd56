"""The face module: the offline (dlib) backend on real faces, alignment, caching, CLI contract."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from stdt2v.errors import NoFaceError
from stdt2v.face import ReferenceCache
from stdt2v.face.align import ARCFACE_TEMPLATE, align_face, similarity_transform, template_for
from stdt2v.io import load_image


@pytest.fixture(scope="module")
def sample_images(sample_dir):
    return [load_image(p) for p in sorted(sample_dir.glob("id*/image.png"))]


def test_each_sample_identity_is_found(face_analyzer, sample_images):
    assert len(sample_images) == 3
    for image in sample_images:
        face = face_analyzer.largest_face(image)
        x0, y0, x1, y1 = face.bbox
        assert 0 <= x0 < x1 <= image.width and 0 <= y0 < y1 <= image.height
        assert face.landmarks.shape == (5, 2)
        left_eye, right_eye, nose = face.landmarks[:3]
        assert left_eye[0] < nose[0] < right_eye[0]  # ArcFace order, image left first
        assert face.gender == "unknown" and face.age is None  # dlib ships no attribute model


@pytest.mark.parametrize("variant", ["mirror", "crop"])
def test_same_person_beats_different_people(face_analyzer, sample_images, variant):
    def vary(image):
        if variant == "mirror":
            return image.transpose(Image.FLIP_LEFT_RIGHT)
        w, h = image.size
        return image.crop((int(0.05 * w), int(0.05 * h), int(0.95 * w), int(0.95 * h)))

    originals = [face_analyzer.embed(im) for im in sample_images]
    variants = [face_analyzer.embed(vary(im)) for im in sample_images]
    for v in originals + variants:
        assert abs(np.linalg.norm(v) - 1) < 1e-5
    same = [face_analyzer.similarity(a, b) for a, b in zip(originals, variants)]
    different = [face_analyzer.similarity(originals[i], originals[j]) for i in range(3) for j in range(i + 1, 3)]
    assert min(same) > max(different), (same, different)


def test_batched_embedding_equals_single(face_analyzer, sample_images):
    faces = [face_analyzer.largest_face(im) for im in sample_images]
    batch = face_analyzer.embed_batch(faces)
    for face, row in zip(faces, batch):
        assert np.allclose(face_analyzer.embed(face), row, atol=1e-6)


def test_alignment_puts_the_eyes_on_the_template(face_analyzer):
    image = load_image("builtin:grace_hopper")
    face = face_analyzer.largest_face(image)
    aligned = face_analyzer.align(image, face, size=224)
    assert aligned.shape == (224, 224, 3)
    again = face_analyzer.largest_face(aligned)
    error = np.linalg.norm(again.landmarks[:2] - template_for(224)[:2], axis=1)
    assert error.max() < 6, error  # pixels at 224, i.e. under 3 at ArcFace's 112


def test_similarity_transform_is_exact_on_a_similarity():
    angle, scale, shift = 0.3, 1.7, np.array([12.0, -5.0])
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    src = (ARCFACE_TEMPLATE - shift) @ np.linalg.inv(scale * rotation).T
    matrix = similarity_transform(src, ARCFACE_TEMPLATE)
    mapped = src @ matrix[:, :2].T + matrix[:, 2]
    assert np.allclose(mapped, ARCFACE_TEMPLATE, atol=1e-3)


def test_alignment_matches_insightface_norm_crop(face_analyzer):
    face_align = pytest.importorskip("insightface.utils.face_align", reason="insightface not installed")
    rgb = np.asarray(load_image("builtin:grace_hopper"))
    face = face_analyzer.largest_face(rgb)
    ours = align_face(rgb, face.landmarks, 112).astype(int)
    theirs = face_align.norm_crop(rgb, face.landmarks, 112).astype(int)
    assert np.abs(ours - theirs).mean() < 0.5  # same transform; interpolation rounding only


def test_blank_image_has_no_face(face_analyzer):
    with pytest.raises(NoFaceError, match="id image: no face found"):
        face_analyzer.largest_face(np.full((128, 128, 3), 127, np.uint8), what="id image")


def test_group_picture_largest_face_first(face_analyzer, sample_images):
    big = sample_images[0].resize((300, 300))
    small = sample_images[1].resize((200, 200))
    canvas = Image.new("RGB", (560, 340), "white")
    canvas.paste(small, (20, 70))
    canvas.paste(big, (240, 20))
    faces = face_analyzer.detect(canvas)
    assert len(faces) == 2
    assert faces[0].area > faces[1].area and faces[0].bbox[0] >= 230  # the big one, on the right
    ref = face_analyzer.embed(big)
    assert face_analyzer.similarity(ref, face_analyzer.embed(faces[0])) > face_analyzer.similarity(ref, face_analyzer.embed(faces[1]))


@pytest.mark.parametrize("size", [120, 4000])
def test_tiny_and_huge_images_are_rescaled(face_analyzer, size):
    image = load_image("builtin:grace_hopper")
    scaled = image.resize((size, round(size * image.height / image.width)))
    face = face_analyzer.largest_face(scaled)
    cx = (face.bbox[0] + face.bbox[2]) / 2 / size  # the face sits at the same relative place
    assert 0.4 < cx < 0.6 and face.bbox[2] <= size


def test_reference_cache_reads_back_from_disk(face_analyzer, tmp_path):
    image = load_image("builtin:grace_hopper")
    face, vector = ReferenceCache(face_analyzer, tmp_path)(image)
    files = list((tmp_path / "faces" / face_analyzer.cache_key).glob("*.npz"))
    assert len(files) == 1

    class NoDetection:  # a second cache must not detect again: it reads the file
        cache_key = face_analyzer.cache_key

        def largest_face(self, *a, **k):
            raise AssertionError("detected again")

    face2, vector2 = ReferenceCache(NoDetection(), tmp_path)(image)
    assert np.array_equal(vector, vector2) and face2.to_dict() == face.to_dict()


def test_faces_cli_contract(tmp_path, sample_dir):
    import subprocess
    import sys

    from tests.conftest import DEMO_CONFIG, ROOT

    blank = tmp_path / "blank.png"
    Image.new("RGB", (96, 96), "gray").save(blank)
    images = [str(sample_dir / "id001" / "image.png"), str(blank), "builtin:grace_hopper"]
    proc = subprocess.run(
        [sys.executable, "-m", "stdt2v", "faces", "--config", str(DEMO_CONFIG), *images, "face.cache_references=false"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["backend"].startswith("dlib")
    assert [im["path"] for im in report["images"]] == images
    assert len(report["images"][0]["faces"]) == 1 and report["images"][1]["faces"] == []
    face = report["images"][0]["faces"][0]
    assert set(face) == {"bbox", "score", "landmarks", "gender", "age"} and len(face["landmarks"]) == 5
    matrix = report["similarity"]
    assert matrix[1] is None and matrix[0][1] is None and matrix[0][0] == pytest.approx(1.0, abs=1e-3)
    assert matrix[0][2] == matrix[2][0] < 0.95
