"""A phrase of the spatial (keyframe) prompt while it is being built, and the kinds it sorts by."""

from __future__ import annotations

from dataclasses import dataclass

# Phrase kinds, most important first (the spatial prompt keeps this order).
LOOKS, ATTIRE, PROPS, PLACE, TIME_LIGHT, DECOR = range(6)


@dataclass
class Phrase:
    kind: int
    position: int  # token index of its first word in the prompt
    text: str
    key: str  # what makes two phrases the same thing (the head noun's lemma)
    end: int = -1  # token index of its last word in the prompt
    head: int = -1  # token index of its head noun (its last noun), -1 when it has none
