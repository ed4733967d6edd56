"""On-disk cache of decoupled prompts, so that batch reruns do not pay twice.

Keyed by (backend, model and instructions version, prompt, subject, framing, limits);
entries are JSON files written atomically.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from stdt2v.io import atomic_write_json
from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler

logger = logging.getLogger(__name__)


class CachedDecoupler(PromptDecoupler):
    def __init__(self, inner: PromptDecoupler, folder: str | Path, key_extra: str = ""):
        self.inner = inner
        self.name, self.model, self.nlp, self.limits = inner.name, inner.model, inner.nlp, inner.limits
        self.folder = Path(folder).expanduser() / "prompts"
        self.key_extra = key_extra

    def _path(self, prompt: str, subject: str | None) -> Path:
        key = json.dumps([self.name, self.model, self.key_extra, " ".join(prompt.split()), subject])
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        path = self._path(prompt, subject)
        if path.is_file():
            try:
                return DecoupledPrompt(**json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, TypeError) as err:  # truncated or foreign: rebuilt below
                logger.warning("prompts: cache entry %s is unreadable (%s); deleted, decoupling again", path.name, type(err).__name__)
                path.unlink(missing_ok=True)
        result = self.inner.decouple(prompt, subject)
        if not any("fell back" in n for n in result.notes):  # a failure is retried next time
            atomic_write_json(path, result.to_dict())
        return result
