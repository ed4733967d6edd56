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
from typing import Any

import torch

from stdt2v.config.schema import AttentionBackend, ContextParallelConfig, GroupOffloadType, MemoryConfig, Offload
from stdt2v.errors import ConfigError, StdT2VError

logger = logging.getLogger(__name__)


def check_memory_config(mcfg: MemoryConfig, device: torch.device) -> None:
    """Fail before loading when an offload mode cannot work on ``device``."""
    if mcfg.offload == Offload.auto:
        raise ConfigError("animate.memory.offload=auto is chosen by the pipeline builder (IPT2VPipeline.from_config); elsewhere name a mode")
    if mcfg.offload in (Offload.model, Offload.sequential) and device.type != "cuda":
        raise ConfigError(
            f"animate.memory.offload={mcfg.offload.value} moves weights between CPU and GPU: it needs a CUDA device (device is {device});"
            " use offload=none on CPU"
        )
    if mcfg.group_blocks < 1:
        raise ConfigError("animate.memory.group_blocks: must be at least 1")


def place_pipeline(pipe: Any, mcfg: MemoryConfig, device: torch.device) -> None:
    """Move ``pipe`` (a diffusers pipeline) to ``device`` or install the configured offloading hooks."""
    mode = mcfg.offload
    if mode == Offload.none:
        pipe.to(device)
    elif mode == Offload.model:
        pipe.enable_model_cpu_offload(device=device)
    elif mode == Offload.sequential:
        pipe.enable_sequential_cpu_offload(device=device)
    else:
        pipe.enable_group_offload(
            onload_device=device,
            offload_device=torch.device("cpu"),
            offload_type=mcfg.group_offload_type.value,
            num_blocks_per_group=mcfg.group_blocks if mcfg.group_offload_type == GroupOffloadType.block_level else None,
            use_stream=mcfg.group_use_stream and device.type == "cuda",
        )
    if mcfg.vae_tiling:
        pipe.vae.enable_tiling()
    if mcfg.vae_slicing:
        pipe.vae.enable_slicing()
    logger.info("animate: offload=%s vae_tiling=%s vae_slicing=%s", mode.value, mcfg.vae_tiling, mcfg.vae_slicing)


def set_attention_backend(models: list[Any], backend: AttentionBackend) -> None:
    """Route the transformers' attention through ``backend`` (diffusers' attention dispatcher)."""
    if backend == AttentionBackend.native:
        return  # PyTorch SDPA: diffusers' default
    for model in models:
        try:
            model.set_attention_backend(backend.value)
        except (ImportError, RuntimeError, ValueError) as err:
            raise StdT2VError(f"animate.attention_backend={backend.value}: {str(err).splitlines()[0]} (install it, or use attention_backend=native)") from None


def enable_context_parallel(models: list[Any], ccfg: ContextParallelConfig, device: torch.device) -> None:
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
