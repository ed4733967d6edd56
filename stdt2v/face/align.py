"""5-point face alignment to the ArcFace template (as insightface's ``norm_crop``)."""

from __future__ import annotations

import numpy as np

# Where the eyes, nose tip and mouth corners of a 112×112 ArcFace crop lie, in the order
# (left eye, right eye, nose, left mouth corner, right mouth corner), "left" = image left.
ARCFACE_TEMPLATE = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]],
    dtype=np.float32,
)


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares similarity (rotation, uniform scale, shift) mapping src → dst (Umeyama, 1991),
    estimated in float64; returns the 2×3 float32 matrix for ``cv2.warpAffine``."""
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    src_mean, dst_mean = src.mean(0), dst.mean(0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    cov = dst_c.T @ src_c / len(src)
    u, s, vt = np.linalg.svd(cov)
    d = np.ones(2)
    if np.linalg.det(cov) < 0:
        d[1] = -1
    rotation = u @ np.diag(d) @ vt
    scale = (s * d).sum() / src_c.var(0).sum()
    matrix = np.zeros((2, 3))
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = dst_mean - scale * rotation @ src_mean
    return matrix.astype(np.float32)


def norm_crop_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The matrix insightface's ``norm_crop`` warps with, bit for bit: scikit-image's
    ``SimilarityTransform.estimate`` — Umeyama in the points' own precision (float32 landmarks
    and template), in its order of operations — kept as a float64 matrix."""
    src, dst = np.asarray(src), np.asarray(dst)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    cov = dst_c.T @ src_c / src.shape[0]
    d = np.ones((2,), dtype=np.float64)
    if np.linalg.det(cov) < 0:
        d[1] = -1
    u, s, vt = np.linalg.svd(cov)
    matrix = np.eye(3, dtype=np.float64)
    matrix[:2, :2] = u @ np.diag(d) @ vt
    scale = 1.0 / src_c.var(axis=0).sum() * (s @ d)
    matrix[:2, 2] = dst_mean - scale * (matrix[:2, :2] @ src_mean.T)
    matrix[:2, :2] *= scale
    return matrix[:2]


WARPS = {"float32": similarity_transform, "norm_crop": norm_crop_transform}


def template_for(size: int) -> np.ndarray:
    """The ArcFace template scaled to a ``size``×``size`` crop (112 → as published)."""
    return ARCFACE_TEMPLATE * (size / 112.0)


def align_face(rgb: np.ndarray, landmarks: np.ndarray, size: int = 112, warp: str = "float32") -> np.ndarray:
    """Warp ``rgb`` so the 5 landmarks land on the ArcFace template; returns [size, size, 3].
    ``warp``: "float32" (the estimate rounded to a float32 matrix) or "norm_crop" (insightface's
    ``norm_crop``, bit for bit; 1 grey level apart on a few pixels)."""
    import cv2

    matrix = WARPS[warp](np.asarray(landmarks, np.float32)[:5], template_for(size))
    return cv2.warpAffine(rgb, matrix, (size, size), borderValue=0.0)
