"""Batch inference over the sample data with the tiny demo models: sharding, resume, bad items."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from benchmarks.launch import cpu_launch_command
from stdt2v.io import TMP_PREFIX
from tests.conftest import CHALLENGE_PROMPTS, DEMO_CONFIG

pytestmark = pytest.mark.slow  # subprocess runs of whole batches / trainings

FAST = ["animate.num_frames=5", "animate.height=64", "animate.width=96", "keyframe.num_candidates=1", "face.identity_frames=2", "progress=false"]


def batch_cmd(input_, output, *extra):
    return [sys.executable, "-m", "stdt2v", "batch", "--config", str(DEMO_CONFIG), "--input", str(input_), "--output", str(output), *FAST, *extra]


def env(tiny_cache, **more):
    # One thread per process: accelerate gives each launched CPU process one, so a
    # single-process run matches a sharded one bit for bit.
    return {**os.environ, "STDT2V_CACHE": str(tiny_cache), "OMP_NUM_THREADS": "1", **more}


def outputs(folder: Path) -> dict[str, bytes]:
    """Every media file and prompt, by relative path (reports hold timings: left out)."""
    files = [p for p in folder.rglob("*") if p.suffix in (".mp4", ".png") or p.name == "prompts.json"]
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def journal_lines(folder: Path) -> list[dict]:
    return [json.loads(line) for path in sorted((folder / ".journal").glob("*.jsonl")) for line in path.read_text().splitlines() if line.strip()]


def no_temporaries(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.startswith(TMP_PREFIX)]


@pytest.fixture(scope="module")
def single_run(challenge_dir, tiny_cache, tmp_path_factory):
    output = tmp_path_factory.mktemp("batch") / "one"
    done = subprocess.run(batch_cmd(challenge_dir, output), capture_output=True, text=True, env=env(tiny_cache))
    assert done.returncode == 0, done.stderr[-2000:]
    return output


def test_sample_folder_batch(single_run, challenge_dir):
    summary = json.loads((single_run / "summary.json").read_text())
    assert (summary["done"], summary["failed"], summary["skipped"], summary["items"]) == (9, 0, 0, 9)
    for identity in ("id001", "id002", "id003"):
        assert sorted(p.name for p in (single_run / identity).glob("*.mp4")) == [f"prompt{k}.mp4" for k in range(1, 4)]
    item = single_run / "items" / "id002" / "prompt3"
    assert {"prompts.json", "keyframe.png", "keyframe_candidates.png", "frames.png", "report.json"} <= {p.name for p in item.iterdir()}
    report = json.loads((item / "report.json").read_text())
    assert report["item"] == "id002/prompt3" and report["seed"] != 0
    assert set(summary["seconds_per_item_per_stage"]) >= {"keyframe", "animate"} and summary["items_per_second"] > 0
    assert (single_run / "config.yaml").is_file() and no_temporaries(single_run)


def test_the_html_report_shows_every_item_in_a_browser(single_run, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto((single_run / "report.html").as_uri())
    rows = page.locator("#items tbody tr")
    assert rows.count() == 9
    images = page.locator("#items img")  # lazy: each loads when scrolled to
    assert images.count() == 18  # a reference face and a keyframe per item
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        images.nth(i).evaluate("i => new Promise(done => i.complete ? done() : i.addEventListener('load', done))")
        assert images.nth(i).evaluate("i => i.naturalWidth") > 0
    videos = page.locator("#items video")
    assert videos.count() == 9
    for i in range(videos.count()):
        videos.nth(i).scroll_into_view_if_needed()
        videos.nth(i).evaluate("v => new Promise(done => v.readyState >= 1 ? done() : v.addEventListener('loadedmetadata', done))")
        assert videos.nth(i).evaluate("v => v.duration") > 0
    text = page.locator("#items").inner_text()
    assert all(prompt in text for prompt in CHALLENGE_PROMPTS)  # each item's own prompt text, then its spatial and temporal prompts
    page.locator("#items th", has_text="identity (video mean)").click()  # sorting works
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / "report.png"))
    page.close()
    rebuilt = subprocess.run([sys.executable, "-m", "stdt2v", "report", str(single_run)], capture_output=True, text=True)
    assert rebuilt.returncode == 0 and rebuilt.stdout.strip().endswith("report.html"), rebuilt.stderr[-2000:]


def test_stage_major_writes_the_same_files_and_journals_each_stage(single_run, challenge_dir, tiny_cache, tmp_path):
    import shutil

    subset = tmp_path / "input" / "id003"  # two items, one chunk each: enough to cross a chunk boundary
    subset.mkdir(parents=True)
    for name in ("image.png", "prompt1.txt", "prompt2.txt"):
        shutil.copy(challenge_dir / "id003" / name, subset / name)
    output = tmp_path / "stage"
    done = subprocess.run(batch_cmd(subset.parent, output, "batch.schedule=stage", "batch.chunk_size=1"), capture_output=True, text=True, env=env(tiny_cache))
    assert done.returncode == 0, done.stderr[-2000:]
    item_major = outputs(single_run)

    def same_as_item_major() -> bool:  # byte for byte: videos, keyframes, candidates, prompts
        files = outputs(output)
        return len(files) >= 10 and all(item_major[name] == data for name, data in files.items())

    assert same_as_item_major()
    lines = journal_lines(output)
    assert sorted((e["stage"], e["status"]) for e in lines if e["key"] == "id003/prompt2") == [("decouple", "stage"), ("full", "done"), ("keyframe", "stage")]
    summary = json.loads((output / "summary.json").read_text())
    assert summary["schedule"] == "stage" and summary["done"] == 2
    assert {"decouple", "keyframe", "animate"} <= summary["seconds_per_item_per_stage"].keys() and "keyframe" in summary["peak_memory_mb_per_stage"]
    # A run stopped after an item's keyframe resumes it at the video stage only.
    (output / "id003" / "prompt2.mp4").unlink()
    with open(next((output / ".journal").glob("*.jsonl")), "a") as journal:
        journal.write(json.dumps({"key": "id003/prompt2", "status": "stage", "stage": "keyframe", "time": time.time()}) + "\n")
    again = subprocess.run(batch_cmd(subset.parent, output, "batch.schedule=stage"), capture_output=True, text=True, env=env(tiny_cache))
    assert again.returncode == 0, again.stderr[-2000:]
    assert [(e["key"], e["stage"], e["status"]) for e in journal_lines(output)[len(lines) + 1 :]] == [("id003/prompt2", "full", "done")]
    assert same_as_item_major()


def test_two_processes_make_the_same_files(single_run, challenge_dir, tiny_cache, tmp_path):
    launch = cpu_launch_command(2)
    cmd = launch + ["-m", "stdt2v"] + batch_cmd(challenge_dir, tmp_path / "two")[3:]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env(tiny_cache, ACCELERATE_USE_CPU="true"))
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads((tmp_path / "two" / "summary.json").read_text())
    assert summary["processes"] == 2 and summary["done"] == 9  # really two ranks, not two copies
    assert sorted(p.name for p in (tmp_path / "two" / ".journal").iterdir()) == ["rank0.jsonl", "rank1.jsonl"]
    assert len(journal_lines(tmp_path / "two")) == 9  # each item run by exactly one process
    one, two = outputs(single_run), outputs(tmp_path / "two")
    assert one.keys() == two.keys() and all(one[k] == two[k] for k in one)


def write_manifest(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_killed_run_restarts_exactly_once(challenge_dir, tiny_cache, tmp_path):
    rows = [
        {"id": i, "image": str(challenge_dir / i / "image.png"), "prompt": (challenge_dir / i / f"prompt{k}.txt").read_text()}
        for i in ("id001", "id002")
        for k in (1, 2, 3)
    ]
    manifest = write_manifest(tmp_path / "items.jsonl", rows)
    output = tmp_path / "out"
    process = subprocess.Popen(batch_cmd(manifest, output), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(tiny_cache))
    deadline = time.time() + 240
    while time.time() < deadline and len([e for e in (journal_lines(output) if (output / ".journal").is_dir() else []) if e["status"] == "done"]) < 2:
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished_before = {e["key"] for e in journal_lines(output)}
    assert 2 <= len(finished_before) < 6, "the run should be killed mid-way"
    for video in output.rglob("*.mp4"):  # nothing half-written under a final name
        assert video.name.startswith(TMP_PREFIX) or video.stat().st_size > 1000
    again = subprocess.run(batch_cmd(manifest, output), capture_output=True, text=True, env=env(tiny_cache))
    assert again.returncode == 0, again.stderr[-2000:]
    summary = json.loads((output / "summary.json").read_text())
    assert summary["done"] == 6 and summary["skipped"] == len(finished_before)
    done_keys = [e["key"] for e in journal_lines(output) if e["status"] == "done"]
    assert sorted(done_keys) == sorted({f"{r['id']}/prompt{k}" for r in rows for k in (1, 2, 3)})  # each exactly once
    assert len(list(output.rglob("*.mp4"))) == 6 and no_temporaries(output)


def test_bad_items_fail_alone(challenge_dir, tiny_cache, tmp_path):
    Image.new("RGB", (128, 128), "gray").save(tmp_path / "blank.png")
    good = {"id": "id001", "image": str(challenge_dir / "id001" / "image.png"), "prompt": "A man waves at the camera."}
    rows = [
        good,
        {"id": "id002", "image": str(tmp_path / "missing.png"), "prompt": "A woman smiles."},
        {"id": "id003", "image": str(challenge_dir / "id003" / "image.png"), "prompt": "   "},
        {"id": "id004", "image": str(tmp_path / "blank.png"), "prompt": "A person nods."},
        {**good, "id": "id005", "overrides": {"animate.model": "x"}},
        {**good, "id": "id006", "overrides": {"animate.guidance_scale": "high"}},  # a wrong type: fails alone at planning
    ]
    output = tmp_path / "out"
    done = subprocess.run(batch_cmd(write_manifest(tmp_path / "items.jsonl", rows), output, "--zip"), capture_output=True, text=True, env=env(tiny_cache))
    assert done.returncode == 1 and "5 of 6 items failed" in done.stderr and "summary.json" in done.stderr and "Traceback" not in done.stderr
    summary = json.loads((output / "summary.json").read_text())
    reasons = {f["key"]: f["reason"] for f in summary["failures"]}
    assert summary["done"] == 1 and (output / "id001" / "prompt1.mp4").is_file()
    assert "no identity image" in reasons["id002/prompt1"] and "empty" in reasons["id003/prompt1"]
    assert "no face" in reasons["id004/prompt1"] and "not allowed" in reasons["id005/prompt1"]
    assert reasons["id006/prompt1"].startswith("id006/prompt1: overrides: animate.guidance_scale:")
    import zipfile

    assert zipfile.ZipFile(output / "submission.zip").namelist() == ["id001/prompt1.mp4"]


def test_stages_run_one_after_another(challenge_dir, tiny_cache, tmp_path):
    rows = [{"id": "id003", "image": str(challenge_dir / "id003" / "image.png"), "prompt": "A man in a red coat waves at the camera."}]
    manifest = write_manifest(tmp_path / "items.jsonl", rows)
    output = tmp_path / "out"
    for stage in ("decouple", "keyframe", "full"):
        done = subprocess.run(batch_cmd(manifest, output, f"batch.stages={stage}"), capture_output=True, text=True, env=env(tiny_cache))
        assert done.returncode == 0, done.stderr[-2000:]
        report = json.loads((output / "items" / "id003" / "prompt1" / "report.json").read_text())
        if stage == "decouple":
            assert not (output / "items" / "id003" / "prompt1" / "keyframe.png").exists()
        if stage == "full":
            assert report["reused"] == ["prompts", "keyframe"] and "keyframe" not in report["stages"]
    assert (output / "id003" / "prompt1.mp4").is_file()
