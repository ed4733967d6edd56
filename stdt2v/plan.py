"""``stdt2v plan``: the GPU memory a preset needs, sized without loading any weights.

Every component of the configured pipelines is built on PyTorch's meta device from its
architecture config (shipped in ``stdt2v/models/architectures/``, taken from the published
``config.json`` files; a local model folder's own configs win), so parameter counts are exact
and cost no memory. Weight bytes follow the dtype the pipeline loads in (bf16 on a GPU for
``dtype: auto``; modules a model keeps in float32 count 4 bytes). Activations are formulas
(each denoiser's is its family's, in ``stdt2v.families``), stated in the output:

* video transformer: tokens × (ffn_dim + 4·dim) × bytes (one block's MLP input, hidden and
  attention outputs alive at once; SDPA never holds the attention matrix); Wan runs the
  conditional and unconditional passes one after the other (the identity-aware guidance's
  weak pass too: no more memory, one more pass), CogVideoX batches them (×2); VACE adds one
  latent frame per reference image and keeps one control hint (tokens × dim) per VACE block;
* keyframe UNet: 2 (CFG batch) × latent pixels × 320 × 30 × bytes: an empirical factor for the
  skip connections and full-resolution convolutions, rough;
* FLUX transformer: (image + 512 text tokens) × 8·dim × bytes;
* VAE decode: output frames decoded together × H × W × the decoder's widest full-resolution
  channels × 6 × bytes; with tiling H × W become one 256 px tile plus its overlap.

Memory modes, lightest first, and what stays on the GPU: ``none`` (every component),
``model`` (the largest component: diffusers' model CPU offload), ``group:block_level`` (two
blocks of the largest component: one computing, one prefetched), ``group:leaf_level`` (two of
the largest leaf modules), ``sequential`` (one leaf module). Each is tried without, then with
VAE tiling. Batch schedules: ``item`` holds the keyframe and video models together (the video
model in the chosen mode); ``stage`` holds one stage's models at a time.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from omegaconf import DictConfig
from torch import nn

from stdt2v import families
from stdt2v.config.schema import AnimateBackend, DecouplerBackend, VaceReference
from stdt2v.errors import ConfigError
from stdt2v.loading import resolve_model_source
from stdt2v.quantize import gguf_type, planned_param_bytes

ARCHITECTURES = Path(__file__).resolve().parent / "models" / "architectures"
GB = 2**30
DTYPE_BYTES = {"bfloat16": 2, "float16": 2, "float32": 4}
MODES = ["none", "model", "group:block_level", "group:leaf_level", "sequential"]
# Quantizations the planner may switch an unquantised video transformer to (gguf needs a file).
SEARCHED = ("fp8", "int8", "nf4")
TILE = 256 + 64  # diffusers' default tile and its overlap, in output pixels


@dataclass
class Component:
    name: str  # stage.component, e.g. animate.transformer_2
    cls: str
    params: int
    bytes: int
    largest_leaf_bytes: int
    block_bytes: int  # the largest repeated block (0: none)
    rest_bytes: int  # what is outside the repeated blocks
    config: dict = field(default_factory=dict, repr=False)
    quantization: str = "none"  # how its weights are stored (stdt2v.quantize)
    dequant_bytes: int = 0  # quantised: the largest Linear weight in the compute dtype (cast up per layer)

    @property
    def stage(self) -> str:
        return self.name.split(".")[0]

    def resident(self, mode: str) -> int:
        """Bytes on the GPU while this component computes under ``mode``."""
        if mode == "group:block_level":
            return max(2 * self.block_bytes, self.rest_bytes) if self.block_bytes else self.bytes
        if mode == "group:leaf_level":
            return 2 * self.largest_leaf_bytes
        if mode == "sequential":
            return self.largest_leaf_bytes
        return self.bytes


def _config_of(path: Path) -> dict:
    return {k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_comment")}


def build_component(config: dict, device: str | torch.device = "meta") -> nn.Module:
    """The component a config describes (diffusers or transformers class), built on ``device``:
    ``meta`` for sizes only, a real device for random weights."""
    import diffusers
    import transformers

    config = dict(config)
    name = config.pop("_class_name", None) or (config.get("architectures") or [None])[0]
    if name is None:
        raise ConfigError("plan: a component config names no class (_class_name or architectures)")
    with torch.device(device):
        if hasattr(diffusers, name) and not hasattr(transformers, name):
            return getattr(diffusers, name).from_config(config)
        cls = getattr(transformers, name)
        return cls(cls.config_class(**{k: v for k, v in config.items() if k != "architectures"}))


def measure(name: str, config: dict, dtype_bytes: int, quantization: str = "none", gguf_quant: str | None = None) -> Component:
    """Sizes of one component, its weights stored as ``quantization`` (stdt2v.quantize's rules)."""
    return measure_all(name, config, dtype_bytes, (quantization,), gguf_quant)[quantization]


def measure_all(name: str, config: dict, dtype_bytes: int, quantizations: tuple[str, ...], gguf_quant: str | None = None) -> dict[str, Component]:
    """``measure`` under each of ``quantizations``, building the (meta) model once."""
    model = build_component(config)
    keep = tuple(getattr(model, "_keep_in_fp32_modules", None) or ())
    module_names = {id(m): n for n, m in model.named_modules()}
    leaves = [n for n, m in model.named_modules() if not list(m.children())]
    lists = [m for m in model.modules() if isinstance(m, nn.ModuleList) and len(m) > 1]
    params = sum(p.numel() for p in model.parameters())
    largest_linear = max((m.weight.numel() for m in model.modules() if isinstance(m, nn.Linear)), default=0)
    out = {}
    for quantization in quantizations:
        sizes = planned_param_bytes(model, quantization, dtype_bytes, keep, gguf_quant)
        by_module: dict[str, int] = {}
        for key, value in sizes.items():
            by_module[key.rpartition(".")[0]] = by_module.get(key.rpartition(".")[0], 0) + value

        def under(prefix: str) -> int:
            return sum(v for k, v in by_module.items() if k == prefix or k.startswith(prefix + "."))

        total = sum(sizes.values())
        largest_leaf = max((by_module.get(leaf, 0) for leaf in leaves), default=0)
        blocks = max(lists, key=lambda m: under(module_names[id(m)]), default=None)
        block_bytes = max((under(module_names[id(b)]) for b in blocks), default=0) if blocks is not None else 0
        rest = total - (under(module_names[id(blocks)]) if blocks is not None else 0)
        dequant = 0 if quantization == "none" else largest_linear * dtype_bytes
        out[quantization] = Component(name, type(model).__name__, params, total, largest_leaf, block_bytes, rest, config, quantization, dequant)
    return out


def component_configs(spec: str, cache_dir: str, key: str) -> dict[str, dict]:
    """Component name → architecture config: a local folder's (or a tiny model's) own
    ``model_index.json`` and sub-configs, else the shipped architecture of a published model."""
    source = resolve_model_source(spec, cache_dir, key=key) if str(spec).startswith("tiny:") or Path(spec).expanduser().exists() else spec
    folder = Path(source).expanduser()
    if (folder / "model_index.json").is_file():
        index = json.loads((folder / "model_index.json").read_text())
        names = [n for n, value in index.items() if not n.startswith("_") and isinstance(value, list) and value[0] is not None]
        return {name: _config_of(folder / name / "config.json") for name in names if (folder / name / "config.json").is_file()}
    if (folder / "config.json").is_file():
        return {"model": _config_of(folder / "config.json")}
    pipelines = json.loads((ARCHITECTURES / "pipelines.json").read_text())
    if spec not in pipelines:
        known = ", ".join(k for k in pipelines if not k.startswith("_"))
        raise ConfigError(f"{key}: no architecture shipped for '{spec}'; point {key} at a local copy (its config.json files are read), or use one of: {known}")
    return {name: _config_of(ARCHITECTURES / file) for name, file in pipelines[spec].items()}


@dataclass
class Plan:
    components: dict[str, Component]
    activations: dict[str, dict]  # stage → {"bytes", "bytes_tiled", "formula"}
    budget_bytes: int | None
    dtype: str

    quantization: str = "none"  # animate.quantization as configured (the components above are stored so)
    variants: dict[str, dict[str, Component]] = field(default_factory=dict)  # other quantization → its video transformers

    def quantizations(self, search: bool = True) -> list[str]:
        """The configured quantization first, then (``search``) the ones it may switch to."""
        return [self.quantization] + ([q for q in self.variants if q != self.quantization] if search else [])

    def parts(self, stage: str, quantization: str | None = None) -> list[Component]:
        swap = self.variants.get(quantization or self.quantization, {})
        return [swap.get(n, c) for n, c in self.components.items() if c.stage == stage]

    def stage_bytes(self, stage: str, mode: str = "none", quantization: str | None = None) -> int:
        parts = self.parts(stage, quantization)
        if not parts:
            return 0
        if mode == "none":
            return sum(c.bytes for c in parts)
        return max(c.resident(mode) for c in parts)

    def activation(self, stage: str, tiling: bool, quantization: str | None = None) -> int:
        a = self.activations.get(stage, {})
        # Quantised layers are cast up / dequantised one at a time: one Linear weight in the compute dtype on top.
        dequant = max((c.dequant_bytes for c in self.parts(stage, quantization)), default=0)
        return max(a.get("compute", 0) + dequant, a.get("vae_tiled" if tiling else "vae", 0))

    def peaks(self, mode: str, tiling: bool, quantization: str | None = None) -> dict[str, int]:
        """Peak bytes of the two batch schedules with the video model in ``mode`` and ``quantization``."""
        decouple, keyframe = self.stage_bytes("decouple"), self.stage_bytes("keyframe")
        video = self.stage_bytes("animate", mode, quantization)
        keyframe_act, video_act = self.activation("keyframe", tiling), self.activation("animate", tiling, quantization)
        item = decouple + keyframe + video + max(keyframe_act, video_act)
        stage = max(decouple, keyframe + keyframe_act, video + video_act)
        return {"item": item, "stage": stage}

    def choose(self, schedule: str = "item", search: bool = True) -> tuple[str, bool, int, str] | None:
        """The lightest (mode, VAE tiling, peak, quantization) that fits the budget; None: nothing
        fits. Offload costs more time than quantization does, so a lighter offload mode with a
        quantization wins over a heavier one without; the configured quantization comes first."""
        for mode in MODES:
            for quantization in self.quantizations(search):
                for tiling in (False, True):
                    peak = self.peaks(mode, tiling, quantization)[schedule]
                    if self.budget_bytes is None or peak <= self.budget_bytes:
                        return mode, tiling, peak, quantization
        return None

    def to_dict(self, configured: str, schedule: str = "item", search: bool = True) -> dict:
        chosen = self.choose(schedule, search)
        mode, tiling, peak, quantization = chosen if chosen else (configured, True, self.peaks(configured, True)[schedule], self.quantization)
        transformers = [c for c in self.parts("animate", quantization) if "transformer" in c.name]
        return {
            "dtype": self.dtype,
            "components": {n: {k: v for k, v in asdict(c).items() if k != "config"} for n, c in self.components.items()},
            "activations": self.activations,
            "modes": {m: {f"{s}{'+vae_tiling' if t else ''}": self.peaks(m, t)[s] for s in ("item", "stage") for t in (False, True)} for m in MODES},
            "quantizations": {
                q: {"transformer_bytes": sum(c.bytes for c in self.parts("animate", q) if "transformer" in c.name)} for q in self.quantizations()
            },
            "schedule": {s: {"peak_bytes": self.peaks(mode, tiling, quantization)[s]} for s in ("item", "stage")},
            "budget_bytes": self.budget_bytes,
            "fits": chosen is not None,
            "offload": mode,
            "vae_tiling": tiling,
            "quantization": {"mode": quantization, "configured": self.quantization, "transformer_bytes": sum(c.bytes for c in transformers)},
            "estimated_peak_bytes": peak,
            "overrides": mode_overrides(mode, tiling) + ([f"animate.quantization={quantization}"] if quantization != self.quantization else []),
            "batch_schedule": schedule,
        }


def mode_overrides(mode: str, tiling: bool) -> list[str]:
    """The config overrides that select ``mode`` (and VAE tiling)."""
    offload, _, group_type = mode.partition(":")
    out = [f"animate.memory.offload={offload}"] + ([f"animate.memory.group_offload_type={group_type}"] if group_type else [])
    return out + (["animate.memory.vae_tiling=true"] if tiling else [])


def _activations(comps: dict[str, Component], stage: str, height: int, width: int, frames: int, dtype_bytes: int, references: int = 0) -> dict:
    """Each denoiser's activation term from its family's formula (stdt2v.families), the VAE
    decode's from the VAE config; ``references``: VACE reference images, one latent frame each in front."""
    out = {"compute": 0, "vae": 0, "vae_tiled": 0, "formula": []}
    parts = [c for c in comps.values() if c.stage == stage]
    vae = next((c for c in parts if c.cls.startswith("Autoencoder")), None)
    video_vaes = {f.vae_class for f in families.VIDEO_FAMILIES}
    for c in parts:
        cfg = c.config
        if c.cls.startswith("Autoencoder"):
            channels = cfg.get("decoder_base_dim") or cfg.get("base_dim") or (cfg.get("block_out_channels") or [128])[0]
            chunk = 4 if c.cls in video_vaes and frames > 1 else 1
            out["vae"] = max(out["vae"], chunk * height * width * channels * 6 * dtype_bytes)
            out["vae_tiled"] = max(out["vae_tiled"], chunk * min(height, TILE) * min(width, TILE) * channels * 6 * dtype_bytes)
            out["formula"].append(f"{c.name} decode: {chunk} frames × {height}×{width} × {channels} ch × 6 × {dtype_bytes} B (tiled: {TILE} px tiles)")
            continue
        family = next((f for f in families.FAMILIES.values() if f.transformer_class == c.cls and f.activation), None)
        if family is None:  # text and image encoders: their activations are small beside the denoiser's
            continue
        stride = families.vae_spatial_stride(vae.config) if vae else None
        act, formula = family.activation_bytes(cfg, height, width, frames, dtype_bytes, stride, references)
        out["formula"].append(f"{c.name}: {formula}")
        out["compute"] = max(out["compute"], act)
    return out


def vace_references(animate_cfg: DictConfig) -> int:
    """Reference images a VACE run puts in front of the video (0 for image-to-video)."""
    if animate_cfg.backend != AnimateBackend.wan_vace:
        return 0
    return 2 if animate_cfg.vace.reference == VaceReference.both else 1


def plan_pipeline(cfg: DictConfig, budget_gb: float | None = None) -> Plan:
    """The memory plan of a loaded (validated) pipeline config."""
    dtype = "bfloat16" if cfg.dtype == "auto" else str(cfg.dtype)
    dtype_bytes = DTYPE_BYTES.get(dtype, 2)
    specs = [("keyframe", cfg.keyframe.model, "keyframe.model"), ("animate", cfg.animate.model, "animate.model")]
    if cfg.prompts.backend == DecouplerBackend.transformers and cfg.prompts.llm.model:
        specs.insert(0, ("decouple", cfg.prompts.llm.model, "prompts.llm.model"))
    components: dict[str, Component] = {}
    variants: dict[str, dict[str, Component]] = {}
    quantization = cfg.animate.quantization.value
    for stage, spec, key in specs:
        for name, config in component_configs(str(spec), cfg.cache_dir, key).items():
            if "tokenizer" in name or "scheduler" in name:
                continue
            full = f"{stage}.{name}"
            if stage == "keyframe" and name in ("unet", "transformer"):
                components[full] = measure(full, config, dtype_bytes, cfg.keyframe.quantization.value)
                continue
            if stage != "animate" or name not in ("transformer", "transformer_2"):
                components[full] = measure(full, config, dtype_bytes)
                continue
            # The video transformers: as configured, and (configured none) as each searchable quantization.
            gguf_file = {"transformer": cfg.animate.gguf_file, "transformer_2": cfg.animate.gguf_file_2}[name] if quantization == "gguf" else None
            mode = quantization if quantization != "gguf" or gguf_file else "none"
            others = SEARCHED if quantization == "none" else ()
            sized = measure_all(full, config, dtype_bytes, (mode, *others), gguf_type(gguf_file) if gguf_file else None)
            components[full] = sized[mode]
            for other in others:
                variants.setdefault(other, {})[full] = sized[other]
    kh, kw = (cfg.keyframe.height or cfg.animate.height), (cfg.keyframe.width or cfg.animate.width)
    activations = {
        "keyframe": _activations(components, "keyframe", kh, kw, 1, dtype_bytes),
        "animate": _activations(
            components, "animate", cfg.animate.height, cfg.animate.width, cfg.animate.num_frames, dtype_bytes, vace_references(cfg.animate)
        ),
    }
    if budget_gb is None and torch.cuda.is_available():
        budget = torch.cuda.mem_get_info()[0]
    else:
        budget = None if budget_gb is None else int(budget_gb * GB)
    return Plan(components, activations, budget, dtype, quantization, variants)


def format_plan(plan: Plan, result: dict) -> list[str]:
    """The plan as lines for the terminal (GiB = 2**30 bytes)."""
    lines = [f"{'component':34s} {'class':30s} {'params':>9s} {'GiB':>7s}"]
    for name, c in plan.components.items():
        lines.append(f"{name:34s} {c.cls:30s} {c.params / 1e9:8.3f}B {c.bytes / GB:7.2f}")
    for stage, a in plan.activations.items():
        lines += [f"activation {stage}: {formula}" for formula in a["formula"]]
    lines.append("peak GiB by memory mode of the video model; schedule item / stage; without → with VAE tiling:")
    for mode in MODES:
        plain, tiled = plan.peaks(mode, False), plan.peaks(mode, True)
        item, stage = f"{plain['item'] / GB:6.1f} → {tiled['item'] / GB:6.1f}", f"{plain['stage'] / GB:6.1f} → {tiled['stage'] / GB:6.1f}"
        lines.append(f"  {mode:18s} item {item}   stage {stage}")
    q = result["quantization"]
    lines.append(f"quantization of the video transformers: {q['mode']} ({q['transformer_bytes'] / GB:.1f} GiB; configured: {q['configured']})")
    budget = "none given (no GPU here): pass --budget-gb" if plan.budget_bytes is None else f"{plan.budget_bytes / GB:.1f} GiB"
    lines.append(f"budget: {budget}")
    peak = result["estimated_peak_bytes"] / GB
    if result["fits"]:
        lines.append(f"plan: {' '.join(result['overrides']) or 'no offload'}: estimated peak {peak:.1f} GiB ({result['batch_schedule']} schedule)")
    else:
        lightest = plan.peaks("sequential", True)
        keyframe = plan.stage_bytes("keyframe") + plan.activation("keyframe", True)
        if keyframe > plan.budget_bytes:  # the keyframe models have no offload mode: they alone decide
            lines.append(
                f"nothing fits {plan.budget_bytes / GB:.1f} GiB: the keyframe models alone need {keyframe / GB:.1f} GiB on the GPU "
                "(they are not offloaded); use a GPU with more memory or a preset with a smaller keyframe model"
            )
            return lines
        lines.append(
            f"nothing fits {plan.budget_bytes / GB:.1f} GiB: even sequential offload with VAE tiling needs {lightest['item'] / GB:.1f} GiB "
            f"(item) / {lightest['stage'] / GB:.1f} GiB (stage); use a GPU with more memory, or a smaller animate.height/width or num_frames"
        )
    return lines
