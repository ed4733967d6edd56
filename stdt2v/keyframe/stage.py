"""The keyframe stage: N identity-conditioned candidates → the best by identity → refined face."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from stdt2v.config.schema import RefineConfig
from stdt2v.errors import NoFaceError
from stdt2v.keyframe.base import KeyframeGenerator
from stdt2v.keyframe.identity import Identity
from stdt2v.keyframe.refine import refine_face
from stdt2v.keyframe.select import Candidate, IdentityScorer, Score, best_of_n
from stdt2v.seeds import derive_seed


@dataclass
class KeyframeResult:
    image: Image.Image
    candidates: list[Candidate]
    chosen: int  # index into candidates
    refine: dict = field(default_factory=dict)

    @property
    def identity(self) -> float | None:
        """Identity similarity of the final image, as the stage already measured it."""
        if self.refine.get("applied"):
            return self.refine["identity_after"]
        return self.candidates[self.chosen].score.identity

    def report(self) -> dict:
        return {"candidates": [c.to_dict() for c in self.candidates], "chosen": self.chosen, "refine": self.refine}


class KeyframeStage:
    def __init__(
        self,
        generator: KeyframeGenerator,
        scorer: IdentityScorer,
        *,
        num_candidates: int = 3,
        identity_threshold: float | None = 0.5,
        batch_size: int = 1,
        require_face: bool = True,
        refine: RefineConfig | None = None,
    ):
        self.generator = generator
        self.scorer = scorer
        self.num_candidates = num_candidates
        self.identity_threshold = identity_threshold
        self.batch_size = batch_size
        self.require_face = require_face
        self.refine_settings = refine

    @staticmethod
    def candidate_seeds(seed: int, n: int) -> list[int]:
        return [derive_seed(seed, i) for i in range(n)]

    def __call__(
        self,
        prompt: str,
        reference: np.ndarray,
        identity: Identity | None,
        *,
        height: int,
        width: int,
        seed: int,
        num_candidates: int | None = None,
        identity_threshold: float | None = None,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
        identity_scale: float | None = None,
        reference_image: Image.Image | None = None,
    ) -> KeyframeResult:
        """Best of ``num_candidates`` by identity, then the face refined; None settings: the configured ones.
        ``reference_image``: embedded by a scorer with a pack of its own (``keyframe.score_pack``)."""
        sampling = {"num_inference_steps": num_inference_steps, "guidance_scale": guidance_scale}
        if reference is None:  # no reference face (a sample of objects alone): one plain candidate, nothing to score
            with self.generator.scaled_identity(identity_scale):
                image = self.generator.generate(prompt, height=height, width=width, seeds=[seed], identity=None, **sampling)[0]
            return KeyframeResult(image, [Candidate(seed, image, Score(None, None, "no reference face"))], 0, {"applied": False, "reason": "no reference face"})
        reference = self.scorer.reference(reference, reference_image)
        sampling = {"num_inference_steps": num_inference_steps, "guidance_scale": guidance_scale}
        seeds = self.candidate_seeds(seed, num_candidates or self.num_candidates)
        with self.generator.scaled_identity(identity_scale):
            best, candidates = best_of_n(
                lambda batch: self.generator.generate(prompt, height=height, width=width, seeds=batch, identity=identity, **sampling),
                lambda image: self.scorer(image, reference),
                seeds,
                batch_size=self.batch_size,
                threshold=self.identity_threshold if identity_threshold is None else identity_threshold,
            )
            if best is None:
                reason = f"no face detected in any of the {len(candidates)} keyframe candidates (seeds {', '.join(map(str, seeds[: len(candidates)]))})"
                if self.require_face:
                    raise NoFaceError(f"keyframe: {reason}; try other seeds or a prompt that frames the face")
                return KeyframeResult(candidates[0].image, candidates, 0, {"applied": False, "reason": reason})
            chosen = candidates.index(best)
            image, refine_report = self.refine(best, prompt, reference, identity, **sampling)
        return KeyframeResult(image, candidates, chosen, refine_report)

    def refine(self, best: Candidate, prompt: str, reference: np.ndarray, identity: Identity | None, **sampling: Any) -> tuple[Image.Image, dict[str, Any]]:
        if self.refine_settings is None:
            return best.image, {"applied": False, "reason": "disabled"}
        settings = self.refine_settings
        refined, box = refine_face(
            best.image,
            best.score.face.bbox,
            lambda crop: self.generator.refine(crop, prompt, seed=best.seed, strength=settings.strength, identity=identity, **sampling),
            settings,
            size_multiple=self.generator.size_multiple,
        )
        after: Score = self.scorer(refined, reference)
        report = {
            "box": list(box),
            "identity_before": round(float(best.score.identity), 4),
            "identity_after": None if after.identity is None else round(float(after.identity), 4),
        }
        # Keep the refined face only if identity did not drop (no face = dropped).
        if after.identity is not None and after.identity >= best.score.identity:
            return refined, {"applied": True, **report}
        return best.image, {"applied": False, "reason": "identity similarity dropped", **report}
