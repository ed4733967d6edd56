"""The embedded default: tiny random-weight instances of the real architectures.

Each builder constructs the real diffusers/transformers classes from small configs (as
diffusers' own fast tests do) with a fixed seed and writes them with ``save_pretrained``.
The pipeline then loads them with ``from_pretrained``, the same path real weights take.
Their outputs are noise: they exist to run and test the plumbing on a CPU, offline.
"""

from stdt2v.tiny.registry import SOURCE_PACKAGES, TINY_MODELS, builder

__all__ = ["SOURCE_PACKAGES", "TINY_MODELS", "builder"]
