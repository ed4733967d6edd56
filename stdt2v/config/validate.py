"""Every semantic check of a pipeline config, run once by ``load_config`` right after the
schema merge and before anything loads (types and closed choices are the schema's job). The
stages trust what they get. Each failure is one ``ConfigError`` line: the key, what is wrong,
what to do.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

from omegaconf import OmegaConf

from stdt2v import families
from stdt2v.config.schema import AnimateBackend, FaceDescriptionBackend, FaceDescriptionMode, IdentityAdapterKind, KeyframeBackend, KeyframeScheduler, SizeMode
from stdt2v.errors import ConfigError, InputError
from stdt2v.io import check_path_length
from stdt2v.seeds import check_seed

# The published SDXL FaceID checkpoints' file names (h94/IP-Adapter-FaceID), after conversion
# to safetensors (scripts/convert_ip_adapter.py). There is no published SDXL "plus" (v1).
FACEID_WEIGHTS = {"faceid": "ip-adapter-faceid_sdxl.safetensors", "faceid_plusv2": "ip-adapter-faceid-plusv2_sdxl.safetensors"}
# prompts.face_description.mode=rewrite: room for a challenge caption (up to ~150 words) and its description.
REWRITE_MIN_TOKENS = 256
MAX_FPS = 120  # players and H.264 levels: above this an mp4 plays as a blink (0.00 s)
MAX_STEPS = 1000  # denoising steps: the schedulers are trained on 1000 timesteps
MAX_SIDE = 4096  # pixels: detector and video sizes beyond this are a typo, not a request
# Config keys that hold paths, in either schema (a key a schema lacks is skipped).
PATH_KEYS = ("cache_dir", "output", "resume", "data.manifest", "batch.input", "batch.output", "face.model_root")
DEVICE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")


def check_num_frames(num_frames: int, temporal_factor: int, *, usual: str, maximum: int | None, key: str = "animate.num_frames") -> None:
    """``num_frames`` is temporal_factor·n + 1 and at most ``maximum`` (the family registry's limits)."""
    if maximum is not None and num_frames > maximum:
        raise ConfigError(f"{key}={num_frames} is over this model family's {maximum} frames; {usual}")
    if num_frames >= 1 and (num_frames - 1) % temporal_factor == 0:
        return
    below = max(1, (num_frames - 1) // temporal_factor * temporal_factor + 1)
    raise ConfigError(f"{key}={num_frames} is invalid: the frame count must be {temporal_factor}n+1 (e.g. {below} or {below + temporal_factor}; {usual})")


def faceid_weight_name(icfg, allow_pickle: bool) -> str | None:
    """The FaceID checkpoint file name (None for other adapters); pickle only with the opt-in."""
    kind = icfg.adapter.value
    if not kind.startswith("faceid"):
        return None
    weight_name = icfg.weight_name or FACEID_WEIGHTS.get(kind)
    if weight_name is None:
        raise ConfigError(f"keyframe.identity.weight_name: required for adapter '{kind}' (the checkpoint file inside keyframe.identity.path)")
    if not weight_name.endswith(".safetensors") and not allow_pickle:
        raise ConfigError(
            f"keyframe.identity.weight_name: '{weight_name}' is a pickle file: convert it with "
            f"`python scripts/convert_ip_adapter.py --allow-pickle IN OUT.safetensors`, or set allow_pickle_weights=true if you trust it"
        )
    return weight_name


def _rules(prefix: str, rules) -> None:
    for ok, key, what in rules:
        if not ok:
            raise ConfigError(f"{prefix}.{key}: must be {what}")


def check_animate(cfg) -> None:
    backend = cfg.backend
    check_num_frames(cfg.num_frames, families.temporal_factor(backend), usual=families.usual_lengths(backend), maximum=families.max_frames(backend))
    if cfg.boundary_ratio is not None and not 0.0 < cfg.boundary_ratio < 1.0:
        raise ConfigError(
            f"animate.boundary_ratio={cfg.boundary_ratio}: must be in (0, 1), the share of the timesteps the high-noise expert takes (Wan2.2 A14B: 0.9)"
        )
    _rules(
        "animate",
        [
            (cfg.num_inference_steps >= 1, "num_inference_steps", "at least 1"),
            (cfg.num_inference_steps <= MAX_STEPS, "num_inference_steps", f"at most {MAX_STEPS} (the schedulers' training timesteps)"),
            (1 <= cfg.fps <= MAX_FPS, "fps", f"1..{MAX_FPS} frames per second (what players accept; Wan: 16, CogVideoX: 8)"),
            (cfg.guidance_scale >= 0, "guidance_scale", "0 or more"),
            (cfg.guidance_scale_2 is None or cfg.guidance_scale_2 >= 0, "guidance_scale_2", "0 or more"),
            (cfg.height >= 16 and cfg.width >= 16, "height/width", "at least 16 pixels"),
            (cfg.height <= MAX_SIDE and cfg.width <= MAX_SIDE, "height/width", f"at most {MAX_SIDE} pixels"),
            (cfg.vace.conditioning_scale >= 0, "vace.conditioning_scale", "0 or more"),
            (cfg.vace.face_size >= 64, "vace.face_size", "at least 64 pixels"),
            (cfg.timeline.transition_frames >= 0, "timeline.transition_frames", "0 or more video frames"),
            (cfg.timeline.penalty >= 0, "timeline.penalty", "0 or more (30: near-zero attention on other segments)"),
        ],
    )
    check_guidance(cfg)
    check_quantization(cfg)
    check_size_mode(cfg)


def check_size_mode(cfg) -> None:
    """``animate.size_mode=area`` follows Wan's own image-to-video sizing: backend wan only."""
    if cfg.size_mode != SizeMode.area or any(f.area_rule for f in families.for_backend(cfg.backend)):
        return
    why = {
        AnimateBackend.wan_vace: "VACE renders on a fixed canvas (Wan's VACE code has no keyframe-driven size)",
        AnimateBackend.cogvideox: "CogVideoX's code has no area rule (CogVideoX-5B-I2V knows one size only)",
    }.get(cfg.backend, "its model family has no area rule")
    raise ConfigError(f"animate.size_mode=area: Wan's image-to-video sizing, for backend wan only; {why}: use size_mode=fixed")


def check_guidance(cfg) -> None:
    """``animate.guidance``: the skipped blocks, scale and step window (the block count is
    checked against the model when it loads)."""
    g = cfg.guidance
    if any(isinstance(b, bool) or not isinstance(b, int) or b < 0 for b in g.skip_blocks) or len(set(g.skip_blocks)) != len(g.skip_blocks):
        raise ConfigError(f"animate.guidance.skip_blocks={list(g.skip_blocks)}: must be distinct block indices (0 or more), e.g. [2]; [] turns it off")
    _rules(
        "animate.guidance",
        [
            (g.skip_scale >= 0, "skip_scale", "0 or more (the winner: 0.5)"),
            (0.0 <= g.start < g.end <= 1.0, "start/end", "fractions of the steps with 0 <= start < end <= 1"),
        ],
    )
    if not g.skip_blocks:
        return
    if cfg.backend == AnimateBackend.cogvideox:
        raise ConfigError("animate.guidance.skip_blocks: identity-aware guidance is for the Wan animators (backend wan or wan_vace); set skip_blocks=[]")
    if cfg.fast.cache.value != "none":
        raise ConfigError(
            f"animate.guidance.skip_blocks with animate.fast.cache={cfg.fast.cache.value}: the cache would reuse the weak pass's blocks; use one of them"
        )


def check_keyframe(cfg, allow_pickle: bool = False) -> None:
    icfg = cfg.identity
    if cfg.backend == KeyframeBackend.flux and icfg.adapter not in (IdentityAdapterKind.none, IdentityAdapterKind.stdt2v):
        raise ConfigError(f"keyframe.identity.adapter: '{icfg.adapter.value}' checkpoints are SDXL-only; with FLUX use stdt2v or none")
    if cfg.backend == KeyframeBackend.flux and cfg.scheduler in (KeyframeScheduler.dpmpp_2m_karras, KeyframeScheduler.euler_ancestral):
        raise ConfigError(f"keyframe.scheduler: '{cfg.scheduler.value}' is an SDXL sampler; FLUX needs its flow-matching scheduler (auto or model)")
    if icfg.adapter != IdentityAdapterKind.none and not icfg.path:
        raise ConfigError(f"keyframe.identity.path: required for adapter '{icfg.adapter.value}' (a folder, hub id or tiny:NAME)")
    if icfg.adapter == IdentityAdapterKind.hyperlora and not 0.0 <= icfg.scale <= 2.0:
        raise ConfigError(f"keyframe.identity.scale: {icfg.scale} is out of range for a LoRA weight; use 0..2 (HyperLoRA: 0.75-0.9)")
    if (cfg.height is None) != (cfg.width is None):
        raise ConfigError("keyframe.height/width: set both (the keyframe's own size) or neither (the video's size)")
    faceid_weight_name(icfg, allow_pickle)
    _rules(
        "keyframe",
        [
            (cfg.num_inference_steps >= 1, "num_inference_steps", "at least 1"),
            (cfg.num_inference_steps <= MAX_STEPS, "num_inference_steps", f"at most {MAX_STEPS} (the schedulers' training timesteps)"),
            (cfg.guidance_scale >= 0, "guidance_scale", "0 or more"),
            (cfg.num_candidates >= 1, "num_candidates", "at least 1"),
            (cfg.candidate_batch_size >= 1, "candidate_batch_size", "at least 1"),
            (-1.0 <= cfg.identity_threshold <= 1.0, "identity_threshold", "a cosine similarity in [-1, 1]"),
            (0.0 < cfg.refine.strength <= 1.0, "refine.strength", "in (0, 1]"),
            (cfg.refine.margin >= 0.0, "refine.margin", "0 or more"),
            (0.0 <= cfg.refine.feather < 0.5, "refine.feather", "in [0, 0.5)"),
            (cfg.refine.work_size >= 64, "refine.work_size", "at least 64"),
            (cfg.identity.num_tokens >= 1, "identity.num_tokens", "at least 1"),
            (cfg.height is None or (cfg.height >= 64 and cfg.width >= 64), "height/width", "at least 64 pixels"),
            (cfg.height is None or (cfg.height <= MAX_SIDE and cfg.width <= MAX_SIDE), "height/width", f"at most {MAX_SIDE} pixels"),
        ],
    )


def check_eval(cfg) -> None:
    detect_size = cfg.conventions.detect_size
    check_seed(cfg.opens2v.natural_seed, "eval.opens2v.natural_seed", ConfigError)
    _rules(
        "eval",
        [
            (cfg.num_frames >= 1, "num_frames", "at least 1"),
            (detect_size is None or 32 <= detect_size <= 4096, "conventions.detect_size", "in 32..4096 (ConsisID: 320)"),
            (cfg.flow_size >= 32, "flow_size", "at least 32"),
            (cfg.conventions.identity_frames is None or cfg.conventions.identity_frames >= 1, "conventions.identity_frames", "at least 1"),
            ((cfg.aesthetic_clip is None) == (cfg.aesthetic_model is None), "aesthetic_clip/aesthetic_model", "both set (CLIP folder and MLP) or neither"),
            (cfg.opens2v.natural_runs >= 1, "opens2v.natural_runs", "at least 1 (OpenS2V: 3)"),
            (
                not cfg.opens2v.natural_base_url or bool(cfg.opens2v.natural_prompt_file),
                "opens2v.natural_prompt_file",
                "set with natural_base_url: OpenS2V-Nexus/eval/get_naturalscore.py of your checkout",
            ),
        ],
    )


def check_prompts(cfg) -> None:
    f = cfg.face_description
    if f.enabled and f.mode == FaceDescriptionMode.rewrite and f.backend == FaceDescriptionBackend.analyzer:
        raise ConfigError(
            "prompts.face_description.mode=rewrite: the caption is rewritten by a vision-language model; use backend openai or transformers, or mode=phrase"
        )
    if f.enabled and f.mode == FaceDescriptionMode.rewrite and f.max_new_tokens < REWRITE_MIN_TOKENS:
        raise ConfigError(
            f"prompts.face_description.max_new_tokens={f.max_new_tokens}: too few for mode=rewrite (the whole caption comes back); "
            f"use {REWRITE_MIN_TOKENS} or more, e.g. 512"
        )
    _rules(
        "prompts.face_description",
        [
            (f.max_features >= 1, "max_features", "at least 1"),
            (f.max_new_tokens >= 8, "max_new_tokens", "at least 8"),
            (f.temperature >= 0, "temperature", "0 or more"),
        ],
    )


# --- Fit and speed: quantization and attention kernels (docs/performance.md) ---
# Backends diffusers' dispatcher can split across GPUs (context parallelism); xformers cannot.
CONTEXT_PARALLEL_BACKENDS = ("native", "flash", "flash_hub", "sage")
# attention_backend → (module it needs, how to install it); all but native need a CUDA GPU.
KERNEL_PACKAGES = {
    "flash": ("flash_attn", "pip install flash-attn --no-build-isolation"),
    "flash_hub": ("kernels", "pip install kernels (the kernel itself is fetched from the hub on first use)"),
    "sage": ("sageattention", "pip install sageattention"),
    "xformers": ("xformers", "pip install xformers"),
}


def check_quantization(cfg) -> None:
    """``animate.quantization`` and its GGUF files, without looking at the machine."""
    mode = cfg.quantization.value
    if mode == "gguf" and not cfg.gguf_file:
        raise ConfigError("animate.quantization=gguf: set animate.gguf_file (a .gguf transformer file; Wan2.2 A14B: also gguf_file_2 for the low-noise expert)")
    if mode != "gguf" and (cfg.gguf_file or cfg.gguf_file_2):
        raise ConfigError(f"animate.gguf_file: set, but animate.quantization={mode}; use quantization=gguf or drop the file")
    for key, spec in (("gguf_file", cfg.gguf_file), ("gguf_file_2", cfg.gguf_file_2)):
        if spec and not str(spec).endswith(".gguf"):
            raise ConfigError(f"animate.{key}: '{spec}' must name a .gguf file")
    if mode == "gguf" and cfg.backend == AnimateBackend.cogvideox:
        raise ConfigError("animate.quantization=gguf: GGUF files are read for the Wan transformers; with CogVideoX use fp8, int8 or nf4")


def check_machine(cfg) -> None:
    """What the machine must offer: CUDA for nf4 and the fast kernels, the packages installed."""
    import importlib.util

    import torch

    cuda = cfg.device != "cpu" and torch.cuda.is_available()
    where = "this machine has no CUDA GPU" if not torch.cuda.is_available() else f"device={cfg.device}"
    if cfg.keyframe.quantization.value not in ("none", "fp8", "int8"):
        raise ConfigError(f"keyframe.quantization={cfg.keyframe.quantization.value}: the keyframe model takes none, fp8 or int8")
    if cfg.keyframe.quantization.value == "int8" and importlib.util.find_spec("torchao") is None:
        raise ConfigError("keyframe.quantization=int8 needs the torchao package: pip install torchao (or use quantization=fp8)")
    a = cfg.animate
    if a.quantization.value == "nf4":
        if not cuda:
            raise ConfigError(f"animate.quantization=nf4: bitsandbytes 4-bit needs a CUDA GPU ({where}); use quantization=fp8 or int8")
        if importlib.util.find_spec("bitsandbytes") is None:
            raise ConfigError("animate.quantization=nf4 needs the bitsandbytes package: pip install bitsandbytes (or use quantization=fp8)")
    if a.quantization.value == "int8" and importlib.util.find_spec("torchao") is None:
        raise ConfigError("animate.quantization=int8 needs the torchao package: pip install torchao (or use quantization=fp8)")
    if a.quantization.value == "gguf" and importlib.util.find_spec("gguf") is None:
        raise ConfigError("animate.quantization=gguf needs the gguf package: pip install gguf")
    backend = a.attention_backend.value
    if backend != "native":
        module, install = KERNEL_PACKAGES[backend]
        if not cuda:
            raise ConfigError(f"animate.attention_backend={backend}: the kernel runs on CUDA GPUs only ({where}); use attention_backend=native")
        if importlib.util.find_spec(module) is None:
            raise ConfigError(f"animate.attention_backend={backend}: {module} is not installed ({install}); or use attention_backend=native")
    parallel = a.context_parallel.ulysses_degree * a.context_parallel.ring_degree
    if parallel > 1 and backend not in CONTEXT_PARALLEL_BACKENDS:
        raise ConfigError(
            f"animate.attention_backend={backend} cannot split attention across GPUs; with context_parallel use one of {', '.join(CONTEXT_PARALLEL_BACKENDS)}"
        )


def check_face(cfg) -> None:
    _rules(
        "face",
        [
            (32 <= cfg.detect_size <= MAX_SIDE, "detect_size", f"in 32..{MAX_SIDE} pixels (default 480)"),
            (0.0 < cfg.max_upscale <= 16.0, "max_upscale", "in (0, 16] (default 2)"),
            (0.0 <= cfg.pad_ratio <= 2.0, "pad_ratio", "in 0..2, a fraction of the longest side (default 0.25)"),
            (0.0 <= cfg.det_thresh <= 1.0, "det_thresh", "a detector score in 0..1 (default 0.5)"),
            (cfg.identity_frames >= 1, "identity_frames", "at least 1"),
        ],
    )


def _numbers(node, prefix: str = ""):
    """Every (key, number) of a resolved config, nested sections and lists included."""
    from omegaconf import DictConfig, ListConfig, OmegaConf

    keys = list(node.keys()) if isinstance(node, DictConfig) else range(len(node)) if isinstance(node, ListConfig) else ()
    for key in keys:
        if OmegaConf.is_missing(node, key):
            continue  # a model left unset for evaluation: nothing to check
        value = node[key]
        full = f"{prefix}{key}" if isinstance(node, DictConfig) else f"{prefix[:-1]}[{key}]"
        if isinstance(value, (DictConfig, ListConfig)):
            yield from _numbers(value, f"{full}.")
        elif isinstance(value, float):
            yield full, value


def check_common(cfg) -> None:
    """What every config (pipeline or training) must hold: finite numbers (an infinite guidance
    scale renders a black video, a NaN compares false everywhere), a device torch can parse,
    a cache folder that can be one."""
    for key, value in _numbers(cfg):
        if not math.isfinite(value):
            raise ConfigError(f"{key}={value}: must be a finite number")
    device = cfg.get("device")
    if isinstance(device, str) and not DEVICE.match(device):
        raise ConfigError(f"device: '{device}' is not a device; use auto, cpu, cuda or cuda:N (N a GPU index, e.g. cuda:0)")
    for key in PATH_KEYS:  # paths a verb stats or creates: refused here rather than as ENAMETOOLONG mid-run
        value = OmegaConf.select(cfg, key, default=None, throw_on_missing=False)
        if isinstance(value, str) and value and value != "???":
            try:
                check_path_length(value, key)
            except InputError as err:
                raise ConfigError(str(err)) from None
    if isinstance(cfg.get("cache_dir"), str):
        check_cache_dir(cfg.cache_dir)


def check_cache_dir(value: str) -> None:
    """cache_dir (default: $STDT2V_CACHE or ~/.cache/stdt2v) is a folder, or can become one."""
    where = "cache_dir" + (" (from STDT2V_CACHE)" if os.environ.get("STDT2V_CACHE") == value else "")
    fix = "point STDT2V_CACHE (or cache_dir=) at a writable folder"
    if not value.strip():
        raise ConfigError(f"{where}: empty; {fix}")
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{where}: {path} is a file, not a folder; {fix}")
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"{where}: {path} cannot be created or written; {fix}")


def validate_pipeline_config(cfg) -> None:
    """All checks of a ``PipelineConfig``."""
    check_seed(cfg.seed, "seed", ConfigError)
    check_animate(cfg.animate)
    check_face(cfg.face)
    check_keyframe(cfg.keyframe, cfg.allow_pickle_weights)
    if cfg.keyframe.score_pack is not None and cfg.face.backend.value != "insightface":
        raise ConfigError(f"keyframe.score_pack: '{cfg.keyframe.score_pack.value}' is an insightface pack; set face.backend=insightface or score_pack=null")
    if cfg.keyframe.score_detect_size is not None and not 32 <= cfg.keyframe.score_detect_size <= 4096:
        raise ConfigError(f"keyframe.score_detect_size: {cfg.keyframe.score_detect_size} is out of range; use 32..4096 (IPVG: 224) or null")
    check_eval(cfg.eval)
    check_prompts(cfg.prompts)
    check_machine(cfg)
    if cfg.batch.chunk_size < 1:
        raise ConfigError(f"batch.chunk_size: {cfg.batch.chunk_size}; must be at least 1 (items per chunk of a stage-major batch)")
