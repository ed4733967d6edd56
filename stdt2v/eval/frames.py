"""Which frames a metric reads, and how they are read.

Samplers (``n`` indices out of ``n_total`` frames):

* ``even``: evenly spaced, first and last included, each frame at most once (short videos
  give every frame) — this project's own evaluation.
* ``linspace``: ``np.linspace(0, n_total - 1, n, dtype=int)`` — ConsisID's FaceSim and FID
  frames (duplicates kept when the video is shorter than ``n``).
* ``stride``: ``int(i · n_total / n)`` for i = 0..n−1 — ConsisID's CLIPScore frames.
* ``interval``: ``i · max(n_total // n, 1)`` for i = 0..n−1 — OpenS2V's NaturalScore frames
  (past the end on short videos: those reads fail and are skipped, as there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from stdt2v.errors import InputError
from stdt2v.io import evenly_spaced, first_line, read_video


def linspace_indices(n_total: int, n: int) -> list[int]:
    return np.linspace(0, n_total - 1, n, dtype=int).tolist() if n_total > 0 else []


def stride_indices(n_total: int, n: int) -> list[int]:
    return [int(i * n_total / n) for i in range(n)] if n_total > 0 else []


def interval_indices(n_total: int, n: int) -> list[int]:
    return [i * max(n_total // n, 1) for i in range(n)]  # no count (0): 0..n-1, as the script


SAMPLERS: dict[str, Callable[[int, int], list[int]]] = {
    "even": evenly_spaced,  # the project's own sampling, one definition (stdt2v.io)
    "linspace": linspace_indices,
    "stride": stride_indices,
    "interval": interval_indices,
}


def sample_frames(frames: np.ndarray, n: int) -> tuple[list[int], np.ndarray]:
    indices = evenly_spaced(len(frames), n)
    return indices, frames[indices]


class VideoFrames:
    """A video's frames as a metric asks for them: ``pick(indices)`` → (indices read, frames).

    ``reader="decode"`` decodes every frame once (imageio-ffmpeg) and indexes them;
    ``reader="seek"`` reads each index with OpenCV's ``VideoCapture`` (seek, then read) and
    counts frames with ``CAP_PROP_FRAME_COUNT``, skipping frames that cannot be read — what
    ConsisID's evaluation does; ``reader="decord"`` reads each index with decord's
    ``VideoReader`` (N = its length) — what OpenS2V-Eval does. An array of frames is indexed
    directly. Frames are RGB.
    """

    def __init__(self, source: str | Path | np.ndarray, reader: str = "decode"):
        self.reader = reader
        self._frames: np.ndarray | None = None
        self.path: Path | None = None
        self._decord = False  # read with decord
        if isinstance(source, np.ndarray):
            self._frames = source
        elif reader == "decode":
            self._frames = read_video(source)
        else:
            self.path = Path(source)
        if self._frames is not None:
            self.count = len(self._frames)
        elif reader == "decord":
            self._decord = True
            self.count = len(_decord_reader(self.path))
        else:
            self.count = self._opencv_count()

    def _opencv_count(self) -> int:
        import cv2

        capture = cv2.VideoCapture(str(self.path))
        try:
            if not capture.isOpened():
                raise InputError(f"{self.path}: OpenCV cannot open this video; re-encode it as H.264 mp4")
            return int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        finally:
            capture.release()

    def sample(self, sampler: str, n: int) -> tuple[list[int], list[np.ndarray]]:
        return self.pick(SAMPLERS[sampler](self.count, n))

    def pick(self, indices: list[int]) -> tuple[list[int], list[np.ndarray]]:
        if self._frames is not None:
            return list(indices), [self._frames[i] for i in indices]
        if self._decord:
            # A fresh reader per pass, as each OpenS2V script opens its own: decord's index →
            # frame mapping is its own (on some x264 files index i gives a neighbour of frame i),
            # and the scripts' numbers are what it returns.
            reader = _decord_reader(self.path)
            return [int(i) for i in indices], [reader[int(i)].asnumpy() for i in indices]
        import cv2

        capture = cv2.VideoCapture(str(self.path))
        read, frames = [], []
        try:
            for index in indices:
                capture.set(cv2.CAP_PROP_POS_FRAMES, index)
                ok, bgr = capture.read()
                if ok:
                    read.append(int(index))
                    frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        finally:
            capture.release()
        return read, frames

    def all(self) -> np.ndarray:
        """Every frame (the motion metrics read consecutive pairs)."""
        if self._frames is None and self._decord:
            self._frames = np.stack(self.pick(range(self.count))[1])
        elif self._frames is None:
            self._frames = read_video(self.path)
        return self._frames


def _decord_reader(path: Path):
    try:
        import decord
    except ImportError:
        raise InputError("eval.protocol=opens2v reads frames with decord: pip install 'stdt2v[opens2v]'") from None
    try:
        return decord.VideoReader(str(path))
    except (RuntimeError, decord.DECORDError) as err:
        raise InputError(f"{path}: decord cannot open this video ({first_line(err)}); re-encode it as H.264 mp4") from None
