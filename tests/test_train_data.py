"""Training data: manifests and folders, buckets, cached face analysis, differentiable alignment."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
import torch

from stdt2v.io import load_image, save_png, write_video
from stdt2v.train.data import (
    BucketBatchSampler,
    FaceBoxes,
    ImageTriples,
    VideoClips,
    alignment_theta,
    make_buckets,
    nearest_bucket,
    read_samples,
)


def test_buckets_keep_area_and_aspect():
    buckets = make_buckets(64 * 96, [1.0, 1.5, 2 / 3], 32)
    assert buckets == [(64, 64), (64, 96), (96, 64)]
    assert nearest_bucket(720, 1280, buckets) == (64, 96) and nearest_bucket(1000, 600, buckets) == (96, 64)


def test_bucket_sampler_never_mixes_and_is_a_function_of_the_epoch():
    keys = [(64, 64)] * 5 + [(64, 96)] * 4 + [(96, 64)] * 1
    sampler = BucketBatchSampler(keys, batch_size=2, shuffle=True, seed=3)
    assert len(sampler) == 2 + 2  # 5 → 2 full batches, 4 → 2, 1 → none
    first = list(sampler)
    assert len(first) == 4 and all(len({keys[i] for i in batch}) == 1 for batch in first)
    assert list(sampler) == first
    sampler.set_epoch(1)
    assert list(sampler) != first
    sampler.set_epoch(0)
    assert list(sampler) == first


@pytest.fixture(scope="module")
def clip_folder(tmp_path_factory, sample_dir):
    """A training folder: a wide mp4, a tall frame folder, a clip too short, one without caption."""
    folder = tmp_path_factory.mktemp("clips")
    faces = [np.asarray(load_image(p).convert("RGB").resize((96, 96))) for p in sorted(sample_dir.glob("id*/image.png"))[:2]]
    wide = np.stack([np.pad(faces[0], ((0, 0), (48 - i, i), (0, 0)), mode="edge") for i in range(13)])  # 96 × 192
    write_video(wide, folder / "wide.mp4", fps=8)
    (folder / "wide.txt").write_text("A woman turns her head.")
    save_png(faces[1], folder / "wide.face.png")
    (folder / "tall").mkdir()
    for i in range(9):
        save_png(np.pad(faces[1], ((48 - 4 * i // 4, 4 * i // 4), (0, 0), (0, 0)), mode="edge"), folder / "tall" / f"{i:03d}.png")  # 192 × 96
    (folder / "tall.txt").write_text("A man nods.")
    write_video(wide[:3], folder / "short.mp4", fps=8)
    (folder / "short.txt").write_text("Too short.")
    write_video(wide[:9], folder / "nocaption.mp4", fps=8)
    return folder


def test_folder_of_videos_and_frame_folders(clip_folder, face_analyzer, tmp_path, caplog):
    from stdt2v.face import ReferenceCache

    with caplog.at_level(logging.WARNING):
        samples = read_samples(clip_folder, "video")
        assert [s.media.name for s in samples] == ["short.mp4", "tall", "wide.mp4"]
        assert "nocaption.mp4" in caplog.text and "nocaption.txt" in caplog.text
        assert samples[2].face.name == "wide.face.png" and samples[1].face is None
        boxes = FaceBoxes(face_analyzer, tmp_path, stride=4)
        data = VideoClips(samples, make_buckets(64 * 128, [0.5, 2.0], 32), [5, 9, 13], 1, ReferenceCache(face_analyzer, tmp_path), boxes)
    assert "short.mp4: 3 frames, fewer than the shortest frame bucket 5" in caplog.text
    assert data.bucket_keys == [(128, 64, 9), (64, 128, 13)]
    item = data[1]
    assert item["video"].shape == (3, 13, 64, 128) and item["face_mask"].shape == (1, 13, 64, 128)
    assert item["face_mask"].sum() > 0 and item["face_mask"].mean() < 0.5  # the face, not the frame
    # the reference of "wide" is the other person's photograph (wide.face.png), not its first frame
    first = ReferenceCache(face_analyzer, None)(load_image(clip_folder / "wide.face.png"))[1]
    assert np.allclose(item["identity"].numpy(), first, atol=1e-6)
    # boxes are cached on disk: a second index does not detect again
    face_analyzer_calls = []
    boxes.analyzer = type("Counting", (), {"cache_key": face_analyzer.cache_key, "detect_batch": lambda self, f: face_analyzer_calls.append(f)})()
    assert np.array_equal(boxes(samples[2].media, 13), data.boxes[1], equal_nan=True) and not face_analyzer_calls


def test_manifest_rows_need_media_and_caption(tmp_path, sample_dir, caplog):
    image = sorted(sample_dir.glob("id*/image.png"))[0]
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"image": str(image), "caption": "a person"}) + "\n" + json.dumps({"image": str(image)}) + "\n")
    with caplog.at_level(logging.WARNING):
        samples = read_samples(manifest, "image")
    assert len(samples) == 1 and "row 2 needs 'image' and 'caption'" in caplog.text


def test_differentiable_alignment_matches_the_face_module(face_analyzer):
    """The identity loss's grid_sample crop equals the face module's cv2 alignment."""
    from stdt2v.face.align import align_face

    image = np.asarray(load_image("builtin:grace_hopper"))
    face = face_analyzer.largest_face(image)
    reference = align_face(image, face.landmarks, 112).astype(np.float32)
    theta = alignment_theta(face.landmarks, *image.shape[:2])[None]
    pixels = torch.from_numpy(image.copy()).permute(2, 0, 1)[None].float()
    grid = torch.nn.functional.affine_grid(theta, (1, 3, 112, 112), align_corners=False)
    crop = torch.nn.functional.grid_sample(pixels, grid, align_corners=False)[0].permute(1, 2, 0).numpy()
    assert np.abs(crop - reference).mean() < 3.0  # bilinear vs cv2's bilinear, in 0..255


def test_onnx_recognizer_runs_with_torch_ops_and_has_gradients(tmp_path):
    import onnxruntime

    from stdt2v.train.torch_onnx import OnnxRecognizer
    from tests.tiny_onnx import build_iresnet_like_onnx

    path = build_iresnet_like_onnx(tmp_path / "rec.onnx")
    x = np.random.default_rng(0).uniform(-1, 1, (2, 3, 112, 112)).astype(np.float32)
    session = onnxruntime.InferenceSession(str(path))
    expected = session.run(None, {session.get_inputs()[0].name: x})[0]
    recognizer = OnnxRecognizer(path)
    pixels = torch.from_numpy(x).requires_grad_()
    out = recognizer(pixels)
    assert np.allclose(out.detach().numpy(), expected, atol=1e-4)
    out.square().sum().backward()
    assert pixels.grad.abs().sum() > 0 and {n.op_type for n in recognizer.nodes} >= {"BatchNormalization", "PRelu", "Add", "Gemm"}


def test_image_triples_bucket_by_aspect(tmp_path, sample_dir, face_analyzer):
    from stdt2v.face import ReferenceCache

    photo = np.asarray(load_image(sorted(sample_dir.glob("id*/image.png"))[0]).convert("RGB").resize((96, 96)))
    save_png(np.pad(photo, ((0, 0), (48, 48), (0, 0)), mode="edge"), tmp_path / "wide.png")
    (tmp_path / "wide.txt").write_text("a person")
    save_png(photo, tmp_path / "square.png")
    (tmp_path / "square.txt").write_text("a person")
    data = ImageTriples(read_samples(tmp_path, "image"), make_buckets(64 * 64, [1.0, 2.0], 16), ReferenceCache(face_analyzer, None))
    assert data.sizes == [(64, 64), (48, 96)]
    assert data[1]["pixels"].shape == (3, 48, 96) and data[1]["has_face"]
