"""Evaluation protocols: the conventions a score is computed under, as plain data.

A number is only comparable with another computed under the same conventions. ``consisid``
is what ConsisID's ``eval/get_facesim_fid.py`` and ``eval/get_clipscore.py`` do, step by
step — the scale of the identity-video papers and of the 2025 challenge leaderboard.
``opens2v`` is what OpenS2V-Eval's ``eval/get_facesim.py``, ``get_aesscore.py``,
``get_motionscore.py``, ``get_gmescore.py`` and ``get_naturalscore.py`` do (docs/opens2v.md).
``native`` is this project's own evaluation (what changes and why: docs/evaluation.md, "Protocols").
The evaluator reads these fields; it never asks which protocol it runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace


@dataclass(frozen=True)
class EvalProtocol:
    name: str
    # How frames are read: "decode" (every frame, in order), "seek" (OpenCV VideoCapture:
    # N = CAP_PROP_FRAME_COUNT, then CAP_PROP_POS_FRAMES per index; unreadable frames skipped)
    # or "decord" (decord.VideoReader: N = len(reader), frames by index).
    frame_reader: str
    # Which frames each metric reads (``stdt2v.eval.frames.SAMPLERS``).
    identity_sampler: str
    clip_sampler: str
    # Channel order of the frames CLIP is handed: "rgb", or "bgr" (OpenCV's, unconverted).
    clip_channels: str
    # Face detection: "pad_and_scale" (always pad by pad_ratio·longest side in black, scale
    # towards the detector size; robust on tight crops) or "as_is_then_pad" (the image as it
    # is; only when no face is found, pad 0.25·h / 0.25·w per side in grey 128 and retry).
    detection: str
    # The ArcFace analyzer: detector input size and insightface pack (None: the face section's).
    detect_size: int | None
    arcface_pack: str | None
    # Whose landmarks make the CurricularFace and FID crops: "face_backend" or "arcface".
    crops_from: str
    # CurricularFace input: "align_112" (warped straight to 112) or "align_224_resize_112"
    # (norm_crop to 224, then cv2.resize to 112, bilinear).
    cur_crop: str
    # The alignment warp: "float32" (the estimate rounded to a float32 matrix) or "norm_crop"
    # (insightface's norm_crop bit for bit: scikit-image's estimate, a float64 matrix).
    warp: str
    # InceptionV3 behind eval.fid_feature=inception: "torchmetrics" (the TF-FID port, its own
    # weights) or "torchvision" (inception_v3 IMAGENET1K_V1, transform_input; stdt2v.eval.inception).
    inception: str
    # Per-frame FID input: "crop_224" (the aligned crop) or "resize_299" (PIL bilinear to
    # 299×299, as torchvision's Resize before Inception).
    fid_input: str
    # FaceSim and per-frame FID of a video with no face in any frame: None (no score) or 0.0.
    no_face_score: float | None
    # Reference images with transparency: "white" (composited on white) or "drop" (PIL's
    # convert("RGB"): the colour under the alpha channel).
    reference_alpha: str
    # Frames the identity and aesthetic metrics read (None: eval.num_frames).
    identity_frames: int | None = None
    # Frames whose clamped FaceSim-Cur is exactly 0: "keep" (in the mean) or "skip" (OpenS2V's
    # get_facesim.py drops them from Cur; its Arc test compares the list, so Arc keeps them).
    cur_zero_frames: str = "keep"
    # A reference image with no face: "fail" (the video fails) or "skip" (no FaceSim for it,
    # the other metrics go on: OpenS2V skips the video in its FaceSim file).
    reference_without_face: str = "fail"
    # Inputs: "challenge" (idNNN/image.* and idNNN/promptK.mp4 folders) or "opens2v_json"
    # (the benchmark's JSON keyed by sample id, videos named <id>.mp4).
    layout: str = "challenge"
    # motion_amplitude: OpenS2V's signed Farneback mean (get_motionscore.py), beside ours.
    motion_amplitude: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


PROTOCOLS: dict[str, EvalProtocol] = {
    "native": EvalProtocol(
        name="native",
        frame_reader="decode",
        identity_sampler="even",
        clip_sampler="even",
        clip_channels="rgb",
        detection="pad_and_scale",
        detect_size=None,
        arcface_pack=None,
        crops_from="face_backend",
        cur_crop="align_112",
        warp="float32",
        inception="torchmetrics",
        fid_input="crop_224",
        no_face_score=None,
        reference_alpha="white",
    ),
    "consisid": EvalProtocol(
        name="consisid",
        frame_reader="seek",
        identity_sampler="linspace",
        clip_sampler="stride",
        clip_channels="bgr",
        detection="as_is_then_pad",
        detect_size=320,
        arcface_pack="buffalo_l",  # FaceAnalysis(root=...) with no name loads insightface's default pack
        crops_from="arcface",
        cur_crop="align_224_resize_112",
        warp="norm_crop",
        inception="torchvision",
        fid_input="resize_299",
        no_face_score=0.0,
        reference_alpha="drop",
    ),
}
# OpenS2V-Eval's FaceSim scripts descend from ConsisID's: the same detection, crops and warp;
# it differs in the frame reader, the samplers, the 32 frames and the rules below.
PROTOCOLS["opens2v"] = replace(
    PROTOCOLS["consisid"],
    name="opens2v",
    frame_reader="decord",
    clip_sampler="linspace",
    clip_channels="rgb",
    identity_frames=32,
    cur_zero_frames="skip",
    reference_without_face="skip",
    layout="opens2v_json",
    motion_amplitude=True,
)


def resolve_protocol(name: str, overrides: dict | None = None) -> tuple[EvalProtocol, list[str]]:
    """The named protocol with every explicit (non-None) convention value applied over its
    defaults, and the names of the conventions that were overridden."""
    explicit = {k: getattr(v, "value", v) for k, v in (overrides or {}).items() if v is not None}
    return replace(PROTOCOLS[name], **explicit), sorted(explicit)
