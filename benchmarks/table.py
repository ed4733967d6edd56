"""The benchmarks' output: an aligned table on stdout (last, where a reader looks) and JSON."""

from __future__ import annotations

from pathlib import Path

from stdt2v.io import atomic_write_json


def print_table(columns: list[tuple[str, str]], rows: list[list]) -> None:
    """``columns``: (title, format spec such as ``>9.2f``); a ``None`` cell prints as ``-``."""
    widths = [max(len(title), int("".join(c for c in spec.split(".")[0] if c.isdigit()) or 0)) for title, spec in columns]
    align = ["<" if spec.startswith("<") else ">" for _, spec in columns]
    print(" ".join(f"{title:{a}{w}}" for (title, _), a, w in zip(columns, align, widths)))
    for row in rows:
        cells = [f"{'-':{a}{w}}" if v is None else f"{format(v, spec):{a}{w}}" for v, (_, spec), a, w in zip(row, columns, align, widths)]
        print(" ".join(cells))


def save_json(result: dict, path: Path | None) -> None:
    if path:
        atomic_write_json(path, result)
        print(f"wrote {path}")
