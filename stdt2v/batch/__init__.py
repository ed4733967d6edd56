"""Batch inference: resumable, exactly-once, sharded across processes with Accelerate
(``run.py``). Importing the package loads no torch: ``run_batch`` is imported on first use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stdt2v.batch.run import run_batch

__all__ = ["run_batch"]


def __getattr__(name: str) -> Any:
    if name != "run_batch":
        raise AttributeError(f"module 'stdt2v.batch' has no attribute '{name}'")
    return importlib.import_module("stdt2v.batch.run").run_batch
