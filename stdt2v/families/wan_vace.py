"""Wan2.1 VACE (1.3B / 14B): reference-to-video through ``WanVACEPipeline``; the 2.1 VAE (8×), a
``WanVACETransformer3DModel`` whose VACE blocks read the 96-channel context (16 video + 16
inactive latents, 64 mask channels). Reference images become latent frames in front of the
video; VACE renders on a fixed canvas (no area rule)."""

from stdt2v.families.spec import VideoFamily, wan_flops, wan_video_activation

FAMILY = VideoFamily(
    name="wan2.1-vace",
    title="Wan2.1-VACE",
    backend="wan_vace",
    pipeline_class="WanVACEPipeline",
    transformer_class="WanVACETransformer3DModel",
    vae_class="AutoencoderKLWan",
    models=("Wan-AI/Wan2.1-VACE-14B-diffusers", "Wan-AI/Wan2.1-VACE-1.3B-diffusers"),
    tiny="wan2.1-vace",
    tiny_builder="stdt2v.tiny.wan:build_tiny_wan21_vace",
    vae_stride=8,
    patch=(1, 2, 2),
    text_tokens=512,
    activation=wan_video_activation,
    flops=wan_flops,
    usual_lengths=(("Wan2.1-VACE", 81),),
    extras={"latent_channels": 16},
)
