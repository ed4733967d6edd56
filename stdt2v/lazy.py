"""Lazy re-exports for package ``__init__`` files: ``__getattr__ = lazy_exports(__name__, {name: module})``
imports a name's module on first use, so importing a package loads no backend (and no torch)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that returns ``exports[name]``'s attribute ``name``, imported now."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        return getattr(importlib.import_module(exports[name]), name)

    return __getattr__
