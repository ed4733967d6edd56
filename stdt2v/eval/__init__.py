"""Evaluation: identity (face backend, ArcFace, CurricularFace), CLIPScore, FID, motion."""

from stdt2v.eval.identity import IdentityCurve
from stdt2v.eval.suite import Evaluator, evaluate_folder

__all__ = ["Evaluator", "IdentityCurve", "build_evaluator", "evaluate_folder"]


def build_evaluator(cfg, *, device: str = "cpu") -> Evaluator:
    """``cfg``: the whole config (its ``face``, ``eval``, ``cache_dir`` sections)."""
    from stdt2v.config.schema import FaceBackend
    from stdt2v.errors import ConfigError
    from stdt2v.eval.clip_score import CLIPScorer
    from stdt2v.eval.fid import build_feature
    from stdt2v.eval.identity import CurricularFace
    from stdt2v.face import build_face_analyzer
    from stdt2v.loading import resolve_model_source

    e = cfg.eval
    if e.num_frames < 1:
        raise ConfigError("eval.num_frames: must be at least 1")
    analyzer = build_face_analyzer(cfg.face, device=device)
    arcface = None
    if e.arcface:
        from omegaconf import OmegaConf

        arcface = analyzer if cfg.face.backend == FaceBackend.insightface else build_face_analyzer(
            OmegaConf.merge(cfg.face, {"backend": FaceBackend.insightface.value}), device=device
        )
    clip_scorer = None
    if e.clip_model:
        source = resolve_model_source(e.clip_model, cfg.cache_dir, key="eval.clip_model", marker="config.json")
        clip_scorer = CLIPScorer(source, device=device, allow_pickle=cfg.allow_pickle_weights)
    fid_feature = None
    if e.fid:
        fid_feature = build_feature(
            e.fid_feature.value, clip_scorer=clip_scorer, inception_weights=e.fid_inception_weights, allow_pickle=cfg.allow_pickle_weights
        )
    return Evaluator(
        analyzer,
        num_frames=e.num_frames,
        arcface=arcface,
        curricularface=CurricularFace(e.curricularface, device=device) if e.curricularface else None,
        clip_scorer=clip_scorer,
        fid_feature=fid_feature,
        flow_size=e.flow_size,
        dynamic_threshold=e.dynamic_threshold,
        cache_dir=cfg.cache_dir if cfg.face.cache_references else None,
    )
