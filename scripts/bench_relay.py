"""What the relay costs on the tiny random-weight Wan layouts: one transformer forward at 81 frames
(16 fps, 128×224) with one prompt and with 3 relayed segments (8-frame hand-over), interleaved,
and the text encoding of 1 and of 3 prompts. Prints one JSON line per layout (docs/sequential_actions.md).

    python scripts/bench_relay.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch
from omegaconf import OmegaConf

from stdt2v import timeline as tl
from stdt2v.animate import build_animator
from stdt2v.animate.relay import RelayAttention, RelayPlan
from stdt2v.config.schema import AnimateConfig
from stdt2v.loading import resolve_model_source
from stdt2v.sources import Sources

LAYOUTS = {"tiny:wan2.2-ti2v-5b": (8, 14), "tiny:wan2.2-i2v-a14b": (16, 28)}  # latent height, width at 128×224


def main(repeats: int) -> None:
    cache = os.environ.get("STDT2V_CACHE", os.path.expanduser("~/.cache/stdt2v"))
    segments = tl.parse_timeline("0-2s: A woman picks up a cup.; 2-3.5s: A woman drinks from the cup.; 3.5-5s: A woman puts the cup down.")
    plan = RelayPlan([s.text for s in segments], tl.latent_weights(tl.frame_weights(segments, 81, 16, 8)))
    for model, (height, width) in LAYOUTS.items():
        cfg = OmegaConf.merge(OmegaConf.structured(AnimateConfig), {"model": model, "height": 128, "width": 224, "num_frames": 81, "fps": 16})
        source = resolve_model_source(model, cache, key="animate.model")
        animator = build_animator(cfg, Sources(torch.device("cpu"), torch.float32, torch.float32, animate=source), progress=False)
        transformer, pipe = animator.transformers[0], animator.pipe
        latents = torch.randn(1, transformer.config.in_channels, 21, height, width)
        step = torch.tensor([500])

        def encode(texts):
            return pipe.encode_prompt(texts, do_classifier_free_guidance=False, max_sequence_length=512, device="cpu")[0]

        encode(["warm up"])
        started = time.perf_counter()
        one = encode(["A woman sits at a desk."])
        encode_one = time.perf_counter() - started
        started = time.perf_counter()
        with RelayAttention(pipe, [transformer], plan) as relay:
            three = relay.prompt_arguments()["prompt_embeds"]
        encode_three = time.perf_counter() - started
        off, on = [], []
        with torch.no_grad():
            for _ in range(repeats):
                started = time.perf_counter()
                transformer(hidden_states=latents, timestep=step, encoder_hidden_states=one, return_dict=False)
                off.append(time.perf_counter() - started)
                with RelayAttention(pipe, [transformer], plan):
                    started = time.perf_counter()
                    transformer(hidden_states=latents, timestep=step, encoder_hidden_states=three, return_dict=False)
                    on.append(time.perf_counter() - started)
        tokens = 21 * height * width // 4
        row = {"model": model, "video_tokens": tokens, "forward_ms_off": 1000 * float(np.median(off[2:])), "forward_ms_relay": 1000 * float(np.median(on[2:]))}
        row |= {"encode_ms_1_prompt": 1000 * encode_one, "encode_ms_3_prompts": 1000 * encode_three, "repeats": repeats - 2}
        print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    main(parser.parse_args().repeats)
