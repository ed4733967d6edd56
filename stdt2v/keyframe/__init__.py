"""Keyframe stage: identity-conditioned text-to-image for the first frame."""

from stdt2v.config.schema import IdentityAdapterKind, KeyframeBackend, KeyframeScheduler, ScoreFace
from stdt2v.config.validate import faceid_weight_name
from stdt2v.errors import ConfigError
from stdt2v.keyframe.base import KeyframeGenerator
from stdt2v.keyframe.flux import FluxKeyframeGenerator
from stdt2v.keyframe.hyperlora_identity import HyperLoRAEncoder, HyperLoRAIdentity, resolve_hyperlora_source
from stdt2v.keyframe.identity import Identity, IdentityConditioner, load_faceid, load_identity_adapter
from stdt2v.keyframe.refine import RefineSettings
from stdt2v.keyframe.sdxl import SDXLKeyframeGenerator, dpmpp_2m_karras, euler_ancestral
from stdt2v.keyframe.select import FaceScorer
from stdt2v.keyframe.stage import KeyframeResult, KeyframeStage
from stdt2v.loading import resolve_model_source
from stdt2v.quantize import quantize_loaded, restore_storage

__all__ = [
    "Identity",
    "KeyframeGenerator",
    "KeyframeResult",
    "KeyframeStage",
    "build_keyframe_generator",
    "build_keyframe_stage",
]

SCHEDULERS = {KeyframeScheduler.dpmpp_2m_karras: dpmpp_2m_karras, KeyframeScheduler.euler_ancestral: euler_ancestral}


def build_keyframe_generator(
    cfg,
    *,
    source: str,
    device,
    dtype,
    cache_dir: str = ".",
    progress: bool = True,
    allow_pickle: bool = False,
    face_analyzer=None,
    pipe=None,
) -> KeyframeGenerator:
    """``cfg``: the ``keyframe`` section (validated when loaded); ``source``: the resolved base
    model folder or hub id; ``face_analyzer``: the one HyperLoRA prepares its face input with;
    ``pipe``: a diffusers pipeline built already (then ``source`` is not loaded)."""
    flux = cfg.backend == KeyframeBackend.flux
    generator_class = {KeyframeBackend.sdxl: SDXLKeyframeGenerator, KeyframeBackend.flux: FluxKeyframeGenerator}[cfg.backend]
    scheduler = KeyframeScheduler.dpmpp_2m_karras if cfg.scheduler == KeyframeScheduler.auto and not flux else cfg.scheduler
    icfg = cfg.identity
    hyper_encoder = None
    if icfg.adapter == IdentityAdapterKind.hyperlora:  # read before the base model: a bad folder is one line at once
        if face_analyzer is None:
            raise ConfigError("keyframe.identity.adapter=hyperlora: the keyframe stage needs the face analyzer")
        hyper_source = resolve_hyperlora_source(icfg.path, cache_dir)
        hyper_encoder = HyperLoRAEncoder.from_pretrained(hyper_source, icfg.image_encoder, face_analyzer, device=device, allow_pickle=allow_pickle)
    pipe = pipe or generator_class.load_pipeline(source, dtype=dtype, allow_pickle=allow_pickle)
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
        adapter_source = resolve_model_source(icfg.path, cache_dir, key="keyframe.identity.path", marker="config.json")
        conditioner = load_identity_adapter(pipe, adapter_source, num_tokens=icfg.num_tokens, lora_scale=icfg.lora_scale, device=device, flux=flux)
    elif icfg.adapter != IdentityAdapterKind.none:
        faceid_source = resolve_model_source(icfg.path, cache_dir, key="keyframe.identity.path", marker=None)
        conditioner = load_faceid(
            pipe,
            faceid_source,
            kind=icfg.adapter.value,
            weight_name=faceid_weight_name(icfg, allow_pickle),
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


def build_keyframe_stage(cfg, generator: KeyframeGenerator, face_analyzer, score_analyzer=None) -> KeyframeStage:
    """Best-of-N selection and face refinement around ``generator`` (``cfg``: the keyframe section);
    ``score_analyzer``: the analyzer of ``keyframe.score_pack`` (None: ``face_analyzer`` scores)."""
    r = cfg.refine
    refine = RefineSettings(r.strength, r.margin, r.work_size, r.feather) if r.enabled else None
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
        refine=refine,
    )
