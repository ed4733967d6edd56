"""``tiny:NAME`` → its builder: each model family's (named by its spec), then the adapters and
helper models."""

import importlib
from collections.abc import Callable
from pathlib import Path

from stdt2v.families import FAMILIES
from stdt2v.tiny.adapters import build_tiny_faceid_sdxl, build_tiny_hyperlora_sdxl, build_tiny_id_adapter_flux, build_tiny_id_adapter_sdxl
from stdt2v.tiny.chat_lm import build_tiny_qwen3_chat
from stdt2v.tiny.clip import build_tiny_aesthetic_clip, build_tiny_clip
from stdt2v.tiny.gme import build_tiny_gme_qwen2vl
from stdt2v.tiny.vlm import build_tiny_llava_vlm


def builder(reference: str) -> Callable[[str | Path], None]:
    """The builder a family spec names as ``"module:function"``."""
    module, _, function = reference.partition(":")
    return getattr(importlib.import_module(module), function)


# name in `tiny:NAME` → builder(folder): each model family's (its spec names it), then the adapters and helper models.
TINY_MODELS: dict[str, Callable[[str | Path], None]] = {
    **{family.tiny: builder(family.tiny_builder) for family in FAMILIES.values()},
    "id-adapter-sdxl": build_tiny_id_adapter_sdxl,
    "id-adapter-flux": build_tiny_id_adapter_flux,
    "faceid-sdxl": build_tiny_faceid_sdxl,
    "hyperlora-sdxl": build_tiny_hyperlora_sdxl,
    "qwen3-chat": build_tiny_qwen3_chat,
    "llava-vlm": build_tiny_llava_vlm,
    "clip": build_tiny_clip,
    "gme-qwen2-vl": build_tiny_gme_qwen2vl,
    "aesthetic-clip": build_tiny_aesthetic_clip,
}

# Packages whose code shapes the tiny models: the fingerprint of a cached tiny model covers
# every module in them, so editing any of them rebuilds it.
SOURCE_PACKAGES = ("stdt2v.tiny", "stdt2v.models")
