"""stdt2v.sources: every weight source resolved once, before any model loads, without torch."""

from __future__ import annotations

import subprocess
import sys

import pytest

from stdt2v.config import load_config
from stdt2v.errors import ConfigError
from tests.conftest import DEMO_CONFIG, ROOT


def test_the_demo_resolves_to_local_folders_and_the_cpu(tiny_cache):
    import torch

    sources = resolve(tiny_cache)
    assert sources.device == torch.device("cpu") and sources.dtype == sources.vae_dtype == torch.float32
    for folder, marker in ((sources.keyframe, "model_index.json"), (sources.animate, "model_index.json"), (sources.identity, "config.json")):
        assert folder.startswith(str(tiny_cache)) and (ROOT / folder / marker).is_file()
    assert (sources.llm, sources.vlm, sources.faceid_weight) == (None, None, None)  # the rule decoupler loads nothing
    only = resolve(tiny_cache, stages=("prompts",))
    assert only.keyframe is None and only.animate is None and only.vae_dtype is None


def test_a_bad_adapter_folder_is_one_line_before_anything_loads(tiny_cache, tmp_path):
    with pytest.raises(ConfigError, match=r"keyframe.identity.path: .* has no config.json"):
        resolve(tiny_cache, [f"keyframe.identity.path={tmp_path}"])


def test_resolving_imports_no_torch_and_the_hyperlora_marker_is_the_models():
    code = "import sys, stdt2v.sources, stdt2v.keyframe, stdt2v.batch, stdt2v.train; assert 'torch' not in sys.modules"
    code += "; assert 'stdt2v.keyframe.sdxl' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    from stdt2v.models.hyperlora import MODULES_JSON
    from stdt2v.sources import HYPERLORA_MARKER

    assert HYPERLORA_MARKER == MODULES_JSON


def resolve(cache, overrides=(), stages=("keyframe", "animate", "prompts")):
    from stdt2v.sources import resolve_sources

    return resolve_sources(load_config(DEMO_CONFIG, [f"cache_dir={cache}", *overrides]), stages=stages)


@pytest.mark.slow
def test_the_config_reaches_at_most_twelve_modules_from_from_config(tiny_cache):
    """Issue 29's measure: followed from IPT2VPipeline.from_config, the DictConfig stops at the
    pipeline and the sources; the stages get the schema's dataclasses."""
    done = subprocess.run([sys.executable, "scripts/config_reach.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    total = next(line for line in lines if line.startswith("the config, in any form, reaches"))
    assert int(total.split("reaches ")[1].split()[0]) <= 12
    start = lines.index("the config (root or DictConfig section) reaches 2 modules:")
    assert [line.strip() for line in lines[start + 1 : start + 3]] == ["stdt2v.pipeline", "stdt2v.sources"]
