"""Aesthetics: LAION's improved aesthetic predictor, as OpenS2V-Eval's ``get_aesscore.py`` runs it.

A ``CLIPVisionModelWithProjection`` (``openai/clip-vit-large-patch14``) embeds each frame through
``CLIPProcessor``; the image embedding is L2-normalised and an MLP maps it to a score (about
1–10). The MLP is ``layers.{0,2,4,6,7}``: Linear, Dropout, Linear, Dropout, Linear, Dropout,
Linear, Linear (768→1024→128→64→16→1); dropout is off at inference, so only the five linear
layers act, with no activation between them. Their sizes are read from the weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from stdt2v.errors import ConfigError, InputError
from stdt2v.io import TMP_PREFIX
from stdt2v.loading import check_pickle_conversion, load_pretrained

# The Linear layers' positions in the published nn.Sequential (the Dropouts sit between them).
LINEAR_LAYERS = (0, 2, 4, 6, 7)


def load_mlp(path: str | Path) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(weight, bias) of each linear layer from a safetensors file with ``layers.{i}.weight/bias``."""
    from safetensors.torch import load_file

    path = Path(path).expanduser()
    if path.suffix != ".safetensors" or not path.is_file():
        raise ConfigError(
            f"eval.aesthetic_model: '{path}' is not a .safetensors file (convert aesthetic-model.pth: scripts/convert_aesthetic.py --allow-pickle)"
        )
    state = load_file(str(path))
    missing = [f"layers.{i}.{k}" for i in LINEAR_LAYERS for k in ("weight", "bias") if f"layers.{i}.{k}" not in state]
    if missing:
        raise ConfigError(f"eval.aesthetic_model: {path} lacks {', '.join(missing)}; expected the MLP of OpenS2V's aesthetic-model.pth")
    layers = [(state[f"layers.{i}.weight"].float(), state[f"layers.{i}.bias"].float()) for i in LINEAR_LAYERS]
    for (w_in, _), (w_out, _) in zip(layers[:-1], layers[1:]):
        if w_out.shape[1] != w_in.shape[0]:
            raise ConfigError(f"eval.aesthetic_model: {path}: layer sizes do not chain ({tuple(w_in.shape)} then {tuple(w_out.shape)})")
    return layers


def mlp_score(layers: list[tuple[torch.Tensor, torch.Tensor]], embeddings: torch.Tensor) -> torch.Tensor:
    """The MLP on L2-normalised embeddings [N, D] → scores [N]."""
    x = embeddings / torch.linalg.vector_norm(embeddings, dim=-1, keepdim=True)
    for weight, bias in layers:
        x = torch.nn.functional.linear(x, weight, bias)
    return x.squeeze(1)


class AestheticScorer:
    def __init__(self, clip_source: str, mlp_path: str | Path, device: str = "cpu", allow_pickle: bool = False):
        from transformers import CLIPVisionModelWithProjection

        self.layers = [(w.to(device), b.to(device)) for w, b in load_mlp(mlp_path)]
        key = "eval.aesthetic_clip"
        self.model = load_pretrained(CLIPVisionModelWithProjection.from_pretrained, clip_source, key, allow_pickle=allow_pickle).to(device).eval()
        self.processor = _processor(clip_source, key)
        dim = self.model.config.projection_dim
        if self.layers[0][0].shape[1] != dim:
            raise ConfigError(f"eval.aesthetic_model: its first layer takes {self.layers[0][0].shape[1]} features; {clip_source} embeds to {dim}")
        self.device = device

    @torch.no_grad()
    def __call__(self, frames: Sequence[np.ndarray]) -> float:
        """Mean score of RGB frames, in one batch as the script passes them."""
        from PIL import Image

        pixels = self.processor(images=[Image.fromarray(f) for f in frames], return_tensors="pt")["pixel_values"]
        embeddings = self.model(pixel_values=pixels.to(self.device)).image_embeds
        return float(mlp_score(self.layers, embeddings).mean())


def _processor(source: str, key: str):
    """``CLIPProcessor`` as the script loads it; a folder without a tokenizer gets its image
    processor alone (the same pixels: CLIPProcessor hands images to it)."""
    from transformers import AutoImageProcessor, CLIPProcessor

    try:
        return CLIPProcessor.from_pretrained(source)
    except (OSError, ValueError, TypeError, AttributeError):
        return load_pretrained(AutoImageProcessor.from_pretrained, source, key, weights=False)


def convert_aesthetic_mlp(source: str | Path, target: str | Path, *, allow_pickle: bool = False) -> int:
    """Write OpenS2V's ``aesthetic-model.pth`` (the MLP's state dict) as safetensors, checked for
    the ``layers.{0,2,4,6,7}`` layout; returns the number of tensors."""
    from safetensors.torch import save_file

    source, target = check_pickle_conversion(source, target, allow_pickle=allow_pickle)
    state = torch.load(source, map_location="cpu", weights_only=True)
    if isinstance(state, dict) and "state_dict" in state:
        state = state["state_dict"]
    wanted = {f"layers.{i}.{k}" for i in LINEAR_LAYERS for k in ("weight", "bias")}
    if not isinstance(state, dict) or not wanted <= set(state):
        found = sorted(state)[:4] if isinstance(state, dict) else type(state).__name__
        raise InputError(f"{source}: not the aesthetic predictor's MLP (needs {', '.join(sorted(wanted))}; found {found})")
    tensors = {k: state[k].contiguous() for k in sorted(wanted)}
    staging = target.with_name(f"{TMP_PREFIX}{target.name}")
    save_file(tensors, str(staging))
    staging.replace(target)
    return len(tensors)
