"""Keyframe stage: identity-conditioned text-to-image for the first frame."""

from stdt2v.keyframe.base import KeyframeGenerator

__all__ = ["KeyframeGenerator", "build_keyframe_generator"]


def build_keyframe_generator(cfg, *, source: str, device, dtype, progress: bool = True, allow_pickle: bool = False) -> KeyframeGenerator:
    """``cfg``: the ``keyframe`` section; ``source``: the resolved model folder or hub id."""
    from stdt2v.config.schema import KeyframeBackend

    def sdxl() -> KeyframeGenerator:
        from stdt2v.keyframe.sdxl import SDXLKeyframeGenerator

        return SDXLKeyframeGenerator.from_pretrained(
            source,
            device=device,
            dtype=dtype,
            progress=progress,
            allow_pickle=allow_pickle,
            num_inference_steps=cfg.num_inference_steps,
            guidance_scale=cfg.guidance_scale,
            negative_prompt=cfg.negative_prompt,
        )

    builders = {KeyframeBackend.sdxl: sdxl}
    return builders[cfg.backend]()
