"""Keyframe stage: identity-conditioned text-to-image for the first frame. The builders are in
``stdt2v.keyframe.build``; each backend (``sdxl``, ``flux``) is imported when first used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stdt2v.keyframe.base import KeyframeGenerator
    from stdt2v.keyframe.build import build_keyframe_generator, build_keyframe_stage
    from stdt2v.keyframe.identity import Identity
    from stdt2v.keyframe.stage import KeyframeResult, KeyframeStage

# Re-exported on first use: importing the package loads no backend.
_EXPORTS = {
    "Identity": "stdt2v.keyframe.identity",
    "KeyframeGenerator": "stdt2v.keyframe.base",
    "KeyframeResult": "stdt2v.keyframe.stage",
    "KeyframeStage": "stdt2v.keyframe.stage",
    "build_keyframe_generator": "stdt2v.keyframe.build",
    "build_keyframe_stage": "stdt2v.keyframe.build",
}

__all__ = ["Identity", "KeyframeGenerator", "KeyframeResult", "KeyframeStage", "build_keyframe_generator", "build_keyframe_stage"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'stdt2v.keyframe' has no attribute '{name}'")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
