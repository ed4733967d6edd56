"""The ``eval`` section of the config schema (``stdt2v.config.schema.PipelineConfig.eval``):
the metrics ``stdt2v evaluate`` computes and the conventions each protocol fixes (native,
ConsisID's, OpenS2V-Eval's; docs/evaluation.md, "Protocols")."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class InsightFacePack(str, Enum):
    """An insightface model pack (the face section's and the eval protocols')."""

    antelopev2 = "antelopev2"  # SCRFD-10G + glintr100 (ArcFace R100), as the authors and ConsisID
    buffalo_l = "buffalo_l"  # SCRFD-10G + w600k_r50 (ArcFace R50)


class FIDFeature(str, Enum):
    clip = "clip"  # image embeddings of eval.clip_model (FID_CLIP; safetensors weights)
    # InceptionV3: torchmetrics' TF-FID network (native; torch-fidelity's pickle weights) or
    # torchvision's inception_v3 (consisid; eval.fid_inception_weights as safetensors).
    inception = "inception"


class EvalProtocolName(str, Enum):
    native = "native"  # the project's own conventions (README, "Evaluation")
    consisid = "consisid"  # ConsisID's eval/ scripts, step by step: the leaderboard's scale
    opens2v = "opens2v"  # OpenS2V-Eval's eval/ scripts: its JSON input, 32 frames, its TotalScore


class FrameReader(str, Enum):
    decode = "decode"
    seek = "seek"
    decord = "decord"


class FrameSampler(str, Enum):
    even = "even"
    linspace = "linspace"
    stride = "stride"


class ChannelOrder(str, Enum):
    rgb = "rgb"
    bgr = "bgr"


class DetectionRule(str, Enum):
    pad_and_scale = "pad_and_scale"
    as_is_then_pad = "as_is_then_pad"


class CropSource(str, Enum):
    face_backend = "face_backend"
    arcface = "arcface"


class CurCrop(str, Enum):
    align_112 = "align_112"
    align_224_resize_112 = "align_224_resize_112"


class Warp(str, Enum):
    float32 = "float32"
    norm_crop = "norm_crop"


class InceptionNetwork(str, Enum):
    torchmetrics = "torchmetrics"
    torchvision = "torchvision"


class FIDInput(str, Enum):
    crop_224 = "crop_224"
    resize_299 = "resize_299"


class ReferenceAlpha(str, Enum):
    white = "white"
    drop = "drop"


class ZeroFrames(str, Enum):
    keep = "keep"
    skip = "skip"


class ReferenceWithoutFace(str, Enum):
    fail = "fail"
    skip = "skip"


class OpenS2VBoard(str, Enum):
    human = "Human-Domain"  # 60 cases; no NexusScore in its total
    single = "Single-Domain"
    open = "Open-Domain"


class OpenS2VVersion(str, Enum):
    v1_0 = "v1.0"
    v1_1 = "v1.1"  # adds MotionSmoothness (Q-Align) to the total


@dataclass
class OpenS2VConfig:
    """``eval.protocol=opens2v``: which board's TotalScore, and NaturalScore's VLM."""

    board: OpenS2VBoard = OpenS2VBoard.human
    version: OpenS2VVersion = OpenS2VVersion.v1_1
    # NaturalScore: an OpenAI-compatible /chat/completions endpoint (null: not computed), the
    # model (OpenS2V: gpt-4o-2024-11-20), and the rating instructions read from the user's
    # checkout of the benchmark: eval/get_naturalscore.py (its `prompt` string) or a text file.
    natural_base_url: str | None = None
    natural_model: str = "gpt-4o-2024-11-20"
    natural_prompt_file: str | None = None
    natural_api_key_env: str = "OPENAI_API_KEY"
    natural_runs: int = 3  # OpenS2V averages three runs
    natural_seed: int = 0  # run k sends seed natural_seed + k


@dataclass
class EvalConventions:
    """Explicit values win over the protocol's defaults (null: the protocol's value).
    Meanings: stdt2v/eval/protocol.py."""

    frame_reader: FrameReader | None = None
    identity_sampler: FrameSampler | None = None
    clip_sampler: FrameSampler | None = None
    clip_channels: ChannelOrder | None = None
    detection: DetectionRule | None = None
    detect_size: int | None = None
    arcface_pack: InsightFacePack | None = None
    crops_from: CropSource | None = None
    cur_crop: CurCrop | None = None
    warp: Warp | None = None
    inception: InceptionNetwork | None = None
    fid_input: FIDInput | None = None
    no_face_score: float | None = None
    reference_alpha: ReferenceAlpha | None = None
    identity_frames: int | None = None
    cur_zero_frames: ZeroFrames | None = None
    reference_without_face: ReferenceWithoutFace | None = None
    motion_amplitude: bool | None = None


@dataclass
class EvalConfig:
    # Whose conventions the scores follow: `native`, `consisid` (ConsisID's eval code, exactly)
    # or `opens2v` (OpenS2V-Eval's eval code; docs/opens2v.md).
    protocol: EvalProtocolName = EvalProtocolName.native
    conventions: EvalConventions = field(default_factory=EvalConventions)
    # Frames per video for identity, CLIP and FID (ConsisID's evaluation: 16, evenly spaced;
    # opens2v reads 32 for FaceSim, Aesthetics and GmeScore: its conventions.identity_frames).
    num_frames: int = 16
    # FaceSim-Arc: ArcFace through insightface (face.model_root / face.model_pack); the face
    # backend's own score is `face_sim` either way.
    arcface: bool = False
    # FaceSim-Cur: a CurricularFace recognizer (112×112 aligned RGB in, (x-127.5)/127.5), .onnx.
    curricularface: str | None = None
    # CLIPScore: a CLIP model folder or hub id (ConsisID: openai/clip-vit-base-patch32).
    clip_model: str | None = None
    # FID on aligned face crops: generated frames against the reference faces.
    fid: bool = False
    fid_feature: FIDFeature = FIDFeature.clip
    # native: torch-fidelity's pt_inception-2015-12-05 .pth (pickle: allow_pickle_weights);
    # consisid: torchvision's inception_v3 weights as safetensors (scripts/convert_inception.py).
    fid_inception_weights: str | None = None
    # Motion: Farneback flow on frames resized to this short side; a frame pair is dynamic when
    # the mean of its top 5 % flow magnitudes exceeds `dynamic_threshold` pixels.
    flow_size: int = 256
    dynamic_threshold: float = 1.0
    # Aesthetics (LAION's predictor, as OpenS2V): a CLIPVisionModelWithProjection folder
    # (openai/clip-vit-large-patch14) and the MLP as safetensors (scripts/convert_aesthetic.py).
    aesthetic_clip: str | None = None
    aesthetic_model: str | None = None
    # GmeScore: a gme-Qwen2-VL folder (Alibaba-NLP/gme-Qwen2-VL-7B-Instruct), text-frame similarity.
    gme_model: str | None = None
    opens2v: OpenS2VConfig = field(default_factory=OpenS2VConfig)
