"""The keyframe interface: a spatial prompt → the first frame of the video."""

from __future__ import annotations

from abc import ABC, abstractmethod

from PIL import Image


class KeyframeGenerator(ABC):
    name: str
    # Height and width must be multiples of this (the VAE's downsampling).
    size_multiple: int

    @abstractmethod
    def generate(self, prompt: str, *, height: int, width: int, seed: int) -> Image.Image: ...

    @abstractmethod
    def count_prompt_tokens(self, prompt: str) -> int:
        """Tokens ``prompt`` takes in the text encoder (special tokens included)."""
