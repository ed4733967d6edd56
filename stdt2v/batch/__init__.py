"""Batch inference: resumable, exactly-once, sharded across processes with Accelerate
(``run.py``). Importing the package loads no torch: ``run_batch`` is imported on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.lazy import lazy_exports

if TYPE_CHECKING:
    from stdt2v.batch.run import run_batch

# Re-exported on first use: importing the package loads no backend.
_EXPORTS = {
    "run_batch": "stdt2v.batch.run",
}

__all__ = ["run_batch"]
__getattr__ = lazy_exports(__name__, _EXPORTS)
