"""The animation interface, and the size and frame-count rules video models share."""

from __future__ import annotations

import logging
import math
from abc import ABC, abstractmethod

import numpy as np
from PIL import Image

from stdt2v.errors import ConfigError

logger = logging.getLogger(__name__)


class Animator(ABC):
    name: str
    fps: int
    max_prompt_tokens: int = 512  # the text encoder's sequence (Wan, CogVideoX: T5/UMT5)

    @abstractmethod
    def video_size(self, aspect: float | None = None) -> tuple[int, int]:
        """(height, width) this animator will produce; ``aspect`` = width / height of the keyframe."""

    @abstractmethod
    def animate(self, image: Image.Image, prompt: str, *, seed: int) -> np.ndarray:
        """uint8 frames [F, H, W, 3] at ``video_size(image aspect)``."""

    @abstractmethod
    def count_prompt_tokens(self, prompt: str) -> int:
        """Tokens ``prompt`` takes in the text encoder (special tokens included)."""


def check_num_frames(num_frames: int, temporal_factor: int, key: str = "animate.num_frames") -> None:
    """Video VAEs compress time by ``temporal_factor`` after the first frame: n = k·factor + 1."""
    if num_frames >= 1 and (num_frames - 1) % temporal_factor == 0:
        return
    below = max(1, (num_frames - 1) // temporal_factor * temporal_factor + 1)
    above = below + temporal_factor
    raise ConfigError(
        f"{key}={num_frames} is invalid: the frame count must be {temporal_factor}n+1 "
        f"(e.g. {below} or {above}; 81 and 121 are the usual Wan lengths)"
    )


def snap_size(height: int, width: int, multiple: int, aspect: float | None = None) -> tuple[int, int]:
    """Nearest (height, width) in multiples of ``multiple`` with about the same pixel count,
    keeping ``aspect`` (width / height) when given, else the requested one."""
    aspect = aspect or width / height
    area = height * width
    h = math.sqrt(area / aspect)
    snapped_h = max(multiple, int(round(h / multiple)) * multiple)
    snapped_w = max(multiple, int(round(h * aspect / multiple)) * multiple)
    return snapped_h, snapped_w


def log_size_change(requested: tuple[int, int], snapped: tuple[int, int], multiple: int, why: str) -> None:
    if requested != snapped:
        logger.warning(
            "animate: video size %dx%d (WxH) changed to %dx%d: %s, sides must be multiples of %d",
            requested[1], requested[0], snapped[1], snapped[0], why, multiple,
        )
