"""Convert a published IP-Adapter / FaceID checkpoint (.bin pickle) to safetensors.

    hf download h94/IP-Adapter-FaceID ip-adapter-faceid-plusv2_sdxl.bin --local-dir /data/models/faceid
    python scripts/convert_ip_adapter.py --allow-pickle \
        /data/models/faceid/ip-adapter-faceid-plusv2_sdxl.bin /data/models/faceid/ip-adapter-faceid-plusv2_sdxl.safetensors

then run with keyframe.identity.path=/data/models/faceid.
"""

from __future__ import annotations

import argparse
import sys

from stdt2v.errors import StdT2VError
from stdt2v.keyframe.convert import convert_ip_adapter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("source", help="the .bin checkpoint")
    parser.add_argument("target", help="the .safetensors file to write")
    parser.add_argument("--allow-pickle", action="store_true", help="required: unpickling can run code, trust the source")
    args = parser.parse_args()
    try:
        counts = convert_ip_adapter(args.source, args.target, allow_pickle=args.allow_pickle)
    except StdT2VError as err:
        print(f"convert_ip_adapter: error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.target}: {counts['image_proj']} image_proj and {counts['ip_adapter']} ip_adapter tensors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
