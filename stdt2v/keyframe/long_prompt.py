"""SDXL prompts of any length: 77-token chunks encoded one by one and concatenated.

The convention of A1111 and ComfyUI (and of IPVG's keyframe workflow, ../shared/RECIPES.md §1):
the prompt's tokens are cut into chunks of 75, each framed by the begin and end tokens and
padded to 77, and every chunk goes through both text encoders (penultimate hidden states, as
diffusers' SDXL pipeline takes them); the chunks' embeddings are concatenated along the
sequence, and the pooled embedding is the second encoder's on the first chunk. The negative
prompt is padded with chunks of the empty prompt to the same length. A prompt of up to 75 tokens
gives exactly diffusers' own embeddings.

Why not ``compel`` (``truncate_long_prompts=False``), which chunks the same way: it parses its
weighting syntax out of every prompt — ``(``, ``)``, ``+``, ``-`` after a word, ``.and()`` — so a
literal prompt such as "a woman (red coat) + scarf" is re-weighted, and escaping those
characters changes the pooled embedding. A decoupled prompt is literal text.
"""

from __future__ import annotations

from typing import Any

import torch

MAX_CHUNKS = 8  # 600 tokens: the spatial prompt's budget (the decoupler keeps it under)


def chunk_ids(tokenizer: Any, text: str) -> list[list[int]]:
    """``text``'s token ids in chunks of ``model_max_length`` (77): begin, 75 tokens, end, padding."""
    length = tokenizer.model_max_length
    ids = tokenizer(text, add_special_tokens=False, truncation=False, verbose=False).input_ids
    body = length - 2
    pieces = [ids[i : i + body] for i in range(0, len(ids), body)] or [[]]
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    return [[tokenizer.bos_token_id, *piece, tokenizer.eos_token_id] + [pad] * (body - len(piece)) for piece in pieces]


def count_tokens(tokenizer: Any, text: str) -> int:
    """The tokens the chunks carry: the prompt's own plus a begin and an end token per chunk."""
    ids = tokenizer(text, add_special_tokens=False, truncation=False, verbose=False).input_ids
    return len(ids) + 2 * max(1, -(-len(ids) // (tokenizer.model_max_length - 2)))


@torch.no_grad()
def _encode(pipe, text: str, chunks: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """([1, 77·n, C1 + C2], pooled [1, C2]) for ``text``, padded with empty chunks to ``chunks``."""
    device = pipe._execution_device  # where the encoders run, offloaded or not
    per_encoder, pooled = [], None
    for tokenizer, encoder in ((pipe.tokenizer, pipe.text_encoder), (pipe.tokenizer_2, pipe.text_encoder_2)):
        ids = chunk_ids(tokenizer, text)
        ids += chunk_ids(tokenizer, "") * ((chunks or len(ids)) - len(ids))
        hidden = []
        for n, chunk in enumerate(ids):
            output = encoder(torch.tensor([chunk], device=device), output_hidden_states=True)
            hidden.append(output.hidden_states[-2])
            if n == 0 and encoder is pipe.text_encoder_2:
                pooled = output[0]  # CLIPTextModelWithProjection's text_embeds, of the first chunk
        per_encoder.append(torch.cat(hidden, dim=1))
    return torch.cat(per_encoder, dim=-1), pooled


def encode_long_prompt(pipe: Any, prompt: str, negative_prompt: str | None, *, guidance: bool) -> dict[str, Any]:
    """Keyword arguments for an SDXL pipeline call (text-to-image or image-to-image) that carry
    the whole ``prompt`` as embeddings. Without a negative prompt and with the model's
    ``force_zeros_for_empty_prompt``, the negative embeddings are zeros, as diffusers makes them."""
    dtype = pipe.text_encoder_2.dtype
    length = max(len(chunk_ids(pipe.tokenizer, prompt)), len(chunk_ids(pipe.tokenizer_2, prompt)))
    if guidance and negative_prompt:
        length = max(length, len(chunk_ids(pipe.tokenizer, negative_prompt)), len(chunk_ids(pipe.tokenizer_2, negative_prompt)))
    embeds, pooled = _encode(pipe, prompt, length)
    kwargs = {"prompt_embeds": embeds.to(dtype), "pooled_prompt_embeds": pooled.to(dtype)}
    if guidance:
        if negative_prompt or not getattr(pipe.config, "force_zeros_for_empty_prompt", True):
            negative, negative_pooled = _encode(pipe, negative_prompt or "", length)
        else:
            negative, negative_pooled = torch.zeros_like(embeds), torch.zeros_like(pooled)
        kwargs.update(negative_prompt_embeds=negative.to(dtype), negative_pooled_prompt_embeds=negative_pooled.to(dtype))
    return kwargs
