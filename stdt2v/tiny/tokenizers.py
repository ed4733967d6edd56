"""Offline tokenizers for the tiny demo models.

The hub's tiny test tokenizers (``hf-internal-testing/...``) cannot be downloaded here, so we
build real tokenizer classes from files we write ourselves:

* CLIP: a character-level byte-BPE (every byte character and its ``</w>`` form, no merges),
  read back by ``CLIPTokenizer.from_pretrained`` like any CLIP tokenizer folder.
* T5/UMT5: a SentencePiece unigram model trained on a few sentences, read back by
  ``T5Tokenizer.from_pretrained``.

Constructing transformers 5.x tokenizers directly from ``vocab_file=`` silently yields a
2–4 token vocabulary, hence the save → ``from_pretrained`` round trip.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

# Text the SentencePiece model is trained on: the words the demo and tests use, so that
# prompts tokenize into pieces rather than <unk>.
_SPM_CORPUS = [
    "A woman with short grey hair smiles and turns her head to the left in a bright office.",
    "A man in a black jacket walks along a river at sunset, the camera slowly pans right.",
    "The video features a person with long brown hair, wearing a red dress, dancing in a park.",
    "Close-up of a young girl laughing, her eyes bright, soft light, medium shot, wide shot.",
    "An old man sits on a bench, reads a newspaper, then looks up and waves at the camera.",
    "Low quality, blurry, static, deformed face, extra fingers, overexposed, worst quality.",
    "The background is blurred; birds fly over the trees while the wind moves her scarf.",
]


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP byte → printable unicode character table (the public BPE convention)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    printable += list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in chars)))


def save_clip_tokenizer(folder: str | Path, model_max_length: int = 77) -> Path:
    """Write a character-level CLIP tokenizer folder and return it."""
    from transformers import CLIPTokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    symbols = list(_bytes_to_unicode().values())
    vocab: dict[str, int] = {}
    for token in symbols + [s + "</w>" for s in symbols] + ["<|startoftext|>", "<|endoftext|>"]:
        vocab.setdefault(token, len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    # Read back through from_pretrained (see module docstring) and re-save in the library's
    # own layout, so later loads need no conversion.
    CLIPTokenizer.from_pretrained(folder, model_max_length=model_max_length).save_pretrained(folder)
    return folder


def save_t5_tokenizer(folder: str | Path, vocab_size: int = 100) -> Path:
    """Train a small SentencePiece unigram model and write it as a T5 tokenizer folder."""
    import sentencepiece as spm
    from transformers import T5Tokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(_SPM_CORPUS) * 4)
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(folder / "spiece"),
        vocab_size=vocab_size,
        model_type="unigram",
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        character_coverage=1.0,
        num_threads=1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    corpus.unlink()
    (folder / "spiece.vocab").unlink()
    T5Tokenizer.from_pretrained(folder, extra_ids=0).save_pretrained(folder)
    return folder


# Qwen3's chat template, reduced to what the decoupler uses: ChatML turns, and an empty
# <think></think> block when thinking is disabled, as Qwen3 renders it.
QWEN3_CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}"
    "{%- endif %}"
)
QWEN_SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def save_qwen_tokenizer(folder: str | Path) -> Path:
    """Write a byte-level BPE tokenizer (every byte a token, no merges) in Qwen2/3's format,
    with ChatML special tokens and a Qwen3-style chat template."""
    from transformers import AutoTokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = {symbol: i for i, symbol in enumerate(_bytes_to_unicode().values())}
    for token in QWEN_SPECIAL_TOKENS:
        vocab[token] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    config = {
        "tokenizer_class": "Qwen2Tokenizer",
        "model_max_length": 4096,
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "chat_template": QWEN3_CHAT_TEMPLATE,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    AutoTokenizer.from_pretrained(folder).save_pretrained(folder)
    return folder


def t5_config_kwargs(tokenizer: PreTrainedTokenizerBase) -> dict:
    """The tiny T5 / UMT5 text encoders' config (FLUX, Wan, CogVideoX), for ``tokenizer``."""
    return dict(
        vocab_size=len(tokenizer),
        d_model=32,
        d_kv=8,
        d_ff=37,
        num_layers=2,
        num_heads=4,
        relative_attention_num_buckets=8,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )


def qwen_text_config_kwargs(tokenizer: PreTrainedTokenizerBase) -> dict:
    """The tiny Qwen language models' config (the chat LM, the VLM's text model), for ``tokenizer``."""
    return dict(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        eos_token_id=tokenizer.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
