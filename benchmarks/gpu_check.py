"""One GPU check for the day a GPU is lent: the video transformers at real size with random
weights (no model hub needed), for each quantization × attention backend × compilation that
is installed, at 480p and 720p: seconds per forward pass and per guided step, peak memory,
and the planner's estimate beside each measured peak.

Only the transformer runs (the text encoder and VAE are the same in every row); Wan2.2 A14B
is measured on one expert (the other has the same shape and runs on the other steps). A
guided step is two forward passes (conditional and unconditional, one after the other, as
diffusers' Wan pipelines run them). Every row is tried on its own: a missing package, a GPU
without a kernel, or an out-of-memory error marks that row and the check goes on. Rows run
in order of importance until the time budget is spent; the rest are listed as skipped.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass

import torch

from benchmarks.denoise import BENCHES, build_model, make_inputs, model_config
from stdt2v.families import Family
from stdt2v.plan import GB, measure_all

MODELS = {"ti2v_5b": "wan22_ti2v_5b", "a14b": "wan22_i2v_a14b"}  # → benchmarks.denoise.BENCHES
# (height, width) per resolution and model: TI2V-5B's grid is 32 px, A14B's 16 px.
SIZES = {"480p": {"ti2v_5b": (480, 832), "a14b": (480, 832)}, "720p": {"ti2v_5b": (704, 1280), "a14b": (720, 1280)}}
SMALL_SIZE = (64, 96, 5)  # --small: height, width, frames
QUANTIZATIONS = ("bf16", "fp8", "int8", "nf4")
ATTENTION = ("native", "flash", "sage")
PACKAGES = {"int8": "torchao", "nf4": "bitsandbytes", "flash": "flash_attn", "sage": "sageattention"}


@dataclass(frozen=True)
class Row:
    model: str
    size: str
    quantization: str = "bf16"
    attention: str = "native"
    compiled: bool = False


def default_rows(models: tuple[str, ...] = tuple(MODELS), sizes: tuple[str, ...] = tuple(SIZES)) -> list[Row]:
    """In order of importance: every model at 480p, then 720p; per size the bf16 baseline, the
    quantizations, the attention kernels, regional compilation."""
    rows = []
    for size in sizes:
        for model in models:
            rows += [Row(model, size, q) for q in QUANTIZATIONS]
            rows += [Row(model, size, "bf16", a) for a in ATTENTION[1:]]
            rows.append(Row(model, size, "bf16", "native", True))
    return rows


def missing(row: Row, device: torch.device) -> str | None:
    """Why ``row`` cannot run here (None: it can)."""
    for option in (row.quantization, row.attention):
        package = PACKAGES.get(option)
        if package and importlib.util.find_spec(package) is None:
            return f"{package} not installed"
    if device.type != "cuda" and (row.quantization == "nf4" or row.attention != "native"):
        return "needs CUDA"
    return None


def quantize(model: torch.nn.Module, quantization: str, dtype: torch.dtype) -> None:
    """fp8 and int8 as ``animate.quantization`` does them; nf4 with bitsandbytes' own Linear4bit
    (the pipeline loads nf4 through diffusers' BitsAndBytesConfig; random weights have no file)."""
    from stdt2v.quantize import quantize_loaded

    if quantization in ("fp8", "int8"):
        quantize_loaded(model, quantization, dtype)
    elif quantization == "nf4":
        import bitsandbytes as bnb

        for parent in list(model.modules()):
            for name, child in list(parent.named_children()):
                if isinstance(child, torch.nn.Linear):
                    layer = bnb.nn.Linear4bit(child.in_features, child.out_features, bias=child.bias is not None, compute_dtype=dtype, quant_type="nf4")
                    layer.weight = bnb.nn.Params4bit(child.weight.data.cpu(), requires_grad=False, quant_type="nf4")
                    if child.bias is not None:
                        layer.bias = torch.nn.Parameter(child.bias.data, requires_grad=False)
                    setattr(parent, name, layer.to(child.weight.device))
        torch.cuda.empty_cache()


def planned_peak(family: Family, config: dict, quantization: str, size: tuple[int, int, int], dtype_bytes: int) -> int:
    """The planner's estimate for this transformer alone: its weights under ``quantization`` plus
    the activation term (its family's formula) and the per-layer dequantisation copy."""
    mode = "none" if quantization == "bf16" else quantization
    component = measure_all("animate.transformer", config, dtype_bytes, (mode,))[mode]
    activation, _ = family.activation_bytes(config, size[0], size[1], size[2], dtype_bytes)
    return component.bytes + activation + component.dequant_bytes


def measure(model: torch.nn.Module, inputs: dict, device: torch.device, repeat: int) -> tuple[float, float]:
    """(seconds of the first call, median seconds per forward of ``repeat`` more)."""

    def call() -> float:
        if device.type == "cuda":
            torch.cuda.synchronize()
        began = time.perf_counter()
        with torch.inference_mode():
            model(**inputs)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - began

    first = call()
    times = sorted(call() for _ in range(repeat))
    return first, times[len(times) // 2]


def run_row(row: Row, model: torch.nn.Module, config: dict, device: torch.device, dtype: torch.dtype, small: bool, repeat: int) -> dict:
    bench = BENCHES[MODELS[row.model]]
    height, width = SIZES[row.size][row.model] if not small else SMALL_SIZE[:2]
    frames = bench.frames if not small else SMALL_SIZE[2]
    inputs, _ = make_inputs(MODELS[row.model], bench, config, (frames, height, width), 1, device, dtype)
    if row.attention != "native":
        model.set_attention_backend(row.attention)
    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    try:
        first, forward = measure(model, inputs, device, repeat)
    finally:
        if row.attention != "native":
            model.reset_attention_backend()
    peak = torch.cuda.max_memory_allocated() / GB if device.type == "cuda" else None
    plan = planned_peak(bench.spec, config, row.quantization, (height, width, frames), 2 if dtype == torch.bfloat16 else 4) / GB
    return {
        "status": "ok",
        "height": height,
        "width": width,
        "frames": frames,
        "first_call_s": first,
        "s_per_forward": forward,
        "s_per_step_cfg": 2 * forward,
        "peak_gib": peak,
        "plan_gib": plan,
    }


def run_check(rows: list[Row], device: torch.device, small: bool = False, budget_s: float = 360.0, repeat: int = 2) -> dict:
    """Measure ``rows`` (grouped so each model is built once per quantization) within ``budget_s``."""
    dtype = torch.bfloat16 if device.type == "cuda" and not small else torch.float32
    started = time.perf_counter()
    results: dict[Row, dict] = {}
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        reason = missing(row, device)
        if reason:
            results[row] = {"status": "skipped", "reason": reason}
        else:
            groups.setdefault((row.model, row.quantization), []).append(row)
    for (name, quantization), group in groups.items():
        spent = lambda: time.perf_counter() - started > budget_s  # noqa: E731
        if spent():
            results |= {r: {"status": "skipped", "reason": "time budget spent"} for r in group}
            continue
        config = model_config(BENCHES[MODELS[name]], small)
        model = None
        try:
            model = build_model(MODELS[name], config, device, dtype)
            quantize(model, quantization, dtype)
            for row in sorted(group, key=lambda r: r.compiled):  # compiled last: compiling changes the model for good
                if spent():
                    results[row] = {"status": "skipped", "reason": "time budget spent"}
                    continue
                try:
                    if row.compiled:
                        model.compile_repeated_blocks(fullgraph=True)
                    results[row] = run_row(row, model, config, device, dtype, small, repeat)
                except Exception as err:  # one row's failure (out of memory, a kernel's constraint) is that row's result
                    results[row] = failed(err)
        except Exception as err:  # building or quantising failed: every row of the group says so
            results |= {r: failed(err) for r in group if r not in results}
        finally:
            del model
            if device.type == "cuda":
                torch.cuda.empty_cache()
    return {
        "device": describe(device),
        "dtype": str(dtype).removeprefix("torch."),
        "small": small,
        "budget_s": budget_s,
        "elapsed_s": time.perf_counter() - started,
        "rows": [{**vars(row), **results[row]} for row in rows],
    }


def failed(err: Exception) -> dict:
    text = str(err).strip()
    return {"status": "error", "reason": f"{type(err).__name__}: {text.splitlines()[0][:200] if text else ''}"}


def describe(device: torch.device) -> dict:
    """The device and the versions that decide the numbers."""
    import diffusers

    info = {"device": str(device), "torch": torch.__version__, "diffusers": diffusers.__version__, "cuda": torch.version.cuda}
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        info |= {"name": props.name, "memory_gib": props.total_memory / GB, "capability": f"{props.major}.{props.minor}"}
    for package in ("torchao", "bitsandbytes", "flash_attn", "sageattention", "gguf"):
        spec = importlib.util.find_spec(package)
        info[package] = None if spec is None else _version(package)
    return info


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    names = {"flash_attn": "flash-attn"}
    try:
        return version(names.get(package, package))
    except PackageNotFoundError:
        return "installed"
