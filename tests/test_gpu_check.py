"""scripts/gpu_check.py off CUDA: its help, the one-line refusal, and the measuring loop on a
CPU with two-block models (rows that cannot run here are skipped with the reason)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from benchmarks.gpu_check import Row, default_rows, missing, run_check
from tests.conftest import ROOT

SCRIPT = ["-m", "scripts.gpu_check"]  # run from the repository root: it imports benchmarks/


def test_help_works_without_cuda():
    done = subprocess.run([sys.executable, *SCRIPT, "--help"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0 and "--budget-s" in done.stdout and "--small" in done.stdout


def test_without_cuda_it_exits_2_in_one_line():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    done = subprocess.run([sys.executable, *SCRIPT, "--json", "x.json"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 2 and done.stderr.strip().startswith("stdt2v: error: gpu_check measures a CUDA GPU")
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""


def test_the_matrix_puts_480p_first_and_every_option_once():
    rows = default_rows()
    assert len(rows) == 2 * 2 * 7 and rows[0] == Row("ti2v_5b", "480p") and {r.size for r in rows[:14]} == {"480p"}
    assert {(r.quantization, r.attention, r.compiled) for r in rows if r.model == "a14b" and r.size == "720p"} == {
        ("bf16", "native", False),
        ("fp8", "native", False),
        ("int8", "native", False),
        ("nf4", "native", False),
        ("bf16", "flash", False),
        ("bf16", "sage", False),
        ("bf16", "native", True),
    }


@pytest.mark.slow
def test_the_loop_on_a_cpu_measures_what_runs_and_skips_the_rest():
    cpu = torch.device("cpu")
    rows = [Row("ti2v_5b", "480p", "bf16"), Row("ti2v_5b", "480p", "fp8"), Row("ti2v_5b", "480p", "nf4"), Row("ti2v_5b", "480p", "bf16", "sage")]
    assert missing(rows[2], cpu) in ("bitsandbytes not installed", "needs CUDA") and missing(rows[3], cpu) in ("sageattention not installed", "needs CUDA")
    result = run_check(rows, cpu, small=True, repeat=1)
    by = {(r["quantization"], r["attention"]): r for r in result["rows"]}
    assert [r["status"] for r in result["rows"]] == ["ok", "ok", "skipped", "skipped"]
    assert by[("fp8", "native")]["plan_gib"] < 0.55 * by[("bf16", "native")]["plan_gib"]  # the planner's weights: fp8 against float32
    assert by[("bf16", "native")]["s_per_step_cfg"] == 2 * by[("bf16", "native")]["s_per_forward"] and by[("bf16", "native")]["peak_gib"] is None
    assert result["device"]["device"] == "cpu" and result["dtype"] == "float32"
    late = run_check(rows[:1], cpu, small=True, budget_s=0.0)  # nothing starts once the budget is spent
    assert late["rows"][0]["status"] == "skipped" and late["rows"][0]["reason"] == "time budget spent"
