"""The prompt-decoupling interface: one user prompt → a spatial and a temporal prompt."""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod

from stdt2v.errors import InputError
from stdt2v.prompts.face_description import FaceDescription, insert_face_description
from stdt2v.prompts.invariants import check_invariants
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.result import DecoupledPrompt

__all__ = ["DecoupledPrompt", "PromptDecoupler", "normalize_prompt", "subject_phrase"]


class PromptDecoupler(ABC):
    """``decoupler(prompt, subject=None)``; ``subject`` (from the face or the config) opens the
    temporal prompt; without one the decoupler picks from the prompt or the neutral phrase."""

    name: str
    model: str  # what produced the split (for caches and reports)
    nlp: object  # the spaCy pipeline the invariant checks use

    limits: TokenLimits | None = None  # the text encoders' limits the prompts are fitted to

    @abstractmethod
    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt: ...

    def __call__(self, prompt: str, subject: str | None = None, face_description: FaceDescription | None = None) -> DecoupledPrompt:
        """``face_description``: what a vision-language model saw in the reference face, put
        after the subject in both prompts (``stdt2v.prompts.face_description``); in rewrite mode
        the caption is rewritten first, and the rewritten caption is decoupled."""
        rewrite = face_description.rewrite(prompt) if face_description is not None and face_description.rewrite is not None else None
        result = self.decouple(rewrite.caption if rewrite else prompt, subject)
        if rewrite is not None:
            result.original, result.caption = prompt, (rewrite.caption if rewrite.caption != prompt else None)
            result.notes.extend(rewrite.notes)
        elif face_description is not None:
            insert_face_description(result, face_description, self.nlp, self.limits)
        removed = invisible_characters(prompt)
        if removed:
            result.notes.append(f"removed {removed} control, bidi or zero-width character(s) from the prompt")
        result.coverage, result.violations, result.checks = check_invariants(self.nlp, result)
        return result


def invisible_characters(text: str) -> int:
    """Control, bidi-override and zero-width characters (format "Cf", control "Cc"; whitespace
    aside), which render as nothing or reorder what a reader sees."""
    return sum(1 for c in str(text) if unicodedata.category(c) in ("Cc", "Cf") and not c.isspace())


def normalize_prompt(prompt: str) -> str:
    """NFC, invisible characters removed, one line, single spaces; empty is an input error."""
    text = unicodedata.normalize("NFC", str(prompt))
    text = "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf"))
    text = " ".join(text.split())
    if not text:
        raise InputError("prompt: empty; pass a text describing the person and what they do")
    return text


_AGE_BANDS = (  # (upper bound, female, male, unknown)
    (13, "A girl", "A boy", "A child"),
    (20, "A teenage girl", "A teenage boy", "A teenager"),
    (30, "A young woman", "A young man", "A young person"),
    (60, "A woman", "A man", None),
    (200, "An older woman", "An older man", "An older person"),
)


def subject_phrase(gender: str | None, age: float | None = None, override: str | None = None, *, with_age: bool = True) -> str | None:
    """The phrase that opens the temporal prompt: a config override wins, then the face's gender
    and age band; None when the face tells nothing (the decoupler then decides). ``with_age=False``
    is IPVG's rule (``prompts.subject_from=gender``): exactly "A woman", "A man" or "A person"."""
    if override:
        return override.strip()
    gender = (gender or "").lower()
    if not with_age:
        return {"female": "A woman", "male": "A man"}.get(gender, "A person")
    column = {"female": 1, "male": 2}.get(gender, 3)
    if age is None:
        return {1: "A woman", 2: "A man"}.get(column)
    for bound, *phrases in _AGE_BANDS:
        if age < bound:
            return phrases[column - 1]
    return None
