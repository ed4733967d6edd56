"""The demo pipeline end to end on CPU: load time cold and warm, seconds per stage, and the share
of wall time outside model forward passes, with the top costs there.

    python -m scripts.bench_pipeline --json bench/pipeline.json [--config configs/demo.yaml] [key=value ...]

Prints a table last; writes the full figures (every run, every model, the profile) as JSON.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.pipeline_bench import bench_pipeline
from benchmarks.table import print_table, save_json
from stdt2v.config import load_config

REPO = Path(__file__).resolve().parent.parent  # the scripts live in the repo: defaults work from any directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--config", default=str(REPO / "configs" / "demo.yaml"))
    parser.add_argument("--runs", type=int, default=2, help="pipeline calls; the last one is reported")
    parser.add_argument("--json", type=Path)
    parser.add_argument("overrides", nargs="*", help="config key=value")
    args = parser.parse_args()
    cfg = load_config(args.config, ["progress=false", *args.overrides])
    result = bench_pipeline(cfg, runs=args.runs)
    run = result["runs"][-1]
    print("top costs outside model forward passes (self seconds, last run):")
    for row in run["top_outside_models"][:10]:
        print(f"  {row['self_s']:7.3f} s  {row['calls']:6d}×  {row['function']}")
    print("\nmodels (seconds inside forward passes, last run):")
    for name, m in run["models"].items():
        print(f"  {m['seconds']:7.3f} s  {m['calls']:4d}×  {name}")
    print(f"\nload: cold {result['load_cold_seconds']:.2f} s, warm {result['load_warm_seconds']:.2f} s")
    print_table([("stage", "<10"), ("seconds", ">8.2f")], [[stage, seconds] for stage, seconds in result["stage_seconds"].items()])
    print(
        f"{'wall':<10} {result['wall_seconds']:8.2f}   models {run['model_seconds']:.2f} s, outside {run['overhead_seconds']:.2f} s "
        f"→ overhead share {result['overhead_share']:.1%}"
    )
    save_json(result, args.json)


if __name__ == "__main__":
    main()
