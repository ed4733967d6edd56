"""SDXL keyframes (base 1.0 and its fine-tunes, e.g. RealVisXL): a UNet, two CLIP text encoders."""

from stdt2v.families.spec import Family, KeyframeFamily


def sdxl_activation(family: Family, cfg: dict, height: int, width: int, frames: int, dtype_bytes: int, vae_stride: int, references: int) -> tuple[int, str]:
    """2 (CFG batch) × latent pixels × 320 × 30 × bytes: an empirical factor for the skip
    connections and full-resolution convolutions, rough."""
    h, w = height // vae_stride, width // vae_stride
    return 2 * h * w * 320 * 30 * dtype_bytes, f"2 (CFG) × {h}×{w} latent px × 320 × 30 × {dtype_bytes} B (rough)"


FAMILY = KeyframeFamily(
    name="sdxl",
    title="SDXL",
    backend="sdxl",
    pipeline_class="StableDiffusionXLPipeline",
    transformer_class="UNet2DConditionModel",
    vae_class="AutoencoderKL",
    models=("stabilityai/stable-diffusion-xl-base-1.0", "SG161222/RealVisXL_V4.0"),
    tiny="sdxl",
    tiny_builder="stdt2v.tiny.sdxl:build_tiny_sdxl",
    vae_stride=8,
    patch=(1, 1),
    text_tokens=77,
    activation=sdxl_activation,
)
