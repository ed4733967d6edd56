"""A simple rule-based decoupler: clause splitting and a motion-verb lexicon.

Deliberately small; the full parser (spaCy, sounds and smells, subject rewriting) replaces
it behind the same interface. Its guarantee: nothing of the input is lost. The temporal
prompt is the whole input with its subject noun phrase replaced by the subject phrase; the
spatial prompt is that noun phrase plus every clause without a motion word, plus framing.
"""

from __future__ import annotations

import re

from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt

_LEAD_IN = re.compile(
    r"^(?:the|this|in this)\s+(?:video|clip|footage|scene|shot)\s+(?:features|shows|depicts|captures|presents)\s+",
    re.IGNORECASE,
)
# The prompt's own subject: a determiner and up to four words, ending at a comma or before
# its verb ("The race car driver, in a red suit, swerved" / "A woman smiles").
_SUBJECT = re.compile(
    r"^(?:an?|the)\s+(?:[\w'-]+\s+){0,3}?[\w'-]+"
    r"(?=\s*,|\s+(?:is|are|was|were|who|with|wearing|dressed|in|on|at|[\w'-]+(?:s|ed|ing))\b)",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(r"\s*(?:[.;!?]+|,|\band then\b|\bthen\b|\bwhile\b|\bas\b|\band\b)\s*", re.IGNORECASE)

_MOTION_VERBS = """
walk run jog sprint jump dance spin turn twist nod shake wave raise lift lower move step
climb swim fly ride drive sit stand rise lean bend kneel crawl roll slide fall drop throw
catch kick push pull carry hold grab reach point look glance gaze stare blink smile laugh
cry frown talk speak sing shout whisper eat drink chew sip bite open close play type write
draw paint cook stir pour wash brush comb adjust tilt pan zoom track follow approach enter
leave exit cross pass chase hug kiss clap bow stretch breathe sway bounce swing flip wipe
touch tap rub scratch pick put place lay hand give take show pose gesture float leap
swerve speed rush twirl land scribble repair chop dodge hit demonstrate prepare engage
discuss use introduce explain gallop paddle skate ski surf hop skip dive
""".split()
_IRREGULAR = """
ran sat stood rose rode swam flew drove fell threw caught held took gave shown shook
spun swung laid put brought leapt sped hit
""".split()
# Sounds and smells cannot be drawn: such clauses go to the temporal prompt only.
_SENSORY = {"sound", "sounds", "smell", "smells", "scent", "noise", "roar", "hum", "echo", "echoed", "cheers", "music", "voice"}
# Words that end in -ing but describe looks, not motion.
_STATIC_ING = {"clothing", "ceiling", "building", "lighting", "evening", "morning", "earring", "earrings", "string", "ring", "wedding"}
_CAMERA = {"camera", "slowly", "quickly", "gradually", "suddenly", "motion", "movement", "moving"}


def _forms(verb: str) -> set[str]:
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms |= {verb[:-1] + "ing"}
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):  # run → running, nod → nodded
        forms |= {verb + verb[-1] + "ing", verb + verb[-1] + "ed"}
    if verb.endswith("y"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return forms


_MOTION_WORDS = set().union(*(_forms(v) for v in _MOTION_VERBS)) | set(_IRREGULAR) | _CAMERA


def is_dynamic(phrase: str) -> bool:
    words = re.findall(r"[a-z]+", phrase.lower())
    return any(w in _MOTION_WORDS and w not in _STATIC_ING for w in words)


_PLAIN_PERSON = re.compile(r"(?:an?|the)\s+(?:woman|man|person|girl|boy|lady|guy)", re.IGNORECASE)


def _static_part(clause: str) -> str:
    """The clause if it has no motion word, else the words before its first one
    ("with short grey hair smiles" → "with short grey hair")."""
    words = clause.strip().split()
    for i, word in enumerate(words):
        if is_dynamic(word):
            words = words[:i]
            break
    kept = " ".join(words).strip(" ,")
    return kept if len(kept.split()) > 1 else ""


def _is_sensory(phrase: str) -> bool:
    return any(w in _SENSORY for w in re.findall(r"[a-z]+", phrase.lower()))


class SimpleDecoupler(PromptDecoupler):
    name = "simple"

    def __init__(self, framing: str = "medium shot"):
        self.framing = framing

    def __call__(self, prompt: str, subject: str) -> DecoupledPrompt:
        text = normalize_prompt(prompt)
        notes: list[str] = []
        lead_in = _LEAD_IN.match(text)
        body = text[lead_in.end():] if lead_in else text
        if lead_in:
            notes.append(f"dropped the caption lead-in '{lead_in.group(0).strip()}'")
        match = _SUBJECT.match(body)
        if match:
            own_subject = match.group(0).strip()
            rest = body[match.end():].lstrip(" ,")
        else:
            own_subject, rest = "", body
            notes.append("no subject noun phrase found at the start; the subject phrase was prepended")

        clauses = [c for c in _CLAUSE_SPLIT.split(rest) if c and c.strip()]
        static = [_static_part(c) for c in clauses if not _is_sensory(c)]
        static = [c for c in static if c]
        own_lower = own_subject[:1].lower() + own_subject[1:]
        if _PLAIN_PERSON.fullmatch(own_subject):
            own_lower = ""  # "A man walks": the subject phrase replaces the prompt's own subject
        spatial_parts = [subject] + ([own_lower] if own_lower else []) + static
        if self.framing:
            spatial_parts.append(self.framing)
        spatial = ", ".join(p.rstrip(" .,;") for p in spatial_parts if p.strip())

        if own_lower:
            # Keep the prompt's own words for the subject: "A woman, the astronaut, dressed in ...".
            temporal = f"{subject}, {own_lower}, {rest}".strip(" ,")
        else:
            temporal = f"{subject} {rest[:1].lower() + rest[1:] if rest[1:2].islower() else rest}".strip()
        if not temporal.endswith((".", "!", "?")):
            temporal += "."
        return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=notes)
