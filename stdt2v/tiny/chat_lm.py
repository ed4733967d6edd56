"""Tiny random-weight Qwen3 chat model (``Qwen3ForCausalLM``) for the LLM decoupler's tests.

Its answers are random bytes — never valid JSON — so it exercises generation, the retry
and the fallback; the valid-answer path is tested through the OpenAI-compatible client.
"""

from __future__ import annotations

from pathlib import Path

from stdt2v.tiny.tokenizers import save_qwen_tokenizer


def build_tiny_qwen3_chat(folder: str | Path) -> None:
    import torch
    from transformers import AutoTokenizer, Qwen3Config, Qwen3ForCausalLM

    folder = Path(folder)
    tokenizer = AutoTokenizer.from_pretrained(save_qwen_tokenizer(folder))
    torch.manual_seed(0)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=8,
        max_position_embeddings=4096,
        eos_token_id=tokenizer.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    Qwen3ForCausalLM(config).save_pretrained(folder)
