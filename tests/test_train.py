"""Training on tiny random-weight models and a tiny dataset made from real face photographs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from benchmarks.launch import cpu_launch_command

pytestmark = pytest.mark.slow  # subprocess runs of whole batches / trainings

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs" / "train"


@pytest.fixture(scope="module")
def data(tmp_path_factory, challenge_dir):
    from stdt2v.train.synthetic import make_face_clips, make_identity_triples

    folder = tmp_path_factory.mktemp("train-data")
    images = sorted(challenge_dir.glob("id*/image.png"))
    return {"triples": make_identity_triples(images[:1], folder), "clips": make_face_clips(images[:1], folder)}


def train(config: str, output: Path, *overrides: str, launch: list[str] | None = None, env: dict | None = None) -> list[dict]:
    """One run in its own process, as users run (and resume) training."""
    cmd = [
        *(launch or [sys.executable]),
        "-m",
        "stdt2v",
        "train",
        "--config",
        str(CONFIGS / config),
        "--output",
        str(output),
        "progress=false",
        "tracker=none",
        *overrides,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in (output / "metrics.jsonl").read_text().splitlines()]


def test_id_adapter_overfits_one_batch(data, tmp_path):
    targets = "adapter.unet_lora_targets=[to_q,to_k,to_v,to_out.0,conv1,conv2,conv_in,conv_out,proj_in,proj_out]"
    metrics = train(
        "demo_id_adapter.yaml",
        tmp_path / "run",
        f"data.manifest={data['triples']}",
        "fixed_noise=true",
        "max_steps=15",
        "learning_rate=0.01",
        "adapter.id_dropout=0",
        "adapter.unet_lora_rank=8",
        targets,
        "tracker=tensorboard",
    )
    assert metrics[-1]["loss"] < 0.5 * metrics[0]["loss"]
    # the tracker got the scalars and the validation image (TensorBoard, offline)
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(next((tmp_path / "run" / "logs").rglob("events.out.tfevents*")).parent)).Reload()
    assert "loss" in events.Tags()["scalars"] and "validation" in events.Tags()["images"]
    assert (tmp_path / "run" / "validation" / "step-000015.png").is_file()
    checkpoint = tmp_path / "run" / "checkpoints" / "step-15"
    assert sorted(p.name for p in (checkpoint / "trainable").iterdir()) == [
        "config.json",
        "diffusion_pytorch_model.safetensors",
        "pytorch_lora_weights.safetensors",
    ]
    assert not list(checkpoint.glob("model*"))  # the frozen base model is never written


def test_identity_loss_trains_through_the_recognizer(data, tmp_path):
    """face.backend=insightface: the pack's ONNX recognizer, run with torch ops, gives the
    identity loss a gradient; the adapter trained with it differs from one trained without."""
    from tests.tiny_onnx import build_tiny_insightface_pack

    root = tmp_path / "insightface"
    build_tiny_insightface_pack(root / "models" / "antelopev2")
    face = [
        "face.backend=insightface",
        f"face.model_root={root}",
        "face.detect_size=320",
        f"data.manifest={data['triples']}",
        "max_steps=2",
        "learning_rate=0.05",
    ]
    with_loss = train("demo_id_adapter.yaml", tmp_path / "id", *face, "identity_loss.weight=1.0", "identity_loss.max_timestep=1000", "adapter.id_dropout=0")
    assert all(m["identity_loss"] > 0 for m in with_loss)
    assert all(abs(m["loss"] - m["diffusion_loss"] - m["identity_loss"]) < 1e-4 for m in with_loss)
    train("demo_id_adapter.yaml", tmp_path / "plain", *face, "adapter.id_dropout=0")
    from safetensors.torch import load_file

    a, b = (load_file(tmp_path / run / "final" / "diffusion_pytorch_model.safetensors") for run in ("id", "plain"))
    assert any(not torch.equal(a[k], b[k]) for k in a)


def test_accelerate_launch_two_cpu_processes(data, tmp_path):
    """`accelerate launch` with 2 CPU processes (gloo): both train, the main one writes."""
    import os

    launch = cpu_launch_command(2)
    env = {**os.environ, "ACCELERATE_USE_CPU": "true", "OMP_NUM_THREADS": "1"}
    metrics = train(
        "demo_id_adapter.yaml",
        tmp_path / "ddp",
        f"data.manifest={data['triples']}",
        "batch_size=1",
        "max_steps=3",
        "checkpoint_every=2",
        launch=launch,
        env=env,
    )
    assert [m["step"] for m in metrics] == [1, 2, 3]
    assert json.loads((tmp_path / "ddp" / "summary.json").read_text())["processes"] == 2
    assert sorted(p.name for p in (tmp_path / "ddp" / "checkpoints").iterdir()) == ["step-2", "step-3"]
    assert (tmp_path / "ddp" / "final" / "diffusion_pytorch_model.safetensors").is_file()


def test_lora_overfits_one_clip(data, tmp_path):
    targets = "lora.target_modules=[to_q,to_k,to_v,to_out.0,ffn.net.0.proj,ffn.net.2,proj_out]"
    metrics = train(
        "demo_i2v_lora.yaml",
        tmp_path / "run",
        f"data.manifest={data['clips']}",
        "fixed_noise=true",
        "max_steps=40",
        "learning_rate=0.01",
        "lora.rank=8",
        "lora.alpha=8",
        targets,
    )
    assert metrics[-1]["loss"] < 0.5 * metrics[0]["loss"]


@pytest.mark.parametrize("config, manifest", [("demo_id_adapter.yaml", "triples"), ("demo_i2v_lora.yaml", "clips")])
def test_resume_continues_bit_exactly(data, tmp_path, config, manifest):
    common = [f"data.manifest={data[manifest]}", "checkpoint_every=3"]
    straight = train(config, tmp_path / "a", *common, "max_steps=6")
    train(config, tmp_path / "b", *common, "max_steps=3")
    resumed = train(config, tmp_path / "b", *common, "max_steps=6", "resume=latest")
    assert len(resumed) == 6
    assert [m["loss"] for m in straight] == [m["loss"] for m in resumed]
    assert sorted(p.name for p in (tmp_path / "b" / "checkpoints").iterdir()) == ["step-3", "step-6"]
    if config == "demo_id_adapter.yaml":  # a truncated newest checkpoint: resume from the one before, same curve
        for weights in (tmp_path / "b" / "checkpoints" / "step-6").rglob("*.safetensors"):
            weights.write_bytes(weights.read_bytes()[:100])
        resume = [sys.executable, "-m", "stdt2v", "train", "--config", str(CONFIGS / config), "--output", str(tmp_path / "b"), "tracker=none"]
        done = subprocess.run([*resume, *common, "max_steps=6", "--resume", "latest"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "step-6 does not load" in done.stderr and "resumed from step-3, the newest checkpoint that loads" in done.stderr
        fallback = [json.loads(line) for line in (tmp_path / "b" / "metrics.jsonl").read_text().splitlines()]
        assert [m["loss"] for m in fallback] == [m["loss"] for m in straight]
        # a fresh run into a folder with checkpoints is refused (nothing is overwritten; one task is enough)
        cmd = [sys.executable, "-m", "stdt2v", "train", "--config", str(CONFIGS / config), "--output", str(tmp_path / "b"), *common]
        done = subprocess.run(cmd, capture_output=True, text=True)
        assert done.returncode != 0 and "--resume latest" in done.stderr.strip().splitlines()[-1]


def test_trained_weights_change_inference(data, tmp_path, tiny_cache):
    from omegaconf import OmegaConf
    from PIL import Image

    from stdt2v.animate import build_animator
    from stdt2v.config.schema import AnimateConfig
    from stdt2v.loading import resolve_model_source
    from stdt2v.sources import Sources

    train("demo_i2v_lora.yaml", tmp_path / "lora", f"data.manifest={data['clips']}", "max_steps=3", "learning_rate=0.05")
    source = resolve_model_source("tiny:wan2.2-ti2v-5b", tiny_cache)

    def video(**extra):
        cfg = OmegaConf.merge(
            OmegaConf.structured(AnimateConfig), {"model": source, "height": 64, "width": 96, "num_frames": 5, "num_inference_steps": 2, **extra}
        )
        animator = build_animator(cfg, Sources(torch.device("cpu"), torch.float32, torch.float32, animate=source), progress=False)
        return animator.animate(Image.new("RGB", (96, 64), (120, 90, 80)), "A person turns.", seed=0).astype(int), animator.adapters

    (plain, none), (tuned, applied) = video(), video(lora=str(tmp_path / "lora" / "final"), lora_scale=0.8)
    assert np.abs(plain - tuned).mean() > 0.1
    assert not none and applied == [{"stage": "animate", "name": "stdt2v", "scale": 0.8, "source": str(tmp_path / "lora" / "final")}]  # in report.json


def test_trained_adapter_changes_the_keyframe(data, tmp_path, tiny_cache):
    from stdt2v.keyframe import Identity
    from tests.test_keyframe import make_generator

    train("demo_id_adapter.yaml", tmp_path / "adapter", f"data.manifest={data['triples']}", "max_steps=3", "learning_rate=0.05")
    final = tmp_path / "adapter" / "final"
    assert (final / "diffusion_pytorch_model.safetensors").is_file()
    gen = make_generator(tiny_cache, **{"identity.adapter": "stdt2v", "identity.path": str(final)})
    vector = np.random.default_rng(0).standard_normal(gen.conditioner.id_dim).astype(np.float32)
    with_id = np.asarray(gen.generate("a person", seeds=[0], identity=Identity(vector / np.linalg.norm(vector)), height=64, width=64)[0], float)
    gen.conditioner.set_scale(0.0)
    without = np.asarray(gen.generate("a person", seeds=[0], identity=Identity(vector), height=64, width=64)[0], float)
    assert np.abs(with_id - without).mean() > 0.05
