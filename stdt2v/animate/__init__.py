"""Animation stage: image-to-video from the keyframe and the temporal prompt. The builder is
``stdt2v.animate.build``; the families are ``wan``, ``vace`` and ``cogvideox``."""

from stdt2v.animate.base import Animator, snap_size
from stdt2v.animate.build import build_animator

__all__ = ["Animator", "build_animator", "snap_size"]
