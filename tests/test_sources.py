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
