"""Wan image-to-video through diffusers' ``WanImageToVideoPipeline``, run as our subclass
(``stdt2v.animate.wan_pipelines``: the denoising loop we own, where identity guidance lives).

One class covers the family; the model folder decides the variant:

* Wan2.2 TI2V-5B: the 2.2 VAE (16× spatial), one transformer, ``expand_timesteps``;
* Wan2.2 I2V-A14B: the 2.1 VAE (8×), two experts — ``transformer`` for timesteps at or above
  ``boundary_ratio × 1000`` (high noise, layout), ``transformer_2`` below (low noise, detail) —
  with their own guidance scales;
* Wan2.1 I2V-14B (480p/720p): the 2.1 VAE, one transformer, a CLIP image encoder.
"""

from __future__ import annotations

import logging

from diffusers import WanImageToVideoPipeline, WanVACEPipeline

from stdt2v import families
from stdt2v.animate.base import DiffusersAnimator
from stdt2v.animate.wan_pipelines import GUIDED_PIPELINES, OwnedDenoising, guided_pipeline
from stdt2v.config.schema import SizeMode
from stdt2v.errors import ConfigError, StdT2VError

logger = logging.getLogger(__name__)


class WanAnimator(DiffusersAnimator):
    name = "wan"

    @classmethod
    def pipeline_type(cls) -> type:
        # diffusers' class, named by the family registry; we load and run our subclass of it
        return next(ours for stock, ours in GUIDED_PIPELINES.items() if stock.__name__ == families.pipeline_class(cls.name))

    @classmethod
    def adopt_pipeline(cls, pipe: WanImageToVideoPipeline | WanVACEPipeline) -> OwnedDenoising:
        return guided_pipeline(pipe)

    def __init__(self, pipe, *, guidance_scale_2: float | None = None, boundary_ratio: float | None = None, flow_shift: float | None = None, **kwargs):
        if not isinstance(pipe, OwnedDenoising):  # identity guidance is an argument of our __call__ only
            raise StdT2VError(f"{type(self).__name__}: got diffusers' {type(pipe).__name__}; pass it through {type(self).__name__}.adopt_pipeline first")
        super().__init__(pipe, **kwargs)
        two_experts = getattr(pipe, "transformer_2", None) is not None
        if not two_experts and (guidance_scale_2 is not None or boundary_ratio is not None):
            raise ConfigError("animate.guidance_scale_2 / boundary_ratio: this Wan model has one transformer (only Wan2.2 A14B has two experts)")
        if boundary_ratio is not None:  # in (0, 1): validated with the config
            pipe.register_to_config(boundary_ratio=boundary_ratio)
        self.guidance_scale_2 = guidance_scale_2
        if flow_shift is not None:
            from diffusers import UniPCMultistepScheduler

            pipe.scheduler = UniPCMultistepScheduler.from_config(pipe.scheduler.config, flow_shift=flow_shift)
        # Latent pixels per side = VAE spatial factor × transformer patch size.
        self.vae_stride, self.patch_size = pipe.vae_scale_factor_spatial, self.transformers[0].config.patch_size[1]
        self.size_multiple = self.vae_stride * self.patch_size
        # size_mode=area: how Wan's own code sizes an image-conditioned video, by the VAE's spatial stride (stdt2v.families).
        self.area_rule = families.area_rule(self.name, self.vae_stride)
        if self.size_mode == SizeMode.area and self.area_rule is None:
            known = ", ".join(str(stride) for stride in sorted({f.vae_stride for f in families.for_backend(self.name) if f.area_rule}))
            raise ConfigError(f"animate.size_mode=area: no Wan sizing rule for a VAE of stride {self.vae_stride} (known: {known}); use size_mode=fixed")
        self.max_prompt_tokens = families.for_backend(self.name)[0].text_tokens

    @property
    def boundary_timestep(self) -> float | None:
        ratio = self.pipe.config.get("boundary_ratio")
        return None if ratio is None else ratio * self.pipe.scheduler.config.num_train_timesteps

    def relay(self, timeline):
        if timeline is None:
            return super().relay(None)
        from stdt2v.animate.relay import RelayAttention

        return RelayAttention(self.pipe, self.transformers, timeline)

    def pipe_kwargs(self) -> dict:
        return {} if self.guidance_scale_2 is None else {"guidance_scale_2": self.guidance_scale_2}
