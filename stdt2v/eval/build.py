"""``build_evaluator``: the ``eval`` and ``face`` sections → an ``Evaluator`` (identity, CLIPScore,
FID, motion, aesthetics, GmeScore, NaturalScore), and the resolved evaluation protocol."""

from __future__ import annotations

import dataclasses
from typing import Any

from stdt2v.config.eval_schema import EvalConfig
from stdt2v.config.load import as_schema
from stdt2v.config.schema import FaceBackend, FaceConfig, InsightFacePack
from stdt2v.eval.aesthetic import AestheticScorer
from stdt2v.eval.clip_score import CLIPScorer
from stdt2v.eval.fid import build_feature
from stdt2v.eval.gme import GmeScorer
from stdt2v.eval.identity import CurricularFace
from stdt2v.eval.natural import NaturalScorer, read_instructions
from stdt2v.eval.protocol import EvalProtocol, resolve_protocol
from stdt2v.eval.suite import Evaluator
from stdt2v.face import build_face_analyzer
from stdt2v.face.insightface_backend import arcface_pack_for
from stdt2v.loading import resolve_model_source


def protocol_of(eval_cfg: EvalConfig) -> tuple[EvalProtocol, dict[str, Any]]:
    """The resolved protocol of an ``eval`` config section, and how it is reported in summary.json."""
    eval_cfg = as_schema(eval_cfg)
    protocol, overridden = resolve_protocol(eval_cfg.protocol.value, dataclasses.asdict(eval_cfg.conventions))
    return protocol, {"name": protocol.name, "conventions": protocol.to_dict(), "explicit": overridden}


def build_evaluator(
    eval_cfg: EvalConfig, face_cfg: FaceConfig, *, cache_dir: str = ".", allow_pickle: bool = False, device: str = "cpu", natural_chat: Any = None
) -> Evaluator:
    """``eval_cfg`` / ``face_cfg``: the config's ``eval`` and ``face`` sections (validated when loaded).
    ``natural_chat``: an OpenAI-compatible client for NaturalScore (``stdt2v.prompts.chat.OpenAIChat``)."""
    e, face_cfg = as_schema(eval_cfg), as_schema(face_cfg)
    protocol, _ = protocol_of(e)
    analyzer = build_face_analyzer(face_cfg, device=device)
    # The ArcFace analyzer: FaceSim-Arc, and under `crops_from: arcface` the faces that the Cur
    # and FID crops are cut from.
    needs_arcface = e.arcface or (protocol.crops_from == "arcface" and (e.curricularface or e.fid))
    arcface = None
    if needs_arcface:
        pack = arcface_pack_for(face_cfg.model_root, protocol.arcface_pack or face_cfg.model_pack.value, fallback=face_cfg.model_pack.value)
        settings: dict[str, Any] = {"backend": FaceBackend.insightface, "model_pack": InsightFacePack(pack)}
        if protocol.detect_size is not None:
            settings["detect_size"] = protocol.detect_size
        same = face_cfg.backend == FaceBackend.insightface and all(getattr(face_cfg, k) == v for k, v in settings.items() if k != "backend")
        same = same and protocol.warp == analyzer.warp
        arcface = analyzer if same else build_face_analyzer(dataclasses.replace(face_cfg, **settings), device=device, warp=protocol.warp)
    clip_scorer = None
    if e.clip_model:
        source = resolve_model_source(e.clip_model, cache_dir, key="eval.clip_model", marker="config.json")
        clip_scorer = CLIPScorer(source, device=device, allow_pickle=allow_pickle)
    fid_feature = None
    if e.fid:
        fid_feature = build_feature(
            e.fid_feature.value,
            clip_scorer=clip_scorer,
            inception=protocol.inception,
            inception_weights=e.fid_inception_weights,
            allow_pickle=allow_pickle,
            device=device,
        )
    aesthetic = None
    if e.aesthetic_clip:
        source = resolve_model_source(e.aesthetic_clip, cache_dir, key="eval.aesthetic_clip", marker="config.json")
        aesthetic = AestheticScorer(source, e.aesthetic_model, device=device, allow_pickle=allow_pickle)
    gme = None
    if e.gme_model:
        gme = GmeScorer(resolve_model_source(e.gme_model, cache_dir, key="eval.gme_model", marker="config.json"), device=device, allow_pickle=allow_pickle)
    natural = None
    if natural_chat is not None:
        o = e.opens2v
        natural = NaturalScorer(natural_chat, read_instructions(o.natural_prompt_file), runs=o.natural_runs, seed=o.natural_seed)
    return Evaluator(
        analyzer,
        protocol=protocol,
        num_frames=e.num_frames,
        arcface=arcface,
        report_arcface=e.arcface,
        curricularface=CurricularFace(e.curricularface, device=device) if e.curricularface else None,
        clip_scorer=clip_scorer,
        fid_feature=fid_feature,
        flow_size=e.flow_size,
        dynamic_threshold=e.dynamic_threshold,
        cache_dir=cache_dir if face_cfg.cache_references else None,
        aesthetic=aesthetic,
        gme=gme,
        natural=natural,
    )
