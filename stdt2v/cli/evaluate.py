"""The ``evaluate`` verb: score a folder of videos (or Track 2 timelines) against the references.

Torch-free modules are imported here at the top; the scorers (torch) inside the verb, after its
inputs are checked."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from omegaconf import DictConfig

from stdt2v.cli import command as cli
from stdt2v.config import load_config
from stdt2v.data.evaljson import read_eval_json
from stdt2v.errors import InputError
from stdt2v.io import prepare_output
from stdt2v.layout import video_files
from stdt2v.loading import resolve_device
from stdt2v.lock import output_lock
from stdt2v.prompts.chat import OpenAIChat

logger = logging.getLogger("stdt2v")


def cmd_evaluate(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, args.overrides, needs_models=False)
    for flag, value in (("--videos", args.videos), ("--prompts", args.prompts), ("--references-root", args.references_root)):
        if value is not None and not Path(value).is_dir():
            raise InputError(f"{flag}: not a folder: {value}")
    if args.timelines is not None:
        return evaluate_timelines_cli(args, cfg)
    if args.references is None:
        raise InputError("--references: required (the reference images), unless --timelines gives them")
    if not Path(args.references).exists():
        raise InputError(f"--references: not found: {args.references}")
    cli._quiet_libraries()
    from stdt2v.eval import build_evaluator, evaluate_folder, protocol_of
    from stdt2v.outputs import save_run_info

    protocol, protocol_report = protocol_of(cfg.eval)
    if protocol.layout == "opens2v_json" and not Path(args.references).is_file():
        raise InputError(f"--references: eval.protocol={protocol.name} reads the benchmark's JSON (e.g. Human-Domain_Eval.json); not a file: {args.references}")
    if protocol.layout != "opens2v_json" and not Path(args.references).is_dir():
        raise InputError(f"--references: not a folder: {args.references} (a JSON file is read by eval.protocol=opens2v)")

    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output, wait=args.wait))
    if protocol.layout != "opens2v_json" and not video_files(Path(args.videos)):  # a usage error: before anything is written or loads
        raise InputError(f"--videos: no idNNN/promptK.mp4 under {args.videos}; pass the folder of a run's videos (the challenge layout)")
    save_run_info(output, cfg, {})
    natural_chat = None
    if cfg.eval.opens2v.natural_base_url:
        o = cfg.eval.opens2v
        # The script sends no sampling settings: temperature 1 is the API's default.
        natural_chat = OpenAIChat(o.natural_base_url, o.natural_model, api_key_env=o.natural_api_key_env, temperature=1.0, json_mode=False)
    evaluator = build_evaluator(
        cfg.eval, cfg.face, cache_dir=cfg.cache_dir, allow_pickle=cfg.allow_pickle_weights, device=str(resolve_device(cfg.device)), natural_chat=natural_chat
    )
    rows, summary = evaluate_folder(
        evaluator,
        Path(args.videos),
        Path(args.references),
        Path(args.prompts) if args.prompts else None,
        output,
        progress=cfg.progress,
        inception_weights=cfg.eval.fid_inception_weights,
        protocol_report=protocol_report,
        board=(cfg.eval.opens2v.board.value, cfg.eval.opens2v.version.value),
        references_root=Path(args.references_root) if args.references_root else None,
    )
    print(json.dumps(summary["means"], indent=2))
    if "opens2v" in summary:
        board = summary["opens2v"]
        shown = board["total"] if board["total"] is not None else f"null (missing: {', '.join(board['missing'])})"
        logger.info("OpenS2V-Eval %s %s TotalScore: %s", board["board"], board["version"], shown)
    if summary["failed"]:
        print(f"stdt2v: error: {len(summary['failed'])} of {len(rows) + len(summary['failed'])} videos failed; see {output / 'summary.json'}", file=sys.stderr)
        return 1
    return 0


def evaluate_timelines_cli(args: argparse.Namespace, cfg: DictConfig) -> int:
    if not Path(args.timelines).is_file():
        raise InputError(f"--timelines: not a file: {args.timelines} (pass the Track 2 eval.json)")

    items = read_eval_json(Path(args.timelines))  # a bad file fails before any model loads
    cli._quiet_libraries()
    from stdt2v.eval import build_evaluator
    from stdt2v.eval.timeline import evaluate_timelines
    from stdt2v.outputs import save_run_info

    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output, wait=args.wait))
    save_run_info(output, cfg, {})
    evaluator = build_evaluator(cfg.eval, cfg.face, cache_dir=cfg.cache_dir, allow_pickle=cfg.allow_pickle_weights, device=str(resolve_device(cfg.device)))
    _, summary = evaluate_timelines(evaluator, items, Path(args.videos), output, source=args.timelines)
    print(json.dumps(summary["means"], indent=2))
    if summary["failed"]:
        print(f"stdt2v: error: {len(summary['failed'])} samples failed; see {output / 'summary.json'}", file=sys.stderr)
        return 1
    return 0
