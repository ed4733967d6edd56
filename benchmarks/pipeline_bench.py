"""The tiny demo pipeline end to end: load cold and warm, stage seconds, and the share of the
run spent outside model forward passes (with the top costs there, from cProfile)."""

from __future__ import annotations

import cProfile
import tempfile
import time
from pathlib import Path

from omegaconf import DictConfig

from benchmarks.overhead import ModelClock, top_outside
from stdt2v.io import load_image
from stdt2v.outputs import save_output
from stdt2v.pipeline import IPT2VPipeline

DEMO_PROMPT = "A woman with short grey hair smiles and turns her head to the left in a bright office."


def bench_pipeline(cfg: DictConfig, prompt: str = DEMO_PROMPT, id_image: str = "builtin:grace_hopper", seed: int = 0, runs: int = 2) -> dict:

    loads = []
    for _ in range(2):  # cold: the first load in this process (imports, disk); warm: again
        began = time.perf_counter()
        pipe = IPT2VPipeline.from_config(cfg)
        loads.append({"seconds": time.perf_counter() - began, "stages": {k: v.seconds for k, v in pipe.load_report.items()}})
    image = load_image(id_image, what="id image")
    # Runs after the first are what a batch of items sees; the first carries one-time costs.
    results = []
    for run in range(runs):
        profiler = cProfile.Profile()
        clock = ModelClock(profiler).watch_pipeline(pipe)
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            profiler.enable()
            output = pipe(prompt, image, seed=seed)
            save_output(output, Path(folder) / "run", cfg)
            profiler.disable()
            wall = time.perf_counter() - began
        clock.close()
        results.append(
            {
                "run": run,
                "wall_seconds": wall,
                "model_seconds": clock.total,
                "overhead_seconds": wall - clock.total,
                "overhead_share": (wall - clock.total) / wall,
                "stage_seconds": {k: v.seconds for k, v in output.report.stages.items()},
                "models": {k: {"seconds": v, "calls": clock.calls[k]} for k, v in sorted(clock.seconds.items(), key=lambda kv: -kv[1])},
                "top_outside_models": top_outside(profiler),
            }
        )
    steady = results[-1]
    return {
        "load_cold_seconds": loads[0]["seconds"],
        "load_warm_seconds": loads[1]["seconds"],
        "load": loads,
        "overhead_share": steady["overhead_share"],
        "stage_seconds": steady["stage_seconds"],
        "wall_seconds": steady["wall_seconds"],
        "runs": results,
    }
