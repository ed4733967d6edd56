"""Wan2.1 I2V-14B (480p / 720p): the 2.1 VAE (8×), one transformer with image cross-attention
fed by a CLIP vision encoder."""

from stdt2v.families.spec import AreaRule, VideoFamily, wan_flops, wan_video_activation

FAMILY = VideoFamily(
    name="wan2.1-i2v-14b",
    title="Wan2.1 I2V-14B",
    backend="wan",
    pipeline_class="WanImageToVideoPipeline",
    transformer_class="WanTransformer3DModel",
    vae_class="AutoencoderKLWan",
    models=("Wan-AI/Wan2.1-I2V-14B-480P-Diffusers", "Wan-AI/Wan2.1-I2V-14B-720P-Diffusers"),
    tiny="wan2.1-i2v-14b",
    tiny_builder="stdt2v.tiny.wan:build_tiny_wan21_i2v",
    vae_stride=8,
    patch=(1, 2, 2),
    text_tokens=512,
    activation=wan_video_activation,
    flops=wan_flops,
    usual_lengths=(("Wan2.1 I2V-14B", 81),),
    area_rule=AreaRule("latent_grid", "resize", "BICUBIC", "Wan2.2 wan/image2video.py, Wan2.1 wan/image2video.py"),
    extras={"latent_channels": 16},
)
