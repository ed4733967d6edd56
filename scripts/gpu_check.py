"""One GPU check: Wan2.2 TI2V-5B and A14B transformers at real size with random weights, at
480p and 720p, for bf16 / fp8 / int8 / nf4, native / flash / sage attention and regional
compilation (each where installed): seconds per step, peak memory and the planner's estimate.

    python -m scripts.gpu_check --json gpu_check.json            # a CUDA GPU; about 7 minutes
    python -m scripts.gpu_check --device cpu --small             # the code path on a CPU (2 blocks, tiny size)

docs/performance.md says how to read the table. Needs no model download.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from benchmarks.gpu_check import MODELS, SIZES, default_rows, run_check
from benchmarks.table import print_table, save_json


def fail(message: str) -> None:
    print(f"stdt2v: error: {message}", file=sys.stderr)
    sys.exit(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu with --small")
    parser.add_argument("--small", action="store_true", help="2 blocks per model and a 64×96×5 video, float32: the code path, not the numbers")
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--budget-s", type=float, default=360.0, help="start no row after this many seconds (default 360: the check stays under 8 minutes)")
    parser.add_argument("--repeat", type=int, default=2, help="timed forward passes per row after the first (default 2)")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        fail("gpu_check measures a CUDA GPU and this machine has none; run it where a GPU is lent (--device cpu --small tries the code path)")
    if args.device == "cpu" and not args.small:
        fail("--device cpu needs --small (real-size video transformers need a GPU)")
    result = run_check(default_rows(args.models, args.sizes), torch.device(args.device), small=args.small, budget_s=args.budget_s, repeat=args.repeat)
    info = result["device"]
    print(f"{info.get('name', info['device'])}, torch {info['torch']}, diffusers {info['diffusers']}, {result['dtype']}, {result['elapsed_s']:.0f} s")
    print_table(
        [
            ("model", "<8"),
            ("size", "<5"),
            ("weights", "<5"),
            ("attention", "<9"),
            ("compiled", "<8"),
            ("s/step (CFG)", ">12.2f"),
            ("first call s", ">12.1f"),
            ("peak GiB", ">8.2f"),
            ("plan GiB", ">8.2f"),
            ("status", "<40"),
        ],
        [
            [
                r["model"],
                r["size"],
                r["quantization"],
                r["attention"],
                "yes" if r["compiled"] else "no",
                r.get("s_per_step_cfg"),
                r.get("first_call_s"),
                r.get("peak_gib"),
                r.get("plan_gib"),
                r["status"] if r["status"] == "ok" else f"{r['status']}: {r['reason']}"[:40],
            ]
            for r in result["rows"]
        ],
    )
    save_json(result, args.json)


if __name__ == "__main__":
    main()
