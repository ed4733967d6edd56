"""FID on aligned face crops: generated frames against the reference faces.

* ``fid``: the distribution-level Fréchet distance (torchmetrics' ``FrechetInceptionDistance``)
  between all generated face crops and all reference face crops of an evaluation.
* ``framewise_feature_distance``: the *compatibility* variant. ConsisID's evaluation calls
  FID on one reference activation against one frame activation, each duplicated, so both
  covariances are zero and the number is ``‖f(reference) − f(frame)‖²`` averaged over frames:
  a feature distance, reported here under that name for comparison with papers that used it.

Features: CLIP image embeddings (``fid_feature=clip``, FID_CLIP, safetensors weights) or an
InceptionV3 (``inception``): torchmetrics' TF-FID network (native protocol; needs
``torch-fidelity`` and its pickle weights file, so also ``allow_pickle_weights=true``) or
torchvision's ``inception_v3`` (consisid protocol; ``stdt2v.eval.inception``, safetensors).

What the features see is the protocol's ``fid_input``: the 224 aligned crop, or that crop
resized to 299×299 with PIL's bilinear filter (torchvision's ``Resize`` on a PIL image).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import numpy as np
import torch
from torch import nn

from stdt2v.errors import ConfigError
from stdt2v.eval.inception import FEATURES, INPUT_SIZE, load_inception

if TYPE_CHECKING:
    from stdt2v.eval.clip_score import CLIPScorer

# Face crops go to the feature extractor at this size (ConsisID aligns at 224).
CROP_SIZE = 224


def fid_input(crop: np.ndarray, how: str) -> np.ndarray:
    """The image a FID feature reads from an aligned uint8 RGB crop: as is (``crop_224``) or
    resized to 299×299, bilinear on the PIL image (``resize_299``, ConsisID's)."""
    if how == "resize_299":
        from PIL import Image

        return np.asarray(Image.fromarray(crop).resize((INPUT_SIZE, INPUT_SIZE), Image.BILINEAR))
    return crop


class FeatureModule(nn.Module):
    """Wraps a function uint8 [N, 3, H, W] → features [N, D] as the module torchmetrics wants."""

    def __init__(self, extract: Callable[[torch.Tensor], torch.Tensor], num_features: int):
        super().__init__()
        self.extract = extract
        self.num_features = num_features

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.extract(images).double()


def build_feature(
    feature: str,
    *,
    clip_scorer: CLIPScorer | None = None,
    inception: str = "torchmetrics",
    inception_weights: str | None = None,
    allow_pickle: bool = False,
    device: str = "cpu",
) -> nn.Module | int:
    """The FID feature extractor: a module on uint8 [N, 3, H, W], or 2048 (torchmetrics' own
    InceptionV3, which torchmetrics builds itself)."""
    if feature == "clip":
        if clip_scorer is None:
            raise ConfigError("eval.fid_feature=clip: set eval.clip_model (the CLIP model whose image features are used)")
        return FeatureModule(clip_scorer.image_features, clip_scorer.model.config.projection_dim)
    if inception == "torchvision":
        if inception_weights is None:
            raise ConfigError(
                "eval.fid_feature=inception: set eval.fid_inception_weights to torchvision's inception_v3 weights as "
                "safetensors (python scripts/convert_inception.py --allow-pickle PTH OUT.safetensors), or use fid_feature=clip"
            )
        network = load_inception(inception_weights, device=device)

        @torch.no_grad()
        def extract(images: torch.Tensor) -> torch.Tensor:  # uint8 [N, 3, H, W] → [N, 2048]
            return network(images.to(device).float().div(255))  # torchvision's ToTensor: /255

        return FeatureModule(extract, FEATURES)
    if not allow_pickle or inception_weights is None:
        raise ConfigError(
            "eval.fid_feature=inception: set eval.fid_inception_weights to torch-fidelity's pt_inception-2015-12-05 .pth "
            "and allow_pickle_weights=true (it is a pickle file), or use fid_feature=clip"
        )
    return 2048


def _to_tensor(crops: list[np.ndarray]) -> torch.Tensor:
    return torch.from_numpy(np.stack(crops)).permute(0, 3, 1, 2).contiguous()


def fid(real: list[np.ndarray], fake: list[np.ndarray], feature: nn.Module | int, inception_weights: str | None = None) -> float | None:
    """Fréchet distance between two sets of uint8 RGB crops; None with fewer than 2 per set."""
    from torchmetrics.image.fid import FrechetInceptionDistance

    if len(real) < 2 or len(fake) < 2:
        return None
    extra = {"feature_extractor_weights_path": inception_weights} if isinstance(feature, int) else {}
    metric = FrechetInceptionDistance(feature=feature, reset_real_features=True, **extra)
    metric.update(_to_tensor(real), real=True)
    metric.update(_to_tensor(fake), real=False)
    return float(metric.compute())


@torch.no_grad()
def framewise_feature_distance(reference: np.ndarray, frames: list[np.ndarray], feature: nn.Module) -> float | None:
    """Mean ‖f(reference) − f(frame)‖² over frames (ConsisID's per-frame "FID"). Each image is
    its own batch of one, as ConsisID computes it (batched convolutions round differently)."""
    if not frames:
        return None
    features = [feature(_to_tensor([image]))[0] for image in (reference, *frames)]
    return float(np.mean([float(((f - features[0]) ** 2).sum()) for f in features[1:]]))
