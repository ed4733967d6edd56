"""``animate.quantization``: the video transformer(s) in fp8, int8, nf4 or from GGUF files.

nf4 and gguf act while the pipeline loads (bitsandbytes quantises on load; GGUF files hold
the packed weights); fp8 and int8 act on the loaded transformers, after the LoRAs are in, so
the LoRA layers stay in the compute dtype (``stdt2v.quantize.FP8_SKIP``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import torch

from stdt2v import families
from stdt2v.config.schema import AnimateConfig
from stdt2v.errors import ConfigError
from stdt2v.quantize import check_installed, nf4_kwargs, quantize_loaded, storage_bytes

logger = logging.getLogger(__name__)


def gguf_location(spec: str, key: str) -> str:
    """A local .gguf file, or ``org/repo/path/file.gguf`` on the hub as the URL ``from_single_file`` takes."""
    path = Path(spec).expanduser()
    if path.is_file():
        return str(path)
    parts = spec.split("/")
    if spec.endswith(".gguf") and len(parts) >= 3 and not spec.startswith((".", "/", "~")):
        return f"https://huggingface.co/{parts[0]}/{parts[1]}/blob/main/{'/'.join(parts[2:])}"
    raise ConfigError(f"{key}: {spec} not found (a local .gguf file, or org/repo/path/file.gguf on the hub)")


def load_kwargs(cfg: AnimateConfig, source: str, dtype: torch.dtype) -> dict[str, Any]:
    """Extra ``from_pretrained`` arguments for the pipeline: an nf4 quantisation config, or
    the transformers read from GGUF files (the folder's own configs shape them)."""
    mode = cfg.quantization.value
    check_installed(mode, "animate.quantization")
    if mode == "nf4":
        from diffusers import PipelineQuantizationConfig

        quant = PipelineQuantizationConfig(
            quant_backend="bitsandbytes_4bit", quant_kwargs=nf4_kwargs(dtype), components_to_quantize=["transformer", "transformer_2"]
        )
        return {"quantization_config": quant}
    if mode != "gguf":
        return {}
    import diffusers
    from diffusers import GGUFQuantizationConfig

    model_class = getattr(diffusers, families.for_backend(cfg.backend)[0].transformer_class)
    out = {}
    for name, key, spec in (("transformer", "animate.gguf_file", cfg.gguf_file), ("transformer_2", "animate.gguf_file_2", cfg.gguf_file_2)):
        if spec:
            out[name] = model_class.from_single_file(
                gguf_location(spec, key),
                config=source,
                subfolder=name,
                quantization_config=GGUFQuantizationConfig(compute_dtype=dtype),
                torch_dtype=dtype,
            )
            logger.info("animate: %s from %s (GGUF)", name, spec)
    return out


def quantize_transformers(transformers: list, mode: str, dtype: torch.dtype) -> dict:
    """fp8 / int8 on the loaded transformers; returns the report entry for every mode."""
    for transformer in transformers:
        quantize_loaded(transformer, mode, dtype)
    sizes = [storage_bytes(t) for t in transformers]
    logger.info("animate: quantization=%s, transformer weights %.2f GiB", mode, sum(sizes) / 2**30)
    return {"mode": mode, "transformer_bytes": sum(sizes), "per_transformer_bytes": sizes, "compute_dtype": str(dtype).removeprefix("torch.")}
