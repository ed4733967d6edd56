"""Configuration: typed schemas (``schema``), the loader (``load``), the one validation pass
(``validate``), and ``to_settings``, which builders use to hand stages plain data."""

import dataclasses
from enum import Enum

from stdt2v.config.load import load_config, save_config
from stdt2v.config.schema import PipelineConfig

__all__ = ["PipelineConfig", "load_config", "save_config", "to_settings"]


def to_settings(section, cls):
    """A frozen dataclass ``cls`` filled from a config section: Enums become their values and
    lists become tuples, so nothing below the builder holds a config object."""
    values = {}
    for f in dataclasses.fields(cls):
        value = section[f.name]
        if isinstance(value, Enum):
            value = value.value
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            value = tuple(value)
        values[f.name] = value
    return cls(**values)
