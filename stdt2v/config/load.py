"""Load, compose and validate a pipeline config before anything heavy runs.

A YAML file may name other files in a ``defaults:`` list (paths relative to it, merged first,
in order); ``key=value`` overrides from the command line are merged last. Each source is
checked against the schema on its own, so an error names the file (or "command line") it
came from, the key, and what was expected. Errors are ``ConfigError`` with one-line messages.
"""

from __future__ import annotations

import dataclasses
import difflib
import typing
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from stdt2v.config.schema import PipelineConfig
from stdt2v.config.validate import validate_pipeline_config
from stdt2v.errors import ConfigError
from stdt2v.io import atomic_write_text
from stdt2v.runinfo import redact

DEFAULTS_KEY = "defaults"


def load_config(
    path: str | Path | None,
    overrides: list[str] | tuple[str, ...] = (),
    schema: type = PipelineConfig,
    needs_models: bool = True,
    validate=None,
) -> DictConfig:
    """Compose ``path`` (and its ``defaults``) with ``overrides`` onto ``schema``; validate; resolve.
    ``needs_models=False`` (evaluation) lets the model fields stay unset. ``validate``: the
    semantic checks of another schema (a pipeline config's are built in)."""
    sources: list[tuple[str, DictConfig]] = []
    if path is not None:
        sources += _read_with_defaults(Path(path), stack=())
    if overrides:
        sources.append(("command line", _parse_overrides(overrides)))

    cfg = OmegaConf.structured(schema)
    for source, node in sources:
        _check_keys(node, schema, prefix="", source=source)
        try:
            cfg = OmegaConf.merge(cfg, node)
        except OmegaConfBaseException as err:
            key = err.full_key or "?"
            message = str(err.msg or err).splitlines()[0]
            raise ConfigError(f"config error in {source}: {key}: {message}") from None

    try:  # resolving an interpolation can fail here already (`${no.such.key}`)
        missing = sorted(k for k in OmegaConf.missing_keys(cfg) if needs_models or not k.endswith(".model"))
    except OmegaConfBaseException as err:
        raise ConfigError(f"config error: {err.full_key}: {str(err.msg or err).splitlines()[0]}") from None
    if missing:
        where = f"in {path} " if path is not None else ""
        raise ConfigError(f"config error: missing required value '{missing[0]}': set it {where}or pass {missing[0]}=VALUE")
    try:
        OmegaConf.resolve(cfg)
    except OmegaConfBaseException as err:
        raise ConfigError(f"config error: {err.full_key}: {str(err.msg or err).splitlines()[0]}") from None
    if schema is PipelineConfig and validate is None:  # the one semantic validation pass, before anything loads
        validate = validate_pipeline_config
    if validate is not None:
        validate(cfg)
    return cfg


def save_config(cfg: DictConfig, path: str | Path) -> None:
    """Write the fully resolved config as YAML (atomically)."""

    atomic_write_text(path, redact(OmegaConf.to_yaml(cfg, resolve=True)))  # no URL credentials on disk


def _read_with_defaults(path: Path, stack: tuple[Path, ...]) -> list[tuple[str, DictConfig]]:
    if not path.is_file():
        raise ConfigError(f"config error: file not found: {path} (pass --config with an existing YAML file)")
    resolved = path.resolve()
    if resolved in stack:
        chain = " -> ".join(str(p) for p in (*stack, resolved))
        raise ConfigError(f"config error: defaults cycle: {chain}")
    try:
        node = OmegaConf.load(path)
    except Exception as err:  # yaml.YAMLError and friends: report the first line only
        raise ConfigError(f"config error: cannot parse {path}: {str(err).splitlines()[0]}") from None
    if not isinstance(node, DictConfig):
        raise ConfigError(f"config error: {path} must hold a mapping at the top level")

    sources: list[tuple[str, DictConfig]] = []
    defaults = node.pop(DEFAULTS_KEY, None)
    if defaults is not None:
        if isinstance(defaults, str):
            defaults = [defaults]
        for entry in defaults:
            if not isinstance(entry, str):
                raise ConfigError(f"config error in {path}: '{DEFAULTS_KEY}' must be a list of file paths")
            base = path.parent / entry
            if not base.suffix:
                base = base.with_suffix(".yaml")
            sources += _read_with_defaults(base, (*stack, resolved))
    sources.append((str(path), node))
    return sources


def _parse_overrides(overrides: list[str] | tuple[str, ...]) -> DictConfig:
    for item in overrides:
        if "=" not in item or item.startswith("="):
            raise ConfigError(f"config error: override '{item}' is not key=value (e.g. animate.num_frames=9)")
    try:
        return OmegaConf.from_dotlist(list(overrides))
    except OmegaConfBaseException as err:
        raise ConfigError(f"config error in command line: {str(err).splitlines()[0]}") from None


def _check_keys(node: Any, schema: type, prefix: str, source: str) -> None:
    """Reject keys the schema does not declare, naming the nearest valid one."""
    hints = typing.get_type_hints(schema)
    names = [f.name for f in dataclasses.fields(schema)]
    for key in node.keys():
        full_key = f"{prefix}{key}"
        if key not in hints:
            raise ConfigError(f"config error in {source}: unknown key '{full_key}'{_suggestion(str(key), prefix, names)}")
        sub_schema = hints[key]
        if dataclasses.is_dataclass(sub_schema):
            value = node[key]
            if not isinstance(value, DictConfig):
                raise ConfigError(f"config error in {source}: '{full_key}' must be a mapping of {sub_schema.__name__} keys, got {value!r}")
            _check_keys(value, sub_schema, f"{full_key}.", source)


def _suggestion(key: str, prefix: str, names: list[str]) -> str:
    # The key may exist, spelled right, in another section: `num_frames` for `animate.num_frames`.
    elsewhere = [k for k in _all_keys(PipelineConfig) if k.rsplit(".", 1)[-1] == key]
    if elsewhere:
        return f" (did you mean '{elsewhere[0]}'?)"
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
    if close:
        return f" (did you mean '{prefix}{close[0]}'?)"
    return f" (valid keys here: {', '.join(prefix + n for n in names)})"


def _all_keys(schema: type, prefix: str = "") -> list[str]:
    keys = []
    for name, hint in typing.get_type_hints(schema).items():
        keys.append(prefix + name)
        if dataclasses.is_dataclass(hint):
            keys += _all_keys(hint, f"{prefix}{name}.")
    return keys
