"""Text-encoder token limits: truncate at a phrase boundary, and say so."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

TokenCounter = Callable[[str], int]


def approx_tokens(text: str) -> int:
    """Words and punctuation, plus one per 6 letters of long words: close to CLIP/T5 BPE counts
    for English, used when no real tokenizer is at hand."""
    pieces = re.findall(r"\w+|[^\w\s]", text)
    return sum(1 + (len(p) - 1) // 6 for p in pieces)


@dataclass
class TokenLimits:
    spatial_max_tokens: int = 8 * 77  # SDXL: the whole prompt in 77-token chunks (keyframe/long_prompt.py)
    temporal_max_tokens: int = 512  # UMT5's context in the Wan pipelines
    count_spatial: TokenCounter = approx_tokens
    count_temporal: TokenCounter = approx_tokens

    def apply(self, spatial: str, temporal: str, notes: list[str], trigger: str | None = None, keep_first: int = 1) -> tuple[str, str, list[str]]:
        """Both prompts within their limits, and the phrases cut to get there (for ``dropped``).
        ``trigger``: words an identity adapter was trained with, put in front of the spatial
        prompt and counted in its limit; truncation keeps them, the subject and the framing.
        ``keep_first``: leading phrases never dropped whole (cut at a word boundary instead)."""
        cut: list[str] = []
        if trigger and trigger.strip(" ,"):
            spatial, keep_first = f"{trigger.strip(' ,')}, {spatial}", keep_first + 1
        spatial = _truncate(spatial, self.spatial_max_tokens, self.count_spatial, r",\s*", ", ", "spatial", notes, cut, keep_last=True, keep_first=keep_first)
        temporal = _truncate(temporal, self.temporal_max_tokens, self.count_temporal, r"(?<=[.!?;])\s+", " ", "temporal", notes, cut)
        return spatial, temporal, cut


def _truncate(
    text: str,
    limit: int,
    count: TokenCounter,
    split: str,
    join: str,
    name: str,
    notes: list[str],
    cut: list[str],
    keep_last: bool = False,
    keep_first: int = 1,
) -> str:
    if count(text) <= limit:
        return text
    parts = re.split(split, text)
    tail = [parts.pop()] if keep_last and len(parts) > 1 else []  # the framing term stays last
    while len(parts) > keep_first and count(join.join(parts + tail)) > limit:
        cut.append(f"{name}: {parts.pop()}")
    kept = join.join(parts + tail)
    if count(kept) > limit:  # one phrase alone is too long: cut at a word boundary
        words = kept.split()
        gone = []
        while len(words) > 1 and count(" ".join(words)) > limit:
            gone.insert(0, words.pop())
        cut.append(f"{name}: {' '.join(gone)}")
        kept = " ".join(words)
    notes.append(f"{name} prompt truncated at a phrase boundary to fit {limit} tokens ({count(text)} → {count(kept)})")
    return kept
