"""The command that starts several processes on one CPU machine under Accelerate (gloo).

``accelerate launch --cpu --num_processes N`` silently runs ONE process; this form runs N, as
the batch and training tests and ``scripts/bench_batch.py`` need (set ``ACCELERATE_USE_CPU=true``
in the environment)."""

from __future__ import annotations

import socket
import sys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_launch_command(num_processes: int, port: int | None = None) -> list[str]:
    """``python -m accelerate.commands.launch ...`` for ``num_processes`` CPU processes; append
    ``-m stdt2v ...`` or a script to it."""
    return [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--multi_gpu",
        "--num_processes",
        str(num_processes),
        "--num_machines",
        "1",
        "--mixed_precision",
        "no",
        "--dynamo_backend",
        "no",
        "--main_process_port",
        str(port or free_port()),
    ]
