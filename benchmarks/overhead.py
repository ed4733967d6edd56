"""Where the wall time of a pipeline run goes: inside model forward passes or outside them.

``ModelClock`` adds up wall time inside model calls: every ``torch.nn.Module`` component of the
stages' diffusers pipelines (forward hooks; only the outermost call counts, so a UNet inside a
pipeline inside a hook is not counted twice), the face analyzer's detector and recognizer calls,
and the spaCy parser of the rule decoupler. Everything else — schedulers, tensor and image
conversions, alignment, video encoding, Python glue — is overhead. With a ``cProfile.Profile``
attached, the profiler is paused inside model calls, so its table holds only the overhead.
"""

from __future__ import annotations

import cProfile
import functools
import time
from collections import defaultdict
from typing import TYPE_CHECKING

import torch

if TYPE_CHECKING:
    from diffusers import DiffusionPipeline

    from stdt2v.pipeline import IPT2VPipeline


class ModelClock:
    def __init__(self, profiler: cProfile.Profile | None = None):
        self.profiler = profiler
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._depth = 0
        self._started = 0.0
        self._handles = []
        self._restore = []

    # outermost-call accounting ------------------------------------------------------------------
    def _enter(self) -> None:
        if self._depth == 0:
            if self.profiler is not None:
                self.profiler.disable()
            self._started = time.perf_counter()
        self._depth += 1

    def _exit(self, name: str) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.seconds[name] += time.perf_counter() - self._started
            self.calls[name] += 1
            if self.profiler is not None:
                self.profiler.enable()

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    # what to watch ------------------------------------------------------------------------------
    def watch_module(self, name: str, module: torch.nn.Module) -> None:
        self._handles.append(module.register_forward_pre_hook(lambda *_: self._enter()))
        self._handles.append(module.register_forward_hook(lambda *_: self._exit(name)))

    def watch_method(self, owner: object, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def timed(*args: object, **kwargs: object) -> object:
            self._enter()
            try:
                return original(*args, **kwargs)
            finally:
                self._exit(name)

        self._restore.append((owner, attribute, vars(owner).get(attribute)))  # None: a class attribute
        setattr(owner, attribute, timed)

    def watch_diffusers(self, prefix: str, pipe: DiffusionPipeline) -> None:
        for key, component in pipe.components.items():
            if isinstance(component, torch.nn.Module):
                self.watch_module(f"{prefix}.{key}", component)
                for method in ("encode", "decode"):  # VAEs are called through these, not forward
                    if callable(getattr(component, method, None)):
                        self.watch_method(component, method, f"{prefix}.{key}")

    def watch_pipeline(self, pipe: IPT2VPipeline) -> ModelClock:
        """Every model of an ``IPT2VPipeline``."""
        self.watch_diffusers("keyframe", pipe.keyframe_stage.generator.pipe)
        self.watch_diffusers("animate", pipe.animator.pipe)
        analyzer = pipe.face_analyzer
        self.watch_method(analyzer, "_detect_raw", "face.detect")
        self.watch_method(analyzer, "_embed_crops", "face.embed")
        for owner in (pipe.decoupler, getattr(pipe.decoupler, "inner", None)):
            if owner is not None and callable(getattr(owner, "nlp", None)) and "nlp" in vars(owner):
                self.watch_object(owner, "nlp", "prompts.spacy")
        return self

    def watch_object(self, owner: object, attribute: str, name: str) -> None:
        """Time calls of a callable object (spaCy's ``Language``) while keeping its attributes
        (``nlp.make_doc``, ``nlp.meta``): it is replaced by a forwarding proxy."""
        clock, original = self, getattr(owner, attribute)

        class Timed:
            def __call__(self, *args: object, **kwargs: object) -> object:
                clock._enter()
                try:
                    return original(*args, **kwargs)
                finally:
                    clock._exit(name)

            def __getattr__(self, item):
                return getattr(original, item)

        self._restore.append((owner, attribute, original))
        setattr(owner, attribute, Timed())

    def close(self) -> None:
        for handle in self._handles:
            handle.remove()
        for owner, attribute, original in reversed(self._restore):
            if original is None:
                delattr(owner, attribute)  # the class's method shows again
            else:
                setattr(owner, attribute, original)
        self._handles, self._restore = [], []


def top_outside(profiler: cProfile.Profile, n: int = 12) -> list[dict]:
    """The ``n`` functions with the most own time in the profile (self time, seconds)."""
    import pstats

    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, function), (calls, _, own, cumulative, _) in stats.stats.items():
        rows.append({"function": f"{function} ({filename.rsplit('/site-packages/', 1)[-1]}:{line})", "calls": calls, "self_s": own, "cumulative_s": cumulative})
    return sorted(rows, key=lambda r: -r["self_s"])[:n]
