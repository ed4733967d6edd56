"""Identity over time: the similarity of each sampled frame's face to the reference face.
The inference pipeline's report, the identity guard and ``stdt2v evaluate`` all use it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stdt2v.face.base import cosine


@dataclass
class IdentityCurve:
    """Similarity per sampled frame (None: no face in that frame)."""

    per_frame: list[float | None]

    @property
    def found(self) -> list[float]:
        return [s for s in self.per_frame if s is not None]

    @property
    def mean(self) -> float | None:
        return float(np.mean(self.found)) if self.found else None

    @property
    def min(self) -> float | None:
        return float(np.min(self.found)) if self.found else None

    @property
    def guard_min(self) -> float:
        """The minimum with a face-less frame counting as 0 (identity lost)."""
        return float(min((0.0 if s is None else s) for s in self.per_frame)) if self.per_frame else 0.0

    @property
    def drop(self) -> float | None:
        """First minus last similarity among frames with a face (positive: identity fades)."""
        return float(self.found[0] - self.found[-1]) if len(self.found) >= 2 else None

    @property
    def no_face_ratio(self) -> float:
        return 1.0 - len(self.found) / len(self.per_frame) if self.per_frame else 1.0


def curve_from_vectors(reference: np.ndarray, vectors: list[np.ndarray | None], clamp: bool = False) -> IdentityCurve:
    """Cosine similarity per frame; ``clamp`` floors at 0, as ConsisID's FaceSim does."""
    scores = []
    for v in vectors:
        if v is None:
            scores.append(None)
            continue
        s = cosine(reference, v)
        scores.append(max(0.0, s) if clamp else s)
    return IdentityCurve(scores)
