"""stdt2v: identity-preserving text-to-video, spatial-temporal decoupled.

Nothing heavy happens at import: models load only when a pipeline is built.
"""

__version__ = "0.1.0"


def __getattr__(name):
    # Lazy, so `import stdt2v` (and the CLI's --help) does not import torch.
    if name in ("IPT2VPipeline", "IPT2VOutput"):
        from stdt2v import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'stdt2v' has no attribute {name!r}")


__all__ = ["IPT2VOutput", "IPT2VPipeline", "__version__"]
