"""Random-weight ONNX graphs with the input/output signatures of insightface's model packs.

insightface routes a model file by its graph's signature (``model_zoo.get_model``): an
SCRFD detector has 9 outputs (scores, boxes and 5 keypoints at strides 8, 16, 32, two
anchors each); a recognizer takes 3×112×112 and returns a 512-d vector; the gender-age
model takes 3×96×96 and returns 3 numbers. These graphs have exactly those signatures and
random weights, so insightface loads them and every pre- and post-processing path of our
backend runs; their numbers mean nothing.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

PACK_FILES = {  # file names of the real antelopev2 pack
    "detection": "scrfd_10g_bnkps.onnx",
    "recognition": "glintr100.onnx",
    "genderage": "genderage.onnx",
}


class _SCRFDLike(nn.Module):
    """Conv pyramid → per-stride (score, box distance, keypoint offset) heads, SCRFD layout.

    Random convolutions, plus a fixed prior so that the graph finds one face-sized box at the
    image centre (scores peak there at stride 32; keypoints in a face-like layout): tests get
    a stable detection to follow through alignment, gender-age and recognition.
    """

    STRIDES = (8, 16, 32)
    KEYPOINTS = ((-0.9, -0.6), (0.9, -0.6), (0.0, 0.1), (-0.7, 0.9), (0.7, 0.9))  # × box half-size

    def __init__(self, anchors: int = 2, half_size: float = 3.0):
        super().__init__()
        self.anchors, self.half_size = anchors, half_size
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.ReLU())
        self.downs = nn.ModuleList([nn.Conv2d(8, 8, 3, stride=2, padding=1) for _ in self.STRIDES])
        self.score = nn.ModuleList([nn.Conv2d(8, anchors, 1) for _ in self.STRIDES])
        self.bbox = nn.ModuleList([nn.Conv2d(8, anchors * 4, 1) for _ in self.STRIDES])
        self.kps = nn.ModuleList([nn.Conv2d(8, anchors * 10, 1) for _ in self.STRIDES])
        self.register_buffer("kps_prior", torch.tensor(self.KEYPOINTS).flatten() * half_size)

    def forward(self, x):
        feats, h = [], self.stem(x)
        for down in self.downs:
            h = torch.relu(down(h))
            feats.append(h)

        def flat(t, c):  # [1, A*c, H, W] → [H*W*A, c], the order SCRFD decodes
            return t.permute(0, 2, 3, 1).reshape(-1, c)

        scores, boxes, kps = [], [], []
        for i, f in enumerate(feats):
            ys = torch.arange(f.shape[2], dtype=torch.float32) - (f.shape[2] - 1) / 2
            xs = torch.arange(f.shape[3], dtype=torch.float32) - (f.shape[3] - 1) / 2
            radius2 = ys[:, None] ** 2 + xs[None, :] ** 2  # [H, W], in cells from the centre
            peak = 6.0 - 4.0 * radius2 if i == len(feats) - 1 else torch.full_like(radius2, -10.0)
            logits = peak[None, None] + 0.01 * self.score[i](f)  # [1, A, H, W]
            scores.append(torch.sigmoid(flat(logits, 1)))
            boxes.append(self.half_size + 0.05 * torch.tanh(flat(self.bbox[i](f), 4)))
            kps.append(self.kps_prior + 0.05 * torch.tanh(flat(self.kps[i](f), 10)))
        return (*scores, *boxes, *kps)


class _Recognizer(nn.Module):
    def __init__(self, dim: int = 512):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, stride=4), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(128, dim))

    def forward(self, x):
        return self.body(x)


class _GenderAge(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 4, 3, stride=4), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(16, 3))

    def forward(self, x):
        return torch.sigmoid(self.body(x))  # [female, male] scores and age / 100


def _export(module: nn.Module, example: torch.Tensor, path: Path, outputs: list[str], dynamic: dict) -> None:
    module.eval()
    torch.onnx.export(
        module,
        (example,),
        str(path),
        input_names=["input.1"],
        output_names=outputs,
        dynamic_axes=dynamic,
        opset_version=13,
        dynamo=False,
    )


def build_tiny_insightface_pack(folder: str | Path, seed: int = 0) -> Path:
    """Write detection, recognition and gender-age ONNX files into ``folder`` (a model pack)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    names = [f"score_{s}" for s in (8, 16, 32)] + [f"bbox_{s}" for s in (8, 16, 32)] + [f"kps_{s}" for s in (8, 16, 32)]
    _export(
        _SCRFDLike(),
        torch.rand(1, 3, 128, 128),
        folder / PACK_FILES["detection"],
        names,
        {"input.1": {2: "height", 3: "width"}, **{n: {0: "anchors"} for n in names}},
    )
    _export(_Recognizer(), torch.rand(1, 3, 112, 112), folder / PACK_FILES["recognition"], ["embedding"], {"input.1": {0: "batch"}, "embedding": {0: "batch"}})
    _export(_GenderAge(), torch.rand(1, 3, 96, 96), folder / PACK_FILES["genderage"], ["fc1"], {"input.1": {0: "batch"}, "fc1": {0: "batch"}})
    return folder


def build_recognizer_onnx(path: str | Path, seed: int = 0) -> Path:
    """A random recognizer with the CurricularFace/ArcFace signature: [N, 3, 112, 112] → [N, 512]."""
    torch.manual_seed(seed)
    _export(_Recognizer(), torch.rand(1, 3, 112, 112), Path(path), ["embedding"], {"input.1": {0: "batch"}, "embedding": {0: "batch"}})
    return Path(path)


class _IResNetLike(nn.Module):
    """The op set of insightface's IResNet recognizers (glintr100, w600k_r50): conv, batch
    norm, PReLU, residual add, flatten, linear, 1-d batch norm on the feature."""

    def __init__(self, dim: int = 64):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.PReLU(8))
        self.block = nn.Sequential(
            nn.BatchNorm2d(8),
            nn.Conv2d(8, 8, 3, padding=1, bias=False),
            nn.BatchNorm2d(8),
            nn.PReLU(8),
            nn.Conv2d(8, 8, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(8),
        )
        self.down = nn.Sequential(nn.Conv2d(8, 8, 1, stride=2, bias=False), nn.BatchNorm2d(8))
        self.head = nn.Sequential(nn.BatchNorm2d(8), nn.Dropout(0.0), nn.Flatten(), nn.Linear(8 * 28 * 28, dim), nn.BatchNorm1d(dim))
        for m in self.modules():  # non-trivial statistics, so batch norm is really exercised
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.data.uniform_(0.5, 1.5)

    def forward(self, x):
        h = self.stem(x)
        return self.head(self.block(h) + self.down(h))


def build_iresnet_like_onnx(path: str | Path, seed: int = 0) -> Path:
    torch.manual_seed(seed)
    _export(_IResNetLike(), torch.rand(1, 3, 112, 112), Path(path), ["embedding"], {"input.1": {0: "batch"}, "embedding": {0: "batch"}})
    return Path(path)
