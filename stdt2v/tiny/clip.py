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


def build_tiny_aesthetic_clip(folder: str | Path) -> None:
    """Tiny ``CLIPVisionModelWithProjection`` + ``CLIPProcessor`` (the aesthetic predictor's
    CLIP) and ``aesthetic-mlp.safetensors``: the predictor's MLP layout (``layers.{0,2,4,6,7}``)
    at small sizes, 32→16→8→8→4→1."""
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPImageProcessor, CLIPProcessor, CLIPTokenizer, CLIPVisionConfig, CLIPVisionModelWithProjection

    folder = Path(folder)
    torch.manual_seed(0)
    vision = CLIPVisionConfig(hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4, image_size=32, patch_size=8, projection_dim=32)
    CLIPVisionModelWithProjection(vision).save_pretrained(folder)
    tokenizer = CLIPTokenizer.from_pretrained(save_clip_tokenizer(folder / "_clip_tokenizer"))
    CLIPProcessor(image_processor=CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}), tokenizer=tokenizer).save_pretrained(
        folder
    )
    shutil.rmtree(folder / "_clip_tokenizer", ignore_errors=True)
    sizes = [32, 16, 8, 8, 4, 1]
    state = {}
    for index, (n_in, n_out) in zip((0, 2, 4, 6, 7), zip(sizes[:-1], sizes[1:])):
        layer = torch.nn.Linear(n_in, n_out)
        state[f"layers.{index}.weight"], state[f"layers.{index}.bias"] = layer.weight.detach().contiguous(), layer.bias.detach().contiguous()
    state["layers.7.bias"] = state["layers.7.bias"] + 5.0  # scores near the board's 4..7 range
    save_file(state, str(folder / "aesthetic-mlp.safetensors"))
