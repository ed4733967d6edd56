"""The whole pipeline of a preset at its real size with random weights, on a GPU: seconds and
peak memory per stage beside the planner's estimate.

    python -m scripts.gpu_smoke --config configs/wan22_ti2v_5b.yaml --json bench/smoke.json
    python -m scripts.gpu_smoke --config configs/wan22_ti2v_5b.yaml --device cpu --small   # the path, on a CPU

Every denoiser, text encoder and VAE is built from its shipped architecture config on the
device (bf16); tokenizers and schedulers come from the matching tiny model (offline). The
face backend is dlib (no model pack needed), the decoupler the rule backend; the keyframe runs
4 steps and one candidate, the video 2 steps at the preset's frame count.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from benchmarks.pipeline_bench import DEMO_PROMPT
from benchmarks.smoke import smoke
from benchmarks.table import print_table, save_json
from benchmarks.timing import check_device
from stdt2v.config import load_config
from stdt2v.io import load_image

SMOKE = [
    "face.backend=dlib",
    "prompts.backend=rule",
    "keyframe.identity.adapter=none",
    "keyframe.num_candidates=1",
    "keyframe.num_inference_steps=4",
    "keyframe.require_face=false",
    "keyframe.refine.enabled=false",
    "animate.num_inference_steps=2",
    "animate.fast.compile=false",
    "progress=true",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--config", required=True, help="a preset, e.g. configs/wan22_ti2v_5b.yaml")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--small", action="store_true", help="2 blocks per stack and a small size, float32 (runs on a CPU)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("overrides", nargs="*", help="config key=value")
    args = parser.parse_args()
    check_device(parser, args.device, "use --device cpu --small")
    if args.device == "cpu" and not args.small:
        parser.error("--device cpu needs --small (the real sizes need a GPU)")
    cfg = load_config(args.config, [*SMOKE, f"device={args.device}", *args.overrides])
    result = smoke(cfg, torch.device(args.device), args.small, DEMO_PROMPT, load_image("builtin:grace_hopper"))
    small = ", small" if result["small"] else ""
    print(f"{args.config} on {result['device']} ({result['dtype']}{small}), video {result['size']}, built in {result['load_seconds']:.1f} s")
    print_table(
        [("stage", "<10"), ("seconds", ">9.2f"), ("peak GiB", ">9.2f"), ("plan GiB (real size)", ">21.2f"), ("memory", "<24")],
        [[r["stage"], r["seconds"], r["peak_gb"], r["plan_gb"], r["memory_kind"]] for r in result["rows"]],
    )
    save_json(result, args.json)


if __name__ == "__main__":
    main()
