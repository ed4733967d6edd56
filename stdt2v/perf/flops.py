"""FLOPs of one denoiser forward, analytically (multiply-add = 2 FLOPs), split into the linear
layers and the attention products (QKᵀ and AV), with the formula printed beside the number.

Normalisations, modulations, RoPE and softmax are left out: they are bandwidth-bound and under
1 % of the FLOPs at these sizes. Counts are per forward at batch ``batch`` (2 with the CFG
batch).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class StepFlops:
    linear: float
    attention: float
    formula: list[str]

    @property
    def total(self) -> float:
        return self.linear + self.attention

    def to_dict(self) -> dict:
        return {"linear": self.linear, "attention": self.attention, "total": self.total, "formula": self.formula}


def wan_tokens(config: dict, frames: int, height: int, width: int, vae_stride: tuple[int, int, int]) -> int:
    pt, ph, pw = config["patch_size"]
    st, sh, sw = vae_stride
    return ((frames - 1) // st + 1) // pt * (height // sh // ph) * (width // sw // pw)


def wan_flops(config: dict, tokens: int, text_tokens: int = 512, batch: int = 1) -> StepFlops:
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


def flux_flops(config: dict, height: int, width: int, text_tokens: int = 512, batch: int = 1) -> StepFlops:
    """``FluxTransformer2DModel``: double-stream blocks (separate image/text weights, joint
    attention over N = L + T), single-stream blocks (fused qkv+MLP in, fused out)."""
    d = config["num_attention_heads"] * config["attention_head_dim"]
    L, T = (height // 16) * (width // 16), text_tokens
    N = L + T
    double, single = config["num_layers"], config["num_single_layers"]
    double_linear = (6 + 2 + 16) * N * d * d  # qkv, out, 4× MLP for both streams together
    single_linear = 2 * N * d * (3 * d + 4 * d) + 2 * N * (d + 4 * d) * d
    edges = 2 * L * config["in_channels"] * d + 2 * T * config["joint_attention_dim"] * d + 2 * L * d * config["in_channels"]
    attention = (double + single) * 4 * N * N * d
    return StepFlops(
        linear=batch * (double * double_linear + single * single_linear + edges),
        attention=batch * attention,
        formula=[
            f"L={L} image tokens, T={T} text tokens, N=L+T={N}, d={d}, double={double}, single={single}, batch={batch}",
            "linear    = batch·[double·24·N·d² + single·(14+10)·N·d² + embedders + head]",
            "attention = batch·(double+single)·4·N²·d",
        ],
    )


def counted_flops(module, *args, **kwargs) -> float:
    """FLOPs of one call as torch's ``FlopCounterMode`` counts them (convolutions included):
    for models without an analytic formula here (the SDXL UNet) and to check the formulas."""
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode

    # The math backend runs attention as matmuls torch can count (fused kernels may not be).
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        module(*args, **kwargs)
    return float(counter.get_total_flops())
