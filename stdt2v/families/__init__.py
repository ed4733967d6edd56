"""The model-family registry: what a Wan, a CogVideoX, an SDXL or a FLUX is, in one place.

One frozen spec per family (``spec.py`` says what a spec holds): the diffusers pipeline,
denoiser and VAE classes (by name), the VAE strides and the patch, the token, activation and
FLOP formulas, the usual lengths, the tiny random-weight model that shares its layout. The
config checks, ``stdt2v plan``, the animators, ``stdt2v.tiny`` and the benchmarks look a
family up here instead of keeping their own copies. Torch-free: the config layer imports it.

Several families may share one backend (``animate.backend=wan`` covers Wan2.2 TI2V-5B,
Wan2.2 I2V-A14B and Wan2.1 I2V-14B: the model folder decides); backend-wide facts (the
temporal factor, the longest length) are read across them.

Adding a family = one new spec file plus its tiny builder:

1. ``stdt2v/families/<name>.py`` defining ``FAMILY = VideoFamily(...)`` (or ``KeyframeFamily``);
   every module of this package but ``spec`` and ``registry`` is read at import (``registry.py``), so nothing else lists it;
2. its tiny builder in ``stdt2v/tiny/`` named by the spec's ``tiny_builder`` ("module:function");
   ``stdt2v.tiny.TINY_MODELS`` picks it up as ``tiny:<spec.tiny>``;
3. a new backend value (a new model class, not a new checkpoint of a known one) also needs its
   ``AnimateBackend``/``KeyframeBackend`` value in ``config/schema.py`` and its animator/generator.
"""

from stdt2v.families.registry import (
    ANIMATE_BACKENDS,
    FAMILIES,
    KEYFRAME_BACKENDS,
    KEYFRAME_FAMILIES,
    VIDEO_FAMILIES,
    area_rule,
    by_class,
    family,
    find,
    for_backend,
    max_frames,
    pipeline_class,
    temporal_factor,
    usual_lengths,
)
from stdt2v.families.spec import AreaRule, Family, KeyframeFamily, StepFlops, VideoFamily, config_patch, vae_spatial_stride, video_tokens

__all__ = [
    "ANIMATE_BACKENDS",
    "AreaRule",
    "FAMILIES",
    "Family",
    "KEYFRAME_BACKENDS",
    "KEYFRAME_FAMILIES",
    "KeyframeFamily",
    "StepFlops",
    "VIDEO_FAMILIES",
    "VideoFamily",
    "area_rule",
    "by_class",
    "config_patch",
    "family",
    "find",
    "for_backend",
    "max_frames",
    "pipeline_class",
    "temporal_factor",
    "usual_lengths",
    "vae_spatial_stride",
    "video_tokens",
]
