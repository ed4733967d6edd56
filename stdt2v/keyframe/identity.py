"""How a diffusers text-to-image pipeline is told *who*: identity conditioning.

Every adapter here rides diffusers' IP-Adapter machinery: the identity vector goes in as
``ip_adapter_image_embeds`` and is turned into tokens by the model's ``encoder_hid_proj``:

* ``faceid`` / ``faceid_plus`` / ``faceid_plusv2``: the published IP-Adapter-FaceID SDXL
  checkpoints, loaded with ``load_ip_adapter`` (their LoRA, embedded in the checkpoint, is
  applied by diffusers through PEFT). Plus variants also read a CLIP image embedding of the
  aligned face crop; v2 adds the ID tokens back as a shortcut.
* ``stdt2v``: the project's ``IdentityAdapter`` (``stdt2v.models.identity_adapter``), SDXL or FLUX.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image
from transformers import CLIPVisionModelWithProjection

from stdt2v.errors import ConfigError, StdT2VError
from stdt2v.loading import load_pretrained
from stdt2v.models.identity_adapter import IdentityAdapter

logger = logging.getLogger(__name__)

# The CLIP vision tower FaceID-Plus reads the face crop with, when keyframe.identity.image_encoder
# is unset: a subfolder of that name in the adapter's source, else the hub id. (The checkpoints'
# file names are config.validate.FACEID_WEIGHTS, looked up when the config is checked.)
DEFAULT_IMAGE_ENCODER = "laion/CLIP-ViT-H-14-laion2B-s32B-b79K"


@dataclass
class Identity:
    """Who the keyframe shows: the reference face's unit identity vector; for FaceID-Plus the
    reference face aligned to the ArcFace template (its CLIP image embedding is used); for
    HyperLoRA the reference image(s) themselves (it prepares its own face input)."""

    embedding: np.ndarray
    face_crop: Image.Image | None = None
    images: list[Image.Image] | None = None


class IdentityConditioner:
    """Turns an ``Identity`` into the keyword arguments of one pipeline call."""

    name = "none"
    id_dim: int | None = None
    needs_face_crop = False
    needs_reference_images = False
    report = None  # an adapter's own report (HyperLoRA: identities, seconds per identity → LoRA)

    def set_scale(self, scale: float) -> None:
        pass

    def call_kwargs(self, pipe: Any, identity: Identity | None, batch: int, guidance: bool) -> dict[str, Any]:
        return {}

    def check(self, identity: Identity | None, face_backend: str = "the face backend") -> None:
        if identity is None or self.id_dim is None:
            return
        if identity.embedding.shape[-1] != self.id_dim:
            raise StdT2VError(
                f"keyframe.identity: the {self.name} adapter takes {self.id_dim}-d identity vectors, "
                f"{face_backend} gives {identity.embedding.shape[-1]}-d (FaceID checkpoints need ArcFace: face.backend=insightface)"
            )


class IPAdapterIdentity(IdentityConditioner):
    """Identity vectors through ``ip_adapter_image_embeds`` (FaceID checkpoints and our adapter)."""

    def __init__(self, name: str, id_dim: int, flux: bool, scale_fn: Any, plus: bool = False, shortcut: bool = False) -> None:
        self.name, self.id_dim, self.flux = name, id_dim, flux
        self.needs_face_crop = plus
        self.shortcut = shortcut
        self._scale_fn = scale_fn
        self.scale: float | None = None

    def set_scale(self, scale: float) -> None:
        self.scale = scale
        self._scale_fn(scale)

    def call_kwargs(self, pipe: Any, identity: Identity | None, batch: int, guidance: bool) -> dict[str, Any]:
        if identity is None and (self.scale != 0 or self.needs_face_crop):
            raise StdT2VError(f"keyframe: the {self.name} identity adapter needs a reference face")
        model = pipe.transformer if self.flux else pipe.unet
        dtype = next(model.parameters()).dtype
        if identity is None:  # no reference face, the adapter at scale 0: the "no identity" input
            zeros = torch.zeros(1, 1, self.id_dim, dtype=dtype, device=model.device)
            if self.flux:
                return {"ip_adapter_image_embeds": [zeros], "negative_ip_adapter_image_embeds": [zeros]}
            return {"ip_adapter_image_embeds": [torch.cat([zeros, zeros]) if guidance else zeros]}
        embeds = torch.as_tensor(identity.embedding, dtype=dtype, device=model.device).reshape(1, 1, -1)
        negative = torch.zeros_like(embeds)  # "no identity", as the FaceID authors condition
        if self.needs_face_crop:
            self._set_clip_embeds(pipe, identity, batch, guidance)
        if self.flux:  # FLUX runs without CFG; diffusers still wants a negative to skip an image encoder
            return {"ip_adapter_image_embeds": [embeds], "negative_ip_adapter_image_embeds": [negative]}
        return {"ip_adapter_image_embeds": [torch.cat([negative, embeds]) if guidance else embeds]}

    def _set_clip_embeds(self, pipe, identity: Identity, batch: int, guidance: bool) -> None:
        if identity.face_crop is None:
            raise StdT2VError(f"keyframe: the {self.name} adapter needs the aligned reference face crop")
        # FaceID-Plus reads CLIP's penultimate hidden states of the face crop; diffusers picks
        # them (and a zero-image negative) because the projection is not a plain ImageProjection.
        clip = pipe.prepare_ip_adapter_image_embeds([identity.face_crop], None, pipe.unet.device, batch, guidance)[0]
        projection = pipe.unet.encoder_hid_proj.image_projection_layers[0]
        projection.clip_embeds = clip.to(pipe.unet.dtype)
        projection.shortcut = self.shortcut


def _local_or_hub(spec: str) -> str:
    path = Path(spec).expanduser()
    return str(path) if path.exists() else spec


def load_faceid(
    pipe: Any, source: str, *, kind: str, weight_name: str, image_encoder: str | None, lora_scale: float, device: Any, allow_pickle: bool = False
) -> IdentityConditioner:
    """Load a published FaceID checkpoint (``kind``: faceid, faceid_plus, faceid_plusv2; the file
    ``weight_name``) from ``source`` (a folder or hub id) into ``pipe``."""
    plus = kind != "faceid"
    if plus:
        encoder_spec = image_encoder or DEFAULT_IMAGE_ENCODER
        inside = Path(source).expanduser() / encoder_spec
        encoder_source = str(inside) if inside.is_dir() else _local_or_hub(encoder_spec)
        encoder = load_pretrained(
            CLIPVisionModelWithProjection.from_pretrained,
            encoder_source,
            "keyframe.identity.image_encoder",
            allow_pickle=allow_pickle,
            dtype=pipe.unet.dtype,
        )
        pipe.register_modules(image_encoder=encoder.to(device))
    try:
        pipe.load_ip_adapter(source, subfolder="", weight_name=weight_name, image_encoder_folder=None)
    except (OSError, ValueError, KeyError) as err:
        raise StdT2VError(f"cannot load keyframe.identity ({kind}) '{weight_name}' from '{source}': {str(err).splitlines()[0]}") from None
    lora = [name for name in getattr(pipe.unet, "peft_config", {}) if name.startswith("faceid_")]
    if lora:
        pipe.set_adapters(lora, adapter_weights=[lora_scale] * len(lora))
    id_dim = _projection_input_dim(pipe.unet.encoder_hid_proj.image_projection_layers[0])
    logger.info("keyframe: %s loaded from %s (%s, LoRA: %s)", kind, source, weight_name, "yes" if lora else "no")
    return IPAdapterIdentity(kind, id_dim, flux=False, scale_fn=pipe.set_ip_adapter_scale, plus=plus, shortcut=kind == "faceid_plusv2")


def _projection_input_dim(projection) -> int:
    """The identity-vector width a FaceID projection reads (its first linear layer's input)."""
    first = next(m for m in projection.modules() if isinstance(m, torch.nn.Linear))
    return first.in_features


IDENTITY_LORA = "pytorch_lora_weights.safetensors"


def load_identity_adapter(pipe: Any, source: str, *, num_tokens: int, lora_scale: float, device: Any, flux: bool) -> IdentityConditioner:
    """Load the project's ``IdentityAdapter`` from ``source`` and attach it to the base model
    (``num_tokens``: what the config expects, checked against what the adapter was trained with)."""
    model = pipe.transformer if flux else pipe.unet
    adapter = load_pretrained(IdentityAdapter.from_pretrained, source, "keyframe.identity.path")
    if adapter.config.num_tokens != num_tokens:
        raise ConfigError(
            f"keyframe.identity.num_tokens: {num_tokens}, but the adapter at '{source}' was trained with "
            f"{adapter.config.num_tokens} (set keyframe.identity.num_tokens={adapter.config.num_tokens})"
        )
    lora = Path(source).expanduser() / IDENTITY_LORA
    if lora.is_file():  # trained jointly with the adapter (stdt2v train, adapter.unet_lora_rank)
        pipe.load_lora_weights(str(lora.parent), weight_name=IDENTITY_LORA, adapter_name="identity")
        pipe.set_adapters(["identity"], adapter_weights=[lora_scale])
    try:
        adapter.attach(model)
    except ValueError as err:
        raise StdT2VError(f"keyframe.identity.path: {err}") from None
    adapter.to(device=device, dtype=model.dtype)
    logger.info("keyframe: identity adapter loaded from %s (LoRA: %s)", source, "yes" if lora.is_file() else "no")
    return IPAdapterIdentity("stdt2v", adapter.config.id_dim, flux=flux, scale_fn=adapter.set_scale)
