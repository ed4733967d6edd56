"""Evaluation: identity (face backend, ArcFace, CurricularFace), CLIPScore, FID, motion,
aesthetics, GmeScore and NaturalScore (OpenS2V-Eval's). The builder is ``stdt2v.eval.build``."""

from stdt2v.eval.build import build_evaluator, protocol_of
from stdt2v.eval.protocol import EvalProtocol
from stdt2v.eval.suite import Evaluator, evaluate_folder
from stdt2v.face.curve import IdentityCurve

__all__ = ["EvalProtocol", "Evaluator", "IdentityCurve", "build_evaluator", "evaluate_folder", "protocol_of"]
