"""Build the embedded tiny random-weight models into a cache folder and print where they are.

Useful to pre-build them once on a shared filesystem before many jobs start, or to inspect
the saved diffusers folders:

    python scripts/build_tiny_models.py --cache-dir /shared/stdt2v-cache
"""

from __future__ import annotations

import argparse
import os

from stdt2v.loading import materialize_tiny
from stdt2v.tiny import TINY_MODELS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("names", nargs="*", default=list(TINY_MODELS), help=f"models to build (default: all of {', '.join(TINY_MODELS)})")
    parser.add_argument("--cache-dir", default=os.environ.get("STDT2V_CACHE", "~/.cache/stdt2v"))
    args = parser.parse_args()
    for name in args.names:
        folder = materialize_tiny(name, args.cache_dir)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(f"{name:18s} {size / 2**20:6.1f} MiB  {folder}")


if __name__ == "__main__":
    main()
