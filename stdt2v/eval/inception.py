"""InceptionV3 in torchvision's layout: the network ConsisID's "FID" reads.

ConsisID's evaluation calls ``torchvision.models.inception_v3(weights=DEFAULT)``
(IMAGENET1K_V1), replaces ``fc`` with the identity and reads the 2048-d pooled activation
of a face crop resized to 299×299 and scaled to [0, 1]. torchvision builds that model with
``transform_input=True``, which moves the [0, 1] input from ImageNet's normalisation to the
[-1, 1] range the Google weights were trained on. PyPI's torchvision does not import beside
every torch build, so the architecture is written here from the published design (Szegedy et
al., 2016) with torchvision's module names, so that its state dict loads key for key and shape
for shape (``scripts/convert_inception.py`` turns torchvision's ``.pth`` into safetensors).

This is not torchmetrics' FID network (``pt_inception-2015-12-05``, the TF port): the two
have different weights and a different input transform.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from stdt2v.errors import ConfigError, InputError
from stdt2v.io import TMP_PREFIX
from stdt2v.loading import check_pickle_conversion

FEATURES = 2048
INPUT_SIZE = 299
# torchvision's ``transform_input``: x·(std/0.5) + (mean − 0.5)/0.5 per channel.
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


class BasicConv2d(nn.Module):
    """Convolution without bias, batch norm (eps 1e-3), ReLU."""

    def __init__(self, in_channels: int, out_channels: int, **kwargs: int | tuple[int, int]):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)), inplace=True)


def _avg_pool_3x3(x: torch.Tensor) -> torch.Tensor:
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1)


class InceptionA(nn.Module):  # 35×35 grid: 1×1, 5×5, double 3×3, pool
    def __init__(self, in_channels: int, pool_features: int):
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch5x5_1 = BasicConv2d(in_channels, 48, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48, 64, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(in_channels, pool_features, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat(
            [
                self.branch1x1(x),
                self.branch5x5_2(self.branch5x5_1(x)),
                self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                self.branch_pool(_avg_pool_3x3(x)),
            ],
            1,
        )


class InceptionB(nn.Module):  # 35 → 17 grid reduction
    def __init__(self, in_channels: int):
        super().__init__()
        self.branch3x3 = BasicConv2d(in_channels, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat(
            [
                self.branch3x3(x),
                self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                F.max_pool2d(x, kernel_size=3, stride=2),
            ],
            1,
        )


class InceptionC(nn.Module):  # 17×17 grid: factorised 7×7 convolutions
    def __init__(self, in_channels: int, channels_7x7: int):
        super().__init__()
        c7 = channels_7x7
        self.branch1x1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch7x7_1 = BasicConv2d(in_channels, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(in_channels, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(in_channels, 192, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        double = x
        for conv in (self.branch7x7dbl_1, self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            double = conv(double)
        return torch.cat(
            [
                self.branch1x1(x),
                self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x))),
                double,
                self.branch_pool(_avg_pool_3x3(x)),
            ],
            1,
        )


class InceptionD(nn.Module):  # 17 → 8 grid reduction
    def __init__(self, in_channels: int):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(in_channels, 192, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, kernel_size=3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat(
            [
                self.branch3x3_2(self.branch3x3_1(x)),
                self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(self.branch7x7x3_1(x)))),
                F.max_pool2d(x, kernel_size=3, stride=2),
            ],
            1,
        )


class InceptionE(nn.Module):  # 8×8 grid: expanded filter banks (1×3 and 3×1 side by side)
    def __init__(self, in_channels: int):
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 320, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(in_channels, 384, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 448, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(in_channels, 192, kernel_size=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        single = self.branch3x3_1(x)
        double = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        return torch.cat(
            [
                self.branch1x1(x),
                torch.cat([self.branch3x3_2a(single), self.branch3x3_2b(single)], 1),
                torch.cat([self.branch3x3dbl_3a(double), self.branch3x3dbl_3b(double)], 1),
                self.branch_pool(_avg_pool_3x3(x)),
            ],
            1,
        )


class InceptionAux(nn.Module):
    """The auxiliary classifier: part of the published weights, unused at inference."""

    def __init__(self, in_channels: int, num_classes: int):
        super().__init__()
        self.conv0 = BasicConv2d(in_channels, 128, kernel_size=1)
        self.conv1 = BasicConv2d(128, 768, kernel_size=5)
        self.fc = nn.Linear(768, num_classes)


class InceptionV3(nn.Module):
    """torchvision's ``inception_v3`` (module names and shapes), evaluated for features.

    ``forward`` takes images in [0, 1], [N, 3, 299, 299], and returns the pooled 2048-d
    activation: what torchvision's model returns in eval mode once ``fc`` is the identity.
    """

    def __init__(self, num_classes: int = 1000, transform_input: bool = True):
        super().__init__()
        self.transform_input = transform_input
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, kernel_size=3, padding=1)
        self.maxpool1 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, kernel_size=1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, kernel_size=3)
        self.maxpool2 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Mixed_5b = InceptionA(192, pool_features=32)
        self.Mixed_5c = InceptionA(256, pool_features=64)
        self.Mixed_5d = InceptionA(288, pool_features=64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = InceptionC(768, channels_7x7=128)
        self.Mixed_6c = InceptionC(768, channels_7x7=160)
        self.Mixed_6d = InceptionC(768, channels_7x7=160)
        self.Mixed_6e = InceptionC(768, channels_7x7=192)
        self.AuxLogits = InceptionAux(768, num_classes)
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = InceptionE(1280)
        self.Mixed_7c = InceptionE(2048)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(FEATURES, num_classes)

    def _transform_input(self, x: torch.Tensor) -> torch.Tensor:
        channels = [x[:, c : c + 1] * (std / 0.5) + (mean - 0.5) / 0.5 for c, (mean, std) in enumerate(zip(_IMAGENET_MEAN, _IMAGENET_STD))]
        return torch.cat(channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # [N, 3, 299, 299] in [0, 1] → [N, 2048]
        if self.transform_input:
            x = self._transform_input(x)
        for layer in (
            self.Conv2d_1a_3x3,
            self.Conv2d_2a_3x3,
            self.Conv2d_2b_3x3,
            self.maxpool1,
            self.Conv2d_3b_1x1,
            self.Conv2d_4a_3x3,
            self.maxpool2,
            self.Mixed_5b,
            self.Mixed_5c,
            self.Mixed_5d,
            self.Mixed_6a,
            self.Mixed_6b,
            self.Mixed_6c,
            self.Mixed_6d,
            self.Mixed_6e,
            self.Mixed_7a,
            self.Mixed_7b,
            self.Mixed_7c,
            self.avgpool,
        ):
            x = layer(x)
        return torch.flatten(x, 1)  # dropout is the identity in eval mode; fc is not applied


def convert_torchvision_inception(source: str | Path, target: str | Path, *, allow_pickle: bool = False) -> int:
    """Write torchvision's ``inception_v3`` ``.pth`` as safetensors, checked key for key and
    shape for shape against ``InceptionV3``; returns the number of tensors."""
    from safetensors.torch import save_file

    source, target = check_pickle_conversion(source, target, allow_pickle=allow_pickle)
    state = torch.load(source, map_location="cpu", weights_only=True)
    expected = InceptionV3().state_dict()
    if not isinstance(state, dict):
        raise InputError(f"{source}: not a state dict")
    wrong = [k for k, v in expected.items() if k not in state and not k.endswith("num_batches_tracked")]
    wrong += [k for k, v in state.items() if k not in expected or tuple(v.shape) != tuple(expected[k].shape)]
    if wrong:
        raise InputError(f"{source}: not torchvision's inception_v3 weights ({len(wrong)} keys missing or of another shape, e.g. {wrong[0]})")
    tensors = {k: v.contiguous() for k, v in state.items()}
    staging = target.with_name(f"{TMP_PREFIX}{target.name}")
    save_file(tensors, str(staging))
    staging.replace(target)
    return len(tensors)


def load_inception(path: str | Path, device: str = "cpu") -> InceptionV3:
    """Our InceptionV3 with torchvision's weights from a safetensors file (strict: every key)."""
    from safetensors.torch import load_file

    path = Path(path).expanduser()
    if path.suffix != ".safetensors" or not path.is_file():
        raise ConfigError(
            f"eval.fid_inception_weights: '{path}' is not a .safetensors file; convert torchvision's "
            "inception_v3_google-0cc3c7bd.pth with: python scripts/convert_inception.py --allow-pickle PTH OUT.safetensors"
        )
    model = InceptionV3()
    state = load_file(str(path))
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ConfigError(
            f"eval.fid_inception_weights: {path} is not torchvision's inception_v3 state dict "
            f"({len(missing)} missing keys, e.g. {missing[:2]}; {len(unexpected)} unexpected, e.g. {unexpected[:2]})"
        )
    return model.to(device).eval()
