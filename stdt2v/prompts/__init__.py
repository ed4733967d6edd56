"""Prompt decoupling: a spatial prompt for the keyframe, a temporal prompt for the video."""

from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt, subject_phrase
from stdt2v.prompts.simple import SimpleDecoupler

__all__ = ["DecoupledPrompt", "PromptDecoupler", "SimpleDecoupler", "build_decoupler", "normalize_prompt", "subject_phrase"]


def build_decoupler(cfg) -> PromptDecoupler:
    """``cfg``: the ``prompts`` section (``PromptsConfig``)."""
    from stdt2v.config.schema import DecouplerBackend

    builders = {DecouplerBackend.simple: lambda: SimpleDecoupler(framing=cfg.framing)}
    return builders[cfg.backend]()
