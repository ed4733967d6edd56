"""``IPT2VPipeline``: reference face + prompt → decoupled prompts → keyframe → video.

Stages are passed in (constructor injection, as diffusers pipelines take their components),
so tests and later backends plug in without touching this file. ``from_config`` builds them
from a validated config through one explicit builder per stage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from omegaconf import DictConfig, OmegaConf
from PIL import Image

from stdt2v import families
from stdt2v.animate import Animator, build_animator
from stdt2v.animate.guidance import guidance_report
from stdt2v.animate.memory import check_memory_config
from stdt2v.config import as_schema
from stdt2v.config.schema import AnimateConfig, GroupOffloadType, IdentityGuardConfig, Offload, PipelineConfig, SubjectFrom, TimelineConfig, VideoPrompt
from stdt2v.config.validate import check_num_frames
from stdt2v.errors import InputError, NoFaceError, StdT2VError
from stdt2v.face import Face, FaceAnalyzer, ReferenceCache, build_face_analyzer
from stdt2v.face.curve import IdentityCurve
from stdt2v.io import MIN_IMAGE_SIDE, evenly_spaced, fit_cover, load_image
from stdt2v.keyframe import Identity, KeyframeStage, build_keyframe_generator, build_keyframe_stage
from stdt2v.outputs import IPT2VOutput, load_stage_outputs, save_output, save_run_info
from stdt2v.pipeline_timeline import TimelinePlan
from stdt2v.plan import plan_pipeline
from stdt2v.prompts import DecoupledPrompt, FaceDescriber, PromptDecoupler, build_decoupler, build_face_describer, normalize_prompt, subject_phrase
from stdt2v.report import GuardAttempt, GuardReport, IdentityReport, RunReport, VideoInfo
from stdt2v.runinfo import StageTiming, stage_timer
from stdt2v.seeds import ANIMATE_OFFSET, GUARD_RETRY_STRIDE, check_seed, derive_seed
from stdt2v.sources import resolve_sources
from stdt2v.timeline import TimelineRequest

logger = logging.getLogger(__name__)

# The output record and its folder format live in stdt2v.outputs; re-exported here, where users look first.
__all__ = ["IPT2VOutput", "IPT2VPipeline", "load_stage_outputs", "save_output", "save_run_info"]

STAGES = ("decouple", "keyframe", "full")  # how far a run goes


class IPT2VPipeline:
    def __init__(
        self,
        decoupler: PromptDecoupler,
        face_analyzer: FaceAnalyzer,
        keyframe_stage: KeyframeStage,
        animator: Animator,
        *,
        subject: str | None = None,
        identity_frames: int = 8,
        identity_guard: IdentityGuardConfig | None = None,
        reference_cache: ReferenceCache | None = None,
        face_describer: FaceDescriber | None = None,
        video_prompt: VideoPrompt = VideoPrompt.temporal,
        device: Any = None,
        subject_with_age: bool = True,
        timeline_settings: TimelineConfig = TimelineConfig(),
    ) -> None:
        self.decoupler = decoupler
        self.face_analyzer = face_analyzer
        self.keyframe_stage = keyframe_stage
        self.animator = animator
        self.subject = subject
        self.subject_with_age = subject_with_age
        self.identity_frames = identity_frames
        self.identity_guard = identity_guard  # IdentityGuardConfig, or None: off
        self.reference_cache = reference_cache or ReferenceCache(face_analyzer, folder=None)
        self.face_describer = face_describer  # None: prompts without a face description
        self.video_prompt = video_prompt  # animate.prompt: temporal (decoupled) | caption (the caption whole, as rewritten)
        self.device = device
        self.timeline_settings = timeline_settings  # animate.timeline: relay | flatten
        self.load_report: dict[str, StageTiming] = {}  # loading each stage (from_config)
        self.memory_plan: dict | None = None  # animate.memory.offload=auto: what the planner chose
        self.keyframe_render_size: tuple[int, int] | None = None  # keyframe.height/width

    @classmethod
    def from_config(cls, cfg: DictConfig, *, face_analyzer: FaceAnalyzer | None = None, device: str | None = None) -> IPT2VPipeline:
        """Build every stage from a loaded (validated) config; ``face_analyzer``: one built
        already (the CLI checks the id image's face before the big models load); ``device``:
        instead of the config's (a launched process's GPU). Every weight source is resolved
        first (``stdt2v.sources``); the stages get the schema's dataclasses."""
        sources = resolve_sources(cfg, device=device)  # a bad model folder is one line before anything loads
        on = sources.device
        conf: PipelineConfig = OmegaConf.to_object(cfg)
        animate_cfg, memory_plan = resolve_auto_offload(cfg, on)
        check_memory_config(animate_cfg.memory, on)
        load_report: dict[str, StageTiming] = {}
        with stage_timer(load_report, "face", on):
            face_analyzer = face_analyzer or build_face_analyzer(conf.face, device=str(on))
            score_analyzer = None
            if conf.keyframe.score_pack is not None:  # best-of-N scored by a pack of its own (IPVG: buffalo_l at 224)
                detect_size = conf.keyframe.score_detect_size or conf.face.detect_size
                score_analyzer = build_face_analyzer(replace(conf.face, model_pack=conf.keyframe.score_pack, detect_size=detect_size), device=str(on))
        with stage_timer(load_report, "keyframe", on):
            keyframe_generator = build_keyframe_generator(conf.keyframe, sources, progress=conf.progress, face_analyzer=face_analyzer)
        with stage_timer(load_report, "animate", on):
            animator = build_animator(animate_cfg, sources, progress=conf.progress)
        with stage_timer(load_report, "decouple", on):
            decoupler = build_decoupler(
                conf.prompts,
                cache_dir=conf.cache_dir,
                sources=sources,
                count_spatial=keyframe_generator.count_prompt_tokens,
                count_temporal=animator.count_prompt_tokens,
                spatial_limit=keyframe_generator.max_prompt_tokens,
                temporal_limit=animator.max_prompt_tokens,
                trigger=conf.keyframe.identity.trigger,
            )
            face_describer = build_face_describer(conf.prompts, cache_dir=conf.cache_dir, sources=sources)
        pipe = cls(
            decoupler=decoupler,
            face_analyzer=face_analyzer,
            keyframe_stage=build_keyframe_stage(conf.keyframe, keyframe_generator, face_analyzer, score_analyzer),
            animator=animator,
            subject=conf.prompts.subject,
            subject_with_age=conf.prompts.subject_from == SubjectFrom.gender_age,
            identity_frames=conf.face.identity_frames,
            identity_guard=conf.identity_guard if conf.identity_guard.enabled else None,
            reference_cache=ReferenceCache(face_analyzer, conf.cache_dir if conf.face.cache_references else None),
            face_describer=face_describer,
            video_prompt=conf.animate.prompt,
            device=on,
            timeline_settings=conf.animate.timeline,
        )
        pipe.load_report = load_report
        pipe.memory_plan = memory_plan
        if conf.keyframe.height and conf.keyframe.width:
            pipe.keyframe_render_size = (conf.keyframe.height, conf.keyframe.width)
        return pipe

    def __call__(
        self,
        prompt: str,
        id_image: Image.Image | str | Path,
        seed: int = 0,
        *,
        prompts: DecoupledPrompt | None = None,
        keyframe: Image.Image | None = None,
        until: str = "full",
        subject: str | None = None,
        num_candidates: int | None = None,
        identity_threshold: float | None = None,
        keyframe_num_inference_steps: int | None = None,
        keyframe_guidance_scale: float | None = None,
        num_inference_steps: int | None = None,
        guidance_scale: float | None = None,
        num_frames: int | None = None,
        negative_prompt: str | None = None,
        identity_scale: float | None = None,
        on_stage: Callable[[str], None] | None = None,
        timeline: TimelineRequest | None = None,
        objects: list[tuple[str, Image.Image]] | None = None,
    ) -> IPT2VOutput:
        """Run the stages up to ``until`` ("decouple", "keyframe" or "full"). ``prompts`` and
        ``keyframe`` from an earlier run skip their stages (the stage-wise workflow).

        Per-call settings that need no reload (None: the configured value): ``subject`` (the
        subject phrase), ``num_candidates`` and ``identity_threshold`` (best-of-N),
        ``keyframe_num_inference_steps`` / ``keyframe_guidance_scale`` / ``identity_scale`` (the
        keyframe model and its identity adapter), ``num_inference_steps`` / ``guidance_scale`` /
        ``num_frames`` / ``negative_prompt`` (the video model). ``on_stage(name)`` is called as each
        stage starts (a progress display). ``timeline``: segments of actions in one video
        (``stdt2v.pipeline_timeline``); ``objects``: (class label, image) references that are not
        the person (Track 2)."""
        if until not in STAGES:
            raise ValueError(f"until must be one of {', '.join(STAGES)}, not {until!r}")
        if num_frames is not None:
            backend = self.animator.name  # the family registry's lengths and limit for this backend
            check_num_frames(
                num_frames, self.animator.temporal_factor, usual=families.usual_lengths(backend), maximum=families.max_frames(backend), key="num_frames"
            )
        stage_started = on_stage or (lambda name: None)
        plan = TimelinePlan.start(self, timeline, objects, num_frames) if timeline is not None or objects else None  # checked before any model runs
        # 1. Check inputs.
        seed = check_seed(seed)
        prompt = normalize_prompt(prompt)
        if id_image is None and plan is None:
            raise InputError("id image: required (a face image); only a timeline sample with object references runs without one")
        if id_image is not None and not isinstance(id_image, Image.Image):
            id_image = load_image(id_image, what="id image", min_side=MIN_IMAGE_SIDE)
        report = RunReport(
            memory_plan=self.memory_plan,
            seeds=self.seeds(seed),
            face_backend=self.face_analyzer.cache_key,
            load=dict(self.load_report),
            adapters=self.adapters(identity_scale),
        )

        # 2. Reference identity: the largest face of the id image. A timeline sample without a
        #    person (Track 2 objects alone) runs without identity conditioning, and says so.
        reference_face, reference = None, None
        with stage_timer(report.stages, "face", self.device):
            try:
                if id_image is not None:
                    reference_face, reference = self.reference_cache(id_image, what="id image")
            except NoFaceError as err:
                if plan is None:
                    raise
                plan.notes.append(f"{err}: run without identity conditioning")
        if reference_face is None and plan is not None:
            plan.notes.append("no face in the references: the keyframe and the video are made without identity conditioning")
            plan.notes = list(dict.fromkeys(plan.notes))
        report.reference_face = reference_face.to_dict() if reference_face is not None else None

        # 3. Decouple the prompt; the subject phrase comes from the face (or the config).
        if prompts is None:
            stage_started("decouple")
            with stage_timer(report.stages, "decouple", self.device):
                gender, age = (reference_face.gender, reference_face.age) if reference_face is not None else (None, None)
                subject = subject_phrase(gender, age, override=subject or self.subject, with_age=self.subject_with_age)
                description = self.face_describer(id_image, reference_face) if self.face_describer is not None and reference_face is not None else None
                if plan is not None:
                    prompts = plan.decouple(self.decoupler, prompt, subject, description)
                else:
                    prompts = self.decoupler(prompt, subject=subject, face_description=description)
        if plan is not None:
            report.timeline = plan.report(prompts)
        if until == "decouple":
            return IPT2VOutput(prompts=prompts, keyframe=None, frames=None, fps=self.animator.fps, report=report)

        # 4. Keyframe at the size the animator wants: best of N by identity, face refined.
        candidates, keyframe_score = [], None
        if keyframe is None:
            height, width = self.keyframe_size()
            conditioner = self.keyframe_stage.generator.conditioner
            identity = None
            if reference is not None:
                identity = Identity(reference, self.reference_crop(id_image, reference_face), images=[id_image] if conditioner.needs_reference_images else None)
            stage_started("keyframe")
            with stage_timer(report.stages, "keyframe", self.device):
                result = self.keyframe_stage(
                    prompts.spatial,
                    reference,
                    identity,
                    height=height,
                    width=width,
                    seed=seed,
                    num_candidates=num_candidates,
                    identity_threshold=identity_threshold,
                    num_inference_steps=keyframe_num_inference_steps,
                    guidance_scale=keyframe_guidance_scale,
                    identity_scale=identity_scale if reference is not None else 0.0,  # no face: the adapter off
                    reference_image=id_image,
                )
            keyframe, candidates = result.image, [c.image for c in result.candidates]
            keyframe_score = KeyframeScore(result.identity)  # measured already: no second detection
            report.keyframe = result.report()
            report.keyframe["score"] = self.keyframe_stage.scorer.describe() if reference is not None else None
            video_height, video_width = self.animator.video_size()
            # Rendered at keyframe.height/width; under size_mode=area the animator sizes and fits it.
            if keyframe.size != (video_width, video_height) and not self.animator.fits_keyframe:
                report.keyframe["fitted"] = {"from": list(keyframe.size), "to": [video_width, video_height], "how": "scaled to cover, centre crop"}
                keyframe = fit_cover(keyframe, video_width, video_height)
                keyframe_score = None  # the crop changed the face's pixels: measure again
            if conditioner.report is not None:  # e.g. HyperLoRA: seconds from identity to LoRA
                report.keyframe["identity_adapter"] = conditioner.report.to_dict()
        if until == "keyframe":
            return IPT2VOutput(prompts=prompts, keyframe=keyframe, frames=None, fps=self.animator.fps, report=report, candidates=candidates)

        # 5. Animate the keyframe with the temporal prompt (again, with new seeds, while the
        #    identity guard finds the identity lost).
        stage_started("animate")
        with stage_timer(report.stages, "animate", self.device):
            sampling = {"num_inference_steps": num_inference_steps, "guidance_scale": guidance_scale}
            sampling |= {k: v for k, v in (("num_frames", num_frames), ("negative_prompt", negative_prompt)) if v is not None}
            if self.animator.needs_face and reference_face is not None:  # VACE: the aligned reference face goes in as a reference image
                sampling["face"] = Image.fromarray(self.face_analyzer.align(id_image, reference_face, size=self.animator.face_size))
            if self.animator.needs_reference_image and id_image is not None:  # VACE reference=image: the raw reference image, whole
                sampling["reference_image"] = id_image
            calls_before, guided_before = self.animator.transformer_calls, self.animator.guided_steps
            video_prompt = self.caption_for_video(prompts) if self.video_prompt == VideoPrompt.caption else prompts.temporal
            if plan is not None:  # a timeline decides the video's prompt(s)
                video_prompt, sampling = plan.animate_arguments(prompts, sampling)
            frames, report.identity_guard = self.animate_guarded(keyframe, video_prompt, reference, seed=derive_seed(seed, ANIMATE_OFFSET), **sampling)
            report.animate = self.animate_report(self.animator.transformer_calls - calls_before, self.animator.guided_steps - guided_before)

        # 6. Identity of the keyframe and of sampled frames against the reference (the guard's
        #    curve of the kept attempt is reused: those frames were measured already).
        stage_started("identity")
        with stage_timer(report.stages, "identity", self.device):
            guard = report.identity_guard
            known_curve = guard.attempts[guard.chosen].curve if guard is not None else None
            if reference is not None:
                report.identity = self.identity_report(reference, keyframe, frames, keyframe_score, video_curve=known_curve)
        size = self.animator.last_size
        report.video = VideoInfo(
            frames=int(frames.shape[0]), height=int(frames.shape[1]), width=int(frames.shape[2]), fps=self.animator.fps, size=size.to_dict() if size else None
        )
        return IPT2VOutput(prompts=prompts, keyframe=keyframe, frames=frames, fps=self.animator.fps, report=report, candidates=candidates)

    def caption_for_video(self, prompts: DecoupledPrompt) -> str:
        """animate.prompt=caption: the caption whole (as rewritten); the notes say when the
        video model's text encoder reads only its start."""
        caption = prompts.caption or prompts.original
        tokens, limit = self.animator.count_prompt_tokens(caption), self.animator.max_prompt_tokens
        if tokens > limit and not any(n.startswith("animate.prompt=caption") for n in prompts.notes):
            prompts.notes.append(f"animate.prompt=caption: the caption has {tokens} tokens; the video model reads the first {limit}")
        return caption

    def animate_report(self, transformer_calls: int, guided_steps: int) -> dict:
        """What the video model's denoising cost, and the identity-aware guidance it ran."""
        out = {"backend": self.animator.name, "transformer_calls": transformer_calls}
        if self.animator.quantization is not None:
            out["quantization"] = self.animator.quantization
        guidance = getattr(self.animator, "guidance", None)  # diffusers animators only
        if guidance is not None and guidance.enabled:
            out["guidance"] = guidance_report(guidance, guided_steps)
        return out

    def hold(self, stage: str) -> None:
        """Keep only ``stage``'s big model on the GPU; the other waits on the CPU (stage-major
        batches: the peak is one stage's models, not both). A no-op off CUDA."""
        if getattr(self.device, "type", str(self.device)) != "cuda":
            return
        video = stage == "full"
        self.keyframe_stage.generator.place("cpu" if video else self.device)
        self.animator.place(self.device if video else "cpu")
        torch.cuda.empty_cache()

    def adapters(self, identity_scale: float | None = None) -> list[dict]:
        """Every identity adapter and LoRA this call applies, with its scale."""
        keyframe = [{**a, "scale": identity_scale} if identity_scale is not None else a for a in self.keyframe_stage.generator.adapters]
        return keyframe + list(self.animator.adapters)

    def keyframe_size(self) -> tuple[int, int]:
        """``keyframe.height/width`` when set, else the animator's size; on the keyframe model's grid."""
        height, width = self.keyframe_render_size or self.animator.video_size()
        multiple = self.keyframe_stage.generator.size_multiple
        if height % multiple or width % multiple:
            raise StdT2VError(
                f"the video size {width}x{height} is not a multiple of {multiple}, which the keyframe model needs: choose animate.height/width on both grids"
            )
        return height, width

    def reference_crop(self, id_image: Image.Image, face: Face) -> Image.Image | None:
        """The reference face aligned to the ArcFace template at 224 px (FaceID-Plus's CLIP input)."""
        if not self.keyframe_stage.generator.conditioner.needs_face_crop:
            return None
        return Image.fromarray(self.face_analyzer.align(id_image, face, size=224))

    def animate_guarded(
        self, keyframe: Image.Image, prompt: str, reference: np.ndarray | None, seed: int, **sampling: Any
    ) -> tuple[np.ndarray, GuardReport | None]:
        """Animate; with the guard on, retry with seeds seed+1000·k (stdt2v.seeds) while the identity curve's
        minimum (no face = 0) is below the threshold, and keep the attempt with the best minimum."""
        guard = self.identity_guard
        if guard is None or reference is None:  # no reference face: nothing to guard
            return self.animator.animate(keyframe, prompt, seed=seed, **sampling), None
        report, best_frames = GuardReport(min_identity=guard.min_identity), None
        for attempt in range(guard.max_retries + 1):
            attempt_seed = derive_seed(seed, GUARD_RETRY_STRIDE * attempt)
            frames = self.animator.animate(keyframe, prompt, seed=attempt_seed, **sampling)
            curve = self.identity_curve(reference, frames)
            report.attempts.append(GuardAttempt(seed=attempt_seed, curve=curve))
            logger.info("identity guard: attempt %d (seed %d): min %.3f", attempt + 1, attempt_seed, curve.guard_min)
            if best_frames is None or curve.guard_min > report.attempts[report.chosen].curve.guard_min:
                best_frames, report.chosen = frames, attempt
            if curve.guard_min >= guard.min_identity:
                break
        return best_frames, report

    def identity_curve(self, reference: np.ndarray, frames: np.ndarray) -> IdentityCurve:
        """Similarity to the reference of ``identity_frames`` evenly spaced frames."""
        indices = evenly_spaced(len(frames), self.identity_frames)
        return IdentityCurve(self.face_analyzer.frame_similarities(reference, [frames[i] for i in indices]))

    @staticmethod
    def seeds(seed: int) -> dict[str, int]:
        return {"keyframe": seed, "animate": derive_seed(seed, ANIMATE_OFFSET)}

    def identity_report(
        self,
        reference: np.ndarray,
        keyframe: Image.Image,
        frames: np.ndarray,
        keyframe_score: KeyframeScore | None = None,
        *,
        video_curve: IdentityCurve | None = None,
    ) -> IdentityReport:
        """``keyframe_score`` / ``video_curve``: what was measured already (the keyframe stage,
        the identity guard); None: measured here."""
        if keyframe_score is None:
            try:
                keyframe_score = KeyframeScore(self.face_analyzer.similarity(reference, self.face_analyzer.embed(keyframe, what="keyframe")))
            except NoFaceError:
                keyframe_score = KeyframeScore(None)
        curve = video_curve if video_curve is not None else self.identity_curve(reference, frames)
        return IdentityReport(keyframe=keyframe_score.similarity, frame_indices=evenly_spaced(len(frames), self.identity_frames), curve=curve)


@dataclass(frozen=True)
class KeyframeScore:
    """The keyframe's identity similarity to the reference (None: no face in the keyframe)."""

    similarity: float | None


def resolve_auto_offload(cfg: DictConfig, device: torch.device) -> tuple[AnimateConfig, dict[str, Any] | None]:
    """``animate.memory.offload=auto``: the lightest memory mode the planner finds for the free
    GPU memory (``none`` off CUDA), as the ``animate`` section with it filled in, and the plan."""
    animate: AnimateConfig = as_schema(cfg.animate)
    if animate.memory.offload != Offload.auto:
        return animate, None
    if device.type != "cuda":
        logger.info("animate: offload=auto on %s: none (no GPU memory to plan for)", device)
        return replace(animate, memory=replace(animate.memory, offload=Offload.none)), {"offload": "none", "reason": f"device {device}"}
    plan = plan_pipeline(cfg)
    result = plan.to_dict("sequential", search=False)  # the configured quantization: switching would change the result
    offload, _, group_type = result["offload"].partition(":")
    memory = replace(animate.memory, offload=Offload(offload), vae_tiling=result["vae_tiling"] or animate.memory.vae_tiling)
    if group_type:
        memory = replace(memory, group_offload_type=GroupOffloadType(group_type))
    gib = 2**30
    logger.info(
        "animate: offload=auto → %s: estimated peak %.1f GiB of %.1f GiB free%s",
        " ".join(result["overrides"]),
        result["estimated_peak_bytes"] / gib,
        (result["budget_bytes"] or 0) / gib,
        "" if result["fits"] else " (nothing fits: the lightest mode is used)",
    )
    summary = {k: result[k] for k in ("offload", "vae_tiling", "estimated_peak_bytes", "budget_bytes", "fits", "overrides")}
    return replace(animate, memory=memory), summary
