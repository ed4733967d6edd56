"""Placing a video pipeline on its device: offloading, VAE tiling/slicing, attention backend.

A 14B video transformer does not fit beside its text encoder and VAE on most GPUs. diffusers
offers three ways to keep weights in CPU memory and bring them in when needed; which one
wins depends on the GPU, so the config chooses (``animate.memory``):

* ``model``: whole components (text encoder, transformer, VAE) move in turn;
* ``sequential``: leaf modules move one by one — least memory, slowest;
* ``group``: groups of transformer blocks move, prefetched on a CUDA stream while the
  previous group computes — near-``none`` speed with a fraction of the memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import torch

from stdt2v.errors import ConfigError, StdT2VError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MemorySettings:
    """``animate.memory`` as plain data (meanings: the config schema)."""

    offload: str = "none"  # none | model | sequential | group
    group_offload_type: str = "block_level"
    group_blocks: int = 1
    group_use_stream: bool = True
    vae_tiling: bool = False
    vae_slicing: bool = False


@dataclass(frozen=True)
class ContextParallelSettings:
    ulysses_degree: int = 1
    ring_degree: int = 1


def check_memory_config(mcfg: MemorySettings, device: torch.device) -> None:
    """Fail before loading when an offload mode cannot work on ``device``."""
    if mcfg.offload == "auto":
        raise ConfigError("animate.memory.offload=auto is chosen by the pipeline builder (IPT2VPipeline.from_config); elsewhere name a mode")
    if mcfg.offload in ("model", "sequential") and device.type != "cuda":
        raise ConfigError(
            f"animate.memory.offload={mcfg.offload} moves weights between CPU and GPU: it needs a CUDA device (device is {device}); use offload=none on CPU"
        )
    if mcfg.group_blocks < 1:
        raise ConfigError("animate.memory.group_blocks: must be at least 1")


def place_pipeline(pipe, mcfg: MemorySettings, device: torch.device) -> None:
    """Move ``pipe`` to ``device`` or install the configured offloading hooks."""
    mode = mcfg.offload
    if mode == "none":
        pipe.to(device)
    elif mode == "model":
        pipe.enable_model_cpu_offload(device=device)
    elif mode == "sequential":
        pipe.enable_sequential_cpu_offload(device=device)
    else:
        pipe.enable_group_offload(
            onload_device=device,
            offload_device=torch.device("cpu"),
            offload_type=mcfg.group_offload_type,
            num_blocks_per_group=mcfg.group_blocks if mcfg.group_offload_type == "block_level" else None,
            use_stream=mcfg.group_use_stream and device.type == "cuda",
        )
    if mcfg.vae_tiling:
        pipe.vae.enable_tiling()
    if mcfg.vae_slicing:
        pipe.vae.enable_slicing()
    logger.info("animate: offload=%s vae_tiling=%s vae_slicing=%s", mode, mcfg.vae_tiling, mcfg.vae_slicing)


def set_attention_backend(models, backend: str) -> None:
    """Route the transformers' attention through ``backend`` (diffusers' attention dispatcher)."""
    if backend == "native":
        return  # PyTorch SDPA: diffusers' default
    for model in models:
        try:
            model.set_attention_backend(backend)
        except (ImportError, RuntimeError, ValueError) as err:
            raise StdT2VError(f"animate.attention_backend={backend}: {str(err).splitlines()[0]} (install it, or use attention_backend=native)") from None


def enable_context_parallel(models, ccfg: ContextParallelSettings, device: torch.device) -> None:
    """Split each video transformer's attention across the launched processes."""
    degree = ccfg.ulysses_degree * ccfg.ring_degree
    if degree == 1:
        return
    import torch.distributed as dist

    if device.type != "cuda" or not dist.is_available() or not dist.is_initialized():
        raise ConfigError(
            f"animate.context_parallel (degree {degree}) needs CUDA GPUs and a distributed launch: "
            f"accelerate launch --num_processes {degree} -m stdt2v batch ..."
        )
    if dist.get_world_size() != degree:
        raise ConfigError(f"animate.context_parallel: ulysses_degree × ring_degree = {degree}, but {dist.get_world_size()} processes were launched")
    from diffusers import ContextParallelConfig

    for model in models:
        model.enable_parallelism(config=ContextParallelConfig(ulysses_degree=ccfg.ulysses_degree, ring_degree=ccfg.ring_degree))
