"""LLM decoupling: a chat model answers JSON ``{"spatial", "temporal"}``.

The instructions live in a versioned text file (``instructions/NAME.txt``). An answer is
validated (parsable JSON, both fields non-empty, temporal starting with the subject, no
finite motion verb in the spatial prompt); an invalid one is sent back once with the
error, and a second failure falls back to the rule decoupler, saying why in the notes
and the log. Coverage is reported, not enforced (an LLM may paraphrase).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from importlib import resources
from pathlib import Path
from typing import Callable

from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt
from stdt2v.prompts.invariants import check_invariants
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.rule import RuleDecoupler
from stdt2v.seeds import derive_seed

logger = logging.getLogger(__name__)

ChatFn = Callable[[list[dict]], str]  # messages → the assistant's reply


def load_instructions(name_or_path: str) -> tuple[str, str]:
    """(text, version tag): a packaged name ("decouple_v1") or a path to a text file."""
    path = Path(name_or_path).expanduser()
    if path.suffix == ".txt" and path.is_file():
        text = path.read_text()
    else:
        text = resources.files("stdt2v.prompts").joinpath("instructions", f"{name_or_path}.txt").read_text()
    return text, f"{Path(name_or_path).stem}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


class InvalidAnswer(ValueError):
    pass


REQUIRED_CHECKS = ("temporal_starts_with_subject", "spatial_motion_free", "pronouns_agree")
# Words of each check's violation sentence (stdt2v.prompts.invariants), to quote it back.
_CHECK_WORDS = {"temporal_starts_with_subject": "start with", "spatial_motion_free": "motion", "pronouns_agree": "pronouns"}


# An LLM may paraphrase, so full coverage is not required; an answer that keeps less than
# this share of the prompt's content words has lost the prompt ("A man" / "A man").
MIN_COVERAGE = 0.5


def require_checks(nlp, candidate: DecoupledPrompt, names: tuple[str, ...] = REQUIRED_CHECKS, min_coverage: float = MIN_COVERAGE) -> None:
    """``InvalidAnswer`` quoting the first failed invariant of ``names``, or saying how little
    of the prompt the answer kept."""
    coverage, violations, checks = check_invariants(nlp, candidate)
    for name in names:
        if not checks.get(name, True):
            raise InvalidAnswer(next((v for v in violations if _CHECK_WORDS[name] in v), name))
    if coverage < min_coverage:
        raise InvalidAnswer(f"the answer keeps only {coverage:.0%} of the prompt's content words; keep every detail")


def parse_answer(reply: str, subject: str, nlp, original: str | None = None) -> tuple[str, str]:
    """The two prompts from a reply, or ``InvalidAnswer`` saying what is wrong."""
    reply = re.sub(r"<think>.*?</think>", "", reply, flags=re.DOTALL)  # Qwen3 with thinking left on
    match = re.search(r"\{.*\}", reply, flags=re.DOTALL)
    if not match:
        raise InvalidAnswer("the answer holds no JSON object")
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError as err:
        raise InvalidAnswer(f"the JSON does not parse: {err.msg}") from None
    if not isinstance(data, dict):
        raise InvalidAnswer("the JSON is not an object")
    fields = {}
    for key in ("spatial", "temporal"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InvalidAnswer(f'"{key}" is missing or empty')
        fields[key] = " ".join(value.split())
    candidate = DecoupledPrompt(original=original or fields["temporal"], spatial=fields["spatial"], temporal=fields["temporal"], subject=subject)
    require_checks(nlp, candidate, min_coverage=MIN_COVERAGE if original else 0.0)
    return fields["spatial"], fields["temporal"]


# A retry asks again with another seed and a higher temperature, quoting the error: the same
# sampling settings would give the same answer again.
RETRY_TEMPERATURE_STEP = 0.3
JSON_PREFILL = '{"spatial": "'


class LLMDecoupler(PromptDecoupler):
    def __init__(
        self,
        chat: ChatFn,
        *,
        name: str,
        model: str,
        fallback: RuleDecoupler,
        instructions: str = "decouple_v1",
        framing: str = "medium shot",
        limits: TokenLimits | None = None,
        trigger: str | None = None,
        seed: int = 0,
        temperature: float = 0.2,
    ):
        self.chat = chat
        self.name = name
        self.fallback = fallback
        self.nlp = fallback.nlp
        self.framing = framing
        self.limits = limits or fallback.limits
        self.trigger = trigger
        self.seed, self.temperature = seed, getattr(chat, "temperature", temperature)
        self.instructions, version = load_instructions(instructions)
        self.model = f"{model}|{version}"

    def _ask(self, messages: list[dict], attempt: int, **kwargs) -> str:
        return self.chat(messages, seed=derive_seed(self.seed, attempt), temperature=self.temperature + attempt * RETRY_TEMPERATURE_STEP, **kwargs)

    def _fall_back(self, text: str, subject: str, errors: list[str]) -> DecoupledPrompt:
        why = "; ".join(errors)
        logger.warning("prompts: %s backend failed (%s); using the rule decoupler", self.name, why)
        result = self.fallback.decouple(text, subject)
        result.notes.insert(0, f"{self.name} backend failed ({why}); fell back to the rule decoupler")
        return result

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        text = normalize_prompt(prompt)
        subject = subject or self.fallback.subject_for(text)  # the prompt's own subject when the face gives none
        messages = [
            {"role": "system", "content": self.instructions},
            {"role": "user", "content": json.dumps({"prompt": text, "subject": subject, "framing": self.framing})},
        ]
        prefill = JSON_PREFILL if getattr(self.chat, "supports_prefill", False) else ""
        errors = []
        for attempt in range(2):
            try:
                reply = self._ask(messages, attempt, prefill=prefill)
            except Exception as err:  # a server or model failure: no point asking again here
                errors.append(f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
                break
            try:
                spatial, temporal = parse_answer(reply, subject, self.nlp, original=text)
            except InvalidAnswer as err:
                errors.append(str(err))
                messages = messages[:2] + [
                    {"role": "assistant", "content": reply},
                    {"role": "user", "content": f"That answer is invalid: {err}. Answer again with only the JSON object."},
                ]
                continue
            notes = [f"{self.name} answered on attempt {attempt + 1}"]
            spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger)
            return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=cut)
        return self._fall_back(text, subject, errors)
