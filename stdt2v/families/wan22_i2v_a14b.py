"""Wan2.2 I2V-A14B: the 2.1 VAE (8×), two experts — ``transformer`` for timesteps at or above
``boundary_ratio × 1000`` (high noise, layout), ``transformer_2`` below (low noise, detail) —
with their own guidance scales; no image encoder."""

from stdt2v.families.spec import AreaRule, VideoFamily, wan_flops, wan_video_activation

FAMILY = VideoFamily(
    name="wan2.2-i2v-a14b",
    title="Wan2.2 I2V-A14B",
    backend="wan",
    pipeline_class="WanImageToVideoPipeline",
    transformer_class="WanTransformer3DModel",
    vae_class="AutoencoderKLWan",
    models=("Wan-AI/Wan2.2-I2V-A14B-Diffusers",),
    tiny="wan2.2-i2v-a14b",
    tiny_builder="stdt2v.tiny.wan:build_tiny_wan22_i2v_a14b",
    vae_stride=8,
    patch=(1, 2, 2),
    text_tokens=512,
    activation=wan_video_activation,
    flops=wan_flops,
    usual_lengths=(("Wan2.2 I2V-A14B", 81),),
    # size_mode=area: the latent grid rounding, the keyframe resized (bicubic) with no crop.
    area_rule=AreaRule("latent_grid", "resize", "BICUBIC", "Wan2.2 wan/image2video.py, Wan2.1 wan/image2video.py"),
    extras={"latent_channels": 16},
)
