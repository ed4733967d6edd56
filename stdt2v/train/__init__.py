"""Training with Accelerate: a shared frame (``frame.py``) and one task per trainable part;
``run.py`` runs one. Importing the package loads no torch: ``run_training`` is imported on first use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stdt2v.train.config import TrainConfig

if TYPE_CHECKING:
    from stdt2v.train.run import run_training

__all__ = ["TrainConfig", "run_training"]


def __getattr__(name: str) -> Any:
    if name != "run_training":
        raise AttributeError(f"module 'stdt2v.train' has no attribute '{name}'")
    return importlib.import_module("stdt2v.train.run").run_training
