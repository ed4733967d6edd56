"""HyperLoRA as the keyframe stage's identity conditioning: one LoRA per identity.

The LoRA is computed once per identity (keyed by the reference images' content), cached, and
loaded into the UNet with diffusers' ``load_lora_weights`` under one adapter name; a new
identity replaces it (never stacks). Best-of-N and the face refinement (img2img shares the
UNet) reuse it. The hypernetwork stays on the CPU between identities and visits the pipeline's
device only to compute a LoRA.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from stdt2v.errors import ConfigError, NoFaceError, StdT2VError
from stdt2v.face.hyper_input import hyper_face_input
from stdt2v.keyframe.identity import Identity, IdentityConditioner
from stdt2v.loading import load_pretrained
from stdt2v.models.hyperlora import HyperLoRA, attention_modules, load_hyperlora

logger = logging.getLogger(__name__)

ADAPTER = "hyperlora"
DEFAULT_IMAGE_ENCODER = "openai/clip-vit-large-patch14"  # the vision tower HyperLoRA reads


@dataclass
class HyperLoRAReport:
    identities: int = 0
    seconds: list[float] = field(default_factory=list)  # identity → LoRA, per identity computed
    # Per reference image of the last identity: the detector size that found the face, the mask
    # polygon's landmarks, and whether its ArcFace crop held a face (else it was left out).
    references: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "adapter": ADAPTER,
            "identities": self.identities,
            "identity_to_lora_seconds": [round(s, 3) for s in self.seconds],
            "references": self.references,
        }


class HyperLoRAEncoder:
    """Reference images → HyperLoRA's kohya LoRA state dict (no pipeline needed)."""

    def __init__(self, hyper: HyperLoRA, image_encoder: Any, image_processor: Any, face_analyzer: Any, device: Any = "cpu") -> None:
        self.hyper, self.image_encoder, self.image_processor = hyper, image_encoder, image_processor
        self.face_analyzer, self.device = face_analyzer, device
        self.references: list[dict] = []  # what the last call's face inputs were

    @classmethod
    def from_pretrained(
        cls, source: str, image_encoder: str | None, face_analyzer: Any, *, device: Any = "cpu", allow_pickle: bool = False
    ) -> HyperLoRAEncoder:
        """The CLIP vision tower: the variant folder's own ``image_encoder/`` where it has one (the
        tiny model does; the release does not), else ``image_encoder`` (a folder or hub id), else
        ``openai/clip-vit-large-patch14``. The hypernetwork is read first: a damaged folder is one
        line before any other weights load."""
        from transformers import CLIPImageProcessor, CLIPVisionModel

        hyper = load_hyperlora(source)
        inside = Path(source) / "image_encoder"
        encoder_source = str(inside) if inside.is_dir() else (image_encoder or DEFAULT_IMAGE_ENCODER)
        encoder = load_pretrained(CLIPVisionModel.from_pretrained, encoder_source, "keyframe.identity.image_encoder", allow_pickle=allow_pickle)
        processor = load_pretrained(CLIPImageProcessor.from_pretrained, encoder_source, "keyframe.identity.image_encoder", weights=False)
        if encoder.config.hidden_size != hyper.clip_dim:
            raise StdT2VError(f"keyframe.identity.image_encoder: {encoder_source} has width {encoder.config.hidden_size}, HyperLoRA reads {hyper.clip_dim}")
        return cls(hyper, encoder.eval(), processor, face_analyzer, device)

    @torch.no_grad()
    def lora_state_dict(self, images: list[Image.Image]) -> dict[str, torch.Tensor]:
        """The LoRA of the identity in ``images`` (one or several references: averaged). A
        reference whose ArcFace crop holds no face is left out, as the release does."""
        prepared = [hyper_face_input(self.face_analyzer, image, what=f"id image {n + 1}") for n, image in enumerate(images)]
        self.references = [
            {"detect_size": i.detect_size, "polygon": i.polygon, "arcface": "found" if i.embedding is not None else "no face in the ArcFace crop: left out"}
            for i in prepared
        ]
        inputs = [i for i in prepared if i.embedding is not None]
        if not inputs:
            raise NoFaceError("id image: no face found in the ArcFace crop of any reference (HyperLoRA leaves such images out); pass a clearer face")
        widths = {len(i.embedding) for i in inputs}
        if widths != {self.hyper.id_dim}:
            raise StdT2VError(
                f"keyframe.identity: HyperLoRA reads {self.hyper.id_dim}-d identity vectors, the face backend gives {widths.pop()}-d "
                f"(the released HyperLoRA needs ArcFace: face.backend=insightface)"
            )
        pixels = self.image_processor(images=[i.clip_image for i in inputs], return_tensors="pt")["pixel_values"]
        self.hyper.to(self.device)
        self.image_encoder.to(self.device)
        try:
            hidden = self.image_encoder(pixel_values=pixels.to(self.device), output_hidden_states=True).hidden_states[-2]
            embeddings = torch.as_tensor(np.stack([i.embedding for i in inputs]), dtype=torch.float32, device=self.device)
            coefficients = self.hyper.coefficients(embeddings, hidden.float())
            state = {k: v.cpu() for k, v in self.hyper.lora_state_dict(coefficients).items()}
        finally:
            self.hyper.to("cpu")  # off the GPU between identities
            self.image_encoder.to("cpu")
        return state


def check_modules(modules: dict[str, dict], unet_modules: dict[str, dict]) -> None:
    """Every module of the HyperLoRA JSON is an attention module of this UNet, of the same widths."""
    for name, widths in modules.items():
        if name not in unet_modules:
            raise ConfigError(f"keyframe.identity.path: HyperLoRA module '{name}' is not in keyframe.model's UNet (a HyperLoRA for another base model?)")
        theirs = unet_modules[name]
        if widths["hidden_size"] != theirs["hidden_size"] or (widths.get("cross_attention_dim") or None) != theirs["cross_attention_dim"]:
            raise ConfigError(f"keyframe.identity.path: HyperLoRA module '{name}' has widths {widths}, keyframe.model's UNet has {theirs}")


def identity_key(images: list[Image.Image]) -> str:
    digest = hashlib.sha256()
    for image in images:
        array = np.asarray(image.convert("RGB"))
        digest.update(str(array.shape).encode())
        digest.update(array.tobytes())
    return digest.hexdigest()[:16]


class HyperLoRAIdentity(IdentityConditioner):
    name = ADAPTER
    needs_reference_images = True

    def __init__(self, pipe: Any, encoder: HyperLoRAEncoder, scale: float = 0.85) -> None:
        check_modules(encoder.hyper.module_shapes, attention_modules(pipe.unet))
        self.pipe, self.encoder = pipe, encoder
        self.id_dim = encoder.hyper.id_dim
        self.scale = scale
        self._cache: dict[str, dict] = {}
        self._loaded: str | None = None
        self.report = HyperLoRAReport()

    def set_scale(self, scale: float) -> None:
        self.scale = scale
        if self._loaded is not None:
            self._set_weight()

    def _set_weight(self) -> None:
        if self.scale == 0:  # exactly the base model
            self.pipe.disable_lora()
        else:
            self.pipe.enable_lora()
            self.pipe.set_adapters([ADAPTER], adapter_weights=[self.scale])

    def check(self, identity: Identity | None, face_backend: str = "the face backend") -> None:
        pass  # the width is checked on the embedding HyperLoRA's own face input gives

    def lora_for(self, identity: Identity) -> tuple[str, dict]:
        if not identity.images:
            raise StdT2VError("keyframe: the hyperlora identity adapter needs the reference image(s)")
        key = identity_key(identity.images)
        if key not in self._cache:
            start = time.perf_counter()
            self._cache = {key: self.encoder.lora_state_dict(identity.images)}  # one identity at a time
            self.report.seconds.append(time.perf_counter() - start)
            self.report.references = self.encoder.references
            self.report.identities += 1
            logger.info("keyframe: HyperLoRA for identity %s in %.2f s", key, self.report.seconds[-1])
        return key, self._cache[key]

    def call_kwargs(self, pipe: Any, identity: Identity | None, batch: int, guidance: bool) -> dict[str, Any]:
        if identity is None:
            if self.scale == 0 and self._loaded is not None:  # no reference face: the base model
                self.pipe.disable_lora()
                return {}
            if self.scale == 0:
                return {}
            raise StdT2VError("keyframe: the hyperlora identity adapter needs a reference face")
        key, state = self.lora_for(identity)
        if self._loaded != key:
            if self._loaded is not None:
                self.pipe.delete_adapters(ADAPTER)  # replace the previous identity's LoRA, never stack
            self.pipe.load_lora_weights(dict(state), adapter_name=ADAPTER)  # a copy: diffusers pops the keys it converts
            self._loaded = key
        self._set_weight()
        return {}
