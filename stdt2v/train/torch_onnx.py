"""An ONNX face recognizer run with torch ops, so that gradients flow through it.

The identity loss of training needs d(embedding)/d(pixels); insightface runs its recognizers
(ArcFace IResNet ``glintr100.onnx``, ``w600k_r50.onnx``) in onnxruntime, which has no
gradients. ``onnx2torch`` would convert them, but it imports torchvision at import time, and
PyPI's torchvision breaks beside the CPU torch build these machines use. The recognizers use a
small set of ops; this module runs exactly those, node by node, with the graph's initializers
as frozen buffers. Anything else fails with the op's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from stdt2v.errors import ConfigError


def _attrs(node) -> dict:
    from onnx import helper

    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _pads(attrs: dict, dims: int) -> list[int]:
    pads = list(attrs.get("pads", [0] * 2 * dims))
    if pads[:dims] != pads[dims:]:
        raise ConfigError(f"ONNX recognizer: asymmetric padding {pads} is not supported")
    return pads[:dims]


def _conv(x, w, b=None, **a):
    return F.conv2d(x, w, b, stride=a.get("strides", [1, 1]), padding=_pads(a, 2), dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1))


def _batchnorm(x, scale, bias, mean, var, **a):
    return F.batch_norm(x, mean, var, scale, bias, training=False, eps=a.get("epsilon", 1e-5))


def _prelu(x, slope, **a):
    return torch.where(x >= 0, x, x * slope.reshape(slope.shape if slope.dim() != 1 else (1, -1) + (1,) * (x.dim() - 2)))


def _gemm(a_, b_, c=None, **a):
    a_ = a_.t() if a.get("transA") else a_
    b_ = b_.t() if a.get("transB") else b_
    out = a.get("alpha", 1.0) * (a_ @ b_)
    return out if c is None else out + a.get("beta", 1.0) * c


def _pool(kind):
    def run(x: torch.Tensor, **a: Any) -> torch.Tensor:
        kernel, stride = a["kernel_shape"], a.get("strides", a["kernel_shape"])
        pool = F.avg_pool2d if kind == "avg" else F.max_pool2d
        return pool(x, kernel, stride, _pads(a, 2))

    return run


def _reshape(x, shape, **a):
    shape = [x.shape[i] if s == 0 else int(s) for i, s in enumerate(shape.tolist())]
    return x.reshape(shape)


def _unsqueeze(x, axes=None, **a):
    for axis in sorted(a.get("axes") or axes.tolist()):
        x = x.unsqueeze(axis)
    return x


OPS = {
    "Conv": _conv,
    "BatchNormalization": _batchnorm,
    "PRelu": _prelu,
    "Relu": lambda x, **a: F.relu(x),
    "Sigmoid": lambda x, **a: torch.sigmoid(x),
    "Add": lambda x, y, **a: x + y,
    "Sub": lambda x, y, **a: x - y,
    "Mul": lambda x, y, **a: x * y,
    "Div": lambda x, y, **a: x / y,
    "MatMul": lambda x, y, **a: x @ y,
    "Gemm": _gemm,
    "Flatten": lambda x, **a: x.flatten(a.get("axis", 1)) if a.get("axis", 1) > 0 else x.reshape(1, -1),
    "Reshape": _reshape,
    "Transpose": lambda x, **a: x.permute(*a["perm"]),
    "GlobalAveragePool": lambda x, **a: x.mean(dim=(2, 3), keepdim=True),
    "AveragePool": _pool("avg"),
    "MaxPool": _pool("max"),
    "Identity": lambda x, **a: x,
    "Dropout": lambda x, *rest, **a: x,
    "Shape": lambda x, **a: torch.tensor(x.shape, dtype=torch.int64),
    "Gather": lambda x, i, **a: torch.index_select(x, a.get("axis", 0), i.reshape(-1)).reshape(i.shape + x.shape[a.get("axis", 0) + 1 :]),
    "Unsqueeze": _unsqueeze,
    "Concat": lambda *xs, **a: torch.cat(xs, dim=a["axis"]),
}


class OnnxRecognizer(nn.Module):
    """``forward(images)``: images [N, 3, H, W] in [-1, 1], RGB, aligned to the ArcFace template
    (what insightface feeds its recognizers after its (x − 127.5) / 127.5) → embeddings [N, D]."""

    def __init__(self, path: str | Path):
        super().__init__()
        import onnx
        from onnx import numpy_helper

        model = onnx.load(str(path))
        graph = model.graph
        self.nodes = list(graph.node)
        unknown = sorted({n.op_type for n in self.nodes if n.op_type not in OPS and n.op_type != "Constant"})
        if unknown:
            raise ConfigError(f"identity_loss.recognizer: {path} uses ONNX ops this runner does not have: {', '.join(unknown)}")
        self.names: dict[str, str] = {}
        for i, init in enumerate(graph.initializer):
            self.register_buffer(f"w{i}", torch.from_numpy(np.array(numpy_helper.to_array(init))), persistent=False)
            self.names[init.name] = f"w{i}"
        fed = set(self.names)
        self.input = next(i.name for i in graph.input if i.name not in fed)
        self.output = graph.output[0].name
        self.input_size = tuple(d.dim_value for d in next(i for i in graph.input if i.name == self.input).type.tensor_type.shape.dim[2:])
        self.requires_grad_(False)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        from onnx import numpy_helper

        values = {name: getattr(self, buffer) for name, buffer in self.names.items()}
        values[self.input] = images
        for node in self.nodes:
            attrs = _attrs(node)
            if node.op_type == "Constant":
                values[node.output[0]] = torch.from_numpy(np.array(numpy_helper.to_array(attrs["value"]))).to(images.device)
                continue
            inputs = [values[name] if name else None for name in node.input]
            while inputs and inputs[-1] is None:
                inputs.pop()
            values[node.output[0]] = OPS[node.op_type](*inputs, **attrs)
        return values[self.output]
