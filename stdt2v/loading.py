"""Where weights come from, and on which device and dtype they run.

A model spec in the config is one of:

* ``org/name`` — a Hugging Face hub id (downloaded to the hub cache by ``from_pretrained``);
* a local folder in the diffusers layout (``model_index.json`` at its root);
* ``tiny:NAME`` — an embedded tiny random-weight model (``stdt2v.tiny``), written under
  ``cache_dir`` on first use, then loaded from there like a local folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from stdt2v.errors import ConfigError, InputError, StdT2VError

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

TINY_PREFIX = "tiny:"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")

T = TypeVar("T")


def resolve_model_source(spec: str, cache_dir: str | Path, key: str = "model", marker: str | None = "model_index.json") -> str:
    """Return what to pass to ``from_pretrained``: a local folder or a hub id. ``marker``: the
    file a local folder must hold (diffusers pipelines: model_index.json; transformers: config.json;
    None: any folder)."""
    if spec.startswith(TINY_PREFIX):
        return str(materialize_tiny(spec[len(TINY_PREFIX) :], cache_dir, key))
    local = Path(spec).expanduser()
    if local.exists():
        if marker is not None and not (local / marker).is_file():
            raise ConfigError(f"{key}: {local} has no {marker}: pass a folder saved with save_pretrained")
        return str(local)
    if _HUB_ID.match(spec) and not spec.startswith((".", "/", "~")):
        return spec
    raise ConfigError(f"{key}: '{spec}' is neither a local folder nor a hub id (org/name) nor tiny:NAME")


def resolve_gguf(spec: str, gguf_file: str | None = None) -> tuple[str, str | None]:
    """A GGUF model on its own: ``path/model.gguf``, or a folder with no config.json holding one
    ``.gguf`` file → (folder, file name) for ``from_pretrained(folder, gguf_file=name)``.
    Anything else is returned as it is."""
    local = Path(spec).expanduser()
    if local.suffix == ".gguf" and local.is_file():
        return str(local.parent), local.name
    if local.is_dir() and gguf_file is None and not (local / "config.json").is_file():
        found = sorted(local.glob("*.gguf"))
        if len(found) == 1:
            return str(local), found[0].name
        if len(found) > 1:
            raise ConfigError(f"prompts.llm.model: {local} holds {len(found)} .gguf files; name one with prompts.llm.gguf_file")
    return spec, gguf_file


def materialize_tiny(name: str, cache_dir: str | Path, key: str = "model") -> Path:
    """Build the tiny model ``name`` once into the cache (atomically) and return its folder."""
    import importlib

    from stdt2v.tiny import SOURCE_PACKAGES, TINY_MODELS  # the builders import diffusers: only tiny:NAME pays

    if name not in TINY_MODELS:
        raise ConfigError(f"{key}: unknown tiny model '{name}': use one of {', '.join(TINY_MODELS)}")
    builder = TINY_MODELS[name]
    # The folder name carries a hash of the builder's source, so editing a tiny
    # architecture never loads a stale cached copy.
    sources = []
    for package in SOURCE_PACKAGES:
        for path in sorted(Path(importlib.import_module(package).__file__).parent.glob("*.py")):
            sources.append(path.read_text())
    digest = hashlib.sha256("".join(sources).encode()).hexdigest()[:10]
    root = Path(cache_dir).expanduser() / "tiny"
    folder = root / f"{name}-{digest}"
    if folder.is_dir():  # renamed into place complete; checked against its stamp in case of later damage
        damage = check_stamp(folder)
        if damage is None:
            return folder
        logger.warning("tiny model cache %s is damaged (%s); rebuilding it", folder, damage)
        discard = root / f".tmp-damaged-{name}-{os.getpid()}"
        with contextlib.suppress(OSError):  # another process may be discarding it too
            os.rename(folder, discard)
        shutil.rmtree(discard, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=root))
    try:
        builder(staging)
        write_stamp(staging)
        try:
            os.rename(staging, folder)
        except OSError:
            if not folder.is_dir():  # not a concurrent builder: a real failure
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


STAMP_FILE = "stdt2v-stamp.json"


def write_stamp(folder: Path) -> None:
    """Record every file's size, written last: a later truncation or deletion is detectable."""
    sizes = {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
    (folder / STAMP_FILE).write_text(json.dumps(sizes, indent=1))


def check_stamp(folder: Path) -> str | None:
    """What is wrong with a stamped folder (None: every file as it was written)."""
    try:
        sizes = json.loads((folder / STAMP_FILE).read_text())
    except (OSError, ValueError):
        return f"no readable {STAMP_FILE}"
    for name, size in sizes.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != size:
            return f"{name} has {path.stat().st_size} bytes, {size} were written"
    return None


def load_pretrained(loader: Callable[..., T], source: str, key: str, allow_pickle: bool = False, weights: bool = True, **kwargs: Any) -> T:
    """Call ``loader(source, **kwargs)`` (a ``from_pretrained``), turning failures into one line.

    Weights load from safetensors only: pickle files (``.bin``/``.pt``) can run code when
    unpickled, so they need ``allow_pickle_weights=true`` in the config. ``weights=False``: the
    loader reads no weights (a tokenizer).
    """
    if weights:
        kwargs["use_safetensors"] = None if allow_pickle else True
    try:
        return loader(source, **kwargs)
    except (OSError, ValueError, EnvironmentError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        if _HUB_ID.match(source) and not Path(source).exists():
            # The hub's own message runs to hundreds of characters: its start says enough.
            reason = first if len(first) <= 100 else first[:97].rstrip() + "..."
            raise ConfigError(
                f"{key}: cannot load '{source}' (not a local folder; {reason}); "
                f"download it where the hub is reachable (`hf download {source} --local-dir DIR`) and set {key}=DIR"
            ) from None
        if "safetensors" in first.lower() and not allow_pickle:
            hint = " (only pickle weights there: convert them to safetensors, or set allow_pickle_weights=true if you trust them)"
        else:
            hint = ""
        raise StdT2VError(f"cannot load {key} from '{source}': {first}{hint}") from None


def resolve_device(spec: str) -> torch.device:
    import torch

    if spec == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(spec)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError(f"device: '{spec}' asked for, but no CUDA device is available (use device=cpu or auto)")
    return device


_DTYPES = ("float32", "float16", "bfloat16")


def resolve_dtype(spec: str, device: torch.device, key: str = "dtype") -> torch.dtype:
    import torch

    if spec == "auto":
        return torch.bfloat16 if device.type == "cuda" else torch.float32
    if spec not in _DTYPES:
        raise ConfigError(f"{key}: '{spec}' is not one of auto, {', '.join(_DTYPES)}")
    return getattr(torch, spec)


def check_pickle_conversion(source: str | Path, target: str | Path, *, allow_pickle: bool) -> tuple[Path, Path]:
    """The inputs of a pickle → safetensors conversion script, checked: the opt-in, a
    ``.safetensors`` target, an existing source file."""

    source, target = Path(source), Path(target)
    if not allow_pickle:
        raise InputError(f"{source}: reading a pickle checkpoint can run code; pass --allow-pickle if you trust its origin")
    if target.suffix != ".safetensors":
        raise InputError(f"{target}: the output must end in .safetensors")
    if not source.is_file():
        raise InputError(f"{source}: no such checkpoint file")
    return source, target
