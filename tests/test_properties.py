"""Property-based hardening (issue 33): random values of the wrong and edge kinds for every key
of the config schemas and every flag of every verb. Validation answers with one ``stdt2v:
error:`` line and exit 2, or accepts the value; never a traceback. No model loads: a verb that
got through its checks stops where it would import the heavy libraries (``_quiet_libraries``).

Profiles (tests/conftest.py): ``ci`` (default) runs a fixed seed and a few dozen examples per
test; ``pytest --hypothesis-profile=local tests/test_properties.py`` runs a thousand, at random.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import typing
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from stdt2v.cli import command as cli  # noqa: E402
from stdt2v.config import load_config  # noqa: E402
from stdt2v.config.schema import PipelineConfig  # noqa: E402
from stdt2v.errors import StdT2VError  # noqa: E402
from stdt2v.train import TrainConfig  # noqa: E402
from stdt2v.train.config import validate_train_config  # noqa: E402
from tests.conftest import DEMO_CONFIG, ROOT  # noqa: E402

TRAIN_CONFIG = ROOT / "configs" / "train" / "demo_id_adapter.yaml"
FIXTURE_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def leaf_keys(schema: type, prefix: str = "") -> list[str]:
    keys = []
    for name, hint in typing.get_type_hints(schema).items():
        keys += leaf_keys(hint, f"{prefix}{name}.") if dataclasses.is_dataclass(hint) else [prefix + name]
    return keys


PIPELINE_KEYS = leaf_keys(PipelineConfig)
TRAIN_KEYS = leaf_keys(TrainConfig)


@pytest.fixture(scope="module")
def specials(tmp_path_factory) -> list[str]:
    """Paths of the special kinds: a FIFO, a folder, a device, a missing file, a too-long name."""
    root = tmp_path_factory.mktemp("specials")
    os.mkfifo(root / "fifo.yaml")
    (root / "folder").mkdir()
    (root / "text.txt").write_text("not an image\n")
    return [str(root / "fifo.yaml"), str(root / "folder"), "/dev/null", "/dev/zero", str(root / "missing.png"), str(root / "text.txt"), "x" * 300]


def wrong_values(specials: list[str]):
    """Override values (as typed on the command line) of the wrong and edge kinds."""
    numbers = st.sampled_from(["nan", "inf", "-inf", "1e308", "-1e308", "-0.0", "0", "-1", "1e-320", str(2**64), str(-(2**64)), "0x10", "1_000"])
    return st.one_of(
        numbers,
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(["", "[]", "[1, 2]", "[[]]", "{a: 1}", "{}", "null", "true", "no", "''", "???"]),
        st.sampled_from(["${oc.env:NO_SUCH_VAR}", "${seed}", "${a.b}", "'\\x00'"]),
        st.sampled_from(specials),
        st.text(max_size=24),
    )


def outcome(call) -> None:
    """``call()`` validates: accepted, or one-line ``StdT2VError`` with exit code 2."""
    try:
        call()
    except StdT2VError as err:
        assert err.exit_code == 2, err
        assert "\n" not in str(err) and str(err).strip(), repr(str(err))


@given(data=st.data())
@settings(suppress_health_check=FIXTURE_HEALTH)
def test_pipeline_config_keys(data, specials):
    key = data.draw(st.sampled_from(PIPELINE_KEYS), label="key")
    value = data.draw(wrong_values(specials), label="value")
    outcome(lambda: load_config(DEMO_CONFIG, [f"{key}={value}"]))


@given(data=st.data())
@settings(suppress_health_check=FIXTURE_HEALTH)
def test_training_config_keys(data, specials):
    key = data.draw(st.sampled_from(TRAIN_KEYS), label="key")
    value = data.draw(wrong_values(specials), label="value")
    outcome(lambda: load_config(TRAIN_CONFIG, [f"{key}={value}"], schema=TrainConfig, validate=validate_train_config))


class Accepted(Exception):
    """The verb got through its checks and was about to import the heavy libraries."""


# Each verb's flags: what a valid line gives them (None: a flag left out), in order.
VERBS = {
    "generate": {"--config": str(DEMO_CONFIG), "--id-image": "builtin:grace_hopper", "--prompt": "A man waves.", "--output": "out"},
    "decouple": {"--config": str(DEMO_CONFIG), "--prompt": "A man waves.", "--id-image": None},
    "decouple/folder": {"--config": str(DEMO_CONFIG), "--input": "in", "--output": "out"},
    "faces": {"--config": str(DEMO_CONFIG), "IMAGE": "builtin:grace_hopper"},
    "evaluate": {"--videos": "videos", "--references": "refs", "--prompts": None, "--references-root": None, "--output": "out", "--config": None},
    "batch": {"--config": str(DEMO_CONFIG), "--input": "in", "--output": "out"},
    "app": {"--config": str(DEMO_CONFIG), "--host": "127.0.0.1", "--port": "38517", "--output": "out"},
    "plan": {"--config": str(DEMO_CONFIG), "--budget-gb": None, "--json": None},
    "report": {"OUTPUT": "out"},
    "hyperlora": {"--config": str(DEMO_CONFIG), "--id-image": "builtin:grace_hopper", "--output": "x.safetensors"},
    "train": {"--config": str(TRAIN_CONFIG), "--output": "out", "--resume": None},
}


def argv_for(verb: str, flags: dict) -> list[str]:
    line = [verb.split("/")[0]]
    for flag, value in flags.items():
        if value is None:
            continue
        line += [value] if not flag.startswith("--") else [f"{flag}={value}"]
    return line


@given(data=st.data())
@settings(suppress_health_check=FIXTURE_HEALTH)
def test_every_flag_of_every_verb(data, specials, tmp_path, monkeypatch, capsys):
    """One verb, one or two flags given random values (the others valid), perhaps an override:
    the line is refused in one line with exit 2, or accepted (stopped before the models)."""
    verb = data.draw(st.sampled_from(sorted(VERBS)), label="verb")
    flags = dict(VERBS[verb])
    for flag in data.draw(st.lists(st.sampled_from(sorted(flags)), min_size=1, max_size=2, unique=True), label="flags"):
        flags[flag] = data.draw(wrong_values(specials), label=flag)
    line = argv_for(verb, flags)
    if verb != "report" and data.draw(st.booleans(), label="with override"):
        key = data.draw(st.sampled_from(TRAIN_KEYS if verb == "train" else PIPELINE_KEYS), label="override key")
        line.append(f"{key}={data.draw(wrong_values(specials), label='override value')}")

    work = Path(tempfile.mkdtemp(dir=tmp_path))  # relative paths land here
    monkeypatch.chdir(work)
    calls = []

    def stop(*args):  # main's own first call quiets the libraries; a verb's call means "checked"
        if sys._getframe(1).f_code.co_name != "main":
            raise Accepted
        calls.append(1)

    monkeypatch.setattr(cli, "_quiet_libraries", stop)
    capsys.readouterr()
    try:
        code = cli.main(line)
    except Accepted:
        return
    except SystemExit as exit:  # argparse: a usage error is one line too
        code = exit.code
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("stdt2v: error:")]
    assert "Traceback" not in err
    if code == 0:
        return  # a valid line that needs no model (e.g. `report` of an empty run folder)
    assert code == 2 and len(errors) == 1, (line, code, err)
    assert not any(Path(work, name).exists() for name in ("videos", "refs", "in")), "a verb created an input folder"
