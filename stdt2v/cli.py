"""``stdt2v`` command line: ``stdt2v generate --config FILE --id-image IMAGE --prompt TEXT --output DIR``.

Errors the user can fix (bad config, missing image, empty prompt) print one line and exit 2;
nothing loads before the config and the inputs are checked. Each verb imports the project's
stages inside its function, on purpose: ``stdt2v --help`` and a bad input answer without
importing torch, diffusers or the face backends.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import re
import sys

from stdt2v import __version__
from stdt2v.errors import StdT2VError

logger = logging.getLogger("stdt2v")

# Each verb's override example names keys that verb reads.
EXAMPLES = {
    "generate": "animate.num_frames=9 seed=3",
    "decouple": "prompts.framing=close-up prompts.subject='A man'",
    "faces": "face.backend=insightface face.detect_size=640",
    "evaluate": "eval.clip_model=tiny:clip eval.num_frames=8",
    "batch": "batch.stages=keyframe seed=3",
    "hyperlora": "keyframe.identity.path=DIR",
    "train": "max_steps=50 learning_rate=1e-4",
    "app": "animate.num_frames=9 keyframe.num_candidates=2",
    "plan": "animate.num_frames=121 animate.height=704",
}
# Positionals that look like `dotted.key=value`: config overrides, accepted anywhere on the line.
OVERRIDE = re.compile(r"^[A-Za-z_][\w.]*=")
WAIT_HELP = "if another run holds the output folder, wait for it instead of stopping"
TIMELINE_HELP = 'actions in order in one video, e.g. "0-2s: waves; 2-5s: sits down" (IPVG 2026 Track 2); --prompt is the global prompt'
# A full or read-only disk, or a folder made unwritable mid-run: one line, as for bad input.
OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES}
# Path options whose empty value would mean "the current folder": refused.
PATH_OPTIONS = ("config", "output", "input", "id_image", "videos", "references", "references_root", "prompts", "json", "resume")
SIGPIPE_EXIT = 141  # what a shell reports for a tool stopped by a closed pipe (128 + SIGPIPE)


class Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as the one line every other error is."""

    def error(self, message: str):
        self.exit(2, f"stdt2v: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="stdt2v",
        description="Identity-preserving text-to-video, spatial-temporal decoupled: prompt decoupling -> identity keyframe (T2I) -> animation (I2V).",
    )
    parser.add_argument("--version", action="version", version=f"stdt2v {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, func, help: str, description: str) -> argparse.ArgumentParser:
        epilog = f"Overrides are key=value pairs on the config, anywhere on the line, e.g. {EXAMPLES[name]}." if name in EXAMPLES else None
        cmd = sub.add_parser(name, help=help, description=description, epilog=epilog)
        cmd.set_defaults(func=func)
        return cmd

    gen = command(
        "generate",
        cmd_generate,
        "one video from a face image and a prompt",
        "Generate one video of the person in --id-image doing what --prompt says.",
    )
    gen.add_argument("--config", required=True, help="pipeline YAML (e.g. configs/demo.yaml)")
    gen.add_argument("--id-image", required=True, help="reference face image (path, or builtin:grace_hopper)")
    gen.add_argument("--prompt", required=True, help="what the person does")
    gen.add_argument("--output", required=True, help="output folder")
    gen.add_argument("--timeline", help=TIMELINE_HELP)
    gen.add_argument("--wait", action="store_true", help=WAIT_HELP)
    gen.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides")

    dec = command(
        "decouple",
        cmd_decouple,
        "split prompts into spatial (keyframe) and temporal (video) prompts",
        "Print the decoupled prompt as JSON (--prompt), or decouple a whole challenge-layout "
        "folder (--input DIR --output DIR: spatial/ and temporal/ text files and decoupled.jsonl).",
    )
    dec.add_argument("--config", required=True, help="pipeline YAML; its prompts section is used")
    source = dec.add_mutually_exclusive_group(required=True)
    source.add_argument("--prompt", help="one prompt")
    source.add_argument("--input", help="challenge-layout folder: idNNN/promptK.txt (+ idNNN/image.png)")
    dec.add_argument("--output", help="output folder (with --input)")
    dec.add_argument("--wait", action="store_true", help=WAIT_HELP)
    dec.add_argument("--id-image", help="face image whose gender/age give the subject phrase (with --prompt)")
    dec.add_argument("--timeline", help=TIMELINE_HELP + "; prints spatial and segments")
    dec.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides")

    faces = command(
        "faces",
        cmd_faces,
        "detect faces and compare identities",
        "Print JSON: the faces found in each image (box, score, 5 landmarks, gender, age) "
        "and the identity similarity matrix of the largest faces (null where an image has none).",
    )
    faces.add_argument("--config", required=True, help="pipeline YAML; its face section is used")
    faces.add_argument("items", nargs="+", metavar="IMAGE|key=value", help="images, then config overrides")
    ev = command(
        "evaluate",
        cmd_evaluate,
        "score generated videos: identity, CLIPScore, FID, motion",
        "Score every idNNN/promptK.mp4 under --videos against idNNN/image.* under --references (and the prompt "
        "idNNN/promptK.txt under --prompts); write scores.csv, summary.json and plots to --output. "
        "With eval.protocol=opens2v: --references is OpenS2V-Eval's JSON and --videos holds <sample id>.mp4.",
    )
    ev.add_argument("--videos", required=True, help="folder of idNNN/promptK.mp4 (opens2v: <sample id>.mp4)")
    ev.add_argument("--references", help="folder of idNNN/image.png (the challenge layout), or OpenS2V-Eval's *_Eval.json (opens2v)")
    ev.add_argument("--timelines", help="IPVG 2026 Track 2 eval.json: score each segment of --videos' N.mp4 (or submission/N.mp4) on its own")
    ev.add_argument("--references-root", help="opens2v: the folder img_paths are relative to (default: the JSON's folder)")
    ev.add_argument("--prompts", help="folder of idNNN/promptK.txt (for CLIPScore)")
    ev.add_argument("--output", required=True, help="output folder")
    ev.add_argument("--wait", action="store_true", help=WAIT_HELP)
    ev.add_argument("--config", help="YAML whose face and eval sections are used (default: the built-in defaults)")
    ev.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides, e.g. eval.clip_model=DIR")
    bat = command(
        "batch",
        cmd_batch,
        "run many (image, prompt) items: resumable, exactly-once, sharded with accelerate",
        "Run every item of --input (a challenge-layout folder or a .jsonl/.csv manifest) into --output: "
        "idNNN/promptK.mp4, items/ (prompts, keyframes, reports) and summary.json. Safe to kill and restart; "
        "under `accelerate launch` the items are split across processes.",
    )
    bat.add_argument("--config", required=True, help="pipeline YAML (its batch section: stages, seeds, ...)")
    bat.add_argument("--input", help="challenge-layout folder or manifest (overrides batch.input)")
    bat.add_argument("--output", help="output folder (overrides batch.output)")
    bat.add_argument("--wait", action="store_true", help=WAIT_HELP)
    bat.add_argument("--retry-failed", action="store_true", help="also re-run items that failed before")
    bat.add_argument("--zip", action="store_true", help="pack output/submission.zip")
    bat.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides")
    web = command(
        "app",
        cmd_app,
        "a web page to try a face and a prompt (Gradio)",
        "Serve a page on the pipeline built from --config: upload a face, write a prompt, Decouple (edit the spatial and "
        "temporal prompts), Generate; keyframe candidates, the video, the identity curve, the report and the run folder.",
    )
    web.add_argument("--config", required=True, help="pipeline YAML (e.g. configs/demo.yaml); the YAML files beside it that can run here are the presets")
    web.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1: this machine only)")
    web.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    web.add_argument("--share", action="store_true", help="also open a public gradio.live link (reaches the internet)")
    web.add_argument("--output", default="outputs/app", help="where each run's folder goes (default outputs/app)")
    web.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides, applied to every preset")
    pl = command(
        "plan",
        cmd_plan,
        "GPU memory a preset needs, per component and memory mode (no weights loaded)",
        "Build every component of the configured pipelines on the meta device and print parameters, weight bytes, "
        "activation estimates (formulas stated) and the peak of each memory mode and batch schedule; with a budget, "
        "the lightest mode that fits.",
    )
    pl.add_argument("--config", required=True, help="pipeline YAML (a preset)")
    pl.add_argument("--budget-gb", type=float, help="GPU memory to fit in (default: the free memory of this machine's GPU, if any)")
    pl.add_argument("--json", help="also write the plan as JSON to this file")
    pl.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides")
    rep = command(
        "report",
        cmd_report,
        "rebuild the HTML report of a batch run",
        "Write OUTPUT/report.html for a batch run folder (stdt2v batch writes it at the end of every run): the summary, "
        "then each item's reference face, keyframe, video, prompts, identity score, seed and seconds.",
    )
    rep.add_argument("output", help="a batch run's output folder")
    hl = command(
        "hyperlora",
        cmd_hyperlora,
        "write a face's HyperLoRA as an ordinary LoRA file",
        "Compute the identity LoRA HyperLoRA makes from --id-image (several: averaged) and write it as a kohya "
        "safetensors file (lora_down/lora_up/alpha keys) that diffusers' load_lora_weights, ComfyUI and A1111 load.",
    )
    hl.add_argument("--config", required=True, help="YAML whose face and keyframe.identity sections are used")
    hl.add_argument("--id-image", action="append", required=True, help="reference face image (repeat for several)")
    hl.add_argument("--output", required=True, help="the .safetensors file to write")
    hl.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides, e.g. keyframe.identity.path=DIR")
    tr = command(
        "train",
        cmd_train,
        "train the identity adapter or a video LoRA with accelerate",
        "Train from a YAML (configs/train/*.yaml; task: id_adapter | i2v_lora) into --output: metrics.jsonl, "
        "checkpoints/, final/ (safetensors). "
        "Also under `accelerate launch -m stdt2v train ...`.",
    )
    tr.add_argument("--config", required=True, help="training YAML")
    tr.add_argument("--output", help="run folder (overrides output)")
    tr.add_argument("--wait", action="store_true", help=WAIT_HELP)
    tr.add_argument("--resume", help="latest, or a checkpoint folder")
    tr.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides, e.g. max_steps=50")
    return parser


def cmd_app(args: argparse.Namespace) -> int:
    import importlib.util
    from pathlib import Path

    from stdt2v.config import load_config
    from stdt2v.errors import InputError
    from stdt2v.io import prepare_output
    from stdt2v.lock import output_lock

    if importlib.util.find_spec("gradio") is None:
        raise InputError("app: gradio is not installed; pip install -e '.[app]'")
    _check_address(args.host, args.port)
    load_config(args.config, args.overrides)  # validated: nothing below loads on a bad config
    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output))
    _quiet_libraries()
    from stdt2v.app import AppSession, build_app, models_available, runnable_presets
    from stdt2v.errors import StdT2VError
    from stdt2v.pipeline import IPT2VPipeline

    def load(preset: str):
        cfg = load_config(preset, args.overrides)
        return IPT2VPipeline.from_config(cfg), cfg

    def runs_here(path: Path) -> bool:
        try:
            return models_available(load_config(path, args.overrides))
        except StdT2VError:
            return False  # not a pipeline config (or one that does not validate)

    session = AppSession(load, args.config, output)
    demo = build_app(session, runnable_presets(Path(args.config), runs_here))
    demo.launch(server_name=args.host, server_port=args.port, share=args.share, allowed_paths=[str(output.resolve())], show_error=True)
    return 0


def _check_address(host: str, port: int) -> None:
    """The address the app will serve on: a port in range, a host that resolves, and nothing
    else listening there (gradio would fail later, from inside, with a traceback)."""
    import socket

    from stdt2v.errors import InputError

    if not 1 <= port <= 65535:
        raise InputError(f"--port: {port} is out of range; use 1..65535 (default 7860)")
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as err:
        reason = getattr(err, "strerror", None) or err
        raise InputError(f"--host: {host!r} does not resolve ({reason}); pass an address of this machine, e.g. 127.0.0.1") from None
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server sets it: a closed port in TIME_WAIT is free
        try:
            probe.bind(address)
        except OSError as err:
            raise InputError(f"--host/--port: cannot listen on {host}:{port} ({err.strerror}); pass another --port, or an address of this machine") from None


def cmd_plan(args: argparse.Namespace) -> int:
    import math

    from stdt2v.config import load_config
    from stdt2v.config.validate import check_animate
    from stdt2v.errors import InputError

    # Sizes and frame counts are checked; what only running needs (an adapter's path) is not.
    cfg = load_config(args.config, args.overrides, validate=lambda c: check_animate(c.animate))
    if args.budget_gb is not None and not (math.isfinite(args.budget_gb) and 0 < args.budget_gb <= 1e6):
        raise InputError(f"--budget-gb: {args.budget_gb} is not a memory size; pass the GPU's memory in GB, e.g. 24")
    from stdt2v.io import atomic_write_json, prepare_output_file

    if args.json is not None:
        args.json = prepare_output_file(args.json, "--json")  # before the plan is built
    _quiet_libraries()
    from stdt2v.plan import format_plan, plan_pipeline

    plan = plan_pipeline(cfg, args.budget_gb)
    result = plan.to_dict(cfg.animate.memory.offload.value, cfg.batch.schedule.value)
    print("\n".join(format_plan(plan, result)))
    if args.json:
        atomic_write_json(args.json, result)
    return 0 if result["fits"] else 1


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from stdt2v.errors import InputError

    output = Path(args.output)
    from stdt2v.batch.journal import JOURNAL_DIR

    if not (output / "config.yaml").is_file() or not (output / JOURNAL_DIR).is_dir():
        raise InputError(f"{output}: not a batch run folder (no config.yaml and {JOURNAL_DIR}/); pass the --output of a stdt2v batch run")
    from stdt2v.batch.report import write_batch_report

    print(write_batch_report(output))
    return 0


def cmd_hyperlora(args: argparse.Namespace) -> int:
    from pathlib import Path

    from stdt2v.config import load_config
    from stdt2v.errors import ConfigError, InputError
    from stdt2v.io import MIN_IMAGE_SIDE, load_image, prepare_output_file

    cfg = load_config(args.config, args.overrides, needs_models=False)
    icfg = cfg.keyframe.identity
    if icfg.adapter.value != "hyperlora":
        raise ConfigError(
            f"keyframe.identity.adapter: HyperLoRA is not configured in {args.config} (adapter {icfg.adapter.value}); "
            "pass keyframe.identity.adapter=hyperlora keyframe.identity.path=DIR (or a config with HyperLoRA)"
        )
    if not icfg.path:
        raise ConfigError("keyframe.identity.path: required (a HyperLoRA variant folder, a hub id, or tiny:hyperlora-sdxl)")
    output = Path(args.output)
    if output.suffix != ".safetensors":
        raise InputError(f"--output: {output} must end in .safetensors")
    output = prepare_output_file(output, "--output")
    images = [load_image(path, what=f"--id-image {path}", min_side=MIN_IMAGE_SIDE) for path in args.id_image]  # checked before anything loads
    _quiet_libraries()
    from safetensors.torch import save_file

    from stdt2v.face import build_face_analyzer
    from stdt2v.io import TMP_PREFIX
    from stdt2v.keyframe.hyperlora_identity import HyperLoRAEncoder
    from stdt2v.loading import resolve_device
    from stdt2v.sources import resolve_hyperlora_source

    device = str(resolve_device(cfg.device))
    source = resolve_hyperlora_source(icfg.path, cfg.cache_dir)
    encoder = HyperLoRAEncoder.from_pretrained(
        source, icfg.image_encoder, build_face_analyzer(cfg.face, device=device), device=device, allow_pickle=cfg.allow_pickle_weights
    )
    state = encoder.lora_state_dict(images)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f"{TMP_PREFIX}{output.name}")
    save_file({k: v.contiguous() for k, v in state.items()}, str(staging), metadata={"format": "pt", "source": "stdt2v hyperlora", "hyperlora": str(icfg.path)})
    staging.replace(output)
    print(json.dumps({"output": str(output), "tensors": len(state), "modules": len(encoder.hyper.module_names), "images": len(images)}))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from stdt2v.config import load_config
    from stdt2v.train import TrainConfig
    from stdt2v.train.config import validate_train_config

    overrides = list(args.overrides) + ([f"output={args.output}"] if args.output else []) + ([f"resume={args.resume}"] if args.resume else [])
    cfg = load_config(args.config, overrides, schema=TrainConfig, validate=validate_train_config)
    from stdt2v.io import prepare_output

    if cfg.output is not None:
        prepare_output(cfg.output, "--output" if args.output else "output")  # writable before any model loads
    _quiet_libraries()
    from stdt2v.train import run_training

    result = run_training(cfg, wait=args.wait)
    print(json.dumps(result))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from stdt2v.config import load_config

    overrides = list(args.overrides)
    overrides += [f"batch.input={args.input}"] if args.input else []
    overrides += [f"batch.output={args.output}"] if args.output else []
    cfg = load_config(args.config, overrides)  # validated: nothing below loads on a bad config
    from stdt2v.data import read_items
    from stdt2v.errors import InputError
    from stdt2v.io import prepare_output

    if not cfg.batch.input or not cfg.batch.output:
        missing = "--input (a challenge-layout folder or a .jsonl/.csv manifest)" if not cfg.batch.input else "--output (a folder)"
        raise InputError(f"batch: {missing} is required (or batch.{'input' if not cfg.batch.input else 'output'} in the config)")
    prepare_output(cfg.batch.output)
    read_items(cfg.batch.input)  # a bad input fails before any model loads
    _quiet_libraries()
    from stdt2v.batch import run_batch

    summary = run_batch(cfg, retry_failed=args.retry_failed or cfg.batch.retry_failed, make_zip=args.zip, wait=args.wait)
    if not summary:  # not the main process
        return 0
    print(json.dumps({k: summary[k] for k in ("done", "failed", "skipped", "wall_seconds", "items_per_second")}))
    from_before = summary["done"] - summary["done_this_run"]
    earlier = f" ({from_before} from an earlier run)" if from_before else ""
    logger.info("batch: %d of %d items done%s, %d failed; %s", summary["done"], summary["items"], earlier, summary["failed"], summary["report"])
    if summary["failed"]:
        print(f"stdt2v: error: {summary['failed']} of {summary['items']} items failed; reasons in {cfg.batch.output}/summary.json", file=sys.stderr)
        return 1
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from stdt2v.config import load_config
    from stdt2v.errors import InputError

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
    _quiet_libraries()
    from stdt2v.eval import build_evaluator, evaluate_folder, protocol_of
    from stdt2v.loading import resolve_device
    from stdt2v.pipeline import save_run_info

    protocol, protocol_report = protocol_of(cfg.eval)
    if protocol.layout == "opens2v_json" and not Path(args.references).is_file():
        raise InputError(f"--references: eval.protocol={protocol.name} reads the benchmark's JSON (e.g. Human-Domain_Eval.json); not a file: {args.references}")
    if protocol.layout != "opens2v_json" and not Path(args.references).is_dir():
        raise InputError(f"--references: not a folder: {args.references} (a JSON file is read by eval.protocol=opens2v)")
    from stdt2v.io import prepare_output
    from stdt2v.layout import video_files
    from stdt2v.lock import output_lock

    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output, wait=args.wait))
    if protocol.layout != "opens2v_json" and not video_files(Path(args.videos)):  # a usage error: before anything is written or loads
        raise InputError(f"--videos: no idNNN/promptK.mp4 under {args.videos}; pass the folder of a run's videos (the challenge layout)")
    save_run_info(output, cfg, {})
    natural_chat = None
    if cfg.eval.opens2v.natural_base_url:
        from stdt2v.prompts.chat import OpenAIChat

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


def evaluate_timelines_cli(args: argparse.Namespace, cfg) -> int:
    from pathlib import Path

    from stdt2v.errors import InputError

    if not Path(args.timelines).is_file():
        raise InputError(f"--timelines: not a file: {args.timelines} (pass the Track 2 eval.json)")
    from stdt2v.data.evaljson import read_eval_json

    items = read_eval_json(Path(args.timelines))  # a bad file fails before any model loads
    _quiet_libraries()
    from stdt2v.eval import build_evaluator
    from stdt2v.eval.timeline import evaluate_timelines
    from stdt2v.io import prepare_output
    from stdt2v.loading import resolve_device
    from stdt2v.lock import output_lock
    from stdt2v.pipeline import save_run_info

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


def cmd_decouple(args: argparse.Namespace) -> int:
    from pathlib import Path

    from stdt2v.config import load_config
    from stdt2v.errors import InputError
    from stdt2v.io import MIN_IMAGE_SIDE, load_image
    from stdt2v.prompts import normalize_prompt

    cfg = load_config(args.config, args.overrides)
    segments = None
    if args.timeline is not None:
        if args.prompt is None:
            raise InputError("--timeline: goes with --prompt (the global prompt), not --input")
        from stdt2v.timeline import parse_timeline

        segments = parse_timeline(args.timeline)
    if args.prompt is not None:
        prompt = normalize_prompt(args.prompt)
        id_image = load_image(args.id_image, what="--id-image", min_side=MIN_IMAGE_SIDE) if args.id_image else None
    else:
        if not args.output:
            raise InputError("--output: required with --input (where spatial/, temporal/ and decoupled.jsonl go)")
        if not Path(args.input).is_dir():
            raise InputError(f"--input: not a folder: {args.input} (pass a challenge-layout folder)")

    _quiet_libraries()
    from stdt2v.face import ReferenceCache, build_face_analyzer
    from stdt2v.loading import resolve_device
    from stdt2v.prompts import build_decoupler, build_face_describer, subject_phrase

    describe = cfg.prompts.face_description.enabled
    if describe and args.prompt is not None and id_image is None:
        raise InputError("--id-image: required with prompts.face_description.enabled=true (the face to describe)")
    device = str(resolve_device(cfg.device))
    decoupler = build_decoupler(cfg.prompts, cache_dir=cfg.cache_dir if cfg.prompts.cache else None, device=device, allow_pickle=cfg.allow_pickle_weights)
    describer = build_face_describer(cfg.prompts, cache_dir=cfg.cache_dir, device=device, allow_pickle=cfg.allow_pickle_weights)
    needs_faces = (cfg.prompts.subject is None or describe) and (args.prompt is None or id_image is not None)
    face_cache = ReferenceCache(build_face_analyzer(cfg.face, device=device), cfg.cache_dir) if needs_faces else None

    if args.prompt is not None:
        subject, description = subject_phrase(None, None, cfg.prompts.subject), None
        if face_cache is not None:
            face, _ = face_cache(id_image, what="--id-image")
            subject = subject_phrase(face.gender, face.age, cfg.prompts.subject, with_age=cfg.prompts.subject_from.value == "gender_age")
            description = describer(id_image, face) if describer is not None else None
        if segments is not None:
            from stdt2v.prompts.timeline import decouple_timeline

            result = decouple_timeline(decoupler, prompt, segments, subject=subject, face_description=description).prompts.to_dict()
        else:
            result = decoupler(prompt, subject=subject, face_description=description).to_dict()
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0

    from stdt2v.io import prepare_output
    from stdt2v.lock import output_lock
    from stdt2v.pipeline import save_run_info
    from stdt2v.prompts.folder import decouple_folder

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
        subject_with_age=cfg.prompts.subject_from.value == "gender_age",
    )
    print(output / "decoupled.jsonl")
    if failed:
        print(f"stdt2v: error: {failed} of {done + failed} prompts failed; reasons in {output / 'decoupled.jsonl'}", file=sys.stderr)
        return 1
    return 0


def _split_overrides(items: list[str]) -> tuple[list[str], list[str]]:
    """Positional items that look like `dotted.key=value` are overrides; the rest are paths."""
    overrides = [i for i in items if OVERRIDE.match(i)]
    return [i for i in items if i not in overrides], overrides


def cmd_faces(args: argparse.Namespace) -> int:
    from stdt2v.config import load_config
    from stdt2v.io import MIN_IMAGE_SIDE, load_image

    paths, overrides = _split_overrides(args.items)
    cfg = load_config(args.config, overrides)
    if not paths:
        from stdt2v.errors import InputError

        raise InputError("faces: no IMAGE given; pass one or more image paths")
    for path in paths:  # every input readable before any model loads
        load_image(path, what=path, min_side=MIN_IMAGE_SIDE)

    _quiet_libraries()
    from stdt2v.face import build_face_analyzer
    from stdt2v.face.report import describe_faces
    from stdt2v.loading import resolve_device

    analyzer = build_face_analyzer(cfg.face, device=str(resolve_device(cfg.device)))
    print(json.dumps(describe_faces(analyzer, paths), indent=2))
    return 0


def cmd_generate(args: argparse.Namespace) -> int:

    from stdt2v.config import load_config
    from stdt2v.io import MIN_IMAGE_SIDE, load_image, prepare_output
    from stdt2v.lock import output_lock
    from stdt2v.prompts import normalize_prompt

    cfg = load_config(args.config, args.overrides)  # validated: nothing below loads on a bad config
    prompt = normalize_prompt(args.prompt)
    timeline = check_timeline(cfg, args.timeline) if args.timeline is not None else None
    id_image = load_image(args.id_image, what="--id-image", min_side=MIN_IMAGE_SIDE)
    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output, wait=args.wait))

    _quiet_libraries()
    from stdt2v.face import build_face_analyzer
    from stdt2v.loading import resolve_device
    from stdt2v.pipeline import IPT2VPipeline, save_output, save_run_info

    # The face first: a face-less id image fails in seconds, before the big models load.
    face_analyzer = build_face_analyzer(cfg.face, device=str(resolve_device(cfg.device)))
    faces = face_analyzer.detect_reference(id_image)
    if not faces:
        from stdt2v.errors import NoFaceError

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


def check_timeline(cfg, text: str):
    """``--timeline`` parsed and fitted to the configured clip, and the backend able to take it: before any model loads."""
    from stdt2v.errors import ConfigError
    from stdt2v.timeline import TimelineRequest, fit_to_clip, parse_timeline

    segments = parse_timeline(text)
    fit_to_clip(segments, cfg.animate.num_frames, cfg.animate.fps, scale=False)
    if cfg.animate.timeline.mode.value == "relay" and cfg.animate.backend.value == "cogvideox":
        raise ConfigError("animate.timeline.mode=relay: the cogvideox backend has no per-segment cross-attention (Wan only); set animate.timeline.mode=flatten")
    return TimelineRequest(segments)


# Loggers of libraries that talk at import (torchao's optional kernels and tensor names, torch's
# pytree deprecations): errors only. Our own logger ("stdt2v") keeps its INFO lines; a run that
# asks for a missing backend says so in its own error.
QUIET_LOGGERS = (
    "torchao",
    "torch.utils._pytree",
    "torch._dynamo",
    "diffusers.quantizers.torchao.torchao_quantizer",
    "accelerate",
    "huggingface_hub",
    "onnxruntime",
    "insightface",
)


def _quiet_libraries() -> None:
    """Library chatter (deprecations, optional-backend notices) drowns the one line a user needs.
    Set before the heavy imports (the verbs import them inside): the verbosity variables are
    read when diffusers and transformers first log; already imported, they are told directly."""
    import warnings

    os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    # onnxruntime (insightface) otherwise writes its telemetry store under ~/.cache/Microsoft/.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    for module in ("torchao", "diffusers", "transformers", "torch", "timm", "insightface", "onnxruntime", "albumentations"):
        warnings.filterwarnings("ignore", module=module)
    if "diffusers" in sys.modules:
        from diffusers.utils import logging as diffusers_logging

        diffusers_logging.set_verbosity_error()
    if "transformers" in sys.modules:
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()


def _undecodable_argument(argv: list[str]) -> str | None:
    """The first argument holding bytes that are not UTF-8 (Python keeps them as surrogates,
    which fail later, far from here), named by its option."""
    for i, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            previous = argv[i - 1] if i and argv[i - 1].startswith("--") else None
            return previous or f"argument {i + 1} ({arg.encode('utf-8', 'backslashreplace').decode()[:40]})"
    return None


def _streams_ready() -> str | None:
    """Results go to stdout, messages to stderr: both must exist, and neither may fail on a
    character its encoding lacks (PYTHONIOENCODING=ascii and a Chinese prompt)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:
        return "stdout is closed; run with stdout open (redirect it to a file or /dev/null to discard the result)"
    return None


def main(argv: list[str] | None = None) -> int:
    _quiet_libraries()
    closed = _streams_ready()
    if closed:
        if sys.stderr is not None:
            print(f"stdt2v: error: {closed}", file=sys.stderr)
        return 2
    argv = sys.argv[1:] if argv is None else list(argv)
    undecodable = _undecodable_argument(argv)
    if undecodable:
        print(f"stdt2v: error: {undecodable}: holds bytes that are not UTF-8; pass the text as UTF-8 (or put it in a UTF-8 file)", file=sys.stderr)
        return 2
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    overrides = "overrides" if hasattr(args, "overrides") else "items" if hasattr(args, "items") else None
    if extra and (overrides is None or not all(OVERRIDE.match(e) for e in extra)):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if extra:  # overrides after an option that follows other overrides
        setattr(args, overrides, [*getattr(args, overrides), *extra])
    if overrides and not sys.stderr.isatty() and not any(str(o).startswith("progress=") for o in getattr(args, overrides)):
        setattr(args, overrides, [*getattr(args, overrides), "progress=false"])  # no bar escape codes in redirected logs
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    empty = [name for name in PATH_OPTIONS if getattr(args, name, None) is not None and not str(getattr(args, name)).strip()]
    if empty:
        print(f"stdt2v: error: --{empty[0].replace('_', '-')}: empty; pass a path", file=sys.stderr)
        return 2
    try:
        from stdt2v.io import check_path_length

        for name in PATH_OPTIONS:  # a name or path the file system would refuse mid-run
            for value in (lambda v: v if isinstance(v, list) else [v])(getattr(args, name, None)):
                if value is not None:
                    check_path_length(value, f"--{name.replace('_', '-')}")
        with contextlib.ExitStack() as held:  # what a verb holds for its run (the output lock)
            args.held = held
            code = args.func(args)
        sys.stdout.flush()  # here, not at exit: a full disk or a closed pipe is answered below
        return code
    except StdT2VError as err:
        print(f"stdt2v: error: {err}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:
        # The reader of stdout stopped (`| head`): exit quietly, as command-line tools do.
        with contextlib.suppress(OSError, ValueError):  # no second error when Python flushes at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return SIGPIPE_EXIT
    except OSError as err:
        if err.errno not in OUTPUT_ERRNOS:
            raise
        if err.filename and hasattr(args, "output"):
            fix = "free space or choose another --output (unfinished outputs keep temporary names)"
            print(f"stdt2v: error: {err.filename}: {err.strerror}; {fix}", file=sys.stderr)
        elif err.filename:  # a verb without --output (a cache file)
            print(f"stdt2v: error: {err.filename}: {err.strerror}; free space there, or point STDT2V_CACHE elsewhere", file=sys.stderr)
        else:  # a write to stdout (e.g. redirected to a full disk)
            print(f"stdt2v: error: stdout: {err.strerror}; free space where stdout goes, or redirect it elsewhere", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stdt2v: interrupted", file=sys.stderr)
        return 130
