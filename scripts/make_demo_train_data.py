"""Write the tiny identity-adapter training set the demo training config reads.

    python scripts/make_demo_train_data.py            # → outputs/demo_train_data/identity.jsonl

Uses the sample identities in ../shared/data/vip200k_sample when present, else the
photograph shipped with matplotlib.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from stdt2v.train.synthetic import make_face_clips, make_identity_triples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--output", default="outputs/demo_train_data")
    parser.add_argument("--sample", default="../shared/data/vip200k_sample")
    args = parser.parse_args()
    sample = Path(args.sample)
    images = sorted(sample.glob("id*/image.png")) if sample.is_dir() else []
    images = images or ["builtin:grace_hopper"]
    print(make_identity_triples(images, args.output))
    print(make_face_clips(images, args.output))


if __name__ == "__main__":
    main()
