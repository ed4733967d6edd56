"""Convert torchvision's InceptionV3 weights (.pth pickle) to safetensors for ConsisID's "FID".

    # torchvision's IMAGENET1K_V1 weights, the file models.inception_v3(weights=DEFAULT) loads:
    wget https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth -P /data/models
    python scripts/convert_inception.py --allow-pickle \
        /data/models/inception_v3_google-0cc3c7bd.pth /data/models/inception_v3_google.safetensors

then evaluate with eval.protocol=consisid eval.fid=true eval.fid_feature=inception
eval.fid_inception_weights=/data/models/inception_v3_google.safetensors.
"""

from __future__ import annotations

import argparse
import sys

from stdt2v.errors import StdT2VError
from stdt2v.eval.inception import convert_torchvision_inception


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("source", help="torchvision's inception_v3 .pth file")
    parser.add_argument("target", help="the .safetensors file to write")
    parser.add_argument("--allow-pickle", action="store_true", help="required: unpickling can run code, trust the source")
    args = parser.parse_args()
    try:
        count = convert_torchvision_inception(args.source, args.target, allow_pickle=args.allow_pickle)
    except StdT2VError as err:
        print(f"convert_inception: error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.target}: {count} tensors, torchvision's inception_v3 layout")
    return 0


if __name__ == "__main__":
    sys.exit(main())
