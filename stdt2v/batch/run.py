"""``stdt2v batch``: many (identity image, prompt) items, resumable, exactly-once, sharded.

Every process (``accelerate launch``) loads the models once and runs its share of the items
(``PartialState.split_between_processes`` over the sorted item list: deterministic). Each item
writes its outputs under temporary names and renames them; the journal line comes last. A
restart skips items whose journal says done and whose final output exists.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

from omegaconf import DictConfig
from tqdm.auto import tqdm

from stdt2v.batch.journal import Journal, JournalTail, journal_entries, read_journals
from stdt2v.batch.paths import final_path, item_dir
from stdt2v.batch.report import write_batch_report
from stdt2v.config.schema import BatchSchedule
from stdt2v.data.items import Item, item_seed, read_items
from stdt2v.errors import InputError, StdT2VError
from stdt2v.io import TMP_PREFIX, atomic_write_bytes, atomic_write_json, first_line, load_image
from stdt2v.loading import resolve_device
from stdt2v.lock import output_lock
from stdt2v.outputs import load_stage_outputs, save_output, save_run_info
from stdt2v.pipeline import IPT2VPipeline

logger = logging.getLogger(__name__)

# Per-item settings (a manifest's `overrides`): config key → the pipeline call's keyword argument.
ITEM_OVERRIDES = {
    "prompts.subject": "subject",
    "keyframe.num_candidates": "num_candidates",
    "keyframe.identity_threshold": "identity_threshold",
    "keyframe.num_inference_steps": "keyframe_num_inference_steps",
    "keyframe.guidance_scale": "keyframe_guidance_scale",
    "animate.num_inference_steps": "num_inference_steps",
    "animate.guidance_scale": "guidance_scale",
}


def remove_temporaries(output: Path) -> int:
    """Delete what a killed process left under temporary names."""
    stale = [p for p in output.rglob(f"{TMP_PREFIX}*")]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return len(stale)


def call_settings(overrides: dict) -> dict:
    """A manifest item's overrides as the pipeline call's keyword arguments."""
    unknown = sorted(set(overrides) - set(ITEM_OVERRIDES))
    if unknown:
        raise StdT2VError(f"per-item override '{unknown[0]}' is not allowed: use one of {', '.join(ITEM_OVERRIDES)} (others need a reload)")
    return {ITEM_OVERRIDES[key]: value for key, value in overrides.items()}


def check_item_overrides(cfg: DictConfig, item: Item) -> None:
    """At planning time: the item's overrides merged onto the run's config, type-checked and
    validated as a config is; the typed values replace the manifest's (``"4"`` becomes 4.0). A
    wrong one marks the item failed (it fails alone) instead of crashing the batch later."""
    import copy

    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from stdt2v.config.validate import check_common, validate_pipeline_config

    if item.error or not item.overrides:
        return
    try:
        call_settings(item.overrides)
        merged = copy.deepcopy(cfg)
        for key, value in item.overrides.items():
            OmegaConf.update(merged, key, value, merge=True)
        check_common(merged)
        validate_pipeline_config(merged)
        item.overrides = {key: OmegaConf.select(merged, key) for key in item.overrides}
    except StdT2VError as err:
        item.error = f"{item.key}: overrides: {err}"
    except OmegaConfBaseException as err:
        item.error = f"{item.key}: overrides: {err.full_key or '?'}: {first_line(err.msg or err)}"


def run_item(pipe: IPT2VPipeline, item: Item, seed: int, output: Path, stage: str, write: bool = True) -> dict:
    """Run one item to ``stage`` and write its outputs (unless ``write`` is false: a helper
    process of context parallelism); return its per-stage timings."""

    if item.error:
        raise StdT2VError(item.error)
    if (item.image is None and not item.objects) or (item.image is not None and not item.image.is_file()):
        raise StdT2VError(f"{item.key}: no identity image{f' at {item.image}' if item.image else ''}; put image.png in the id folder")
    folder = item_dir(output, item)
    prompts, keyframe = load_stage_outputs(folder)  # an earlier run's stage outputs: reused
    if stage != "full":
        keyframe = None  # a keyframe run makes its keyframe again
    objects = [(label, load_image(image, what=f"{item.key}: object image {image}")) for label, image in item.objects]
    result = pipe(
        item.prompt,
        item.image,  # None: a Track 2 sample of objects alone, run without identity conditioning
        seed=seed,
        prompts=prompts,
        keyframe=keyframe,
        until=stage,
        timeline=item.timeline,
        objects=objects,
        **call_settings(item.overrides),
    )
    result.report.extra.update({"item": item.key, "seed": seed, "reused": [n for n, v in (("prompts", prompts), ("keyframe", keyframe)) if v is not None]})
    if not write:
        return result.report.stages
    save_output(result, folder, video_name=f"{TMP_PREFIX}video.mp4")
    if result.frames is not None:
        target = final_path(output, item, "full")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder / f"{TMP_PREFIX}video.mp4", target)  # the video appears complete or not at all
    return result.report.stages


def run_batch(cfg: DictConfig, *, retry_failed: bool = False, make_zip: bool = False, wait: bool = False) -> dict:
    """Run every item of ``batch.input`` not done yet into ``batch.output``; the summary (main
    process; {} in the others). ``wait``: wait for another run holding the folder."""
    from accelerate import PartialState

    b = cfg.batch
    if not b.input or not b.output:
        raise InputError("batch: give --input (a folder or manifest) and --output (a folder)")
    stage = b.stages.value
    # On CPU, PartialState joins the gloo process group only when told the device is the CPU.
    state = PartialState(cpu=resolve_device(cfg.device).type == "cpu")
    output = Path(b.output).expanduser()
    items = read_items(b.input)  # the same sorted list in every process
    for item in items:
        check_item_overrides(cfg, item)
    if state.is_main_process:
        output.mkdir(parents=True, exist_ok=True)
    state.wait_for_everyone()
    with output_lock(output, wait=wait, state=state):  # before anything is written or cleaned up
        if state.is_main_process:
            removed = remove_temporaries(output)  # the lock is ours: no live run owns these
            if removed:
                logger.warning("batch: removed %d unfinished temporary files of an earlier run", removed)
            save_run_info(output, cfg, {"base": cfg.seed})
        state.wait_for_everyone()
        todo, skipped = plan_items(items, output, stage, retry_failed)
        cp = cfg.animate.context_parallel
        context_parallel = cp.ulysses_degree * cp.ring_degree > 1
        if context_parallel:
            mine = todo  # every process works on every item together; the main one writes
        else:
            with state.split_between_processes(todo) as share:
                mine = list(share)
        # A launch gives each process its GPU: device=auto means that one (the config stays as given).
        device = str(state.device) if cfg.device == "auto" and state.device.type == "cuda" else None
        # Context parallelism: every process works on every item, so all load when any work is left.
        needs_models = bool(todo) if context_parallel else bool(mine)
        pipe = IPT2VPipeline.from_config(cfg, device=device) if needs_models else None  # nothing left (e.g. --zip): no loading
        started = time.time()
        seeds = {item.key: item.seed if item.seed is not None else item_seed(cfg.seed, item.key) if b.seed_offset else cfg.seed for item in mine}
        writes = state.is_main_process or not context_parallel
        if b.schedule == BatchSchedule.stage and stage == "full":
            run_stage_major(pipe, mine, seeds, output, state=state, writes=writes, chunk_size=b.chunk_size, progress=cfg.progress)
        else:
            run_items(pipe, mine, seeds, output, stage, state=state, writes=writes, total=len(todo), progress=cfg.progress)
        state.wait_for_everyone()
        summary: dict = {}
        if state.is_main_process:
            summary = summarize(output, items, skipped, started, state.num_processes, stage, b.schedule.value)
            if make_zip or b.zip:
                summary["zip"] = str(pack_submission(output, items))
            remove_temporaries(output)
            summary["report"] = str(write_batch_report(output, items, stage))
        state.wait_for_everyone()
    return summary


def plan_items(items: list[Item], output: Path, stage: str, retry_failed: bool) -> tuple[list[Item], list[str]]:
    """What to run (not done, or failed with ``retry_failed``) and the keys skipped, from the journals."""
    previous = read_journals(output)
    todo, skipped = [], []
    for item in items:
        entry = previous.get(item.key, {})
        if entry.get("status") == "done" and final_path(output, item, stage).exists():
            skipped.append(item.key)
        elif entry.get("status") == "failed" and not retry_failed:
            skipped.append(item.key)
        else:
            todo.append(item)
    return todo, skipped


def run_one(pipe: IPT2VPipeline, item: Item, seed: int, output: Path, stage: str, writes: bool) -> dict:
    """Run one item to ``stage``; its journal entry (done with timings, or failed with the reason)."""
    started = time.time()
    try:
        timings = run_item(pipe, item, seed, output, stage, write=writes)
    except (StdT2VError, OSError, ValueError) as err:
        entry = {"key": item.key, "status": "failed", "seed": seed, "stage": stage, "reason": first_line(err)}
        logger.error("batch: %s failed (%s): %s", item.key, stage, entry["reason"])
        return entry
    seconds = round(time.time() - started, 3)
    logger.info("batch: %s %s in %.1f s (seed %d)", item.key, "done" if stage == "full" else f"{stage} done", seconds, seed)
    stages, peaks = {n: t.seconds for n, t in timings.items()}, {n: t.peak_memory_mb for n, t in timings.items()}
    return {"key": item.key, "status": "done", "seed": seed, "stage": stage, "seconds": seconds, "stages": stages, "peak_memory_mb": peaks}


def run_items(
    pipe: IPT2VPipeline, mine: list[Item], seeds: dict[str, int], output: Path, stage: str, *, state: Any, writes: bool, total: int, progress: bool
) -> None:
    """Item-major: this process's items, one journal line each (the line comes last: exactly-
    once). A bad item fails alone; the progress bar (main process) counts every process's lines."""
    journal = Journal(output, state.process_index)
    bar = tqdm(total=total, desc="batch", disable=not (progress and state.is_main_process))
    tail = JournalTail(output)
    tail.new_entries()  # earlier runs' lines are not this run's progress
    for item in mine:
        entry = run_one(pipe, item, seeds[item.key], output, stage, writes)
        if writes:
            journal.append(entry)
        if state.is_main_process:
            bar.update(len(tail.new_entries()))  # every process's lines: the lock keeps other runs out
    bar.close()


PHASES = ("decouple", "keyframe", "full")  # stage-major: the stages an item goes through, in order


def run_stage_major(
    pipe: IPT2VPipeline, mine: list[Item], seeds: dict[str, int], output: Path, *, state: Any, writes: bool, chunk_size: int, progress: bool
) -> None:
    """Stage-major: a chunk of items through decoupling, then keyframes (only the keyframe model
    on the GPU), then videos (only the video model), then the next chunk. Each finished phase
    of an item is a journal line (status ``stage``), so a restart resumes every item at its next
    phase; the item's files are the same as an item-major run's (the keyframe goes through
    keyframe.png, which is lossless)."""
    journal = Journal(output, state.process_index)
    reached = {key: e.get("stage") for key, e in read_journals(output).items() if e.get("status") == "stage"}
    for start in range(0, len(mine), chunk_size):
        alive = mine[start : start + chunk_size]
        for phase in PHASES:
            pipe.hold(phase)
            todo = [item for item in alive if reached.get(item.key) not in PHASES[PHASES.index(phase) :]]
            done_before = [item for item in alive if item not in todo]
            chunk = f" (items {start + 1}-{start + len(alive)} of {len(mine)})" if len(mine) > chunk_size else ""
            survivors = []
            for item in tqdm(todo, desc=f"{phase}{chunk}", disable=not (progress and state.is_main_process)):
                entry = run_one(pipe, item, seeds[item.key], output, phase, writes)
                if entry["status"] == "done" and phase != "full":
                    entry["status"] = "stage"  # this phase is done; the item is not yet
                if writes:
                    journal.append(entry)
                if entry["status"] != "failed":
                    survivors.append(item)
            alive = done_before + survivors


def summarize(output: Path, items: list[Item], skipped: list[str], started: float, processes: int, stage: str, schedule: str = "item") -> dict:
    latest = read_journals(output)
    entries = [latest[i.key] for i in items if i.key in latest]
    this_run = [e for e in entries if e.get("time", 0) >= started]
    failed = [{"key": e["key"], "reason": e.get("reason", "")} for e in entries if e.get("status") == "failed"]
    stage_seconds: dict[str, list[float]] = {}
    peaks: dict[str, float] = {}
    for e in (e for e in journal_entries(output) if e.get("time", 0) >= started):  # every phase line (stage-major writes several)
        for name, s in (e.get("stages") or {}).items():
            stage_seconds.setdefault(name, []).append(s)
        for name, mb in (e.get("peak_memory_mb") or {}).items():
            peaks[name] = max(peaks.get(name, 0.0), mb)
    wall = time.time() - started
    done_now = [e for e in this_run if e.get("status") == "done"]
    summary = {
        "stage": stage,
        "schedule": schedule,
        "items": len(items),
        "done": sum(1 for e in entries if e.get("status") == "done"),
        "failed": len(failed),
        "skipped": len(skipped),
        "done_this_run": len(done_now),
        "failures": failed,
        "seconds_per_item_per_stage": {k: round(sum(v) / len(v), 3) for k, v in stage_seconds.items()},
        "peak_memory_mb_per_stage": peaks,  # CUDA: allocated per stage; CPU: the process's RSS high-water mark
        "wall_seconds": round(wall, 2),
        "items_per_second": round(len(done_now) / wall, 4) if wall > 0 else None,
        "processes": processes,
    }
    atomic_write_json(output / "journal.json", latest)
    atomic_write_json(output / "summary.json", summary)
    return summary


def pack_submission(output: Path, items: list[Item]) -> Path:
    """``submission.zip`` with ``idNNN/promptK.mp4`` for every finished item; from a 2026
    eval.json, the track's zip (``facial_results.zip`` / ``sequential_action_results.zip``)
    with ``submission/N.mp4``."""
    import io

    from stdt2v.data.evaljson import TRACKS

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for item in items:
            video = final_path(output, item, "full")
            if video.is_file():
                archive.write(video, item.video_path or f"{item.id}/{item.name}.mp4")
    track = next((item.track for item in items if item.track), None)
    return atomic_write_bytes(output / TRACKS.get(track, "submission.zip"), buffer.getvalue())
