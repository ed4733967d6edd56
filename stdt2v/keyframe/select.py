"""Best-of-N keyframe selection by identity similarity to the reference face."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np
from PIL import Image

from stdt2v.errors import NoFaceError
from stdt2v.face import Face, FaceAnalyzer


@dataclass
class Score:
    identity: float | None  # cosine similarity to the reference; None: no face
    face: Face | None = None
    reason: str | None = None


class IdentityScorer(Protocol):
    def __call__(self, image: Image.Image, reference: np.ndarray) -> Score: ...


class FaceScorer:
    """Scores an image by its largest face's similarity to the reference vector."""

    def __init__(self, analyzer: FaceAnalyzer):
        self.analyzer = analyzer

    def __call__(self, image: Image.Image, reference: np.ndarray) -> Score:
        try:
            face = self.analyzer.largest_face(image, what="keyframe candidate")
        except NoFaceError:
            return Score(None, None, "no face detected")
        vector = self.analyzer.embed(image, face)
        return Score(self.analyzer.similarity(reference, vector), face)


@dataclass
class Candidate:
    seed: int
    image: Image.Image
    score: Score

    def to_dict(self) -> dict:
        out: dict = {"seed": self.seed, "identity": None if self.score.identity is None else round(float(self.score.identity), 4)}
        if self.score.reason:
            out["reason"] = self.score.reason
        return out


def best_of_n(
    generate: Callable[[list[int]], list[Image.Image]],
    score: Callable[[Image.Image], Score],
    seeds: list[int],
    *,
    batch_size: int = 1,
    threshold: float | None = None,
) -> tuple[Candidate | None, list[Candidate]]:
    """Generate candidates batch by batch and score each; stop after the batch in which one
    reaches ``threshold``. Returns (the best scored candidate or None, all candidates made)."""
    candidates: list[Candidate] = []
    for start in range(0, len(seeds), max(1, batch_size)):
        batch = seeds[start : start + max(1, batch_size)]
        for seed, image in zip(batch, generate(batch)):
            candidates.append(Candidate(seed, image, score(image)))
        scored = [c.score.identity for c in candidates if c.score.identity is not None]
        if threshold is not None and scored and max(scored) >= threshold:
            break
    scored_candidates = [c for c in candidates if c.score.identity is not None]
    best = max(scored_candidates, key=lambda c: c.score.identity) if scored_candidates else None
    return best, candidates
