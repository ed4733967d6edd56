"""CogVideoX image-to-video (5B-I2V; 1.5): joint attention over text and video tokens, the
conditional and unconditional passes batched. CogVideoX-5B-I2V learned its positional
embeddings for 720×480 and 49 frames; CogVideoX 1.5 uses rotary embeddings only, a temporal
patch of 2, and takes other sizes and lengths up to 81 frames."""

from stdt2v.families.spec import VideoFamily, config_patch


def cogvideox_activation(
    family: VideoFamily, cfg: dict, height: int, width: int, frames: int, dtype_bytes: int, vae_stride: int, references: int
) -> tuple[int, str]:
    """2 (the CFG batch) × (video + text tokens) × 8·dim × bytes."""
    text = cfg.get("max_text_seq_length", family.text_tokens)
    tokens = family.tokens(frames, height, width, vae_stride=vae_stride, patch=config_patch(cfg)) + text
    dim = cfg["num_attention_heads"] * cfg["attention_head_dim"]
    return 2 * tokens * 8 * dim * dtype_bytes, f"2 (CFG) × {tokens} tokens × 8·{dim} × {dtype_bytes} B"


FAMILY = VideoFamily(
    name="cogvideox",
    title="CogVideoX",
    backend="cogvideox",
    pipeline_class="CogVideoXImageToVideoPipeline",
    transformer_class="CogVideoXTransformer3DModel",
    vae_class="AutoencoderKLCogVideoX",
    models=("THUDM/CogVideoX-5b-I2V",),
    tiny="cogvideox-5b-i2v",
    tiny_builder="stdt2v.tiny.cogvideox:build_tiny_cogvideox_i2v",
    vae_stride=8,
    patch=(1, 2, 2),  # CogVideoX 1.5: (2, 2, 2) (its config's patch_size_t)
    text_tokens=226,
    activation=cogvideox_activation,
    usual_lengths=(("CogVideoX-5B-I2V", 49), ("CogVideoX 1.5", 81)),
    max_frames=81,
    text_in_sequence=True,
    extras={"latent_channels": 16},
)
