"""Rebuild docs/assets/timeline_eval.png: ``evaluate --timelines`` on a hand-built 3 s video (16 fps)
whose segments are three still images (two package faces and a cup), screenshotted from the HTML
report with headless Chromium. The CLIP model is the tiny random one (offline): its numbers only
show the layout. Usage: python scripts/make_timeline_figure.py OUT_PNG"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

from stdt2v.config import load_config
from stdt2v.data.evaljson import read_eval_json
from stdt2v.eval import build_evaluator
from stdt2v.eval.timeline import evaluate_timelines
from stdt2v.io import load_image, write_video


def main(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        hopper = load_image("builtin:grace_hopper").resize((128, 160))
        astronaut = Image.fromarray(skimage.data.astronaut()).crop((80, 0, 380, 300)).resize((128, 160))
        cup = Image.fromarray(skimage.data.coffee()).crop((100, 0, 500, 400)).resize((128, 160))
        frames = np.stack([np.asarray(hopper)] * 16 + [np.asarray(astronaut)] * 16 + [np.asarray(cup)] * 17)
        write_video(frames, root / "videos" / "1.mp4", fps=16)
        hopper.save(root / "hopper.png")
        captions = [
            {"start": 0, "end": 1, "description": "a woman in a navy uniform looks at the camera"},
            {"start": 1, "end": 2, "description": "an astronaut in an orange suit smiles"},
            {"start": 2, "end": 3, "description": "a cup of coffee on a saucer"},
        ]
        sample = {"img_paths": ["woman/hopper.png"], "class_label": ["woman"], "global_prompt": "A woman.", "temporal_captions": captions}
        (root / "woman").mkdir()
        hopper.save(root / "woman" / "hopper.png")
        (root / "eval.json").write_text(json.dumps([sample]))
        cfg = load_config(None, ["eval.clip_model=tiny:clip", "eval.num_frames=12"], needs_models=False)
        evaluator = build_evaluator(cfg.eval, cfg.face, cache_dir=cfg.cache_dir)
        evaluate_timelines(evaluator, read_eval_json(root / "eval.json"), root / "videos", root / "out")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.goto((root / "out" / "report.html").resolve().as_uri())
            page.screenshot(path=str(target), full_page=True)
            browser.close()
    print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
