"""GmeScore: text–frame similarity through GME (``Alibaba-NLP/gme-Qwen2-VL-7B-Instruct``, Apache-2.0),
as OpenS2V-Eval's ``get_gmescore.py`` runs it.

GME (its model card's ``gme_inference.py``) embeds through Qwen2-VL's language model: the last
token's hidden state of a ChatML conversation ending in ``<|endoftext|>``, left-padded, L2-
normalised. A text query carries its instruction as the system turn ("Find an image that matches
the given text."); an image of the corpus (``is_query=False``) carries the default one ("You are
a helpful assistant."). Images are first resized with qwen-vl-utils' ``smart_resize`` (sides
multiples of 28), then processed with at least 256 and at most 1280 image tokens. The score is
the mean over 32 frames of (prompt embedding · frame embedding).

Qwen2-VL's processor needs torchvision for its video part; the image part is what it does for
images, done here: the image processor's patches, and each ``<|image_pad|>`` expanded to one
token per merged patch.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import torch

from stdt2v.loading import load_pretrained

QUERY_INSTRUCTION = "Find an image that matches the given text."
DEFAULT_INSTRUCTION = "You are a helpful assistant."
IMAGE_PART = "<|vision_start|><|image_pad|><|vision_end|>"
FACTOR, MIN_PIXELS, MAX_PIXELS = 28, 4 * 28 * 28, 16384 * 28 * 28  # fetch_image's smart_resize
MIN_IMAGE_TOKENS, MAX_IMAGE_TOKENS, MAX_LENGTH = 256, 1280, 1800  # GmeQwen2VL's defaults
BATCH_SIZE = 32


def conversation(text: str, instruction: str) -> str:
    return f"<|im_start|>system\n{instruction}<|im_end|>\n<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n<|endoftext|>"


def smart_resize(height: int, width: int, factor: int = FACTOR, min_pixels: int = MIN_PIXELS, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """qwen-vl-utils' rule: both sides multiples of ``factor``, the area within [min, max], the
    aspect kept as nearly as that allows."""
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h, w = math.floor(height / beta / factor) * factor, math.floor(width / beta / factor) * factor
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h, w = math.ceil(height * beta / factor) * factor, math.ceil(width * beta / factor) * factor
    return h, w


class GmeScorer:
    def __init__(self, source: str, device: str = "cpu", allow_pickle: bool = False, dtype: torch.dtype = torch.float32):
        from transformers import AutoTokenizer, Qwen2VLForConditionalGeneration, Qwen2VLImageProcessorPil

        key = "eval.gme_model"
        self.model = load_pretrained(Qwen2VLForConditionalGeneration.from_pretrained, source, key, allow_pickle=allow_pickle, dtype=dtype).to(device).eval()
        self.tokenizer = load_pretrained(AutoTokenizer.from_pretrained, source, key, weights=False)
        self.tokenizer.padding_side = "left"
        self.images = load_pretrained(
            Qwen2VLImageProcessorPil.from_pretrained, source, key, weights=False, min_pixels=MIN_IMAGE_TOKENS * 28 * 28, max_pixels=MAX_IMAGE_TOKENS * 28 * 28
        )
        self.merge = self.images.merge_size**2
        self.device = device

    @torch.no_grad()
    def _embed(self, texts: list[str], images=None) -> torch.Tensor:
        extra = {}
        if images is not None:
            pixels = self.images(images=images, return_tensors="pt")
            grids = pixels["image_grid_thw"]
            # One <|image_pad|> per merged patch, as Qwen2-VL's processor expands it (one image per text).
            texts = [t.replace("<|image_pad|>", "<|image_pad|>" * int(g.prod() // self.merge)) for t, g in zip(texts, grids)]
            extra = {"pixel_values": pixels["pixel_values"].to(self.device, self.model.dtype), "image_grid_thw": grids.to(self.device)}
        encoded = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_LENGTH, return_tensors="pt").to(self.device)
        if images is not None:
            extra["mm_token_type_ids"] = (encoded.input_ids == self.model.config.image_token_id).long()
        hidden = self.model.model(input_ids=encoded.input_ids, attention_mask=encoded.attention_mask, **extra).last_hidden_state
        return torch.nn.functional.normalize(hidden[:, -1].float(), p=2, dim=1)  # left padding: the last token

    def text_embeddings(self, texts: list[str], instruction: str = QUERY_INSTRUCTION) -> torch.Tensor:
        return torch.cat([self._embed([conversation(t, instruction) for t in texts[i : i + BATCH_SIZE]]) for i in range(0, len(texts), BATCH_SIZE)])

    def image_embeddings(self, frames: Sequence[np.ndarray]) -> torch.Tensor:
        from PIL import Image

        images = []
        for frame in frames:
            image = Image.fromarray(frame).convert("RGB")
            height, width = smart_resize(image.height, image.width)
            images.append(image.resize((width, height)))
        out = []
        for i in range(0, len(images), BATCH_SIZE):
            batch = images[i : i + BATCH_SIZE]
            out.append(self._embed([conversation(IMAGE_PART, DEFAULT_INSTRUCTION)] * len(batch), batch))
        return torch.cat(out)

    def __call__(self, frames: Sequence[np.ndarray], prompt: str) -> float:
        """Mean over ``frames`` of (prompt · frame), the prompt repeated per frame as the script does."""
        query = self.text_embeddings([prompt] * len(frames))
        return float((query * self.image_embeddings(frames)).sum(-1).mean())
