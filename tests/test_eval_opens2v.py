"""`eval.protocol=opens2v`: each of OpenS2V-Eval's conventions on its own against a value worked
out by hand, and the contract command against an independent transcription of its scripts."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from stdt2v.eval.frames import SAMPLERS, VideoFrames
from stdt2v.eval.opens2v import face_reference, read_samples, scores_facesim, total_score
from stdt2v.eval.protocol import PROTOCOLS
from stdt2v.io import load_image, write_video
from tests.test_eval_consisid import _FindsFaceOnlyInPaddedImages

OPENS2V = PROTOCOLS["opens2v"]

# ---------------------------------------------------------------- frames, by hand

HAND_32 = {  # np.linspace(0, N-1, 32, dtype=int): floor(i·(N−1)/31)
    49: [0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 17, 18, 20, 21, 23, 24, 26, 27, 29, 30, 32, 34, 35, 37, 38, 40, 41, 43, 44, 46, 48],
    81: [0, 2, 5, 7, 10, 12, 15, 18, 20, 23, 25, 28, 30, 33, 36, 38, 41, 43, 46, 49, 51, 54, 56, 59, 61, 64, 67, 69, 72, 74, 77, 80],
    121: [0, 3, 7, 11, 15, 19, 23, 27, 30, 34, 38, 42, 46, 50, 54, 58, 61, 65, 69, 73, 77, 81, 85, 89, 92, 96, 100, 104, 108, 112, 116, 120],
}
HAND_NATURAL = {49: list(range(0, 46, 3)), 81: list(range(0, 76, 5)), 121: list(range(0, 106, 7))}  # i · max(N // 16, 1)


@pytest.mark.parametrize("n_total", sorted(HAND_32))
def test_32_frame_linspace_and_natural_interval_indices(n_total):
    assert OPENS2V.identity_frames == 32
    assert SAMPLERS[OPENS2V.identity_sampler](n_total, 32) == HAND_32[n_total]
    assert SAMPLERS["interval"](n_total, 16) == HAND_NATURAL[n_total]


def test_decord_reader_returns_what_decord_returns_for_each_index(tmp_path):
    decord = pytest.importorskip("decord")
    frames = np.stack([np.full((32, 48, 3), 4 * i, np.uint8) for i in range(49)])  # frame i is grey 4·i
    path = write_video(frames, tmp_path / "grey.mp4", fps=8)
    video = VideoFrames(path, reader="decord")
    assert video.count == 49
    indices, picked = video.sample("linspace", 32)
    assert indices == HAND_32[49]
    # decord 0.6.0 maps some indices of such x264 files to a neighbouring frame (here index 3 gave
    # grey 4·2): OpenS2V's numbers come from what decord returns, so that is what is read.
    reader = decord.VideoReader(str(path))
    expected = [round(float(reader[i].asnumpy().mean()) / 4) for i in indices]
    assert [round(float(f.mean()) / 4) for f in picked] == expected
    reader = decord.VideoReader(str(path))
    assert [round(float(f.mean()) / 4) for f in video.all()] == [round(float(reader[i].asnumpy().mean()) / 4) for i in range(49)]


# ---------------------------------------------------------------- the reference rule and the id filter


def test_reference_is_the_first_man_woman_crop_path_and_only_face_ids_are_scored(tmp_path):
    paths = ["Images/singleface/background/a.jpg", "Images/singleface/crop_woman/b.png", "Images/singleface/man/c.png"]
    assert face_reference(paths) == "Images/singleface/crop_woman/b.png"
    assert face_reference(["x/woman/d.png", "x/man/e.png"]) == "x/woman/d.png"
    assert face_reference(["x/human/f.png", "x/crop_manual/g.png"]) is None  # neither folder name
    assert [scores_facesim(i) for i in ("singleface_3", "singlehuman_2", "faceobj_1", "humanobj_9", "singleobj_4", "multiface_1")] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    data = {
        "singleface_1": {"img_paths": paths, "prompt": "p1", "class_label": "singleface"},
        "singleobj_2": {"img_paths": ["Images/singleobj/dog.png"], "prompt": "p2"},
        "singlehuman_3": {"img_paths": ["Images/singlehuman/h.png"], "prompt": "p3"},
        "singleface_4": {"img_paths": paths, "prompt": "p4"},
    }
    (tmp_path / "Human-Domain_Eval.json").write_text(json.dumps(data))
    videos = tmp_path / "videos"
    videos.mkdir()
    for sample_id in ("singleface_1", "singleobj_2", "singlehuman_3"):
        (videos / f"{sample_id}.mp4").write_bytes(b"")
    samples, missing = read_samples(tmp_path / "Human-Domain_Eval.json", videos, root=tmp_path / "bench")
    assert missing == ["singleface_4"]
    by_id = {s.id: s for s in samples}
    assert by_id["singleface_1"].reference == tmp_path / "bench" / "Images/singleface/crop_woman/b.png"
    assert by_id["singleobj_2"].reference is None and "not scored" in by_id["singleobj_2"].face_note
    assert by_id["singlehuman_3"].reference is None and "/man/" in by_id["singlehuman_3"].face_note
    assert by_id["singleface_1"].prompt == "p1"


# ---------------------------------------------------------------- FaceSim: grey pad, Cur skips zeros, Arc keeps them


# A face only where the image has a grey-128 border (so every face is found after the 1.25 pad);
# its recognition vector is the pixel under the nose.
_ColourFaces = _FindsFaceOnlyInPaddedImages


class _CentreColour:
    """CurricularFace stand-in with the same interface: the aligned crop's centre pixel."""

    def embed(self, aligned):
        vectors = np.stack([a[56, 56].astype(np.float32) for a in aligned])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_grey_pad_of_1_25_and_the_landmark_shift():
    stub = _ColourFaces()
    (face,) = stub.detect_as_is(np.full((96, 80, 3), 7, np.uint8))
    # scale 1.25: top = bottom = int(0.25·96) = 24, left = right = int(0.25·80) = 20
    assert stub.seen == [(96, 80), (96 + 48, 80 + 40)]
    np.testing.assert_array_equal(face.landmarks[2], [40.0 - 20, 50.0 - 24])


def test_cur_skips_frames_scoring_zero_while_arc_keeps_them():
    from stdt2v.eval.suite import Evaluator

    red, green, yellow = (200, 0, 0), (0, 200, 0), (200, 200, 0)
    video = np.stack([np.full((96, 96, 3), c, np.uint8) for c in (red, green, yellow, green)])
    reference = Image.fromarray(np.full((96, 96, 3), red, np.uint8))
    # Per frame, clamped cosines to red: 1, 0, 1/√2, 0.
    arc_by_hand = (1 + 0 + 2**-0.5 + 0) / 4  # 0.4268: zeros counted
    cur_by_hand = (1 + 2**-0.5) / 2  # 0.8536: zeros left out
    stub = _ColourFaces()
    evaluator = Evaluator(stub, protocol=replace(OPENS2V, identity_frames=4), arcface=stub, curricularface=_CentreColour())
    row = evaluator.evaluate(video, reference).row
    assert row["face_sim_arc"] == pytest.approx(arc_by_hand, abs=1e-6)
    assert row["face_sim_cur"] == pytest.approx(cur_by_hand, abs=1e-6)
    # The face backend's own score pads in black and finds no face: under opens2v it is left
    # empty and the video goes on (consisid fails it).
    assert row["face_sim"] is None


def test_cur_mean_rule_alone():
    from stdt2v.eval.suite import Evaluator
    from stdt2v.face.curve import IdentityCurve

    curve = IdentityCurve([0.8, 0.0, None, 0.4, 0.0])
    assert Evaluator(_ColourFaces(), protocol=OPENS2V)._cur_mean(curve) == pytest.approx(0.6)  # (0.8 + 0.4) / 2
    assert Evaluator(_ColourFaces(), protocol=PROTOCOLS["consisid"])._cur_mean(curve) == pytest.approx(0.3)  # (0.8 + 0 + 0.4 + 0) / 4
    assert Evaluator(_ColourFaces(), protocol=OPENS2V)._cur_mean(IdentityCurve([0.0, None])) == 0.0


# ---------------------------------------------------------------- motion: signed flow


def _texture(shape=(96, 140)) -> np.ndarray:
    rng = np.random.default_rng(0)
    blurred = cv2.GaussianBlur(rng.integers(0, 256, shape, dtype=np.uint8).astype(np.float32), (0, 0), 3)
    return cv2.normalize(blurred, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)


def test_motion_amplitude_is_the_mean_of_signed_flow():
    from stdt2v.eval.motion import farneback, motion_amplitude

    tex = _texture()
    a, b = tex[:, 10:138], tex[:, 8:136]  # the content moves 2 px right
    flow = farneback(a, b)
    # Before resizing: +2 in x, 0 in y (inside the border).
    assert np.median(flow[20:-20, 20:-20, 0]) == pytest.approx(2.0, abs=0.02)
    assert np.median(flow[20:-20, 20:-20, 1]) == pytest.approx(0.0, abs=0.02)
    rgb = [np.repeat(g[..., None], 3, 2) for g in (a, b, a)]
    # The mean over x and y together: (2 + 0) / 2 = 1.
    assert motion_amplitude(rgb[:2]) == pytest.approx(1.0, abs=0.01)
    # Right then back left: the signed maps cancel, though each pair moved 2 px.
    assert motion_amplitude(rgb) == pytest.approx(0.0, abs=0.01)
    assert motion_amplitude(rgb[:1]) is None


# ---------------------------------------------------------------- aesthetics: the MLP's layout and L2 normalisation


def _mlp_file(path: Path, last_weight=(1.0, 2.0), last_bias=0.5) -> Path:
    from safetensors.torch import save_file

    eye = torch.eye(2)
    state = {f"layers.{i}.weight": eye.clone() for i in (0, 2, 4, 6)} | {f"layers.{i}.bias": torch.zeros(2) for i in (0, 2, 4, 6)}
    state |= {"layers.7.weight": torch.tensor([list(last_weight)]), "layers.7.bias": torch.tensor([last_bias])}
    save_file(state, str(path))
    return path


def test_aesthetic_mlp_layout_and_l2_normalisation(tmp_path):
    from stdt2v.errors import ConfigError
    from stdt2v.eval.aesthetic import load_mlp, mlp_score

    layers = load_mlp(_mlp_file(tmp_path / "mlp.safetensors"))
    assert [tuple(w.shape) for w, _ in layers] == [(2, 2), (2, 2), (2, 2), (2, 2), (1, 2)]
    # (3, 4) → (0.6, 0.8) → identity layers → 1·0.6 + 2·0.8 + 0.5 = 2.7, whatever the embedding's length.
    scores = mlp_score(layers, torch.tensor([[3.0, 4.0], [30.0, 40.0], [0.0, -2.0]]))
    assert scores.tolist() == pytest.approx([2.7, 2.7, -2 + 0.5])
    from safetensors.torch import load_file, save_file

    state = load_file(str(tmp_path / "mlp.safetensors"))
    del state["layers.7.bias"]
    save_file(state, str(tmp_path / "broken.safetensors"))
    with pytest.raises(ConfigError, match="layers.7.bias"):
        load_mlp(tmp_path / "broken.safetensors")


def test_convert_aesthetic_script_round_trip(tmp_path):
    from safetensors.torch import load_file

    state = {f"layers.{i}.{k}": torch.randn(2, 2) if k == "weight" else torch.randn(2) for i in (0, 2, 4, 6) for k in ("weight", "bias")}
    state |= {"layers.7.weight": torch.randn(1, 2), "layers.7.bias": torch.randn(1)}
    torch.save(state, tmp_path / "aesthetic-model.pth")
    script = [sys.executable, "scripts/convert_aesthetic.py", str(tmp_path / "aesthetic-model.pth"), str(tmp_path / "mlp.safetensors")]
    refused = subprocess.run(script, capture_output=True, text=True)
    assert refused.returncode == 2 and "pickle" in refused.stderr
    done = subprocess.run([*script, "--allow-pickle"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    converted = load_file(str(tmp_path / "mlp.safetensors"))
    assert sorted(converted) == sorted(state) and all(torch.equal(converted[k], state[k]) for k in state)


def test_aesthetic_scorer_on_tiny_clip(tiny_cache):
    from transformers import CLIPProcessor, CLIPVisionModelWithProjection

    from stdt2v.eval.aesthetic import AestheticScorer, load_mlp, mlp_score
    from stdt2v.loading import resolve_model_source

    source = resolve_model_source("tiny:aesthetic-clip", tiny_cache, marker="config.json")
    scorer = AestheticScorer(source, Path(source) / "aesthetic-mlp.safetensors")
    frames = [np.full((40, 56, 3), v, np.uint8) for v in (30, 120, 220)]
    clip, processor = CLIPVisionModelWithProjection.from_pretrained(source).eval(), CLIPProcessor.from_pretrained(source)
    with torch.no_grad():
        embeds = clip(**processor(images=[Image.fromarray(f) for f in frames], return_tensors="pt")).image_embeds
    expected = float(mlp_score(load_mlp(Path(source) / "aesthetic-mlp.safetensors"), embeds).mean())
    assert scorer(frames) == pytest.approx(expected, rel=1e-6)


# ---------------------------------------------------------------- TotalScore


ROWS = [
    {"id": "singleface_1", "aesthetic": 5.5, "motion_amplitude": 0.2, "face_sim_cur": 0.5, "gme_score": 0.30, "natural_score": 4.0},
    {"id": "singleobj_2", "aesthetic": 8.0, "motion_amplitude": 1.4, "face_sim_cur": None, "gme_score": 0.35, "natural_score": 2.0},
]
# By hand: aesthetic clamped to 4..7: (5.5 + 7) / 2 = 6.25 → (6.25 − 4) / 3 = 0.75; motion min(|x|, 1): (0.2 + 1) / 2 = 0.6;
# FaceSim-Cur over the video that has it: 0.5; GmeScore (0.30 + 0.35) / 2 = 0.325; natural (4 + 2) / 2 = 3 → (3 − 1) / 4 = 0.5.


def test_total_score_v1_0_human_domain_by_hand():
    board = total_score(ROWS, "Human-Domain", "v1.0")
    means = {k: v["normalised_mean"] for k, v in board["metrics"].items()}
    assert means == pytest.approx({"aes_score": 0.75, "motion_score": 0.6, "facesim_cur": 0.5, "gme_score": 0.325, "natural_score": 0.5})
    # 0.15·0.75 + 0.15·0.6 + 0.25·0.5 + 0.15·0.325 + 0.30·0.5 = 0.52625
    assert board["total"] == pytest.approx(0.52625) and board["missing"] == [] and board["partial_total"] is None


def test_total_score_v1_1_names_what_is_missing_and_labels_the_partial_total():
    board = total_score(ROWS, "Human-Domain", "v1.1")
    assert board["total"] is None and board["missing"] == ["motion_smoothness"]  # Q-Align, not computed
    # 0.18·0.75 + 0.03·0.6 + 0.25·0.5 + 0.15·0.325 + 0.30·0.5 = 0.47675, over weights 1 − 0.09
    assert board["partial_total"]["value"] == pytest.approx(0.47675) and board["partial_total"]["weight_covered"] == pytest.approx(0.91)
    assert "partial" in board["partial_total"]["label"]
    open_domain = total_score(ROWS, "Open-Domain", "v1.1")
    assert open_domain["total"] is None and open_domain["missing"] == ["motion_smoothness", "nexus_score"]
    assert "AGPL" in open_domain["metrics"]["nexus_score"]["why"]


# ---------------------------------------------------------------- NaturalScore


def test_natural_score_request_body_against_the_stub(tmp_path):
    from stdt2v.eval.natural import NaturalScorer, read_instructions
    from stdt2v.prompts.chat import OpenAIChat
    from tests.openai_stub import StubServer

    script = tmp_path / "get_naturalscore.py"
    script.write_text('import os\n\nprompt = """\nRate it from 1 to 5.\n"""\n\n\ndef main():\n    pass\n')
    instructions = read_instructions(script)
    assert instructions == "\nRate it from 1 to 5.\n"
    frames = np.stack([np.full((48, 64, 3), 4 * i, np.uint8) for i in range(49)])  # frame i is grey 4·i
    video = write_video(frames, tmp_path / "singleface_1.mp4", fps=8)
    stub = StubServer(["4", " 3\n", "error"])
    try:
        chat = OpenAIChat(stub.url, "gpt-4o-2024-11-20", temperature=1.0, json_mode=False, retries=0)
        mean, runs = NaturalScorer(chat, instructions, runs=3, seed=7)(video)
    finally:
        stub.close()
    assert runs == [4.0, 3.0, None] and mean == 3.5  # the run that gave no number is left out, as merge_result.py
    assert [path for path, _ in stub.requests] == ["/v1/chat/completions"] * 3
    bodies = [body for _, body in stub.requests]
    assert [b["seed"] for b in bodies] == [7, 8, 9] and all(b["model"] == "gpt-4o-2024-11-20" for b in bodies)
    (message,) = bodies[0]["messages"]
    assert message["role"] == "user" and len(message["content"]) == 17
    assert message["content"][-1] == {"type": "text", "text": instructions}
    greys = []
    for part in message["content"][:16]:
        url = part["image_url"]["url"]
        assert part["type"] == "image_url" and url.startswith("data:image/jpeg;base64,")
        image = cv2.imdecode(np.frombuffer(base64.b64decode(url.split(",", 1)[1]), np.uint8), cv2.IMREAD_COLOR)
        assert image.shape[:2] == (384, 512)  # long side 512: 64 → 512, 48 → int(48·512/64)
        greys.append(round(float(image.mean()) / 4))
    assert greys == HAND_NATURAL[49]


# ---------------------------------------------------------------- GmeScore


def test_gme_conversation_smart_resize_and_last_token_pooling(tiny_cache):
    from stdt2v.eval.gme import GmeScorer, conversation, smart_resize
    from stdt2v.loading import resolve_model_source

    assert conversation("a dog", "Find an image that matches the given text.") == (
        "<|im_start|>system\nFind an image that matches the given text.<|im_end|>\n<|im_start|>user\na dog<|im_end|>\n<|im_start|>assistant\n<|endoftext|>"
    )
    assert smart_resize(60, 80) == (56, 84)  # round to multiples of 28
    assert smart_resize(20, 30) == (56, 84)  # 28·28 < 4·28·28: scaled up by √(3136 / 600), ceil to 28
    gme = GmeScorer(resolve_model_source("tiny:gme-qwen2-vl", tiny_cache, marker="config.json"))
    alone = gme.text_embeddings(["a dog"])
    batched = gme.text_embeddings(["a dog", "a much longer prompt about a person walking"])
    assert alone.norm(dim=1).tolist() == pytest.approx([1.0])
    torch.testing.assert_close(batched[0], alone[0], atol=1e-5, rtol=0)  # left padding: the last token is the prompt's own
    frames = [np.full((60, 80, 3), v, np.uint8) for v in (10, 200)]
    expected = float((gme.text_embeddings(["a dog"] * 2) * gme.image_embeddings(frames)).sum(-1).mean())
    assert gme(frames, "a dog") == pytest.approx(expected, abs=1e-6) and -1.0 <= expected <= 1.0


# ---------------------------------------------------------------- the contract command


def test_references_must_be_the_json_under_opens2v(tmp_path, capsys):
    from stdt2v.cli import main

    (tmp_path / "videos").mkdir()
    code = main(["evaluate", "--videos", str(tmp_path / "videos"), "--references", str(tmp_path), "--output", str(tmp_path / "out"), "eval.protocol=opens2v"])
    assert code == 2 and "Human-Domain_Eval.json" in capsys.readouterr().err


def _pan(image: Image.Image, n: int, size=(144, 176)) -> np.ndarray:
    base = np.asarray(image.convert("RGB").resize((size[0] + n, size[1] + n // 2)))
    return np.stack([base[i // 2 : i // 2 + size[1], i : i + size[0]] for i in range(n)])


@pytest.mark.slow
def test_opens2v_protocol_equals_the_reference_scripts_per_video(tmp_path, tiny_cache):
    """The contract command against the independent transcription: FaceSim-Cur/Arc within 1e-3,
    aesthetics and motion within 0.1 %, per video, on 49, 81 and 33 frames."""
    pytest.importorskip("insightface")
    pytest.importorskip("decord")
    import skimage.data

    from stdt2v.loading import resolve_model_source
    from tests.opens2v_reference import AestheticReference, FaceSimReference, motion_fb
    from tests.tiny_onnx import build_recognizer_onnx, build_tiny_insightface_pack

    root = tmp_path / "models"
    build_tiny_insightface_pack(root / "models" / "buffalo_l", seed=3)
    build_tiny_insightface_pack(root / "models" / "antelopev2")
    cur = build_recognizer_onnx(root / "curricularface.onnx", seed=5)
    clip = resolve_model_source("tiny:aesthetic-clip", tiny_cache, marker="config.json")
    bench, videos = tmp_path / "OpenS2V-Eval", tmp_path / "videos"
    videos.mkdir()
    images = {
        "singleface_1": (load_image("builtin:grace_hopper"), 49, "woman"),
        "singlehuman_2": (Image.fromarray(skimage.data.astronaut()), 81, "crop_woman"),
        "singleobj_3": (Image.fromarray(skimage.data.chelsea()), 33, "object"),
    }
    data = {}
    for sample_id, (image, n, folder) in images.items():
        path = f"Images/{sample_id.split('_')[0]}/{folder}/{sample_id}.png"
        (bench / path).parent.mkdir(parents=True, exist_ok=True)
        image.resize((200, 240)).save(bench / path)
        data[sample_id] = {"img_paths": [f"Images/background/{sample_id}.jpg", path], "prompt": "A person smiles.", "class_label": sample_id.split("_")[0]}
        write_video(_pan(image, n), videos / f"{sample_id}.mp4", fps=16)
    (bench / "Human-Domain_Eval.json").write_text(json.dumps(data))
    out = tmp_path / "eval"
    cmd = [sys.executable, "-m", "stdt2v", "evaluate", "--videos", str(videos), "--references", str(bench / "Human-Domain_Eval.json"), "--output", str(out)]
    cmd += ["eval.protocol=opens2v", "face.backend=insightface", f"face.model_root={root}", "face.model_pack=antelopev2", "face.detect_size=320"]
    cmd += ["eval.arcface=true", f"eval.curricularface={cur}", f"eval.aesthetic_clip={clip}", f"eval.aesthetic_model={clip}/aesthetic-mlp.safetensors"]
    done = subprocess.run([*cmd, "progress=false"], capture_output=True, text=True, env={**os.environ, "STDT2V_CACHE": str(tiny_cache)})
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {r["id"]: r for r in json.loads((out / "scores.json").read_text())}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["opens2v"]["total"] is None and "motion_smoothness" in summary["opens2v"]["missing"]
    assert summary["opens2v"]["matching"]["not_scored_for_facesim"].keys() == {"singleobj_3"}

    faces = FaceSimReference(root, cur)
    aesthetic = AestheticReference(clip, Path(clip) / "aesthetic-mlp.safetensors", (32, 16, 8, 8, 4, 1))
    for sample_id in images:
        ours, video = rows[sample_id], videos / f"{sample_id}.mp4"
        assert ours["aesthetic"] == pytest.approx(aesthetic.score(video), rel=1e-3)
        assert ours["motion_amplitude"] == pytest.approx(motion_fb(video), rel=1e-3)
        if sample_id == "singleobj_3":
            assert ours.get("face_sim_cur") is None and ours.get("face_sim_arc") is None
            continue
        expected = faces.scores(video, bench / data[sample_id]["img_paths"][1])
        assert ours["face_sim_cur"] == pytest.approx(expected["cur_score"], abs=1e-3)
        assert ours["face_sim_arc"] == pytest.approx(expected["arc_score"], abs=1e-3)
        assert ours["frame_indices"] == HAND_32[images[sample_id][1]]  # 49 and 81 frames


@pytest.mark.slow
def test_human_domain_v1_0_total_with_every_metric_through_the_cli(tmp_path, tiny_cache):
    """Every metric of the v1.0 Human-Domain board computed (GME on the tiny Qwen2-VL, NaturalScore
    against the local stub): `total` is a number and equals the board's formula on the rows."""
    pytest.importorskip("insightface")
    pytest.importorskip("decord")
    from stdt2v.loading import resolve_model_source
    from tests.openai_stub import StubServer
    from tests.tiny_onnx import build_recognizer_onnx, build_tiny_insightface_pack

    root = tmp_path / "models"
    build_tiny_insightface_pack(root / "models" / "antelopev2")
    cur = build_recognizer_onnx(root / "curricularface.onnx", seed=5)
    clip = resolve_model_source("tiny:aesthetic-clip", tiny_cache, marker="config.json")
    bench, videos = tmp_path / "bench", tmp_path / "videos"
    (bench / "Images/singleface/woman").mkdir(parents=True)
    videos.mkdir()
    face = load_image("builtin:grace_hopper")
    face.resize((200, 240)).save(bench / "Images/singleface/woman/a.png")
    (bench / "Human-Domain_Eval.json").write_text(json.dumps({"singleface_1": {"img_paths": ["Images/singleface/woman/a.png"], "prompt": "A woman smiles."}}))
    write_video(_pan(face, 17), videos / "singleface_1.mp4", fps=16)
    script = tmp_path / "get_naturalscore.py"
    script.write_text('prompt = """Rate realism from 1 to 5."""\n')
    stub = StubServer(["4", "5", "3"])
    try:
        cmd = [sys.executable, "-m", "stdt2v", "evaluate", "--videos", str(videos), "--references", str(bench / "Human-Domain_Eval.json")]
        cmd += ["--output", str(tmp_path / "eval"), "eval.protocol=opens2v", "eval.opens2v.version=v1.0", "face.backend=insightface", f"face.model_root={root}"]
        cmd += ["eval.arcface=true", f"eval.curricularface={cur}", f"eval.aesthetic_clip={clip}", f"eval.aesthetic_model={clip}/aesthetic-mlp.safetensors"]
        cmd += ["eval.gme_model=tiny:gme-qwen2-vl", f"eval.opens2v.natural_base_url={stub.url}", f"eval.opens2v.natural_prompt_file={script}", "progress=false"]
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "STDT2V_CACHE": str(tiny_cache), "OPENAI_API_KEY": "test-key"})
    finally:
        stub.close()
    assert done.returncode == 0, done.stderr[-2000:]
    (row,) = json.loads((tmp_path / "eval" / "scores.json").read_text())
    board = json.loads((tmp_path / "eval" / "summary.json").read_text())["opens2v"]
    assert row["natural_score"] == 4.0 and row["natural_score_runs"] == [4.0, 5.0, 3.0]
    assert board["version"] == "v1.0" and board["missing"] == [] and board["partial_total"] is None
    expected = (
        0.15 * (min(max(row["aesthetic"], 4), 7) - 4) / 3
        + 0.15 * min(abs(row["motion_amplitude"]), 1)
        + 0.25 * min(row["face_sim_cur"], 1)
        + 0.15 * min(row["gme_score"], 1)
        + 0.30 * (4.0 - 1) / 4
    )
    assert board["total"] == pytest.approx(expected, abs=1e-9)
    assert [body["seed"] for _, body in stub.requests] == [0, 1, 2] and all(len(b["messages"][0]["content"]) == 17 for _, b in stub.requests)


def test_natural_score_needs_the_benchmarks_instructions_file():
    from stdt2v.config import load_config
    from stdt2v.errors import ConfigError

    with pytest.raises(ConfigError, match="natural_prompt_file"):
        load_config(None, ["eval.protocol=opens2v", "eval.opens2v.natural_base_url=http://127.0.0.1:9/v1"], needs_models=False)
    cfg = load_config(None, ["eval.protocol=opens2v", "eval.opens2v.board=Open-Domain"], needs_models=False)
    assert cfg.eval.opens2v.version.value == "v1.1" and cfg.eval.opens2v.board.value == "Open-Domain"
