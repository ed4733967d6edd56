"""CLIPScore: text–frame alignment, in ConsisID's convention.

ConsisID's ``eval/get_clipscore.py`` averages CLIP's ``logits_per_image`` over 16 frames:
``logit_scale.exp() × cos(image, text)`` — ×100 for the released CLIP models, not clipped at
0 (unlike torchmetrics' ``max(100·cos, 0)``), prompt truncated to CLIP's 77 tokens. Its
frames reach CLIP in OpenCV's BGR order, unconverted; ``channels="bgr"`` reproduces that.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch

from stdt2v.loading import load_pretrained


class CLIPScorer:
    def __init__(self, source: str, device: str = "cpu", allow_pickle: bool = False):
        from transformers import CLIPModel, CLIPProcessor

        self.model = load_pretrained(CLIPModel.from_pretrained, source, "eval.clip_model", allow_pickle=allow_pickle).to(device).eval()
        self.processor = load_pretrained(CLIPProcessor.from_pretrained, source, "eval.clip_model", weights=False)
        self.device = device

    @torch.no_grad()
    def __call__(self, frames: Sequence[np.ndarray], prompt: str, channels: str = "rgb") -> float:
        """Mean ``logits_per_image`` of RGB ``frames``; ``channels="bgr"`` hands CLIP the
        channels reversed, as ConsisID's OpenCV frames reach it."""
        images = [np.ascontiguousarray(f[..., ::-1]) if channels == "bgr" else f for f in frames]
        inputs = self.processor(text=prompt, images=images, return_tensors="pt", padding=True, truncation=True).to(self.device)
        return float(self.model(**inputs).logits_per_image.mean())

    @torch.no_grad()
    def image_features(self, images: torch.Tensor) -> torch.Tensor:
        """CLIP image embeddings of uint8 images [N, 3, H, W] (the FID_CLIP feature)."""
        pixels = self.processor(images=list(images.permute(0, 2, 3, 1).cpu().numpy()), return_tensors="pt")["pixel_values"]
        out = self.model.get_image_features(pixel_values=pixels.to(self.device))
        # transformers 5 returns an output object whose pooler_output is the projected embedding.
        return out if isinstance(out, torch.Tensor) else out.pooler_output
