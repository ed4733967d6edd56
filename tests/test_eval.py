"""Evaluation metrics on real faces (the sample identities, package-shipped photographs)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from stdt2v.eval import Evaluator
from stdt2v.eval.identity import CurricularFace
from stdt2v.eval.motion import farneback, motion_metrics
from stdt2v.io import load_image, write_video
from stdt2v.loading import resolve_model_source


def face_video(image: Image.Image, n: int = 8, shift: int = 2, size=(256, 256)) -> np.ndarray:
    """A video panning slowly over ``image``: crops moving ``shift`` px per frame."""
    base = np.asarray(image.convert("RGB").resize((size[0] + shift * n, size[1] + shift * n)))
    return np.stack([base[i * shift : i * shift + size[1], i * shift : i * shift + size[0]] for i in range(n)])


@pytest.fixture(scope="module")
def evaluator(face_analyzer):
    return Evaluator(face_analyzer, num_frames=6)


@pytest.fixture(scope="module")
def faces(sample_dir):
    return {i: load_image(sample_dir / i / "image.png") for i in ("id001", "id002", "id003")}


def test_the_reference_person_scores_above_another(evaluator, faces):
    same = evaluator.evaluate(face_video(faces["id001"]), faces["id001"]).row
    other = evaluator.evaluate(face_video(faces["id002"]), faces["id001"]).row
    assert same["no_face_ratio"] == 0 and other["no_face_ratio"] == 0
    assert same["face_sim"] > other["face_sim"] + 0.03
    assert same["face_sim_min"] <= same["face_sim"] and len(same["identity_curve"]) == 6


def test_a_frame_without_a_face_is_counted(evaluator, faces):
    video = face_video(faces["id003"], n=6)
    video[2] = 127
    scores = evaluator.evaluate(video, faces["id003"])
    assert scores.curve.per_frame[2] is None and scores.row["no_face_ratio"] == pytest.approx(1 / 6)
    assert scores.curve.guard_min == 0.0 and scores.row["face_sim_min"] > 0.5


def test_face_sim_matches_the_face_backend_directly(evaluator, face_analyzer, faces):
    video = face_video(faces["id002"], n=4)
    scores = evaluator.evaluate(video, faces["id002"]).row
    reference = face_analyzer.embed(faces["id002"])
    direct = [float(np.dot(reference, face_analyzer.embed(frame))) for frame in video]
    assert scores["face_sim"] == pytest.approx(np.mean(direct), abs=1e-5)


def test_curricularface_matches_onnxruntime(face_analyzer, faces, tmp_path):
    import onnxruntime

    from tests.tiny_onnx import build_recognizer_onnx

    path = build_recognizer_onnx(tmp_path / "curricularface.onnx")
    cur = CurricularFace(path)
    evaluator = Evaluator(face_analyzer, num_frames=4, curricularface=cur)
    video = face_video(faces["id001"], n=4)
    row = evaluator.evaluate(video, faces["id001"]).row
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    def direct(image):
        face = face_analyzer.largest_face(image)
        crop = face_analyzer.align(np.asarray(image), face, size=112).astype(np.float32)
        v = session.run(None, {"input.1": ((crop - 127.5) / 127.5).transpose(2, 0, 1)[None]})[0][0]
        return v / np.linalg.norm(v)

    reference = direct(faces["id001"].convert("RGB"))
    expected = np.mean([max(0.0, float(np.dot(reference, direct(Image.fromarray(f))))) for f in video])
    assert row["face_sim_cur"] == pytest.approx(expected, abs=1e-5)
    assert evaluator.backends["face_sim_cur"] == "curricularface"


@pytest.fixture(scope="module")
def clip_scorer(tiny_cache):
    from stdt2v.eval.clip_score import CLIPScorer

    return CLIPScorer(resolve_model_source("tiny:clip", tiny_cache, marker="config.json"))


def test_clip_score_is_consisid_logits_per_image(clip_scorer):
    from transformers import CLIPModel, CLIPProcessor

    frames = [np.asarray(load_image("builtin:grace_hopper").resize((64, 64)))] * 2 + [np.full((64, 64, 3), 40, np.uint8)]
    prompt = "A woman in a navy uniform smiles."
    ours = clip_scorer(frames, prompt)
    source = clip_scorer.model.name_or_path
    model, processor = CLIPModel.from_pretrained(source), CLIPProcessor.from_pretrained(source)
    with torch.no_grad():
        direct = model(**processor(text=prompt, images=frames, return_tensors="pt", padding=True, truncation=True)).logits_per_image.mean()
    assert ours == pytest.approx(float(direct), abs=1e-5)


def test_fid_against_itself_is_zero_and_matches_the_formula(clip_scorer):
    from scipy import linalg

    from stdt2v.eval.fid import build_feature, fid, framewise_feature_distance

    feature = build_feature("clip", clip_scorer=clip_scorer)
    rng = np.random.default_rng(0)
    real = [rng.integers(0, 255, (48, 48, 3), dtype=np.uint8) for _ in range(12)]
    fake = [np.clip(r.astype(int) + rng.integers(-60, 60, r.shape), 0, 255).astype(np.uint8) for r in real]
    assert fid(real, real, feature) == pytest.approx(0.0, abs=1e-5)
    a = feature(torch.from_numpy(np.stack(real)).permute(0, 3, 1, 2)).numpy()
    b = feature(torch.from_numpy(np.stack(fake)).permute(0, 3, 1, 2)).numpy()
    sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    expected = np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(sa + sb - 2 * linalg.sqrtm(sa @ sb).real)
    assert fid(real, fake, feature) == pytest.approx(expected, abs=1e-5)
    # The compatibility variant: zero covariance, so a mean squared feature distance.
    assert framewise_feature_distance(real[0], fake[:3], feature) == pytest.approx(np.mean(np.sum((b[:3] - a[0]) ** 2, axis=1)), abs=1e-5)


def test_motion_still_and_panning():
    image = load_image("builtin:grace_hopper")
    still = np.stack([np.asarray(image.convert("RGB").resize((256, 256)))] * 6)
    quiet = motion_metrics(still)
    assert quiet["dynamic_degree"] == 0 and quiet["flicker"] < 1e-3 and quiet["motion_smoothness"] == 1.0
    pan = face_video(image, n=6, shift=4)
    moving = motion_metrics(pan)
    assert moving["dynamic_degree"] == 1.0 and moving["motion_magnitude"] == pytest.approx(4 * np.sqrt(2), rel=0.3)
    assert moving["flicker"] < 0.05 and moving["motion_smoothness"] > 0.5
    gray = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in pan]
    direct = cv2.calcOpticalFlowFarneback(gray[0], gray[1], None, 0.5, 3, 15, 3, 5, 1.2, 0)
    np.testing.assert_allclose(farneback(gray[0], gray[1]), direct, atol=1e-5)


@pytest.mark.slow
def test_evaluate_cli_on_the_challenge_layout(faces, sample_dir, tmp_path, tiny_cache):
    videos = tmp_path / "videos"
    for identity in ("id001", "id002"):
        (videos / identity).mkdir(parents=True)
        write_video(face_video(faces[identity], n=9), videos / identity / "prompt1.mp4", fps=8)
    (videos / "id009").mkdir()
    write_video(face_video(faces["id003"], n=9), videos / "id009" / "prompt1.mp4", fps=8)  # no reference: fails alone
    out = tmp_path / "eval"
    cmd = [
        sys.executable,
        "-m",
        "stdt2v",
        "evaluate",
        "--videos",
        str(videos),
        "--references",
        str(sample_dir),
        "--prompts",
        str(sample_dir),
        "--output",
        str(out),
        "eval.num_frames=4",
        "eval.clip_model=tiny:clip",
        "eval.fid=true",
        "progress=false",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**__import__("os").environ, "STDT2V_CACHE": str(tiny_cache)})
    assert done.returncode == 1 and "1 of 3 videos failed" in done.stderr
    rows = list(csv.DictReader((out / "scores.csv").open()))
    assert [r["id"] for r in rows] == ["id001", "id002"]
    assert {"id", "prompt", "face_sim", "face_sim_min", "no_face_ratio", "dynamic_degree", "flicker", "clip_score"} <= rows[0].keys()
    assert float(rows[0]["face_sim"]) > 0.9
    summary = json.loads((out / "summary.json").read_text())
    assert summary["videos"] == 2 and summary["failed"][0]["id"] == "id009" and summary["fid"] is not None
    assert summary["backends"]["face_sim"].startswith("dlib")
    page = (out / "report.html").read_text()  # self-contained: relative links, no CDN
    assert page.count("<video") == 2 and "id009" in page and "identity_curves.png" in page and "http" not in page
    assert (out / "identity_curves.png").stat().st_size > 0 and (out / "histograms.png").stat().st_size > 0
