"""Batch throughput with 1 and 2 processes on CPU (tiny demo models, the sample folder), item-major
or stage-major.

    python -m scripts.bench_batch --input ../shared/data/vip200k_sample
    python -m scripts.bench_batch --schedule item stage --processes 1

Prints items per second for each process count and the scaling efficiency
(throughput with N processes / (N × throughput with 1)). Each run starts from an empty output
folder; the two-process run uses `accelerate launch` with gloo on the CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.launch import cpu_launch_command

FAST = ["animate.num_frames=5", "animate.height=64", "animate.width=96", "keyframe.num_candidates=1", "face.identity_frames=2", "progress=false"]


def run(processes: int, input_: str, config: str, output: Path, schedule: str = "item") -> float:
    batch = ["-m", "stdt2v", "batch", "--config", config, "--input", input_, "--output", str(output), *FAST, f"batch.schedule={schedule}"]
    env = dict(os.environ)
    if processes == 1:
        cmd = [sys.executable, *batch]
    else:
        env["ACCELERATE_USE_CPU"] = "true"
        cmd = [*cpu_launch_command(processes), *batch]
    start = time.time()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - start
    summary = json.loads((output / "summary.json").read_text())
    if summary["processes"] != processes:
        raise SystemExit(f"asked for {processes} processes, the run had {summary['processes']}: see docs/performance.md on CPU launches")
    peak = max(summary["peak_memory_mb_per_stage"].values(), default=0)
    print(
        f"{schedule}-major, {processes} process(es): {summary['done']} items, {wall:.1f} s wall incl. model loads, "
        f"{summary['items_per_second']:.3f} items/s in the item loop ({summary['wall_seconds']:.1f} s), peak {peak:.0f} MB "
        f"({'RSS high-water' if 'cuda' not in str(summary) else 'CUDA allocated'})"
    )
    return summary["items_per_second"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    repo = Path(__file__).resolve().parent.parent  # defaults that work from any working directory
    parser.add_argument("--input", default=str(repo.parent / "shared" / "data" / "vip200k_sample"), help="challenge folder or manifest")
    parser.add_argument("--config", default=str(repo / "configs" / "demo.yaml"), help="pipeline YAML")
    parser.add_argument("--schedule", nargs="+", choices=["item", "stage"], default=["item"], help="batch schedules to time")
    parser.add_argument("--processes", nargs="+", type=int, default=[1, 2], help="process counts to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for schedule in args.schedule:
            rates = {n: run(n, args.input, args.config, Path(tmp) / f"{schedule}-{n}", schedule) for n in args.processes}
            if 1 in rates and 2 in rates:
                print(f"{schedule}-major scaling efficiency with 2 processes: {rates[2] / (2 * rates[1]):.0%} (speed-up {rates[2] / rates[1]:.2f}x)")


if __name__ == "__main__":
    main()
