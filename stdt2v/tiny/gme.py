"""Tiny random-weight Qwen2-VL (``Qwen2VLForConditionalGeneration``) in GME's layout, for GmeScore's tests.

A folder as gme-Qwen2-VL ships one: the model, a Qwen2 tokenizer with Qwen2-VL's vision special
tokens, and Qwen2-VL's image processor. No processor file: Qwen2-VL's processor needs torchvision
for its video part (``stdt2v.eval.gme`` does the image part itself). Its embeddings are noise.
"""

from __future__ import annotations

from pathlib import Path

from stdt2v.tiny.tokenizers import qwen_text_config_kwargs, save_qwen_tokenizer

VISION_TOKENS = ["<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>"]


def build_tiny_gme_qwen2vl(folder: str | Path) -> None:
    import torch
    from transformers import AutoTokenizer, Qwen2VLConfig, Qwen2VLForConditionalGeneration, Qwen2VLImageProcessorPil

    folder = Path(folder)
    tokenizer = AutoTokenizer.from_pretrained(save_qwen_tokenizer(folder))
    tokenizer.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>", *VISION_TOKENS]})
    tokenizer.save_pretrained(folder)
    Qwen2VLImageProcessorPil(min_pixels=4 * 28 * 28, max_pixels=16 * 28 * 28).save_pretrained(folder)
    ids = {name: tokenizer.convert_tokens_to_ids(f"<|{name}|>") for name in ("image_pad", "video_pad", "vision_start", "vision_end")}
    text = qwen_text_config_kwargs(tokenizer)
    text["rope_scaling"] = {"type": "mrope", "mrope_section": [1, 1, 2]}  # head_dim 8: 4 rotary pairs over (t, h, w)
    vision = dict(depth=2, embed_dim=32, hidden_size=32, num_heads=4, mlp_ratio=2, patch_size=14, spatial_merge_size=2, temporal_patch_size=2)
    torch.manual_seed(0)
    config = Qwen2VLConfig(
        text_config=text,
        vision_config=vision,
        image_token_id=ids["image_pad"],
        video_token_id=ids["video_pad"],
        vision_start_token_id=ids["vision_start"],
        vision_end_token_id=ids["vision_end"],
    )
    Qwen2VLForConditionalGeneration(config).save_pretrained(folder)
