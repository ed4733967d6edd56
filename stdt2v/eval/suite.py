"""The evaluator: every configured metric on one video, and on a challenge-layout folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from tqdm.auto import tqdm

from stdt2v.errors import ConfigError, NoFaceError, StdT2VError
from stdt2v.eval.fid import CROP_SIZE, fid, fid_input, framewise_feature_distance
from stdt2v.eval.frames import VideoFrames
from stdt2v.eval.identity import CurricularFace, IdentityCurve, curve_from_vectors
from stdt2v.eval.motion import motion_metrics
from stdt2v.eval.protocol import PROTOCOLS, EvalProtocol
from stdt2v.eval.report import write_html, write_outputs
from stdt2v.face import Face, FaceAnalyzer, ReferenceCache
from stdt2v.face.align import align_face
from stdt2v.io import MIN_IMAGE_SIDE, first_line, load_image
from stdt2v.layout import prompt_file, reference_image, video_files

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
        clip_scorer=None,
        fid_feature=None,
        flow_size: int = 256,
        dynamic_threshold: float = 1.0,
        cache_dir: str | None = None,
    ):
        self.analyzer = analyzer
        self.protocol = protocol
        self.num_frames = num_frames
        self.arcface = arcface
        self.report_arcface = report_arcface and arcface is not None
        self.curricularface = curricularface
        self.clip_scorer = clip_scorer
        self.fid_feature = fid_feature
        self.flow_size, self.dynamic_threshold = flow_size, dynamic_threshold
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

    def evaluate(self, video: np.ndarray | str | Path | VideoFrames, reference: Image.Image, prompt: str | None = None) -> VideoScores:
        """Scores of one video (uint8 RGB [F, H, W, 3], an mp4 path, or ``VideoFrames``)
        against one reference image."""
        p = self.protocol
        frames = video if isinstance(video, VideoFrames) else VideoFrames(video, p.frame_reader)
        indices, sampled = frames.sample(p.identity_sampler, self.num_frames)
        reference_rgb = np.asarray(reference.convert("RGB"))
        _, ref_vector = self.references(reference, what="reference image")
        faces = self.analyzer.largest_faces(sampled)
        curve = curve_from_vectors(ref_vector, self.analyzer.embed_faces(faces))
        row: dict = {
            "face_sim": curve.mean,
            "face_sim_min": curve.min,
            "face_sim_drop": curve.drop,
            "no_face_ratio": curve.no_face_ratio,
        }
        crop_ref_face, crop_faces = None, faces
        if self.arcface is not None:
            crop_ref_face, arc_ref = self._arc_reference(reference)
            arc_faces = self._arc_faces(sampled)
            if self.report_arcface:
                row["face_sim_arc"] = self._mean(curve_from_vectors(arc_ref, self.arcface.embed_faces(arc_faces), clamp=True))
            if p.crops_from == "arcface":
                crop_faces = arc_faces
        if crop_ref_face is None or p.crops_from != "arcface":
            crop_ref_face = self.references(reference, what="reference image")[0]
        with_face = [(frame, face) for frame, face in zip(sampled, crop_faces) if face is not None]
        if self.curricularface is not None:
            cur_ref = self.curricularface.embed([self._cur_input(reference_rgb, crop_ref_face)])[0]
            found = iter(self.curricularface.embed([self._cur_input(f, face) for f, face in with_face]) if with_face else [])
            cur_vectors = [next(found) if face is not None else None for face in crop_faces]
            row["face_sim_cur"] = self._mean(curve_from_vectors(cur_ref, cur_vectors, clamp=True))
        if self.clip_scorer is not None and prompt:
            clip_indices, clip_frames = frames.sample(p.clip_sampler, self.num_frames)
            row["clip_score"] = self.clip_scorer(clip_frames, prompt, channels=p.clip_channels) if clip_frames else None
            row["clip_frame_indices"] = clip_indices
        scores = VideoScores(row, curve)
        if self.fid_feature is not None:
            scores.reference_crop = fid_input(self._crop(reference_rgb, crop_ref_face, CROP_SIZE), p.fid_input)
            scores.frame_crops = [fid_input(self._crop(f, face, CROP_SIZE), p.fid_input) for f, face in with_face]
            if not isinstance(self.fid_feature, int):
                distance = framewise_feature_distance(scores.reference_crop, scores.frame_crops, self.fid_feature)
                row["fid_framewise"] = distance if distance is not None else p.no_face_score
        row.update(motion_metrics(frames.all(), self.flow_size, self.dynamic_threshold))
        row["identity_curve"] = [None if s is None else round(s, 4) for s in curve.per_frame]
        row["frame_indices"] = indices
        return scores


def find_videos(videos: Path, references: Path, prompts: Path | None) -> list[tuple[str, str, Path, Path, str | None]]:
    """(id, prompt name, video, reference image, prompt text) for every idNNN/promptK.mp4."""
    items = []
    for video in video_files(videos):
        identity, name = video.parent.name, video.stem
        text = prompt_file(prompts, identity, name) if prompts else None
        prompt = text.read_text().strip() if text and text.is_file() else None
        items.append((identity, name, video, reference_image(references, identity), prompt))
    return items


def evaluate_folder(
    evaluator: Evaluator,
    videos: Path,
    references: Path,
    prompts: Path | None,
    output: Path,
    progress: bool = True,
    inception_weights=None,
    protocol_report: dict | None = None,
) -> tuple[list[dict], dict]:
    """Score every video; one bad item is reported and skipped, the others go on."""

    items = find_videos(videos, references, prompts)
    if not items:
        raise StdT2VError(f"--videos: no idNNN/promptK.mp4 under {videos}")
    rows, curves, real, fake, failures = [], {}, {}, [], []
    for identity, name, video, reference, prompt in tqdm(items, desc="evaluate", disable=not progress):
        row: dict = {"id": identity, "prompt": name}
        try:
            if reference is None:
                raise StdT2VError(f"{identity}: no image.* in {references / identity}")
            reference_image = load_image(reference, what=str(reference), alpha=evaluator.protocol.reference_alpha, min_side=MIN_IMAGE_SIDE)
            scores = evaluator.evaluate(video, reference_image, prompt)
        except (StdT2VError, OSError, ValueError) as err:  # NoFaceError is a StdT2VError
            logger.error("evaluate: %s/%s: %s", identity, name, first_line(err))
            failures.append({"id": identity, "prompt": name, "error": first_line(err)})
            continue
        row.update(scores.row)
        rows.append(row)
        curves[f"{identity}/{name}"] = scores.curve.per_frame
        if scores.reference_crop is not None:
            real[identity] = scores.reference_crop
            fake.extend(scores.frame_crops)
    set_fid, fid_note = None, "eval.fid=false"
    if evaluator.fid_feature is not None:
        set_fid = fid(list(real.values()), fake, evaluator.fid_feature, inception_weights)
        fid_note = None if set_fid is not None else f"needs 2 face crops on each side: {len(real)} references, {len(fake)} frames had a face"
    summary = write_outputs(output, rows, curves, backends=evaluator.backends, fid=set_fid, failures=failures, protocol=protocol_report, fid_note=fid_note)
    write_html(output, rows, summary, {f"{identity}/{name}": video for identity, name, video, _, _ in items})
    return rows, summary
