"""Tiny random-weight CLIP (``CLIPModel`` + ``CLIPProcessor``) for CLIPScore and FID_CLIP tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from stdt2v.tiny.sdxl import tiny_clip_text_config
from stdt2v.tiny.tokenizers import save_clip_tokenizer


def build_tiny_clip(folder: str | Path) -> None:
    import torch
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer, CLIPVisionConfig

    folder = Path(folder)
    torch.manual_seed(0)
    vision = CLIPVisionConfig(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4, image_size=32, patch_size=8, projection_dim=32)
    config = CLIPConfig(text_config=tiny_clip_text_config().to_dict(), vision_config=vision.to_dict(), projection_dim=32)
    CLIPModel(config).save_pretrained(folder)
    tokenizer = CLIPTokenizer.from_pretrained(save_clip_tokenizer(folder / "_clip_tokenizer"))
    CLIPProcessor(image_processor=CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}), tokenizer=tokenizer).save_pretrained(
        folder
    )
    shutil.rmtree(folder / "_clip_tokenizer", ignore_errors=True)
