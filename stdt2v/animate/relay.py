"""Per-segment prompts inside the Wan transformers' cross-attention (the idea of Prompt Relay,
arXiv 2604.10030; this is the project's own implementation).

Every segment's text is encoded on its own (512 tokens each, as Wan encodes one prompt) and the
encodings are concatenated into one ``prompt_embeds``. An attention processor of ours replaces
each block's cross-attention (``attn2``) for the call: the video tokens of latent frame f attend
to the text tokens of segment s with the logit bias ``max(log w[f, s], -penalty)``, where
``w[f]`` are the latent frame's segment weights (``stdt2v.timeline.latent_weights``: 1 for its
own segment, 0 for the others, shared across a hand-over of a few frames at each boundary). With
``global_visible`` a block of the global prompt's tokens is seen by every frame without bias.

Only the conditional pass is relayed: a forward pre-hook on each transformer switches the
processor on when the text has the relay layout's length; the negative prompt's pass (one
512-token prompt) runs the model's own processor, unchanged. The processors are installed and
removed per call (``with RelayAttention(...)``), so a call without a timeline runs today's code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from stdt2v import families
from stdt2v.errors import StdT2VError

TEXT_TOKENS = families.for_backend("wan")[0].text_tokens  # Wan's text length per prompt (the pipelines pad every prompt to it)


@dataclass(frozen=True)
class RelayPlan:
    """What one relayed call needs: the segments' prompts, each latent frame's segment weights
    [latent frames, segments], the penalty, and the global prompt (None: not visible)."""

    prompts: list[str]
    weights: np.ndarray
    penalty: float = 30.0
    global_prompt: str | None = None

    @property
    def blocks(self) -> int:
        return len(self.prompts) + (self.global_prompt is not None)

    def bias(self) -> np.ndarray:
        """[latent frames, blocks]: the logit bias of each latent frame on each block of text."""
        with np.errstate(divide="ignore"):
            bias = np.maximum(np.log(self.weights), -self.penalty)
        if self.global_prompt is not None:
            bias = np.concatenate([np.zeros((len(bias), 1)), bias], axis=1)
        return bias


class _State:
    """Shared by the pre-hooks and the processors of one call."""

    def __init__(self, plan: RelayPlan, patch: tuple[int, int, int]):
        self.plan, self.patch = plan, patch
        self.bias = torch.from_numpy(plan.bias())
        self.active = False
        self.reference_frames = 0  # VACE: latent frames of reference images in front of the video
        self.tokens_per_frame = 0
        self.relayed_calls = 0

    def before_forward(self, module, args, kwargs):
        hidden = kwargs.get("hidden_states", args[0] if args else None)
        text = kwargs.get("encoder_hidden_states", args[2] if len(args) > 2 else None)
        self.active = text is not None and text.shape[1] == self.plan.blocks * TEXT_TOKENS
        if self.active:
            frames, height, width = hidden.shape[2:]
            latent_frames = frames // self.patch[0]
            self.reference_frames = latent_frames - len(self.bias)
            if self.reference_frames < 0:
                raise StdT2VError(f"relay: the video has {latent_frames} latent frames, the timeline was mapped to {len(self.bias)}")
            self.tokens_per_frame = (height // self.patch[1]) * (width // self.patch[2])
            self.relayed_calls += 1
        return None


class RelayProcessor:
    """Wan cross-attention with per-latent-frame text bias; the model's own processor otherwise."""

    def __init__(self, original, state: _State):
        self.original = original
        self.state = state

    def __getattr__(self, name):  # attention backend settings and the like: the original's
        return getattr(self.__dict__["original"], name)

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, rotary_emb=None):
        if not self.state.active or encoder_hidden_states is None:
            return self.original(attn, hidden_states, encoder_hidden_states, attention_mask, rotary_emb)
        from diffusers.models.transformers.transformer_wan import _get_added_kv_projections, _get_qkv_projections

        text_length = self.state.plan.blocks * TEXT_TOKENS
        image_tokens = encoder_hidden_states[:, : encoder_hidden_states.shape[1] - text_length]
        text = encoder_hidden_states[:, -text_length:]
        query, key, value = _get_qkv_projections(attn, hidden_states, text)
        query, key = attn.norm_q(query), attn.norm_k(key)
        query, key, value = (t.unflatten(2, (attn.heads, -1)).transpose(1, 2) for t in (query, key, value))  # [B, heads, N, D]
        out = self.relayed_text_attention(query, key, value)
        if attn.add_k_proj is not None and image_tokens.shape[1]:  # Wan2.1 I2V: the CLIP image tokens, seen by all
            key_img, value_img = _get_added_kv_projections(attn, image_tokens)
            key_img = attn.norm_added_k(key_img)
            key_img, value_img = (t.unflatten(2, (attn.heads, -1)).transpose(1, 2) for t in (key_img, value_img))
            out = out + F.scaled_dot_product_attention(query, key_img, value_img)
        out = out.transpose(1, 2).flatten(2, 3).type_as(hidden_states)
        return attn.to_out[1](attn.to_out[0](out))

    def relayed_text_attention(self, query, key, value):
        """One attention call per run of latent frames with the same bias row (the rows of a
        segment's inside are equal: a few calls per segment and hand-over, not one per token)."""
        state = self.state
        per_frame = state.tokens_per_frame
        bias = state.bias.to(query.dtype).to(query.device).repeat_interleave(TEXT_TOKENS, dim=1)  # [latent frames, text tokens]
        out = torch.empty_like(query)
        start = state.reference_frames * per_frame
        if start:  # VACE's reference frames: every segment, no bias
            out[:, :, :start] = F.scaled_dot_product_attention(query[:, :, :start], key, value)
        frames = len(bias)
        f = 0
        while f < frames:
            g = f + 1
            while g < frames and torch.equal(bias[g], bias[f]):
                g += 1
            rows = slice(start + f * per_frame, start + g * per_frame)
            out[:, :, rows] = F.scaled_dot_product_attention(query[:, :, rows], key, value, attn_mask=bias[f][None, None, None, :])
            f = g
        return out


class RelayAttention:
    """``with RelayAttention(pipe, transformers, plan) as relay: pipe(**relay.prompt_arguments(), ...)``."""

    def __init__(self, pipe, transformers: list, plan: RelayPlan):
        self.pipe, self.transformers, self.plan = pipe, transformers, plan
        self.state = _State(plan, tuple(transformers[0].config.patch_size))
        self._saved: list = []
        self._handles: list = []

    def __enter__(self) -> "RelayAttention":
        if any(getattr(t, "_parallel_config", None) is not None for t in self.transformers):
            # The video tokens are split across processes: a block sees a shard, not whole frames.
            raise StdT2VError("animate.timeline.mode=relay: not with animate.context_parallel (sharded video tokens); set animate.timeline.mode=flatten")
        for transformer in self.transformers:
            self._handles.append(transformer.register_forward_pre_hook(self.state.before_forward, with_kwargs=True))
            for block in transformer.blocks:
                self._saved.append((block.attn2, block.attn2.processor))
                block.attn2.processor = RelayProcessor(block.attn2.processor, self.state)
        return self

    def __exit__(self, *exc) -> None:
        for attn, processor in self._saved:
            attn.processor = processor
        for handle in self._handles:
            handle.remove()
        self._saved, self._handles = [], []

    @torch.no_grad()
    def prompt_arguments(self) -> dict:
        """``prompt_embeds``: the global prompt's tokens (when visible), then each segment's, 512 each."""
        texts = ([self.plan.global_prompt] if self.plan.global_prompt is not None else []) + list(self.plan.prompts)
        embeds, _ = self.pipe.encode_prompt(texts, do_classifier_free_guidance=False, max_sequence_length=TEXT_TOKENS, device=self.pipe._execution_device)
        return {"prompt_embeds": embeds.reshape(1, -1, embeds.shape[-1])}
