"""Training with Accelerate: a shared frame (``frame.py``) and one task per trainable part;
``run.py`` runs one."""

from stdt2v.train.config import TrainConfig
from stdt2v.train.run import run_training

__all__ = ["TrainConfig", "run_training"]
