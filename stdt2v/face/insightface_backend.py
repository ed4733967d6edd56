"""insightface backend: SCRFD detection, gender-age, ArcFace recognition (ONNX Runtime).

The field's standard (used by the authors and by ConsisID's evaluation). Model packs are read
from a local folder, ``{model_root}/models/{pack}/``; nothing is downloaded at run time.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from stdt2v.errors import ConfigError, StdT2VError
from stdt2v.face.align import align_face
from stdt2v.face.base import Face, FaceAnalyzer

logger = logging.getLogger(__name__)

# The files of each pack this backend reads (detection, recognition, gender-age).
PACK_FILES = {
    "antelopev2": ("scrfd_10g_bnkps.onnx", "glintr100.onnx", "genderage.onnx"),
    "buffalo_l": ("det_10g.onnx", "w600k_r50.onnx", "genderage.onnx"),
}
MODULES = ["detection", "recognition", "genderage", "landmark_2d_106"]
REQUIRED_MODULES = ["detection", "recognition"]  # gender-age only feeds the subject phrase


def find_pack(model_root: str | Path, pack: str) -> Path:
    """The folder holding ``pack``'s ONNX files, or a ConfigError saying what to put where.

    A folder with the pack's file names is taken first; failing that, a folder named after the
    pack holding other ONNX files (insightface routes each file by its graph, not its name).
    """
    root = Path(model_root).expanduser()
    wanted = PACK_FILES[pack]
    # insightface's layout, then a bare folder, then the nesting antelopev2.zip unpacks to.
    candidates = (root / "models" / pack, root / pack, root / "models" / pack / pack)
    for folder in candidates:
        if all((folder / name).is_file() for name in wanted):
            return folder
    for folder in candidates:
        if len(list(folder.glob("*.onnx"))) >= 2:
            return folder
    raise ConfigError(
        f"face.model_root: insightface model pack '{pack}' not found: put {', '.join(wanted)} "
        f"(from insightface's {pack}.zip model release) in {root / 'models' / pack}/, "
        f"or set face.model_root=DIR where DIR/models/{pack}/ holds them"
    )


def arcface_pack_for(model_root: str | Path, pack: str, fallback: str) -> str:
    """``pack`` when ``model_root`` holds it, else ``fallback`` with a warning (the evaluation
    summary records the pack used)."""
    if pack == fallback:
        return pack
    try:
        find_pack(model_root, pack)
        return pack
    except ConfigError:
        logger.warning("eval: insightface pack '%s' not found under %s; ArcFace uses '%s' instead", pack, model_root, fallback)
        return fallback


def providers_for(device: str) -> list[str]:
    import onnxruntime

    available = onnxruntime.get_available_providers()
    if device.startswith("cuda") and "CUDAExecutionProvider" in available:
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    if device.startswith("cuda"):
        logger.warning("face: onnxruntime has no CUDA provider here (install onnxruntime-gpu); using the CPU")
    return ["CPUExecutionProvider"]


def _file_fingerprint(path: Path) -> str:
    """Size and the first and last MiB: cheap, and tells model files apart."""
    import hashlib

    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(2**20))
        handle.seek(max(0, size - 2**20))
        digest.update(handle.read())
    return digest.hexdigest()[:12]


class InsightFaceAnalyzer(FaceAnalyzer):
    name = "insightface"

    def __init__(self, model_root: str, pack: str = "antelopev2", device: str = "cpu", det_thresh: float = 0.5, **kwargs: Any):
        super().__init__(**kwargs)
        folder = find_pack(model_root, pack)
        try:
            from insightface.app import FaceAnalysis
            from insightface.app.common import Face as InsightFace
        except ImportError:
            raise StdT2VError("face backend 'insightface' needs insightface: pip install 'stdt2v[insightface]'") from None
        providers = providers_for(device)
        app = FaceAnalysis(name=str(folder), allowed_modules=MODULES, providers=providers)
        missing = [m for m in REQUIRED_MODULES if m not in app.models]
        if missing:
            raise ConfigError(f"face.model_root: {folder} has no {', '.join(missing)} model insightface recognises")
        ctx_id = 0 if providers[0] == "CUDAExecutionProvider" else -1
        app.prepare(ctx_id=ctx_id, det_thresh=det_thresh, det_size=(self.detect_size, self.detect_size))
        self.pack = pack
        self._detector = app.det_model
        self._recognizer = app.models["recognition"]
        self.cache_key = f"insightface-{pack}-{_file_fingerprint(Path(self._recognizer.model_file))}"
        self._genderage = app.models.get("genderage")
        self._landmarks_106 = app.models.get("landmark_2d_106")  # in the antelopev2 and buffalo_l packs
        self._InsightFace = InsightFace

    def _detect_raw(self, rgb):
        return self._detect_raw_at(rgb, None)

    def _detect_raw_at(self, rgb, input_size):
        bgr = np.ascontiguousarray(rgb[..., ::-1])  # insightface reads OpenCV's BGR
        size = None if input_size is None else (input_size, input_size)  # None: the size it was prepared with
        boxes, keypoints = self._detector.detect(bgr, input_size=size, max_num=0, metric="default")
        faces = []
        for box, kps in zip(boxes, keypoints if keypoints is not None else [None] * len(boxes)):
            face = self._InsightFace(bbox=box[:4], kps=kps, det_score=box[4])
            if self._genderage is None:
                faces.append((tuple(box[:4]), float(box[4]), kps, "unknown", None))
                continue
            gender, age = self._genderage.get(bgr, face)
            faces.append((tuple(box[:4]), float(box[4]), kps, "male" if gender == 1 else "female", float(age)))
        return faces

    def _recognition_crop(self, rgb, face):
        return align_face(rgb, face.landmarks, self._recognizer.input_size[0], warp=self.warp)

    def dense_landmarks(self, rgb: np.ndarray, face: Face) -> np.ndarray | None:
        """The pack's 106-point landmarks, or None when the pack has no 2d106 model."""
        if self._landmarks_106 is None:
            return None
        bgr = np.ascontiguousarray(rgb[..., ::-1])
        found = self._InsightFace(bbox=np.asarray(face.bbox, np.float32), kps=face.landmarks, det_score=face.score)
        return np.asarray(self._landmarks_106.get(bgr, found), np.float32)

    def _embed_crops(self, crops):
        return self._recognizer.get_feat([np.ascontiguousarray(c[..., ::-1]) for c in crops])
