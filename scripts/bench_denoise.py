"""Time one denoising step of a real-size denoiser (random weights) and compare with the
device's dense matmul rate.

    python -m scripts.bench_denoise --model wan22_ti2v_5b --device cuda --json bench/ti2v.json
    python -m scripts.bench_denoise --model wan22_ti2v_5b --device cpu --small --json /tmp/d.json

Prints the FLOP formula, then a table (last); writes the full figures as JSON.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from benchmarks.denoise import BENCHES, bench_denoise
from benchmarks.table import print_table, save_json
from benchmarks.timing import check_device


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--model", choices=sorted(BENCHES), default="wan22_ti2v_5b")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--small", action="store_true", help="fewer blocks and a small size, float32 (runs on a CPU)")
    parser.add_argument("--no-cfg-batch", action="store_true", help="time batch 1 only")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    check_device(parser, args.device, "use --device cpu --small")
    result = bench_denoise(args.model, torch.device(args.device), args.small, args.warmup, args.repeat, cfg_batch=not args.no_cfg_batch)
    for line in result["rows"][-1]["formula"]:
        print(line)
    print(
        f"\n{result['model']} on {result['device']} ({result['dtype']}), {result['frames']}×{result['height']}×{result['width']}, "
        f"{result['num_layers']} blocks, {result['params'] / 1e9:.2f} B params; dense matmul {result['matmul_tflops']:.2f} TFLOP/s"
    )
    print_table(
        [
            ("batch", ">5"),
            ("ms/step", ">10.1f"),
            ("TFLOP", ">10.3f"),
            ("linear", ">9.2f"),
            ("attn", ">9.2f"),
            ("TFLOP/s", ">9.3f"),
            ("of matmul", ">9.1%"),
            ("peak GB", ">8.1f"),
        ],
        [
            [
                r["batch"],
                r["ms_per_step"],
                r["flops_per_step"] / 1e12,
                r["flops_linear"] and r["flops_linear"] / 1e12,
                r["flops_attention"] and r["flops_attention"] / 1e12,
                r["achieved_tflops"],
                r["ratio_to_matmul"],
                r["peak_memory_gb"],
            ]
            for r in result["rows"]
        ],
    )
    save_json(result, args.json)


if __name__ == "__main__":
    main()
