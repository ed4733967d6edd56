"""The whole path on the tiny real architectures, through the Python API."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from stdt2v import families
from stdt2v.animate import snap_size
from stdt2v.config.validate import check_num_frames
from stdt2v.errors import ConfigError, NoFaceError
from stdt2v.io import TMP_PREFIX, load_image, read_video
from tests.conftest import DEMO_PROMPT


@pytest.fixture(scope="module")
def result(demo_pipe):
    return demo_pipe(prompt=DEMO_PROMPT, id_image="builtin:grace_hopper", seed=0)


def test_end_to_end_shapes_and_report(demo_pipe, result):
    assert result.frames.dtype == np.uint8 and result.frames.shape == (5, 64, 96, 3)
    assert result.keyframe.size == (96, 64)  # the keyframe is made at the animator's size
    assert result.prompts.temporal.startswith(result.prompts.subject)
    assert isinstance(result.report.identity.curve.per_frame, list)  # typed while the run goes on
    report = result.report.to_dict()  # and serialised once, at save time
    assert set(report["stages"]) == {"face", "decouple", "keyframe", "animate", "identity"}
    assert all(s["seconds"] >= 0 and s["peak_memory_mb"] > 0 for s in report["stages"].values())
    assert set(report["load"]) == {"face", "keyframe", "animate", "decouple"}
    assert report["seeds"] == {"keyframe": 0, "animate": 1}
    assert report["adapters"] == [{"stage": "keyframe", "name": "stdt2v", "scale": demo_pipe.keyframe_stage.generator.identity_scale}]
    keyframe_identity = report["identity"]["keyframe"]
    # Random weights draw no face (deterministically, at this seed): the report says so instead of a number.
    assert keyframe_identity == {"similarity": None, "reason": "no face detected in the keyframe"}
    video = report["identity"]["video"]
    assert len(video["per_frame"]) == len(video["frame_indices"]) == 5
    # Best-of-N: every candidate with its seed and score (or why there is none).
    candidates = report["keyframe"]["candidates"]
    assert [c["seed"] for c in candidates] == [0, 1] and len(result.candidates) == 2
    assert all(c["identity"] is None and c["reason"] == "no face detected" for c in candidates)


def test_deterministic_by_seed(demo_pipe, result):
    again = demo_pipe(prompt=DEMO_PROMPT, id_image="builtin:grace_hopper", seed=0)
    assert np.array_equal(again.frames, result.frames)
    assert np.array_equal(np.asarray(again.keyframe), np.asarray(result.keyframe))
    other = demo_pipe(prompt=DEMO_PROMPT, id_image="builtin:grace_hopper", seed=1)
    assert not np.array_equal(other.frames, result.frames)


def test_identity_report_scores_a_real_face(demo_pipe):
    """Frames that contain the reference face get a similarity near 1 (the report's maths)."""
    face = load_image("builtin:grace_hopper").resize((256, 298))
    reference = demo_pipe.face_analyzer.embed(face)
    frames = np.stack([np.asarray(face)] * 3 + [np.full_like(np.asarray(face), 127)])
    report = demo_pipe.identity_report(reference, face, frames).to_dict()
    assert report["keyframe"]["similarity"] > 0.99
    assert report["video"]["per_frame"][-1] is None and report["video"]["no_face_ratio"] == 0.25
    assert report["video"]["mean"] > 0.99


def test_save_output_writes_every_file(result, demo_cfg, tmp_path):
    from stdt2v.pipeline import save_output, save_run_info

    save_run_info(tmp_path, demo_cfg, result.report.seeds)
    save_output(result, tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {
        "video.mp4",
        "keyframe.png",
        "keyframe_candidates.png",
        "frames.png",
        "prompts.json",
        "report.json",
        "config.yaml",
        "env.json",
    }
    assert read_video(tmp_path / "video.mp4").shape == result.frames.shape
    prompts = json.loads((tmp_path / "prompts.json").read_text())
    assert {"original", "spatial", "temporal", "subject"} <= prompts.keys()
    env = json.loads((tmp_path / "env.json").read_text())
    assert env["seeds"] == {"keyframe": 0, "animate": 1} and env["packages"]["diffusers"]
    assert not [n for n in names if n.startswith(TMP_PREFIX)]


def test_no_face_in_reference_is_a_clear_error(demo_pipe):
    from PIL import Image

    with pytest.raises(NoFaceError, match="id image: no face found"):
        demo_pipe(prompt=DEMO_PROMPT, id_image=Image.new("RGB", (128, 128), "gray"))


def test_frame_count_rule():
    usual, maximum = families.usual_lengths("wan"), families.max_frames("wan")
    check_num_frames(121, 4, usual=usual, maximum=maximum)
    with pytest.raises(ConfigError, match=r"animate\.num_frames=10 is invalid.*4n\+1 \(e\.g\. 9 or 13"):
        check_num_frames(10, 4, usual=usual, maximum=maximum)
    with pytest.raises(ConfigError, match=r"num_frames=85 is over this model family's 81 frames"):  # CogVideoX's limit, per call too
        check_num_frames(85, 4, usual=families.usual_lengths("cogvideox"), maximum=families.max_frames("cogvideox"), key="num_frames")


def test_bad_frame_count_fails_before_loading():
    from stdt2v.config import load_config
    from tests.conftest import DEMO_CONFIG

    with pytest.raises(ConfigError, match="num_frames=8"):  # validated when loaded: no model is even looked up
        load_config(DEMO_CONFIG, ["animate.num_frames=8", "animate.model=tiny:does-not-exist"])


@pytest.mark.parametrize(
    "size, multiple, aspect, expected",
    [
        ((704, 1280), 32, None, (704, 1280)),  # TI2V-5B's native size is already on the grid
        ((720, 1280), 32, None, (704, 1280)),  # 720 is not a multiple of 32: 704, as Wan2.2 uses
        ((704, 1280), 32, 1.0, (960, 960)),  # a square keyframe keeps its aspect, same area
        ((100, 100), 32, None, (96, 96)),
    ],
)
def test_snap_size(size, multiple, aspect, expected):
    assert snap_size(*size, multiple, aspect) == expected


def test_the_video_is_written_last(result, tmp_path, monkeypatch):
    """A disk that fills up while saving leaves no video: the folder never looks finished."""
    import errno

    from stdt2v import outputs

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "write_video", full)
    with pytest.raises(OSError):
        outputs.save_output(result, tmp_path)
    assert (tmp_path / "report.json").is_file() and not (tmp_path / "video.mp4").exists()


def test_identity_guard_retries_until_identity_holds(demo_pipe, monkeypatch):
    from stdt2v.config.schema import IdentityGuardConfig

    curves = iter([[0.6, None, 0.7], [0.4, 0.45, 0.5], [0.8, 0.7, 0.75]])  # no face counts as 0
    monkeypatch.setattr(demo_pipe.face_analyzer, "frame_similarities", lambda reference, frames: next(curves))
    monkeypatch.setattr(demo_pipe, "identity_guard", IdentityGuardConfig(enabled=True, min_identity=0.6, max_retries=3))
    seeds = []
    original = demo_pipe.animator.animate
    monkeypatch.setattr(demo_pipe.animator, "animate", lambda image, prompt, seed: seeds.append(seed) or original(image, prompt, seed=seed))
    keyframe = Image.new("RGB", (96, 64), "gray")
    frames, guard = demo_pipe.animate_guarded(keyframe, "A man waves.", np.ones(128, np.float32), seed=1)
    report = guard.to_dict()
    assert seeds == [1, 1001, 2001]  # stopped at the first attempt that held
    assert [a["min"] for a in report["attempts"]] == [0.0, 0.4, 0.7]
    assert report["chosen"] == 2 and report["passed"] is True and frames.shape[0] == 5


def test_identity_report_reuses_the_guards_curve(demo_pipe, monkeypatch):
    """With the guard on, the kept attempt's frames are measured once: the report shows the guard's curve."""
    from stdt2v.config.schema import IdentityGuardConfig

    calls = []
    monkeypatch.setattr(demo_pipe.face_analyzer, "frame_similarities", lambda reference, frames: calls.append(len(frames)) or [0.9] * len(frames))
    monkeypatch.setattr(demo_pipe, "identity_guard", IdentityGuardConfig(enabled=True, min_identity=0.5, max_retries=2))
    report = demo_pipe(DEMO_PROMPT, "builtin:grace_hopper", seed=0).report
    assert len(calls) == 1  # the guard's one attempt; the identity report measured nothing again
    assert report.identity.curve is report.identity_guard.attempts[0].curve
    assert report.to_dict()["identity"]["video"]["per_frame"] == [0.9] * 5 and report.to_dict()["identity_guard"]["passed"] is True


def test_identity_guard_keeps_the_best_when_none_holds(demo_pipe, monkeypatch):
    from stdt2v.config.schema import IdentityGuardConfig

    curves = iter([[0.3], [0.5], [0.4]])
    monkeypatch.setattr(demo_pipe.face_analyzer, "frame_similarities", lambda reference, frames: next(curves))
    monkeypatch.setattr(demo_pipe, "identity_guard", IdentityGuardConfig(enabled=True, min_identity=0.9, max_retries=2))
    _, guard = demo_pipe.animate_guarded(Image.new("RGB", (96, 64), "gray"), "A man waves.", np.ones(128, np.float32), seed=1)
    report = guard.to_dict()
    assert len(report["attempts"]) == 3 and report["chosen"] == 1 and report["passed"] is False


def test_per_call_settings_are_keyword_arguments_and_need_no_reload(demo_pipe):
    import inspect

    parameters = inspect.signature(type(demo_pipe).__call__).parameters
    for name in ("num_inference_steps", "guidance_scale", "num_candidates", "keyframe_num_inference_steps", "keyframe_guidance_scale"):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY and parameters[name].default is None
    face = "builtin:grace_hopper"
    plain = demo_pipe(DEMO_PROMPT, face, seed=1, until="keyframe")
    again = demo_pipe(DEMO_PROMPT, face, seed=1, until="keyframe")
    one = demo_pipe(DEMO_PROMPT, face, seed=1, until="keyframe", num_candidates=1, keyframe_num_inference_steps=2, keyframe_guidance_scale=1.0)
    assert len(plain.report.keyframe["candidates"]) == 2 and len(one.report.keyframe["candidates"]) == 1
    assert np.array_equal(np.asarray(plain.keyframe), np.asarray(again.keyframe))
    assert not np.array_equal(np.asarray(plain.keyframe), np.asarray(one.keyframe))
    assert demo_pipe.keyframe_stage.num_candidates == 2 and demo_pipe.keyframe_stage.generator.num_inference_steps != 2  # nothing was changed in place


def test_pinned_output_values(result):
    """A few numbers of the tiny pipeline's keyframe and video at seed 0 (demo config, 5 frames at
    64×96), as diffusers pins an ``expected_slice``: a diffusers, transformers or torch upgrade that
    changes the outputs shows here, not in a user's results. ±3 grey levels for CPU rounding."""
    keyframe = np.asarray(result.keyframe).astype(int)
    np.testing.assert_allclose(keyframe[30, 40:46, 0], [120, 109, 105, 116, 108, 101], atol=3)
    np.testing.assert_allclose(keyframe[10, 10:13].ravel(), [54, 107, 140, 43, 147, 133, 13, 130, 144], atol=3)
    frames = result.frames.astype(int)
    np.testing.assert_allclose(frames[0, 30, 40:46, 1], [120, 135, 120, 135, 120, 134], atol=3)
    np.testing.assert_allclose(frames[4, 20, 60:66, 2], [64, 160, 64, 165, 63, 157], atol=3)
    assert abs(keyframe.mean() - 123.546) < 1.0 and abs(frames.mean() - 120.426) < 1.0


def test_area_mode_keeps_the_keyframe_and_reports_the_size(demo_pipe):
    """size_mode=area: the keyframe is rendered at keyframe.height/width and kept as it is; the
    video follows its aspect within the area (here 96 × 96 → 64 × 128 from a 128 × 64 keyframe)
    and report.json says how."""
    animator = demo_pipe.animator
    saved = (animator.size_mode, animator.height, animator.width, demo_pipe.keyframe_render_size)
    animator.size_mode, animator.height, animator.width, demo_pipe.keyframe_render_size = "area", 96, 96, (64, 128)
    try:
        result = demo_pipe(prompt=DEMO_PROMPT, id_image="builtin:grace_hopper", seed=0, num_candidates=1)
    finally:
        animator.size_mode, animator.height, animator.width, demo_pipe.keyframe_render_size = saved
    report = result.report.to_dict()
    assert result.keyframe.size == (128, 64) and "fitted" not in report["keyframe"]
    assert result.frames.shape == (5, 64, 128, 3)
    size = report["video"]["size"]
    assert (size["mode"], size["area"], size["keyframe"], size["fit"]) == ("area", 9216, {"width": 128, "height": 64}, "scaled to cover, centre crop")
    assert size["rule"].startswith("Wan2.2 best_output_size: multiples of 32 within 9216 pixels")
