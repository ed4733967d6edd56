"""Issue 33's regression matrix: one or more made-up instances of each of the 13 families of bad
input and faults. Each answers with one ``stdt2v: error:`` line and exit 2 (a batch or folder
run: the item fails alone, exit 1), or is handled as valid input — never a traceback, a hang, a
silent wrong result or a write outside ``--output``. In-process (``cli.main``) where the case
allows; a subprocess where the case is about the process's own streams or environment."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from stdt2v.cli import main
from tests.conftest import DEMO_CONFIG, ROOT

DEMO = str(DEMO_CONFIG)


def cli(capsys, *argv: str) -> tuple[int, str, list[str]]:
    """Run the CLI in this process: exit code, stdout, the ``stdt2v: error:`` lines."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if line.startswith("stdt2v: error:")]


def one_line(capsys, *argv: str, code: int = 2, match: str) -> str:
    got, _, errors = cli(capsys, *argv)
    assert got == code and len(errors) == 1, (got, errors)
    assert match in errors[0], errors[0]
    return errors[0]


def run(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "stdt2v", *args], cwd=ROOT, capture_output=True, env=full, timeout=300, **kwargs)


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def face_image(path: Path) -> Path:
    from stdt2v.io import load_image

    load_image("builtin:grace_hopper").save(path)
    return path


# ---------------------------------------------------------------------------- the families


def family_01_special_files(tmp_path, capsys):
    # A FIFO as a manifest: refused by what stat says, never opened (opening it would block).
    one_line(capsys, "batch", "--config", DEMO, "--input", fifo(tmp_path / "m.jsonl"), "--output", tmp_path / "o", match="is a FIFO, not a regular file")
    # A FIFO as an image, and a folder as a prompt file in a folder run: the prompt fails alone.
    one_line(capsys, "faces", "--config", DEMO, fifo(tmp_path / "face.png"), match="is a FIFO")
    train = ("train", "--config", ROOT / "configs/train/demo_id_adapter.yaml", "--output", tmp_path / "t")
    one_line(capsys, *train, f"data.manifest={fifo(tmp_path / 'train.jsonl')}", match="data.manifest: ")
    folder = tmp_path / "in" / "id001"
    folder.mkdir(parents=True)
    (folder / "prompt1.txt").write_text("A man waves.")
    (folder / "prompt2.txt").mkdir()
    fifo(folder / "prompt3.txt")
    got, _, errors = cli(capsys, "decouple", "--config", DEMO, "--input", tmp_path / "in", "--output", tmp_path / "out", "prompts.subject=A man")
    assert got == 1 and errors == [f"stdt2v: error: 2 of 3 prompts failed; reasons in {tmp_path / 'out' / 'decoupled.jsonl'}"]
    records = {r["prompt"]: r for r in map(json.loads, (tmp_path / "out" / "decoupled.jsonl").read_text().splitlines())}
    assert "is a folder" in records["prompt2"]["error"] and "is a FIFO" in records["prompt3"]["error"] and records["prompt1"]["temporal"] == "A man waves."


def family_02_item_override_types(tmp_path, capsys):
    from stdt2v.batch.run import check_item_overrides
    from stdt2v.config import load_config
    from stdt2v.data.items import Item

    cfg = load_config(DEMO)
    bad = Item("id001", "prompt1", None, "A man waves.", overrides={"animate.guidance_scale": "high"})
    inf = Item("id001", "prompt2", None, "A man waves.", overrides={"animate.guidance_scale": float("inf")})
    good = Item("id002", "prompt1", None, "A man waves.", overrides={"animate.guidance_scale": "4", "keyframe.num_candidates": 2})
    for item in (bad, inf, good):
        check_item_overrides(cfg, item)
    assert "animate.guidance_scale" in bad.error and "id001/prompt1: overrides" in bad.error
    assert "must be a finite number" in inf.error
    assert good.error is None and good.overrides == {"animate.guidance_scale": 4.0, "keyframe.num_candidates": 2}


def family_03_lengths(tmp_path, capsys):
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"id": "x" * 1000, "image": "a.png", "prompt": "A man waves."}) + "\n")
    one_line(capsys, "batch", "--config", DEMO, "--input", manifest, "--output", tmp_path / "o", match="over the 239-byte limit of a file name")
    long_output = tmp_path / "/".join(["d" * 200] * 25)
    one_line(capsys, "evaluate", "--videos", tmp_path, "--references", tmp_path, "--output", long_output, match="(PATH_MAX)")
    assert not (tmp_path / ("d" * 200)).exists()


def family_04_edges(tmp_path, capsys):
    one_line(capsys, "plan", "--config", DEMO, "animate.num_frames=100001", match="over this model family's 1001 frames")
    one_line(capsys, "plan", "--config", DEMO, "animate.backend=cogvideox", "animate.num_frames=85", match="over this model family's 81 frames")
    for budget in ("nan", "inf", "-inf"):
        one_line(capsys, "plan", "--config", DEMO, f"--budget-gb={budget}", match=f"--budget-gb: {budget} is not a memory size")
    one_line(capsys, "faces", "--config", DEMO, "x.png", "face.detect_size=0", match="face.detect_size: must be in 32..4096")
    one_line(capsys, "plan", "--config", DEMO, "animate.height=100000", match="animate.height/width: must be at most 4096 pixels")
    one_line(capsys, "decouple", "--config", DEMO, "--prompt", "A man waves.", "device=cuda:abc", match="device: 'cuda:abc' is not a device")


def family_05_environment(tmp_path, capsys, monkeypatch):
    afile = tmp_path / "file"
    afile.write_text("x")
    monkeypatch.setenv("STDT2V_CACHE", str(afile))
    one_line(capsys, "decouple", "--config", DEMO, "--prompt", "A man waves.", match="cache_dir (from STDT2V_CACHE)")
    monkeypatch.setenv("STDT2V_CACHE", str(afile / "sub"))
    one_line(capsys, "decouple", "--config", DEMO, "--prompt", "A man waves.", match="cannot be created or written")
    monkeypatch.setenv("STDT2V_CACHE", str(tmp_path / "cache"))
    image = face_image(tmp_path / "f.png")
    monkeypatch.setenv("STDT2V_MAX_IMAGE_PIXELS", "abc")
    one_line(capsys, "faces", "--config", DEMO, image, match="STDT2V_MAX_IMAGE_PIXELS='abc' is not a pixel count")


def family_06_output_targets(tmp_path, capsys):
    one_line(capsys, "plan", "--config", DEMO, "--json", tmp_path, match="is a folder; pass a file path")
    one_line(capsys, "plan", "--config", DEMO, "--json", "/proc/stdt2v-plan.json", match="--json /proc/stdt2v-plan.json: its folder: cannot write")
    parent = tmp_path / "afile"
    parent.write_text("x")
    one_line(
        capsys, "hyperlora", "--config", DEMO, "--id-image", "builtin:grace_hopper", "--output", parent / "x.safetensors",
        "keyframe.identity.adapter=hyperlora", "keyframe.identity.path=tiny:hyperlora-sdxl", match="is a file; pass a folder",
    )  # fmt: skip
    out = tmp_path / "run"
    (out / ".stdt2v.lock").mkdir(parents=True)
    (tmp_path / "in" / "id001").mkdir(parents=True)
    (tmp_path / "in" / "id001" / "prompt1.txt").write_text("A man waves.")
    args = ("--input", tmp_path / "in", "--output", out, "prompts.subject=A man")
    one_line(capsys, "decouple", "--config", DEMO, *args, match="the lock file")


def family_07_app_address(tmp_path, capsys):
    pytest.importorskip("gradio")
    app = ("app", "--config", DEMO, "--output", tmp_path / "app")
    one_line(capsys, *app, "--port", "70000", match="--port: 70000 is out of range")
    one_line(capsys, *app, "--host", "no-such-host.invalid", match="--host: 'no-such-host.invalid' does not resolve")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        one_line(capsys, *app, "--port", str(busy.getsockname()[1]), match="cannot listen on 127.0.0.1")
    assert not (tmp_path / "app").exists()  # nothing made before the address is checked


def family_08_streams(tmp_path, capsys):
    decouple = ("decouple", "--config", DEMO, "prompts.cache=false", "--prompt")
    # stdout closed early by its reader: a quiet exit, no traceback.
    proc = subprocess.Popen([sys.executable, "-m", "stdt2v", *decouple, "A man waves."], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141 and "Traceback" not in stderr and "Exception ignored" not in stderr
    # An ASCII-only terminal and a Chinese prompt: escaped, the JSON still parses.
    ascii_run = run(*decouple, "一个男人在微笑。", env={"PYTHONIOENCODING": "ascii"})
    assert ascii_run.returncode == 0, ascii_run.stderr[-2000:]
    assert json.loads(ascii_run.stdout)["original"] == "一个男人在微笑。"
    # Bytes that are not UTF-8 in a command-line prompt: one line naming the option.
    raw = subprocess.run([sys.executable.encode(), b"-m", b"stdt2v", *[a.encode() for a in decouple], b"caf\xe9"], cwd=ROOT, capture_output=True, timeout=300)
    assert raw.returncode == 2 and raw.stderr.decode().strip() == (
        "stdt2v: error: --prompt: holds bytes that are not UTF-8; pass the text as UTF-8 (or put it in a UTF-8 file)"
    )


def family_09_config_defaults(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("defaults: 3\nseed: 1\n")
    one_line(capsys, "decouple", "--config", config, "--prompt", "A man waves.", match="'defaults' must be a list of file paths, got 3")


def family_10_valid_inputs(tmp_path, capsys):
    from stdt2v.data.items import read_items
    from stdt2v.io import load_image

    # A photo stored sideways with its EXIF orientation: loaded upright.
    upright = load_image("builtin:grace_hopper")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    upright.transpose(Image.Transpose.ROTATE_90).save(tmp_path / "phone.jpg", exif=exif, quality=95)
    loaded = load_image(tmp_path / "phone.jpg")
    assert loaded.size == upright.size
    assert np.abs(np.asarray(loaded, np.float32) - np.asarray(upright, np.float32)).mean() < 3.0
    # A CSV saved by Excel ("CSV UTF-8" starts with a byte-order mark).
    (tmp_path / "m.csv").write_bytes("\ufeffid,image,prompt\nid001,a.png,A man waves.\n".encode())
    assert [i.key for i in read_items(tmp_path / "m.csv")] == ["id001/prompt1"]


def family_11_silent_wrong_results(tmp_path, capsys):
    one_line(capsys, "plan", "--config", DEMO, "animate.guidance_scale=inf", match="animate.guidance_scale=inf: must be a finite number")
    one_line(capsys, "plan", "--config", DEMO, "animate.fps=1000000", match="animate.fps: must be 1..120")
    listed = tmp_path / "list.jsonl"
    listed.write_text(json.dumps({"id": "id001", "image": "a.png", "prompt": ["A woman", "smiles"]}) + "\n")
    one_line(capsys, "batch", "--config", DEMO, "--input", listed, "--output", tmp_path / "o", match="prompt must be text, not list")
    quoted = tmp_path / "q.csv"
    quoted.write_text('id,image,prompt\nid001,a.png,"A woman smiles\nid002,b.png,A man waves\nid003,c.png,"A child runs"\n')
    one_line(capsys, "batch", "--config", DEMO, "--input", quoted, "--output", tmp_path / "o", match="line 1: ',' expected after '\"'; check the quotes")
    quoted.write_text('id,image,prompt\nid001,a.png,"A woman smiles\nid002,b.png,A man waves\nid003,c.png,A child runs"\n')
    one_line(capsys, "batch", "--config", DEMO, "--input", quoted, "--output", tmp_path / "o", match="a quote left open merges rows")
    one_line(capsys, "evaluate", "--videos", tmp_path, "--references", tmp_path, "--output", "", match="--output: empty")
    # A closed stdout: nowhere for the result to go, so nothing runs (exit 2, not 0).
    line = f"{sys.executable} -m stdt2v decouple --config {DEMO} --prompt 'A man waves.'"
    closed = subprocess.run(f"{line} >&-", shell=True, cwd=ROOT, capture_output=True, timeout=300)
    assert closed.returncode == 2 and b"stdt2v: error: stdout is closed" in closed.stderr


def family_11_non_english_prompt_over_the_limit(tmp_path, capsys):
    """A prompt the English parser cannot split is kept whole; over the token limit it is cut at
    a word boundary (not dropped whole, leaving only the subject), and the notes say so."""
    from stdt2v.config import load_config
    from stdt2v.prompts import build_decoupler
    from stdt2v.prompts.limits import TokenLimits

    decoupler = build_decoupler(load_config(DEMO, ["prompts.cache=false"]).prompts, cache_dir=None, device="cpu")
    decoupler.limits = TokenLimits(spatial_max_tokens=12)
    result = decoupler("امرأة تبتسم وتلوح بيدها في الحديقة الخضراء الجميلة تحت شمس الصباح الدافئة", subject=None)
    assert result.spatial == "A person, امرأة تبتسم وتلوح بيدها في الحديقة الخضراء"
    assert result.dropped == ["spatial: الجميلة تحت شمس الصباح الدافئة, medium shot"]
    assert "cut to fit the token limits" in result.notes[0] and "kept whole" not in " ".join(result.notes)


def family_11_interrupted_rerun(tmp_path, capsys, monkeypatch):
    """A rerun stopped in a finished folder: the old video (the mark of a finished folder) is gone
    before the new config is written, so the folder is visibly unfinished, not inconsistent."""
    from stdt2v.pipeline import IPT2VPipeline

    out = tmp_path / "run"
    out.mkdir()
    (out / "video.mp4").write_bytes(b"an earlier run's video")
    (out / "config.yaml").write_text("seed: 1\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(IPT2VPipeline, "from_config", interrupted)
    assert main(["generate", "--config", DEMO, "--id-image", "builtin:grace_hopper", "--prompt", "A woman smiles.", "--output", str(out), "seed=7"]) == 130
    assert not (out / "video.mp4").exists() and "seed: 7" in (out / "config.yaml").read_text()


def family_11_truncated_summary(tmp_path, capsys, caplog):
    from stdt2v.batch.report import write_batch_report
    from stdt2v.data.items import Item

    (tmp_path / "summary.json").write_text('{"items": 3, "do')
    write_batch_report(tmp_path, [Item("id001", "prompt1", None, "A man waves.")])
    assert "summary.json is unreadable" in caplog.text and "rerun stdt2v batch" in caplog.text


def family_12_codes_and_words(tmp_path, capsys):
    from stdt2v.errors import ConfigError
    from stdt2v.loading import load_pretrained

    def offline(source, **kwargs):
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find them in the cached files. " * 6)

    with pytest.raises(ConfigError) as err:
        load_pretrained(offline, "someone/no-such-model", "animate.model")
    assert err.value.exit_code == 2 and len(str(err.value)) < 330 and "hf download someone/no-such-model" in str(err.value)
    one_line(capsys, "batch", "--config", DEMO, "--output", tmp_path / "o", match="batch: --input (a challenge-layout folder")
    (tmp_path / "empty").mkdir()
    one_line(capsys, "evaluate", "--videos", tmp_path / "empty", "--references", tmp_path, "--output", tmp_path / "e", match="--videos: no idNNN/promptK.mp4")
    lock_id = tmp_path / "lock.jsonl"
    lock_id.write_text(json.dumps({"id": ".stdt2v.lock", "image": "a.png", "prompt": "A man waves."}) + "\n")
    one_line(capsys, "batch", "--config", DEMO, "--input", lock_id, "--output", tmp_path / "o", match="starts with '.'")
    one_line(capsys, "train", "--config", DEMO, match="is a pipeline (inference) config; train reads a training config")
    one_line(capsys, "decouple", "--config", ROOT / "configs/train/demo_id_adapter.yaml", "--prompt", "x", match="is a training config")
    hyperlora = ("hyperlora", "--config", DEMO, "--id-image", "builtin:grace_hopper", "--output", tmp_path / "x.safetensors")
    one_line(capsys, *hyperlora, match="HyperLoRA is not configured")
    # stdout on a full device, for a verb without --output: the words name stdout.
    line = f"{sys.executable} -m stdt2v decouple --config {DEMO} --prompt 'A man waves.'"
    full = subprocess.run(f"{line} > /dev/full", shell=True, cwd=ROOT, capture_output=True, timeout=300)
    assert full.returncode == 2 and full.stderr.decode().strip().splitlines()[-1].startswith("stdt2v: error: stdout: No space left on device")


def family_13_no_write_outside(tmp_path, capsys):
    home = tmp_path / "home"
    home.mkdir()
    code = "from stdt2v.cli.command import _quiet_libraries; _quiet_libraries(); import onnxruntime; onnxruntime.get_available_providers()"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}, timeout=300)
    assert proc.returncode == 0 and list(home.rglob("*")) == []


def quiet_train_error(tmp_path, capsys):
    """The one line of a verb that imports torch/diffusers is the only line (no torchao chatter)."""
    proc = run("train", "--config", "configs/train/demo_id_adapter.yaml", "max_steps=0")
    lines = [line for line in proc.stderr.decode().splitlines() if line.strip()]
    assert proc.returncode == 2 and lines == ["stdt2v: error: max_steps: must be at least 1"], lines


FAMILIES = {name: fn for name, fn in globals().items() if name.startswith("family_") or name == "quiet_train_error"}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family(family, tmp_path, capsys, monkeypatch, caplog):
    fn = FAMILIES[family]
    kwargs = {"monkeypatch": monkeypatch} if "monkeypatch" in fn.__code__.co_varnames else {}
    kwargs |= {"caplog": caplog} if "caplog" in fn.__code__.co_varnames else {}
    fn(tmp_path, capsys, **kwargs)


@pytest.mark.slow
def test_small_face_found_by_a_retry(tmp_path):
    """An 87-px face in a 600×600 photo: the default size and padding shrink it below dlib's
    reach; the retry at detect_size 1280 finds it and says so (about 20 s of CPU detection)."""
    from stdt2v.config import load_config
    from stdt2v.face import build_face_analyzer
    from stdt2v.io import load_image

    analyzer = build_face_analyzer(load_config(DEMO).face, device="cpu")
    image = load_image("builtin:grace_hopper")
    scale = 87 / 178  # grace_hopper's face box is 178 px wide
    canvas = Image.new("RGB", (600, 600), (200, 200, 200))
    canvas.paste(image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS), (250, 250))
    assert analyzer.detect(canvas) == []
    faces = analyzer.detect_reference(canvas)
    assert len(faces) == 1 and faces[0].found_with == {"detect_size": 1280, "pad_ratio": 0.25}
    assert faces[0].to_dict()["found_with"] == {"detect_size": 1280, "pad_ratio": 0.25}
