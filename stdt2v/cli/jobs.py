"""The long-running and tooling verbs: ``batch``, ``report``, ``train``, ``plan``, ``hyperlora``, ``app``.

Torch-free modules are imported here at the top; what needs torch inside each verb, after its
inputs are checked."""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import math
import socket
import sys
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from stdt2v.batch.journal import JOURNAL_DIR
from stdt2v.cli import command as cli
from stdt2v.config import load_config
from stdt2v.config.schema import IdentityAdapterKind
from stdt2v.config.validate import check_animate
from stdt2v.data import read_items
from stdt2v.errors import ConfigError, InputError, StdT2VError
from stdt2v.face import build_face_analyzer
from stdt2v.io import MIN_IMAGE_SIDE, TMP_PREFIX, atomic_write_json, load_image, prepare_output, prepare_output_file
from stdt2v.loading import resolve_device
from stdt2v.lock import output_lock
from stdt2v.sources import resolve_hyperlora_source
from stdt2v.train import TrainConfig
from stdt2v.train.config import validate_train_config

logger = logging.getLogger("stdt2v")


def cmd_batch(args: argparse.Namespace) -> int:
    overrides = list(args.overrides)
    overrides += [f"batch.input={args.input}"] if args.input else []
    overrides += [f"batch.output={args.output}"] if args.output else []
    cfg = load_config(args.config, overrides)  # validated: nothing below loads on a bad config

    if not cfg.batch.input or not cfg.batch.output:
        missing = "--input (a challenge-layout folder or a .jsonl/.csv manifest)" if not cfg.batch.input else "--output (a folder)"
        raise InputError(f"batch: {missing} is required (or batch.{'input' if not cfg.batch.input else 'output'} in the config)")
    prepare_output(cfg.batch.output)
    read_items(cfg.batch.input)  # a bad input fails before any model loads
    cli._quiet_libraries()
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


def cmd_report(args: argparse.Namespace) -> int:
    output = Path(args.output)

    if not (output / "config.yaml").is_file() or not (output / JOURNAL_DIR).is_dir():
        raise InputError(f"{output}: not a batch run folder (no config.yaml and {JOURNAL_DIR}/); pass the --output of a stdt2v batch run")
    from stdt2v.batch.report import write_batch_report

    print(write_batch_report(output))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    overrides = list(args.overrides) + ([f"output={args.output}"] if args.output else []) + ([f"resume={args.resume}"] if args.resume else [])
    cfg = load_config(args.config, overrides, schema=TrainConfig, validate=validate_train_config)

    if cfg.output is not None:
        prepare_output(cfg.output, "--output" if args.output else "output")  # writable before any model loads
    cli._quiet_libraries()
    from stdt2v.train import run_training

    result = run_training(cfg, wait=args.wait)
    print(json.dumps(result))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    # Sizes and frame counts are checked; what only running needs (an adapter's path) is not.
    cfg = load_config(args.config, args.overrides, validate=lambda c: check_animate(c.animate))
    if args.budget_gb is not None and not (math.isfinite(args.budget_gb) and 0 < args.budget_gb <= 1e6):
        raise InputError(f"--budget-gb: {args.budget_gb} is not a memory size; pass the GPU's memory in GB, e.g. 24")

    if args.json is not None:
        args.json = prepare_output_file(args.json, "--json")  # before the plan is built
    cli._quiet_libraries()
    from stdt2v.plan import format_plan, plan_pipeline

    plan = plan_pipeline(cfg, args.budget_gb)
    result = plan.to_dict(cfg.animate.memory.offload.value, cfg.batch.schedule.value)
    print("\n".join(format_plan(plan, result)))
    if args.json:
        atomic_write_json(args.json, result)
    return 0 if result["fits"] else 1


def cmd_hyperlora(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, args.overrides, needs_models=False)
    icfg = cfg.keyframe.identity
    if icfg.adapter != IdentityAdapterKind.hyperlora:
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
    cli._quiet_libraries()
    from safetensors.torch import save_file

    from stdt2v.keyframe.hyperlora_identity import HyperLoRAEncoder

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


def cmd_app(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("gradio") is None:
        raise InputError("app: gradio is not installed; pip install -e '.[app]'")
    _check_address(args.host, args.port)
    load_config(args.config, args.overrides)  # validated: nothing below loads on a bad config
    output = prepare_output(args.output)
    args.held.enter_context(output_lock(output))
    cli._quiet_libraries()
    from stdt2v.app import AppSession, build_app, models_available, runnable_presets
    from stdt2v.pipeline import IPT2VPipeline

    def load(preset: str) -> tuple[Any, DictConfig]:
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
