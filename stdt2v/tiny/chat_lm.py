"""Tiny random-weight Qwen3 chat model (``Qwen3ForCausalLM``) for the LLM decoupler's tests.

Its answers are random bytes — never valid JSON — so it exercises generation, the retry
and the fallback; the valid-answer path is tested through the OpenAI-compatible client.
"""

from __future__ import annotations

from pathlib import Path

from stdt2v.tiny.tokenizers import qwen_text_config_kwargs, save_qwen_tokenizer


def build_tiny_qwen3_chat(folder: str | Path) -> None:
    import torch
    from transformers import AutoTokenizer, Qwen3Config, Qwen3ForCausalLM

    folder = Path(folder)
    tokenizer = AutoTokenizer.from_pretrained(save_qwen_tokenizer(folder))
    torch.manual_seed(0)
    config = Qwen3Config(**qwen_text_config_kwargs(tokenizer), head_dim=8)
    Qwen3ForCausalLM(config).save_pretrained(folder)
