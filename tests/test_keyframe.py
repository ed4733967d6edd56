"""Keyframe stage on tiny random-weight SDXL and FLUX: identity adapters, best-of-N, refinement."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from omegaconf import OmegaConf
from PIL import Image

from stdt2v.config.schema import KeyframeConfig, RefineConfig
from stdt2v.config.validate import check_keyframe as check_keyframe_config
from stdt2v.errors import ConfigError, NoFaceError, StdT2VError
from stdt2v.keyframe import Identity, KeyframeGenerator, KeyframeStage, build_keyframe_generator
from stdt2v.keyframe.refine import face_crop_box, refine_face
from stdt2v.keyframe.select import Score, best_of_n
from stdt2v.loading import resolve_model_source
from stdt2v.sources import Sources, identity_sources

SIZE = dict(height=64, width=64)


def keyframe_cfg(**overrides):
    cfg = OmegaConf.merge(OmegaConf.structured(KeyframeConfig), {"model": "tiny:sdxl", "num_inference_steps": 2})
    return OmegaConf.merge(cfg, OmegaConf.from_dotlist([f"{k}={v}" for k, v in overrides.items()]))


def make_generator(cache, **overrides):
    cfg = keyframe_cfg(**overrides)
    source = resolve_model_source(cfg.model, cache, key="keyframe.model")
    sources = Sources(torch.device("cpu"), torch.float32, cache_dir=cache, keyframe=source, **identity_sources(cfg, cache))
    return build_keyframe_generator(cfg, sources, progress=False)


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float64)


def unit(dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim)
    return (v / np.linalg.norm(v)).astype(np.float32)


@pytest.fixture(scope="module")
def sdxl_base(tiny_cache):
    return make_generator(tiny_cache)


@pytest.fixture(scope="module")
def sdxl_adapter(tiny_cache):
    return make_generator(tiny_cache, **{"identity.adapter": "stdt2v", "identity.path": "tiny:id-adapter-sdxl"})


@pytest.mark.parametrize("backend", ["sdxl", "flux"])
def test_identity_tokens_reach_attention_and_scale_zero_is_the_base(tiny_cache, backend, request):
    overrides = {"backend": backend, "model": f"tiny:{backend}"}
    base = make_generator(tiny_cache, **overrides)
    adapted = make_generator(tiny_cache, **overrides, **{"identity.adapter": "stdt2v", "identity.path": f"tiny:id-adapter-{backend}"})
    a, b = Identity(unit(128, 1)), Identity(unit(128, 2))
    without = pixels(base.generate("a woman in a red coat", seeds=[0], **SIZE)[0])
    with_a = pixels(adapted.generate("a woman in a red coat", seeds=[0], identity=a, **SIZE)[0])
    with_b = pixels(adapted.generate("a woman in a red coat", seeds=[0], identity=b, **SIZE)[0])
    assert np.abs(with_a - with_b).mean() > 0.1  # another face vector, another image
    assert np.abs(with_a - without).mean() > 0.1
    adapted.conditioner.set_scale(0.0)
    at_zero = pixels(adapted.generate("a woman in a red coat", seeds=[0], identity=a, **SIZE)[0])
    np.testing.assert_array_equal(at_zero, without)


def test_adapter_save_load_round_trip(tiny_cache, tmp_path):
    from safetensors.torch import load_file

    from stdt2v.models.identity_adapter import IdentityAdapter
    from stdt2v.tiny.flux import tiny_flux_transformer
    from stdt2v.tiny.sdxl import tiny_sdxl_unet

    unet = tiny_sdxl_unet()
    adapter = IdentityAdapter.for_model(unet, id_dim=128, num_tokens=6, dim=32, depth=2, heads=2, dim_head=16)
    adapter.save_pretrained(tmp_path / "adapter")
    assert (tmp_path / "adapter" / "diffusion_pytorch_model.safetensors").is_file()
    loaded = IdentityAdapter.from_pretrained(tmp_path / "adapter", use_safetensors=True)
    assert loaded.config.num_tokens == 6 and len(loaded.processors) == len(adapter.processors) > 0
    saved = load_file(tmp_path / "adapter" / "diffusion_pytorch_model.safetensors")
    for name, tensor in loaded.state_dict().items():
        torch.testing.assert_close(tensor, saved[name])
    x = torch.randn(3, 128)
    torch.testing.assert_close(loaded.resampler(x), adapter.resampler(x))
    assert loaded.resampler(x).shape == (3, 6, unet.config.cross_attention_dim)
    with pytest.raises(ValueError, match="another base model"):
        loaded.attach(tiny_flux_transformer())


def test_faceid_checkpoint_loads_with_its_lora(tiny_cache):
    gen = make_generator(tiny_cache, **{"identity.adapter": "faceid", "identity.path": "tiny:faceid-sdxl", "guidance_scale": 5.0})
    assert "faceid_0" in gen.pipe.unet.peft_config  # the LoRA embedded in the checkpoint
    assert gen.conditioner.id_dim == 512
    a = pixels(gen.generate("a man", seeds=[0], identity=Identity(unit(512, 1)), **SIZE)[0])
    b = pixels(gen.generate("a man", seeds=[0], identity=Identity(unit(512, 2)), **SIZE)[0])
    assert np.abs(a - b).mean() > 0.1
    with pytest.raises(StdT2VError, match="512-d identity vectors.*128-d"):
        gen.generate("a man", seeds=[0], identity=Identity(unit(128, 1)), **SIZE)


def test_faceid_plusv2_reads_the_face_crop(tiny_cache):
    gen = make_generator(
        tiny_cache,
        **{"identity.adapter": "faceid_plusv2", "identity.path": "tiny:faceid-sdxl", "identity.image_encoder": "image_encoder"},
    )
    assert gen.conditioner.needs_face_crop and gen.pipe.image_encoder is not None
    crop_a = Image.new("RGB", (224, 224), (200, 150, 120))
    crop_b = Image.new("RGB", (224, 224), (40, 60, 90))
    a = pixels(gen.generate("a man", seeds=[0], identity=Identity(unit(512, 1), crop_a), **SIZE)[0])
    b = pixels(gen.generate("a man", seeds=[0], identity=Identity(unit(512, 1), crop_b), **SIZE)[0])
    assert np.abs(a - b).mean() > 0.1
    refined = gen.refine(Image.fromarray(a.astype(np.uint8)), "a man", seed=0, strength=0.5, identity=Identity(unit(512, 1), crop_a))
    assert refined.size == (64, 64)


def test_pickle_faceid_weights_need_the_opt_in():
    cfg = keyframe_cfg(**{"identity.adapter": "faceid", "identity.path": "x", "identity.weight_name": "ip-adapter-faceid_sdxl.bin"})
    with pytest.raises(ConfigError, match="pickle file.*convert_ip_adapter"):
        check_keyframe_config(cfg)
    check_keyframe_config(cfg, allow_pickle=True)


def test_schedulers(sdxl_base, tiny_cache):
    scheduler = sdxl_base.pipe.scheduler
    assert type(scheduler).__name__ == "DPMSolverMultistepScheduler" and scheduler.config.use_karras_sigmas
    with pytest.raises(ConfigError, match="FLUX needs its flow-matching"):  # validated before anything loads
        check_keyframe_config(keyframe_cfg(backend="flux", model="tiny:flux", scheduler="dpmpp_2m_karras"))
    with pytest.raises(ConfigError, match="SDXL-only"):  # a config error: caught when the config is validated
        check_keyframe_config(keyframe_cfg(backend="flux", model="tiny:flux", **{"identity.adapter": "faceid", "identity.path": "x"}))


def test_candidates_do_not_depend_on_batching(sdxl_adapter):
    identity = Identity(unit(128, 3))
    together = sdxl_adapter.generate("a woman", seeds=[5, 6], identity=identity, **SIZE)
    alone = [sdxl_adapter.generate("a woman", seeds=[s], identity=identity, **SIZE)[0] for s in (5, 6)]
    for x, y in zip(together, alone):
        assert np.abs(pixels(x) - pixels(y)).max() <= 2  # batched matmuls round differently
    assert np.abs(pixels(together[0]) - pixels(together[1])).mean() > 0.1


def seed_image(seed: int) -> Image.Image:
    return Image.new("RGB", (8, 8), (seed, 0, 0))


def test_best_of_n_keeps_the_best_and_stops_early():
    scores = {0: 0.2, 1: 0.45, 2: 0.7, 3: 0.9, 4: 0.1}
    calls = []

    def generate(batch):
        calls.append(list(batch))
        return [seed_image(s) for s in batch]

    def score(image):
        return Score(scores[image.getpixel((0, 0))[0]])

    best, made = best_of_n(generate, score, [0, 1, 2, 3, 4], batch_size=2, threshold=0.5)
    assert calls == [[0, 1], [2, 3]]  # stopped after the batch where 0.7 passed 0.5
    assert best.seed == 3 and [c.seed for c in made] == [0, 1, 2, 3]
    best, made = best_of_n(generate, score, [0, 1, 4], batch_size=1, threshold=0.5)
    assert best.seed == 1 and len(made) == 3  # nobody passed: all made, best kept


class StubGenerator(KeyframeGenerator):
    """The keyframe interface with images made from the random seed (no model)."""

    name, size_multiple, max_prompt_tokens = "stub", 8, 77

    def __init__(self):
        self.refined = 0

    def count_prompt_tokens(self, prompt: str) -> int:
        return len(prompt.split())

    def generate(self, prompt, *, height, width, seeds, identity=None, **sampling):
        return [seed_image(s).resize((width, height)) for s in seeds]

    def refine(self, image, prompt, *, seed, strength, identity=None, **sampling):
        self.refined += 1
        return Image.new("RGB", image.size, (0, 255, 0))


class StubScorer:
    """Identity by the red value of the top-left pixel; refined (green) images score ``after``."""

    def __init__(self, by_seed: dict, after: float | None):
        self.by_seed, self.after = by_seed, after

    def reference(self, vector, image):
        return vector

    def __call__(self, image, reference):
        red, green, _ = image.getpixel((32, 32))
        if green > 200:  # a refined image
            return Score(self.after, _face() if self.after is not None else None)
        value = self.by_seed.get(red)
        return Score(value, None if value is None else _face(), None if value is not None else "no face detected")


def _face():
    from stdt2v.face import Face

    return Face(bbox=(24, 24, 40, 40), score=1.0, landmarks=np.zeros((5, 2)))


@pytest.mark.parametrize("after, applied", [(0.8, True), (0.3, False), (None, False)])
def test_stage_refines_only_when_identity_does_not_drop(after, applied):
    stage = KeyframeStage(StubGenerator(), StubScorer({0: 0.1, 1: 0.6, 2: 0.4}, after), num_candidates=3, refine=RefineConfig(work_size=64))
    result = stage("p", np.zeros(4), None, height=64, width=64, seed=0)
    report = result.report()
    assert [c["seed"] for c in report["candidates"]] == [0, 1] and report["chosen"] == 1  # early stop at 0.6
    assert report["refine"]["applied"] is applied and report["refine"]["identity_before"] == 0.6
    assert (result.image.getpixel((32, 32)) == (0, 255, 0)) is applied


def test_stage_without_any_face():
    stage = KeyframeStage(StubGenerator(), StubScorer({}, None), num_candidates=2, refine=None)
    with pytest.raises(NoFaceError, match="no face detected in any of the 2 keyframe candidates"):
        stage("p", np.zeros(4), None, height=64, width=64, seed=7)
    stage.require_face = False
    result = stage("p", np.zeros(4), None, height=64, width=64, seed=7)
    assert result.chosen == 0 and [c.to_dict() for c in result.candidates] == [
        {"seed": 7, "identity": None, "reason": "no face detected"},
        {"seed": 8, "identity": None, "reason": "no face detected"},
    ]


def test_refinement_pastes_back_on_the_face(face_analyzer):
    from stdt2v.io import load_image

    image = load_image("builtin:grace_hopper").convert("RGB")
    face = face_analyzer.largest_face(image)
    settings = RefineConfig(margin=0.5, work_size=128, feather=0.1)
    seen = []

    def img2img(crop):
        seen.append(crop.size)
        return Image.new("RGB", crop.size, (0, 255, 0))

    out, box = refine_face(image, face.bbox, img2img, settings, size_multiple=8)
    x0, y0, x1, y1 = box
    assert seen == [(128, 128)] and x1 - x0 == y1 - y0  # square crop, upscaled to the work size
    fx0, fy0, fx1, fy1 = face.bbox
    assert x0 <= fx0 and y0 <= fy0 and x1 >= fx1 and y1 >= fy1  # the whole face is inside
    assert 0 <= x0 and 0 <= y0 and x1 <= image.width and y1 <= image.height
    before, after = pixels(image), pixels(out)
    outside = np.ones(before.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    np.testing.assert_array_equal(after[outside], before[outside])  # nothing outside the crop moves
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    np.testing.assert_array_equal(after[cy, cx], [0, 255, 0])  # the centre is the re-rendered face
    np.testing.assert_allclose(after[y0, x0], before[y0, x0], atol=3)  # feathered: the corner blends to the original
    # The blend weight of the new face, from the green channel: 0 at the edge, rising to 1.
    row = slice(x0, x0 + (x1 - x0) // 3)
    headroom = 255 - before[cy, row, 1]
    weight = (after[cy, row, 1] - before[cy, row, 1]) / np.maximum(headroom, 1)
    usable = headroom > 40
    assert weight[usable][0] < 0.1 and weight[usable][-1] > 0.9
    assert np.all(np.diff(weight[usable]) > -0.05)


def test_crop_box_stays_inside_near_the_border():
    assert face_crop_box((0, 0, 20, 20), (100, 80), margin=0.5) == (0, 0, 40, 40)
    assert face_crop_box((90, 60, 100, 80), (100, 80), margin=1.0) == (40, 20, 100, 80)
    assert face_crop_box((0, 0, 100, 80), (100, 80), margin=1.0) == (10, 0, 90, 80)  # capped at the image


def test_bad_keyframe_settings_are_config_errors():
    for key, value in [("num_candidates", 0), ("refine.strength", 0), ("refine.feather", 0.7), ("identity_threshold", 2)]:
        with pytest.raises(ConfigError, match=f"keyframe.{key}"):
            check_keyframe_config(keyframe_cfg(**{key: value}))


def test_published_pickle_checkpoint_converts_and_loads(tiny_cache, tmp_path):
    """A FaceID .bin in the published layout → safetensors → loads through load_ip_adapter."""
    import shutil
    import subprocess
    import sys

    from safetensors.torch import load_file

    from stdt2v.tiny.adapters import FACEID_WEIGHTS

    folder = resolve_model_source("tiny:faceid-sdxl", tiny_cache, marker=None)
    tensors = load_file(f"{folder}/{FACEID_WEIGHTS}")
    nested = {part: {k[len(part) + 1 :]: v for k, v in tensors.items() if k.startswith(part + ".")} for part in ("image_proj", "ip_adapter")}
    torch.save(nested, tmp_path / "ip-adapter-faceid_sdxl.bin")
    script = [sys.executable, "scripts/convert_ip_adapter.py", str(tmp_path / "ip-adapter-faceid_sdxl.bin"), str(tmp_path / "converted.safetensors")]
    refused = subprocess.run(script, capture_output=True, text=True)
    assert refused.returncode == 2 and "--allow-pickle" in refused.stderr and not (tmp_path / "converted.safetensors").exists()
    done = subprocess.run(script + ["--allow-pickle"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    converted = load_file(tmp_path / "converted.safetensors")
    assert converted.keys() == tensors.keys() and all(torch.equal(converted[k], tensors[k]) for k in tensors)
    shutil.copy(tmp_path / "converted.safetensors", tmp_path / "faceid.safetensors")
    gen = make_generator(tiny_cache, **{"identity.adapter": "faceid", "identity.path": str(tmp_path), "identity.weight_name": "faceid.safetensors"})
    assert gen.conditioner.id_dim == 512
