"""Animation stage: image-to-video from the keyframe and the temporal prompt."""

from stdt2v.animate.base import Animator, check_num_frames, snap_size

__all__ = ["Animator", "build_animator", "check_num_frames", "check_animate_config", "snap_size"]


def check_animate_config(cfg) -> None:
    """Checks that need no weights, run before anything loads."""
    from stdt2v.animate.wan import WAN_TEMPORAL_FACTOR
    from stdt2v.config.schema import AnimateBackend

    temporal = {AnimateBackend.wan: WAN_TEMPORAL_FACTOR}[cfg.backend]
    check_num_frames(cfg.num_frames, temporal)


def build_animator(cfg, *, source: str, device, dtype, vae_dtype, progress: bool = True, allow_pickle: bool = False) -> Animator:
    """``cfg``: the ``animate`` section; ``source``: the resolved model folder or hub id."""
    from stdt2v.config.schema import AnimateBackend

    check_animate_config(cfg)

    def wan() -> Animator:
        from stdt2v.animate.wan import WanAnimator

        return WanAnimator.from_pretrained(
            source,
            device=device,
            dtype=dtype,
            vae_dtype=vae_dtype,
            progress=progress,
            allow_pickle=allow_pickle,
            height=cfg.height,
            width=cfg.width,
            num_frames=cfg.num_frames,
            fps=cfg.fps,
            num_inference_steps=cfg.num_inference_steps,
            guidance_scale=cfg.guidance_scale,
            negative_prompt=cfg.negative_prompt,
        )

    builders = {AnimateBackend.wan: wan}
    return builders[cfg.backend]()
