"""Configuration: typed schemas (``schema``), the loader (``load``) and the one validation pass
(``validate``). Stages get the schema's dataclasses (``as_schema``), never a DictConfig."""

from stdt2v.config.load import as_schema, load_config, save_config
from stdt2v.config.schema import PipelineConfig

__all__ = ["PipelineConfig", "as_schema", "load_config", "save_config"]
