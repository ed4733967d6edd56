"""FID on aligned face crops: generated frames against the reference faces.

* ``fid``: the distribution-level Fréchet distance (torchmetrics' ``FrechetInceptionDistance``)
  between all generated face crops and all reference face crops of an evaluation.
* ``framewise_feature_distance``: the *compatibility* variant. ConsisID's evaluation calls
  FID on one reference activation against one frame activation, each duplicated, so both
  covariances are zero and the number is ``‖f(reference) − f(frame)‖²`` averaged over frames:
  a feature distance, reported here under that name for comparison with papers that used it.

Features: CLIP image embeddings (``fid_feature=clip``, FID_CLIP, safetensors weights) or
torchmetrics' InceptionV3 (``inception``: needs ``torch-fidelity`` and its pickle weights file,
so also ``allow_pickle_weights=true``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import nn

from stdt2v.errors import ConfigError

# Face crops go to the feature extractor at this size (ConsisID aligns at 224).
CROP_SIZE = 224


class FeatureModule(nn.Module):
    """Wraps a function uint8 [N, 3, H, W] → features [N, D] as the module torchmetrics wants."""

    def __init__(self, extract: Callable[[torch.Tensor], torch.Tensor], num_features: int):
        super().__init__()
        self.extract = extract
        self.num_features = num_features

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.extract(images).double()


def build_feature(feature: str, *, clip_scorer=None, inception_weights: str | None = None, allow_pickle: bool = False) -> nn.Module | int:
    if feature == "clip":
        if clip_scorer is None:
            raise ConfigError("eval.fid_feature=clip: set eval.clip_model (the CLIP model whose image features are used)")
        return FeatureModule(clip_scorer.image_features, clip_scorer.model.config.projection_dim)
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
    """Mean ‖f(reference) − f(frame)‖² over frames (ConsisID's per-frame "FID")."""
    if not frames:
        return None
    features = feature(_to_tensor([reference, *frames]))
    return float(((features[1:] - features[0]) ** 2).sum(dim=1).mean())
