"""The shared training frame: Accelerate, optimizer and schedule, checkpoints, resume, logging.

A task supplies a ``TrainTask``: the trainable module (wrapping whatever frozen parts its
forward needs), a dataset, a ``loss(batch)`` and how to save its weights. The frame does the
rest the same way for every task:

* ``accelerator.save_state`` every ``checkpoint_every`` steps under ``output/checkpoints/``,
  keeping the last ``keep_checkpoints``; only the trainable weights are written (a pre-hook
  replaces the full model state by the task's ``save_pretrained``);
* ``resume=latest|PATH`` restores weights, optimizer, LR schedule, every RNG, and the position
  in the data (``skip_first_batches``), so a resumed CPU run continues the loss curve exactly;
* batches from ``BucketBatchSampler`` (one size per batch), sharded over processes by Accelerate;
* one line per logged step in ``output/metrics.jsonl`` (``step``, ``loss``, ``lr`` and the task's
  loss terms) and the same to the configured Accelerate tracker (TensorBoard by default; wandb
  with ``WANDB_MODE=offline`` works without a network), validation images to the tracker too;
* final weights in ``output/final/`` (safetensors, loadable by the inference configs).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import pickle  # only for its error type: accelerate's optimizer state is a torch file
import shutil
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np
import torch
from safetensors import SafetensorError
from torch import nn
from tqdm.auto import tqdm

from stdt2v.errors import ConfigError
from stdt2v.io import TMP_PREFIX, atomic_write_json, atomic_write_text, first_line
from stdt2v.train.config import Tracker
from stdt2v.train.data import BucketBatchSampler

if TYPE_CHECKING:
    from accelerate import Accelerator
    from accelerate.scheduler import AcceleratedScheduler

    from stdt2v.train.config import TrainConfig

logger = logging.getLogger(__name__)


class TrainTask(ABC):
    model: nn.Module  # what accelerate prepares; its trainable parameters are optimised
    dataset: torch.utils.data.Dataset

    @abstractmethod
    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        """The loss to minimise and its named terms (floats) for the log."""

    @abstractmethod
    def save_weights(self, folder: Path) -> None:
        """Write the trainable weights (safetensors) so that inference can load them."""

    @abstractmethod
    def load_weights(self, folder: Path) -> None: ...

    def validate(self, folder: Path, step: int) -> list:
        """Save validation samples for a look (PNG/MP4) under ``folder``; return images
        (uint8 HWC arrays) for the tracker."""
        return []


def _checkpoints(folder: Path) -> list[Path]:
    return sorted(folder.glob("step-*"), key=lambda p: int(p.name.split("-")[1]))


def check_output(cfg: TrainConfig, output: Path) -> None:
    """Before anything loads: a fresh run never writes over an earlier run's checkpoints."""
    if _checkpoints(output / "checkpoints") and not cfg.resume:
        raise ConfigError(f"{output} holds checkpoints of an earlier run: continue it with --resume latest, or give another --output")


def make_accelerator(cfg: TrainConfig, output: Path) -> Accelerator:
    from accelerate import Accelerator
    from accelerate.utils import ProjectConfiguration

    tracker = None if cfg.tracker == Tracker.none else cfg.tracker.value
    if cfg.tracker == Tracker.wandb and importlib.util.find_spec("wandb") is None:
        raise ConfigError("tracker=wandb: wandb is not installed (pip install wandb), or use tracker=tensorboard")
    return Accelerator(
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        mixed_precision=cfg.mixed_precision.value,
        log_with=tracker,
        project_config=ProjectConfiguration(project_dir=str(output), logging_dir=str(output / "logs")),
        cpu=not torch.cuda.is_available(),
    )


def make_optimizer(cfg: TrainConfig, params: Iterable[nn.Parameter]) -> torch.optim.Optimizer:
    if cfg.use_8bit_adam:
        try:
            import bitsandbytes as bnb
        except ImportError:
            raise ConfigError("use_8bit_adam: bitsandbytes is not installed (pip install bitsandbytes), or set use_8bit_adam=false") from None
        return bnb.optim.AdamW8bit(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    return torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)


def train(cfg: TrainConfig, task: TrainTask, accelerator: Accelerator, output: Path) -> dict:
    """Train ``task`` to ``cfg.max_steps`` (resuming per ``cfg.resume``); write the final weights."""
    from accelerate.utils import set_seed

    set_seed(cfg.seed)
    trainable = [p for p in task.model.parameters() if p.requires_grad]
    model, optimizer, loader, scheduler = prepare(cfg, task, accelerator, trainable)
    register_checkpoint_hooks(accelerator, task)
    checkpoints = output / "checkpoints"
    started = time.perf_counter()
    step = resume(cfg, accelerator, checkpoints)
    if accelerator.is_main_process and cfg.tracker != Tracker.none:
        accelerator.init_trackers("stdt2v", config={"task": cfg.task.value, "max_steps": cfg.max_steps, "learning_rate": cfg.learning_rate})

    steps_per_epoch = max(1, len(loader) // cfg.gradient_accumulation_steps)
    metrics = MetricsLog(output / "metrics.jsonl", step, accelerator)
    bar = tqdm(total=cfg.max_steps, initial=step, desc="train", disable=not (cfg.progress and accelerator.is_main_process))
    terms: dict[str, list[float]] = {}
    while step < cfg.max_steps:
        epoch, position = divmod(step, steps_per_epoch)
        batches = accelerator.skip_first_batches(loader, position * cfg.gradient_accumulation_steps) if position else loader
        # The epoch's order, the same after a resume. Through the prepared loader: it passes its
        # own iteration count on to the sampler at every __iter__.
        batches.set_epoch(epoch)
        for batch in batches:
            with accelerator.accumulate(model):
                loss, parts = task.loss(model, batch)
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(trainable, cfg.max_grad_norm)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            for name, value in {"loss": loss.detach(), **parts}.items():
                value = torch.as_tensor(value, dtype=torch.float32, device=loss.device).reshape(1)
                terms.setdefault(name, []).append(accelerator.gather(value).mean().item())
            if not accelerator.sync_gradients:
                continue
            step += 1
            bar.update(1)
            if step % cfg.log_every == 0 or step == cfg.max_steps:
                metrics.write({"step": step, **{k: sum(v) / len(v) for k, v in terms.items()}, "lr": scheduler.get_last_lr()[0]})
            terms = {}
            if step % cfg.checkpoint_every == 0 or step == cfg.max_steps:
                save_checkpoint(accelerator, checkpoints / f"step-{step}", cfg.keep_checkpoints)
            if cfg.validate_every and step % cfg.validate_every == 0 and accelerator.is_main_process:
                log_images(accelerator, task.validate(output / "validation", step), step)
            if step >= cfg.max_steps:
                break
    bar.close()
    metrics.close()
    return finish(task, accelerator, output, step, seconds=time.perf_counter() - started)


def prepare(
    cfg: TrainConfig, task: TrainTask, accelerator: Accelerator, trainable: list[nn.Parameter]
) -> tuple[nn.Module, torch.optim.Optimizer, torch.utils.data.DataLoader, AcceleratedScheduler]:
    """Optimizer, LR schedule and the bucketed loader, prepared by Accelerate with the model."""
    from diffusers.optimization import get_scheduler

    optimizer = make_optimizer(cfg, trainable)
    scheduler = get_scheduler(
        cfg.lr_scheduler.value,
        optimizer,
        num_warmup_steps=cfg.lr_warmup_steps * accelerator.num_processes,
        num_training_steps=cfg.max_steps * accelerator.num_processes,
    )
    sampler = BucketBatchSampler(task.dataset.bucket_keys, cfg.batch_size, cfg.data.shuffle, cfg.seed)
    if len(sampler) < accelerator.num_processes:
        raise ConfigError(
            f"batch_size={cfg.batch_size} × {accelerator.num_processes} processes needs more samples per bucket than the data has "
            f"({len(task.dataset)} samples, {len(sampler)} full batches): lower batch_size or add data"
        )
    loader = torch.utils.data.DataLoader(task.dataset, batch_sampler=sampler, num_workers=cfg.data.num_workers)
    return accelerator.prepare(task.model, optimizer, loader, scheduler)


def register_checkpoint_hooks(accelerator: Accelerator, task: TrainTask) -> None:
    """Checkpoints hold the trainable weights only (the task's own format), not the frozen model."""

    def save_hook(models: list[nn.Module], weights: list[dict], folder: str) -> None:
        if accelerator.is_main_process:
            task.save_weights(Path(folder) / "trainable")
        weights.clear()

    def load_hook(models: list[nn.Module], folder: str) -> None:
        models.clear()
        task.load_weights(Path(folder) / "trainable")

    accelerator.register_save_state_pre_hook(save_hook)
    accelerator.register_load_state_pre_hook(load_hook)


# What a damaged checkpoint raises while it loads (truncated safetensors, torch or JSON files).
DAMAGED_CHECKPOINT = (SafetensorError, OSError, RuntimeError, ValueError, KeyError, EOFError, pickle.UnpicklingError)


def resume(cfg: TrainConfig, accelerator: Accelerator, checkpoints: Path) -> int:
    """Restore the state of ``cfg.resume`` and return its step (0: a fresh start). ``latest``
    falls back from a checkpoint that does not load to the newest one that does, saying which."""
    if not cfg.resume:
        return 0
    found = _checkpoints(checkpoints)
    if cfg.resume == "latest" and not found:  # the first job of a resubmitted series
        logger.info("train: no checkpoint under %s yet, starting at step 0", checkpoints)
        return 0
    candidates = list(reversed(found)) if cfg.resume == "latest" else [Path(cfg.resume).expanduser()]
    for path in candidates:
        if not path.is_dir():
            raise ConfigError(f"resume: no checkpoint at {path} (give a checkpoints/step-N folder, or latest)")
        try:
            accelerator.load_state(str(path))
        except DAMAGED_CHECKPOINT as err:
            reason = first_line(err)
            if cfg.resume != "latest":
                raise ConfigError(f"resume: the checkpoint {path} does not load ({reason}); give another one, or latest") from None
            logger.warning("train: checkpoint %s does not load (%s); trying the one before it", path.name, reason)
            continue
        step = int(path.name.split("-")[1])
        if path != found[-1] and cfg.resume == "latest":
            logger.warning("train: resumed from %s, the newest checkpoint that loads", path.name)
        logger.info("train: resumed from %s at step %d", path, step)
        return step
    raise ConfigError(f"resume: none of the {len(found)} checkpoints under {checkpoints} loads; delete them to start over, or give --output another folder")


class MetricsLog:
    """``metrics.jsonl`` (main process) and the trackers; a resumed run first drops what the
    interrupted one logged after its checkpoint."""

    def __init__(self, path: Path, step: int, accelerator: Accelerator) -> None:
        self.accelerator, self.file = accelerator, None
        if accelerator.is_main_process:
            kept = [line for line in (path.read_text().splitlines() if path.is_file() else []) if step and json.loads(line)["step"] <= step]
            atomic_write_text(path, "".join(line + "\n" for line in kept))
            self.file = open(path, "a")

    def write(self, record: dict) -> None:
        if self.file is not None:
            self.file.write(json.dumps(record) + "\n")
            self.file.flush()
        self.accelerator.log({k: v for k, v in record.items() if k != "step"}, step=record["step"])

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def finish(task: TrainTask, accelerator: Accelerator, output: Path, step: int, seconds: float) -> dict:
    """Final weights, last validation samples and summary.json, once every process is done."""
    accelerator.wait_for_everyone()
    summary = {"steps": step, "processes": accelerator.num_processes, "seconds": round(seconds, 2), "final": str(output / "final")}
    if accelerator.is_main_process:
        task.save_weights(output / "final")
        log_images(accelerator, task.validate(output / "validation", step), step)
        atomic_write_json(output / "summary.json", summary)
    accelerator.end_training()
    return summary


def log_images(accelerator: Accelerator, images: list[np.ndarray], step: int) -> None:
    """Validation images to every tracker that takes images (TensorBoard, wandb)."""
    if not images:
        return
    for tracker in accelerator.trackers:
        if tracker.name == "tensorboard":
            tracker.log_images({"validation": np.stack(images)}, step=step, dataformats="NHWC")
        elif hasattr(tracker, "log_images"):
            tracker.log_images({"validation": list(images)}, step=step)


def save_checkpoint(accelerator: Accelerator, folder: Path, keep: int) -> None:
    """Save under a temporary name and rename: a killed save never looks like a checkpoint."""
    staging = folder.parent / f"{TMP_PREFIX}{folder.name}"
    accelerator.save_state(str(staging))
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
        for old in _checkpoints(folder.parent)[: -max(1, keep)]:
            shutil.rmtree(old, ignore_errors=True)
    accelerator.wait_for_everyone()
