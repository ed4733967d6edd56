"""Prompt decoupling: a spatial prompt for the keyframe, a temporal prompt for the video."""

from __future__ import annotations

from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt, subject_phrase
from stdt2v.prompts.build import build_decoupler, build_face_describer
from stdt2v.prompts.face_description import FaceDescriber, FaceDescription
from stdt2v.prompts.limits import TokenLimits

__all__ = [
    "DecoupledPrompt",
    "FaceDescriber",
    "FaceDescription",
    "PromptDecoupler",
    "TokenLimits",
    "build_decoupler",
    "build_face_describer",
    "normalize_prompt",
    "subject_phrase",
]
