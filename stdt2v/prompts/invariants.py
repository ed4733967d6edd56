"""The decoupling invariants, checked by one function the CLI, the pipeline and the tests share.

1. Coverage: every content word (noun, verb, adjective, proper noun) of the input appears in
   the spatial or the temporal prompt, modulo lemma — words listed in ``dropped`` excepted.
2. The spatial prompt has no finite motion verb; the temporal prompt starts with the subject.
3. Both are non-empty single lines (token limits are enforced by ``limits.TokenLimits``).
Violations are returned as sentences, for reports; nothing is raised.
"""

from __future__ import annotations

from stdt2v.prompts import lexicon
from stdt2v.prompts.base import DecoupledPrompt

CONTENT_POS = {"NOUN", "VERB", "ADJ", "PROPN"}


def content_lemmas(nlp, text: str) -> set[str]:
    return {t.lemma_.lower() for t in nlp(text) if t.pos_ in CONTENT_POS and t.is_alpha}


def all_lemmas(nlp, text: str) -> set[str]:
    doc = nlp(text)
    return {t.lemma_.lower() for t in doc} | {t.lower_ for t in doc}


def check_invariants(nlp, result: DecoupledPrompt) -> tuple[float, list[str]]:
    """(coverage in [0, 1], violations)."""
    violations: list[str] = []
    wanted = content_lemmas(nlp, result.original)
    for text in result.dropped:
        wanted -= all_lemmas(nlp, text)
    kept = all_lemmas(nlp, result.spatial) | all_lemmas(nlp, result.temporal)
    missing = sorted(wanted - kept)
    coverage = 1.0 if not wanted else round(1 - len(missing) / len(wanted), 4)
    if missing:
        violations.append(f"content words lost: {', '.join(missing[:20])}{' ...' if len(missing) > 20 else ''}")

    motion = [
        t.text for t in nlp(result.spatial)
        if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") and t.lemma_.lower() in lexicon.MOTION_VERBS
    ]
    if motion:
        violations.append(f"spatial prompt has finite motion verbs: {', '.join(motion)}")
    if not result.temporal.lower().startswith(result.subject.lower()):
        violations.append(f"temporal prompt does not start with the subject '{result.subject}'")
    for name in ("spatial", "temporal"):
        text = getattr(result, name)
        if not text.strip():
            violations.append(f"{name} prompt is empty")
        if "\n" in text:
            violations.append(f"{name} prompt spans several lines")
    return coverage, violations
