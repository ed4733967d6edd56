"""Identity-aware guidance and the transformer-call count, installed around one diffusers
pipeline call without touching its denoising loop.

What the 2025 challenge winner's released code does on each guided step (its paper speaks
of gradients; the code uses none): after the usual classifier-free-guidance prediction
``cfg``, a third transformer pass — the *weak* pass — runs on the conditional inputs with
chosen blocks skipped (each returns its input) and, for VACE, the reference images removed
from the conditioning (their latent frames cut off the front of ``control_hidden_states``:
diffusers' ``WanVACETransformer3DModel`` zero-pads the context tokens at the end to the video's
length, as the winner's code does; frames zeroed in place would become bias-valued tokens);
the step then uses ``cfg + scale · (cfg − weak)``. The weak model
lacks exactly what carries identity, so the difference pushes towards it.

How it is installed, with diffusers' own pieces:

* a forward pre-hook on each transformer counts every call and keeps the keyword arguments
  of the first call of each step (diffusers' Wan pipelines call the conditional branch first);
* ``scheduler.step`` is wrapped for the call: it receives the CFG prediction, runs the weak
  pass with diffusers' layer-skip hooks (``diffusers.hooks.apply_layer_skip``, removed right
  after) and hands the guided prediction on.
"""

from __future__ import annotations

import torch
from diffusers.hooks import HookRegistry, LayerSkipConfig, apply_layer_skip

from stdt2v.config.schema import GuidanceConfig

# The name apply_layer_skip registers its hooks under (diffusers.hooks.layer_skip), to remove them.
LAYER_SKIP_HOOK = "layer_skip_hook"


class DenoisingHooks:
    """``with DenoisingHooks(pipe, transformers, settings, num_steps) as hooks: pipe(...)``;
    afterwards ``hooks.calls`` is the number of transformer forward passes and
    ``hooks.guided_steps`` the steps that got the weak pass. ``reference_frames``: latent
    frames at the front of VACE's conditioning that hold the reference images."""

    def __init__(self, pipe, transformers: list, settings: GuidanceConfig, num_steps: int, reference_frames: int = 0):
        self.pipe = pipe
        self.transformers = transformers
        self.settings = settings
        self.num_steps = num_steps
        self.reference_frames = reference_frames
        self.calls = 0
        self.guided_steps = 0
        self._step = 0
        self._conditional: tuple | None = None  # (transformer, its keyword arguments) of this step's first call
        self._in_weak_pass = False
        self._handles: list = []
        self._original_step = None

    def __enter__(self) -> "DenoisingHooks":
        self._handles = [t.register_forward_pre_hook(self._before_forward, with_kwargs=True) for t in self.transformers]
        if self.settings.enabled:
            scheduler = self.pipe.scheduler
            self._original_step = scheduler.step
            scheduler.step = self._guided_step  # an instance attribute: shadows the class's method for this call only
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._handles:
            handle.remove()
        if self._original_step is not None:
            del self.pipe.scheduler.step
            self._original_step = None

    def _before_forward(self, module, args, kwargs):
        self.calls += 1
        if not self._in_weak_pass and self._conditional is None:
            self._conditional = (module, kwargs)
        return None

    def _guided_step(self, model_output, timestep, sample, *args, **kwargs):
        step, conditional = self._step, self._conditional
        self._step, self._conditional = step + 1, None
        if conditional is not None and self.settings.guides(step, self.num_steps):
            weak = self.weak_prediction(*conditional).to(model_output.dtype)
            model_output = model_output + self.settings.skip_scale * (model_output - weak)
            self.guided_steps += 1
        return self._original_step(model_output, timestep, sample, *args, **kwargs)

    @torch.no_grad()
    def weak_prediction(self, transformer, kwargs: dict) -> torch.Tensor:
        """The conditional pass again, with the chosen blocks skipped and (VACE) the reference
        frames removed from the front of the conditioning (the model zero-pads its end)."""
        kwargs = dict(kwargs)
        control = kwargs.get("control_hidden_states")
        if self.settings.drop_reference and self.reference_frames and control is not None:
            kwargs["control_hidden_states"] = control[:, :, self.reference_frames :]
        apply_layer_skip(transformer, LayerSkipConfig(indices=list(self.settings.skip_blocks), fqn="blocks"))
        self._in_weak_pass = True
        try:
            output = transformer(**kwargs)
        finally:
            self._in_weak_pass = False
            HookRegistry.check_if_exists_or_initialize(transformer).remove_hook(LAYER_SKIP_HOOK, recurse=True)
        return output[0] if isinstance(output, tuple) else output.sample
