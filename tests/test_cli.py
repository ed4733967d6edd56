"""The command line: `stdt2v generate` in a subprocess, and one-line errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from stdt2v.io import TMP_PREFIX, read_video
from tests.conftest import DEMO_CONFIG, DEMO_PROMPT, ROOT

SMALL = ["animate.num_frames=5", "animate.height=64", "animate.width=96"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stdt2v", *args], cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), timeout=600)


def generate_args(output, prompt=DEMO_PROMPT, image="builtin:grace_hopper", config=DEMO_CONFIG, extra=()):
    return ["generate", "--config", str(config), "--id-image", str(image), "--prompt", prompt, "--output", str(output), *SMALL, *extra]


def test_help():
    top = run_cli("--help")
    assert top.returncode == 0 and "generate" in top.stdout
    sub = run_cli("generate", "--help")
    assert sub.returncode == 0 and "--id-image" in sub.stdout and "key=value" in sub.stdout


def test_generate_writes_the_output_folder(tmp_path):
    out = tmp_path / "run"
    proc = run_cli(*generate_args(out, extra=["seed=5"]))
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {p.name for p in out.iterdir()}
    assert {"video.mp4", "keyframe.png", "keyframe_candidates.png", "frames.png", "prompts.json", "report.json", "config.yaml", "env.json"} <= names
    assert not [n for n in names if n.startswith(TMP_PREFIX)]
    assert read_video(out / "video.mp4").shape == (5, 64, 96, 3)
    prompts = json.loads((out / "prompts.json").read_text())
    assert prompts["original"] == DEMO_PROMPT and prompts["temporal"].startswith(prompts["subject"])
    report = json.loads((out / "report.json").read_text())
    assert report["seeds"] == {"keyframe": 5, "animate": 6}
    assert {"keyframe", "animate"} <= report["stages"].keys() and "identity" in report
    assert "seed: 5" in (out / "config.yaml").read_text()


def test_generate_with_vace_and_identity_guidance(tmp_path):
    """The issue's contracts: VACE writes animate.num_frames frames; guidance adds a third
    transformer pass per step (1.5× the plain run's calls) and reports it."""
    out = tmp_path / "vace"
    vace = ["animate.backend=wan_vace", "animate.model=tiny:wan2.1-vace", "animate.vace.reference=both"]
    proc = run_cli(*generate_args(out, extra=[*vace, "animate.guidance.skip_blocks=[0]", "animate.guidance.skip_scale=0.5"]))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert read_video(out / "video.mp4").shape == (5, 64, 96, 3)
    animate = json.loads((out / "report.json").read_text())["animate"]
    steps = 4  # configs/demo.yaml
    assert animate["backend"] == "wan_vace" and animate["transformer_calls"] == 3 * steps
    assert animate["guidance"]["guided_steps"] == steps and animate["guidance"]["skip_blocks"] == [0]


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert "Traceback" not in proc.stderr
    errors = [line for line in lines if line.startswith("stdt2v: error:")]
    assert len(errors) == 1, proc.stderr
    return errors[0]


@pytest.mark.parametrize(
    "case, expected",
    [
        ("missing_image", r"--id-image: file not found"),
        ("unreadable_image", r"--id-image: cannot read .* as an image"),
        ("empty_prompt", r"prompt: empty"),
        ("unknown_key", r"unknown key 'animate\.num_framez'.*did you mean 'animate\.num_frames'"),
        ("bad_frame_count", r"animate\.num_frames=10 is invalid.*4n\+1"),
    ],
)
def test_bad_input_gives_one_line(case, expected, tmp_path):
    import re

    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    args = {
        "missing_image": generate_args(tmp_path / "o", image=tmp_path / "missing.png"),
        "unreadable_image": generate_args(tmp_path / "o", image=bad),
        "empty_prompt": generate_args(tmp_path / "o", prompt="  "),
        "unknown_key": generate_args(tmp_path / "o", extra=["animate.num_framez=9"]),
        "bad_frame_count": generate_args(tmp_path / "o", extra=["animate.num_frames=10"]),
    }[case]
    line = one_line_error(run_cli(*args))
    assert re.search(expected, line), line


def test_decouple_one_prompt_prints_json():
    proc = run_cli("decouple", "--config", str(DEMO_CONFIG), "--prompt", DEMO_PROMPT, "prompts.cache=false")
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert {"original", "spatial", "temporal", "subject", "coverage", "notes", "violations"} <= result.keys()
    assert result["temporal"].startswith(result["subject"]) and result["coverage"] == 1.0


def test_decouple_folder_writes_the_layout(tmp_path, sample_dir):
    out = tmp_path / "dec"
    proc = run_cli("decouple", "--config", str(DEMO_CONFIG), "--input", str(sample_dir), "--output", str(out), "progress=false")
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [json.loads(line) for line in (out / "decoupled.jsonl").read_text().splitlines()]
    assert len(lines) == 15 and all(not r.get("error") and r["coverage"] == 1.0 for r in lines)
    for r in lines:
        assert (out / "spatial" / r["id"] / f"{r['prompt']}.txt").read_text().strip() == r["spatial"]
        assert (out / "temporal" / r["id"] / f"{r['prompt']}.txt").read_text().strip() == r["temporal"]


def test_decouple_folder_bad_prompt_fails_alone(tmp_path):
    folder = tmp_path / "in"
    (folder / "id001").mkdir(parents=True)
    (folder / "id001" / "prompt1.txt").write_text("A man waves.")
    (folder / "id001" / "prompt2.txt").write_text("   ")
    out = tmp_path / "out"
    proc = run_cli("decouple", "--config", str(DEMO_CONFIG), "--input", str(folder), "--output", str(out), "progress=false")
    assert proc.returncode == 1 and "1 of 2 prompts failed" in proc.stderr
    records = {r["prompt"]: r for r in map(json.loads, (out / "decoupled.jsonl").read_text().splitlines())}
    assert records["prompt1"]["temporal"] == "A man waves." and "prompt: empty" in records["prompt2"]["error"]


@pytest.mark.parametrize(
    "verb, args, message",
    [
        (
            "generate",
            ["--id-image", "builtin:grace_hopper", "--prompt", "A man waves.", "--output", "OUT", "animate.boundary_ratio=1.5"],
            r"animate\.boundary_ratio=1\.5: must be in \(0, 1\)",
        ),
        (
            "generate",
            ["--id-image", "builtin:grace_hopper", "--prompt", "A man waves.", "--output", "OUT", "animate.num_inference_steps=-1"],
            r"animate\.num_inference_steps: must be at least 1",
        ),
        (
            "generate",
            ["--id-image", "builtin:grace_hopper", "--prompt", "A man waves.", "--output", "OUT", "seed=18446744073709551616"],
            r"seed: .* out of range",
        ),
    ],
)
def test_semantic_config_errors_are_one_line_before_anything_loads(tmp_path, verb, args, message):
    import re

    proc = run_cli(verb, "--config", str(DEMO_CONFIG), *[str(tmp_path / "out") if a == "OUT" else a for a in args])
    assert proc.returncode == 2 and re.search(message, proc.stderr), proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_train_lr_scheduler_typo_is_one_line(tmp_path):
    proc = run_cli("train", "--config", str(ROOT / "configs" / "train" / "demo_id_adapter.yaml"), "--output", str(tmp_path / "run"), "lr_scheduler=cosin")
    assert proc.returncode == 2 and "lr_scheduler" in proc.stderr and "cosine" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_train_resume_from_a_missing_checkpoint_is_one_line_before_anything_loads(tmp_path):
    config = str(ROOT / "configs" / "train" / "demo_id_adapter.yaml")
    proc = run_cli("train", "--config", config, "--output", str(tmp_path / "run"), "--resume", str(tmp_path / "nope"))
    assert one_line_error(proc) == f"stdt2v: error: resume: no checkpoint at {tmp_path / 'nope'} (give a checkpoints/step-N folder, or latest)"
    assert not (tmp_path / "run").exists()


def test_a_key_of_the_other_training_task_is_refused(tmp_path):
    proc = run_cli("train", "--config", str(ROOT / "configs" / "train" / "demo_id_adapter.yaml"), "--output", str(tmp_path / "run"), "lora.rank=8")
    assert proc.returncode == 2 and "lora.rank: only task i2v_lora reads the lora section" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    "row, message",
    [
        ({"id": "../escape", "image": "x.png", "prompt": "A man waves."}, r"id: '\.\./escape' is not a plain name"),
        ({"id": "/tmp/abs", "image": "x.png", "prompt": "A man waves."}, r"id: '/tmp/abs' is not a plain name"),
        ({"id": "id001", "name": "../../x", "image": "x.png", "prompt": "A man waves."}, r"name: '\.\./\.\./x' is not a plain name"),
        ({"id": "id001", "image": "x.png", "prompt": "A man waves.", "seed": "abc"}, r"seed: 'abc' is not an integer"),
        ({"id": "id001", "image": "x.png", "prompt": "A man waves.", "seed": 2**64}, r"seed: .* is out of range"),
        ({"id": "id001", "image": "x.png", "prompt": "A man waves.", "overrides": "{bad"}, r"overrides is not JSON"),
        ({"id": "id001", "image": "x.png", "prompt": "A man waves.", "overrides": [1, 2]}, r"overrides must be an object"),
        (["not", "an", "object"], r"row 1: not an object"),
    ],
)
def test_bad_manifest_rows_are_one_line_and_write_nothing(tmp_path, row, message):
    import re

    manifest = tmp_path / "items.jsonl"
    manifest.write_text(json.dumps(row) + "\n")
    out = tmp_path / "out"
    proc = run_cli("batch", "--config", str(DEMO_CONFIG), "--input", str(manifest), "--output", str(out), "progress=false")
    assert proc.returncode == 2 and re.search(message, proc.stderr), proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "escape").exists() and not (tmp_path.parent / "x").exists()  # nothing outside --output
    assert not out.exists() or not any(out.rglob("*.mp4"))  # and nothing generated


def test_a_prompt_file_that_is_not_utf8_fails_alone(tmp_path):
    folder = tmp_path / "in"
    (folder / "id001").mkdir(parents=True)
    (folder / "id001" / "prompt1.txt").write_text("A man waves.")
    (folder / "id001" / "prompt2.txt").write_bytes("Un homme salue \xe9l\xe9gamment.".encode("latin-1"))
    out = tmp_path / "out"
    proc = run_cli("decouple", "--config", str(DEMO_CONFIG), "--input", str(folder), "--output", str(out), "progress=false")
    assert proc.returncode == 1 and "1 of 2 prompts failed" in proc.stderr
    records = {r["prompt"]: r for r in map(json.loads, (out / "decoupled.jsonl").read_text().splitlines())}
    assert records["prompt1"]["temporal"] == "A man waves." and "not UTF-8" in records["prompt2"]["error"]


def test_a_full_disk_is_one_line(monkeypatch, capsys):
    import errno

    from stdt2v.cli import command as cli

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device", "/data/run/video.mp4")

    monkeypatch.setattr(cli, "cmd_evaluate", full)
    assert cli.main(["evaluate", "--videos", "v", "--references", "r", "--output", "o"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("stdt2v: error: /data/run/video.mp4: No space left on device; free space or choose another --output")


def test_overrides_anywhere_version_and_each_verbs_own_example():
    from stdt2v.cli import build_parser, main

    with pytest.raises(SystemExit) as version:
        main(["--version"])
    assert version.value.code == 0
    # `seed=3` before an option and `prompts.framing=close-up` after it are both overrides.
    proc = run_cli("decouple", "--config", str(DEMO_CONFIG), "seed=3", "--prompt", "A man waves.", "prompts.framing=close-up")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["spatial"] == "A man, close-up"
    bad = run_cli("decouple", "--config", str(DEMO_CONFIG), "--prompt", "A man waves.", "--nope")
    assert bad.returncode == 2 and "unrecognized arguments: --nope" in bad.stderr
    helps = {name: sub.format_help() for name, sub in build_parser()._subparsers._group_actions[0].choices.items()}
    assert "max_steps=50" in helps["train"] and "eval.clip_model=tiny:clip" in helps["evaluate"] and "animate.num_frames" not in helps["train"]
