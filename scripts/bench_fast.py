"""Each fast-mode switch of the animate stage against the plain run on the same seed.

    python -m scripts.bench_fast --json bench/fast.json                       # tiny demo model, CPU
    python -m scripts.bench_fast --config configs/wan22_ti2v_5b.yaml --device cuda --json bench/fast.json
    python -m scripts.bench_fast --config configs/wan22_i2v_a14b.yaml --device cuda \\
        --distill animate.fast.distill_lora=HIGH.safetensors animate.fast.distill_lora_2=LOW.safetensors \\
                  animate.num_inference_steps=4 animate.guidance_scale=1 animate.guidance_scale_2=1

Prints a table last (seconds per video and per step, transformer calls, speed-up, relative L2
of the final latents, warm-up seconds, peak memory); writes JSON. The ``identity_guidance``
row is the challenge winner's third pass (``--skip-block``), not a speed switch.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from benchmarks.fast_bench import bench_fast
from benchmarks.pipeline_bench import DEMO_PROMPT
from benchmarks.table import print_table, save_json
from benchmarks.timing import check_device
from stdt2v.config import load_config
from stdt2v.io import fit_cover, load_image

REPO = Path(__file__).resolve().parent.parent  # the scripts live in the repo: defaults work from any directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--config", default=str(REPO / "configs" / "demo.yaml"))
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--image", default="builtin:grace_hopper", help="the keyframe to animate")
    parser.add_argument("--only", nargs="*", help="variants to run (plain always runs)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--distill", nargs="*", help="overrides of the distilled-LoRA variant (files, steps, guidance)")
    parser.add_argument("--skip-block", type=int, help="block the identity_guidance variant skips (default 2; the demo's tiny model: 0)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("overrides", nargs="*", help="config key=value for every variant (the demo default: 20 steps)")
    args = parser.parse_args()
    check_device(parser, args.device, "use --device cpu")
    base = ["progress=false", f"device={args.device}"]
    demo = Path(args.config).resolve() == (REPO / "configs" / "demo.yaml").resolve()
    if demo:
        base += ["animate.num_inference_steps=20", "animate.num_frames=9", "animate.height=64", "animate.width=96"]
    skip_block = args.skip_block if args.skip_block is not None else 0 if demo else 2
    device = torch.device(args.device)
    size = load_config(args.config, [*base, *args.overrides]).animate
    keyframe = fit_cover(load_image(args.image), size.width, size.height)  # a keyframe at the video's size, as the pipeline makes
    result = bench_fast(
        lambda extra: load_config(args.config, [*base, *args.overrides, *extra]),
        keyframe,
        DEMO_PROMPT,
        device,
        names=args.only,
        repeat=args.repeat,
        distill=args.distill,
        skip_block=skip_block,
    )
    print(f"animate stage, {args.config}, on {result['device']}")
    print_table(
        [
            ("variant", "<24"),
            ("s/video", ">9.3f"),
            ("s/step", ">8.4f"),
            ("calls", ">6d"),
            ("speed-up", ">8.2f"),
            ("rel L2", ">9.2e"),
            ("warm-up s", ">10.2f"),
            ("peak GB", ">8.1f"),
        ],
        [
            [r["variant"], r["seconds"], r["seconds_per_step"], r["transformer_calls"], r["speedup"], r["rel_l2"], r["warmup_seconds"], r["peak_memory_gb"]]
            for r in result["rows"]
        ],
    )
    save_json(result, args.json)


if __name__ == "__main__":
    main()
