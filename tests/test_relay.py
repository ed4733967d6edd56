"""Per-segment prompts in the Wan transformers' cross-attention, on tiny random-weight Wan models;
object references with wan_vace; per-segment CLIPScore and identity of a hand-built video."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from omegaconf import OmegaConf
from PIL import Image

from stdt2v.animate import build_animator
from stdt2v.animate.relay import TEXT_TOKENS, RelayAttention, RelayPlan
from stdt2v.config.schema import AnimateConfig
from stdt2v.loading import resolve_model_source
from stdt2v.sources import Sources
from stdt2v.timeline import frame_weights, latent_weights, parse_timeline

KEYFRAME = Image.new("RGB", (96, 64), (150, 110, 90))
TIMELINE = parse_timeline("0-0.625s: A woman waves.; 0.625-1.125s: A woman sits down.")  # 9 frames at 8 fps: 3 latent frames


def animator_for(cache, model: str, backend: str = "wan", **overrides):
    cfg = OmegaConf.merge(
        OmegaConf.structured(AnimateConfig),
        {"model": model, "backend": backend, "height": 64, "width": 96, "num_frames": 9, "fps": 8, "num_inference_steps": 2},
        OmegaConf.from_dotlist([f"{k}={v}" for k, v in overrides.items()]),
    )
    source = resolve_model_source(cfg.model, cache, key="animate.model")
    return build_animator(cfg, Sources(torch.device("cpu"), torch.float32, torch.float32, animate=source), progress=False)


def plan(transition: int = 0, **kwargs) -> RelayPlan:
    weights = latent_weights(frame_weights(TIMELINE, 9, 8, transition))
    return RelayPlan([s.text for s in TIMELINE], weights, **kwargs)


def test_latent_frames_of_the_tiny_timeline():
    assert plan().weights.tolist() == [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]  # latent 1 = frames 1-4 (< 0.625 s), latent 2 = frames 5-8


@pytest.mark.parametrize("model", ["tiny:wan2.2-ti2v-5b", "tiny:wan2.1-i2v-14b"])
def test_segment_one_tokens_put_near_zero_weight_on_segment_two(tiny_cache, model):
    """The cross-attention of block 0 on the tokens of 3 latent frames: changing segment 2's text
    does not move segment 1's outputs (relay), but does without the relay."""
    animator = animator_for(tiny_cache, model)
    transformer = animator.transformers[0]
    attn = transformer.blocks[0].attn2
    per_frame = 4 * 6
    torch.manual_seed(0)
    hidden = torch.randn(1, 3 * per_frame, attn.inner_dim)
    image_tokens = 257 if attn.add_k_proj is not None else 0
    text = torch.randn(1, image_tokens + 2 * TEXT_TOKENS, attn.inner_dim)
    changed = text.clone()
    changed[:, image_tokens + TEXT_TOKENS :] = torch.randn(1, TEXT_TOKENS, attn.inner_dim)
    original = attn.processor
    with RelayAttention(animator.pipe, [transformer], plan()) as relay:
        relay.state.active, relay.state.tokens_per_frame = True, per_frame
        with torch.no_grad():
            before, after = attn.processor(attn, hidden, text), attn.processor(attn, hidden, changed)
        assert attn.processor is not original
    assert attn.processor is original  # removed after the call
    seg1 = slice(0, 2 * per_frame)  # latent frames 0 and 1
    torch.testing.assert_close(after[:, seg1], before[:, seg1], atol=1e-6, rtol=0)
    assert (after[:, 2 * per_frame :] - before[:, 2 * per_frame :]).abs().max() > 1e-2  # segment 2's frames do read it
    with torch.no_grad():  # the model's own processor: every token reads both segments
        plain_before, plain_after = attn.processor(attn, hidden, text), attn.processor(attn, hidden, changed)
    assert (plain_after[:, seg1] - plain_before[:, seg1]).abs().max() > 1e-2
    # The attention weights themselves: query · key of segment 1's tokens, plus the relay's bias.
    q = attn.norm_q(attn.to_q(hidden)).unflatten(2, (attn.heads, -1)).transpose(1, 2)
    k = attn.norm_k(attn.to_k(text[:, image_tokens:])).unflatten(2, (attn.heads, -1)).transpose(1, 2)
    bias = torch.from_numpy(plan().bias()).float().repeat_interleave(TEXT_TOKENS, dim=1)
    scores = (q @ k.transpose(-1, -2)) / q.shape[-1] ** 0.5 + bias.repeat_interleave(per_frame, dim=0)
    weights = scores.softmax(-1)
    assert weights[:, :, seg1, TEXT_TOKENS:].sum(-1).max() < 1e-10


@pytest.mark.parametrize("model", ["tiny:wan2.2-ti2v-5b", pytest.param("tiny:wan2.2-i2v-a14b", marks=pytest.mark.slow), "tiny:wan2.1-i2v-14b"])
def test_relay_off_is_todays_output_bit_for_bit(tiny_cache, model):
    animator = animator_for(tiny_cache, model)
    before = animator.animate(KEYFRAME, "A woman waves.", seed=0)
    processors = [b.attn2.processor for t in animator.transformers for b in t.blocks]
    calls = animator.transformer_calls
    relayed = animator.animate(KEYFRAME, "A woman waves.", seed=0, timeline=plan(transition=2))
    assert animator.transformer_calls - calls == calls  # the same transformer calls: 2 steps × (cond + uncond)
    after = animator.animate(KEYFRAME, "A woman waves.", seed=0)
    np.testing.assert_array_equal(after, before)
    assert [b.attn2.processor for t in animator.transformers for b in t.blocks] == processors
    assert not np.array_equal(relayed, before)
    # Installed, but the text is one prompt (the negative pass's shape): the model's own processor runs.
    with RelayAttention(animator.pipe, animator.transformers, plan()):
        inside = animator.animate(KEYFRAME, "A woman waves.", seed=0)
    np.testing.assert_array_equal(inside, before)


def test_relay_reaches_both_a14b_experts(tiny_cache):
    animator = animator_for(tiny_cache, "tiny:wan2.2-i2v-a14b", num_inference_steps=6, boundary_ratio=0.8)
    seen = {}
    hooks = [
        t.register_forward_pre_hook(lambda m, a, k, n=n: seen.setdefault(n, k["encoder_hidden_states"].shape[1]) and None, with_kwargs=True)
        for n, t in enumerate(animator.transformers)
    ]
    animator.animate(KEYFRAME, "A woman waves.", seed=0, timeline=plan())
    for h in hooks:
        h.remove()
    assert seen == {0: 2 * TEXT_TOKENS, 1: 2 * TEXT_TOKENS}  # each expert's conditional pass got both segments


def test_an_object_reference_with_wan_vace(tiny_cache):
    animator = animator_for(tiny_cache, "tiny:wan2.1-vace", backend="wan_vace", num_frames=5)
    frames_in = []
    hook = animator.transformers[0].register_forward_pre_hook(lambda m, a, k: frames_in.append(k["hidden_states"].shape[2]) and None, with_kwargs=True)
    cup = Image.fromarray(np.asarray(Image.new("RGB", (64, 64), (200, 30, 30))))
    video = animator.animate(KEYFRAME, "A woman holds a cup.", seed=0, objects=[cup])
    plain = animator.animate(KEYFRAME, "A woman holds a cup.", seed=0)
    hook.remove()
    assert video.shape == (5, 64, 96, 3)  # the reference frames are dropped from the output
    assert frames_in[0] == 2 + 2 and frames_in[-1] == 2 + 1  # 2 video latent frames + keyframe + cup; then keyframe only
    assert not np.array_equal(video, plain)
    with pytest.raises(Exception, match="takes none \\(wan_vace does\\)"):
        animator_for(tiny_cache, "tiny:wan2.2-ti2v-5b").animate(KEYFRAME, "A woman.", seed=0, objects=[cup])


def test_per_segment_clip_and_identity_on_a_two_image_video(tmp_path, tiny_cache, face_analyzer):
    """A 2 s video at 8 fps whose first half is Grace Hopper and second half the astronaut."""
    import skimage.data

    from stdt2v.config import load_config
    from stdt2v.data.items import read_items
    from stdt2v.eval import build_evaluator
    from stdt2v.eval.timeline import evaluate_timelines
    from stdt2v.io import load_image, write_video

    hopper = load_image("builtin:grace_hopper").resize((128, 160))
    astronaut = Image.fromarray(skimage.data.astronaut()).crop((80, 0, 380, 300)).resize((128, 160))
    frames = np.stack([np.asarray(hopper)] * 8 + [np.asarray(astronaut)] * 8)
    write_video(frames, tmp_path / "videos" / "1.mp4", fps=8)
    hopper.save(tmp_path / "hopper.png")
    captions = [{"start": 0, "end": 1, "description": "a woman in a navy uniform"}, {"start": 1, "end": 2, "description": "an astronaut in an orange suit"}]
    sample = {"img_paths": ["hopper.png"], "class_label": ["woman"], "global_prompt": "A woman.", "temporal_captions": captions}
    (tmp_path / "eval.json").write_text(json.dumps([sample]))
    cfg = load_config(None, ["eval.clip_model=tiny:clip", "eval.num_frames=4"], needs_models=False)
    evaluator = build_evaluator(cfg.eval, cfg.face, cache_dir=str(tiny_cache))
    rows, summary = evaluate_timelines(evaluator, read_items(tmp_path / "eval.json"), tmp_path / "videos", tmp_path / "out")
    assert [(r["first_frame"], r["last_frame"]) for r in rows] == [(0, 7), (8, 15)]
    from stdt2v.eval.frames import VideoFrames

    video = VideoFrames(tmp_path / "videos" / "1.mp4")
    for row, indices in zip(rows, ([0, 7], [8, 15])):  # 2 frames each (4 / 2 segments): first and last of the half
        own = evaluator.clip_scorer(video.pick(indices)[1], row["description"])
        assert row["clip_score"] == pytest.approx(own, abs=1e-5)
    assert rows[0]["identity"] > 0.99 and rows[1]["identity"] < rows[0]["identity"] - 0.1  # the face backend (dlib): same face 0.9998, the astronaut 0.88
    assert summary["per_sample"][0]["order_score"] in (0.0, 0.5, 1.0)
    assert (tmp_path / "out" / "strips" / "1_seg2.png").is_file() and "an astronaut in an orange suit" in (tmp_path / "out" / "report.html").read_text()
    assert (tmp_path / "out" / "scores.csv").read_text().splitlines()[0].startswith("sample,segment,start_s,end_s,first_frame,last_frame,clip_score")


def test_flatten_and_relay_through_the_pipeline(demo_pipe):
    """Decoupling only (no video): the report's timeline for each mode, and the relay plan the animator gets."""
    from stdt2v.config.schema import TimelineConfig, TimelineMode
    from stdt2v.pipeline_timeline import TimelinePlan
    from stdt2v.timeline import TimelineRequest

    timeline = TimelineRequest(parse_timeline("0-0.25s: waves; 0.25-0.625s: sits down"))  # demo_cfg: 5 frames at 8 fps
    saved = demo_pipe.timeline_settings
    try:
        demo_pipe.timeline_settings = TimelineConfig(mode=TimelineMode.flatten)
        out = demo_pipe("A woman stands in a park.", "builtin:grace_hopper", until="decouple", timeline=timeline)
        report = out.report.to_dict()["timeline"]
        assert report["mode"] == "flatten" and report["prompt"].endswith("Temporal sequence: 0.0s-0.2s: A woman waves. 0.2s-0.6s: A woman sits down.")
        assert [(s["first_frame"], s["last_frame"]) for s in report["segments"]] == [(0, 1), (2, 4)]
        demo_pipe.timeline_settings = TimelineConfig(mode=TimelineMode.relay, transition_frames=0)
        plan = TimelinePlan.start(demo_pipe, timeline, None, None)
        prompt, sampling = plan.animate_arguments(out.prompts, {})
        assert prompt == out.prompts.temporal and sampling["timeline"].prompts == ["A woman waves.", "A woman sits down."]
        assert sampling["timeline"].weights.tolist() == [[1.0, 0.0], [0.25, 0.75]]  # latent 1 = frames 1-4: 1 of segment 1, 3 of segment 2
    finally:
        demo_pipe.timeline_settings = saved


def test_relay_on_vace_skips_the_reference_frames(tiny_cache):
    """VACE puts its reference images in front of the video as latent frames: they see every
    segment, and the relay's frames start after them."""
    animator = animator_for(tiny_cache, "tiny:wan2.1-vace", backend="wan_vace", num_frames=5)
    two = parse_timeline("0-0.25s: A woman waves.; 0.25-0.625s: A woman sits down.")
    relay_plan = RelayPlan([s.text for s in two], latent_weights(frame_weights(two, 5, 8)))
    seen = []
    hook = animator.transformers[0].register_forward_pre_hook(
        lambda m, a, k: seen.append((k["hidden_states"].shape[2], k["encoder_hidden_states"].shape[1])) and None, with_kwargs=True
    )
    cup = Image.new("RGB", (64, 64), (200, 30, 30))
    relayed = animator.animate(KEYFRAME, "A woman waves.", seed=0, objects=[cup], timeline=relay_plan)
    plain = animator.animate(KEYFRAME, "A woman waves.", seed=0, objects=[cup])
    hook.remove()
    assert seen[0] == (4, 2 * TEXT_TOKENS) and seen[1] == (4, TEXT_TOKENS)  # conditional (relayed), then negative
    assert relayed.shape == plain.shape == (5, 64, 96, 3) and not np.array_equal(relayed, plain)
