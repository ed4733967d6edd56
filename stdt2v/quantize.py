"""Quantized weights for the big denoisers, through diffusers' own mechanisms, and the bytes
each mode stores (the planner and the run report share these rules).

``none``: the pipeline dtype. ``fp8``: diffusers' layerwise casting — weights stored in
float8_e4m3fn, cast up to the compute dtype layer by layer as each runs (any device, no fp8
kernel needed). ``int8``: torchao int8 weight-only (``quantize_``; per-row scales).
``nf4``: bitsandbytes 4-bit NF4 (``BitsAndBytesConfig`` at load; CUDA only). ``gguf``: a
single-file GGUF transformer (``from_single_file`` + ``GGUFQuantizationConfig``), as the
community publishes Wan files; its weights stay packed and are dequantised per layer.

Which layers: every ``nn.Linear`` (fp8 also casts convolutions and embeddings), except the
patch embedding, rotary tables and LoRA layers, which stay in the compute dtype (fp8, int8;
fp8 also keeps the modules a model pins to float32, e.g. Wan's time embedder);
nf4 replaces the Linear layers (bitsandbytes' rule); gguf keeps what the file quantised
(Linear weights whose rows fill whole blocks), except modules the model pins to float32.
"""

from __future__ import annotations

import importlib.util
import re

import torch
from torch import nn

from stdt2v.errors import ConfigError

MODES = ("none", "fp8", "int8", "nf4", "gguf")
# Kept in the compute dtype under fp8 and int8 (regex on module names): the input embeddings
# and rotary tables, and LoRA layers (a LoRA in fp8 would compute in fp8; peft adds them
# unhooked). Norm layers are no Linear/conv: they stay anyway, while the modulation Linear
# inside FLUX's AdaLayerNorms is cast, as in the community's fp8 FLUX files (diffusers' default
# list skips every module named "norm": 3.2 B of FLUX's 11.9 B parameters would stay in bf16).
# The UNet's conv_in stays too: it holds the first parameter, whose dtype callers read as the model's.
FP8_SKIP = ("patch_embedding", "patch_embed", "pos_embed", "conv_in", "rope", "lora_")
# Packages each mode needs, and what to install.
NEEDS = {"int8": ("torchao", "pip install torchao"), "nf4": ("bitsandbytes", "pip install bitsandbytes"), "gguf": ("gguf", "pip install gguf")}
# GGUF quant types the planner knows by name: (weights per block, bytes per block) (ggml's layouts).
GGUF_TYPES = {
    "F16": (1, 2),
    "BF16": (1, 2),
    "Q8_0": (32, 34),
    "Q6_K": (256, 210),
    "Q5_K": (256, 176),
    "Q5_K_M": (256, 176),
    "Q5_K_S": (256, 176),
    "Q5_0": (32, 22),
    "Q5_1": (32, 24),
    "Q4_K": (256, 144),
    "Q4_K_M": (256, 144),
    "Q4_K_S": (256, 144),
    "Q4_0": (32, 18),
    "Q4_1": (32, 20),
    "Q3_K": (256, 110),
    "Q3_K_M": (256, 110),
    "Q3_K_S": (256, 110),
    "Q2_K": (256, 84),
}
_GGUF_NAME = re.compile(r"(?:^|[-_.])(" + "|".join(sorted(GGUF_TYPES, key=len, reverse=True)) + r")(?:[-_.]|$)", re.IGNORECASE)
# The layer types diffusers' layerwise casting hooks.
FP8_LAYERS = (nn.Linear, nn.Embedding, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)
NF4_BLOCK = 64  # bitsandbytes' 4-bit block: one absmax per 64 weights (uint8 with double quantisation)


def check_installed(mode: str, key: str) -> None:
    """One line when the package ``mode`` needs is missing."""
    if mode in NEEDS and importlib.util.find_spec(NEEDS[mode][0]) is None:
        raise ConfigError(f"{key}={mode} needs the {NEEDS[mode][0]} package: {NEEDS[mode][1]} (or use quantization=fp8, which needs nothing)")


def gguf_type(path: str) -> str:
    """The quant type of a GGUF file, from its name (``...-Q8_0.gguf``), as the community names them."""
    found = _GGUF_NAME.search(path.rsplit("/", 1)[-1].removesuffix(".gguf"))
    if found is None:
        raise ConfigError(f"animate.gguf_file: cannot tell the quant type of '{path}' from its name; name it like the published files (…-Q8_0.gguf)")
    return found.group(1).upper()


def storage_bytes(module: nn.Module) -> int:
    """Bytes the module's parameters occupy, looking inside quantised tensor subclasses
    (torchao keeps int8 data, scales and zero points inside one wrapper tensor)."""
    return sum(_tensor_bytes(p) for p in module.parameters())


def _tensor_bytes(tensor: torch.Tensor) -> int:
    if type(tensor) not in (torch.Tensor, nn.Parameter) and hasattr(tensor, "__tensor_flatten__"):
        names, _ = tensor.__tensor_flatten__()
        return sum(_tensor_bytes(getattr(tensor, name)) for name in names if getattr(tensor, name) is not None)
    return tensor.numel() * tensor.element_size()


def _skipped(name: str, keep_fp32: tuple[str, ...] = ()) -> bool:
    return any(re.search(pattern, name) for pattern in FP8_SKIP + keep_fp32)


def int8_filter(module: nn.Module, name: str) -> bool:
    """The Linear layers torchao quantises (LoRA layers and norms stay)."""
    return isinstance(module, nn.Linear) and not _skipped(name)


def quantize_loaded(model: nn.Module, mode: str, compute_dtype: torch.dtype) -> None:
    """Quantise a loaded model in place (fp8, int8); nf4 and gguf happen while loading."""
    if mode == "fp8":
        from diffusers.hooks import apply_layerwise_casting

        # The hook function, not ModelMixin.enable_layerwise_casting: that one always adds the
        # model's own skip list, which keeps Wan's whole condition embedder in the compute dtype.
        # Modules the model pins to float32 stay too (Wan casts the timestep to its time embedder's dtype).
        skip = FP8_SKIP + tuple(getattr(model, "_keep_in_fp32_modules", None) or ())
        apply_layerwise_casting(model, storage_dtype=torch.float8_e4m3fn, compute_dtype=compute_dtype, skip_modules_pattern=skip)
    elif mode == "int8":
        from torchao.quantization import Int8WeightOnlyConfig, quantize_

        quantize_(model, Int8WeightOnlyConfig(), filter_fn=int8_filter)


def restore_storage(model: nn.Module) -> None:
    """After adapters were loaded into an fp8 model: hooked layers back into fp8 (diffusers'
    IP-Adapter loading ends with ``unet.to(dtype)``), and layers the loaders added in the
    model's reported dtype, fp8, without a hook (projections, LoRA layers) into the compute
    dtype, where they can run."""
    hooked, compute = [], None
    for module in model.modules():
        registry = getattr(module, "_diffusers_hook", None)
        hook = registry.get_hook("layerwise_casting") if registry is not None else None
        if hook is not None:
            hooked.append((module, hook.storage_dtype))
            compute = hook.compute_dtype
    if compute is None:
        return  # not cast to fp8
    ids = {id(m) for m, _ in hooked}
    for module in model.modules():
        if id(module) not in ids:
            for p in module.parameters(recurse=False):
                if p.dtype == torch.float8_e4m3fn:
                    p.data = p.data.to(compute)
    for module, storage in hooked:
        module.to(dtype=storage)


def nf4_kwargs(compute_dtype: torch.dtype) -> dict:
    """bitsandbytes NF4 with double quantisation (the QLoRA recipe), as diffusers' ``BitsAndBytesConfig`` takes it."""
    return dict(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=compute_dtype)


def planned_bytes(model: nn.Module, mode: str, dtype_bytes: int, keep_fp32: tuple[str, ...] = (), gguf_quant: str | None = None) -> int:
    """The bytes ``model`` (built on the meta device, unquantised) would store under ``mode``;
    equal to ``storage_bytes`` of the loaded model for fp8, int8 and gguf (tests pin it)."""
    return sum(planned_param_bytes(model, mode, dtype_bytes, keep_fp32, gguf_quant).values())


def planned_param_bytes(model: nn.Module, mode: str, dtype_bytes: int, keep_fp32: tuple[str, ...] = (), gguf_quant: str | None = None) -> dict[str, int]:
    """Parameter name → bytes under ``mode`` (modules in ``keep_fp32`` load in float32)."""
    out, seen = {}, set()
    for name, module in model.named_modules():
        for pname, p in module.named_parameters(recurse=False):
            if id(p) in seen:  # a tied weight (T5's shared embedding) is stored once
                continue
            seen.add(id(p))
            full = f"{name}.{pname}" if name else pname
            plain = p.numel() * (4 if any(k in full for k in keep_fp32) else dtype_bytes)
            out[full] = _param_bytes(module, name, pname, p, mode, plain, keep_fp32, gguf_quant)
    return out


def _param_bytes(module, name: str, pname: str, p, mode: str, plain: int, keep_fp32: tuple[str, ...], gguf_quant: str | None) -> int:
    linear = isinstance(module, nn.Linear)
    if mode == "fp8":
        castable = isinstance(module, FP8_LAYERS)
        return p.numel() if castable and not _skipped(name, keep_fp32) else plain
    if not linear or pname != "weight":
        return plain
    out_features = p.shape[0]
    if mode == "int8" and not _skipped(name):
        return p.numel() + out_features * (plain // p.numel() + 1)  # int8 weights; a scale (weight dtype) and int8 zero point per row
    if mode == "nf4":
        return p.numel() // 2 + p.numel() // NF4_BLOCK  # packed 4-bit pairs, one uint8 absmax per block (double quantisation)
    if mode == "gguf" and gguf_quant:
        per_block, block_bytes = GGUF_TYPES[gguf_quant]
        if p.shape[-1] % per_block == 0 and not any(k in name for k in keep_fp32):
            return p.numel() // per_block * block_bytes
    return plain
