"""Random-seed policy (stdt2v.seeds): one range, offsets added modulo 2^64, both ends of the range
through the real code path, and one-line errors outside it."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import torch

from stdt2v.data.items import item_seed
from stdt2v.errors import ConfigError, InputError
from stdt2v.keyframe.stage import KeyframeStage
from stdt2v.pipeline import IPT2VPipeline
from stdt2v.seeds import MAX_SEED, check_seed, derive_seed
from stdt2v.train.data import BucketBatchSampler
from tests.conftest import DEMO_PROMPT
from tests.test_cli import generate_args, run_cli


def test_the_range_is_what_torch_takes():
    # Why MAX_SEED is 2^64 - 1: manual_seed takes it and fails one past it (the bug derive_seed fixes).
    assert torch.Generator().manual_seed(MAX_SEED).initial_seed() == MAX_SEED
    with pytest.raises((RuntimeError, ValueError)):
        torch.Generator().manual_seed(MAX_SEED + 1)


def test_derive_seed_adds_below_the_wrap_and_wraps_past_it():
    assert derive_seed(2024, 1) == 2025  # configs/tpige.yaml: the video stage draws with 2025
    assert derive_seed(0, 0) == 0 and derive_seed(7, 10**6) == 1_000_007
    assert derive_seed(MAX_SEED, 0) == MAX_SEED
    assert derive_seed(MAX_SEED, 1) == 0 and derive_seed(MAX_SEED, 1000) == 999
    assert derive_seed(MAX_SEED - 5, 10**6) == 10**6 - 6
    torch.Generator().manual_seed(derive_seed(MAX_SEED, 10**6))  # every derived seed is one torch takes


@pytest.mark.parametrize("value, seed", [(0, 0), (MAX_SEED, MAX_SEED), ("42", 42), (3.0, 3), (str(MAX_SEED), MAX_SEED)])
def test_check_seed_accepts_the_range(value, seed):
    assert check_seed(value) == seed


@pytest.mark.parametrize(
    "value, message",
    [
        (-1, "seed: -1 is out of range; use an integer in 0..2^64-1"),
        (2**64, "seed: 18446744073709551616 is out of range; use an integer in 0..2^64-1"),
        (1.5, "seed: 1.5 is not an integer; use an integer in 0..2^64-1"),
        ("abc", "seed: 'abc' is not an integer; use an integer in 0..2^64-1"),
        (True, "seed: True is not an integer; use an integer in 0..2^64-1"),
        (None, "seed: None is not an integer; use an integer in 0..2^64-1"),
        (float("inf"), "seed: inf is not an integer; use an integer in 0..2^64-1"),
    ],
)
def test_check_seed_rejects_with_one_line(value, message):
    with pytest.raises(InputError) as err:
        check_seed(value)
    assert str(err.value) == message
    with pytest.raises(ConfigError, match="^train.seed: "):
        check_seed(value, "train.seed", ConfigError)


def test_derive_seed_refuses_a_bad_base_instead_of_wrapping_it():
    with pytest.raises(InputError, match="seed: 18446744073709551616 is out of range"):
        derive_seed(2**64, 0)
    with pytest.raises(InputError, match="seed: -1 is out of range"):
        derive_seed(-1, 1)


def test_each_offset_site_wraps():
    assert item_seed(2024, "id001/prompt1") == 232_141  # 2024 + the key's offset 230117, as before
    assert item_seed(MAX_SEED, "id001/prompt1") == 230_116
    assert KeyframeStage.candidate_seeds(5, 3) == [5, 6, 7]
    assert KeyframeStage.candidate_seeds(MAX_SEED, 3) == [MAX_SEED, 0, 1]
    assert IPT2VPipeline.seeds(2024) == {"keyframe": 2024, "animate": 2025}
    assert IPT2VPipeline.seeds(MAX_SEED) == {"keyframe": MAX_SEED, "animate": 0}


def test_training_shuffle_at_the_top_seed_is_the_wrapped_one():
    top, zero = BucketBatchSampler([(1,)] * 8, 2, True, MAX_SEED), BucketBatchSampler([(1,)] * 8, 2, True, 0)
    top.set_epoch(1)  # MAX_SEED + 1 wraps to 0: the same order as seed 0, epoch 0
    assert list(top) == list(zero)


def test_both_ends_of_the_range_through_the_pipeline(demo_pipe):
    """seed=0 and seed=2^64-1 run; candidate seed 0 is the same image whichever run drew it."""
    low = demo_pipe(prompt=DEMO_PROMPT, id_image="builtin:grace_hopper", seed=0, until="keyframe")
    top = demo_pipe(prompt=DEMO_PROMPT, id_image="builtin:grace_hopper", seed=MAX_SEED, until="keyframe")
    assert [c["seed"] for c in low.report.keyframe["candidates"]] == [0, 1]
    assert [c["seed"] for c in top.report.keyframe["candidates"]] == [MAX_SEED, 0]
    assert top.report.seeds == {"keyframe": MAX_SEED, "animate": 0}
    assert np.array_equal(np.asarray(low.candidates[0]), np.asarray(top.candidates[1]))
    assert not np.array_equal(np.asarray(top.candidates[0]), np.asarray(top.candidates[1]))
    with pytest.raises(InputError, match="seed: -1 is out of range"):
        demo_pipe(prompt=DEMO_PROMPT, id_image="builtin:grace_hopper", seed=-1, until="decouple")


@pytest.mark.slow
def test_generate_at_the_top_seed_runs(tmp_path):
    """Issue 29's contract: `stdt2v generate ... seed=18446744073709551615` runs, no traceback."""
    out = tmp_path / "run"
    proc = run_cli(*generate_args(out, extra=[f"seed={MAX_SEED}"]))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    report = json.loads((out / "report.json").read_text())
    assert report["seeds"] == {"keyframe": MAX_SEED, "animate": 0}
    assert json.loads((out / "env.json").read_text())["seeds"] == {"keyframe": MAX_SEED, "animate": 0}


@pytest.mark.parametrize("seed", ["-1", str(2**64), "1.5"])
def test_generate_outside_the_range_is_one_line(tmp_path, seed):
    out = tmp_path / "run"
    proc = run_cli(*generate_args(out, extra=[f"seed={seed}"]))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert re.match(r"stdt2v: error: .*seed", proc.stderr) and not out.exists(), proc.stderr
