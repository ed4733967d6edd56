"""``OUTPUT/report.html`` of a batch run: the summary on top, then one row per item (reference
face, keyframe, video, prompts, identity, seed, seconds), failed items with their reason.
Thumbnails go to ``OUTPUT/report_files/``; every link is relative to the output folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import yaml
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from stdt2v.batch.journal import read_journals
from stdt2v.batch.paths import final_path, item_dir
from stdt2v.data.items import Item, read_items
from stdt2v.errors import StdT2VError
from stdt2v.html import esc, fmt, rel, svg_curve, write_page
from stdt2v.io import first_line, load_image, save_png

logger = logging.getLogger(__name__)

THUMB = 256  # px, the longer side of a thumbnail
REPORT_FILE, THUMBS_DIR = "report.html", "report_files"


def _json(path: Path, what: str = "") -> dict:
    """A JSON file's object ({} when absent or unreadable); ``what``: say so when it exists but
    does not parse (a truncated summary.json is not silently dropped)."""
    if not path.is_file():  # absent, or not a regular file (a FIFO would block the read)
        if what and path.exists():
            logger.warning("%s: %s is not a regular file; the report shows no %s", what, path, what)
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        if what and path.exists():
            reason = first_line(err)
            logger.warning("%s: %s is unreadable (%s); the report shows no %s: rerun stdt2v batch on this folder to rewrite it", what, path, reason, what)
        return {}
    return value if isinstance(value, dict) else {}


def _thumbnail(source: Path | str, target: Path) -> Path | None:
    """A small PNG of ``source`` (made once; None when it cannot be read)."""
    if target.is_file():
        return target
    try:
        image = load_image(source, what="report thumbnail")
    except StdT2VError:
        return None
    image.thumbnail((THUMB, THUMB))
    return save_png(image, target)


def items_of_run(output: Path) -> list[Item]:
    """The items of the run in ``output``: from its input (config.yaml → batch.input), else the
    keys its journals name (then without reference images)."""
    try:
        source = OmegaConf.load(output / "config.yaml").batch.input
        return read_items(source)
    except (OSError, StdT2VError, AttributeError, ValueError, yaml.YAMLError, OmegaConfBaseException) as err:  # a damaged config.yaml
        logger.warning("report: the run's input cannot be read (%s); listing the journal's items", str(err).splitlines()[0])
    return [Item(id=key.split("/")[0], name=key.split("/")[-1], image=None, prompt="") for key in sorted(read_journals(output))]


def write_batch_report(output: Path, items: list[Item] | None = None, stage: str = "full") -> Path:
    """Write (or rebuild) ``output/report.html``."""
    output = Path(output)
    items = items_of_run(output) if items is None else items
    journal, summary = read_journals(output), _json(output / "summary.json", what="summary")
    thumbs = output / THUMBS_DIR
    rows = []
    for item in items:
        entry = journal.get(item.key, {})
        folder = item_dir(output, item)
        prompts, report = _json(folder / "prompts.json"), _json(folder / "report.json")
        identity = report.get("identity", {})
        video_mean = identity.get("video", {}).get("mean")
        reference = _thumbnail(item.image, thumbs / "references" / f"{item.id}.png") if item.image else None
        keyframe = _thumbnail(folder / "keyframe.png", thumbs / "keyframes" / item.id / f"{item.name}.png") if (folder / "keyframe.png").is_file() else None
        video = final_path(output, item, "full")
        status = entry.get("status", "not run")
        cells = [
            f"<td>{esc(item.key)}<br><span class='{'bad' if status == 'failed' else 'muted'}'>{esc(status)}</span>"
            + (f"<br><span class='bad'>{esc(entry.get('reason'))}</span>" if entry.get("reason") else "")
            + "</td>",
            f"<td>{_img(reference, output, 'reference face')}</td>",
            f"<td>{_img(keyframe, output, 'keyframe')}</td>",
            f"<td>{_video(video, output) if video.is_file() else '<span class=muted>no video</span>'}</td>",
            "<td class='prompt'>"
            + f"<b>prompt</b>{esc(prompts.get('original') or item.prompt)}"
            + (f"<b>spatial</b>{esc(prompts.get('spatial'))}<b>temporal</b>{esc(prompts.get('temporal'))}" if prompts else "")
            + (f"<b>face description</b>{esc(prompts['face_description'])}" if prompts.get("face_description") else "")
            + "</td>",
            f"<td class='num' data-sort='{'' if video_mean is None else video_mean}'>{fmt(video_mean) if video_mean is not None else _why(identity)}"
            f"<br>{svg_curve(identity.get('video', {}).get('per_frame') or [])}</td>",
            f"<td class='num'>{_keyframe_identity(identity)}</td>",
            f"<td class='num'>{esc(entry.get('seed', report.get('seed')))}</td>",
            f"<td class='num'>{fmt(entry.get('seconds'), 1)}</td>",
        ]
        rows.append(f"<tr class='{esc(status)}'>{''.join(cells)}</tr>")
    head = "".join(
        f"<th>{h}</th>" for h in ("item", "reference", "keyframe", "video", "prompts", "identity (video mean)", "identity (keyframe)", "seed", "seconds")
    )
    body = (
        f"<h1>Batch report</h1><p class='muted'>{esc(output.resolve())} · stage {esc(summary.get('stage', stage))}</p>"
        + _summary_cards(summary, len(items))
        + _failures(summary)
        + "<div class='controls'><label><input type='checkbox' data-filter='failed'> failed items only</label> · "
        "click a column header to sort (identity: worst first on the second click)</div>"
        f"<table class='sortable' id='items'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return write_page(output / REPORT_FILE, "stdt2v batch report", body)


def _keyframe_identity(identity: dict) -> str:
    keyframe = identity.get("keyframe")
    if not keyframe:
        return ""
    return fmt(keyframe["similarity"]) if keyframe.get("similarity") is not None else "<span class='muted'>no face</span>"


def _why(identity: dict) -> str:
    """Why an item has no identity score."""
    if identity.get("video", {}).get("per_frame"):
        return "<span class='muted'>no face in the video</span>"
    return "<span class='muted'>not measured</span>"


def _img(path: Path | None, output: Path, alt: str) -> str:
    if path is None:
        return "<span class='muted'>none</span>"
    return f"<img class='thumb' loading='lazy' src='{rel(path, output)}' alt='{alt}'>"


def _video(path: Path, output: Path) -> str:
    return f"<video controls muted loop playsinline preload='metadata' src='{rel(path, output)}'></video>"


def _summary_cards(summary: dict, n_items: int) -> str:
    if not summary:
        return "<p class='muted'>no summary.json yet: the run has not finished</p>"
    done, earlier = summary.get("done", 0), summary.get("skipped", 0)
    cards = [
        ("items", n_items),
        ("done", f"{done}" + (f" <span class='muted'>({earlier} from an earlier run)</span>" if earlier else "")),
        ("failed", summary.get("failed", 0)),
        ("wall seconds", fmt(summary.get("wall_seconds"), 1)),
        ("items / s", fmt(summary.get("items_per_second"), 4)),
        ("processes", summary.get("processes")),
    ]
    stages = summary.get("seconds_per_item_per_stage") or {}
    cards += [(f"{name} s/item", fmt(seconds, 2)) for name, seconds in stages.items()]
    return "<div class='cards'>" + "".join(f"<div class='card'><div class='muted'>{esc(k)}</div><div class='v'>{v}</div></div>" for k, v in cards) + "</div>"


def _failures(summary: dict) -> str:
    failures = summary.get("failures") or []
    if not failures:
        return ""
    rows = "".join(f"<tr><td>{esc(f.get('key'))}</td><td class='bad'>{esc(f.get('reason'))}</td></tr>" for f in failures)
    return f"<h2>Failures</h2><table><thead><tr><th>item</th><th>reason</th></tr></thead><tbody>{rows}</tbody></table><h2>Items</h2>"
