"""SDXL keyframes see the whole spatial prompt: 77-token chunks, as A1111/ComfyUI (and IPVG) encode it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from stdt2v.keyframe.long_prompt import chunk_ids, count_tokens, encode_long_prompt


@pytest.fixture(scope="module")
def sdxl(tiny_cache):
    from diffusers import StableDiffusionXLPipeline

    from stdt2v.loading import resolve_model_source

    pipe = StableDiffusionXLPipeline.from_pretrained(resolve_model_source("tiny:sdxl", tiny_cache, key="keyframe.model"))
    pipe.set_progress_bar_config(disable=True)
    return pipe


def test_a_short_prompt_gives_exactly_diffusers_own_embeddings(sdxl):
    kwargs = encode_long_prompt(sdxl, "a woman, red coat, park", "blurry", guidance=True)
    embeds, negative, pooled, negative_pooled = sdxl.encode_prompt("a woman, red coat, park", device="cpu", negative_prompt="blurry")
    for mine, theirs in zip(
        ("prompt_embeds", "negative_prompt_embeds", "pooled_prompt_embeds", "negative_pooled_prompt_embeds"), (embeds, negative, pooled, negative_pooled)
    ):
        torch.testing.assert_close(kwargs[mine], theirs, rtol=0, atol=0)
    zeros = encode_long_prompt(sdxl, "a woman", None, guidance=True)  # no negative prompt: zeros, as diffusers makes them
    assert not zeros["negative_prompt_embeds"].any() and not zeros["negative_pooled_prompt_embeds"].any()


def test_a_long_prompt_is_chunked_and_the_negative_padded_to_its_length(sdxl):
    prompt = ", ".join(["a woman with short grey hair"] * 7)  # the tiny tokenizer is per character: 167 tokens
    chunks = chunk_ids(sdxl.tokenizer, prompt)
    assert len(chunks) == 3 and all(len(c) == 77 and c[0] == sdxl.tokenizer.bos_token_id for c in chunks)
    assert count_tokens(sdxl.tokenizer, prompt) == len(sdxl.tokenizer(prompt, add_special_tokens=False, verbose=False).input_ids) + 6  # 3 chunks
    kwargs = encode_long_prompt(sdxl, prompt, "blurry", guidance=True)
    assert kwargs["prompt_embeds"].shape[1] == kwargs["negative_prompt_embeds"].shape[1] == 3 * 77
    embeds, _, pooled, _ = sdxl.encode_prompt(prompt, device="cpu", do_classifier_free_guidance=False)  # diffusers truncates to 77
    torch.testing.assert_close(kwargs["prompt_embeds"][:, :77], embeds, rtol=0, atol=1e-6)  # chunk 1 = what truncation kept
    torch.testing.assert_close(kwargs["pooled_prompt_embeds"], pooled, rtol=0, atol=1e-6)  # pooled: the first chunk's


def test_the_last_words_of_a_long_spatial_prompt_change_the_keyframe(sdxl):
    from stdt2v.keyframe.sdxl import SDXLKeyframeGenerator

    generator = SDXLKeyframeGenerator(sdxl, num_inference_steps=2, guidance_scale=5.0, negative_prompt="blurry")
    head = ", ".join(f"detail number {n} of the scene" for n in range(4))  # past 77 tokens, as a 120-token prompt is for real CLIP
    assert count_tokens(sdxl.tokenizer, head) > 77
    a = np.asarray(generator.generate(f"{head}, red coat", height=64, width=64, seeds=[0])[0])
    b = np.asarray(generator.generate(f"{head}, blue hat", height=64, width=64, seeds=[0])[0])
    assert not np.array_equal(a, b)  # nothing truncated
    assert generator.max_prompt_tokens == 8 * 77
