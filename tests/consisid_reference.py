"""ConsisID's evaluation, transcribed step by step from ../shared/METRICS.md for the tests.

It drives the library calls that evaluation makes — insightface's ``FaceAnalysis`` (default
pack, ``get``) and ``face_align.norm_crop``, OpenCV's ``VideoCapture`` with seeking, the
CurricularFace preprocessing, CLIP's processor on BGR frames, the zero-covariance Fréchet
formula on one activation per side — and shares no code with ``stdt2v.eval``, so the tests
compare two independent paths. Written for this project; not used by the package.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnxruntime
import torch
from PIL import Image


def _frames(video: Path, indices) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(video))
    frames = []
    for index in indices:
        capture.set(cv2.CAP_PROP_POS_FRAMES, int(index))
        ok, bgr = capture.read()
        if ok:
            frames.append(bgr)
    capture.release()
    return frames


def frame_count(video: Path) -> int:
    capture = cv2.VideoCapture(str(video))
    count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    capture.release()
    return count


class ConsisIDReference:
    def __init__(self, model_root: Path, cur_onnx: Path, clip_dir: str | None = None):
        from insightface.app import FaceAnalysis

        self.app = FaceAnalysis(root=str(model_root), providers=["CPUExecutionProvider"])  # no name: buffalo_l
        self.app.prepare(ctx_id=-1, det_size=(320, 320))
        self.cur = onnxruntime.InferenceSession(str(cur_onnx), providers=["CPUExecutionProvider"])
        self.clip = self.processor = None
        if clip_dir:
            from transformers import CLIPModel, CLIPProcessor

            self.clip, self.processor = CLIPModel.from_pretrained(clip_dir).eval(), CLIPProcessor.from_pretrained(clip_dir)

    def face(self, rgb: np.ndarray):
        """(224 aligned RGB crop, ArcFace embedding) of the largest face, or (None, None)."""
        from insightface.utils import face_align

        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        found = self.app.get(bgr)
        shift = np.zeros(2)
        if not found:
            h, w = bgr.shape[:2]
            top, left = int(h * 0.25), int(w * 0.25)
            found = self.app.get(cv2.copyMakeBorder(bgr, top, top, left, left, cv2.BORDER_CONSTANT, value=(128, 128, 128)))
            shift = np.array([left, top])
        if not found:
            return None, None
        largest = sorted(found, key=lambda f: (f.bbox[2] - f.bbox[0]) * (f.bbox[3] - f.bbox[1]))[-1]
        kps = largest.kps - shift.astype(largest.kps.dtype)
        crop = cv2.cvtColor(face_align.norm_crop(bgr, landmark=kps, image_size=224), cv2.COLOR_BGR2RGB)
        return crop, largest.embedding

    def cur_embedding(self, crop: np.ndarray) -> np.ndarray:
        x = np.transpose(cv2.resize(crop, (112, 112)), (2, 0, 1))[None].astype(np.float32)
        x = (x / 255 - 0.5) / 0.5
        v = self.cur.run(None, {self.cur.get_inputs()[0].name: x.astype(np.float32)})[0][0]
        return v / np.linalg.norm(v)

    @staticmethod
    def fid_image(crop: np.ndarray) -> Image.Image:
        return Image.fromarray(crop).resize((299, 299), Image.BILINEAR)

    @staticmethod
    def frechet_one_vs_one(a: torch.Tensor, b: torch.Tensor) -> float:
        """The Fréchet formula on one activation per side, each duplicated to two rows."""
        real, fake = a.repeat(2, 1), b.repeat(2, 1)
        s1, s2 = torch.cov(real.T), torch.cov(fake.T)
        values, vectors = torch.linalg.eigh(s1 @ s2)
        root = (vectors * torch.sqrt(values.clamp(min=0))) @ vectors.T
        return float(((real.mean(0) - fake.mean(0)) ** 2).sum() + torch.trace(s1 + s2 - 2 * root))

    @torch.no_grad()
    def clip_features(self, image: Image.Image) -> torch.Tensor:
        out = self.clip.get_image_features(**self.processor(images=image, return_tensors="pt"))
        return (out if isinstance(out, torch.Tensor) else out.pooler_output).float()

    @torch.no_grad()
    def scores(self, video: Path, reference: Path, prompt: str | None = None, fid_features=None) -> dict:
        fid_features = fid_features or self.clip_features
        ref_crop, ref_arc = self.face(np.array(Image.open(reference).convert("RGB")))
        ref_cur = self.cur_embedding(ref_crop)
        ref_fid = fid_features(self.fid_image(ref_crop))
        n = frame_count(video)
        indices = np.linspace(0, n - 1, 16, dtype=int)
        arc, cur, fid = [], [], []
        for bgr in _frames(video, indices):
            crop, embedding = self.face(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            if crop is None:
                continue
            arc.append(max(0.0, float(torch.nn.functional.cosine_similarity(torch.tensor(ref_arc), torch.tensor(embedding), dim=-1))))
            cur.append(max(0.0, float(np.dot(ref_cur, self.cur_embedding(crop)))))
            fid.append(self.frechet_one_vs_one(ref_fid, fid_features(self.fid_image(crop))))
        out = {
            "frame_indices": indices.tolist(),
            "face_sim_arc": float(np.mean(arc)) if arc else 0.0,
            "face_sim_cur": float(np.mean(cur)) if cur else 0.0,
            "fid_framewise": float(np.mean(fid)) if fid else 0.0,
        }
        if prompt and self.clip is not None:
            clip_indices = [int(i * n / 16) for i in range(16)]
            frames = _frames(video, clip_indices)  # BGR, handed to CLIP unconverted
            inputs = self.processor(text=prompt, images=frames, return_tensors="pt", padding=True, truncation=True)
            out["clip_score"] = float(self.clip(**inputs).logits_per_image.mean())
            out["clip_frame_indices"] = clip_indices
        return out
