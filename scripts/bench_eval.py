"""Frames per second of each evaluation metric on the CPU.

    python -m scripts.bench_eval --json bench/eval.json [--image builtin:grace_hopper] [--model-root ~/.insightface]

Prints a table last; writes the figures as JSON.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.eval_bench import bench_eval
from benchmarks.table import print_table, save_json
from stdt2v.io import load_image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--image", default="builtin:grace_hopper", help="the face photograph the test video pans over")
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--num-frames", type=int, default=16, help="frames sampled for identity and CLIP (eval.num_frames)")
    parser.add_argument("--model-root", help="insightface model root with a pack (adds the ArcFace backend)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = bench_eval(load_image(args.image), args.frames, args.num_frames, args.model_root)
    v = result["video"]
    print(f"video {v['frames']}×{v['height']}×{v['width']}, {v['sampled']} frames sampled; CPU")
    print_table(
        [("metric", "<28"), ("frames", ">7"), ("seconds", ">9.2f"), ("frames/s", ">9.2f")],
        [[name, r["frames"], r["seconds"], r["fps"]] for name, r in result["metrics"].items()],
    )
    save_json(result, args.json)


if __name__ == "__main__":
    main()
