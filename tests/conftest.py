"""Shared fixtures. Tiny models are built once per session into a temporary cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLE = ROOT.parent / "shared" / "data" / "vip200k_sample"
DEMO_CONFIG = ROOT / "configs" / "demo.yaml"
DEMO_PROMPT = "A woman with short grey hair smiles and turns her head to the left in a bright office."


@pytest.fixture(scope="session", autouse=True)
def tiny_cache(tmp_path_factory) -> Path:
    """Point STDT2V_CACHE at a per-session folder, so tests never touch the user's cache."""
    cache = tmp_path_factory.mktemp("stdt2v-cache")
    previous = os.environ.get("STDT2V_CACHE")
    os.environ["STDT2V_CACHE"] = str(cache)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    yield cache
    if previous is None:
        os.environ.pop("STDT2V_CACHE", None)
    else:
        os.environ["STDT2V_CACHE"] = previous


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not SHARED_SAMPLE.is_dir():
        pytest.skip(f"real sample faces not found at {SHARED_SAMPLE} (the ../shared folder beside the repo)")
    return SHARED_SAMPLE


@pytest.fixture(scope="session")
def demo_cfg(tiny_cache):
    from stdt2v.config import load_config

    # Small frame count and size: the same architectures, less arithmetic.
    return load_config(DEMO_CONFIG, ["animate.num_frames=5", "animate.height=64", "animate.width=96", "keyframe.num_candidates=2", "progress=false"])


@pytest.fixture(scope="session")
def demo_pipe(demo_cfg):
    from stdt2v.pipeline import IPT2VPipeline

    return IPT2VPipeline.from_config(demo_cfg)


@pytest.fixture(scope="session")
def face_analyzer():
    from stdt2v.config.schema import FaceConfig
    from stdt2v.face import build_face_analyzer
    from omegaconf import OmegaConf

    return build_face_analyzer(OmegaConf.structured(FaceConfig))
