"""The keyframe builders: the ``keyframe`` section and the resolved sources → the generator
(base model, scheduler, identity adapter) and the best-of-N stage around it."""

from __future__ import annotations

from typing import Any

from stdt2v.config.load import as_schema
from stdt2v.config.schema import IdentityAdapterKind, KeyframeBackend, KeyframeConfig, KeyframeScheduler, ScoreFace
from stdt2v.errors import ConfigError
from stdt2v.face import FaceAnalyzer
from stdt2v.keyframe.base import KeyframeGenerator
from stdt2v.keyframe.flux import FluxKeyframeGenerator
from stdt2v.keyframe.hyperlora_identity import HyperLoRAEncoder, HyperLoRAIdentity
from stdt2v.keyframe.identity import IdentityConditioner, load_faceid, load_identity_adapter
from stdt2v.keyframe.sdxl import SDXLKeyframeGenerator, dpmpp_2m_karras, euler_ancestral
from stdt2v.keyframe.select import FaceScorer
from stdt2v.keyframe.stage import KeyframeStage
from stdt2v.quantize import quantize_loaded, restore_storage
from stdt2v.sources import Sources

SCHEDULERS = {KeyframeScheduler.dpmpp_2m_karras: dpmpp_2m_karras, KeyframeScheduler.euler_ancestral: euler_ancestral}
GENERATORS: dict[KeyframeBackend, type[KeyframeGenerator]] = {KeyframeBackend.sdxl: SDXLKeyframeGenerator, KeyframeBackend.flux: FluxKeyframeGenerator}


def build_keyframe_generator(
    cfg: KeyframeConfig, sources: Sources, *, progress: bool = True, face_analyzer: FaceAnalyzer | None = None, pipe: Any = None
) -> KeyframeGenerator:
    """``cfg``: the ``keyframe`` section (validated when loaded); ``sources``: where the base model
    (``sources.keyframe``) and the identity adapter (``sources.identity``) are, and the device and
    dtype; ``face_analyzer``: the one HyperLoRA prepares its face input with; ``pipe``: a diffusers
    pipeline built already (then the base model is not loaded)."""
    cfg = as_schema(cfg)
    device, dtype, allow_pickle = sources.device, sources.dtype, sources.allow_pickle
    flux = cfg.backend == KeyframeBackend.flux
    generator_class = GENERATORS[cfg.backend]
    scheduler = KeyframeScheduler.dpmpp_2m_karras if cfg.scheduler == KeyframeScheduler.auto and not flux else cfg.scheduler
    icfg = cfg.identity
    if icfg.adapter != IdentityAdapterKind.none and sources.identity is None:  # a record built by hand (resolve_sources fills it)
        raise ConfigError(f"keyframe.identity.adapter={icfg.adapter.value}: no identity weights in the sources (use stdt2v.sources.resolve_sources)")
    hyper_encoder = None
    if icfg.adapter == IdentityAdapterKind.hyperlora:  # read before the base model: a bad folder is one line at once
        if face_analyzer is None:
            raise ConfigError("keyframe.identity.adapter=hyperlora: the keyframe stage needs the face analyzer")
        hyper_encoder = HyperLoRAEncoder.from_pretrained(sources.identity, icfg.image_encoder, face_analyzer, device=device, allow_pickle=allow_pickle)
    pipe = pipe or generator_class.load_pipeline(sources.keyframe, dtype=dtype, allow_pickle=allow_pickle)
    if scheduler in SCHEDULERS:
        pipe.scheduler = SCHEDULERS[scheduler](pipe.scheduler.config)
    # Before the move: a FLUX transformer fits a 24 GB GPU only once it is in fp8.
    denoiser = getattr(pipe, "transformer", None) or pipe.unet
    quantize_loaded(denoiser, cfg.quantization.value, dtype)
    pipe.to(device)
    pipe.set_progress_bar_config(disable=not progress, desc="keyframe", leave=False)

    conditioner = IdentityConditioner()
    if hyper_encoder is not None:
        conditioner = HyperLoRAIdentity(pipe, hyper_encoder, scale=icfg.scale)
    elif icfg.adapter == IdentityAdapterKind.stdt2v:
        conditioner = load_identity_adapter(pipe, sources.identity, num_tokens=icfg.num_tokens, lora_scale=icfg.lora_scale, device=device, flux=flux)
    elif icfg.adapter != IdentityAdapterKind.none:
        conditioner = load_faceid(
            pipe,
            sources.identity,
            kind=icfg.adapter.value,
            weight_name=sources.faceid_weight,
            image_encoder=icfg.image_encoder,
            lora_scale=icfg.lora_scale,
            device=device,
            allow_pickle=allow_pickle,
        )
    restore_storage(denoiser)  # loading an IP-Adapter casts the whole UNet to its dtype
    return generator_class(
        pipe,
        num_inference_steps=cfg.num_inference_steps,
        guidance_scale=cfg.guidance_scale,
        negative_prompt=cfg.negative_prompt,
        conditioner=conditioner,
        identity_scale=icfg.scale,
    )


def build_keyframe_stage(
    cfg: KeyframeConfig, generator: KeyframeGenerator, face_analyzer: FaceAnalyzer, score_analyzer: FaceAnalyzer | None = None
) -> KeyframeStage:
    """Best-of-N selection and face refinement around ``generator`` (``cfg``: the keyframe section);
    ``score_analyzer``: the analyzer of ``keyframe.score_pack`` (None: ``face_analyzer`` scores)."""
    cfg = as_schema(cfg)
    scorer = FaceScorer(
        score_analyzer or face_analyzer,
        detect_size=cfg.score_detect_size,
        first_face=cfg.score_face == ScoreFace.first,
        own_reference=score_analyzer is not None,
        pack=cfg.score_pack.value if cfg.score_pack is not None else "",
    )
    return KeyframeStage(
        generator,
        scorer,
        num_candidates=cfg.num_candidates,
        identity_threshold=cfg.identity_threshold,
        batch_size=cfg.candidate_batch_size,
        require_face=cfg.require_face,
        refine=cfg.refine if cfg.refine.enabled else None,
    )
