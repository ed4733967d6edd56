"""`stdt2v app` in a real browser (Playwright + Debian's Chromium) and through gradio_client."""

from __future__ import annotations

import json
import socket
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from stdt2v.io import load_image
from tests.conftest import DEMO_CONFIG

pytestmark = pytest.mark.slow
gr = pytest.importorskip("gradio", reason="the app extra is not installed: pip install -e '.[app]'")

SMALL = ["animate.num_frames=5", "animate.height=64", "animate.width=96", "keyframe.num_candidates=2", "progress=false"]
PROMPT = "A woman in a navy uniform stands in an office, smiles and waves at the camera."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory, tiny_cache):
    from stdt2v.app import AppSession, build_app
    from stdt2v.config import load_config
    from stdt2v.pipeline import IPT2VPipeline

    def load(preset):
        cfg = load_config(preset, SMALL)
        return IPT2VPipeline.from_config(cfg), cfg

    output = tmp_path_factory.mktemp("app")
    session = AppSession(load, str(DEMO_CONFIG), output)
    demo = build_app(session, [str(DEMO_CONFIG)])
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, allowed_paths=[str(output)])
    yield {"url": f"http://127.0.0.1:{port}/", "output": output}
    demo.close()


@pytest.fixture(scope="module")
def face(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("face") / "face.png"
    load_image("builtin:grace_hopper").save(path)
    return path


def test_decouple_edit_generate_in_a_browser(app, face, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(app["url"])
    page.locator("#face input[type=file]").set_input_files(str(face))
    page.locator("#prompt textarea").fill(PROMPT)
    page.locator("#decouple").click()
    page.wait_for_function("() => document.querySelector('#temporal textarea').value.length > 0", timeout=60_000)
    assert page.locator("#spatial textarea").input_value().startswith("A woman")
    assert "waves" in page.locator("#temporal textarea").input_value()
    page.locator("#temporal textarea").fill("A woman waves slowly and nods.")  # the user's edit is what runs
    page.locator("#generate").click()
    page.wait_for_function("() => {const v=document.querySelector('#video video'); return v && v.readyState>=1 && v.duration>0}", timeout=120_000)
    assert page.locator("#candidates img").count() == 2
    assert "keyframe" in page.locator("#report").inner_text()
    assert page.locator("#temporal textarea").input_value() == "A woman waves slowly and nods."
    page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
    assert Image.open(tmp_path / "app.png").size[0] == 1400
    runs = sorted(app["output"].glob("run-*/prompts.json"))
    prompts = json.loads(runs[-1].read_text())
    assert prompts["temporal"] == "A woman waves slowly and nods." and "edited in the app" in prompts["notes"][-1]
    with zipfile.ZipFile(f"{runs[-1].parent}.zip") as archive:  # the download: what `stdt2v generate` writes
        assert {"video.mp4", "keyframe.png", "prompts.json", "report.json", "config.yaml", "env.json"} <= set(archive.namelist())
    page.close()


def test_a_face_less_image_is_a_message_and_the_app_keeps_serving(app, browser, tmp_path):
    Image.new("RGB", (128, 128), "gray").save(tmp_path / "blank.png")
    page = browser.new_page()
    page.goto(app["url"])
    page.locator("#face input[type=file]").set_input_files(str(tmp_path / "blank.png"))
    page.locator("#prompt textarea").fill(PROMPT)
    page.locator("#generate").click()
    message = page.get_by_text("no face", exact=False).first
    message.wait_for(timeout=60_000)
    assert "Traceback" not in page.content()
    page.locator("#decouple").click()  # still serving: the next request is answered
    page.get_by_text("no face", exact=False).first.wait_for(timeout=60_000)
    page.close()


def test_the_api_through_gradio_client(app, face):
    from gradio_client import Client, handle_file

    client = Client(app["url"], verbose=False)
    subject, spatial, temporal = client.predict(handle_file(str(face)), PROMPT, api_name="/decouple")
    assert temporal.startswith(subject) and spatial.startswith(subject)
    numbers = [1, 1.0, 2, 5.0, 2, 5.0, 5]  # candidates, identity scale, keyframe steps/guidance, video steps/guidance, frames
    out = client.predict(handle_file(str(face)), PROMPT, "", "", "", 7, False, *numbers, api_name="/generate")
    video, seed_used, report = out[3], out[4], json.loads(out[9])
    assert Path(video["video"] if isinstance(video, dict) else video).is_file() and seed_used == "7"
    assert report["seeds"] == {"keyframe": 7, "animate": 8} and report["video"]["frames"] == 5
    assert len(report["keyframe"]["candidates"]) == 1  # the per-call setting, no reload
