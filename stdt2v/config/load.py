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
from typing import Any, Callable

import yaml
from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from stdt2v.config.schema import PipelineConfig
from stdt2v.config.validate import check_common, validate_pipeline_config
from stdt2v.errors import ConfigError, InputError
from stdt2v.io import atomic_write_text, regular_file
from stdt2v.runinfo import redact

DEFAULTS_KEY = "defaults"


def load_config(
    path: str | Path | None,
    overrides: list[str] | tuple[str, ...] = (),
    schema: type = PipelineConfig,
    needs_models: bool = True,
    validate: Callable[[DictConfig], None] | None = None,
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
        _check_kind(node, schema, source)
        _check_keys(node, schema, prefix="", source=source, root=schema)
        cfg = _merge(cfg, node, source)

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
    check_common(cfg)
    if schema is PipelineConfig and validate is None:  # the one semantic validation pass, before anything loads
        validate = validate_pipeline_config
    if validate is not None:
        validate(cfg)
    return cfg


def _merge(cfg: DictConfig, node: DictConfig, source: str) -> DictConfig:
    try:
        return OmegaConf.merge(cfg, node)
    except OmegaConfBaseException as err:
        key = err.full_key or "?"
        message = str(err.msg or err).splitlines()[0]
        raise ConfigError(f"config error in {source}: {key}: {message}") from None
    except (TypeError, ValueError):  # a list where a mapping goes (or the reverse): find the key
        for key in _dotted(node):
            try:
                OmegaConf.merge(cfg, _only(node, key))
            except (TypeError, ValueError, OmegaConfBaseException):
                raise ConfigError(f"config error in {source}: {key}: a list or mapping where the schema has the other kind; fix its shape") from None
        raise ConfigError(f"config error in {source}: a value has the wrong shape (a list where a mapping goes, or the reverse)") from None


def _dotted(node: Any, prefix: str = "") -> list[str]:
    keys = []
    for key in node.keys():
        value = node._get_node(key)
        keys += _dotted(value, f"{prefix}{key}.") if isinstance(value, DictConfig) and len(value) else [f"{prefix}{key}"]
    return keys


def _only(node: DictConfig, key: str) -> DictConfig:
    single = OmegaConf.create({})
    value = OmegaConf.to_container(node, resolve=False)
    for part in key.split("."):
        value = value[part]
    OmegaConf.update(single, key, value, merge=False)
    return single


def as_schema(section: Any) -> Any:
    """A config section as its schema dataclass (``OmegaConf.to_object``: real Enums, nested
    dataclasses, frozen where the schema is); a dataclass passes through. Stages get these,
    never a DictConfig."""
    return OmegaConf.to_object(section) if isinstance(section, DictConfig) else section


def save_config(cfg: DictConfig, path: str | Path) -> None:
    """Write the fully resolved config as YAML (atomically)."""

    atomic_write_text(path, redact(OmegaConf.to_yaml(cfg, resolve=True)))  # no URL credentials on disk


def _read_with_defaults(path: Path, stack: tuple[Path, ...]) -> list[tuple[str, DictConfig]]:
    try:
        regular_file(path, "config error", "pass --config with an existing YAML file")
    except InputError as err:
        raise ConfigError(str(err)) from None
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
        if not isinstance(defaults, (list, ListConfig)):
            raise ConfigError(f"config error in {path}: '{DEFAULTS_KEY}' must be a list of file paths, got {defaults!r}")
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
    except (OmegaConfBaseException, yaml.YAMLError, ValueError) as err:  # a value YAML cannot read ('@', a control character)
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ConfigError(f"config error in command line: cannot read an override ({reason}); quote the value, e.g. key='text'") from None


# Top-level keys that only a pipeline (inference) config has, and only a training config has.
PIPELINE_SECTIONS = ("prompts", "keyframe", "animate", "identity_guard", "eval", "batch")
TRAINING_KEYS = ("task", "max_steps", "learning_rate")


def _check_kind(node: Any, schema: type, source: str) -> None:
    """A training config given to an inference verb, or the other way round: say so, and name one
    of the right kind (before an 'unknown key' line that would only confuse)."""
    if source == "command line":
        return
    hints = typing.get_type_hints(schema)
    if schema is not PipelineConfig and any(k in node and k not in hints for k in PIPELINE_SECTIONS):
        raise ConfigError(f"config error: {source} is a pipeline (inference) config; train reads a training config, e.g. configs/train/demo_id_adapter.yaml")
    if schema is PipelineConfig and any(k in node for k in TRAINING_KEYS):
        raise ConfigError(f"config error: {source} is a training config (stdt2v train); pass a pipeline config, e.g. configs/demo.yaml")


def _check_keys(node: Any, schema: type, prefix: str, source: str, root: type = PipelineConfig) -> None:
    """Reject keys the schema does not declare, naming the nearest valid one."""
    hints = typing.get_type_hints(schema)
    names = [f.name for f in dataclasses.fields(schema)]
    for key in node.keys():
        full_key = f"{prefix}{key}"
        if key not in hints:
            raise ConfigError(f"config error in {source}: unknown key '{full_key}'{_suggestion(str(key), prefix, names, root)}")
        sub_schema = hints[key]
        if dataclasses.is_dataclass(sub_schema):
            value = node[key]
            if not isinstance(value, DictConfig):
                raise ConfigError(f"config error in {source}: '{full_key}' must be a mapping of {sub_schema.__name__} keys, got {value!r}")
            _check_keys(value, sub_schema, f"{full_key}.", source, root)


def _suggestion(key: str, prefix: str, names: list[str], root: type = PipelineConfig) -> str:
    # The key may exist, spelled right, in another section: `num_frames` for `animate.num_frames`.
    elsewhere = [k for k in _all_keys(root) if k.rsplit(".", 1)[-1] == key and k != prefix + key]
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
