"""Animation stage: image-to-video from the keyframe and the temporal prompt. The builder is
``stdt2v.animate.build``; the families are ``wan``, ``vace`` and ``cogvideox``, imported when first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.lazy import lazy_exports

if TYPE_CHECKING:
    from stdt2v.animate.base import Animator, snap_size
    from stdt2v.animate.build import build_animator

# Re-exported on first use: importing the package loads no backend.
_EXPORTS = {
    "Animator": "stdt2v.animate.base",
    "build_animator": "stdt2v.animate.build",
    "snap_size": "stdt2v.animate.base",
}

__all__ = ["Animator", "build_animator", "snap_size"]
__getattr__ = lazy_exports(__name__, _EXPORTS)
