"""Decoupling a timeline: one spatial prompt for the keyframe, a temporal prompt per segment.

* The spatial prompt comes from the global prompt: the keyframe is the first frame, the state at
  t = 0, before the first action. The decoupler (any backend, used as a black box) keeps who and
  where and leaves the actions out, which is that state.
* Each segment's description becomes a sentence that starts with the subject ("picks up the
  ball" → "A man picks up the ball."), then goes through the same decoupler, so it gets the same
  rules and checks (present tense, pronouns agreeing) as a whole prompt. The LLM backends are
  first asked for every segment at once with the timeline instruction (``timeline_v1``); an
  answer that does not fit falls back to this per-segment path.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stdt2v.prompts.base import PromptDecoupler
from stdt2v.prompts.grammar import present
from stdt2v.prompts.llm import load_instructions
from stdt2v.prompts.result import DecoupledPrompt
from stdt2v.timeline import Segment

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

TIMELINE_INSTRUCTIONS = "timeline_v1"
# The checks that concern a segment's prompt (the spatial ones concern the global prompt's).
SEGMENT_CHECKS = ("temporal_starts_with_subject", "pronouns_agree", "present_tense", "temporal_non_empty", "temporal_single_line")
SUBJECT_PRONOUNS = {"he", "she", "they", "i", "we", "it"}


def segment_sentence(nlp: Language, text: str, subject: str) -> str:
    """A segment's description as a sentence whose subject is ``subject``: a bare verb phrase
    gets the subject in front (the verb in the 3rd person), a leading pronoun is replaced, a
    sentence with its own subject is kept."""
    doc = nlp(text)
    first = doc[0]
    rest = text[len(first.text) :].lstrip()
    if first.lower_ in SUBJECT_PRONOUNS and first.dep_ in ("nsubj", "nsubjpass") or first.lower_ in ("he", "she"):
        return f"{subject} {rest}"
    if first.tag_ == "VBG":
        return f"{subject} is {text[0].lower()}{text[1:]}"
    if first.pos_ in ("VERB", "AUX") and first.tag_ in ("VB", "VBP", "VBZ", "VBD") or first.dep_ == "ROOT" and first.pos_ == "VERB":
        verb = first.text if first.tag_ == "VBZ" else present(first.lemma_, plural=subject_plural(subject))
        return f"{subject} {verb} {rest}".strip()
    if any(t.dep_ in ("nsubj", "nsubjpass") for t in doc):
        return text
    return f"{subject} {text[0].lower()}{text[1:]}"


def subject_plural(subject: str) -> bool:
    return subject.strip().lower().split()[:1] in (["two"], ["three"], ["people"], ["they"])


@dataclass
class TimelinePrompts:
    """The global prompt's decoupling (its ``spatial`` is the keyframe's) and each segment's."""

    prompts: DecoupledPrompt
    temporals: list[str]
    notes: list[str] = field(default_factory=list)


def decouple_timeline(
    decoupler: PromptDecoupler, global_prompt: str, segments: list[Segment], *, subject: str | None, face_description=None
) -> TimelinePrompts:
    """Decouple the global prompt and every segment; ``prompts.segments`` keeps them (prompts.json)."""
    prompts = decoupler(global_prompt, subject=subject, face_description=face_description)
    subject = prompts.subject or subject or "A person"
    notes: list[str] = []
    temporals = llm_segments(decoupler, global_prompt, segments, subject, notes)
    if temporals is None:
        temporals = []
        for n, seg in enumerate(segments, 1):
            result = decoupler(segment_sentence(decoupler.nlp, seg.text, subject), subject=subject)
            temporals.append(result.temporal)
            notes += [f"segment {n}: temporal check {name} failed" for name in SEGMENT_CHECKS if result.checks.get(name) is False]
    prompts.segments = [{**seg.to_dict(), "temporal": t} for seg, t in zip(segments, temporals)]
    prompts.notes += notes
    return TimelinePrompts(prompts, temporals, notes)


def llm_segments(decoupler: PromptDecoupler, global_prompt: str, segments: list[Segment], subject: str, notes: list[str]) -> list[str] | None:
    """The LLM backends: every segment's prompt in one answer (None: not an LLM backend, or an
    answer that does not fit; the caller then decouples segment by segment)."""
    llm = getattr(decoupler, "inner", decoupler)  # under the prompt cache
    ask = getattr(llm, "_ask", None)
    if ask is None:
        return None
    instructions, version = load_instructions(TIMELINE_INSTRUCTIONS)
    question = {"global_prompt": global_prompt, "subject": subject, "segments": [{"start": s.start_s, "end": s.end_s, "description": s.text} for s in segments]}
    messages = [{"role": "system", "content": instructions}, {"role": "user", "content": json.dumps(question)}]
    try:
        reply = ask(messages, 0)
        texts = json.loads(reply[reply.index("{") : reply.rindex("}") + 1])["segments"]
    except Exception as err:  # a server failure or an answer that is not the JSON asked for
        notes.append(f"{llm.name} timeline answer unusable ({type(err).__name__}); segments decoupled one by one")
        return None
    if not isinstance(texts, list) or len(texts) != len(segments) or not all(isinstance(t, str) and t.strip().startswith(subject) for t in texts):
        notes.append(f"{llm.name} timeline answer did not give {len(segments)} prompts starting with {subject!r}; segments decoupled one by one")
        return None
    notes.append(f"{llm.name} answered the timeline ({version})")
    return [" ".join(t.split()) for t in texts]
