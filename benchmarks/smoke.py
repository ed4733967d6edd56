"""The whole pipeline at a preset's real size with random weights: every denoiser, text encoder
and VAE built from its shipped architecture config directly on the device (bf16 on a GPU), in
the pipeline layout of the matching tiny model (its scheduler and offline tokenizers), then
decouple → keyframe → animate → identity, timed per stage beside the planner's estimate.

``small`` (any device, float32): the same components with 2 blocks per stack and a small
resolution, so that a CPU checks the path; its figures say nothing about a GPU.
"""

from __future__ import annotations

import time

import torch
from omegaconf import DictConfig, OmegaConf
from PIL import Image

from stdt2v import families
from stdt2v.animate import build_animator
from stdt2v.face import build_face_analyzer
from stdt2v.keyframe import build_keyframe_generator, build_keyframe_stage
from stdt2v.loading import load_pretrained, resolve_dtype, resolve_model_source
from stdt2v.pipeline import IPT2VPipeline
from stdt2v.plan import GB, build_component, component_configs, plan_pipeline
from stdt2v.prompts import build_decoupler
from stdt2v.sources import Sources

# Fewer blocks for `small` (the widths stay real).
SMALL = {"num_layers": 2, "num_single_layers": 2, "num_hidden_layers": 2, "transformer_layers_per_block": [1, 1, 1]}


def random_component(config: dict, device: torch.device, dtype: torch.dtype, small: bool) -> torch.nn.Module:
    """A component at its real architecture with random weights, created on ``device`` directly
    in ``dtype`` (a 14 B expert never exists in float32 on the way)."""
    if small:
        config = {**config, **{k: v for k, v in SMALL.items() if k in config}}
        if config.get("vace_layers"):  # VACE blocks sit beside main blocks: only those kept
            config["vace_layers"] = [i for i in config["vace_layers"] if i < config["num_layers"]]
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        torch.manual_seed(0)
        return build_component(config, device)
    finally:
        torch.set_default_dtype(previous)


def real_size_pipe(spec: str, key: str, cache_dir: str, device: torch.device, dtype: torch.dtype, small: bool, **dtypes: torch.dtype) -> object:
    """The pipeline of ``spec``'s family (stdt2v.families) loaded from its tiny model (the
    scheduler, tokenizers and pipeline config it shares), its models replaced by real-size random ones.
    ``dtypes``: per-component dtypes beyond the default (``vae=``)."""
    family = families.find(spec)
    if family is None:
        known = ", ".join(m for f in families.FAMILIES.values() for m in f.models)
        raise SystemExit(f"gpu_smoke: no model family for '{spec}'; use one of: {known}")
    import diffusers

    pipeline_class = getattr(diffusers, family.pipeline_class)
    pipe = load_pretrained(pipeline_class.from_pretrained, resolve_model_source(f"tiny:{family.tiny}", cache_dir), key, dtype={"default": dtype, **dtypes})
    for name, config in component_configs(spec, cache_dir, "model").items():
        pipe.register_modules(**{name: random_component(config, device, dtype, small)})
    return pipe.to(device)


def smoke(cfg: DictConfig, device: torch.device, small: bool, prompt: str, id_image: Image.Image) -> dict:
    """Run the preset once at its size; seconds and peak memory per stage beside the plan."""
    dtype = torch.float32 if small else resolve_dtype(cfg.dtype, device)
    if small:
        cfg = OmegaConf.merge(cfg, {"animate": {"height": 256, "width": 448, "num_frames": 9}, "keyframe": {"height": None, "width": None}})
    plan = plan_pipeline(cfg, budget_gb=None)
    started = time.perf_counter()
    face = build_face_analyzer(cfg.face, device=str(device))
    sources = Sources(device, dtype, dtype, cache_dir=cfg.cache_dir, keyframe=cfg.keyframe.model, animate=cfg.animate.model)
    generator = build_keyframe_generator(
        cfg.keyframe,
        sources,
        progress=True,
        pipe=real_size_pipe(cfg.keyframe.model, "keyframe.model", cfg.cache_dir, device, dtype, small),
    )
    animator = build_animator(
        cfg.animate,
        sources,
        progress=True,
        pipe=real_size_pipe(cfg.animate.model, "animate.model", cfg.cache_dir, device, dtype, small, vae=dtype),
    )
    decoupler = build_decoupler(
        cfg.prompts, count_spatial=generator.count_prompt_tokens, count_temporal=animator.count_prompt_tokens, spatial_limit=generator.max_prompt_tokens
    )
    pipe = IPT2VPipeline(decoupler, face, build_keyframe_stage(cfg.keyframe, generator, face), animator, device=device)
    load_seconds = time.perf_counter() - started
    out = pipe(prompt, id_image, seed=0)
    estimate = {
        "keyframe": plan.stage_bytes("keyframe") + plan.activation("keyframe", False),
        "animate": plan.stage_bytes("animate", "none") + plan.activation("animate", cfg.animate.memory.vae_tiling),
    }
    rows = [
        {"stage": name, "seconds": t.seconds, "peak_gb": t.peak_memory_mb / 1024, "memory_kind": t.memory_kind, "plan_gb": estimate.get(name, 0) / GB or None}
        for name, t in out.report.stages.items()
    ]
    return {
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
        "dtype": str(dtype).replace("torch.", ""),
        "small": small,
        "size": f"{out.frames.shape[0]}×{out.frames.shape[1]}×{out.frames.shape[2]}",
        "load_seconds": load_seconds,
        "rows": rows,
    }
