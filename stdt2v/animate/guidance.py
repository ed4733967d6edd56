"""Identity-aware guidance, and the transformer-call count of one pipeline call.

What the 2025 challenge winner's released code does on each guided step (its paper speaks
of gradients; the code uses none): after the usual classifier-free-guidance prediction
``cfg``, a third transformer pass — the *weak* pass — runs on the conditional inputs with
chosen blocks skipped (each returns its input) and, for VACE, the reference images removed
from the conditioning (their latent frames cut off the front of ``control_hidden_states``:
diffusers' ``WanVACETransformer3DModel`` zero-pads the context tokens at the end to the video's
length, as the winner's code does; frames zeroed in place would become bias-valued tokens);
the step then uses ``cfg + scale · (cfg − weak)``. The weak model
lacks exactly what carries identity, so the difference pushes towards it.

Where it runs: ``IdentityGuidance.apply`` is called by the denoising loop we own
(``stdt2v.animate.wan_pipelines``: each step's prediction method hands it the CFG prediction,
the transformer of the step and the conditional pass's inputs), so nothing here depends on
the order of calls inside a diffusers ``__call__``. The weak pass skips blocks with diffusers'
layer-skip hooks (``diffusers.hooks.apply_layer_skip``), removed right after.
``TransformerCalls`` counts every forward pass of a call (the run report shows the cost).
"""

from __future__ import annotations

from typing import Any

import torch
from diffusers.hooks import HookRegistry, LayerSkipConfig, apply_layer_skip

from stdt2v.config.schema import GuidanceConfig
from stdt2v.errors import ConfigError

# The name apply_layer_skip registers its hooks under (diffusers.hooks.layer_skip), to remove them.
LAYER_SKIP_HOOK = "layer_skip_hook"


def guidance_report(config: GuidanceConfig, guided_steps: int) -> dict[str, Any]:
    """The run report's ``animate.guidance``: the settings, labelled, and the steps guided."""
    return {
        "what": "identity-aware guidance as the 2025 challenge winner's released code does it: cfg + skip_scale · (cfg − weak pass)",
        "skip_blocks": list(config.skip_blocks),
        "skip_scale": config.skip_scale,
        "drop_reference": config.drop_reference,
        "window": [config.start, config.end],
        "guided_steps": guided_steps,
    }


def check_skip_blocks(config: GuidanceConfig, transformers: list[torch.nn.Module]) -> None:
    """Fail in one line when a skipped block does not exist in a transformer (each has ``.blocks``)."""
    if not config.enabled:
        return
    for transformer in transformers:
        count = len(transformer.blocks)
        if any(b >= count for b in config.skip_blocks):
            raise ConfigError(f"animate.guidance.skip_blocks={list(config.skip_blocks)}: this transformer has {count} blocks (0..{count - 1})")


class IdentityGuidance:
    """One call's identity-aware guidance: ``apply`` turns a step's CFG prediction into the guided
    one; ``guided_steps`` counts the steps it guided. ``reference_frames``: latent frames at the
    front of VACE's conditioning that hold the reference images."""

    def __init__(self, settings: GuidanceConfig, num_steps: int, reference_frames: int = 0):
        self.settings = settings
        self.num_steps = num_steps
        self.reference_frames = reference_frames
        self.guided_steps = 0

    def apply(self, cfg: torch.Tensor, transformer: torch.nn.Module, conditional: dict, step: int) -> torch.Tensor:
        """``cfg + skip_scale · (cfg − weak)`` on a step in the window, else ``cfg`` unchanged;
        ``conditional``: the keyword arguments of the step's conditional pass."""
        if not self.settings.guides(step, self.num_steps):
            return cfg
        weak = self.weak_prediction(transformer, conditional).to(cfg.dtype)
        self.guided_steps += 1
        return cfg + self.settings.skip_scale * (cfg - weak)

    @torch.no_grad()
    def weak_prediction(self, transformer: torch.nn.Module, conditional: dict) -> torch.Tensor:
        """The conditional pass again, with the chosen blocks skipped and (VACE) the reference
        frames removed from the front of the conditioning (the model zero-pads its end)."""
        kwargs = dict(conditional, return_dict=False)
        control = kwargs.get("control_hidden_states")
        if self.settings.drop_reference and self.reference_frames and control is not None:
            kwargs["control_hidden_states"] = control[:, :, self.reference_frames :]
        apply_layer_skip(transformer, LayerSkipConfig(indices=list(self.settings.skip_blocks), fqn="blocks"))
        try:
            return transformer(**kwargs)[0]
        finally:
            HookRegistry.check_if_exists_or_initialize(transformer).remove_hook(LAYER_SKIP_HOOK, recurse=True)


class TransformerCalls:
    """``with TransformerCalls(transformers) as count: pipe(...)``; afterwards ``count.calls`` is
    the number of forward passes of the transformers (the weak passes included)."""

    def __init__(self, transformers: list):
        self.transformers = transformers
        self.calls = 0
        self._handles: list = []

    def __enter__(self) -> "TransformerCalls":
        self._handles = [t.register_forward_pre_hook(self._count) for t in self.transformers]
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def _count(self, module, args) -> None:
        self.calls += 1
