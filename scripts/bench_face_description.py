"""Round trip of the face description against an OpenAI-compatible server: the face crop
encoded as a PNG data URL, the request, the answer cleaned into phrases. Without --url a local
stub server answers at once, so the figure is the client's own overhead; with --url (a vLLM
serving Qwen2.5-VL, say) it is the real round trip.

    python -m scripts.bench_face_description                       # stub server, CPU
    python -m scripts.bench_face_description --url http://gpu-box:8000/v1 --model Qwen/Qwen2.5-VL-7B-Instruct

Prints the median and the spread of the round trips and the last description; writes JSON.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.table import print_table, save_json
from stdt2v.config import load_config
from stdt2v.face import ReferenceCache, build_face_analyzer
from stdt2v.io import load_image
from stdt2v.prompts import build_face_describer
from tests.openai_stub import StubServer

REPO = Path(__file__).resolve().parent.parent
STUB_ANSWER = "short grey hair, light blue eyes, round wire-rimmed glasses, an apparent age of about 70"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--config", default=str(REPO / "configs" / "demo.yaml"))
    parser.add_argument("--image", default="builtin:grace_hopper", help="the reference face")
    parser.add_argument("--url", help="an OpenAI-compatible server (default: a local stub)")
    parser.add_argument("--model", default="stub-vl")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    stub = None if args.url else StubServer([STUB_ANSWER] * args.repeat)
    url = args.url or stub.url
    cfg = load_config(args.config, ["prompts.face_description.enabled=true", f"prompts.openai.base_url={url}", f"prompts.face_description.model={args.model}"])
    describer = build_face_describer(cfg.prompts, cache_dir=None)  # no cache: every call is a round trip
    image = load_image(args.image)
    face, _ = ReferenceCache(build_face_analyzer(cfg.face, device="cpu"), folder=None)(image, what="--image")
    seconds = []
    try:
        for _ in range(args.repeat):
            began = time.perf_counter()
            description = describer(image, face)
            seconds.append(time.perf_counter() - began)
    finally:
        if stub is not None:
            stub.close()
    ms = sorted(s * 1e3 for s in seconds)
    result = {
        "server": "stub" if stub else "given",
        "model": args.model,
        "repeat": args.repeat,
        "median_ms": statistics.median(ms),
        "min_ms": ms[0],
        "max_ms": ms[-1],
    }
    result["description"] = description.text
    print(f"face description round trip, {result['server']} server, {args.repeat} calls")
    print_table([("median ms", ">10.1f"), ("min ms", ">8.1f"), ("max ms", ">8.1f")], [[result["median_ms"], result["min_ms"], result["max_ms"]]])
    print(f"description: {description.text} ({description.source})")
    save_json(result, args.json)


if __name__ == "__main__":
    main()
