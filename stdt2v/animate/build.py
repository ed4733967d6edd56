"""``build_animator``: the ``animate`` section and the resolved sources → a placed ``Animator``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stdt2v.animate.base import Animator
from stdt2v.animate.cogvideox import CogVideoXAnimator
from stdt2v.animate.fast import apply_fast_mode, load_distill_loras
from stdt2v.animate.memory import check_memory_config, enable_context_parallel, place_pipeline, set_attention_backend
from stdt2v.animate.quantized import load_kwargs, quantize_transformers
from stdt2v.animate.vace import WanVACEAnimator
from stdt2v.animate.wan import WanAnimator
from stdt2v.config.load import as_schema
from stdt2v.config.schema import AnimateBackend, AnimateConfig, Offload
from stdt2v.errors import ConfigError
from stdt2v.sources import Sources


def build_animator(cfg: AnimateConfig, sources: Sources, *, progress: bool = True, pipe: Any = None) -> Animator:
    """``cfg``: the ``animate`` section; ``sources``: where its weights are (``sources.animate``)
    and the device and dtypes; ``pipe``: a diffusers pipeline built already (then nothing is loaded)."""
    cfg = as_schema(cfg)
    device = sources.device
    check_memory_config(cfg.memory, device)  # needs the device; the rest was validated with the config
    common = dict(
        height=cfg.height,
        width=cfg.width,
        num_frames=cfg.num_frames,
        fps=cfg.fps,
        num_inference_steps=cfg.num_inference_steps,
        guidance_scale=cfg.guidance_scale,
        negative_prompt=cfg.negative_prompt,
        guidance=cfg.guidance,
        size_mode=cfg.size_mode,
    )
    wan = dict(guidance_scale_2=cfg.guidance_scale_2, boundary_ratio=cfg.boundary_ratio, flow_shift=cfg.flow_shift)
    vace = dict(reference=cfg.vace.reference, conditioning_scale=cfg.vace.conditioning_scale, face_size=cfg.vace.face_size)
    family = {
        AnimateBackend.wan: (WanAnimator, wan),
        AnimateBackend.wan_vace: (WanVACEAnimator, wan | vace),
        AnimateBackend.cogvideox: (CogVideoXAnimator, dict(use_dynamic_cfg=cfg.use_dynamic_cfg, flow_shift=cfg.flow_shift)),
    }
    animator_class, extra = family[cfg.backend]
    if pipe is None:
        source, dtype = sources.animate, sources.dtype
        kwargs = load_kwargs(cfg, source, dtype)
        pipe = animator_class.load_pipeline(source, dtype=dtype, vae_dtype=sources.vae_dtype or dtype, allow_pickle=sources.allow_pickle, **kwargs)
    else:  # ours to run: Wan's denoising loop is our subclass of diffusers' pipeline
        pipe = animator_class.adopt_pipeline(pipe)
    adapters = {"stdt2v": load_lora(pipe, cfg.lora, cfg.lora_scale)} if cfg.lora else {}
    adapters.update(load_distill_loras(pipe, cfg.fast))
    if adapters:  # one call: set_adapters switches off every adapter it is not given
        pipe.set_adapters(list(adapters), adapter_weights=list(adapters.values()))
    animator = animator_class(pipe, **common, **extra)
    # After the LoRAs: fp8 / int8 leave the LoRA layers in the compute dtype.
    animator.quantization = quantize_transformers(animator.transformers, cfg.quantization.value, sources.dtype)
    named = {"stdt2v": str(cfg.lora)} if cfg.lora else {}
    animator.adapters = [
        {"stage": "animate", "name": name, "scale": weight, "source": named.get(name, "fast.distill_lora")} for name, weight in adapters.items()
    ]
    set_attention_backend(animator.transformers, cfg.attention_backend)
    apply_fast_mode(animator.transformers, cfg.fast, cfg.num_inference_steps)
    place_pipeline(pipe, cfg.memory, device)
    animator.offloaded = cfg.memory.offload != Offload.none
    enable_context_parallel(animator.transformers, cfg.context_parallel, device)
    pipe.set_progress_bar_config(disable=not progress, desc="animate", leave=False)
    return animator


def load_lora(pipe: Any, folder: str, scale: float) -> float:
    """Load a LoRA (safetensors) into the video pipeline's transformer; returns its weight."""
    path = Path(folder).expanduser()
    if not (path / "pytorch_lora_weights.safetensors").is_file():
        raise ConfigError(f"animate.lora: {path} has no pytorch_lora_weights.safetensors (point it at a training run's final/ folder)")
    pipe.load_lora_weights(str(path), weight_name="pytorch_lora_weights.safetensors", adapter_name="stdt2v")
    return scale
