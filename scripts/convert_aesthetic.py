"""Convert OpenS2V's aesthetic predictor MLP (aesthetic-model.pth, a pickle) to safetensors.

    # from the BestWishYsh/OpenS2V-Weight model repository:
    hf download BestWishYsh/OpenS2V-Weight aesthetic-model.pth --local-dir /data/models/opens2v
    python scripts/convert_aesthetic.py --allow-pickle \
        /data/models/opens2v/aesthetic-model.pth /data/models/opens2v/aesthetic-model.safetensors

then evaluate with eval.aesthetic_clip=DIR (openai/clip-vit-large-patch14, saved locally)
eval.aesthetic_model=/data/models/opens2v/aesthetic-model.safetensors.
"""

from __future__ import annotations

import argparse
import sys

from stdt2v.errors import StdT2VError
from stdt2v.eval.aesthetic import convert_aesthetic_mlp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("source", help="aesthetic-model.pth (the MLP's state dict)")
    parser.add_argument("target", help="the .safetensors file to write")
    parser.add_argument("--allow-pickle", action="store_true", help="required: unpickling can run code, trust the source")
    args = parser.parse_args()
    try:
        count = convert_aesthetic_mlp(args.source, args.target, allow_pickle=args.allow_pickle)
    except StdT2VError as err:
        print(f"convert_aesthetic: error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.target}: {count} tensors, the aesthetic MLP's layers.{{0,2,4,6,7}}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
