"""Configuration: typed schemas (``schema``) and the validating loader (``load``)."""

from stdt2v.config.load import load_config, save_config
from stdt2v.config.schema import PipelineConfig

__all__ = ["PipelineConfig", "load_config", "save_config"]
