"""The evaluator: every configured metric on one video, and on a challenge-layout folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image
from tqdm.auto import tqdm

from stdt2v.errors import ConfigError, InputError, NoFaceError, StdT2VError
from stdt2v.eval.fid import CROP_SIZE, fid, fid_input, framewise_feature_distance
from stdt2v.eval.frames import VideoFrames
from stdt2v.eval.identity import CurricularFace, IdentityCurve, curve_from_vectors
from stdt2v.eval.motion import motion_amplitude, motion_metrics
from stdt2v.eval.opens2v import read_samples, total_score
from stdt2v.eval.protocol import PROTOCOLS, EvalProtocol
from stdt2v.eval.report import write_html, write_outputs
from stdt2v.face import Face, FaceAnalyzer, ReferenceCache
from stdt2v.face.align import align_face
from stdt2v.io import MIN_IMAGE_SIDE, first_line, load_image, regular_file
from stdt2v.layout import prompt_file, reference_image, video_files

if TYPE_CHECKING:
    from torch import nn

    from stdt2v.eval.aesthetic import AestheticScorer
    from stdt2v.eval.clip_score import CLIPScorer
    from stdt2v.eval.gme import GmeScorer
    from stdt2v.eval.natural import NaturalScorer

logger = logging.getLogger(__name__)


@dataclass
class VideoScores:
    row: dict  # one line of scores.csv
    curve: IdentityCurve
    reference_crop: np.ndarray | None = None  # what the FID feature reads of the reference
    frame_crops: list[np.ndarray] = field(default_factory=list)  # ... and of each frame with a face


class Evaluator:
    """Every configured metric on one video, under one ``EvalProtocol``.

    ``face_sim`` (and the identity curve) is the face backend's own score. FaceSim-Arc,
    FaceSim-Cur and the per-frame FID read the faces the protocol names (``crops_from``),
    found by its detection rule, cropped at its warp precision.
    """

    def __init__(
        self,
        analyzer: FaceAnalyzer,
        *,
        protocol: EvalProtocol = PROTOCOLS["native"],
        num_frames: int = 16,
        arcface: FaceAnalyzer | None = None,
        report_arcface: bool = True,
        curricularface: CurricularFace | None = None,
        clip_scorer: CLIPScorer | None = None,
        fid_feature: nn.Module | int | None = None,
        flow_size: int = 256,
        dynamic_threshold: float = 1.0,
        cache_dir: str | None = None,
        aesthetic: AestheticScorer | None = None,
        gme: GmeScorer | None = None,
        natural: NaturalScorer | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.protocol = protocol
        self.num_frames = num_frames
        self.arcface = arcface
        self.report_arcface = report_arcface and arcface is not None
        self.curricularface = curricularface
        self.clip_scorer = clip_scorer
        self.fid_feature = fid_feature
        self.flow_size, self.dynamic_threshold = flow_size, dynamic_threshold
        self.aesthetic, self.gme, self.natural = aesthetic, gme, natural
        self.references = ReferenceCache(analyzer, cache_dir)
        self.arc_references = ReferenceCache(arcface, cache_dir) if arcface is not None else None
        if protocol.crops_from == "arcface" and arcface is None and (curricularface is not None or fid_feature is not None):
            raise ConfigError(
                f"eval.protocol={protocol.name}: its Cur and FID crops come from the ArcFace detector; set face.model_root to an insightface pack"
            )

    @property
    def backends(self) -> dict:
        """Which model produced each number."""
        out = {"face_sim": self.analyzer.cache_key}
        if self.report_arcface:
            out["face_sim_arc"] = self.arcface.cache_key
        if self.curricularface is not None:
            out["face_sim_cur"] = CurricularFace.name
        return out

    def _arc_reference(self, reference: Image.Image) -> tuple[Face, np.ndarray]:
        """The reference's face and ArcFace vector under the protocol's detection rule."""
        if self.protocol.detection == "pad_and_scale":
            return self.arc_references(reference, what="reference image")
        face = next(iter(self.arcface.detect_as_is(reference)), None)
        if face is None:
            raise NoFaceError("reference image: no face found; pass an image where the face is clearly visible")
        return face, self.arcface.embed_batch([face])[0]

    def _arc_faces(self, images) -> list[Face | None]:
        """The largest face of each frame under the protocol's detection rule (None: no face)."""
        if self.protocol.detection == "pad_and_scale":
            return self.arcface.largest_faces(images)
        return [next(iter(self.arcface.detect_as_is(image)), None) for image in images]

    def _crop(self, rgb: np.ndarray, face: Face, size: int) -> np.ndarray:
        return align_face(rgb, face.landmarks, size, warp=self.protocol.warp)

    def _cur_input(self, rgb: np.ndarray, face: Face) -> np.ndarray:
        if self.protocol.cur_crop == "align_224_resize_112":
            return cv2.resize(self._crop(rgb, face, 224), (112, 112))  # bilinear, as ConsisID
        return self._crop(rgb, face, 112)

    def _mean(self, curve: IdentityCurve) -> float | None:
        return curve.mean if curve.found else self.protocol.no_face_score

    def _cur_mean(self, curve: IdentityCurve) -> float | None:
        """FaceSim-Cur's mean; under ``cur_zero_frames: skip`` frames clamped to exactly 0 are
        left out (OpenS2V), and a video left with none scores 0.0."""
        if self.protocol.cur_zero_frames != "skip" or not curve.found:
            return self._mean(curve)
        kept = [s for s in curve.found if s != 0.0]
        return float(np.mean(kept)) if kept else 0.0

    def _native_reference(self, reference: Image.Image):
        try:
            return self.references(reference, what="reference image")
        except NoFaceError:
            if self.protocol.reference_without_face != "skip":
                raise
            return None, None

    def _identity(self, row: dict, sampled: list[np.ndarray], reference: Image.Image) -> tuple[IdentityCurve, Face | None, list]:
        """face_sim (the backend's own), face_sim_arc and face_sim_cur into ``row``; returns the
        identity curve, and the reference face and frame faces the crops are cut from."""
        p = self.protocol
        crop_ref_face, arc_faces = None, None
        if self.arcface is not None:
            try:
                crop_ref_face, arc_ref = self._arc_reference(reference)
            except NoFaceError:
                if p.reference_without_face != "skip":
                    raise
                row["face_sim_note"] = "no face in the reference image: not scored for FaceSim (as OpenS2V skips it)"
                return IdentityCurve([]), None, []
            arc_faces = self._arc_faces(sampled)
            if self.report_arcface:
                row["face_sim_arc"] = self._mean(curve_from_vectors(arc_ref, self.arcface.embed_faces(arc_faces), clamp=True))
        native_face, ref_vector = self._native_reference(reference)
        faces = self.analyzer.largest_faces(sampled) if ref_vector is not None else [None] * len(sampled)
        curve = curve_from_vectors(ref_vector, self.analyzer.embed_faces(faces)) if ref_vector is not None else IdentityCurve([None] * len(sampled))
        row.update({"face_sim": curve.mean, "face_sim_min": curve.min, "face_sim_drop": curve.drop, "no_face_ratio": curve.no_face_ratio})
        crop_faces = arc_faces if p.crops_from == "arcface" and arc_faces is not None else faces
        if crop_ref_face is None or p.crops_from != "arcface":
            crop_ref_face = native_face
        if crop_ref_face is None:
            return curve, None, []
        reference_rgb = np.asarray(reference.convert("RGB"))
        with_face = [(frame, face) for frame, face in zip(sampled, crop_faces) if face is not None]
        if self.curricularface is not None:
            cur_ref = self.curricularface.embed([self._cur_input(reference_rgb, crop_ref_face)])[0]
            found = iter(self.curricularface.embed([self._cur_input(f, face) for f, face in with_face]) if with_face else [])
            cur_vectors = [next(found) if face is not None else None for face in crop_faces]
            row["face_sim_cur"] = self._cur_mean(curve_from_vectors(cur_ref, cur_vectors, clamp=True))
        return curve, crop_ref_face, with_face

    def evaluate(
        self, video: np.ndarray | str | Path | VideoFrames, reference: Image.Image | None, prompt: str | None = None, path: Path | None = None
    ) -> VideoScores:
        """Scores of one video (uint8 RGB [F, H, W, 3], an mp4 path, or ``VideoFrames``)
        against one reference image (None: no identity metrics). ``path``: the mp4, for
        metrics that read it with their own reader (NaturalScore)."""
        p = self.protocol
        frames = video if isinstance(video, VideoFrames) else VideoFrames(video, p.frame_reader)
        indices, sampled = frames.sample(p.identity_sampler, p.identity_frames or self.num_frames)
        row: dict = {}
        curve, crop_ref_face, with_face = self._identity(row, sampled, reference) if reference is not None else (IdentityCurve([]), None, [])
        if self.clip_scorer is not None and prompt:
            clip_indices, clip_frames = frames.sample(p.clip_sampler, self.num_frames)
            row["clip_score"] = self.clip_scorer(clip_frames, prompt, channels=p.clip_channels) if clip_frames else None
            row["clip_frame_indices"] = clip_indices
        if self.aesthetic is not None:
            row["aesthetic"] = self.aesthetic(sampled) if sampled else None
        if self.gme is not None and prompt:
            row["gme_score"] = self.gme(sampled, prompt) if sampled else None
        if self.natural is not None and path is not None:
            row["natural_score"], row["natural_score_runs"] = self.natural(path)
        scores = VideoScores(row, curve)
        if self.fid_feature is not None and crop_ref_face is not None:
            reference_rgb = np.asarray(reference.convert("RGB"))
            scores.reference_crop = fid_input(self._crop(reference_rgb, crop_ref_face, CROP_SIZE), p.fid_input)
            scores.frame_crops = [fid_input(self._crop(f, face, CROP_SIZE), p.fid_input) for f, face in with_face]
            if not isinstance(self.fid_feature, int):
                distance = framewise_feature_distance(scores.reference_crop, scores.frame_crops, self.fid_feature)
                row["fid_framewise"] = distance if distance is not None else p.no_face_score
        every = frames.all()
        row.update(motion_metrics(every, self.flow_size, self.dynamic_threshold))
        if p.motion_amplitude:
            row["motion_amplitude"] = motion_amplitude(every)
        row["identity_curve"] = [None if s is None else round(s, 4) for s in curve.per_frame]
        row["frame_indices"] = indices
        return scores


@dataclass(frozen=True)
class Item:
    key: dict  # the row's leading columns: {"id", "prompt"} (challenge) or {"id"} (OpenS2V)
    video: Path
    reference: Path | None  # None: no identity metrics for this video (face_note says why)
    prompt: str | None
    face_note: str | None = None
    error: str | None = None  # the item fails with this message

    @property
    def label(self) -> str:
        return "/".join(str(v) for v in self.key.values())


def find_videos(videos: Path, references: Path, prompts: Path | None) -> list[Item]:
    """An item for every idNNN/promptK.mp4 (the challenge layout)."""
    items = []
    for video in video_files(videos):
        identity, name = video.parent.name, video.stem
        text = prompt_file(prompts, identity, name) if prompts else None
        prompt = text.read_text().strip() if text and text.is_file() else None
        reference = reference_image(references, identity)
        error = None if reference is not None else f"{identity}: no image.* in {references / identity}"
        items.append(Item({"id": identity, "prompt": name}, video, reference, prompt, error=error))
    return items


def find_samples(videos: Path, references: Path, root: Path | None) -> tuple[list[Item], dict]:
    """An item for every sample of OpenS2V-Eval's JSON with a ``<id>.mp4``, and what was not matched."""
    samples, missing = read_samples(references, videos, root)
    known = {s.id for s in samples} | set(missing)
    unmatched = sorted(v.stem for v in Path(videos).glob("*.mp4") if v.stem not in known)
    items = [Item({"id": s.id}, s.video, s.reference, s.prompt, face_note=s.face_note) for s in samples]
    matching = {
        "samples_without_video": missing,
        "videos_not_in_json": unmatched,
        "not_scored_for_facesim": {s.id: s.face_note for s in samples if s.face_note},
    }
    return items, matching


def evaluate_folder(
    evaluator: Evaluator,
    videos: Path,
    references: Path,
    prompts: Path | None,
    output: Path,
    progress: bool = True,
    inception_weights: str | None = None,
    protocol_report: dict | None = None,
    board: tuple[str, str] | None = None,
    references_root: Path | None = None,
) -> tuple[list[dict], dict]:
    """Score every video; one bad item is reported and skipped, the others go on. ``board``:
    (OpenS2V board, version) whose TotalScore goes into summary.json."""
    p = evaluator.protocol
    matching = None
    if p.layout == "opens2v_json":
        items, matching = find_samples(videos, references, references_root)
        if not items:
            raise InputError(f"--videos: none of the {len(matching['samples_without_video'])} samples of {references} has a <id>.mp4 in {videos}")
    else:
        items = find_videos(videos, references, prompts)
        if not items:
            raise InputError(f"--videos: no idNNN/promptK.mp4 under {videos}; pass the folder of a run's videos (the challenge layout)")
    rows, curves, real, fake, failures = [], {}, {}, [], []
    for item in tqdm(items, desc="evaluate", disable=not progress):
        row: dict = dict(item.key)
        try:
            if item.error:
                raise StdT2VError(item.error)
            regular_file(item.video, str(item.video), "pass an mp4 file")  # a FIFO would block the reader
            reference = None
            if item.reference is not None:
                reference = load_image(item.reference, what=str(item.reference), alpha=p.reference_alpha, min_side=MIN_IMAGE_SIDE)
            scores = evaluator.evaluate(item.video, reference, item.prompt, path=item.video)
        except (StdT2VError, OSError, ValueError) as err:  # NoFaceError is a StdT2VError
            logger.error("evaluate: %s: %s", item.label, first_line(err))
            failures.append({**item.key, "error": first_line(err)})
            continue
        if item.face_note:
            row["face_sim_note"] = item.face_note
        row.update(scores.row)
        rows.append(row)
        curves[item.label] = scores.curve.per_frame
        if scores.reference_crop is not None:
            real[item.key["id"]] = scores.reference_crop
            fake.extend(scores.frame_crops)
    set_fid, fid_note = None, "eval.fid=false"
    if evaluator.fid_feature is not None:
        set_fid = fid(list(real.values()), fake, evaluator.fid_feature, inception_weights)
        fid_note = None if set_fid is not None else f"needs 2 face crops on each side: {len(real)} references, {len(fake)} frames had a face"
    opens2v = None
    if board is not None and p.layout == "opens2v_json":
        opens2v = {**total_score(rows, *board), "matching": matching}
    summary = write_outputs(
        output, rows, curves, backends=evaluator.backends, fid=set_fid, failures=failures, protocol=protocol_report, fid_note=fid_note, opens2v=opens2v
    )
    write_html(output, rows, summary, {item.label: item.video for item in items})
    return rows, summary
