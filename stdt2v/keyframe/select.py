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

    def reference(self, vector: np.ndarray, image: Image.Image | None) -> np.ndarray:
        """The vector candidates are compared with (a scorer may embed ``image`` itself)."""
        ...


class FaceScorer:
    """Scores an image by its face's similarity to the reference vector.

    By default the pipeline's own analyzer scores the largest face against the reference vector
    the pipeline computed. With ``own_reference`` (a scoring pack of its own, as IPVG scored with
    buffalo_l while HyperLoRA read antelopev2), the reference image is embedded by this analyzer
    too, so both vectors come from one model. ``detect_size``: the detector's input size (IPVG:
    224); ``first_face``: the first face the detector returns instead of the largest (IPVG)."""

    def __init__(self, analyzer: FaceAnalyzer, *, detect_size: int | None = None, first_face: bool = False, own_reference: bool = False, pack: str = ""):
        self.analyzer = analyzer
        self.detect_size, self.first_face, self.own_reference, self.pack = detect_size, first_face, own_reference, pack

    def face(self, image: Image.Image | np.ndarray, what: str) -> Face:
        if not self.first_face and self.detect_size is None:
            return self.analyzer.largest_face(image, what=what)
        faces = self.analyzer.detect_in_order(image, self.detect_size)
        if not self.first_face:
            faces = sorted(faces, key=lambda f: f.area, reverse=True)
        if not faces:
            raise NoFaceError(f"{what}: no face found; pass an image where the face is clearly visible")
        return faces[0]

    def reference(self, vector: np.ndarray, image: Image.Image | None) -> np.ndarray:
        """The vector candidates are compared with: the pipeline's, or this analyzer's own of ``image``."""
        if not self.own_reference or image is None:
            return vector
        return self.analyzer.embed(self.face(image, "id image (keyframe scoring)"))

    def __call__(self, image: Image.Image, reference: np.ndarray) -> Score:
        try:
            face = self.face(image, "keyframe candidate")
        except NoFaceError:
            return Score(None, None, "no face detected")
        vector = self.analyzer.embed(image, face)
        return Score(self.analyzer.similarity(reference, vector), face)

    def describe(self) -> dict:
        return {
            "analyzer": self.analyzer.name + (f" {self.pack}" if self.pack else ""),
            "detect_size": self.detect_size,
            "face": "first" if self.first_face else "largest",
            "reference": "its own embedding of the id image" if self.own_reference else "the pipeline's reference vector",
        }


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
