"""Evaluation: identity (face backend, ArcFace, CurricularFace), CLIPScore, FID, motion,
aesthetics, GmeScore and NaturalScore (OpenS2V-Eval's). The builder is ``stdt2v.eval.build``;
the metrics are imported when first used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.lazy import lazy_exports

if TYPE_CHECKING:
    from stdt2v.eval.build import build_evaluator, protocol_of
    from stdt2v.eval.protocol import EvalProtocol
    from stdt2v.eval.suite import Evaluator, evaluate_folder
    from stdt2v.face.curve import IdentityCurve

# Re-exported on first use: importing the package loads no backend.
_EXPORTS = {
    "EvalProtocol": "stdt2v.eval.protocol",
    "Evaluator": "stdt2v.eval.suite",
    "IdentityCurve": "stdt2v.face.curve",
    "build_evaluator": "stdt2v.eval.build",
    "evaluate_folder": "stdt2v.eval.suite",
    "protocol_of": "stdt2v.eval.build",
}

__all__ = ["EvalProtocol", "Evaluator", "IdentityCurve", "build_evaluator", "evaluate_folder", "protocol_of"]
__getattr__ = lazy_exports(__name__, _EXPORTS)
