"""Evaluation outputs: scores.csv, summary.json, identity-curve and histogram plots."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from stdt2v.html import esc, fmt, rel, svg_curve, write_page
from stdt2v.io import atomic_write_bytes, atomic_write_json, atomic_write_text

FIRST_COLUMNS = [
    "id",
    "prompt",
    "face_sim",
    "face_sim_min",
    "face_sim_drop",
    "no_face_ratio",
    "face_sim_arc",
    "face_sim_cur",
    "clip_score",
    "aesthetic",
    "motion_amplitude",
    "gme_score",
    "natural_score",
]
KEY_COLUMNS = ("id", "prompt")
LIST_COLUMNS = ("identity_curve", "frame_indices", "clip_frame_indices", "natural_score_runs")


def row_key(row: dict) -> str:
    """``idNNN/promptK`` (challenge layout) or the sample id (OpenS2V)."""
    return "/".join(str(row[k]) for k in KEY_COLUMNS if k in row)


def _round(value):
    return round(value, 6) if isinstance(value, float) and math.isfinite(value) else value


def write_outputs(
    output: Path,
    rows: list[dict],
    curves: dict,
    *,
    backends: dict,
    fid: float | None,
    failures: list[dict],
    protocol: dict | None = None,
    fid_note: str | None = None,
    opens2v: dict | None = None,
) -> dict:
    output.mkdir(parents=True, exist_ok=True)
    present = {k for row in rows for k in row if k not in LIST_COLUMNS}
    columns = [c for c in FIRST_COLUMNS if c in present] + sorted(present - set(FIRST_COLUMNS))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else _round(row.get(k))) for k in columns})
    atomic_write_text(output / "scores.csv", buffer.getvalue())
    atomic_write_json(output / "scores.json", rows)

    means = {}
    for column in [c for c in columns if c not in KEY_COLUMNS and not any(isinstance(row.get(c), str) for row in rows)]:
        values = [row[column] for row in rows if isinstance(row.get(column), (int, float))]
        means[column] = _round(float(np.mean(values))) if values else None
    summary = {
        "videos": len(rows),
        "failed": failures,
        "means": means,
        "fid": _round(fid) if fid is not None else None,
        **({"fid_note": fid_note} if fid is None and fid_note else {}),  # why there is no FID
        "backends": backends,
        # Which conventions produced the numbers: the protocol, every value, which were set explicitly.
        "protocol": protocol,
        # The challenge publishes no single aggregate formula; means are what it ranks by.
        "aggregate": None,
        **({"opens2v": opens2v} if opens2v is not None else {}),  # the board's TotalScore (stdt2v.eval.opens2v)
    }
    atomic_write_json(output / "summary.json", summary)
    if rows:
        _plot_curves(output / "identity_curves.png", curves)
        _plot_histograms(output / "histograms.png", rows, [c for c in means if means.get(c) is not None])
    return summary


def _figure_bytes(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def _plot_curves(path: Path, curves: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name, values in curves.items():
        xs = [i for i, v in enumerate(values) if v is not None]
        ax.plot(xs, [values[i] for i in xs], marker=".", label=name)
    ax.set_xlabel("sampled frame")
    ax.set_ylabel("identity similarity to the reference")
    ax.set_title("Identity over time (gaps: no face)")
    if not any(v is not None for values in curves.values() for v in values):  # an empty chart would look like a bug
        ax.text(0.5, 0.5, f"no face found in any sampled frame of the {len(curves)} videos", ha="center", va="center", transform=ax.transAxes)
    if len(curves) <= 12:
        ax.legend(fontsize=7)
    atomic_write_bytes(path, _figure_bytes(fig))
    plt.close(fig)


def _plot_histograms(path: Path, rows: list[dict], columns: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = max(1, len(columns))
    cols = min(4, n)
    fig, axes = plt.subplots((n + cols - 1) // cols, cols, figsize=(3.2 * cols, 2.6 * ((n + cols - 1) // cols)), squeeze=False)
    for ax, column in zip(axes.ravel(), columns):
        ax.hist([row[column] for row in rows if isinstance(row.get(column), (int, float))], bins=10)
        ax.set_title(column, fontsize=9)
    for ax in axes.ravel()[len(columns) :]:
        ax.axis("off")
    fig.tight_layout()
    atomic_write_bytes(path, _figure_bytes(fig))
    plt.close(fig)


def write_html(output: Path, rows: list[dict], summary: dict, videos: dict[str, Path]) -> Path:
    """``output/report.html``: the means, the plots, then one sortable row per video with the
    video (linked relative to ``output``) beside its identity curve."""
    metrics = [c for c in FIRST_COLUMNS[2:] if any(isinstance(row.get(c), (int, float)) for row in rows)]
    means = summary.get("means", {})
    cards = [("videos", summary.get("videos")), ("failed", len(summary.get("failed") or []))]
    cards += [(k, fmt(means.get(k))) for k in metrics] + ([("FID", fmt(summary.get("fid"), 2))] if summary.get("fid") is not None else [])
    keys = [k for k in KEY_COLUMNS if any(k in row for row in rows)] or ["id"]
    head = "".join(f"<th>{esc(h)}</th>" for h in ["video", *keys, "identity curve", *metrics])
    body_rows = []
    for row in rows:
        video = videos.get(row_key(row))
        player = f"<video controls muted loop playsinline preload='metadata' src='{rel(video, output)}'></video>" if video else ""
        cells = [f"<td>{player}</td>", *(f"<td>{esc(row.get(k))}</td>" for k in keys), f"<td>{svg_curve(row.get('identity_curve') or [])}</td>"]
        cells += [f"<td class='num' data-sort='{'' if row.get(m) is None else row.get(m)}'>{fmt(row.get(m))}</td>" for m in metrics]
        body_rows.append(f"<tr>{''.join(cells)}</tr>")
    failures = "".join(f"<tr><td>{esc(row_key(f))}</td><td class='bad'>{esc(f.get('error'))}</td></tr>" for f in summary.get("failed") or [])
    plots = "".join(
        f"<img src='{name}' alt='{name}' style='max-width:48%;margin-right:1%'>"
        for name in ("identity_curves.png", "histograms.png")
        if (output / name).is_file()
    )
    body = (
        f"<h1>Evaluation report</h1><p class='muted'>protocol {esc((summary.get('protocol') or {}).get('name', 'native'))} · backends "
        f"{esc(', '.join(f'{k}: {v}' for k, v in (summary.get('backends') or {}).items()))}</p>"
        + "<div class='cards'>"
        + "".join(f"<div class='card'><div class='muted'>{esc(k)}</div><div class='v'>{v}</div></div>" for k, v in cards)
        + "</div>"
        + _board_table(summary.get("opens2v"))
        + (f"<h2>Failures</h2><table><tbody>{failures}</tbody></table>" if failures else "")
        + (f"<h2>Plots</h2><div>{plots}</div>" if plots else "")
        + f"<h2>Videos</h2><p class='muted'>click a column header to sort</p><table class='sortable' id='scores'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body_rows)}</tbody></table>"
    )
    return write_page(output / "report.html", "stdt2v evaluation report", body)


def _board_table(board: dict | None) -> str:
    """OpenS2V-Eval's board: each metric's weight and normalised mean, then the total (or why none)."""
    if not board:
        return ""
    cells = []
    for name, m in board["metrics"].items():
        value = m["normalised_mean"]
        shown = f"{100 * value:.2f} %" if value is not None else f"<span class='bad'>not computed</span> <span class='muted'>{esc(m.get('why', ''))}</span>"
        numbers = f"<td class='num'>{m['weight']:.2f}</td><td class='num'>{m['videos']}</td>"
        cells.append(f"<tr><td>{esc(name)}</td><td>{esc(m['column'])}</td>{numbers}<td>{shown}</td></tr>")
    if board["total"] is not None:
        total = f"<b>{100 * board['total']:.2f} %</b>"
    else:
        partial = board["partial_total"]
        total = (
            f"<span class='bad'>null: missing {esc(', '.join(board['missing']))}</span> · partial {100 * partial['value']:.2f} % "
            f"over weights {partial['weight_covered']:.2f} ({esc(partial['label'])})"
        )
    return (
        f"<h2>OpenS2V-Eval {esc(board['board'])} board, TotalScore {esc(board['version'])}</h2>"
        "<table><thead><tr><th>metric</th><th>column</th><th>weight</th><th>videos</th><th>normalised mean</th></tr></thead>"
        f"<tbody>{''.join(cells)}<tr><td colspan='4'>TotalScore</td><td>{total}</td></tr></tbody></table>"
    )
