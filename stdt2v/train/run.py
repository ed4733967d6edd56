"""``run_training``: a training config → its task, trained in the run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from stdt2v.config.load import save_config
from stdt2v.errors import ConfigError
from stdt2v.io import atomic_write_json
from stdt2v.lock import output_lock
from stdt2v.runinfo import environment
from stdt2v.train.config import TaskName
from stdt2v.train.frame import check_output, make_accelerator, train
from stdt2v.train.i2v_lora import WanLoRATask
from stdt2v.train.id_adapter import IdentityAdapterTask


def run_training(cfg: DictConfig, *, wait: bool = False) -> dict[str, Any]:
    """Build the run's task from ``cfg`` and train it; returns the run summary. ``wait``: wait
    for another run holding the run folder instead of stopping."""
    if not cfg.output:
        raise ConfigError("train: give --output (the run folder)")
    output = Path(cfg.output).expanduser()
    check_output(cfg, output)
    output.mkdir(parents=True, exist_ok=True)
    accelerator = make_accelerator(cfg, output)
    with output_lock(output, wait=wait, state=accelerator):  # one run per folder; its processes share it
        if accelerator.is_main_process:
            save_config(cfg, output / "config.yaml")
            env = environment({"seed": cfg.seed}, str(accelerator.device))
            atomic_write_json(output / "env.json", {**env, "processes": accelerator.num_processes})
        tasks = {TaskName.id_adapter: IdentityAdapterTask, TaskName.i2v_lora: WanLoRATask}
        task = tasks[cfg.task](cfg, accelerator.device)
        return train(cfg, task, accelerator, output)
