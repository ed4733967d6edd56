"""Batch throughput with 1 and 2 processes on CPU (tiny demo models, the sample folder).

    python scripts/bench_batch.py --input ../shared/data/vip200k_sample

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

from stdt2v.perf.launch import cpu_launch_command

FAST = ["animate.num_frames=5", "animate.height=64", "animate.width=96", "keyframe.num_candidates=1", "face.identity_frames=2", "progress=false"]


def run(processes: int, input_: str, config: str, output: Path) -> float:
    batch = ["-m", "stdt2v", "batch", "--config", config, "--input", input_, "--output", str(output), *FAST]
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
    assert summary["processes"] == processes, summary
    print(
        f"{processes} process(es): {summary['done']} items, {wall:.1f} s wall incl. model loads, "
        f"{summary['items_per_second']:.3f} items/s in the item loop ({summary['wall_seconds']:.1f} s)"
    )
    return summary["items_per_second"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    repo = Path(__file__).resolve().parent.parent  # defaults that work from any working directory
    parser.add_argument("--input", default=str(repo.parent / "shared" / "data" / "vip200k_sample"), help="challenge folder or manifest")
    parser.add_argument("--config", default=str(repo / "configs" / "demo.yaml"), help="pipeline YAML")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = run(1, args.input, args.config, Path(tmp) / "one")
        two = run(2, args.input, args.config, Path(tmp) / "two")
    print(f"scaling efficiency with 2 processes: {two / (2 * one):.0%} (speed-up {two / one:.2f}x)")


if __name__ == "__main__":
    main()
