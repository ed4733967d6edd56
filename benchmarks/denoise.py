"""One denoising step of the real-size denoisers, built from their published architecture
configs (``stdt2v/models/architectures/*.json``, shipped in the package) with random weights: ms/step, peak memory, FLOPs, TFLOP/s.

On a GPU: bf16 at the presets' resolution and frame count. ``small`` (any device, float32):
the same layer widths with fewer blocks and a small resolution, so that a CPU runs it; the
per-block matrix shapes are the real ones, the token count is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch

from benchmarks.flops import counted_flops
from benchmarks.timing import matmul_tflops, median_ms
from stdt2v import families
from stdt2v.families import StepFlops, VideoFamily

# Shipped inside the package (the planner reads them too).
CONFIGS = Path(families.__file__).resolve().parents[1] / "models" / "architectures"


@dataclass(frozen=True)
class Bench:
    config: str
    family: str  # its stdt2v.families name: strides, patch, token and FLOP formulas
    height: int
    width: int
    frames: int = 1
    small: dict | None = None  # config overrides + size for --small

    @property
    def spec(self) -> families.Family:
        return families.family(self.family)


BENCHES = {
    "wan22_ti2v_5b": Bench("wan22_ti2v_5b_transformer.json", "wan2.2-ti2v-5b", 704, 1280, 121, {"num_layers": 2, "height": 256, "width": 448, "frames": 9}),
    "wan22_i2v_a14b": Bench("wan22_i2v_a14b_transformer.json", "wan2.2-i2v-a14b", 720, 1280, 81, {"num_layers": 2, "height": 240, "width": 416, "frames": 9}),
    "sdxl_unet": Bench("sdxl_unet.json", "sdxl", 1024, 1024, small={"height": 256, "width": 256}),
    "flux1_dev": Bench("flux1_dev_transformer.json", "flux", 1024, 1024, small={"num_layers": 1, "num_single_layers": 2, "height": 256, "width": 256}),
}


def model_config(bench: Bench, small: bool) -> dict:
    """The denoiser's published config; ``small``: with the bench's overrides (fewer blocks)."""
    config = {k: v for k, v in json.loads((CONFIGS / bench.config).read_text()).items() if not k.startswith("_comment")}
    if small:
        config.update({k: v for k, v in bench.small.items() if k not in ("height", "width", "frames")})
    return config


def build_model(name: str, config: dict, device: torch.device, dtype: torch.dtype) -> torch.nn.Module:
    """The denoiser ``config`` names, random weights (seed 0), built on ``device`` in ``dtype``."""
    import diffusers

    cls = getattr(diffusers, config["_class_name"])
    torch.manual_seed(0)
    with torch.device(device):
        model = cls.from_config({k: v for k, v in config.items() if k != "_class_name"})
    # As from_pretrained(torch_dtype=...) does: the modules the model keeps in float32 stay so.
    keep = set(getattr(model, "_keep_in_fp32_modules", None) or ())
    for name, tensor in [*model.named_parameters(), *model.named_buffers()]:
        if tensor.is_floating_point() and not keep.intersection(name.split(".")):
            tensor.data = tensor.data.to(dtype)
    return model.eval().requires_grad_(False)


def make_inputs(
    name: str, bench: Bench, config: dict, size: tuple[int, int, int], batch: int, device: torch.device, dtype: torch.dtype
) -> tuple[dict, StepFlops | None]:
    """Keyword inputs for one forward at ``batch`` and the family's analytic FLOPs (None: it has no formula, the UNet)."""
    frames, height, width = size
    g = torch.Generator().manual_seed(1)

    def randn(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g).to(device, dtype)

    family, text = bench.spec, 512
    analytic = family.step_flops(config, height, width, frames, text, batch)
    if isinstance(family, VideoFamily):
        stride = family.vae_stride
        latent = (batch, config["in_channels"], (frames - 1) // family.temporal_factor + 1, height // stride, width // stride)
        inputs = {
            "hidden_states": randn(*latent),
            "timestep": torch.full((batch,), 500.0, device=device),
            "encoder_hidden_states": randn(batch, text, config["text_dim"]),
            "return_dict": False,
        }
        return inputs, analytic
    if family.transformer_class == "FluxTransformer2DModel":
        tokens, columns = family.tokens(height, width), width // family.size_multiple
        ids = torch.zeros(tokens, 3, device=device)
        ids[:, 1] = torch.arange(tokens, device=device) // columns
        ids[:, 2] = torch.arange(tokens, device=device) % columns
        inputs = {
            "hidden_states": randn(batch, tokens, config["in_channels"]),
            "encoder_hidden_states": randn(batch, text, config["joint_attention_dim"]),
            "pooled_projections": randn(batch, config["pooled_projection_dim"]),
            "timestep": torch.full((batch,), 0.5, device=device),
            "img_ids": ids,
            "txt_ids": torch.zeros(text, 3, device=device),
            "guidance": torch.full((batch,), 3.5, device=device),
            "return_dict": False,
        }
        return inputs, analytic
    inputs = {
        "sample": randn(batch, 4, height // family.vae_stride, width // family.vae_stride),
        "timestep": torch.full((batch,), 500.0, device=device),
        "encoder_hidden_states": randn(batch, 77, config["cross_attention_dim"]),
        "added_cond_kwargs": {"text_embeds": randn(batch, 1280), "time_ids": randn(batch, 6)},
        "return_dict": False,
    }
    return inputs, analytic


def bench_denoise(name: str, device: torch.device, small: bool, warmup: int = 2, repeat: int = 5, cfg_batch: bool = True) -> dict:
    """ms per denoising step, peak memory and FLOPs of bench ``name`` (batch 1, and 2 with ``cfg_batch``)."""
    bench = BENCHES[name]
    dtype = torch.bfloat16 if device.type == "cuda" and not small else torch.float32
    config = model_config(bench, small)
    size = (bench.small.get("frames", 1), bench.small["height"], bench.small["width"]) if small else (bench.frames, bench.height, bench.width)
    model = build_model(name, config, device, dtype)
    ceiling = matmul_tflops(device, dtype)
    rows = []
    for batch in (1, 2) if cfg_batch else (1,):
        inputs, analytic = make_inputs(name, bench, config, size, batch, device, dtype)
        if device.type == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        with torch.inference_mode():
            ms = median_ms(lambda: model(**inputs), device, warmup, repeat)
            counted = counted_flops(model, **inputs) if analytic is None else None
        flops = analytic.total if analytic is not None else counted
        rows.append(
            {
                "batch": batch,
                "ms_per_step": ms,
                "flops_per_step": flops,
                "flops_linear": analytic.linear if analytic else None,
                "flops_attention": analytic.attention if analytic else None,
                "flops_source": "analytic" if analytic else "torch FlopCounterMode",
                "formula": analytic.formula if analytic else [],
                "achieved_tflops": flops / (ms * 1e-3) / 1e12,
                "peak_memory_gb": torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else None,
            }
        )
    for row in rows:
        row["ratio_to_matmul"] = row["achieved_tflops"] / ceiling
    plain = rows[-1]  # the CFG batch when measured: what a guided step costs
    return {
        "model": name,
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
        "dtype": str(dtype).removeprefix("torch."),
        "small": small,
        "frames": size[0],
        "height": size[1],
        "width": size[2],
        "num_layers": config.get("num_layers"),
        "params": sum(p.numel() for p in model.parameters()),
        "matmul_tflops": ceiling,
        "rows": rows,
        "ms_per_step": plain["ms_per_step"],
        "flops_per_step": plain["flops_per_step"],
        "achieved_tflops": plain["achieved_tflops"],
    }
