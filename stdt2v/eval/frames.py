"""Which frames a metric reads."""

from __future__ import annotations

import numpy as np


def sample_indices(n_total: int, n: int) -> list[int]:
    """``n`` evenly spaced frame indices, first and last included, rounded down — the sampling
    of ConsisID's evaluation (``np.linspace(0, total - 1, n, dtype=int)``)."""
    if n_total <= n:
        return list(range(n_total))
    return np.linspace(0, n_total - 1, n, dtype=int).tolist()


def sample_frames(frames: np.ndarray, n: int) -> tuple[list[int], np.ndarray]:
    indices = sample_indices(len(frames), n)
    return indices, frames[indices]
