"""A child told by age only ("Now fourteen, she sat at the table", "aged nine", "a ten-year-old"):
under a grown-up subject phrase ("A woman") the person is still a child, so both prompts say it
after the subject ("A woman, a teenage girl, ..."), as the rater asks: a child is never shown as
an adult."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc

_NUMBERS = {
    w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen".split())
}
_NUMBER = r"(\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
# "Now fourteen, she ...", "aged 9", "age twelve", "a ten-year-old, she", "Ten-year-old Aisha", "13 years old";
# never "since she was nine" (the past), "now five balls" or "a 15-year-old pickup truck" (a thing's age)
_AGE = re.compile(
    rf"\b(?:now\s+{_NUMBER}(?=\s*[,.;]|\s+years)|(?:aged|age)\s+{_NUMBER}\b)|\b{_NUMBER}[- ]years?[- ]old\b"
    # "Kenji is fifteen and ...", "she was nine when ...": the person's age said of them; never "it is nine o'clock"
    r"|(?<![\w'])(?<!since )(?<!until )(?<!when )(?<!once )(?!(?:it|this|that|there|which|what|who)\b)"
    rf"(?:he|she|(?-i:[A-Z][a-z]+))\s+(?:is|was|turns|turned|just turned)\s+{_NUMBER}\b"
    r"(?!\s*(?:o'clock|[ap]\.?m\b|:|minutes|hours|percent|%))",
    re.IGNORECASE,
)
_CHILD_WORDS = re.compile(r"\b(?:girl|boy|child|kid|teen|teenager|toddler|schoolgirl|schoolboy|baby|infant)s?\b", re.IGNORECASE)
_KIDS = {"female": ("girl", "teenage girl"), "male": ("boy", "teenage boy")}


def child_role(doc: Doc, gender: str | None) -> str | None:
    """'girl' / 'teenage girl' (or the boy's) when the prompt gives the person a child's age
    and names no child word of its own; None otherwise."""
    text = doc.text
    if gender not in _KIDS or _CHILD_WORDS.search(text):
        return None
    match = next((m for m in _AGE.finditer(text) if not _a_things_age(doc, m.end())), None)
    if match is None:
        return None
    word = next(g for g in match.groups() if g).lower()
    age = int(word) if word.isdigit() else _NUMBERS[word]
    if not 3 <= age <= 17:
        return None
    return _KIDS[gender][1] if age >= 13 else _KIDS[gender][0]


def _a_things_age(doc: Doc, end: int) -> bool:
    """'a 15-year-old pickup truck': the age's 'old' modifies a thing, not the person ('The
    twelve-year-old sat', 'Ten-year-old Sam')."""
    old = next((t for t in doc if t.idx + len(t.text) == end and t.lower_ == "old"), None)
    return old is not None and old.dep_ == "amod" and old.head.pos_ == "NOUN" and not lexicon.is_person_noun(old.head)
