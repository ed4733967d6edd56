"""The evaluator: every configured metric on one video, and on a challenge-layout folder."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm.auto import tqdm

from stdt2v.errors import StdT2VError
from stdt2v.eval.frames import sample_frames
from stdt2v.eval.identity import CurricularFace, IdentityCurve, analyzer_vectors, curve_from_vectors, largest_faces
from stdt2v.eval.motion import motion_metrics
from stdt2v.face import FaceAnalyzer, ReferenceCache
from stdt2v.io import load_image, read_video

logger = logging.getLogger(__name__)

_ID = re.compile(r"^id\d+$")


@dataclass
class VideoScores:
    row: dict  # one line of scores.csv
    curve: IdentityCurve
    reference_crop: np.ndarray | None = None
    frame_crops: list[np.ndarray] = field(default_factory=list)


class Evaluator:
    def __init__(
        self,
        analyzer: FaceAnalyzer,
        *,
        num_frames: int = 16,
        arcface: FaceAnalyzer | None = None,
        curricularface: CurricularFace | None = None,
        clip_scorer=None,
        fid_feature=None,
        flow_size: int = 256,
        dynamic_threshold: float = 1.0,
        cache_dir: str | None = None,
    ):
        self.analyzer = analyzer
        self.num_frames = num_frames
        self.arcface = arcface
        self.curricularface = curricularface
        self.clip_scorer = clip_scorer
        self.fid_feature = fid_feature
        self.flow_size, self.dynamic_threshold = flow_size, dynamic_threshold
        self.references = ReferenceCache(analyzer, cache_dir)
        self.arc_references = ReferenceCache(arcface, cache_dir) if arcface is not None else None

    @property
    def backends(self) -> dict:
        """Which model produced each number."""
        out = {"face_sim": self.analyzer.cache_key}
        if self.arcface is not None:
            out["face_sim_arc"] = self.arcface.cache_key
        if self.curricularface is not None:
            out["face_sim_cur"] = CurricularFace.name
        return out

    def evaluate(self, frames: np.ndarray, reference: Image.Image, prompt: str | None = None) -> VideoScores:
        """Scores of one video (uint8 [F, H, W, 3]) against one reference image."""
        reference_rgb = np.asarray(reference.convert("RGB"))
        ref_face, ref_vector = self.references(reference, what="reference image")
        indices, sampled = sample_frames(frames, self.num_frames)
        faces = largest_faces(self.analyzer, sampled)
        curve = curve_from_vectors(ref_vector, analyzer_vectors(self.analyzer, faces))
        row: dict = {
            "face_sim": curve.mean,
            "face_sim_min": curve.min,
            "face_sim_drop": curve.drop,
            "no_face_ratio": curve.no_face_ratio,
        }
        if self.arcface is not None:
            _, arc_ref = self.arc_references(reference, what="reference image")
            arc_faces = largest_faces(self.arcface, sampled)
            row["face_sim_arc"] = curve_from_vectors(arc_ref, analyzer_vectors(self.arcface, arc_faces), clamp=True).mean
        if self.curricularface is not None:
            cur_ref = self.curricularface.embed([self.analyzer.align(reference_rgb, ref_face, size=112)])[0]
            cur_vectors = self.curricularface.vectors(self.analyzer, sampled, faces)
            row["face_sim_cur"] = curve_from_vectors(cur_ref, cur_vectors, clamp=True).mean
        if self.clip_scorer is not None and prompt:
            row["clip_score"] = self.clip_scorer(list(sampled), prompt)
        scores = VideoScores(row, curve)
        if self.fid_feature is not None:
            from stdt2v.eval.fid import CROP_SIZE, framewise_feature_distance

            scores.reference_crop = self.analyzer.align(reference_rgb, ref_face, size=CROP_SIZE)
            scores.frame_crops = [self.analyzer.align(f, face, size=CROP_SIZE) for f, face in zip(sampled, faces) if face is not None]
            if not isinstance(self.fid_feature, int):
                row["fid_framewise"] = framewise_feature_distance(scores.reference_crop, scores.frame_crops, self.fid_feature)
        row.update(motion_metrics(frames, self.flow_size, self.dynamic_threshold))
        row["identity_curve"] = [None if s is None else round(s, 4) for s in curve.per_frame]
        row["frame_indices"] = indices
        return scores


def find_videos(videos: Path, references: Path, prompts: Path | None) -> list[tuple[str, str, Path, Path, str | None]]:
    """(id, prompt name, video, reference image, prompt text) for every idNNN/promptK.mp4."""
    items = []
    for video in sorted(videos.glob("*/*.mp4")):
        identity, name = video.parent.name, video.stem
        if not _ID.match(identity):
            continue
        reference = next((p for p in sorted((references / identity).glob("image.*"))), None)
        prompt_file = (prompts / identity / f"{name}.txt") if prompts else None
        prompt = prompt_file.read_text().strip() if prompt_file and prompt_file.is_file() else None
        items.append((identity, name, video, reference, prompt))
    return items


def evaluate_folder(evaluator: Evaluator, videos: Path, references: Path, prompts: Path | None, output: Path, progress: bool = True, inception_weights=None) -> tuple[list[dict], dict]:
    """Score every video; one bad item is reported and skipped, the others go on."""
    from stdt2v.eval.fid import fid
    from stdt2v.eval.report import write_outputs

    items = find_videos(videos, references, prompts)
    if not items:
        raise StdT2VError(f"--videos: no idNNN/promptK.mp4 under {videos}")
    rows, curves, real, fake, failures = [], {}, {}, [], []
    for identity, name, video, reference, prompt in tqdm(items, desc="evaluate", disable=not progress):
        row: dict = {"id": identity, "prompt": name}
        try:
            if reference is None:
                raise StdT2VError(f"{identity}: no image.* in {references / identity}")
            scores = evaluator.evaluate(read_video(video), load_image(reference, what=str(reference)), prompt)
        except (StdT2VError, OSError, ValueError) as err:  # NoFaceError is a StdT2VError
            logger.error("evaluate: %s/%s: %s", identity, name, err)
            failures.append({"id": identity, "prompt": name, "error": str(err)})
            continue
        row.update(scores.row)
        rows.append(row)
        curves[f"{identity}/{name}"] = scores.curve.per_frame
        if scores.reference_crop is not None:
            real[identity] = scores.reference_crop
            fake.extend(scores.frame_crops)
    set_fid = None
    if evaluator.fid_feature is not None:
        set_fid = fid(list(real.values()), fake, evaluator.fid_feature, inception_weights)
    summary = write_outputs(output, rows, curves, backends=evaluator.backends, fid=set_fid, failures=failures)
    return rows, summary
