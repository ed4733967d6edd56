"""The insightface backend on random-weight ONNX packs with the real graph signatures."""

from __future__ import annotations

import numpy as np
import pytest
from omegaconf import OmegaConf

pytest.importorskip("insightface", reason="insightface not installed (pip install 'stdt2v[insightface]')")

from stdt2v.config.schema import FaceConfig  # noqa: E402
from stdt2v.errors import ConfigError  # noqa: E402
from stdt2v.face import build_face_analyzer  # noqa: E402
from stdt2v.io import load_image  # noqa: E402
from tests.tiny_onnx import PACK_FILES, build_tiny_insightface_pack  # noqa: E402


@pytest.fixture(scope="module")
def model_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("insightface")
    build_tiny_insightface_pack(root / "models" / "antelopev2")
    return root


@pytest.fixture(scope="module")
def analyzer(model_root):
    cfg = OmegaConf.merge(OmegaConf.structured(FaceConfig), {"backend": "insightface", "model_root": str(model_root), "detect_size": 320})
    return build_face_analyzer(cfg, device="cpu")


def test_loads_detects_and_maps_attributes(analyzer):
    image = load_image("builtin:grace_hopper")
    faces = analyzer.detect(image)
    assert faces, "the tiny SCRFD graph always proposes one centred box"
    face = faces[0]
    x0, y0, x1, y1 = face.bbox
    assert 0 <= x0 < x1 <= image.width and 0 <= y0 < y1 <= image.height
    assert face.landmarks.shape == (5, 2) and 0 < face.score <= 1
    assert face.gender in {"female", "male"} and 0 <= face.age <= 100
    assert face.crop.shape == (112, 112, 3)  # the ArcFace-aligned crop the recognizer reads


def test_embeddings_unit_norm_batched_and_deterministic(analyzer, sample_dir):
    images = [load_image(p) for p in sorted(sample_dir.glob("id*/image.png"))]
    faces = [analyzer.largest_face(im) for im in images]
    batch = analyzer.embed_batch(faces)
    assert batch.shape == (3, 512) and np.allclose(np.linalg.norm(batch, axis=1), 1, atol=1e-5)
    for face, row in zip(faces, batch):
        assert np.allclose(analyzer.embed(face), row, atol=1e-5)
    assert np.allclose(analyzer.embed(images[0]), batch[0], atol=1e-5)


def test_cache_key_names_pack_and_weights(analyzer):
    assert analyzer.cache_key.startswith("insightface-antelopev2-")


def test_missing_pack_says_which_files_go_where(tmp_path):
    cfg = OmegaConf.merge(OmegaConf.structured(FaceConfig), {"backend": "insightface", "model_root": str(tmp_path)})
    with pytest.raises(ConfigError) as err:
        build_face_analyzer(cfg)
    message = str(err.value)
    for name in PACK_FILES.values():
        assert name in message
    assert str(tmp_path / "models" / "antelopev2") in message and "\n" not in message


def test_evaluator_reports_arcface_from_the_pack(model_root):
    from stdt2v.config import load_config
    from stdt2v.eval import build_evaluator

    cfg = load_config(None, ["eval.arcface=true", f"face.model_root={model_root}", "face.detect_size=320"], needs_models=False)
    evaluator = build_evaluator(cfg.eval, cfg.face, cache_dir=cfg.cache_dir)
    assert evaluator.backends["face_sim"].startswith("dlib") and "antelopev2" in evaluator.backends["face_sim_arc"]
    image = load_image("builtin:grace_hopper").convert("RGB").resize((256, 298))
    row = evaluator.evaluate(np.stack([np.asarray(image)] * 3), image).row
    assert row["face_sim_arc"] == pytest.approx(1.0, abs=1e-4)  # the same image: ArcFace cosine 1
