"""HyperLoRA (ByteDance, CVPR 2025): a hypernetwork that turns a face into an SDXL UNet LoRA.

Written for this project from the release's files and the method's maths as
../shared/RECIPES.md §4 records them; the reference implementation (GPL-3.0) was not read. The
weights are CC BY-NC 4.0 (non-commercial).

A variant folder of the release (``sdxl_hyper_id_lora_v1_fidelity``, ``..._edit``) holds four fp16 files:

- ``hyper_lora_modules.json``: module name (``lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1``)
  → ``{hidden_size, cross_attention_dim}``; the ORDER maps tokens to modules;
- ``hyper_lora_modules.safetensors``: ``{i}.{proj}.id_down_basis`` [K, in, r] and ``.id_up_basis`` [K, r, out]
  for module i and projection (to_q, to_k, to_v, to_out);
- ``id_projector.safetensors``: ``0`` Linear(id_dim → T·W), a reshape to T tokens (``1``, no weights),
  ``2`` LayerNorm(W);
- ``resampler.safetensors``: ``latents`` [1, 8·M, W], ``proj_in`` (identity tokens), ``proj_in_2`` (CLIP
  hidden states), blocks ``layers.N`` (six LayerNorms, three attentions, a feed-forward), ``proj_out`` → K.

Identity → LoRA: tokens = proj_out(blocks(latents, proj_in(id tokens), proj_in_2(CLIP))), averaged over
the reference images, each token divided by sqrt(Σ token² + 1e-8); module i reads tokens 8i..8i+7 as
four (down, up) pairs: ``down = Σ_k c_d[k]·down_basis[k]`` [in, r] → ``lora_down.weight = downᵀ``,
``up = Σ_k c_u[k]·up_basis[k]`` [r, out] → ``lora_up.weight = upᵀ``, ``alpha = r / 2``. The result is an
ordinary kohya LoRA, loaded with diffusers' ``load_lora_weights``. Every dimension is read from the weights.
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
BASES_FILE = "hyper_lora_modules.safetensors"
RESAMPLER_FILE = "resampler.safetensors"
PROJECTOR_FILE = "id_projector.safetensors"
FILES = (MODULES_JSON, BASES_FILE, RESAMPLER_FILE, PROJECTOR_FILE)
PROJECTIONS = ("to_q", "to_k", "to_v", "to_out")
KOHYA_PROJECTIONS = {"to_q": "to_q", "to_k": "to_k", "to_v": "to_v", "to_out": "to_out_0"}
TOKENS_PER_MODULE = 2 * len(PROJECTIONS)  # a (down, up) pair per projection
HEAD_WIDTH = 64  # the release's attention head width; the number of heads follows from the weights
NORM_EPS = 1e-8  # the output normalisation: token / sqrt(Σ token² + 1e-8)
# A module name of the release: a diffusers SDXL UNet attention path, '_' for '.', 'lora_unet_' in front.
MODULE_NAME = re.compile(r"^lora_unet_(down_blocks_\d+_attentions_\d+|mid_block_attentions_\d+|up_blocks_\d+_attentions_\d+)_transformer_blocks_\d+_attn[12]$")


class IDProjector(nn.Sequential):
    """ArcFace vector [B, id_dim] → identity tokens [B, T, W]: ``0`` Linear, ``1`` reshape, ``2`` LayerNorm."""

    def __init__(self, id_dim: int = 512, width: int = 1024, num_tokens: int = 16):
        super().__init__(nn.Linear(id_dim, num_tokens * width), nn.Unflatten(-1, (num_tokens, width)), nn.LayerNorm(width))

    @property
    def id_dim(self) -> int:
        return self[0].in_features


class ResamplerBlock(nn.Module):
    """Self-attention on the latents, cross-attention to the identity tokens, to the CLIP tokens,
    then the feed-forward; pre-LayerNorm and residual, the attended tokens normalised too."""

    def __init__(self, width: int, heads: int, dim_head: int, ff_inner: int):
        super().__init__()
        attention = dict(query_dim=width, heads=heads, dim_head=dim_head, bias=False, out_bias=False)
        self.norm_attn1, self.attn1 = nn.LayerNorm(width), Attention(**attention)
        self.norm_attn2_l, self.norm_attn2_x = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn2 = Attention(cross_attention_dim=width, **attention)
        self.norm_attn3_l, self.norm_attn3_y = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn3 = Attention(cross_attention_dim=width, **attention)
        self.norm_ff, self.ff = nn.LayerNorm(width), FeedForward(width, inner_dim=ff_inner, activation_fn="gelu")  # erf GELU

    def forward(self, latents: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        latents = latents + self.attn1(self.norm_attn1(latents))
        latents = latents + self.attn2(self.norm_attn2_l(latents), encoder_hidden_states=self.norm_attn2_x(x))
        latents = latents + self.attn3(self.norm_attn3_l(latents), encoder_hidden_states=self.norm_attn3_y(y))
        return latents + self.ff(self.norm_ff(latents))


class HyperResampler(nn.Module):
    """(identity tokens [N, T, W_id], CLIP hidden states [N, 257, C]) → [N, Q, K] coefficients."""

    def __init__(
        self,
        num_queries: int,
        width: int = 1024,
        depth: int = 4,
        heads: int = 12,
        dim_head: int = HEAD_WIDTH,
        clip_dim: int = 1024,
        id_width: int = 1024,
        num_bases: int = 128,
        ff_inner: int = 4096,
    ):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(1, num_queries, width) / width**0.5)
        self.proj_in = nn.Linear(id_width, width)
        self.proj_in_2 = nn.Linear(clip_dim, width)
        self.layers = nn.ModuleList([ResamplerBlock(width, heads, dim_head, ff_inner) for _ in range(depth)])
        self.proj_out = nn.Linear(width, num_bases)  # no learned norm before it

    def forward(self, id_tokens: torch.Tensor, clip_hidden: torch.Tensor) -> torch.Tensor:
        x, y = self.proj_in(id_tokens), self.proj_in_2(clip_hidden)
        latents = self.latents.expand(id_tokens.shape[0], -1, -1)
        for block in self.layers:
            latents = block(latents, x, y)
        return self.proj_out(latents)


# ---------------------------------------------------------------- the hypernetwork


class HyperLoRA(nn.Module):
    """The loaded hypernetwork: id projector, resampler and per-module LoRA bases (kept in their
    stored dtype, fp16 in the release; each module's pair is mixed in float32)."""

    def __init__(self, modules: dict[str, dict], bases: dict[str, torch.Tensor], id_projector: IDProjector, resampler: HyperResampler):
        super().__init__()
        self.module_names = list(modules)  # JSON order = token order
        self.module_shapes = modules
        self.id_projector, self.resampler = id_projector, resampler
        for key, tensor in bases.items():
            self.register_buffer(_buffer_name(key), tensor, persistent=False)
        self.rank = next(iter(bases.values())).shape[-1]

    @property
    def id_dim(self) -> int:
        return self.id_projector.id_dim

    @property
    def clip_dim(self) -> int:
        return self.resampler.proj_in_2.in_features

    def basis(self, i: int, projection: str, kind: str) -> torch.Tensor:
        return getattr(self, _buffer_name(f"{i}.{projection}.id_{kind}_basis"))

    def bases(self) -> dict[str, torch.Tensor]:
        """The bases under their file keys."""
        return {f"{i}.{p}.id_{kind}_basis": self.basis(i, p, kind) for i in range(len(self.module_names)) for p in PROJECTIONS for kind in ("down", "up")}

    @torch.no_grad()
    def coefficients(self, embeddings: torch.Tensor, clip_hidden: torch.Tensor) -> torch.Tensor:
        """[N, id_dim] ArcFace vectors and [N, T, C] CLIP hidden states of N reference images →
        [Q, K]: the mean over the references, then each token L2-normalised (no parameters)."""
        tokens = self.resampler(self.id_projector(embeddings), clip_hidden).mean(0)  # [Q, K]
        return tokens / torch.sqrt((tokens * tokens).sum(-1, keepdim=True) + NORM_EPS)

    @torch.no_grad()
    def lora_state_dict(self, coefficients: torch.Tensor) -> dict[str, torch.Tensor]:
        """The kohya LoRA of one identity (see the module docstring for the maths), in float32."""
        expected = TOKENS_PER_MODULE * len(self.module_names)
        if coefficients.shape[0] != expected:
            raise StdT2VError(f"HyperLoRA: {coefficients.shape[0]} tokens for {len(self.module_names)} modules (expected {expected})")
        coefficients = coefficients.float()
        state: dict[str, torch.Tensor] = {}
        for i, name in enumerate(self.module_names):
            group = coefficients[TOKENS_PER_MODULE * i : TOKENS_PER_MODULE * (i + 1)]
            for p, projection in enumerate(PROJECTIONS):
                c_down, c_up = group[2 * p], group[2 * p + 1]
                down = torch.einsum("k,kir->ir", c_down, self.basis(i, projection, "down").float())  # [in, r]
                up = torch.einsum("k,kro->ro", c_up, self.basis(i, projection, "up").float())  # [r, out]
                prefix = f"{name}_{KOHYA_PROJECTIONS[projection]}"
                state[f"{prefix}.lora_down.weight"] = down.T.contiguous()
                state[f"{prefix}.lora_up.weight"] = up.T.contiguous()
                state[f"{prefix}.alpha"] = torch.tensor(self.rank / 2.0)
        return state


def _buffer_name(key: str) -> str:
    return "basis_" + key.replace(".", "_")


# ---------------------------------------------------------------- loading, strictly


def _layout_error(folder: Path, file: str, what: str) -> ConfigError:
    return ConfigError(f"keyframe.identity.path: {folder / file}: {what} (expected the HyperLoRA release layout: docs/identity-keyframes.md, 'HyperLoRA')")


def _shape(tensor: torch.Tensor) -> str:
    return "[" + ", ".join(map(str, tensor.shape)) + "]"


def _require(state: dict[str, torch.Tensor], key: str, ndim: int, folder: Path, file: str) -> torch.Tensor:
    if key not in state:
        raise _layout_error(folder, file, f"key '{key}' is missing")
    if state[key].ndim != ndim:
        raise _layout_error(folder, file, f"key '{key}' has shape {_shape(state[key])}, expected {ndim} dimensions")
    return state[key]


def _match(module: nn.Module, state: dict[str, torch.Tensor], folder: Path, file: str) -> None:
    """``module`` takes ``state`` exactly: the first missing, extra or misshapen key is one line."""
    wanted = module.state_dict()
    for key, tensor in wanted.items():
        if key not in state:
            raise _layout_error(folder, file, f"key '{key}' is missing")
        if state[key].shape != tensor.shape:
            raise _layout_error(folder, file, f"key '{key}' has shape {_shape(state[key])}, expected {_shape(tensor)}")
    for key in state:
        if key not in wanted:
            raise _layout_error(folder, file, f"unexpected key '{key}'")
    module.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)


def _resampler_for(state: dict[str, torch.Tensor], folder: Path) -> HyperResampler:
    """The resampler its weights describe (queries, width, depth, heads, FFN, output)."""
    latents = _require(state, "latents", 3, folder, RESAMPLER_FILE)
    depth = len({k.split(".")[1] for k in state if k.startswith("layers.")})
    if depth == 0:
        raise _layout_error(folder, RESAMPLER_FILE, "no 'layers.N.*' blocks")
    inner = _require(state, "layers.0.attn1.to_q.weight", 2, folder, RESAMPLER_FILE).shape[0]
    dim_head = HEAD_WIDTH if inner % HEAD_WIDTH == 0 else inner  # a narrower test checkpoint: one head
    return HyperResampler(
        latents.shape[1],
        width=latents.shape[2],
        depth=depth,
        heads=inner // dim_head,
        dim_head=dim_head,
        clip_dim=_require(state, "proj_in_2.weight", 2, folder, RESAMPLER_FILE).shape[1],
        id_width=_require(state, "proj_in.weight", 2, folder, RESAMPLER_FILE).shape[1],
        num_bases=_require(state, "proj_out.weight", 2, folder, RESAMPLER_FILE).shape[0],
        ff_inner=_require(state, "layers.0.ff.net.0.proj.weight", 2, folder, RESAMPLER_FILE).shape[0],
    )


def _read_modules(folder: Path) -> dict[str, dict]:
    try:
        modules = json.loads((folder / MODULES_JSON).read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise _layout_error(folder, MODULES_JSON, f"not JSON ({err})") from None
    if not isinstance(modules, dict) or not modules:
        raise _layout_error(folder, MODULES_JSON, "not a mapping of module names")
    for name, widths in modules.items():
        if not MODULE_NAME.match(name):
            raise _layout_error(folder, MODULES_JSON, f"'{name}' is not an SDXL UNet attention module in the release's naming (lora_unet_..._attn1/2)")
        if not isinstance(widths, dict) or not isinstance(widths.get("hidden_size"), int):
            raise _layout_error(folder, MODULES_JSON, f"'{name}' needs an integer hidden_size")
    return modules


def _check_bases(bases: dict[str, torch.Tensor], modules: dict[str, dict], num_bases: int, folder: Path) -> None:
    wanted = {}
    rank = None
    for i, (name, widths) in enumerate(modules.items()):
        hidden, cross = widths["hidden_size"], widths.get("cross_attention_dim") or widths["hidden_size"]
        for projection in PROJECTIONS:
            width_in = cross if projection in ("to_k", "to_v") else hidden
            down = _require(bases, f"{i}.{projection}.id_down_basis", 3, folder, BASES_FILE)
            rank = rank or down.shape[2]
            wanted[f"{i}.{projection}.id_down_basis"] = (num_bases, width_in, rank)
            wanted[f"{i}.{projection}.id_up_basis"] = (num_bases, rank, hidden)
    for key, shape in wanted.items():
        if key not in bases:
            raise _layout_error(folder, BASES_FILE, f"key '{key}' is missing")
        if tuple(bases[key].shape) != shape:
            raise _layout_error(folder, BASES_FILE, f"key '{key}' has shape {_shape(bases[key])}, expected [{', '.join(map(str, shape))}]")
    for key in bases:
        if key not in wanted:
            raise _layout_error(folder, BASES_FILE, f"unexpected key '{key}'")


def load_hyperlora(folder: str | Path) -> HyperLoRA:
    """Load a HyperLoRA variant folder as released (safetensors only; strict: every key used,
    none missing, every shape as the others imply). The projector and resampler compute in float32."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    folder = Path(folder)
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise ConfigError(f"keyframe.identity.path: {folder} is not a HyperLoRA variant folder (missing {', '.join(missing)})")
    modules = _read_modules(folder)
    states = {}
    for name in FILES[1:]:
        try:
            states[name] = load_file(str(folder / name))
        except (SafetensorError, OSError) as err:
            raise _layout_error(folder, name, f"not a readable safetensors file ({err})") from None
    projector_state, resampler_state = states[PROJECTOR_FILE], states[RESAMPLER_FILE]
    linear = _require(projector_state, "0.weight", 2, folder, PROJECTOR_FILE)
    width = _require(projector_state, "2.weight", 1, folder, PROJECTOR_FILE).shape[0]
    if linear.shape[0] % width:
        raise _layout_error(folder, PROJECTOR_FILE, f"'0.weight' has {linear.shape[0]} rows, not a multiple of the LayerNorm width {width}")
    projector = IDProjector(id_dim=linear.shape[1], width=width, num_tokens=linear.shape[0] // width)
    _match(projector, projector_state, folder, PROJECTOR_FILE)
    resampler = _resampler_for(resampler_state, folder)
    _match(resampler, resampler_state, folder, RESAMPLER_FILE)
    if resampler.proj_in.in_features != width:
        raise _layout_error(folder, RESAMPLER_FILE, f"'proj_in.weight' reads width {resampler.proj_in.in_features}, the id projector gives {width}")
    if resampler.latents.shape[1] != TOKENS_PER_MODULE * len(modules):
        raise _layout_error(folder, RESAMPLER_FILE, f"'latents' makes {resampler.latents.shape[1]} tokens for {len(modules)} modules (expected 8 each)")
    _check_bases(states[BASES_FILE], modules, resampler.proj_out.out_features, folder)
    return HyperLoRA(modules, states[BASES_FILE], projector, resampler).eval()


def save_hyperlora(model: HyperLoRA, folder: str | Path) -> Path:
    """Write ``model`` in the release layout (fp16, as released)."""
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MODULES_JSON).write_text(json.dumps(model.module_shapes, indent=1))
    for file, state in ((BASES_FILE, model.bases()), (RESAMPLER_FILE, model.resampler.state_dict()), (PROJECTOR_FILE, model.id_projector.state_dict())):
        save_file({k: v.half().contiguous() for k, v in state.items()}, str(folder / file))
    return folder


def attention_modules(unet: nn.Module) -> dict[str, dict]:
    """Every transformer attention module of a diffusers UNet, named and ordered as the release's
    JSON (``lora_unet_`` + the module path with ``_``), with its widths."""
    out = {}
    for path, module in unet.named_modules():
        if isinstance(module, Attention) and path.endswith(("attn1", "attn2")) and ".transformer_blocks." in path:
            cross = module.to_k.in_features if path.endswith("attn2") else None
            out["lora_unet_" + path.replace(".", "_")] = {"hidden_size": module.to_q.in_features, "cross_attention_dim": cross}
    return out
