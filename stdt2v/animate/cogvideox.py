"""CogVideoX image-to-video through diffusers' ``CogVideoXImageToVideoPipeline``.

CogVideoX-5B-I2V learned its positional embeddings for one size (720×480) and one length
(49 frames): it is asked for exactly that, and the keyframe is made at that size. CogVideoX
1.5 uses rotary embeddings only and takes other sizes on its grid.
"""

from __future__ import annotations

from stdt2v.animate.base import DiffusersAnimator, log_size_change
from stdt2v.errors import ConfigError


class CogVideoXAnimator(DiffusersAnimator):
    name = "cogvideox"

    def __init__(self, pipe, *, use_dynamic_cfg: bool = False, flow_shift: float | None = None, **kwargs):
        super().__init__(pipe, **kwargs)
        if flow_shift is not None:
            raise ConfigError("animate.flow_shift: CogVideoX samples with DDIM/DPM, not flow matching; leave it null")
        self.use_dynamic_cfg = use_dynamic_cfg
        config = pipe.transformer.config
        self.vae_stride, self.patch_size = pipe.vae_scale_factor_spatial, config.patch_size
        self.size_multiple = self.vae_stride * self.patch_size
        self.max_prompt_tokens = config.max_text_seq_length
        # Learned positional embeddings fix the size and the length.
        self.fixed_size = None
        if config.use_learned_positional_embeddings:
            self.fixed_size = (config.sample_height * pipe.vae_scale_factor_spatial, config.sample_width * pipe.vae_scale_factor_spatial)
            if self.num_frames != config.sample_frames:
                raise ConfigError(
                    f"animate.num_frames={self.num_frames} is invalid: this CogVideoX model learned its positional "
                    f"embeddings for {config.sample_frames} frames only (set animate.num_frames={config.sample_frames})"
                )

    def video_size(self, aspect: float | None = None) -> tuple[int, int]:
        if self.fixed_size is None:
            return super().video_size(aspect)
        log_size_change((self.height, self.width), self.fixed_size, self.size_multiple, "the only size this model was trained for", self._said)
        return self.fixed_size

    def fixed_rule(self, aspect: float | None) -> str:
        return "the only size this model was trained for" if self.fixed_size is not None else super().fixed_rule(aspect)

    def pipe_kwargs(self) -> dict:
        return {"use_dynamic_cfg": self.use_dynamic_cfg, "max_sequence_length": self.max_prompt_tokens}
