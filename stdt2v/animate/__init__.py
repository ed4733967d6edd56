"""Animation stage: image-to-video from the keyframe and the temporal prompt."""

from stdt2v.animate.base import Animator, snap_size
from stdt2v.animate.cogvideox import CogVideoXAnimator
from stdt2v.animate.fast import FastSettings, apply_fast_mode, load_distill_loras
from stdt2v.animate.guidance import GuidanceSettings
from stdt2v.animate.memory import ContextParallelSettings, MemorySettings, check_memory_config, enable_context_parallel, place_pipeline, set_attention_backend
from stdt2v.animate.quantized import load_kwargs, quantize_transformers
from stdt2v.animate.vace import WanVACEAnimator
from stdt2v.animate.wan import WanAnimator
from stdt2v.config import to_settings
from stdt2v.config.schema import AnimateBackend
from stdt2v.errors import ConfigError

__all__ = ["Animator", "build_animator", "snap_size"]


def build_animator(cfg, *, source: str, device, dtype, vae_dtype, progress: bool = True, allow_pickle: bool = False, pipe=None) -> Animator:
    """``cfg``: the ``animate`` section; ``source``: the resolved model folder or hub id; ``pipe``:
    a diffusers pipeline built already (then ``source`` is not loaded)."""

    memory, fast = to_settings(cfg.memory, MemorySettings), to_settings(cfg.fast, FastSettings)
    parallel = to_settings(cfg.context_parallel, ContextParallelSettings)
    check_memory_config(memory, device)  # needs the device; the rest was validated with the config
    common = dict(
        height=cfg.height,
        width=cfg.width,
        num_frames=cfg.num_frames,
        fps=cfg.fps,
        num_inference_steps=cfg.num_inference_steps,
        guidance_scale=cfg.guidance_scale,
        negative_prompt=cfg.negative_prompt,
        guidance=to_settings(cfg.guidance, GuidanceSettings),
        size_mode=cfg.size_mode.value,
    )
    wan = dict(guidance_scale_2=cfg.guidance_scale_2, boundary_ratio=cfg.boundary_ratio, flow_shift=cfg.flow_shift)
    vace = dict(reference=cfg.vace.reference.value, conditioning_scale=cfg.vace.conditioning_scale, face_size=cfg.vace.face_size)
    family = {
        AnimateBackend.wan: (WanAnimator, wan),
        AnimateBackend.wan_vace: (WanVACEAnimator, wan | vace),
        AnimateBackend.cogvideox: (CogVideoXAnimator, dict(use_dynamic_cfg=cfg.use_dynamic_cfg, flow_shift=cfg.flow_shift)),
    }
    animator_class, extra = family[cfg.backend]
    quantization = cfg.quantization.value
    pipe = (
        animator_class.adopt_pipeline(pipe)
        if pipe is not None
        else animator_class.load_pipeline(source, dtype=dtype, vae_dtype=vae_dtype, allow_pickle=allow_pickle, **load_kwargs(cfg, source, dtype))
    )
    adapters = {"stdt2v": load_lora(pipe, cfg.lora, cfg.lora_scale)} if cfg.lora else {}
    adapters.update(load_distill_loras(pipe, fast))
    if adapters:  # one call: set_adapters switches off every adapter it is not given
        pipe.set_adapters(list(adapters), adapter_weights=list(adapters.values()))
    animator = animator_class(pipe, **common, **extra)
    # After the LoRAs: fp8 / int8 leave the LoRA layers in the compute dtype.
    animator.quantization = quantize_transformers(animator.transformers, quantization, dtype)
    sources = {"stdt2v": str(cfg.lora)} if cfg.lora else {}
    animator.adapters = [
        {"stage": "animate", "name": name, "scale": weight, "source": sources.get(name, "fast.distill_lora")} for name, weight in adapters.items()
    ]
    set_attention_backend(animator.transformers, cfg.attention_backend.value)
    apply_fast_mode(animator.transformers, fast, cfg.num_inference_steps)
    place_pipeline(pipe, memory, device)
    animator.offloaded = memory.offload != "none"
    enable_context_parallel(animator.transformers, parallel, device)
    pipe.set_progress_bar_config(disable=not progress, desc="animate", leave=False)
    return animator


def load_lora(pipe, folder: str, scale: float) -> float:
    """Load a LoRA (safetensors) into the video pipeline's transformer; returns its weight."""
    from pathlib import Path

    path = Path(folder).expanduser()
    if not (path / "pytorch_lora_weights.safetensors").is_file():
        raise ConfigError(f"animate.lora: {path} has no pytorch_lora_weights.safetensors (point it at a training run's final/ folder)")
    pipe.load_lora_weights(str(path), weight_name="pytorch_lora_weights.safetensors", adapter_name="stdt2v")
    return scale
