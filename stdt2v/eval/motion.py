"""Motion metrics from dense optical flow (OpenCV Farneback), on consecutive frames.

* ``dynamic_degree``: share of frame pairs whose motion (the mean of the top 5 % flow
  magnitudes, in pixels at ``flow_size``) exceeds ``threshold`` — VBench's notion, with
  Farneback in place of RAFT and a share rather than a yes/no per video.
* ``motion_magnitude``: mean of that per-pair motion.
* ``motion_smoothness``: 1 / (1 + mean ‖flowₜ₊₁ − flowₜ‖ / mean ‖flowₜ‖): 1 for constant motion,
  falling with jerky changes of velocity (1 for a still video).
* ``flicker``: motion-compensated change: frame t+1 warped back onto frame t along the flow,
  mean absolute difference in [0, 1] (0: every change is explained by motion).
* ``motion_amplitude``: OpenS2V-Eval's ``get_motionscore.py``: Farneback flow between
  consecutive full-size frames, each map resized to width 16 (``INTER_AREA``), the maps
  averaged, then |mean| of that average over x and y together — a mean of SIGNED flow, so
  motion in opposite directions cancels; it is not a magnitude.
"""

from __future__ import annotations

import cv2
import numpy as np


def _gray(frame: np.ndarray, size: int) -> np.ndarray:
    h, w = frame.shape[:2]
    scale = size / min(h, w)
    resized = cv2.resize(frame, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(resized, cv2.COLOR_RGB2GRAY)


def farneback(prev: np.ndarray, nxt: np.ndarray) -> np.ndarray:
    """Flow [H, W, 2] from grayscale ``prev`` to ``nxt`` (OpenCV's standard parameters)."""
    return cv2.calcOpticalFlowFarneback(prev, nxt, None, 0.5, 3, 15, 3, 5, 1.2, 0)


def warp_back(nxt: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """``nxt`` sampled at p + flow(p): where each pixel of the previous frame went."""
    h, w = flow.shape[:2]
    grid = np.stack(np.meshgrid(np.arange(w), np.arange(h)), axis=-1).astype(np.float32)
    coords = grid + flow
    return cv2.remap(nxt, coords[..., 0], coords[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def motion_metrics(frames: np.ndarray, flow_size: int = 256, threshold: float = 1.0) -> dict:
    if len(frames) < 2:
        return {"dynamic_degree": None, "motion_magnitude": None, "motion_smoothness": None, "flicker": None}
    gray = [_gray(f, flow_size) for f in frames]
    flows = [farneback(a, b) for a, b in zip(gray[:-1], gray[1:])]
    motion = []
    for flow in flows:
        magnitude = np.linalg.norm(flow, axis=-1).ravel()
        top = np.sort(magnitude)[-max(1, magnitude.size // 20) :]
        motion.append(float(top.mean()))
    speed = np.mean([np.linalg.norm(f, axis=-1).mean() for f in flows])
    accel = np.mean([np.linalg.norm(b - a, axis=-1).mean() for a, b in zip(flows[:-1], flows[1:])]) if len(flows) > 1 else 0.0
    flicker = np.mean([np.abs(warp_back(b, f).astype(np.float32) - a.astype(np.float32)).mean() / 255.0 for a, b, f in zip(gray[:-1], gray[1:], flows)])
    return {
        "dynamic_degree": float(np.mean([m > threshold for m in motion])),
        "motion_magnitude": float(np.mean(motion)),
        "motion_smoothness": float(1.0 / (1.0 + accel / speed)) if speed > 1e-6 else 1.0,
        "flicker": float(flicker),
    }


def motion_amplitude(frames: np.ndarray) -> float | None:
    """OpenS2V's MotionAmplitude of RGB ``frames`` (every frame of the video), step by step as
    its script: frames converted with ``COLOR_BGR2GRAY`` although they are RGB (the script
    hands decord's RGB frames to it), float32 means in numpy's order."""
    if len(frames) < 2:
        return None
    maps = []
    previous = cv2.cvtColor(np.asarray(frames[0]), cv2.COLOR_BGR2GRAY)
    for frame in frames[1:]:
        gray = cv2.cvtColor(np.asarray(frame), cv2.COLOR_BGR2GRAY)
        flow = farneback(previous, gray)
        # Resized at once (the script keeps every full-size map first): same numbers, less memory.
        maps.append(cv2.resize(flow, (16, int(flow.shape[0] * (16 / flow.shape[1]))), interpolation=cv2.INTER_AREA))
        previous = gray
    return abs(float(np.mean(np.mean(np.array(maps), axis=0))))
