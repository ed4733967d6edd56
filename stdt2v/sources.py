"""Every weight source a pipeline loads, resolved once, up front, into one frozen record.

``resolve_sources`` reads the config's model fields (base models, identity adapters, HyperLoRA,
the LLM and the VLM), the device and the dtypes, and resolves each to what ``from_pretrained``
takes: a local folder, a hub id, or a ``tiny:NAME`` model written to ``cache_dir``. A bad
folder is one line before any model loads. The pipeline's builders read the record instead of
resolving their own; the evaluation models (``eval.*``) and the insightface packs are still resolved
where they load (``eval/build.py``, the face backend).

Torch-free at import: the device and dtypes are resolved by ``stdt2v.loading``, which imports
torch only when called.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stdt2v.config.schema import DecouplerBackend, FaceDescriptionBackend, IdentityAdapterKind, KeyframeConfig, PipelineConfig, PromptsConfig
from stdt2v.config.validate import faceid_weight_name
from stdt2v.errors import ConfigError
from stdt2v.loading import resolve_device, resolve_dtype, resolve_gguf, resolve_model_source

if TYPE_CHECKING:
    import torch
    from omegaconf import DictConfig

# The file a HyperLoRA variant folder holds (``stdt2v.models.hyperlora.MODULES_JSON``, which
# imports torch: the name is repeated here so resolving stays torch-free).
HYPERLORA_MARKER = "hyper_lora_modules.json"

STAGES = ("keyframe", "animate", "prompts")


@dataclass(frozen=True)
class Sources:
    """Where each stage's weights come from, and the device and dtypes they load in. None: the
    stage or the part is not used (or was not asked for)."""

    device: torch.device
    dtype: torch.dtype
    vae_dtype: torch.dtype | None = None  # animate.vae_dtype
    cache_dir: str = "."
    allow_pickle: bool = False
    keyframe: str | None = None  # keyframe.model
    identity: str | None = None  # keyframe.identity.path: the identity adapter, FaceID or HyperLoRA folder
    faceid_weight: str | None = None  # the FaceID checkpoint file inside ``identity``
    animate: str | None = None  # animate.model
    llm: str | None = None  # prompts.llm.model under backend=transformers (a GGUF folder: with ``llm_gguf``)
    llm_gguf: str | None = None
    vlm: str | None = None  # prompts.face_description.model under backend=transformers


def resolve_sources(cfg: DictConfig | PipelineConfig, stages: tuple[str, ...] = STAGES, device: str | None = None) -> Sources:
    """The record for a loaded (validated) config (``PipelineConfig``); ``stages``: the stages
    whose weights are resolved (of keyframe, animate, prompts); ``device``: instead of the
    config's (a launched process's own GPU)."""
    device = resolve_device(device or cfg.device)
    cache_dir, allow_pickle = str(cfg.cache_dir), bool(cfg.allow_pickle_weights)
    found: dict[str, str | None] = {}
    if "keyframe" in stages:
        found["keyframe"] = resolve_model_source(cfg.keyframe.model, cache_dir, key="keyframe.model")
        found |= identity_sources(cfg.keyframe, cache_dir, allow_pickle)
    if "animate" in stages:
        found["animate"] = resolve_model_source(cfg.animate.model, cache_dir, key="animate.model")
    if "prompts" in stages:
        found |= prompt_sources(cfg.prompts, cache_dir)
    vae_dtype = resolve_dtype(cfg.animate.vae_dtype, device, key="animate.vae_dtype") if "animate" in stages else None
    return Sources(device=device, dtype=resolve_dtype(cfg.dtype, device), vae_dtype=vae_dtype, cache_dir=cache_dir, allow_pickle=allow_pickle, **found)


def identity_sources(kcfg: KeyframeConfig, cache_dir: str, allow_pickle: bool = False) -> dict[str, str | None]:
    """``identity`` and ``faceid_weight`` of the ``keyframe`` section's identity adapter."""
    icfg = kcfg.identity
    if icfg.adapter == IdentityAdapterKind.none:
        return {"identity": None, "faceid_weight": None}
    if icfg.adapter == IdentityAdapterKind.hyperlora:
        return {"identity": resolve_hyperlora_source(icfg.path, cache_dir), "faceid_weight": None}
    if icfg.adapter == IdentityAdapterKind.stdt2v:
        return {"identity": resolve_model_source(icfg.path, cache_dir, key="keyframe.identity.path", marker="config.json"), "faceid_weight": None}
    folder = resolve_model_source(icfg.path, cache_dir, key="keyframe.identity.path", marker=None)
    return {"identity": folder, "faceid_weight": faceid_weight_name(icfg, allow_pickle)}


def prompt_sources(pcfg: PromptsConfig, cache_dir: str | None) -> dict[str, str | None]:
    """``llm`` / ``llm_gguf`` / ``vlm`` of the ``prompts`` section (None where a backend loads no weights)."""
    out: dict[str, str | None] = {"llm": None, "llm_gguf": None, "vlm": None}
    if pcfg.backend == DecouplerBackend.transformers:
        spec, gguf_file = resolve_gguf(pcfg.llm.model, pcfg.llm.gguf_file)
        source = spec if gguf_file else resolve_model_source(spec, cache_dir or ".", key="prompts.llm.model", marker="config.json")
        out |= {"llm": source, "llm_gguf": gguf_file}
    f = pcfg.face_description
    if f.enabled and f.backend == FaceDescriptionBackend.transformers:
        out["vlm"] = resolve_model_source(f.model, cache_dir or ".", key="prompts.face_description.model", marker="config.json")
    return out


def resolve_hyperlora_source(spec: str, cache_dir: str | Path) -> str:
    """A variant folder from a local folder, ``tiny:NAME``, a hub id, or a hub id with a
    subfolder (``bytedance-research/HyperLoRA/sdxl_hyper_id_lora_v1_fidelity``: only that
    subfolder is downloaded)."""
    parts = spec.split("/")
    if not Path(spec).expanduser().exists() and not spec.startswith(("tiny:", ".", "/", "~")) and len(parts) > 2:
        from huggingface_hub import snapshot_download

        repo, subfolder = "/".join(parts[:2]), "/".join(parts[2:])
        try:
            root = snapshot_download(repo, allow_patterns=[f"{subfolder}/*"])
        except Exception as err:  # offline, no such repository: one line
            raise ConfigError(
                f"keyframe.identity.path: cannot fetch {subfolder}/ of {repo} from the hub ({type(err).__name__}); download it and pass the folder"
            ) from None
        return str(Path(root) / subfolder)
    return resolve_model_source(spec, cache_dir, key="keyframe.identity.path", marker=HYPERLORA_MARKER)
