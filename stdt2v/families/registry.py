"""The registry's lookups: every spec module of ``stdt2v.families`` is read once, at import
(all but ``spec`` and this one), and looked up by name, model id, backend or class."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from stdt2v.errors import ConfigError
from stdt2v.families.spec import AreaRule, Family, KeyframeFamily, VideoFamily


def _discover() -> dict[str, Family]:
    found: dict[str, Family] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module in ("spec", "registry"):
            continue
        family = importlib.import_module(f"stdt2v.families.{module}").FAMILY
        if family.name in found:
            raise RuntimeError(f"stdt2v.families: two specs named '{family.name}' ({module}, {found[family.name].title})")
        found[family.name] = family
    return found


# name → spec, video families first
FAMILIES: dict[str, Family] = dict(sorted(_discover().items(), key=lambda item: not isinstance(item[1], VideoFamily)))
VIDEO_FAMILIES = [f for f in FAMILIES.values() if isinstance(f, VideoFamily)]
KEYFRAME_FAMILIES = [f for f in FAMILIES.values() if isinstance(f, KeyframeFamily)]
ANIMATE_BACKENDS = sorted({f.backend for f in VIDEO_FAMILIES})
KEYFRAME_BACKENDS = sorted({f.backend for f in KEYFRAME_FAMILIES})


def _value(backend: object) -> str:
    return str(getattr(backend, "value", backend))  # the schema's str Enums or plain strings


def family(name: str) -> Family:
    """The family called ``name``: its registry name, a published model id, or its tiny model
    (``tiny:NAME``)."""
    for spec in FAMILIES.values():
        if name in (spec.name, f"tiny:{spec.tiny}") or name in spec.models:
            return spec
    known = ", ".join(FAMILIES)
    raise ConfigError(f"no model family '{name}': use a family name ({known}), a published model id or a tiny:NAME of one")


def find(name: str) -> Family | None:
    """``family(name)``, None when it names none (a local model folder)."""
    try:
        return family(str(name))
    except ConfigError:
        return None


def by_class(class_name: str) -> Family:
    """The first family whose denoiser is ``class_name`` (families sharing a class share its formulas)."""
    for spec in FAMILIES.values():
        if spec.transformer_class == class_name:
            return spec
    known = ", ".join(sorted({f.transformer_class for f in FAMILIES.values()}))
    raise ConfigError(f"no model family has the denoiser class '{class_name}' (known: {known})")


def for_backend(backend: object, kind: str = "animate") -> list[Family]:
    """The families ``{kind}.backend=backend`` runs (``kind``: animate or keyframe)."""
    pool = VIDEO_FAMILIES if kind == "animate" else KEYFRAME_FAMILIES
    out = [f for f in pool if f.backend == _value(backend)]
    if not out:
        known = ", ".join(ANIMATE_BACKENDS if kind == "animate" else KEYFRAME_BACKENDS)
        raise ConfigError(f"{kind}.backend={_value(backend)}: no model family runs it (known: {known})")
    return out


def pipeline_class(backend: object, kind: str = "animate") -> str:
    """The diffusers pipeline class (by name) that ``{kind}.backend=backend`` loads: one per
    backend, whichever of its families the model folder holds."""
    names = {f.pipeline_class for f in for_backend(backend, kind)}
    if len(names) != 1:
        raise RuntimeError(f"stdt2v.families: {kind}.backend={_value(backend)} has several pipeline classes: {sorted(names)}")
    return names.pop()


def temporal_factor(backend: object) -> int:
    """Frame counts of ``animate.backend`` are temporal_factor·n + 1 (one value per backend)."""
    factors = {f.temporal_factor for f in for_backend(backend)}
    if len(factors) != 1:
        raise RuntimeError(f"stdt2v.families: the families of backend {_value(backend)} disagree on the temporal factor: {sorted(factors)}")
    return factors.pop()


def max_frames(backend: object) -> int:
    """The longest ``animate.num_frames`` any family of the backend takes."""
    return max(f.max_frames for f in for_backend(backend))


def usual_lengths(backend: object) -> str:
    """The lengths the backend's models generate, in words (for error messages)."""
    pairs = [pair for f in for_backend(backend) for pair in f.usual_lengths]
    return "usual lengths: " + ", ".join(f"{model} {frames}" for model, frames in pairs)


def area_rule(backend: object, vae_stride: int) -> AreaRule | None:
    """The ``size_mode=area`` rule of the backend's family with this VAE stride (None: none)."""
    return next((f.area_rule for f in for_backend(backend) if f.vae_stride == vae_stride and f.area_rule is not None), None)
