"""The contract between our Wan pipelines (``stdt2v.animate.wan_pipelines``) and the installed
diffusers: the stock pipelines' transformer call sequence on tiny models, their ``__call__``
arguments, our subclasses' outputs with guidance off, and the diffusers version bound."""

from __future__ import annotations

import inspect
from pathlib import Path

import diffusers
import numpy as np
import pytest
import torch
from diffusers import WanImageToVideoPipeline, WanVACEPipeline
from PIL import Image

from stdt2v.animate.wan_pipelines import DERIVED_FROM, GUIDED_PIPELINES, guided_pipeline
from stdt2v.loading import resolve_model_source

ROOT = Path(__file__).resolve().parent.parent
KEYFRAME = Image.new("RGB", (96, 64), (150, 110, 90))
FACE = Image.new("RGB", (112, 112), (200, 160, 140))
REDERIVE = (
    f"diffusers {diffusers.__version__} changed what {{pipeline}}.__call__ does around its transformer (ours is derived from {DERIVED_FROM}): "
    "re-derive __call__ in stdt2v/animate/wan_pipelines.py from the installed diffusers, record the new sequence here, "
    "and move the diffusers bound in pyproject.toml"
)

# Per tiny model: the stock pipeline, its call arguments, and the transformer calls of one call:
# (which transformer, which prompt its text was, the step's timestep), then "step" for each scheduler step.
CASES = {
    "wan2.2-ti2v-5b": (WanImageToVideoPipeline, {"image": KEYFRAME, "num_inference_steps": 2}, None),
    "wan2.2-i2v-a14b": (WanImageToVideoPipeline, {"image": KEYFRAME, "num_inference_steps": 4, "guidance_scale_2": 3.0}, 0.9),
    "wan2.1-i2v-14b": (WanImageToVideoPipeline, {"image": KEYFRAME, "num_inference_steps": 2}, None),
    "wan2.1-vace": (WanVACEPipeline, {"reference_images": [KEYFRAME, FACE], "num_inference_steps": 2}, None),
}
I2V_INPUTS = ("attention_kwargs", "encoder_hidden_states", "encoder_hidden_states_image", "hidden_states", "return_dict", "timestep")
VACE_INPUTS = ("attention_kwargs", "control_hidden_states", "control_hidden_states_scale", "encoder_hidden_states", "hidden_states", "return_dict", "timestep")
TWO_STEPS = [("transformer", "cond", 999.0), ("transformer", "uncond", 999.0), "step", ("transformer", "cond", 833.0), ("transformer", "uncond", 833.0), "step"]
# Recorded with diffusers 0.42.1: per step the conditional pass, then the unconditional one (not
# batched), on the step's expert, then one scheduler step. The inputs each pass is given by name.
EXPECTED = {
    "wan2.2-ti2v-5b": (I2V_INPUTS, TWO_STEPS),
    "wan2.2-i2v-a14b": (
        I2V_INPUTS,
        [("transformer", "cond", 999.0), ("transformer", "uncond", 999.0), "step", ("transformer", "cond", 937.0), ("transformer", "uncond", 937.0), "step"]
        + [
            ("transformer_2", "cond", 833.0),
            ("transformer_2", "uncond", 833.0),
            "step",
            ("transformer_2", "cond", 625.0),
            ("transformer_2", "uncond", 625.0),
            "step",
        ],
    ),
    "wan2.1-i2v-14b": (I2V_INPUTS, TWO_STEPS),
    "wan2.1-vace": (
        VACE_INPUTS,
        [("transformer", "cond", 999.0), ("transformer", "uncond", 999.0), "step", ("transformer", "cond", 750.0), ("transformer", "uncond", 750.0), "step"],
    ),
}


def stock_pipeline(tiny_cache, model: str, pipeline_class: type, boundary_ratio: float | None):
    pipe = pipeline_class.from_pretrained(resolve_model_source(f"tiny:{model}", tiny_cache, key="animate.model"), dtype=torch.float32)
    if boundary_ratio is not None:
        pipe.register_to_config(boundary_ratio=boundary_ratio)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def call(pipe, arguments: dict, **more):
    """One call on fixed prompt embeddings (so each transformer call can be told cond from uncond)."""
    prompt_embeds, negative_embeds = pipe.encode_prompt("A woman smiles.", "blurry", device=torch.device("cpu"))
    common = dict(height=64, width=96, num_frames=5, guidance_scale=5.0, generator=torch.Generator("cpu").manual_seed(0))
    return pipe(prompt_embeds=prompt_embeds, negative_prompt_embeds=negative_embeds, **{**common, **arguments, **more}), prompt_embeds, negative_embeds


def record(pipe, arguments: dict, monkeypatch) -> list:
    """The names of the transformer's inputs, and the transformer calls and scheduler steps of
    one stock call, in order."""
    events: list = []
    inputs: set = set()
    texts: dict = {}

    def before(name):
        def hook(module, args, kwargs):
            inputs.add(tuple(sorted(kwargs)))
            text = kwargs["encoder_hidden_states"]
            which = next((k for k, v in texts.items() if v.shape == text.shape and torch.equal(v, text)), f"batch of {text.shape[0]}")
            events.append((name, which, round(float(kwargs["timestep"].max()), 3)))

        return hook

    scheduler_step = type(pipe.scheduler).step

    def step(self, *args, **kwargs):
        events.append("step")
        return scheduler_step(self, *args, **kwargs)

    monkeypatch.setattr(type(pipe.scheduler), "step", step)
    for name in ("transformer", "transformer_2"):
        if getattr(pipe, name, None) is not None:
            getattr(pipe, name).register_forward_pre_hook(before(name), with_kwargs=True)
    original = pipe.encode_prompt

    def encode(*args, **kwargs):
        out = original(*args, **kwargs)
        texts.update(cond=out[0], uncond=out[1])
        return out

    monkeypatch.setattr(pipe, "encode_prompt", encode)
    call(pipe, arguments)
    return (inputs.pop() if len(inputs) == 1 else tuple(sorted(inputs))), events


@pytest.mark.parametrize("model", list(CASES))
def test_stock_pipelines_call_the_transformer_as_we_derived(tiny_cache, model, monkeypatch):
    pipeline_class, arguments, boundary_ratio = CASES[model]
    recorded = record(stock_pipeline(tiny_cache, model, pipeline_class, boundary_ratio), arguments, monkeypatch)
    assert recorded == EXPECTED[model], REDERIVE.format(pipeline=pipeline_class.__name__) + f"; {model}: {recorded}"


@pytest.mark.parametrize("stock, ours", list(GUIDED_PIPELINES.items()))
def test_our_call_takes_the_stock_arguments(stock, ours):
    """A new or changed ``__call__`` argument upstream means our derivation is stale."""
    theirs = [(p.name, p.default) for p in inspect.signature(stock.__call__).parameters.values()]
    mine = [(p.name, p.default) for p in inspect.signature(ours.__call__).parameters.values() if p.name != "identity_guidance"]
    assert mine == theirs, REDERIVE.format(pipeline=stock.__name__)


@pytest.mark.parametrize("model, more", [(m, {}) for m in CASES] + [("wan2.2-ti2v-5b", {"guidance_scale": 1.0})])
def test_ours_with_guidance_off_gives_the_stock_output(tiny_cache, model, more):
    pipeline_class, arguments, boundary_ratio = CASES[model]
    stock = stock_pipeline(tiny_cache, model, pipeline_class, boundary_ratio)
    ours = guided_pipeline(stock)  # shares the stock pipeline's modules and configuration
    assert type(ours) is GUIDED_PIPELINES[pipeline_class] and ours.transformer is stock.transformer
    expected = call(stock, arguments, **more)[0].frames
    np.testing.assert_array_equal(call(ours, arguments, **more)[0].frames, expected, err_msg=REDERIVE.format(pipeline=pipeline_class.__name__))
    assert expected.shape == (1, 5, 64, 96, 3)


def test_our_pipeline_loads_like_the_stock_one(tiny_cache):
    """``from_pretrained`` on the subclass reads the stock folder (its model_index names diffusers' class)."""
    folder = resolve_model_source("tiny:wan2.2-i2v-a14b", tiny_cache, key="animate.model")
    ours = GUIDED_PIPELINES[WanImageToVideoPipeline].from_pretrained(folder, dtype=torch.float32)
    stock = WanImageToVideoPipeline.from_pretrained(folder, dtype=torch.float32)
    assert type(ours).__name__ == "GuidedWanImageToVideoPipeline" and ours.transformer_2 is not None
    public = lambda config: {k: v for k, v in config.items() if not k.startswith("_")}  # noqa: E731
    assert public(ours.config) == public(stock.config) and ours.config.expand_timesteps is False
    for name in ("transformer", "transformer_2", "vae"):
        for a, b in zip(getattr(ours, name).state_dict().values(), getattr(stock, name).state_dict().values()):
            assert torch.equal(a, b)


def diffusers_requirement() -> str:
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11+")
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return next(d for d in dependencies if d.startswith("diffusers"))


def test_installed_diffusers_is_within_the_bound_we_derived_for():
    from packaging.requirements import Requirement
    from packaging.version import Version

    bound = Requirement(diffusers_requirement()).specifier
    assert any(s.operator in ("<", "<=", "==", "~=") for s in bound), f"pyproject.toml: diffusers needs an upper bound ({bound})"
    assert DERIVED_FROM in bound, f"pyproject.toml's diffusers{bound} leaves out {DERIVED_FROM}, the release wan_pipelines.py is derived from"
    assert Version(diffusers.__version__) in bound, REDERIVE.format(pipeline="each Wan pipeline") + f" (installed {diffusers.__version__}, bound {bound})"
    pins = [line.split("==")[1].strip() for line in (ROOT / "constraints" / "cpu.txt").read_text().splitlines() if line.startswith("diffusers==")]
    assert all(pin in bound for pin in pins), f"constraints/cpu.txt pins diffusers=={pins}, outside pyproject.toml's {bound}"


def test_a_stock_pipeline_built_already_is_adopted(tiny_cache):
    """``build_animator(pipe=...)`` still takes diffusers' pipeline (it runs as ours); the animator
    itself refuses one that was not adopted (our ``__call__`` takes the guidance)."""
    from omegaconf import OmegaConf

    from stdt2v.animate import build_animator
    from stdt2v.animate.wan import WanAnimator
    from stdt2v.config.schema import AnimateConfig
    from stdt2v.errors import StdT2VError
    from stdt2v.sources import Sources

    stock = stock_pipeline(tiny_cache, "wan2.2-ti2v-5b", WanImageToVideoPipeline, None)
    with pytest.raises(StdT2VError, match="pass it through WanAnimator.adopt_pipeline first"):
        WanAnimator(stock, height=64, width=96, num_frames=5, fps=16, num_inference_steps=2, guidance_scale=5.0)
    cfg = OmegaConf.merge(OmegaConf.structured(AnimateConfig), {"model": "unused", "height": 64, "width": 96, "num_frames": 5, "num_inference_steps": 2})
    sources = Sources(torch.device("cpu"), torch.float32, torch.float32, animate="unused")
    animator = build_animator(cfg, sources, progress=False, pipe=stock)
    assert type(animator.pipe).__name__ == "GuidedWanImageToVideoPipeline" and animator.pipe.transformer is stock.transformer
