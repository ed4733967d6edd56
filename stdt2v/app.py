"""``stdt2v app``: a Gradio page to try a face and a prompt on a loaded pipeline.

Two steps, as the method has them: **Decouple** fills the editable spatial and temporal prompts;
**Generate** runs the keyframe and video stages with the prompts as the user left them. Models
load once (a preset change reloads); per-call settings go through the pipeline's keyword
arguments; one generation runs at a time (the queue). Every run is written as ``stdt2v
generate`` writes it, under ``output/run-NNNN/``, and offered as a zip.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import random
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from PIL import Image, ImageOps

from stdt2v.errors import StdT2VError
from stdt2v.io import MIN_IMAGE_SIDE
from stdt2v.outputs import IPT2VOutput, save_output, save_run_info
from stdt2v.pipeline import IPT2VPipeline
from stdt2v.prompts import DecoupledPrompt, normalize_prompt
from stdt2v.seeds import RANDOM_MAX_SEED

if TYPE_CHECKING:
    import gradio as gr

    from stdt2v.config.schema import PipelineConfig

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: no outside calls

logger = logging.getLogger(__name__)

STAGE_PROGRESS = {  # what the progress bar says as each stage starts
    "decouple": (0.05, "decoupling the prompt"),
    "keyframe": (0.2, "keyframe candidates and face refinement"),
    "animate": (0.55, "animating"),
    "identity": (0.9, "identity check"),
}


@dataclasses.dataclass
class Settings:
    """The page's settings panel (None: the preset's value)."""

    seed: int = 0
    random_seed: bool = False
    num_candidates: int | None = None
    identity_scale: float | None = None
    keyframe_num_inference_steps: int | None = None
    keyframe_guidance_scale: float | None = None
    num_inference_steps: int | None = None
    guidance_scale: float | None = None
    num_frames: int | None = None

    @classmethod
    def from_page(cls, seed: float | None, random_seed: bool | None, numbers: Sequence[float | None]) -> Settings:
        """From the page's widgets: seed, the random box, then the sliders in field order."""
        values = dict(zip([f.name for f in dataclasses.fields(cls)][2:], numbers))
        ints = ("num_candidates", "keyframe_num_inference_steps", "num_inference_steps", "num_frames")
        values = {k: (None if v is None else int(v) if k in ints else float(v)) for k, v in values.items()}
        return cls(seed=int(seed or 0), random_seed=bool(random_seed), **values)

    def call_kwargs(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("seed", "random_seed") and getattr(self, f.name) is not None}


class AppSession:
    """The loaded pipeline and its config; runs one request at a time and writes its folder."""

    def __init__(self, load: Callable[[str], tuple[IPT2VPipeline, object]], preset: str, output: Path):
        self.load, self.output = load, Path(output)
        self.preset, (self.pipe, self.cfg) = preset, load(preset)
        self.lock = threading.Lock()
        self.runs = len(list(self.output.glob("run-*")))

    def switch(self, preset: str) -> str:
        if preset == self.preset:
            return f"preset {preset} is loaded"
        with self.lock:
            self.pipe, self.cfg = self.load(preset)
            self.preset = preset
        return f"preset {preset} loaded (models reloaded)"

    def decouple(self, face: Image.Image | None, prompt: str) -> DecoupledPrompt:
        face, prompt = self.check(face, prompt)
        with self.lock:
            return self.pipe(prompt, face, until="decouple").prompts

    def generate(
        self,
        face: Image.Image | None,
        prompt: str,
        spatial: str,
        temporal: str,
        negative_prompt: str,
        settings: Settings,
        on_stage: Callable[[str], None] | None = None,
    ) -> tuple[IPT2VOutput, Path, int]:
        face, prompt = self.check(face, prompt)
        seed = random.randint(0, RANDOM_MAX_SEED) if settings.random_seed else int(settings.seed)
        with self.lock:
            prompts = None  # empty boxes: the call decouples (and times it) itself
            if spatial.strip() and temporal.strip():  # the boxes as the user left them; subject and notes from the decoupler
                prompts = self.pipe(prompt, face, seed=seed, until="decouple").prompts
                edited = normalize_prompt(spatial), normalize_prompt(temporal)
                if edited != (prompts.spatial, prompts.temporal):
                    notes = [*prompts.notes, "spatial/temporal prompts edited in the app"]
                    prompts = dataclasses.replace(prompts, spatial=edited[0], temporal=edited[1], notes=notes)
            extra = {"negative_prompt": negative_prompt.strip()} if negative_prompt and negative_prompt.strip() else {}
            result = self.pipe(prompt, face, seed=seed, prompts=prompts, on_stage=on_stage, **settings.call_kwargs(), **extra)
            self.runs += 1
            folder = self.output / f"run-{self.runs:04d}"
            save_run_info(folder, self.cfg, result.report.seeds)
            save_output(result, folder)
        return result, folder, seed

    @staticmethod
    def check(face: Image.Image | None, prompt: str) -> tuple[Image.Image, str]:
        if face is None:
            raise StdT2VError("face image: none given; upload a photo where the face is clearly visible")
        if min(face.size) < MIN_IMAGE_SIDE:
            raise StdT2VError(f"face image: {face.width}x{face.height} is too small to hold a face; upload one at least {MIN_IMAGE_SIDE} px on each side")
        return ImageOps.exif_transpose(face).convert("RGB"), normalize_prompt(prompt or "")  # upright, as load_image makes it


def identity_plot(result: IPT2VOutput) -> Image.Image | None:
    """The identity curve over the sampled frames (gaps: no face), as an image."""
    identity = result.report.identity
    if identity is None:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 2.4))
    values = identity.curve.per_frame
    xs = [identity.frame_indices[i] for i, v in enumerate(values) if v is not None]
    ax.plot(xs, [v for v in values if v is not None], marker="o")
    if not xs:  # an empty chart would look like a bug: say what happened
        ax.text(0.5, 0.5, f"no face found in any of the {len(values)} sampled frames", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
    ax.set_ylim(0, 1)
    ax.set_xlabel("frame")
    ax.set_ylabel("identity")
    missing = sum(v is None for v in values)
    ax.set_title(f"identity over the video (no face in {missing} of {len(values)} frames)" if missing else "identity over the video", fontsize=9)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return Image.open(io.BytesIO(buffer.getvalue()))


def candidate_captions(result: IPT2VOutput) -> list[tuple[Image.Image, str]]:
    keyframe = result.report.keyframe or {}
    entries, chosen = keyframe.get("candidates", []), keyframe.get("chosen")
    gallery = []
    for i, image in enumerate(result.candidates):
        entry = entries[i] if i < len(entries) else {}
        score = entry.get("identity")
        text = f"seed {entry.get('seed', '?')}: " + ("no face" if score is None else f"identity {score:.3f}") + (" ★ chosen" if i == chosen else "")
        gallery.append((image, text))
    return gallery


def build_app(session: AppSession, presets: list[str]) -> gr.Blocks:
    """The page (a ``gr.Blocks``); ``presets``: config files that can run on this machine."""
    import gradio as gr

    cfg = session.cfg
    with gr.Blocks(title="stdt2v: identity-preserving text-to-video") as demo:
        gr.Markdown(
            "# stdt2v\nA face and a prompt → a video of *that person*. **Decouple** splits the prompt into a spatial prompt "
            "(the keyframe: who, looks, place, light, framing) and a temporal prompt (the video: every action); edit them, then **Generate**."
        )
        with gr.Row():
            with gr.Column(scale=1):
                face = gr.Image(label="face image", type="pil", elem_id="face", height=280)
                prompt = gr.Textbox(label="prompt", lines=3, elem_id="prompt", placeholder="A woman in a red coat walks along the beach at sunset and waves.")
                negative = gr.Textbox(label="negative prompt (video)", lines=1, elem_id="negative_prompt")
                with gr.Accordion("settings", open=False):
                    preset = gr.Dropdown(presets, value=session.preset, label="preset (a change reloads the models)", elem_id="preset")
                    with gr.Row():
                        seed = gr.Number(value=cfg.seed, precision=0, minimum=0, maximum=RANDOM_MAX_SEED, label="seed", elem_id="seed")
                        random_seed = gr.Checkbox(value=False, label="random seed", elem_id="random_seed")
                    candidates_n = gr.Slider(1, 8, value=cfg.keyframe.num_candidates, step=1, label="keyframe candidates")
                    identity_scale = gr.Slider(0.0, 2.0, value=cfg.keyframe.identity.scale, step=0.05, label="identity scale")
                    with gr.Row():
                        k_steps = gr.Slider(1, 100, value=cfg.keyframe.num_inference_steps, step=1, label="keyframe steps")
                        k_guidance = gr.Slider(0.0, 15.0, value=cfg.keyframe.guidance_scale, step=0.5, label="keyframe guidance")
                    with gr.Row():
                        v_steps = gr.Slider(1, 100, value=cfg.animate.num_inference_steps, step=1, label="video steps")
                        v_guidance = gr.Slider(0.0, 15.0, value=cfg.animate.guidance_scale, step=0.5, label="video guidance")
                    frames_n = gr.Slider(5, 161, value=cfg.animate.num_frames, step=4, label="frames (4n+1)")
                with gr.Row():
                    decouple_button = gr.Button("Decouple", elem_id="decouple")
                    generate_button = gr.Button("Generate", variant="primary", elem_id="generate")
                subject = gr.Textbox(label="subject", interactive=False, elem_id="subject")
                spatial = gr.Textbox(label="spatial prompt (keyframe)", lines=3, elem_id="spatial")
                temporal = gr.Textbox(label="temporal prompt (video)", lines=3, elem_id="temporal")
            with gr.Column(scale=1):
                video = gr.Video(label="video", elem_id="video", autoplay=True, loop=True)
                seed_used = gr.Textbox(label="seed used", interactive=False, elem_id="seed_used")
                gallery = gr.Gallery(label="keyframe candidates (seed, identity; ★ chosen)", columns=4, height=200, elem_id="candidates")
                keyframe = gr.Image(label="keyframe", type="pil", elem_id="keyframe", height=240)
                curve = gr.Image(label="identity over the video", type="pil", elem_id="identity_curve")
                download = gr.File(label="run folder (zip)", elem_id="download")
                report = gr.Code(label="report.json", language="json", elem_id="report", max_lines=24)

        def on_decouple(face_image: Image.Image | None, text: str) -> tuple[str, str, str]:
            try:
                prompts = session.decouple(face_image, text)
            except StdT2VError as err:
                raise gr.Error(str(err)) from None
            return prompts.subject, prompts.spatial, prompts.temporal

        def on_generate(
            face_image: Image.Image | None,
            text: str,
            spatial_text: str | None,
            temporal_text: str | None,
            negative_text: str | None,
            seed_value: float | None,
            random_value: bool | None,
            *numbers: float | None,
            progress: gr.Progress = gr.Progress(),
        ) -> tuple[str, str, str, str, str, list[tuple[Image.Image, str]], Image.Image | None, Image.Image | None, str, str]:
            settings = Settings.from_page(seed_value, random_value, numbers)

            def stage(name: str) -> None:
                fraction, description = STAGE_PROGRESS[name]
                progress(fraction, desc=description)

            try:
                result, folder, used = session.generate(face_image, text, spatial_text or "", temporal_text or "", negative_text or "", settings, stage)
            except StdT2VError as err:
                raise gr.Error(str(err)) from None
            archive = shutil.make_archive(str(folder), "zip", root_dir=folder)
            p, report_json = result.prompts, json.dumps(result.report.to_dict(), indent=1)
            gallery = candidate_captions(result)
            return p.subject, p.spatial, p.temporal, str(folder / "video.mp4"), str(used), gallery, result.keyframe, identity_plot(result), archive, report_json

        def on_preset(name: str) -> None:
            try:
                message = session.switch(name)
            except StdT2VError as err:
                raise gr.Error(str(err)) from None
            gr.Info(message)

        numbers = [candidates_n, identity_scale, k_steps, k_guidance, v_steps, v_guidance, frames_n]
        decouple_button.click(on_decouple, [face, prompt], [subject, spatial, temporal], api_name="decouple")
        generate_button.click(
            on_generate,
            [face, prompt, spatial, temporal, negative, seed, random_seed, *numbers],
            [subject, spatial, temporal, video, seed_used, gallery, keyframe, curve, download, report],
            api_name="generate",
        )
        preset.change(on_preset, [preset], None, api_name=False)
    demo.queue(default_concurrency_limit=1)  # one generation at a time per process
    return demo


def runnable_presets(config: Path, can_run: Callable[[Path], bool]) -> list[str]:
    """The YAML files beside ``config`` that can run here (their models are local or tiny), ``config`` first."""
    others = sorted(p for p in config.parent.glob("*.yaml") if p.resolve() != config.resolve())
    return [str(config)] + [str(p) for p in others if can_run(p)]


def models_available(cfg: PipelineConfig) -> bool:
    """Whether the config's keyframe and video models are here: tiny, a local folder, or in the
    Hugging Face cache (nothing is downloaded to find out)."""
    from huggingface_hub import try_to_load_from_cache

    for spec in (cfg.keyframe.model, cfg.animate.model):
        spec = str(spec)
        if spec.startswith("tiny:") or Path(spec).expanduser().is_dir():
            continue
        if not isinstance(try_to_load_from_cache(spec, "model_index.json"), str):
            return False
    return True
