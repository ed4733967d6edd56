"""The verbs that run the pipeline or a stage of it: ``generate``, ``decouple``, ``faces``.

Torch-free modules are imported here at the top; what needs torch (the pipeline) is imported
inside the verb, after its inputs are checked and the libraries are quieted."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from omegaconf import DictConfig

from stdt2v.cli import command as cli
from stdt2v.config import load_config
from stdt2v.config.schema import AnimateBackend, SubjectFrom, TimelineMode
from stdt2v.errors import ConfigError, InputError, NoFaceError
from stdt2v.face import ReferenceCache, build_face_analyzer
from stdt2v.face.report import describe_faces
from stdt2v.io import MIN_IMAGE_SIDE, load_image, prepare_output
from stdt2v.loading import resolve_device
from stdt2v.lock import output_lock
from stdt2v.prompts import build_decoupler, build_face_describer, normalize_prompt, subject_phrase
from stdt2v.prompts.folder import decouple_folder
from stdt2v.prompts.timeline import decouple_timeline
from stdt2v.sources import resolve_sources
from stdt2v.timeline import TimelineRequest, fit_to_clip, parse_timeline

logger = logging.getLogger("stdt2v")


def cmd_generate(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, args.overrides)  # validated: nothing below loads on a bad config
    prompt = normalize_prompt(args.prompt)
    timeline = check_timeline(cfg, args.timeline) if args.timeline is not None else None
    id_image = load_image(args.id_image, what="--id-image", min_side=MIN_IMAGE_SIDE)
    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output, wait=args.wait))

    cli._quiet_libraries()
    from stdt2v.outputs import save_output, save_run_info
    from stdt2v.pipeline import IPT2VPipeline

    # The face first: a face-less id image fails in seconds, before the big models load.
    face_analyzer = build_face_analyzer(cfg.face, device=str(resolve_device(cfg.device)))
    faces = face_analyzer.detect_reference(id_image)
    if not faces:
        raise NoFaceError("--id-image: no face found; pass an image where the face is clearly visible")
    if len(faces) > 1:
        logger.warning("--id-image: %d faces found; using the largest (box %s)", len(faces), [round(v) for v in faces[0].bbox])
    if (output / "video.mp4").exists():
        # The video marks a finished folder: remove it before this run's config.yaml/env.json
        # replace the old ones, so an interrupted rerun leaves a folder that is visibly unfinished.
        logger.warning("--output: %s holds an earlier run; its video.mp4 is removed now and this run's written last", output)
        (output / "video.mp4").unlink()
    save_run_info(output, cfg, IPT2VPipeline.seeds(cfg.seed))
    pipe = IPT2VPipeline.from_config(cfg, face_analyzer=face_analyzer)
    result = pipe(prompt=prompt, id_image=id_image, seed=cfg.seed, timeline=timeline)
    save_output(result, output)
    stages = ", ".join(f"{k} {v.seconds:.1f}s" for k, v in result.report.stages.items())
    logger.info("stages: %s", stages)
    logger.info("identity: %s", json.dumps(result.report.identity.to_dict()["keyframe"]))
    print(output / "video.mp4")
    return 0


def check_timeline(cfg: DictConfig, text: str) -> TimelineRequest:
    """``--timeline`` parsed and fitted to the configured clip, and the backend able to take it: before any model loads."""

    segments = parse_timeline(text)
    fit_to_clip(segments, cfg.animate.num_frames, cfg.animate.fps, scale=False)
    if cfg.animate.timeline.mode == TimelineMode.relay and cfg.animate.backend == AnimateBackend.cogvideox:
        raise ConfigError("animate.timeline.mode=relay: the cogvideox backend has no per-segment cross-attention (Wan only); set animate.timeline.mode=flatten")
    return TimelineRequest(segments)


def cmd_decouple(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, args.overrides)
    segments = None
    if args.timeline is not None:
        if args.prompt is None:
            raise InputError("--timeline: goes with --prompt (the global prompt), not --input")

        segments = parse_timeline(args.timeline)
    if args.prompt is not None:
        prompt = normalize_prompt(args.prompt)
        id_image = load_image(args.id_image, what="--id-image", min_side=MIN_IMAGE_SIDE) if args.id_image else None
    else:
        if not args.output:
            raise InputError("--output: required with --input (where spatial/, temporal/ and decoupled.jsonl go)")
        if not Path(args.input).is_dir():
            raise InputError(f"--input: not a folder: {args.input} (pass a challenge-layout folder)")

    cli._quiet_libraries()

    describe = cfg.prompts.face_description.enabled
    if describe and args.prompt is not None and id_image is None:
        raise InputError("--id-image: required with prompts.face_description.enabled=true (the face to describe)")
    sources = resolve_sources(cfg, stages=("prompts",))  # the LLM's and VLM's weights, once
    cache_dir = cfg.cache_dir if cfg.prompts.cache else None
    decoupler = build_decoupler(cfg.prompts, cache_dir=cache_dir, sources=sources)
    describer = build_face_describer(cfg.prompts, cache_dir=cfg.cache_dir, sources=sources)
    needs_faces = (cfg.prompts.subject is None or describe) and (args.prompt is None or id_image is not None)
    face_cache = ReferenceCache(build_face_analyzer(cfg.face, device=str(sources.device)), cfg.cache_dir) if needs_faces else None

    if args.prompt is not None:
        subject, description = subject_phrase(None, None, cfg.prompts.subject), None
        if face_cache is not None:
            face, _ = face_cache(id_image, what="--id-image")
            subject = subject_phrase(face.gender, face.age, cfg.prompts.subject, with_age=cfg.prompts.subject_from == SubjectFrom.gender_age)
            description = describer(id_image, face) if describer is not None else None
        if segments is not None:
            result = decouple_timeline(decoupler, prompt, segments, subject=subject, face_description=description).prompts.to_dict()
        else:
            result = decoupler(prompt, subject=subject, face_description=description).to_dict()
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0

    from stdt2v.outputs import save_run_info

    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output, wait=args.wait))
    save_run_info(output, cfg, {"seed": cfg.seed})
    done, failed = decouple_folder(
        decoupler,
        Path(args.input),
        output,
        face_cache=face_cache,
        subject=cfg.prompts.subject,
        describer=describer,
        progress=cfg.progress,
        subject_with_age=cfg.prompts.subject_from == SubjectFrom.gender_age,
    )
    print(output / "decoupled.jsonl")
    if failed:
        print(f"stdt2v: error: {failed} of {done + failed} prompts failed; reasons in {output / 'decoupled.jsonl'}", file=sys.stderr)
        return 1
    return 0


def cmd_faces(args: argparse.Namespace) -> int:
    paths, overrides = _split_overrides(args.items)
    cfg = load_config(args.config, overrides)
    if not paths:
        raise InputError("faces: no IMAGE given; pass one or more image paths")
    for path in paths:  # every input readable before any model loads
        load_image(path, what=path, min_side=MIN_IMAGE_SIDE)

    cli._quiet_libraries()

    analyzer = build_face_analyzer(cfg.face, device=str(resolve_device(cfg.device)))
    print(json.dumps(describe_faces(analyzer, paths), indent=2))
    return 0


def _split_overrides(items: list[str]) -> tuple[list[str], list[str]]:
    """Positional items that look like `dotted.key=value` are overrides; the rest are paths."""
    overrides = [i for i in items if cli.OVERRIDE.match(i)]
    return [i for i in items if i not in overrides], overrides
