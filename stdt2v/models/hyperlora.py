"""HyperLoRA (ByteDance, CVPR 2025): a hypernetwork that turns a face into an SDXL UNet LoRA.

Written for this project from the published checkpoint layout and the method's maths
(../shared/SEED-RECIPE.md §4); the reference implementation (GPL-3.0) was not used. The
weights are CC BY-NC 4.0 (non-commercial).

A variant folder holds
- ``hyper_lora_modules.json``: module name → {hidden_size, cross_attention_dim}, in order;
- ``hyper_lora_modules.safetensors``: ``{i}.{proj}.id_down_basis`` [K, in, r] and
  ``{i}.{proj}.id_up_basis`` [K, r, out] per module i and projection (to_q, to_k, to_v, to_out);
- ``resampler.safetensors``: a Perceiver resampler (identity tokens + CLIP tokens → 8·M tokens of K);
- ``id_projector.safetensors``: Linear(id_dim → 16·width) + LayerNorm(width).

Identity → LoRA: tokens = resampler(id_projector(arcface), clip_hidden), each L2-normalised;
module i reads tokens 8i..8i+7 as four (down, up) pairs for its four projections:
``down = Σ_k c_d[k]·down_basis[k]`` [in, r] → ``lora_down.weight = downᵀ``,
``up = Σ_k c_u[k]·up_basis[k]`` [r, out] → ``lora_up.weight = upᵀ``, ``alpha = r / 2``. The result
is an ordinary kohya LoRA, loaded with diffusers' ``load_lora_weights``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import torch
from diffusers.models.attention import FeedForward
from diffusers.models.attention_processor import Attention
from torch import nn

from stdt2v.errors import ConfigError, StdT2VError

MODULES_JSON = "hyper_lora_modules.json"
FILES = (MODULES_JSON, "hyper_lora_modules.safetensors", "resampler.safetensors", "id_projector.safetensors")
PROJECTIONS = ("to_q", "to_k", "to_v", "to_out")
KOHYA_PROJECTIONS = {"to_q": "to_q", "to_k": "to_k", "to_v": "to_v", "to_out": "to_out_0"}
TOKENS_PER_MODULE = 2 * len(PROJECTIONS)  # a (down, up) pair per projection
ID_TOKENS = 16


class IDProjector(nn.Module):
    """ArcFace vector → 16 identity tokens of ``width``."""

    def __init__(self, id_dim: int = 512, width: int = 1024, num_tokens: int = ID_TOKENS):
        super().__init__()
        self.num_tokens, self.width = num_tokens, width
        self.proj = nn.Linear(id_dim, num_tokens * width)
        self.norm = nn.LayerNorm(width)

    def forward(self, embedding: torch.Tensor) -> torch.Tensor:  # [B, id_dim] → [B, 16, width]
        return self.norm(self.proj(embedding).reshape(-1, self.num_tokens, self.width))


class ResamplerBlock(nn.Module):
    """Self-attention on the latents, cross-attention to the identity tokens, then to the CLIP
    tokens, then the feed-forward; each pre-LayerNorm and residual."""

    def __init__(self, width: int, heads: int, dim_head: int, ff_mult: int = 4):
        super().__init__()
        attention = dict(heads=heads, dim_head=dim_head, bias=False, out_bias=False)
        self.norm1, self.attn1 = nn.LayerNorm(width), Attention(width, **attention)
        self.norm2, self.attn2 = nn.LayerNorm(width), Attention(width, cross_attention_dim=width, **attention)
        self.norm3, self.attn3 = nn.LayerNorm(width), Attention(width, cross_attention_dim=width, **attention)
        self.norm4, self.ff = nn.LayerNorm(width), FeedForward(width, mult=ff_mult, activation_fn="gelu")

    def forward(self, latents, id_tokens, clip_tokens):
        latents = latents + self.attn1(self.norm1(latents))
        latents = latents + self.attn2(self.norm2(latents), encoder_hidden_states=id_tokens)
        latents = latents + self.attn3(self.norm3(latents), encoder_hidden_states=clip_tokens)
        return latents + self.ff(self.norm4(latents))


class HyperResampler(nn.Module):
    """(identity tokens [B, 16, W], CLIP hidden states [B, 257, C]) → [B, Q, K] coefficients."""

    def __init__(
        self,
        num_queries: int,
        width: int = 1024,
        depth: int = 4,
        heads: int = 12,
        dim_head: int = 64,
        clip_dim: int = 1024,
        id_width: int = 1024,
        num_bases: int = 128,
        ff_mult: int = 4,
    ):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(1, num_queries, width) / width**0.5)
        self.proj_in = nn.Linear(id_width, width)
        self.proj_in_2 = nn.Linear(clip_dim, width)
        self.blocks = nn.ModuleList([ResamplerBlock(width, heads, dim_head, ff_mult) for _ in range(depth)])
        self.norm_out = nn.LayerNorm(width)
        self.proj_out = nn.Linear(width, num_bases)

    def forward(self, id_tokens: torch.Tensor, clip_hidden: torch.Tensor) -> torch.Tensor:
        ids, clip = self.proj_in(id_tokens), self.proj_in_2(clip_hidden)
        latents = self.latents.expand(id_tokens.shape[0], -1, -1)
        for block in self.blocks:
            latents = block(latents, ids, clip)
        return self.proj_out(self.norm_out(latents))


# ---------------------------------------------------------------- module names

# SGM (original SDXL) attention blocks → diffusers: input_blocks.{4,5} are down_blocks.1's two
# attentions, {7,8} down_blocks.2's; output_blocks.{0,1,2} up_blocks.0's, {3,4,5} up_blocks.1's.
_SGM_INPUT = {4: (1, 0), 5: (1, 1), 7: (2, 0), 8: (2, 1)}
_SGM_OUTPUT = {0: (0, 0), 1: (0, 1), 2: (0, 2), 3: (1, 0), 4: (1, 1), 5: (1, 2)}
_SGM = re.compile(r"^(?:lora_unet_)?(input_blocks|output_blocks)[._](\d+)[._](\d+)[._]transformer_blocks[._](\d+)[._](attn[12])$")
_SGM_MIDDLE = re.compile(r"^(?:lora_unet_)?middle_block[._]1[._]transformer_blocks[._](\d+)[._](attn[12])$")
_DIFFUSERS = re.compile(r"^(?:lora_unet_)?(down_blocks|up_blocks)[._](\d+)[._]attentions[._](\d+)[._]transformer_blocks[._](\d+)[._](attn[12])$")
_MID = re.compile(r"^(?:lora_unet_)?mid_block[._]attentions[._](\d+)[._]transformer_blocks[._](\d+)[._](attn[12])$")


def diffusers_module_path(name: str) -> str:
    """A HyperLoRA module name in either numbering → the diffusers UNet module path."""
    if m := _DIFFUSERS.match(name):
        kind, block, attention, layer, attn = m.groups()
        return f"{kind}.{block}.attentions.{attention}.transformer_blocks.{layer}.{attn}"
    if m := _MID.match(name):
        attention, layer, attn = m.groups()
        return f"mid_block.attentions.{attention}.transformer_blocks.{layer}.{attn}"
    if m := _SGM_MIDDLE.match(name):
        layer, attn = m.groups()
        return f"mid_block.attentions.0.transformer_blocks.{layer}.{attn}"
    if m := _SGM.match(name):
        kind, index, sub, layer, attn = m.groups()
        index = int(index)
        table = _SGM_INPUT if kind == "input_blocks" else _SGM_OUTPUT if kind == "output_blocks" else {}
        if index in table and sub == "1":
            block, attention = table[index]
            prefix = "down_blocks" if kind == "input_blocks" else "up_blocks"
            return f"{prefix}.{block}.attentions.{attention}.transformer_blocks.{layer}.{attn}"
    raise ConfigError(f"keyframe.identity.path: HyperLoRA module name '{name}' is not an SDXL UNet attention module")


def kohya_prefix(name: str) -> str:
    """The kohya LoRA key prefix of a module: 'lora_unet_' + the name with underscores."""
    return "lora_unet_" + name.removeprefix("lora_unet_").replace(".", "_")


# ---------------------------------------------------------------- the hypernetwork


class HyperLoRA(nn.Module):
    """The loaded hypernetwork: id projector, resampler and per-module LoRA bases."""

    def __init__(self, modules: dict[str, dict], bases: dict[str, torch.Tensor], id_projector: IDProjector, resampler: HyperResampler):
        super().__init__()
        self.module_names = list(modules)  # JSON order = token order
        self.module_shapes = modules
        self.id_projector, self.resampler = id_projector, resampler
        for key, tensor in bases.items():
            self.register_buffer("basis_" + key.replace(".", "_"), tensor, persistent=False)
        self.bases = {key: "basis_" + key.replace(".", "_") for key in bases}
        self.rank = next(iter(bases.values())).shape[-1]

    @property
    def id_dim(self) -> int:
        return self.id_projector.proj.in_features

    @property
    def clip_dim(self) -> int:
        return self.resampler.proj_in_2.in_features

    def basis(self, i: int, projection: str, kind: str) -> torch.Tensor:
        return getattr(self, self.bases[f"{i}.{projection}.id_{kind}_basis"])

    @torch.no_grad()
    def coefficients(self, embeddings: torch.Tensor, clip_hidden: torch.Tensor) -> torch.Tensor:
        """[N, id_dim] ArcFace vectors and [N, T, C] CLIP hidden states of N reference images →
        [Q, K] coefficients: averaged over the references, then each token L2-normalised."""
        tokens = self.resampler(self.id_projector(embeddings), clip_hidden).mean(0)  # [Q, K]
        return tokens / tokens.norm(dim=-1, keepdim=True).clamp_min(1e-12)

    @torch.no_grad()
    def lora_state_dict(self, coefficients: torch.Tensor) -> dict[str, torch.Tensor]:
        """The kohya LoRA of one identity (see the module docstring for the maths)."""
        expected = TOKENS_PER_MODULE * len(self.module_names)
        if coefficients.shape[0] != expected:
            raise StdT2VError(f"HyperLoRA: {coefficients.shape[0]} tokens for {len(self.module_names)} modules (expected {expected})")
        state: dict[str, torch.Tensor] = {}
        for i, name in enumerate(self.module_names):
            group = coefficients[TOKENS_PER_MODULE * i : TOKENS_PER_MODULE * (i + 1)]
            for p, projection in enumerate(PROJECTIONS):
                c_down, c_up = group[2 * p], group[2 * p + 1]
                down = torch.einsum("k,kir->ir", c_down, self.basis(i, projection, "down"))  # [in, r]
                up = torch.einsum("k,kro->ro", c_up, self.basis(i, projection, "up"))  # [r, out]
                prefix = f"{kohya_prefix(name)}_{KOHYA_PROJECTIONS[projection]}"
                state[f"{prefix}.lora_down.weight"] = down.T.contiguous()
                state[f"{prefix}.lora_up.weight"] = up.T.contiguous()
                state[f"{prefix}.alpha"] = torch.tensor(self.rank / 2.0)
        return state


def _infer_resampler(state: dict[str, torch.Tensor]) -> HyperResampler:
    """Build the resampler its weights describe (queries, width, depth, heads, FFN, output)."""
    num_queries, width = state["latents"].shape[1:]
    depth = len({k.split(".")[1] for k in state if k.startswith("blocks.")})
    inner = state["blocks.0.attn1.to_q.weight"].shape[0]
    dim_head = 64 if inner % 64 == 0 else inner  # the published width: 12 heads × 64
    ff_inner = state["blocks.0.ff.net.0.proj.weight"].shape[0]
    return HyperResampler(
        num_queries,
        width=width,
        depth=depth,
        heads=inner // dim_head,
        dim_head=dim_head,
        clip_dim=state["proj_in_2.weight"].shape[1],
        id_width=state["proj_in.weight"].shape[1],
        num_bases=state["proj_out.weight"].shape[0],
        ff_mult=ff_inner // width,
    )


def load_hyperlora(folder: str | Path) -> HyperLoRA:
    """Load a HyperLoRA variant folder (safetensors only; strict: every key used)."""
    from safetensors.torch import load_file

    folder = Path(folder)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise ConfigError(f"keyframe.identity.path: {folder} is not a HyperLoRA variant folder (missing {', '.join(missing)})")
    modules = json.loads((folder / MODULES_JSON).read_text())
    bases = {k: v.float() for k, v in load_file(str(folder / "hyper_lora_modules.safetensors")).items()}
    projector_state = {k: v.float() for k, v in load_file(str(folder / "id_projector.safetensors")).items()}
    resampler_state = {k: v.float() for k, v in load_file(str(folder / "resampler.safetensors")).items()}
    out_features, id_dim = projector_state["proj.weight"].shape
    projector = IDProjector(id_dim=id_dim, width=projector_state["norm.weight"].shape[0], num_tokens=out_features // projector_state["norm.weight"].shape[0])
    resampler = _infer_resampler(resampler_state)
    for module, state, what in ((projector, projector_state, "id_projector"), (resampler, resampler_state, "resampler")):
        try:
            module.load_state_dict(state, strict=True)
        except RuntimeError as err:
            raise ConfigError(f"keyframe.identity.path: {folder}/{what}.safetensors does not match the HyperLoRA layout: {str(err).splitlines()[0]}") from None
    wanted = {f"{i}.{p}.id_{kind}_basis" for i in range(len(modules)) for p in PROJECTIONS for kind in ("down", "up")}
    if set(bases) != wanted:
        raise ConfigError(f"keyframe.identity.path: hyper_lora_modules.safetensors has {len(bases)} bases for {len(modules)} modules (expected {len(wanted)})")
    if resampler.latents.shape[1] != TOKENS_PER_MODULE * len(modules):
        raise ConfigError(f"keyframe.identity.path: the resampler makes {resampler.latents.shape[1]} tokens for {len(modules)} modules")
    return HyperLoRA(modules, bases, projector, resampler).eval()


def save_hyperlora(model: HyperLoRA, folder: str | Path) -> Path:
    """Write ``model`` in the published layout (fp16, as released)."""
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MODULES_JSON).write_text(json.dumps(model.module_shapes, indent=1))
    save_file({k: getattr(model, attr).half().contiguous() for k, attr in model.bases.items()}, str(folder / "hyper_lora_modules.safetensors"))
    save_file({k: v.half().contiguous() for k, v in model.resampler.state_dict().items()}, str(folder / "resampler.safetensors"))
    save_file({k: v.half().contiguous() for k, v in model.id_projector.state_dict().items()}, str(folder / "id_projector.safetensors"))
    return folder


def attention_modules(unet) -> dict[str, dict]:
    """Every transformer attention module of a diffusers UNet, in HyperLoRA's JSON form
    (diffusers numbering), with its widths."""
    out = {}
    for path, module in unet.named_modules():
        if isinstance(module, Attention) and path.endswith(("attn1", "attn2")) and ".transformer_blocks." in path:
            cross = module.to_k.in_features if path.endswith("attn2") else None
            out[path] = {"hidden_size": module.to_q.in_features, "cross_attention_dim": cross}
    return out
