"""Frames per second of each evaluation metric on the CPU, on a video made from a real face.

Identity: the face backend's detector + recognizer per sampled frame (dlib CNN and HOG; the
insightface pack when ``model_root`` has one). CLIPScore and the FID_CLIP features: the real
ViT-B/32 architecture (``CLIPConfig()`` defaults, as openai/clip-vit-base-patch32) with random
weights — what the arithmetic costs, whatever the weights. Motion: Farneback flow. FID: the
Fréchet distance of the crops' features (torchmetrics).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from benchmarks.timing import median_ms
from stdt2v.config.schema import FaceConfig
from stdt2v.eval.clip_score import CLIPScorer
from stdt2v.eval.fid import CROP_SIZE, FeatureModule, fid, framewise_feature_distance
from stdt2v.eval.frames import sample_frames
from stdt2v.eval.motion import motion_metrics
from stdt2v.face import build_face_analyzer
from stdt2v.tiny.tokenizers import save_clip_tokenizer


def panning_video(image: Image.Image, frames: int = 32, size: int = 480) -> np.ndarray:
    """A slow diagonal camera pan over a photograph (uint8 [F, size, size, 3]): the face stays
    in every frame, and there is motion to measure."""
    from PIL import Image

    rgb = image.convert("RGB")
    scale = (size + frames) / min(rgb.size)
    big = np.asarray(rgb.resize((round(rgb.width * scale), round(rgb.height * scale)), Image.LANCZOS))
    y0, x0 = (big.shape[0] - size - frames) // 2, (big.shape[1] - size - frames) // 2
    return np.stack([big[y0 + i : y0 + i + size, x0 + i : x0 + i + size] for i in range(frames)])


def real_size_clip(folder: Path) -> Path:
    """CLIPModel with CLIPConfig() defaults (ViT-B/32 text and vision towers), random weights."""
    import torch
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor, CLIPTokenizer

    torch.manual_seed(0)
    CLIPModel(CLIPConfig()).save_pretrained(folder)
    tokenizer = CLIPTokenizer.from_pretrained(save_clip_tokenizer(folder / "tokenizer"))
    CLIPProcessor(image_processor=CLIPImageProcessor(), tokenizer=tokenizer).save_pretrained(folder)
    return folder


def _rate(fn, frames: int) -> dict:
    """Frames per second of ``fn`` over ``frames`` frames: one warm-up call, one timed call."""
    seconds = median_ms(fn, torch.device("cpu"), warmup=1, repeat=1) / 1e3
    return {"seconds": seconds, "frames": frames, "fps": frames / seconds}


def bench_eval(image: Image.Image, frames: int = 32, num_frames: int = 16, face_model_root: str | None = None) -> dict:
    from omegaconf import OmegaConf

    video = panning_video(image, frames)
    _, sampled = sample_frames(video, num_frames)
    results = {}
    backends = {"dlib-cnn": {"backend": "dlib", "detector": "cnn"}, "dlib-hog": {"backend": "dlib", "detector": "hog"}}
    if face_model_root:
        backends["insightface"] = {"backend": "insightface", "model_root": face_model_root}
    crops = None
    for name, overrides in backends.items():
        analyzer = build_face_analyzer(OmegaConf.merge(OmegaConf.structured(FaceConfig), overrides))
        results[f"identity ({name})"] = _rate(lambda: analyzer.embed_faces(analyzer.largest_faces(sampled)), len(sampled))
        if crops is None:  # aligned face crops of the sampled frames, for the FID features
            crops = [analyzer.align(f, face, size=CROP_SIZE) for f, face in zip(sampled, analyzer.largest_faces(sampled)) if face is not None]
    with tempfile.TemporaryDirectory() as folder:
        scorer = CLIPScorer(str(real_size_clip(Path(folder) / "clip")))
        results["clip_score (ViT-B/32)"] = _rate(lambda: scorer(list(sampled), "A woman smiles and turns her head."), len(sampled))
        feature = FeatureModule(scorer.image_features, scorer.model.config.projection_dim)
        results["fid_framewise (CLIP)"] = _rate(lambda: framewise_feature_distance(crops[0], crops, feature), len(crops))
        results["fid set (CLIP)"] = _rate(lambda: fid(crops, crops[::-1], feature), 2 * len(crops))
    results["motion (Farneback, 256)"] = _rate(lambda: motion_metrics(video, 256), len(video))
    return {"video": {"frames": frames, "height": int(video.shape[1]), "width": int(video.shape[2]), "sampled": len(sampled)}, "metrics": results}
