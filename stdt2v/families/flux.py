"""FLUX.1 keyframes: a transformer of double-stream blocks (separate image/text weights, joint
attention) and single-stream blocks; latents packed 2×2 after the VAE's 8×; guidance-distilled
(one branch per step)."""

from stdt2v.families.spec import Family, KeyframeFamily, StepFlops


def flux_activation(family: Family, cfg: dict, height: int, width: int, frames: int, dtype_bytes: int, vae_stride: int, references: int) -> tuple[int, str]:
    """(image + text tokens) × 8·dim × bytes."""
    tokens = family.tokens(height, width) + family.text_tokens
    dim = cfg.get("num_attention_heads", 24) * cfg.get("attention_head_dim", 128)
    return tokens * 8 * dim * dtype_bytes, f"{tokens} tokens × 8·{dim} × {dtype_bytes} B"


def flux_flops(family: Family, config: dict, height: int, width: int, frames: int = 1, text_tokens: int = 512, batch: int = 1) -> StepFlops:
    """``FluxTransformer2DModel``: double-stream blocks (separate image/text weights, joint
    attention over N = L + T), single-stream blocks (fused qkv+MLP in, fused out)."""
    d = config["num_attention_heads"] * config["attention_head_dim"]
    L, T = family.tokens(height, width), text_tokens
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


FAMILY = KeyframeFamily(
    name="flux",
    title="FLUX.1",
    backend="flux",
    pipeline_class="FluxPipeline",
    transformer_class="FluxTransformer2DModel",
    vae_class="AutoencoderKL",
    models=("black-forest-labs/FLUX.1-dev",),
    tiny="flux",
    tiny_builder="stdt2v.tiny.flux:build_tiny_flux",
    vae_stride=8,
    patch=(2, 2),
    text_tokens=512,  # T5's sequence (CLIP only gives the pooled vector)
    activation=flux_activation,
    flops=flux_flops,
)
