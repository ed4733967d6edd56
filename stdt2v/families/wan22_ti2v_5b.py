"""Wan2.2 TI2V-5B: the 2.2 VAE (16× spatial, 48 latent channels), one transformer with
``expand_timesteps`` (the first frame kept clean), no image encoder."""

from stdt2v.families.spec import AreaRule, VideoFamily, wan_flops, wan_video_activation

FAMILY = VideoFamily(
    name="wan2.2-ti2v-5b",
    title="Wan2.2 TI2V-5B",
    backend="wan",
    pipeline_class="WanImageToVideoPipeline",
    transformer_class="WanTransformer3DModel",
    vae_class="AutoencoderKLWan",
    models=("Wan-AI/Wan2.2-TI2V-5B-Diffusers",),
    tiny="wan2.2-ti2v-5b",
    tiny_builder="stdt2v.tiny.wan:build_tiny_wan22_ti2v",
    vae_stride=16,
    patch=(1, 2, 2),
    text_tokens=512,
    activation=wan_video_activation,
    flops=wan_flops,
    usual_lengths=(("Wan2.2 TI2V-5B", 121),),
    # size_mode=area: sides in multiples of 32, the keyframe scaled to cover and centre-cropped.
    area_rule=AreaRule("best_output_size", "cover_crop", "LANCZOS", "Wan2.2 wan/textimage2video.py"),
    extras={"latent_channels": 48},
)
