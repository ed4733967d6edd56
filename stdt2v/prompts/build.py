"""The prompt builders: the ``prompts`` section and the resolved sources → the decoupler (rule,
transformers LLM, or an OpenAI-compatible server; cached) and the face describer."""

from __future__ import annotations

from typing import Any

from stdt2v.config.load import as_schema
from stdt2v.config.schema import DecouplerBackend, FaceDescriptionBackend, PromptsConfig
from stdt2v.prompts.base import PromptDecoupler
from stdt2v.prompts.cache import CachedDecoupler
from stdt2v.prompts.chain import CHAINS, ChainDecoupler
from stdt2v.prompts.face_description import FaceDescriber
from stdt2v.prompts.limits import TokenCounter, TokenLimits, approx_tokens
from stdt2v.prompts.llm import LLMDecoupler, load_instructions
from stdt2v.prompts.rule import RuleDecoupler, load_spacy
from stdt2v.runinfo import redact
from stdt2v.sources import Sources, prompt_sources


def build_decoupler(
    cfg: PromptsConfig,
    *,
    cache_dir: str | None = None,
    sources: Sources | None = None,
    device: str = "cpu",
    count_spatial: TokenCounter = approx_tokens,
    count_temporal: TokenCounter = approx_tokens,
    spatial_limit: int = 8 * 77,  # SDXL encodes the whole spatial prompt in 77-token chunks (keyframe/long_prompt.py)
    temporal_limit: int = 512,
    allow_pickle: bool = False,
    trigger: str | None = None,
) -> PromptDecoupler:
    """``cfg``: the ``prompts`` section. The token counters default to an estimate and the
    limits to SDXL's and Wan's; the pipeline passes its text encoders' tokenizers and limits.
    ``prompts.spatial_max_tokens`` / ``temporal_max_tokens`` override the limits. ``trigger``:
    the keyframe adapter's trigger words, put in front of every spatial prompt (and counted).
    ``sources``: the record the LLM's weights, device and pickle opt-in were resolved into up
    front (None: resolved here from ``cfg``, ``cache_dir``, ``device`` and ``allow_pickle``, for
    a decoupler built on its own)."""
    cfg = as_schema(cfg)
    found = prompt_weights(cfg, cache_dir, sources)
    device, allow_pickle = load_settings(sources, device, allow_pickle)
    limits = TokenLimits(cfg.spatial_max_tokens or spatial_limit, cfg.temporal_max_tokens or temporal_limit, count_spatial, count_temporal)
    rule = RuleDecoupler(load_spacy(cfg.spacy_model), neutral_subject=cfg.neutral_subject, framing=cfg.framing, limits=limits, trigger=trigger)

    # The LLM backends are imported only when chosen (transformers' model code, or an HTTP client).
    def transformers_backend() -> PromptDecoupler:
        from stdt2v.prompts.chat import TransformersChat

        chat = TransformersChat.from_pretrained(
            found["llm"],
            device=device,
            gguf_file=found["llm_gguf"],
            allow_pickle=allow_pickle,
            temperature=cfg.llm.temperature,
            top_p=cfg.llm.top_p,
            max_new_tokens=cfg.llm.max_new_tokens,
        )
        return llm_decoupler(chat, name="transformers", model=cfg.llm.model)

    def openai_backend() -> PromptDecoupler:
        from stdt2v.prompts.chat import OpenAIChat

        o = cfg.openai
        chat = OpenAIChat(
            o.base_url,
            cfg.llm.model,
            api_key_env=o.api_key_env,
            temperature=cfg.llm.temperature,
            max_tokens=cfg.llm.max_new_tokens,
            timeout=o.timeout,
            retries=o.retries,
            json_mode=o.json_mode,
            top_p=cfg.llm.top_p,
            chat_template_kwargs=dict(o.chat_template_kwargs),
        )
        return llm_decoupler(chat, name="openai", model=f"{redact(o.base_url)}|{cfg.llm.model}")

    def llm_decoupler(chat: Any, *, name: str, model: str) -> PromptDecoupler:
        common = dict(name=name, model=model, fallback=rule, framing=cfg.framing, trigger=trigger)
        if cfg.instructions in CHAINS:  # IPVG's two-step chain: temporal first, spatial from it
            return ChainDecoupler(chat, chain=cfg.instructions, **common)
        return LLMDecoupler(chat, instructions=cfg.instructions, **common)

    builders = {DecouplerBackend.rule: lambda: rule, DecouplerBackend.transformers: transformers_backend, DecouplerBackend.openai: openai_backend}
    decoupler = builders[cfg.backend]()
    if cfg.cache and cache_dir is not None:
        counters = "|".join(getattr(c, "__qualname__", type(c).__name__) for c in (count_spatial, count_temporal))
        key = f"{cfg.framing}|{cfg.neutral_subject}|{limits.spatial_max_tokens}|{limits.temporal_max_tokens}|{counters}|{trigger}"
        decoupler = CachedDecoupler(decoupler, cache_dir, key_extra=key)
    return decoupler


FACE_INSTRUCTIONS = {"phrase": "face_v1", "rewrite": "face_rewrite_v1"}  # by prompts.face_description.mode


def build_face_describer(
    cfg: PromptsConfig,
    *,
    cache_dir: str | None = None,
    device: str = "cpu",
    allow_pickle: bool = False,
    sources: Sources | None = None,
) -> FaceDescriber | None:
    """``cfg``: the ``prompts`` section; None when ``prompts.face_description.enabled`` is false.
    The OpenAI-compatible backend uses the server of ``prompts.openai`` (or ``face_description.base_url``).
    ``sources``: the VLM's weights as resolved up front (None: resolved here)."""
    cfg = as_schema(cfg)
    f = cfg.face_description
    if not f.enabled:
        return None
    instructions, version = load_instructions(FACE_INSTRUCTIONS[f.mode.value])
    ask = None
    if f.backend == FaceDescriptionBackend.openai:
        # The vision client is imported only when chosen, as the LLM decouplers' are.
        from stdt2v.prompts.chat import OpenAIChat
        from stdt2v.prompts.vision import OpenAIVision

        o = cfg.openai
        base_url = f.base_url or o.base_url
        chat = OpenAIChat(
            base_url,
            f.model,
            api_key_env=o.api_key_env,
            temperature=f.temperature,
            max_tokens=f.max_new_tokens,
            timeout=o.timeout,
            retries=o.retries,
            json_mode=False,
        )
        ask, source = OpenAIVision(chat), f"openai:{redact(base_url)}|{f.model}"
    elif f.backend == FaceDescriptionBackend.transformers:
        from stdt2v.prompts.vision import TransformersVision

        folder = prompt_weights(cfg, cache_dir, sources)["vlm"]
        device, allow_pickle = load_settings(sources, device, allow_pickle)
        ask = TransformersVision.from_pretrained(folder, device=device, allow_pickle=allow_pickle, max_new_tokens=f.max_new_tokens, temperature=f.temperature)
        source = f"transformers:{f.model}"
    else:
        source = "analyzer"
    return FaceDescriber(
        ask,
        instructions=instructions,
        version=version,
        source=source,
        max_features=f.max_features,
        cache_folder=cache_dir if cfg.cache else None,
        mode=f.mode.value,
    )


def load_settings(sources: Sources | None, device: str, allow_pickle: bool) -> tuple[str, bool]:
    """The device and pickle opt-in a local model loads with: the record's when there is one
    (resolved once, up front), else the builder's own arguments (a builder used on its own)."""
    return (device, allow_pickle) if sources is None else (str(sources.device), sources.allow_pickle)


def prompt_weights(cfg: PromptsConfig, cache_dir: str | None, sources: Sources | None) -> dict[str, str | None]:
    """The LLM's and VLM's weights: from ``sources``, or resolved from ``cfg`` when there is none."""
    if sources is None:
        return prompt_sources(cfg, cache_dir)
    return {"llm": sources.llm, "llm_gguf": sources.llm_gguf, "vlm": sources.vlm}
