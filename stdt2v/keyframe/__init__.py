"""Keyframe stage: identity-conditioned text-to-image for the first frame. The builders are in
``stdt2v.keyframe.build``; each backend (``sdxl``, ``flux``) is imported when first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.lazy import lazy_exports

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
__getattr__ = lazy_exports(__name__, _EXPORTS)
