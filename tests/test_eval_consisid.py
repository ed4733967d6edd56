"""`eval.protocol=consisid`: each of ConsisID's conventions on its own against a value worked
out by hand, and the whole evaluation against an independent transcription of its code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from stdt2v.eval.frames import SAMPLERS, VideoFrames
from stdt2v.eval.protocol import PROTOCOLS, resolve_protocol
from stdt2v.face.align import align_face, template_for
from stdt2v.face.base import FaceAnalyzer
from stdt2v.io import load_image, write_video

insightface = pytest.importorskip("insightface", reason="insightface not installed (pip install 'stdt2v[insightface]')")

CONSISID = PROTOCOLS["consisid"]
LAYOUT = Path(__file__).parent / "data" / "torchvision_inception_v3_layout.json"
PROMPT = "A woman in a navy uniform smiles at the camera."


# ---------------------------------------------------------------- frame indices, by hand

HAND_INDICES = {  # n_total: (FaceSim/FID: linspace(0, N-1, 16, dtype=int), CLIPScore: int(i*N/16))
    16: (list(range(16)), list(range(16))),
    49: ([0, 3, 6, 9, 12, 16, 19, 22, 25, 28, 32, 35, 38, 41, 44, 48], [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45]),
    81: ([0, 5, 10, 16, 21, 26, 32, 37, 42, 48, 53, 58, 64, 69, 74, 80], [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75]),
    121: ([0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120], [0, 7, 15, 22, 30, 37, 45, 52, 60, 68, 75, 83, 90, 98, 105, 113]),
}


@pytest.mark.parametrize("n_total", sorted(HAND_INDICES))
def test_frame_indices_per_metric(n_total):
    identity, clip = HAND_INDICES[n_total]
    assert SAMPLERS[CONSISID.identity_sampler](n_total, 16) == identity
    assert SAMPLERS[CONSISID.clip_sampler](n_total, 16) == clip


def test_short_video_keeps_duplicate_indices_as_consisid_and_not_native():
    assert SAMPLERS["linspace"](5, 16)[:5] == [0, 0, 0, 0, 1] and len(SAMPLERS["linspace"](5, 16)) == 16
    assert SAMPLERS[PROTOCOLS["native"].identity_sampler](5, 16) == [0, 1, 2, 3, 4]


def test_seek_reader_reads_the_frames_opencv_counts(tmp_path):
    frames = np.stack([np.full((32, 48, 3), 8 * i, np.uint8) for i in range(21)])  # frame i is grey 8·i
    path = write_video(frames, tmp_path / "grey.mp4", fps=8)
    video = VideoFrames(path, reader="seek")
    assert video.count == 21
    indices, picked = video.sample("stride", 4)
    assert indices == [0, 5, 10, 15]
    assert [round(float(f.mean()) / 8) for f in picked] == indices  # the right frame, not a neighbour


# ---------------------------------------------------------------- detection: as is, then a grey pad


class _FindsFaceOnlyInPaddedImages(FaceAnalyzer):
    """Stub backend: a face only where the image has a grey-128 border; records what it saw."""

    name = cache_key = "stub"

    def __init__(self):
        super().__init__()
        self.seen = []

    def _detect_raw(self, rgb):
        self.seen.append(rgb.shape[:2])
        if rgb[0, 0, 0] != 128:
            return []
        kps = np.array([[30.0, 40.0], [50.0, 40.0], [40.0, 50.0], [32.0, 60.0], [48.0, 60.0]], np.float32)
        return [((20.0, 30.0, 60.0, 70.0), 0.9, kps, "unknown", None)]

    def _recognition_crop(self, rgb, face):
        return rgb[int(face.landmarks[2, 1]), int(face.landmarks[2, 0])].copy()  # the pixel under the nose

    def _embed_crops(self, crops):
        return np.asarray(crops, np.float32)


def test_grey_pad_geometry_and_landmark_shift():
    stub = _FindsFaceOnlyInPaddedImages()
    image = np.full((101, 75, 3), 7, np.uint8)
    faces = stub.detect_as_is(image)
    # top = bottom = int(0.25·101) = 25, left = right = int(0.25·75) = 18
    assert stub.seen == [(101, 75), (101 + 2 * 25, 75 + 2 * 18)]
    (face,) = faces
    np.testing.assert_array_equal(face.landmarks[0], [30.0 - 18, 40.0 - 25])
    assert face.bbox == (20.0 - 18, 30.0 - 25, 60.0 - 18, 70.0 - 25)
    # The recognition crop was read from the padded image, at the unshifted landmarks.
    np.testing.assert_array_equal(face.crop, [7, 7, 7])


def test_largest_face_ties_go_to_the_later_detection():
    class TwoEqualFaces(_FindsFaceOnlyInPaddedImages):
        def _detect_raw(self, rgb):
            kps = np.zeros((5, 2), np.float32)
            return [((0.0, 0.0, 10.0, 10.0), 0.9, kps, "a", None), ((20.0, 20.0, 30.0, 30.0), 0.8, kps + 1, "b", None)]

    assert TwoEqualFaces().detect_as_is(np.zeros((40, 40, 3), np.uint8))[0].gender == "b"  # sorted(...)[-1]


# ---------------------------------------------------------------- crops


def test_norm_crop_warp_equals_insightface_and_float32_does_not_always():
    from insightface.utils import face_align

    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (300, 260, 3), dtype=np.uint8)
    image = cv2.GaussianBlur(image, (0, 0), 1.5)  # smooth, so a sub-pixel shift changes values a little
    exact_32 = 0
    for _ in range(10):
        kps = (face_align.arcface_dst * rng.uniform(1.2, 2.2) + rng.uniform(20, 60, 2) + rng.normal(0, 2, (5, 2))).astype(np.float32)
        expected = face_align.norm_crop(image, landmark=kps, image_size=224)
        np.testing.assert_array_equal(align_face(image, kps, 224, warp="norm_crop"), expected)
        exact_32 += np.array_equal(align_face(image, kps, 224, warp="float32"), expected)
    assert exact_32 < 10


def test_cur_crop_is_norm_crop_224_then_bilinear_112():
    from stdt2v.eval.suite import Evaluator

    # Landmarks exactly on the 224 template: the warp is the identity, so the 224 crop is the
    # image itself. Values constant on 2×2 blocks: halving with bilinear gives the block value.
    blocks = (np.arange(112)[:, None] * 7 + np.arange(112)[None, :] * 3) % 256
    image = np.repeat(np.repeat(blocks, 2, axis=0), 2, axis=1).astype(np.uint8)[..., None].repeat(3, axis=2)
    face = type("F", (), {"landmarks": template_for(224)})()
    evaluator = Evaluator.__new__(Evaluator)
    evaluator.protocol = CONSISID
    crop = evaluator._cur_input(image, face)
    assert crop.shape == (112, 112, 3)
    np.testing.assert_array_equal(crop[..., 0], blocks.astype(np.uint8))


# ---------------------------------------------------------------- CLIP in BGR, Inception layout


def test_clip_reads_bgr_frames_unconverted(tiny_cache):
    from stdt2v.eval.clip_score import CLIPScorer
    from stdt2v.loading import resolve_model_source

    scorer = CLIPScorer(resolve_model_source("tiny:clip", tiny_cache, marker="config.json"))
    red, blue = np.zeros((64, 64, 3), np.uint8), np.zeros((64, 64, 3), np.uint8)
    red[..., 0], blue[..., 2] = 255, 255
    # A red RGB frame handed over as OpenCV's BGR array is what CLIP sees as blue.
    assert scorer([red], PROMPT, channels="bgr") == pytest.approx(scorer([blue], PROMPT, channels="rgb"), abs=1e-6)
    assert scorer([red], PROMPT, channels="bgr") != pytest.approx(scorer([red], PROMPT, channels="rgb"), abs=1e-4)


def test_inception_matches_torchvision_key_for_key_and_shape_for_shape():
    from stdt2v.eval.inception import InceptionV3

    published = json.loads(LAYOUT.read_text())["keys"]
    with torch.device("meta"):
        ours = {k: list(v.shape) for k, v in InceptionV3().state_dict().items()}
    assert list(ours) == list(published) and ours == published
    assert len(published) == 580


def test_inception_equals_torchvisions_model_where_installed():
    torchvision = pytest.importorskip("torchvision", reason="torchvision not installed (optional: pip install 'stdt2v[torchvision]')")
    from stdt2v.eval.inception import InceptionV3

    reference = torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=True, transform_input=True).eval()
    reference.fc = torch.nn.Identity()
    ours = InceptionV3().eval()
    ours.load_state_dict(reference.state_dict(), strict=False)
    x = torch.rand(1, 3, 299, 299, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.testing.assert_close(ours(x), reference(x), rtol=0, atol=0)


def test_convert_inception_script_round_trip(tmp_path):
    from stdt2v.eval.inception import InceptionV3, load_inception

    torch.manual_seed(0)
    model = InceptionV3().eval()
    torch.save(model.state_dict(), tmp_path / "inception.pth")
    script = Path(__file__).parent.parent / "scripts" / "convert_inception.py"
    refused = subprocess.run([sys.executable, str(script), str(tmp_path / "inception.pth"), str(tmp_path / "x.safetensors")], capture_output=True, text=True)
    assert refused.returncode == 2 and "--allow-pickle" in refused.stderr
    done = subprocess.run(
        [sys.executable, str(script), "--allow-pickle", str(tmp_path / "inception.pth"), str(tmp_path / "inception.safetensors")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    loaded = load_inception(tmp_path / "inception.safetensors")
    x = torch.rand(1, 3, 299, 299)
    with torch.no_grad():
        torch.testing.assert_close(loaded(x), model(x), rtol=0, atol=0)


# ---------------------------------------------------------------- the protocol as config


def test_explicit_values_win_and_are_reported():
    from stdt2v.config import load_config
    from stdt2v.eval import protocol_of

    cfg = load_config(None, ["eval.protocol=consisid", "eval.conventions.detect_size=640", "eval.conventions.clip_channels=rgb"], needs_models=False)
    protocol, report = protocol_of(cfg.eval)
    assert protocol.detect_size == 640 and protocol.clip_channels == "rgb" and protocol.warp == "norm_crop"
    assert report["name"] == "consisid" and report["explicit"] == ["clip_channels", "detect_size"]
    assert resolve_protocol("native")[0] == PROTOCOLS["native"]


# ---------------------------------------------------------------- whole videos


@pytest.fixture(scope="module")
def consisid_models(tmp_path_factory, tiny_cache):
    from stdt2v.loading import resolve_model_source
    from tests.tiny_onnx import build_recognizer_onnx, build_tiny_insightface_pack

    root = tmp_path_factory.mktemp("consisid-models")
    build_tiny_insightface_pack(root / "models" / "buffalo_l", seed=3)  # ConsisID's default pack
    build_tiny_insightface_pack(root / "models" / "antelopev2")
    cur = build_recognizer_onnx(root / "curricularface.onnx", seed=5)
    clip = resolve_model_source("tiny:clip", tiny_cache, marker="config.json")
    return root, cur, clip


def _pan(image: Image.Image, n: int, size=(144, 176)) -> np.ndarray:
    base = np.asarray(image.convert("RGB").resize((size[0] + n, size[1] + n // 2)))
    return np.stack([base[i // 2 : i // 2 + size[1], i : i + size[0]] for i in range(n)])


def test_no_face_in_any_frame_scores_zero_under_consisid_and_none_natively():
    from stdt2v.eval.suite import Evaluator

    class FaceOnBrightImagesOnly(_FindsFaceOnlyInPaddedImages):
        def _detect_raw(self, rgb):
            return super()._detect_raw(np.full_like(rgb, 128)) if rgb.max() > 150 else []  # not grey 128 padding

    reference = Image.fromarray(np.full((96, 96, 3), 200, np.uint8))
    dark = np.zeros((9, 96, 96, 3), np.uint8)
    for name, expected in (("consisid", 0.0), ("native", None)):
        protocol = PROTOCOLS[name]
        analyzer = FaceOnBrightImagesOnly()
        evaluator = Evaluator(analyzer, protocol=protocol, num_frames=4, arcface=analyzer)
        row = evaluator.evaluate(dark, reference).row
        assert row["face_sim_arc"] == expected and row["face_sim"] is None


@pytest.mark.slow
def test_consisid_protocol_equals_the_reference_code_per_video(consisid_models, tmp_path, tiny_cache):
    """The contract command against the independent transcription: all four metrics within
    1e-3 per video, the same frames, on videos of 49, 81 and 121 frames."""
    from tests.consisid_reference import ConsisIDReference

    root, cur, clip = consisid_models
    faces = {"id001": load_image("builtin:grace_hopper"), "id002": Image.fromarray(__import__("skimage").data.astronaut())}
    videos, refs = tmp_path / "videos", tmp_path / "refs"
    lengths = {("id001", "prompt1"): 49, ("id001", "prompt2"): 81, ("id002", "prompt1"): 121}
    for (identity, name), n in lengths.items():
        (videos / identity).mkdir(parents=True, exist_ok=True)
        (refs / identity).mkdir(parents=True, exist_ok=True)
        write_video(_pan(faces[identity], n), videos / identity / f"{name}.mp4", fps=16)
        faces[identity].resize((200, 240)).save(refs / identity / "image.png")
        (refs / identity / f"{name}.txt").write_text(PROMPT + "\n")
    out = tmp_path / "eval"
    cmd = [
        sys.executable,
        "-m",
        "stdt2v",
        "evaluate",
        "--videos",
        str(videos),
        "--references",
        str(refs),
        "--prompts",
        str(refs),
        "--output",
        str(out),
        "eval.protocol=consisid",
        "face.backend=insightface",
        f"face.model_root={root}",
        "face.model_pack=antelopev2",
        "face.detect_size=320",
        "eval.arcface=true",
        f"eval.curricularface={cur}",
        f"eval.clip_model={clip}",
        "eval.fid=true",
        "eval.fid_feature=clip",
        "progress=false",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "STDT2V_CACHE": str(tiny_cache)})
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {(r["id"], r["prompt"]): r for r in json.loads((out / "scores.json").read_text())}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["protocol"]["name"] == "consisid" and "buffalo_l" in summary["backends"]["face_sim_arc"]

    reference = ConsisIDReference(root, cur, clip)
    for key in lengths:
        ours = rows[key]
        expected = reference.scores(videos / key[0] / f"{key[1]}.mp4", refs / key[0] / "image.png", PROMPT)
        assert ours["frame_indices"] == expected["frame_indices"] and ours["clip_frame_indices"] == expected["clip_frame_indices"]
        for metric in ("face_sim_arc", "face_sim_cur", "clip_score", "fid_framewise"):
            assert ours[metric] == pytest.approx(expected[metric], abs=1e-3), (key, metric)
        assert 0.0 < ours["face_sim_arc"] <= 1.0 and ours["fid_framewise"] > 0.0
