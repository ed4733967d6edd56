"""OpenS2V-Eval's FaceSim, Aesthetics and MotionAmplitude, transcribed step by step from its
``eval/get_facesim.py``, ``get_aesscore.py`` and ``get_motionscore.py`` (Apache-2.0) for the tests.

It drives the library calls those scripts make — decord's ``VideoReader``, insightface's
``FaceAnalysis`` (default pack, ``get``) and ``face_align.norm_crop``, the CurricularFace
preprocessing, ``CLIPProcessor`` + ``CLIPVisionModelWithProjection`` and the MLP as an
``nn.Sequential`` with its Dropouts, Farneback on ``COLOR_BGR2GRAY`` of RGB frames — and shares
no code with ``stdt2v.eval``, so the tests compare two independent paths. Written for this
project (the CurricularFace runs as ONNX here); not used by the package.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnxruntime
import torch
from PIL import Image
from torch import nn


def sample(video: Path, num_frames: int | None) -> list[np.ndarray]:
    import decord

    reader = decord.VideoReader(str(video))
    n = len(reader)
    indices = np.arange(n) if num_frames is None else np.linspace(0, n - 1, num_frames, dtype=int)
    return [reader[int(i)].asnumpy() for i in indices]


class FaceSimReference:
    def __init__(self, model_root: Path, cur_onnx: Path):
        from insightface.app import FaceAnalysis

        self.app = FaceAnalysis(root=str(model_root), providers=["CPUExecutionProvider"])  # no name: buffalo_l
        self.app.prepare(ctx_id=-1, det_size=(320, 320))
        self.cur = onnxruntime.InferenceSession(str(cur_onnx), providers=["CPUExecutionProvider"])

    def _largest(self, bgr):
        found = self.app.get(bgr)
        return sorted(found, key=lambda x: (x["bbox"][2] - x["bbox"][0]) * (x["bbox"][3] - x["bbox"][1]))[-1] if found else None

    def process_image(self, rgb: np.ndarray):
        from insightface.utils import face_align

        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        info = self._largest(bgr)
        if info is None:
            h, w = bgr.shape[:2]
            top, left = int(h * 0.25), int(w * 0.25)
            info = self._largest(cv2.copyMakeBorder(bgr, top, top, left, left, cv2.BORDER_CONSTANT, value=(128, 128, 128)))
            if info is None:
                return None, None
            kps = info["kps"]
            kps -= np.array((left, top))
        else:
            kps = info["kps"]
        crop = cv2.cvtColor(face_align.norm_crop(bgr, landmark=kps, image_size=224), cv2.COLOR_BGR2RGB)
        return crop, info["embedding"]

    def inference(self, crop: np.ndarray) -> np.ndarray:
        x = torch.from_numpy(np.transpose(cv2.resize(crop, (112, 112)), (2, 0, 1))).unsqueeze(0).float()
        x.div_(255).sub_(0.5).div_(0.5)
        v = self.cur.run(None, {self.cur.get_inputs()[0].name: x.numpy()})[0][0]
        return v / np.linalg.norm(v)

    def scores(self, video: Path, reference: Path) -> dict | None:
        ref_crop, ref_arc = self.process_image(np.array(Image.open(reference).convert("RGB")))
        if ref_crop is None:
            return None
        ref_cur = self.inference(ref_crop)
        cur_scores, arc_scores = [], []
        for rgb in sample(video, 32):
            crop, arc = self.process_image(rgb)
            if crop is None:
                continue
            cur = max(0.0, torch.nn.functional.cosine_similarity(torch.tensor(ref_cur), torch.tensor(self.inference(crop)), dim=-1).item())
            arc_score = max(0.0, torch.nn.functional.cosine_similarity(torch.tensor(ref_arc), torch.tensor(arc), dim=-1).item())
            if cur != 0.0:
                cur_scores.append(cur)
            arc_scores.append(arc_score)  # the script's test compares the list with 0.0: always true
        return {"cur_score": np.mean(cur_scores) if cur_scores else 0.0, "arc_score": np.mean(arc_scores) if arc_scores else 0.0}


class AestheticReference(nn.Module):
    def __init__(self, clip_dir: str, mlp_file: Path, sizes: tuple[int, ...]):
        from safetensors.torch import load_file
        from transformers import CLIPProcessor, CLIPVisionModelWithProjection

        super().__init__()
        self.clip = CLIPVisionModelWithProjection.from_pretrained(clip_dir)
        self.processor = CLIPProcessor.from_pretrained(clip_dir)
        a, b, c, d, e, f = sizes
        self.layers = nn.Sequential(
            nn.Linear(a, b), nn.Dropout(0.2), nn.Linear(b, c), nn.Dropout(0.2), nn.Linear(c, d), nn.Dropout(0.1), nn.Linear(d, e), nn.Linear(e, f)
        )
        self.load_state_dict(load_file(str(mlp_file)), strict=False)
        self.eval()

    @torch.no_grad()
    def score(self, video: Path) -> float:
        frames = [Image.fromarray(f) for f in sample(video, 32)]
        inputs = self.processor(images=frames, return_tensors="pt")
        embed = self.clip(**inputs)[0]
        embed = embed / torch.linalg.vector_norm(embed, dim=-1, keepdim=True)
        return self.layers(embed).squeeze(1).mean().item()


def motion_fb(video: Path) -> float:
    frames = [Image.fromarray(f) for f in sample(video, None)]
    prev = cv2.cvtColor(np.array(frames[0]), cv2.COLOR_BGR2GRAY)
    maps = []
    for frame in frames[1:]:
        gray = cv2.cvtColor(np.array(frame), cv2.COLOR_BGR2GRAY)
        maps.append(cv2.calcOpticalFlowFarneback(prev, gray, flow=None, pyr_scale=0.5, levels=3, winsize=15, iterations=3, poly_n=5, poly_sigma=1.2, flags=0))
        prev = gray
    small = [cv2.resize(f, (16, int(f.shape[0] * (16 / f.shape[1]))), interpolation=cv2.INTER_AREA) for f in maps]
    return abs(float(np.mean(np.mean(np.array(small), axis=0))))
