"""What a model family is, as plain data: the spec dataclasses and the formulas families share.

Torch-free (the config layer reads it): classes are named by string and resolved by whoever
builds them; formulas are plain Python functions of a denoiser config (its ``config.json`` as a
dict) and a size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepFlops:
    """FLOPs of one denoiser forward (multiply-add = 2 FLOPs): linear layers and attention
    products, with the formula in words."""

    linear: float
    attention: float
    formula: list[str]

    @property
    def total(self) -> float:
        return self.linear + self.attention

    def to_dict(self) -> dict:
        return {"linear": self.linear, "attention": self.attention, "total": self.total, "formula": self.formula}


@dataclass(frozen=True)
class AreaRule:
    """How a model family's own code sizes an image-conditioned video inside a pixel area
    (``animate.size_mode=area``): which rounding, and how the keyframe is fitted to the size."""

    rounding: str  # "best_output_size" (try width-first and height-first, keep the closer aspect) | "latent_grid"
    fit: str  # "cover_crop" (scaled to cover, centre crop) | "resize" (stretched to the size, no crop)
    resample: str  # the PIL filter the family's code fits the keyframe with (a PIL.Image.Resampling name)
    source: str  # where the family's code does it


# Activation bytes of one denoiser forward and the formula in words:
# f(family, config, height, width, frames, dtype_bytes, vae_stride, references).
Activation = Callable[["Family", dict, int, int, int, int, int, int], tuple[int, str]]
# Analytic FLOPs of one forward: f(family, config, height, width, frames, text_tokens, batch).
Flops = Callable[["Family", dict, int, int, int, int, int], StepFlops]


@dataclass(frozen=True)
class Family:
    """What both kinds share. ``backend`` is the config value that selects the family's code
    (``animate.backend`` / ``keyframe.backend``); several families may share one."""

    name: str  # registry key, e.g. "wan2.2-ti2v-5b"
    title: str  # in words, e.g. "Wan2.2 TI2V-5B"
    backend: str
    pipeline_class: str  # diffusers pipeline class name
    transformer_class: str  # the denoiser's class name (a UNet for SDXL)
    vae_class: str
    models: tuple[str, ...]  # published model ids (hub repos) of the family
    tiny: str  # `tiny:NAME` of its tiny random-weight model (stdt2v/tiny/): the pipeline layout it shares
    tiny_builder: str  # "module:function" that writes the tiny model into a folder
    vae_stride: int  # pixels per latent pixel, per side
    patch: tuple[int, ...]  # latent pixels per token: (t, h, w) for video, (h, w) for images
    text_tokens: int  # the text encoder's sequence the pipeline pads a prompt to
    activation: Activation | None = None  # None: the planner counts no activation term for it
    flops: Flops | None = None  # None: no analytic formula (benchmarks count with torch's FlopCounterMode)

    def activation_bytes(
        self, config: dict, height: int, width: int, frames: int, dtype_bytes: int, vae_stride: int | None = None, references: int = 0
    ) -> tuple[int, str]:
        """Activation bytes of one denoiser forward at this size and their formula in words;
        ``config``: the denoiser's config, ``vae_stride``: the model folder's VAE's (None: the family's)."""
        if self.activation is None:
            return 0, f"{self.title}: no activation formula"
        return self.activation(self, config, height, width, frames, dtype_bytes, vae_stride or self.vae_stride, references)

    def step_flops(self, config: dict, height: int, width: int, frames: int = 1, text_tokens: int | None = None, batch: int = 1) -> StepFlops | None:
        """Analytic FLOPs of one denoiser forward at ``batch`` (None: the family has no formula)."""
        if self.flops is None:
            return None
        return self.flops(self, config, height, width, frames, self.text_tokens if text_tokens is None else text_tokens, batch)

    @property
    def size_multiple(self) -> int:
        """The sides' grid in pixels: VAE stride × spatial patch."""
        return self.vae_stride * self.patch[-1]


@dataclass(frozen=True)
class VideoFamily(Family):
    temporal_factor: int = 4  # frame counts are temporal_factor·n + 1 (the VAE's temporal stride)
    usual_lengths: tuple[tuple[str, int], ...] = ()  # (model, frames it generates)
    max_frames: int = 1001  # a sanity bound on animate.num_frames
    text_in_sequence: bool = False  # joint attention: the text tokens sit in the transformer's sequence
    area_rule: AreaRule | None = None  # animate.size_mode=area (None: the family's code has none)
    extras: dict = field(default_factory=dict)  # whatever else the family decides

    def tokens(
        self, frames: int, height: int, width: int, *, vae_stride: int | None = None, patch: tuple[int, int, int] | None = None, references: int = 0
    ) -> int:
        """Video tokens of the transformer's sequence (text excluded); ``vae_stride``/``patch``:
        a model folder's own, else the family's."""
        return video_tokens(frames, height, width, self.temporal_factor, vae_stride or self.vae_stride, patch or self.patch, references)


@dataclass(frozen=True)
class KeyframeFamily(Family):
    def tokens(self, height: int, width: int) -> int:
        """Image tokens (text excluded): latent pixels / the patch."""
        return (height // self.vae_stride // self.patch[0]) * (width // self.vae_stride // self.patch[1])


def video_tokens(frames: int, height: int, width: int, temporal: int, spatial: int, patch: tuple[int, int, int], references: int = 0) -> int:
    """Latent frames (``temporal``× after the first, plus ``references`` frames in front) over the
    temporal patch, × latent pixels over the spatial patch. The temporal division rounds up: a
    pipeline with a temporal patch (CogVideoX 1.5) pads the latent frames to a whole patch; Wan's is 1."""
    pt, ph, pw = patch
    latent_frames = (frames - 1) // temporal + 1 + references
    return -(-latent_frames // pt) * (height // spatial // ph) * (width // spatial // pw)


def config_patch(config: dict) -> tuple[int, int, int]:
    """(t, h, w) patch of a video transformer config: Wan's ``patch_size`` list, CogVideoX's
    ``patch_size`` and ``patch_size_t`` (None: 1)."""
    patch = config["patch_size"]
    if isinstance(patch, (list, tuple)):
        return tuple(patch)
    return (config.get("patch_size_t") or 1, patch, patch)


def wan_activation(cfg: dict, tokens: int, dtype_bytes: int) -> tuple[int, str]:
    """A Wan transformer's activation bytes: one block's MLP input, hidden and attention outputs
    alive at once. Every attention backend offered (SDPA, flash, sage, xformers) is a
    memory-efficient kernel: none holds the tokens × tokens matrix, so the term is the same for all."""
    dim = cfg["num_attention_heads"] * cfg["attention_head_dim"]
    hints = len(cfg.get("vace_layers") or [])  # VACE keeps one control hint per VACE block alive through the pass
    return tokens * (cfg["ffn_dim"] + (4 + hints) * dim) * dtype_bytes, f"{tokens} tokens × ({cfg['ffn_dim']} + {4 + hints}·{dim}) × {dtype_bytes} B"


def wan_video_activation(
    family: VideoFamily, cfg: dict, height: int, width: int, frames: int, dtype_bytes: int, vae_stride: int, references: int
) -> tuple[int, str]:
    """``wan_activation`` at a video size (VACE: ``references`` latent frames in front)."""
    return wan_activation(cfg, family.tokens(frames, height, width, vae_stride=vae_stride, patch=config_patch(cfg), references=references), dtype_bytes)


def wan_flops(family: VideoFamily, config: dict, height: int, width: int, frames: int, text_tokens: int = 512, batch: int = 1) -> StepFlops:
    """``wan_step_flops`` at a video size."""
    tokens = family.tokens(frames, height, width, patch=config_patch(config))
    return wan_step_flops(config, tokens, text_tokens, batch)


def wan_step_flops(config: dict, tokens: int, text_tokens: int = 512, batch: int = 1) -> StepFlops:
    """``WanTransformer3DModel``: per block self-attention (q, k, v, o), cross-attention (q, o on
    video tokens; k, v on text), a two-layer FFN; patch embedding, text embedder and head."""
    d = config["num_attention_heads"] * config["attention_head_dim"]
    f, n, L, T = config["ffn_dim"], config["num_layers"], tokens, text_tokens
    patch = config["patch_size"][0] * config["patch_size"][1] * config["patch_size"][2]
    per_block_linear = 8 * L * d * d + 4 * L * d * d + 4 * T * d * d + 4 * L * d * f
    edges = 2 * L * config["in_channels"] * patch * d + 2 * L * d * config["out_channels"] * patch + 2 * T * (config["text_dim"] * d + d * d)
    per_block_attention = 4 * L * L * d + 4 * L * T * d
    return StepFlops(
        linear=batch * (n * per_block_linear + edges),
        attention=batch * n * per_block_attention,
        formula=[
            f"L={L} video tokens, T={T} text tokens, d={d}, ffn={f}, blocks={n}, batch={batch}",
            "linear    = batch·[blocks·(8·L·d² + 4·L·d² + 4·T·d² + 4·L·d·ffn) + patch-embed + head + text-embedder]",
            "attention = batch·blocks·(4·L²·d + 4·L·T·d)",
        ],
    )


def vae_spatial_stride(config: dict) -> int:
    """Pixels per latent pixel of a VAE config, as diffusers' pipelines read it: Wan's
    ``scale_factor_spatial`` (absent in the Wan2.1 configs: 8), else 2^(down blocks − 1)."""
    if config.get("scale_factor_spatial"):
        return config["scale_factor_spatial"]
    return 2 ** (len(config.get("block_out_channels") or (0, 0, 0, 0)) - 1)
