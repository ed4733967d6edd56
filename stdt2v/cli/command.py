"""``stdt2v`` command line: ``stdt2v generate --config FILE --id-image IMAGE --prompt TEXT --output DIR``.

Errors the user can fix (bad config, missing image, empty prompt) print one line and exit 2;
nothing loads before the config and the inputs are checked. This module holds the parser and
``main``; the verbs live in ``run.py`` (generate, decouple, faces), ``evaluate.py`` and
``jobs.py`` (batch, report, train, plan, hyperlora, app), each imported when its verb runs, so
``stdt2v --help`` answers without importing numpy, torch, diffusers or the face backends. Each
verb module imports its torch-free modules at its top and torch only inside the verb.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import logging
import os
import re
import sys
from typing import Any, NoReturn

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


# verb → the module that holds ``cmd_<verb>`` (imported on first use, see __getattr__).
VERBS = {
    "generate": "run",
    "decouple": "run",
    "faces": "run",
    "evaluate": "evaluate",
    "batch": "jobs",
    "report": "jobs",
    "train": "jobs",
    "plan": "jobs",
    "hyperlora": "jobs",
    "app": "jobs",
}


def __getattr__(name: str) -> Any:
    """``cmd_<verb>`` from its module, imported now (a test may replace the attribute first)."""
    verb = name.removeprefix("cmd_")
    if not name.startswith("cmd_") or verb not in VERBS:
        raise AttributeError(f"module 'stdt2v.cli.command' has no attribute '{name}'")
    return getattr(importlib.import_module(f"stdt2v.cli.{VERBS[verb]}"), name)


class Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as the one line every other error is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"stdt2v: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="stdt2v",
        description="Identity-preserving text-to-video, spatial-temporal decoupled: prompt decoupling -> identity keyframe (T2I) -> animation (I2V).",
    )
    parser.add_argument("--version", action="version", version=f"stdt2v {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        epilog = f"Overrides are key=value pairs on the config, anywhere on the line, e.g. {EXAMPLES[name]}." if name in EXAMPLES else None
        cmd = sub.add_parser(name, help=help, description=description, epilog=epilog)
        cmd.set_defaults(verb=name)  # its function is imported when the verb runs (VERBS)
        return cmd

    gen = command(
        "generate",
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
        "detect faces and compare identities",
        "Print JSON: the faces found in each image (box, score, 5 landmarks, gender, age) "
        "and the identity similarity matrix of the largest faces (null where an image has none).",
    )
    faces.add_argument("--config", required=True, help="pipeline YAML; its face section is used")
    faces.add_argument("items", nargs="+", metavar="IMAGE|key=value", help="images, then config overrides")
    ev = command(
        "evaluate",
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
        "rebuild the HTML report of a batch run",
        "Write OUTPUT/report.html for a batch run folder (stdt2v batch writes it at the end of every run): the summary, "
        "then each item's reference face, keyframe, video, prompts, identity score, seed and seconds.",
    )
    rep.add_argument("output", help="a batch run's output folder")
    hl = command(
        "hyperlora",
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
            code = getattr(sys.modules[__name__], f"cmd_{args.verb}")(args)
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
