"""Batch inference: resumable, exactly-once, sharded across processes with Accelerate."""

from stdt2v.batch.run import run_batch

__all__ = ["run_batch"]
