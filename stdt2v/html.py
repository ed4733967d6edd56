"""Self-contained HTML pages for run reports: inline CSS and JS, no CDN, relative links only.

Tables marked ``class="sortable"`` sort by a click on a header (numbers numerically, empty
cells last); ``data-filter`` checkboxes hide rows without a class. Media load lazily, so a
report of a thousand items opens at once.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from stdt2v.io import atomic_write_text

CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1d1d1f;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.muted{color:#6e6e73}.bad{color:#b3261e}.good{color:#1b7f3b}
table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0002}
th,td{padding:6px 10px;border-bottom:1px solid #e5e5ea;text-align:left;vertical-align:top}
th{background:#f2f2f7;position:sticky;top:0;cursor:default;white-space:nowrap}
table.sortable th{cursor:pointer}th.sorted-asc:after{content:" \\25B2"}th.sorted-desc:after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.prompt{min-width:240px;max-width:420px;font-size:13px}td.prompt b{display:block;font-size:11px;color:#6e6e73;text-transform:uppercase}
img.thumb{width:128px;height:auto;border-radius:4px;background:#eee}video{width:256px;border-radius:4px;background:#000}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;padding:10px 14px;border-radius:6px;box-shadow:0 1px 2px #0002}
.card .v{font-size:20px;font-weight:600}.controls{margin:12px 0}
tr.failed td{background:#fff4f4}
"""

JS = """
document.querySelectorAll('table.sortable').forEach(function(table){
  table.querySelectorAll('th').forEach(function(th, col){
    th.addEventListener('click', function(){
      var body = table.tBodies[0], rows = Array.from(body.rows);
      var asc = !th.classList.contains('sorted-asc');
      table.querySelectorAll('th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc')});
      th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
      function key(row){var c=row.cells[col]; var v=c.getAttribute('data-sort'); if(v===null) v=c.textContent.trim();
        var n=parseFloat(v); return v==='' ? null : (isNaN(n) ? v.toLowerCase() : n);}
      rows.sort(function(a,b){var x=key(a), y=key(b); if(x===null) return 1; if(y===null) return -1;
        return (x<y ? -1 : x>y ? 1 : 0) * (asc ? 1 : -1);});
      rows.forEach(function(r){body.appendChild(r)});
    });
  });
});
document.querySelectorAll('input[data-filter]').forEach(function(box){
  box.addEventListener('change', function(){
    var cls = box.getAttribute('data-filter');
    document.querySelectorAll('table tbody tr').forEach(function(r){
      r.style.display = (box.checked && !r.classList.contains(cls)) ? 'none' : '';
    });
  });
});
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def rel(target: Path, page_folder: Path) -> str:
    """A link from a page in ``page_folder`` to ``target``, relative, with URL-safe separators."""
    return esc(Path(os.path.relpath(target, page_folder)).as_posix())


def fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return esc(value)


def svg_curve(values: list[float | None], width: int = 160, height: int = 48, low: float = 0.0, high: float = 1.0) -> str:
    """An inline sparkline of a similarity curve (gaps where a frame had no face)."""
    if not values:
        return '<span class="muted">no frames</span>'
    step = width / max(1, len(values) - 1)
    points, segments = [], []
    for i, v in enumerate(values):
        if v is None:
            if points:
                segments.append(points)
            points = []
            continue
        y = height - (min(max(v, low), high) - low) / (high - low) * height
        points.append(f"{i * step:.1f},{y:.1f}")
    if points:
        segments.append(points)
    lines = "".join(f'<polyline fill="none" stroke="#0a84ff" stroke-width="1.5" points="{" ".join(s)}"/>' for s in segments)
    dots = "".join(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="1.8" fill="#0a84ff"/>' for s in segments for p in s)
    frame = f'<rect width="{width}" height="{height}" fill="#f2f2f7"/>'
    return f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="identity curve">{frame}{lines}{dots}</svg>'


def write_page(path: Path, title: str, body: str) -> Path:
    """One self-contained page, written atomically."""
    page = (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
        f"<body>\n{body}\n<script>{JS}</script></body></html>\n"
    )
    return atomic_write_text(path, page)
