"""Timelines (IPVG 2026 Track 2): parsing, frame/latent mapping, eval.json, flatten, submission zips."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from stdt2v.data.items import read_items
from stdt2v.errors import InputError
from stdt2v.timeline import (
    Segment,
    fit_to_clip,
    flatten_prompt,
    frame_spans,
    frame_weights,
    latent_frame_ranges,
    latent_segments,
    latent_weights,
    parse_timeline,
    segments_from_captions,
    timeline_report,
)

ROOT = Path(__file__).resolve().parent.parent
THREE = "0-2s: picks up a cup; 2–3.5 s: drinks from it; 3.5-5s: puts the cup down"
CAPTIONS = [
    {"start": 0, "end": 1.5, "description": "picks up a cup"},
    {"start": 1.5, "end": 3.0, "description": "drinks from the cup"},
    {"start": 3.0, "end": 5.0, "description": "puts the cup down and smiles"},
]


def test_parse_the_pages_syntax_en_dash_and_hyphen():
    segments = parse_timeline(THREE)
    assert [(s.start_s, s.end_s, s.text) for s in segments] == [(0.0, 2.0, "picks up a cup"), (2.0, 3.5, "drinks from it"), (3.5, 5.0, "puts the cup down")]
    assert parse_timeline("0.0s-1.4s: waves\n1.4s—3s: sits")[1] == Segment(1.4, 3.0, "sits")


@pytest.mark.parametrize(
    "text, says",
    [
        ("0-2s: waves; 1-5s: sits", "segments 1 and 2 overlap"),
        ("0-2s: waves; 3-5s: sits", "gap between segments 1 and 2"),
        ("0-2s: ; 2-5s: sits", "segment 1 (0-2s) has no text"),
        ("0-2x: waves", "has no time span"),
        ("waves then sits", "has no time span"),
        ("zero-2s: waves", "has no time span"),
        ("2-1s: waves", "ends (1s) before it starts (2s)"),
        ("1-2s: waves", "starts at 1s"),
        ("  ;  ", "empty"),
    ],
)
def test_every_bad_timeline_is_one_clear_line(text, says):
    with pytest.raises(InputError) as err:
        parse_timeline(text)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_end_beyond_the_clip_is_refused_or_scaled():
    segments = parse_timeline("0-2s: waves; 2-5s: sits")
    with pytest.raises(InputError, match=r"ends at 5s, beyond the clip \(17 frames at 8 fps = 2.125s\)"):
        fit_to_clip(segments, 17, 8, scale=False)
    scaled, note = fit_to_clip(segments, 17, 8, scale=True)
    assert [(s.start_s, s.end_s) for s in scaled] == [(0.0, 0.85), (0.85, 2.125)] and "scaled ×0.425" in note
    assert fit_to_clip(segments, 81, 16, scale=True) == (segments, None)  # 5 s in a 5.06 s clip: as written


def test_captions_as_fractions_are_said():
    fractions = [{"start": 0, "end": 0.4, "description": "waves"}, {"start": 0.4, "end": 1.0, "description": "sits"}]
    segments, note = segments_from_captions(fractions)
    assert segments[-1].end_s == 1.0 and "shares of the clip" in note
    assert segments_from_captions(CAPTIONS)[1] is None
    with pytest.raises(InputError, match=r"temporal_captions\[2\]: start/end 'a'/2 are not numbers"):
        segments_from_captions([{"start": 0, "end": 1, "description": "x"}, {"start": "a", "end": 2, "description": "y"}])


@pytest.mark.parametrize(
    "num_frames, fps, video_spans, latents",
    [
        # 81 frames at 16 fps: 21 latent frames; latent 8 covers frames 29-32 (3 in segment 1), latent 14 covers 53-56.
        (81, 16, [(0, 31), (32, 55), (56, 80)], [0] * 9 + [1] * 6 + [2] * 6),
        # 121 frames at 24 fps: 31 latent frames; latent 12 covers 45-48, latent 21 covers 81-84.
        (121, 24, [(0, 47), (48, 83), (84, 120)], [0] * 13 + [1] * 9 + [2] * 9),
    ],
)
def test_frame_segment_latent_mapping(num_frames, fps, video_spans, latents):
    segments = parse_timeline(THREE)
    spans = frame_spans(segments, num_frames, fps)
    assert [(s.first_frame, s.last_frame) for s in spans] == video_spans
    ranges = latent_frame_ranges(num_frames)
    assert ranges[:3] == [(0, 0), (1, 4), (5, 8)] and ranges[-1] == (num_frames - 4, num_frames - 1) and len(ranges) == len(latents)
    assert latent_segments(segments, num_frames, fps).tolist() == latents


def test_hand_over_is_a_linear_ramp_that_sums_to_one():
    segments = parse_timeline("0-1s: a; 1-2s: b")
    w = frame_weights(segments, 33, 16, transition_frames=4)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    # Segment 2 starts at frame 16 (1 s): a 4-frame ramp, half-way at the boundary frame.
    np.testing.assert_allclose(w[13:19, 1], [0.0, 0.0, 0.25, 0.5, 0.75, 1.0])
    lat = latent_weights(w)
    assert lat.shape == (9, 2) and lat[0].tolist() == [1.0, 0.0] and lat[-1].tolist() == [0.0, 1.0]
    np.testing.assert_allclose(lat[4], [0.8125, 0.1875])  # latent 4 = frames 13-16: segment 2 has 0, 0, .25, .5
    np.testing.assert_allclose(lat[5], [0.0625, 0.9375])  # frames 17-20: .75, 1, 1, 1


def test_report_segments_are_contiguous_and_cover_every_frame():
    segments = parse_timeline(THREE)
    report = timeline_report("relay", segments, 81, 16, ["A man picks up a cup.", "A man drinks.", "A man puts it down."], [])
    frames = [(s["first_frame"], s["last_frame"]) for s in report["segments"]]
    assert frames[0][0] == 0 and frames[-1][1] == 80 and all(b[0] == a[1] + 1 for a, b in zip(frames, frames[1:]))
    assert set(report["segments"][0]) == {"start_s", "end_s", "first_frame", "last_frame", "prompt"}


def test_flatten_writes_the_one_prompt_form():
    segments = parse_timeline("0-1.4s: waves; 1.4-3.1s: sits down")
    text = flatten_prompt("A woman stands in a park", segments, ["A woman waves.", "A woman sits down"])
    assert text == "A woman stands in a park. Temporal sequence: 0.0s-1.4s: A woman waves. 1.4s-3.1s: A woman sits down."


def write_track2(folder: Path, form: str) -> Path:
    import skimage.data
    from PIL import Image

    from stdt2v.io import load_image

    (folder / "woman" / "celebrity").mkdir(parents=True)
    (folder / "cup").mkdir()
    load_image("builtin:grace_hopper").save(folder / "woman" / "celebrity" / "grace.png")
    Image.fromarray(skimage.data.coffee()).save(folder / "cup" / "coffee.png")
    first = {"img_paths": ["cup/coffee.png", "woman/celebrity/grace.png"], "class_label": ["cup", "woman"], "global_prompt": "A woman sits at a desk."}
    second = {"img_paths": ["woman/celebrity/grace.png"], "class_label": ["woman"], "global_prompt": "A woman stands.", "temporal_captions": CAPTIONS[:2]}
    samples = [first | {"temporal_captions": CAPTIONS}, second]
    data = samples if form == "list" else {"2": samples[1], "1": samples[0]}
    (folder / "eval.json").write_text(json.dumps(data))
    return folder / "eval.json"


@pytest.mark.parametrize("form", ["list", "dict"])
def test_track2_eval_json_both_shapes(tmp_path, form):
    items = read_items(write_track2(tmp_path, form))
    assert [i.key for i in items] == ["sample001/video", "sample002/video"]
    first = items[0]
    assert first.video_path == "submission/1.mp4" and first.track == "sequential_action" and first.prompt == "A woman sits at a desk."
    assert first.image == tmp_path / "woman/celebrity/grace.png"  # the person, though listed second
    assert first.objects == [("cup", tmp_path / "cup/coffee.png")]
    assert [s.text for s in first.timeline.segments] == [c["description"] for c in CAPTIONS] and first.timeline.scale
    assert items[1].objects == [] and len(items[1].timeline.segments) == 2


def test_a_bad_sample_fails_alone(tmp_path):
    path = write_track2(tmp_path, "list")
    data = json.loads(path.read_text())
    data[1]["temporal_captions"] = [{"start": 0, "end": 2, "description": "a"}, {"start": 1, "end": 3, "description": "b"}]
    path.write_text(json.dumps(data))
    items = read_items(path)
    assert items[0].error is None and "overlap" in items[1].error


def test_track1_eval_json_resolves_images_by_base_name(tmp_path):
    (tmp_path / "images").mkdir()
    from stdt2v.io import load_image

    load_image("builtin:grace_hopper").save(tmp_path / "images" / "id001.webp")
    (tmp_path / "eval.json").write_text(json.dumps([{"img": "somewhere/images/id001.webp", "prompt": "A woman smiles."}]))
    (item,) = read_items(tmp_path / "eval.json")
    assert item.image == tmp_path / "images" / "id001.webp" and item.track == "facial" and item.timeline is None


def test_manifest_rows_carry_a_timeline_and_images(tmp_path):
    rows = [
        {
            "id": "id001",
            "image": "a.png",
            "prompt": "A man in a park.",
            "timeline": "0-1s: waves; 1-2s: sits",
            "images": [{"path": "ball/b.png", "label": "ball"}],
        },
        {"id": "id002", "image": "a.png", "prompt": "A man.", "timeline": CAPTIONS},
        {"id": "id003", "image": "a.png", "prompt": "A man.", "timeline": "0-2s: waves; 1-3s: sits"},
    ]
    (tmp_path / "m.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    one, two, three = read_items(tmp_path / "m.jsonl")
    assert [s.end_s for s in one.timeline.segments] == [1.0, 2.0] and one.objects == [("ball", tmp_path / "ball/b.png")] and not one.timeline.scale
    assert len(two.timeline.segments) == 3 and three.error.startswith(f"{tmp_path / 'm.jsonl'}: row 3: timeline: segments 1 and 2 overlap")


def test_submission_zip_layout(tmp_path):
    from stdt2v.batch.run import pack_submission
    from stdt2v.io import write_video

    items = read_items(write_track2(tmp_path / "data", "dict"))
    out = tmp_path / "out"
    for n in (1, 2):
        write_video(np.full((5, 32, 32, 3), 40 * n, np.uint8), out / "submission" / f"{n}.mp4", fps=8)
    archive = pack_submission(out, items)
    assert archive == out / "sequential_action_results.zip"
    with zipfile.ZipFile(archive) as z:
        assert z.namelist() == ["submission/1.mp4", "submission/2.mp4"]
        assert z.read("submission/2.mp4") == (out / "submission" / "2.mp4").read_bytes()


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "stdt2v", *args], capture_output=True, text=True, cwd=cwd, env=None)


def test_decouple_timeline_contract():
    result = run_cli("decouple", "--config", "configs/demo.yaml", "--prompt", "A man in a blue jacket stands in a park.", "--timeline", THREE)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["spatial"] == "A man, blue jacket, standing in a park, medium shot"  # the pose the prompt states (issue 28)
    assert [s["temporal"] for s in out["segments"]] == ["A man picks up a cup.", "A man drinks from it.", "A man puts the cup down."]
    bad = run_cli("decouple", "--config", "configs/demo.yaml", "--prompt", "A man.", "--timeline", "0-2s: waves; 1-5s: sits")
    assert bad.returncode == 2 and bad.stderr.strip().splitlines()[-1].startswith("stdt2v: error: --timeline: segments 1 and 2 overlap")
    assert len([line for line in bad.stderr.splitlines() if line.startswith("stdt2v")]) == 1


def test_generate_refuses_a_timeline_longer_than_the_clip_before_loading(tmp_path):
    result = run_cli(
        "generate",
        "--config",
        "configs/demo.yaml",
        "--id-image",
        "builtin:grace_hopper",
        "--prompt",
        "A woman.",
        "--output",
        str(tmp_path / "o"),
        "--timeline",
        THREE,
    )
    assert result.returncode == 2 and "beyond the clip (17 frames at 8 fps = 2.125s)" in result.stderr
    cog = run_cli(
        "generate", "--config", "configs/cogvideox_5b_i2v.yaml", "--id-image", "builtin:grace_hopper", "--prompt", "A woman.", "--output", str(tmp_path / "c"),
        "--timeline", "0-1s: waves", "animate.num_frames=49",
    )  # fmt: skip
    assert cog.returncode == 2 and "animate.timeline.mode=relay: the cogvideox backend has no per-segment cross-attention" in cog.stderr


@pytest.mark.slow
def test_batch_track2_eval_json_end_to_end(tmp_path, tiny_cache):
    path = write_track2(tmp_path / "data", "dict")
    out = tmp_path / "out"
    small = ["animate.num_frames=9", "animate.height=64", "animate.width=96", "keyframe.num_candidates=1", "animate.timeline.transition_frames=2"]
    result = run_cli("batch", "--config", "configs/demo.yaml", "--input", str(path), "--output", str(out), "--zip", *small)
    assert result.returncode == 0, result.stderr[-2000:]
    with zipfile.ZipFile(out / "sequential_action_results.zip") as z:
        assert z.namelist() == ["submission/1.mp4", "submission/2.mp4"]
    report = json.loads((out / "items" / "sample001" / "video" / "report.json").read_text())
    timeline = report["timeline"]
    assert timeline["mode"] == "relay" and [s["prompt"] for s in timeline["segments"]][0].startswith("A woman")
    frames = [(s["first_frame"], s["last_frame"]) for s in timeline["segments"]]
    assert frames[0][0] == 0 and frames[-1][1] == report["video"]["frames"] - 1 and all(b[0] == a[1] + 1 for a, b in zip(frames, frames[1:]))
    assert timeline["objects"] == [{"label": "cup", "used_as_image": False}]
    prompts = json.loads((out / "items" / "sample001" / "video" / "prompts.json").read_text())
    assert "cup" in prompts["spatial"] and len(prompts["segments"]) == 3


def openai_timeline(replies, segments):
    from omegaconf import OmegaConf

    from stdt2v.config.schema import PromptsConfig
    from stdt2v.prompts import build_decoupler
    from stdt2v.prompts.timeline import decouple_timeline
    from tests.openai_stub import StubServer

    server = StubServer(replies)
    try:
        cfg = OmegaConf.merge(
            OmegaConf.structured(PromptsConfig),
            {"backend": "openai", "cache": False, "llm": {"model": "served"}, "openai": {"base_url": server.url, "retries": 1, "timeout": 5}},
        )
        result = decouple_timeline(build_decoupler(cfg), "A man stands in a park.", segments, subject="A man")
    finally:
        server.close()
    return result, server.requests


def test_llm_backends_get_the_timeline_instruction():
    segments = parse_timeline("0-2s: picks up a ball; 2-5s: throws it")
    valid = {"spatial": "A man, in a park, medium shot", "temporal": "A man stands in a park."}
    answer = {"segments": ["A man in a park picks up a red ball.", "A man throws the ball."]}
    result, requests = openai_timeline([json.dumps(valid), json.dumps(answer)], segments)
    assert result.temporals == answer["segments"] and result.prompts.spatial == valid["spatial"]
    system, user = requests[1][1]["messages"]
    assert system["content"].startswith("You rewrite a timeline of actions") and json.loads(user["content"])["segments"][1]["description"] == "throws it"
    # An answer that does not start with the subject: each segment goes through the decoupler instead.
    bad = {"segments": ["He picks up a ball.", "He throws it."]}
    again = {"spatial": "A man, medium shot", "temporal": "A man picks up a ball."}
    result, _ = openai_timeline([json.dumps(valid), json.dumps(bad), json.dumps(again), json.dumps(again | {"temporal": "A man throws it."})], segments)
    assert result.temporals == ["A man picks up a ball.", "A man throws it."]
    assert any("did not give 2 prompts starting with 'A man'" in n for n in result.notes)


@pytest.mark.parametrize("preset, steps", [("ipvg2026_track2.yaml", 40), ("ipvg2026_track2_4step.yaml", 4)])
def test_track2_presets(preset, steps):
    from stdt2v.config import load_config
    from stdt2v.config.validate import check_animate

    cfg = load_config(ROOT / "configs" / preset, needs_models=False)
    a = cfg.animate
    assert (a.model, a.num_frames, a.fps, a.num_inference_steps, a.timeline.mode.value) == ("Wan-AI/Wan2.2-I2V-A14B-Diffusers", 81, 16, steps, "relay")
    assert cfg.keyframe.model == "SG161222/RealVisXL_V4.0"  # the runner-up recipe's keyframe
    check_animate(a)


def test_a_json_that_is_no_eval_json_is_one_line(tmp_path):
    (tmp_path / "rows.json").write_text(json.dumps([{"id": "id001", "image": "a.png", "prompt": "A man."}]))
    with pytest.raises(InputError, match="not a 2026 eval.json .* a manifest is .jsonl or .csv"):
        read_items(tmp_path / "rows.json")


@pytest.mark.slow
def test_a_sample_of_objects_alone_runs_without_identity_conditioning(tmp_path, tiny_cache):
    import skimage.data
    from PIL import Image

    data = tmp_path / "data"
    (data / "cup").mkdir(parents=True)
    Image.fromarray(skimage.data.coffee()).save(data / "cup" / "coffee.png")
    sample = {"img_paths": ["cup/coffee.png"], "class_label": ["cup"], "global_prompt": "A cup of coffee on a table.", "temporal_captions": CAPTIONS[:2]}
    (data / "eval.json").write_text(json.dumps([sample]))
    out = tmp_path / "out"
    small = ["animate.num_frames=9", "animate.height=64", "animate.width=96", "keyframe.num_candidates=1"]
    result = run_cli("batch", "--config", "configs/demo.yaml", "--input", str(data / "eval.json"), "--output", str(out), "--zip", *small)
    assert result.returncode == 0, result.stderr[-2000:]
    with zipfile.ZipFile(out / "sequential_action_results.zip") as z:
        assert z.namelist() == ["submission/1.mp4"]
    report = json.loads((out / "items" / "sample001" / "video" / "report.json").read_text())
    assert "reference_face" not in report and "identity" not in report
    assert any("without identity conditioning" in note for note in report["timeline"]["notes"])
    assert report["keyframe"]["candidates"][0]["reason"] == "no reference face"
    assert "cup" in json.loads((out / "items" / "sample001" / "video" / "prompts.json").read_text())["spatial"]
