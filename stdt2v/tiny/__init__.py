"""The embedded default: tiny random-weight instances of the real architectures.

Each builder constructs the real diffusers/transformers classes from small configs (as
diffusers' own fast tests do) with a fixed seed and writes them with ``save_pretrained``.
The pipeline then loads them with ``from_pretrained``, the same path real weights take.
Their outputs are noise: they exist to run and test the plumbing on a CPU, offline.
"""

from stdt2v.tiny.adapters import build_tiny_faceid_sdxl, build_tiny_hyperlora_sdxl, build_tiny_id_adapter_flux, build_tiny_id_adapter_sdxl
from stdt2v.tiny.chat_lm import build_tiny_qwen3_chat
from stdt2v.tiny.clip import build_tiny_aesthetic_clip, build_tiny_clip
from stdt2v.tiny.cogvideox import build_tiny_cogvideox_i2v
from stdt2v.tiny.flux import build_tiny_flux
from stdt2v.tiny.gme import build_tiny_gme_qwen2vl
from stdt2v.tiny.sdxl import build_tiny_sdxl
from stdt2v.tiny.vlm import build_tiny_llava_vlm
from stdt2v.tiny.wan import build_tiny_wan21_i2v, build_tiny_wan21_vace, build_tiny_wan22_i2v_a14b, build_tiny_wan22_ti2v

# name in `tiny:NAME` → builder(folder)
TINY_MODELS = {
    "sdxl": build_tiny_sdxl,
    "flux": build_tiny_flux,
    "id-adapter-sdxl": build_tiny_id_adapter_sdxl,
    "id-adapter-flux": build_tiny_id_adapter_flux,
    "faceid-sdxl": build_tiny_faceid_sdxl,
    "hyperlora-sdxl": build_tiny_hyperlora_sdxl,
    "wan2.2-ti2v-5b": build_tiny_wan22_ti2v,
    "wan2.2-i2v-a14b": build_tiny_wan22_i2v_a14b,
    "wan2.1-i2v-14b": build_tiny_wan21_i2v,
    "wan2.1-vace": build_tiny_wan21_vace,
    "cogvideox-5b-i2v": build_tiny_cogvideox_i2v,
    "qwen3-chat": build_tiny_qwen3_chat,
    "llava-vlm": build_tiny_llava_vlm,
    "clip": build_tiny_clip,
    "gme-qwen2-vl": build_tiny_gme_qwen2vl,
    "aesthetic-clip": build_tiny_aesthetic_clip,
}

# Packages whose code shapes the tiny models: the fingerprint of a cached tiny model covers
# every module in them, so editing any of them rebuilds it.
SOURCE_PACKAGES = ("stdt2v.tiny", "stdt2v.models")

__all__ = ["SOURCE_PACKAGES", "TINY_MODELS"]
