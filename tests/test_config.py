"""Config composition and validation: one-line errors that name key, file and fix."""

from __future__ import annotations

import os

import pytest

from stdt2v.config import load_config, save_config
from stdt2v.config.schema import KeyframeBackend
from stdt2v.errors import ConfigError
from tests.conftest import DEMO_CONFIG


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_demo_composes_base_and_overrides():
    cfg = load_config(DEMO_CONFIG, ["animate.num_frames=9", "seed=7"])
    assert cfg.keyframe.model == "tiny:sdxl"  # from demo.yaml
    assert cfg.keyframe.backend is KeyframeBackend.sdxl  # from base.yaml
    assert cfg.animate.num_frames == 9 and cfg.seed == 7  # from the command line
    assert cfg.animate.fps == 8
    assert cfg.cache_dir == os.environ["STDT2V_CACHE"] and "${" not in cfg.cache_dir  # the interpolation resolved


def test_unknown_key_names_file_key_and_nearest(tmp_path):
    path = write(tmp_path, "run.yaml", "defaults: [" + str(DEMO_CONFIG) + "]\nanimate:\n  num_frame: 9\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message and "animate.num_frame" in message and "animate.num_frames" in message
    assert "\n" not in message


def test_key_in_wrong_section_suggests_the_right_one(tmp_path):
    path = write(tmp_path, "run.yaml", "num_frames: 9\n")
    with pytest.raises(ConfigError, match=r"unknown key 'num_frames'.*animate\.num_frames"):
        load_config(path)


def test_wrong_type_names_key_expected_and_given(tmp_path):
    path = write(tmp_path, "run.yaml", "keyframe:\n  model: x/y\n  num_inference_steps: many\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert "keyframe.num_inference_steps" in message and "'many'" in message and "Integer" in message
    assert str(path) in message and "\n" not in message


def test_invalid_choice_lists_valid_ones():
    with pytest.raises(ConfigError, match=r"keyframe\.backend.*expected one of \[sdxl, flux\]"):
        load_config(DEMO_CONFIG, ["keyframe.backend=flux9"])


def test_missing_required_value(tmp_path):
    path = write(tmp_path, "run.yaml", "keyframe:\n  model: tiny:sdxl\n")
    with pytest.raises(ConfigError, match=r"missing required value 'animate\.model'.*animate\.model=VALUE"):
        load_config(path)


def test_section_must_be_mapping():
    with pytest.raises(ConfigError, match=r"'keyframe' must be a mapping"):
        load_config(DEMO_CONFIG, ["keyframe=3"])


def test_bad_override_syntax():
    with pytest.raises(ConfigError, match=r"override 'seed' is not key=value"):
        load_config(DEMO_CONFIG, ["seed"])


def test_unknown_override_names_command_line():
    with pytest.raises(ConfigError, match=r"command line: unknown key 'animate\.num_framez'.*animate\.num_frames"):
        load_config(DEMO_CONFIG, ["animate.num_framez=9"])


def test_missing_file_and_defaults_cycle(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")
    a = write(tmp_path, "a.yaml", "defaults: [b.yaml]\n")
    write(tmp_path, "b.yaml", "defaults: [a.yaml]\n")
    with pytest.raises(ConfigError, match="defaults cycle"):
        load_config(a)


def test_saved_config_round_trips(tmp_path):
    cfg = load_config(DEMO_CONFIG, ["seed=3"])
    save_config(cfg, tmp_path / "config.yaml")
    again = load_config(tmp_path / "config.yaml")
    assert again == cfg


def test_stages_get_the_schema_as_frozen_dataclasses_with_real_enums():
    import dataclasses

    from stdt2v.config import as_schema
    from stdt2v.config.schema import AnimateConfig, CacheKind, GuidanceConfig, Offload

    cfg = load_config(DEMO_CONFIG, ["animate.guidance.skip_blocks=[1]", "animate.memory.vae_tiling=true"])
    animate = as_schema(cfg.animate)
    assert isinstance(animate, AnimateConfig) and isinstance(animate.guidance, GuidanceConfig)
    assert animate.memory.offload is Offload.none and animate.fast.cache is CacheKind.none and animate.memory.vae_tiling  # members, not strings
    assert as_schema(animate) is animate
    with pytest.raises(dataclasses.FrozenInstanceError):
        animate.memory.offload = Offload.model  # a stage cannot change the run's settings
    guidance = animate.guidance
    assert guidance.enabled and [guidance.guides(s, 4) for s in range(4)] == [True] * 4
    expected = {"skip_blocks": [1], "skip_scale": 0.5, "drop_reference": True, "window": [0.0, 1.0], "guided_steps": 3}
    from stdt2v.animate.guidance import guidance_report

    assert {k: v for k, v in guidance_report(guidance, 3).items() if k != "what"} == expected


def test_the_weak_pass_window_and_a_missing_block():
    from types import SimpleNamespace

    from stdt2v.animate.guidance import check_skip_blocks
    from stdt2v.config.schema import GuidanceConfig

    guidance = GuidanceConfig(skip_blocks=[2], start=0.25, end=0.75)
    assert [guidance.guides(s, 8) for s in range(8)] == [False, False, True, True, True, True, False, False]
    assert not GuidanceConfig().enabled and not GuidanceConfig().guides(0, 4)
    check_skip_blocks(guidance, [SimpleNamespace(blocks=[0, 1, 2])])  # block 2 exists
    with pytest.raises(ConfigError, match=r"skip_blocks=\[2\]: this transformer has 2 blocks \(0..1\)"):
        check_skip_blocks(guidance, [SimpleNamespace(blocks=[0, 1])])
