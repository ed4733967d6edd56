"""The prompt-decoupling interface: one user prompt → a spatial and a temporal prompt."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field

from stdt2v.errors import InputError


@dataclass
class DecoupledPrompt:
    original: str
    spatial: str  # for the keyframe: who, looks, clothes, place, framing
    temporal: str  # for the video: starts with `subject`, carries the actions in order
    subject: str  # e.g. "A woman", "A person"
    notes: list[str] = field(default_factory=list)  # what the decoupler changed or noticed

    def to_dict(self) -> dict:
        return asdict(self)


class PromptDecoupler(ABC):
    """Splits a prompt; ``subject`` (from the face or the config) opens the temporal prompt."""

    name: str

    @abstractmethod
    def __call__(self, prompt: str, subject: str) -> DecoupledPrompt: ...


def normalize_prompt(prompt: str) -> str:
    """One line, single spaces; an empty prompt is an input error."""
    text = " ".join(str(prompt).split())
    if not text:
        raise InputError("prompt: empty; pass a text describing the person and what they do")
    return text


def subject_phrase(gender: str | None, override: str | None, neutral: str) -> str:
    """The subject that opens the temporal prompt: a config override wins, then the face's gender."""
    if override:
        return override.strip()
    return {"female": "A woman", "male": "A man"}.get((gender or "").lower(), neutral)
