"""The project's identity adapter: a face identity vector → a few tokens → decoupled cross-attention.

Design (IP-Adapter's decoupled cross-attention, fed by an identity vector as in FaceID):

* ``IdentityResampler``: the face analyzer's unit vector is projected to ``num_tokens``
  context tokens; ``num_tokens`` learned queries attend to them through diffusers' perceiver
  blocks (``IPAdapterPlusImageProjectionBlock``), then are projected to the base model's
  text-token width.
* One key/value projection pair per cross-attention layer of the base model, held by
  diffusers' own IP-Adapter attention processors (``IPAdapterAttnProcessor2_0`` for the SDXL
  UNet, ``FluxIPAdapterAttnProcessor`` for FLUX's double-stream blocks). The adapter owns
  them, so ``save_pretrained`` writes every trainable weight in one safetensors file, and a
  training step that updates the adapter updates what the base model runs.

``attach(model)`` installs the resampler as the model's ``encoder_hid_proj`` (the slot
diffusers' ``load_ip_adapter`` fills), so the pipelines' ``ip_adapter_image_embeds`` argument
carries the identity vector, exactly as with the published FaceID checkpoints.
"""

from __future__ import annotations

import torch
from diffusers.configuration_utils import ConfigMixin, register_to_config
from diffusers.models.attention import FeedForward
from diffusers.models.embeddings import IPAdapterPlusImageProjectionBlock, MultiIPAdapterImageProjection
from diffusers.models.modeling_utils import ModelMixin
from torch import nn

UNET = "unet"  # SDXL: UNet2DConditionModel
FLUX = "flux"  # FluxTransformer2DModel


class IdentityResampler(nn.Module):
    def __init__(self, id_dim: int, num_tokens: int, dim: int, out_dim: int, depth: int, heads: int, dim_head: int):
        super().__init__()
        self.num_tokens, self.dim = num_tokens, dim
        self.proj_in = FeedForward(id_dim, dim * num_tokens, mult=2, activation_fn="gelu")
        self.norm_in = nn.LayerNorm(dim)
        self.queries = nn.Parameter(torch.randn(1, num_tokens, dim) * dim**-0.5)
        self.layers = nn.ModuleList(IPAdapterPlusImageProjectionBlock(dim, dim_head, heads, ffn_ratio=2) for _ in range(depth))
        self.proj_out = nn.Linear(dim, out_dim)
        self.norm_out = nn.LayerNorm(out_dim)

    def forward(self, id_embeds: torch.Tensor) -> torch.Tensor:
        """(N, id_dim) → (N, num_tokens, out_dim)."""
        context = self.norm_in(self.proj_in(id_embeds.to(self.queries.dtype)).reshape(-1, self.num_tokens, self.dim))
        latents = self.queries.expand(context.shape[0], -1, -1)
        for block in self.layers:
            latents = block(context, latents, latents)
        return self.norm_out(self.proj_out(latents))


def _cross_attention_layers(model: nn.Module, kind: str) -> list[list]:
    """[processor name, hidden size] of each layer the identity tokens are attended from."""
    layers = []
    for name in model.attn_processors:
        if kind == UNET and name.endswith("attn2.processor"):
            if name.startswith("mid_block"):
                hidden = model.config.block_out_channels[-1]
            elif name.startswith("up_blocks"):
                hidden = list(reversed(model.config.block_out_channels))[int(name.split(".")[1])]
            else:
                hidden = model.config.block_out_channels[int(name.split(".")[1])]
            layers.append([name, hidden])
        elif kind == FLUX and name.startswith("transformer_blocks."):
            layers.append([name, model.inner_dim])
    return layers


class IdentityAdapter(ModelMixin, ConfigMixin):
    config_name = "config.json"

    @register_to_config
    def __init__(
        self,
        kind: str = UNET,
        id_dim: int = 512,
        num_tokens: int = 4,
        token_dim: int = 2048,
        dim: int = 768,
        depth: int = 2,
        heads: int = 12,
        dim_head: int = 64,
        layers: list | None = None,
    ):
        super().__init__()
        if kind not in (UNET, FLUX):
            raise ValueError(f"IdentityAdapter kind must be '{UNET}' or '{FLUX}', not '{kind}'")
        self.resampler = IdentityResampler(id_dim, num_tokens, dim, token_dim, depth, heads, dim_head)
        self.processors = nn.ModuleDict()
        for name, hidden in layers or []:
            self.processors[name.replace(".", "__")] = self._processor(hidden)

    def _processor(self, hidden: int) -> nn.Module:
        tokens = (self.config.num_tokens,)
        if self.config.kind == UNET:
            from diffusers.models.attention_processor import IPAdapterAttnProcessor2_0

            return IPAdapterAttnProcessor2_0(hidden_size=hidden, cross_attention_dim=self.config.token_dim, num_tokens=tokens)
        from diffusers.models.transformers.transformer_flux import FluxIPAdapterAttnProcessor

        return FluxIPAdapterAttnProcessor(hidden_size=hidden, cross_attention_dim=self.config.token_dim, num_tokens=tokens)

    @classmethod
    def for_model(
        cls, model: nn.Module, *, id_dim: int, num_tokens: int = 4, dim: int = 768, depth: int = 2, heads: int = 12, dim_head: int = 64
    ) -> IdentityAdapter:
        """A freshly initialised adapter shaped for ``model`` (an SDXL UNet or a FLUX transformer)."""
        kind = FLUX if hasattr(model.config, "joint_attention_dim") else UNET
        token_dim = model.config.joint_attention_dim if kind == FLUX else model.config.cross_attention_dim
        return cls(
            kind=kind,
            id_dim=id_dim,
            num_tokens=num_tokens,
            token_dim=token_dim,
            dim=dim,
            depth=depth,
            heads=heads,
            dim_head=dim_head,
            layers=_cross_attention_layers(model, kind),
        )

    def check_fits(self, model: nn.Module) -> None:
        expected = sorted(name for name, _ in _cross_attention_layers(model, self.config.kind))
        mine = sorted(name for name, _ in self.config.layers or [])
        if expected != mine:
            raise ValueError(f"identity adapter was made for another base model: {len(mine)} cross-attention layers, the model has {len(expected)}")

    def attach(self, model: nn.Module) -> None:
        """Route ``model``'s cross-attention through this adapter's processors."""
        self.check_fits(model)
        processors = dict(model.attn_processors)
        for key, processor in self.processors.items():
            processors[key.replace("__", ".")] = processor
        model.set_attn_processor(processors)
        model.encoder_hid_proj = MultiIPAdapterImageProjection([self.resampler])
        if self.config.kind == UNET:
            # The UNet reads image embeds through encoder_hid_proj only with this type set.
            model.config.encoder_hid_dim_type = "ip_image_proj"

    def set_scale(self, scale: float) -> None:
        for processor in self.processors.values():
            processor.scale = [scale]
