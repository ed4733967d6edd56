"""A tiny Wan transformer written as a GGUF file the way the community publishes Wan GGUFs:
the original Wan checkpoint's tensor names, 2-D Linear weights quantised (when their rows fill
whole blocks), everything else in F32."""

from __future__ import annotations

from pathlib import Path

import gguf
import torch

# diffusers names → the original Wan checkpoint's (the inverse of diffusers'
# convert_wan_transformer_to_diffusers), applied in order; norm2 and norm3 swap places.
TO_ORIGINAL = [
    ("condition_embedder.time_embedder.linear_1", "time_embedding.0"),
    ("condition_embedder.time_embedder.linear_2", "time_embedding.2"),
    ("condition_embedder.text_embedder.linear_1", "text_embedding.0"),
    ("condition_embedder.text_embedder.linear_2", "text_embedding.2"),
    ("condition_embedder.time_proj", "time_projection.1"),
    ("attn2", "cross_attn"),
    ("attn1", "self_attn"),
    (".to_out.0.", ".o."),
    (".to_q.", ".q."),
    (".to_k.", ".k."),
    (".to_v.", ".v."),
    ("ffn.net.0.proj", "ffn.0"),
    ("ffn.net.2", "ffn.2"),
    ("proj_out", "head.head"),
    ("norm2", "norm__swap"),
    ("norm3", "norm2"),
    ("norm__swap", "norm3"),
]


def original_state_dict(transformer: torch.nn.Module) -> dict[str, torch.Tensor]:
    out = {}
    for key, value in transformer.state_dict().items():
        name = key
        for ours, theirs in TO_ORIGINAL:
            name = name.replace(ours, theirs)
        name = "head.modulation" if name == "scale_shift_table" else name.replace(".scale_shift_table", ".modulation")
        out[name] = value
    return out


def write_wan_gguf(transformer: torch.nn.Module, path: Path, quant: str = "Q8_0") -> Path:
    qtype = gguf.GGMLQuantizationType[quant]
    block = gguf.GGML_QUANT_SIZES[qtype][0]
    writer = gguf.GGUFWriter(str(path), "wan")
    for name, tensor in original_state_dict(transformer).items():
        array = tensor.float().numpy()
        if array.ndim == 2 and array.shape[1] % block == 0:
            writer.add_tensor(name, gguf.quants.quantize(array, qtype), raw_dtype=qtype)
        else:
            writer.add_tensor(name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
