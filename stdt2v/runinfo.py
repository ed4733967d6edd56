"""What a run records beside its outputs: resolved config, seeds, versions, timings."""

from __future__ import annotations

import contextlib
import importlib.metadata
import platform
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import torch

PACKAGES = (
    "stdt2v",
    "torch",
    "diffusers",
    "transformers",
    "accelerate",
    "omegaconf",
    "safetensors",
    "numpy",
    "pillow",
    "dlib-bin",
    "imageio",
    "imageio-ffmpeg",
)


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


# Credentials in a URL (scheme://user:secret@host): kept out of every file a run writes.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][\w+.-]*://)[^/@\s]+@")


def redact(text: str) -> str:
    """``text`` with the user:password part of every URL replaced by ``***``."""
    return _URL_CREDENTIALS.sub(r"\g<scheme>***@", text)


def environment(seeds: dict[str, int], device: str) -> dict:
    """The content of ``env.json``."""
    import torch

    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": [redact(arg) for arg in sys.argv],
        "seeds": seeds,
        "device": device,
        "cuda": torch.version.cuda,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": git_commit(),
        "packages": package_versions(),
    }


@dataclass(frozen=True)
class StageTiming:
    """Wall seconds and peak memory of one stage (``memory_kind`` says what the peak measures)."""

    seconds: float
    peak_memory_mb: float
    memory_kind: str


@contextlib.contextmanager
def stage_timer(timings: dict[str, StageTiming], name: str, device: torch.device | str) -> Iterator[None]:
    """Record wall seconds and peak memory of one stage as ``timings[name]``."""
    import torch  # heavy: only runs that time stages pay for it

    on_cuda = getattr(device, "type", str(device)) == "cuda" and torch.cuda.is_available()
    if on_cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    try:
        yield
    finally:
        if on_cuda:
            torch.cuda.synchronize()
            peak, kind = torch.cuda.max_memory_allocated() / 2**20, "cuda_allocated"
        else:
            # ru_maxrss is the process's high-water mark (KiB on Linux): cumulative, not per stage.
            peak, kind = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "process_rss_high_water"
        timings[name] = StageTiming(seconds=round(time.perf_counter() - start, 3), peak_memory_mb=round(peak, 1), memory_kind=kind)
