"""Timing on CPU or CUDA: warm-up, then the median of repeats (CUDA events on a GPU)."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import torch


def median_ms(fn: Callable[[], object], device: torch.device, warmup: int = 2, repeat: int = 5) -> float:
    """Median wall milliseconds of ``fn()`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        if device.type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
        else:
            began = time.perf_counter()
            fn()
            times.append((time.perf_counter() - began) * 1e3)
    return statistics.median(times)


def matmul_tflops(device: torch.device, dtype: torch.dtype, n: int | None = None) -> float:
    """Achieved TFLOP/s of a dense n×n×n matrix product on random data: the device's ceiling for
    the same dtype, measured in the same run."""
    n = n or (8192 if device.type == "cuda" else 2048)
    generator = torch.Generator(device="cpu").manual_seed(0)
    a = torch.randn(n, n, generator=generator).to(device, dtype)
    b = torch.randn(n, n, generator=generator).to(device, dtype)
    ms = median_ms(lambda: torch.mm(a, b), device, warmup=3, repeat=10)
    return 2 * n**3 / (ms * 1e-3) / 1e12


def check_device(parser: argparse.ArgumentParser, device: str, hint: str = "use --device cpu") -> None:
    """A benchmark asked for CUDA on a machine without it: one line through argparse (exit 2)."""
    import torch

    if device.startswith("cuda") and not torch.cuda.is_available():
        parser.error(f"--device {device}: no CUDA device on this machine; {hint}")
