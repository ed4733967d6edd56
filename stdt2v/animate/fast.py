"""Fast mode for the video transformer(s): diffusers cache hooks, regional torch.compile, and
step/CFG-distilled LoRAs. Each switch is off by default; ``scripts/bench_fast.py`` measures the
speed-up and how far the result moves from the plain run."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from stdt2v.config.schema import CacheKind, FastConfig
from stdt2v.errors import ConfigError

logger = logging.getLogger(__name__)


# TaylorSeer forecasts the outputs of these modules. diffusers' default patterns end in "attn"
# (FLUX's naming) and match nothing in Wan, whose blocks hold attn1, attn2 and ffn.
TAYLORSEER_MODULES = {"WanTransformer3DModel": [r"blocks\.\d+\.(attn1|attn2|ffn)"]}


def cache_config(fcfg: FastConfig, num_inference_steps: int, model_class: str = "") -> Any:
    """The diffusers cache config for ``animate.fast.cache`` (None: off)."""
    from diffusers.hooks import FirstBlockCacheConfig, MagCacheConfig, TaylorSeerCacheConfig

    kind = fcfg.cache
    if kind == CacheKind.none:
        return None
    if kind == CacheKind.first_block:
        return FirstBlockCacheConfig(threshold=fcfg.cache_threshold)
    if kind == CacheKind.taylorseer:
        return TaylorSeerCacheConfig(
            cache_interval=fcfg.cache_interval,
            disable_cache_before_step=fcfg.cache_warmup_steps,
            cache_identifiers=TAYLORSEER_MODULES.get(model_class),
        )
    if not fcfg.mag_ratios:
        raise ConfigError("animate.fast.cache=mag: set animate.fast.mag_ratios (the model's calibrated ratios), or use first_block / taylorseer")
    return MagCacheConfig(threshold=fcfg.cache_threshold, num_inference_steps=num_inference_steps, mag_ratios=list(fcfg.mag_ratios))


def _lora_file(spec: str, key: str) -> tuple[str, str]:
    """(folder or hub repo, weight file) of a LoRA given as a local file, a local folder holding
    one .safetensors file, or ``org/repo/path/in/repo.safetensors`` on the hub."""
    path = Path(spec).expanduser()
    if path.is_file():
        return str(path.parent), path.name
    if path.is_dir():
        files = sorted(path.glob("*.safetensors"))
        if len(files) != 1:
            raise ConfigError(f"{key}: {path} holds {len(files)} .safetensors files; name the one to load")
        return str(path), files[0].name
    parts = spec.split("/")
    if not spec.startswith((".", "/", "~")) and len(parts) >= 3 and spec.endswith(".safetensors"):
        return "/".join(parts[:2]), "/".join(parts[2:])
    raise ConfigError(f"{key}: {spec} not found (a LoRA .safetensors file, its folder, or org/repo/file.safetensors on the hub)")


def load_distill_loras(pipe: Any, fcfg: FastConfig) -> dict[str, float]:
    """LightX2V/Lightning-style LoRAs: ``distill_lora`` into ``transformer``, ``distill_lora_2``
    into ``transformer_2`` (Wan2.2 A14B's low-noise expert). Returns {adapter name: weight}."""
    if fcfg.distill_lora_2 and getattr(pipe, "transformer_2", None) is None:
        raise ConfigError("animate.fast.distill_lora_2: this model has one transformer (only Wan2.2 A14B has two experts)")
    names = {}
    for key, spec, second in (("distill_lora", fcfg.distill_lora, False), ("distill_lora_2", fcfg.distill_lora_2, True)):
        if not spec:
            continue
        folder, weight_name = _lora_file(spec, f"animate.fast.{key}")
        name = f"distill{'_2' if second else ''}"
        extra = {"load_into_transformer_2": True} if second else {}
        pipe.load_lora_weights(folder, weight_name=weight_name, adapter_name=name, **extra)
        names[name] = fcfg.distill_lora_scale
        logger.info("animate: distilled LoRA %s loaded into %s", weight_name, "transformer_2" if second else "transformer")
    return names


def apply_fast_mode(transformers: list[Any], fcfg: FastConfig, num_inference_steps: int) -> None:
    """The cache and compile switches of ``animate.fast`` on every video transformer."""
    for transformer in transformers:
        config = cache_config(fcfg, num_inference_steps, type(transformer).__name__)
        if config is not None:
            transformer.enable_cache(config)
        if fcfg.compile:
            transformer.compile_repeated_blocks(fullgraph=fcfg.compile_fullgraph, backend=fcfg.compile_backend)
