"""Typed schema of a training run (``stdt2v train --config FILE``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from omegaconf import MISSING

from stdt2v.config.schema import FaceConfig
from stdt2v.errors import ConfigError
from stdt2v.seeds import check_seed


class TaskName(str, Enum):
    id_adapter = "id_adapter"  # the keyframe stage's identity adapter (SDXL base frozen)
    i2v_lora = "i2v_lora"  # LoRA on the Wan video transformer (TI2V-5B layout)


class MixedPrecision(str, Enum):
    no = "no"
    bf16 = "bf16"
    fp16 = "fp16"


class Tracker(str, Enum):
    tensorboard = "tensorboard"
    wandb = "wandb"
    none = "none"


class LRScheduler(str, Enum):
    """diffusers' ``get_scheduler`` names (``diffusers.optimization.SchedulerType``): a closed
    choice, so a typo is one config error before any model loads."""

    linear = "linear"
    cosine = "cosine"
    cosine_with_restarts = "cosine_with_restarts"
    polynomial = "polynomial"
    constant = "constant"
    constant_with_warmup = "constant_with_warmup"
    piecewise_constant = "piecewise_constant"


@dataclass
class TrainDataConfig:
    # A .jsonl/.csv manifest ({"image"|"video", "caption", "face"}, paths relative to it) or a
    # folder (NAME.png|NAME.mp4|NAME/ frames + NAME.txt caption + optional NAME.face.png).
    manifest: str = MISSING
    resolution: int = 1024  # id_adapter: buckets hold about resolution² pixels
    # i2v_lora: buckets hold about height × width pixels; clips are num_frames long (4n+1)
    height: int = 704
    width: int = 1280
    num_frames: int = 121
    # Aspect-ratio buckets (width / height); explicit [[h, w], ...] buckets win when given.
    aspect_ratios: list = field(default_factory=lambda: [1.0, 4 / 3, 3 / 4, 16 / 9, 9 / 16])
    buckets: list = field(default_factory=list)
    bucket_multiple: int = 64  # sides rounded to this (VAE × patch grid)
    # Frame-count buckets (i2v_lora): a clip goes to the longest it can fill; empty: [num_frames].
    frame_buckets: list = field(default_factory=list)
    frame_stride: int = 1  # take every k-th frame of a clip
    mask_stride: int = 4  # detect faces for the loss mask every k-th frame (boxes are held between)
    shuffle: bool = True
    num_workers: int = 0


@dataclass
class AdapterTrainConfig:
    num_tokens: int = 4
    dim: int = 768
    depth: int = 2
    heads: int = 12
    dim_head: int = 64
    # Share of samples trained without identity (a zero vector), for classifier-free guidance.
    id_dropout: float = 0.1
    # FaceID-style: a LoRA on the UNet's attention trained jointly with the adapter (0: adapter
    # only). Saved beside the adapter; inference loads it with keyframe.identity.lora_scale.
    unet_lora_rank: int = 0
    unet_lora_alpha: int = 0  # 0: the rank
    unet_lora_targets: list = field(default_factory=lambda: ["to_q", "to_k", "to_v", "to_out.0"])


@dataclass
class IdentityLossConfig:
    # 1 − cos(face embedding of the decoded predicted clean image, reference embedding), with a
    # recognizer converted from ONNX to torch (differentiable). 0: off.
    weight: float = 0.0
    # Only where the predicted clean image is readable: timesteps below this (of 1000).
    max_timestep: int = 400
    # The recognizer (.onnx); null: the recognition model of the face.backend=insightface pack.
    recognizer: str | None = None


@dataclass
class LoRATrainConfig:
    rank: int = 32
    alpha: int = 32
    target_modules: list = field(default_factory=lambda: ["to_q", "to_k", "to_v", "to_out.0"])
    flow_shift: float = 5.0  # the model's timestep shift
    face_loss_weight: float = 0.0  # extra loss weight on face regions (0: off)


@dataclass
class TrainConfig:
    task: TaskName = TaskName.id_adapter
    model: str = MISSING  # the frozen base pipeline: hub id, local folder or tiny:NAME
    seed: int = 0
    cache_dir: str = "${oc.env:STDT2V_CACHE,'~/.cache/stdt2v'}"
    output: str | None = None
    allow_pickle_weights: bool = False
    max_steps: int = 1000
    batch_size: int = 1
    gradient_accumulation_steps: int = 1
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    lr_scheduler: LRScheduler = LRScheduler.constant_with_warmup  # diffusers.optimization.get_scheduler's names
    lr_warmup_steps: int = 0
    max_grad_norm: float = 1.0
    mixed_precision: MixedPrecision = MixedPrecision.no
    gradient_checkpointing: bool = False
    use_8bit_adam: bool = False  # bitsandbytes, when installed
    checkpoint_every: int = 500
    keep_checkpoints: int = 2
    resume: str | None = None  # latest | a checkpoint folder
    log_every: int = 1
    tracker: Tracker = Tracker.tensorboard
    validate_every: int = 0  # 0: only at the end
    validation_prompt: str = "A person, medium shot"
    progress: bool = True
    # Sanity check "can it overfit one batch": the same noise and timestep for a sample at every
    # step (seeded by its caption), so the loss can go to zero. Off for real training.
    fixed_noise: bool = False
    data: TrainDataConfig = field(default_factory=TrainDataConfig)
    face: FaceConfig = field(default_factory=FaceConfig)
    adapter: AdapterTrainConfig = field(default_factory=AdapterTrainConfig)
    identity_loss: IdentityLossConfig = field(default_factory=IdentityLossConfig)
    lora: LoRATrainConfig = field(default_factory=LoRATrainConfig)


# The sections that belong to one task: set under the other task, they would be ignored silently.
TASK_SECTIONS = {TaskName.id_adapter: ("adapter", "identity_loss"), TaskName.i2v_lora: ("lora",)}


def validate_train_config(cfg: TrainConfig) -> None:
    """The semantic checks of a training config, run once when it is loaded (before any model)."""
    from omegaconf import OmegaConf

    defaults = OmegaConf.structured(TrainConfig)
    for task, sections in TASK_SECTIONS.items():
        if task == cfg.task:
            continue
        for section in sections:
            changed = [k for k in cfg[section] if cfg[section][k] != defaults[section][k]]
            if changed:
                raise ConfigError(f"{section}.{changed[0]}: only task {task.value} reads the {section} section; this config trains task {cfg.task.value}")
    frame_buckets = [int(f) for f in (cfg.data.frame_buckets or [cfg.data.num_frames])]
    bad = [f for f in frame_buckets if f < 1 or (f - 1) % 4]
    if cfg.task == TaskName.i2v_lora and bad:
        raise ConfigError(f"data.frame_buckets: {bad} are not 4n+1 frames (the Wan VAE's temporal stride), e.g. 49, 81, 121")
    check_seed(cfg.seed, "seed", ConfigError)
    checks = [
        (cfg.max_steps >= 1, "max_steps", "at least 1"),
        (cfg.batch_size >= 1, "batch_size", "at least 1"),
        (cfg.gradient_accumulation_steps >= 1, "gradient_accumulation_steps", "at least 1"),
        (cfg.learning_rate > 0, "learning_rate", "above 0"),
        (cfg.checkpoint_every >= 1, "checkpoint_every", "at least 1"),
        (cfg.keep_checkpoints >= 1, "keep_checkpoints", "at least 1"),
        (cfg.data.bucket_multiple >= 8, "data.bucket_multiple", "at least 8"),
    ]
    for ok, key, what in checks:
        if not ok:
            raise ConfigError(f"{key}: must be {what}")
    manifest = Path(str(cfg.data.manifest)).expanduser() if cfg.data.get("manifest") else None
    if manifest is not None and manifest.exists() and not manifest.is_dir() and not manifest.is_file():
        raise ConfigError(f"data.manifest: {manifest} is not a regular file or folder (a FIFO or device would block); pass a .jsonl/.csv manifest or a folder")
    if cfg.resume and cfg.resume != "latest" and not Path(cfg.resume).expanduser().is_dir():
        raise ConfigError(f"resume: no checkpoint at {cfg.resume} (give a checkpoints/step-N folder, or latest)")
