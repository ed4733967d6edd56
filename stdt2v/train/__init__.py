"""Training with Accelerate: a shared frame (``frame.py``) and one task per trainable part;
``run.py`` runs one. Importing the package loads no torch: ``run_training`` is imported on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.lazy import lazy_exports
from stdt2v.train.config import TrainConfig

if TYPE_CHECKING:
    from stdt2v.train.run import run_training

# Re-exported on first use: importing the package loads no backend.
_EXPORTS = {
    "run_training": "stdt2v.train.run",
}

__all__ = ["TrainConfig", "run_training"]
__getattr__ = lazy_exports(__name__, _EXPORTS)
