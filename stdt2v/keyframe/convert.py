"""Convert a published IP-Adapter checkpoint (pickle ``.bin``) to safetensors.

The h94/IP-Adapter-FaceID checkpoints are torch pickles ``{"image_proj": {...},
"ip_adapter": {...}}``. diffusers' ``load_ip_adapter`` reads the same tensors from a
safetensors file whose keys carry the two prefixes (``image_proj.proj.0.weight``,
``ip_adapter.1.to_k_ip.weight``), which is what this writes. Unpickling can run code, so it
needs an explicit ``allow_pickle``; ``weights_only=True`` narrows what the unpickler accepts.
"""

from __future__ import annotations

from pathlib import Path

from stdt2v.errors import InputError
from stdt2v.io import TMP_PREFIX
from stdt2v.loading import check_pickle_conversion


def convert_ip_adapter(source: str | Path, target: str | Path, *, allow_pickle: bool = False) -> dict[str, int]:
    """Write ``target`` (.safetensors) from ``source``; return the number of tensors per part."""
    import torch
    from safetensors.torch import save_file

    source, target = check_pickle_conversion(source, target, allow_pickle=allow_pickle)
    state = torch.load(source, map_location="cpu", weights_only=True)
    if not isinstance(state, dict) or not {"image_proj", "ip_adapter"} <= state.keys():
        raise InputError(f"{source}: not an IP-Adapter checkpoint (expected the keys image_proj and ip_adapter)")
    tensors = {f"{part}.{key}": value.contiguous() for part in ("image_proj", "ip_adapter") for key, value in state[part].items()}
    staging = target.with_name(f"{TMP_PREFIX}{target.name}")
    save_file(tensors, staging)
    staging.replace(target)
    return {part: len(state[part]) for part in ("image_proj", "ip_adapter")}
