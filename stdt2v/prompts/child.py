"""A child told by age only ("Now fourteen, she sat at the table", "aged nine", "a ten-year-old"):
under a grown-up subject phrase ("A woman") the person is still a child, so both prompts say it
after the subject ("A woman, a teenage girl, ..."), as the rater asks: a child is never shown as
an adult."""

from __future__ import annotations

import re

_NUMBERS = {
    w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen".split())
}
_NUMBER = r"(\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
# "now fourteen", "aged 9", "age twelve", "a ten-year-old", "13 years old"; never "since she was nine" (the past)
_AGE = re.compile(rf"\b(?:now|aged|age)\s+{_NUMBER}\b|\b{_NUMBER}[- ]years?[- ]old\b", re.IGNORECASE)
_CHILD_WORDS = re.compile(r"\b(?:girl|boy|child|kid|teen|teenager|toddler|schoolgirl|schoolboy|baby|infant)s?\b", re.IGNORECASE)
_KIDS = {"female": ("girl", "teenage girl"), "male": ("boy", "teenage boy")}


def child_role(text: str, gender: str | None) -> str | None:
    """'girl' / 'teenage girl' (or the boy's) when the prompt gives the person a child's age
    and names no child word of its own; None otherwise."""
    if gender not in _KIDS or _CHILD_WORDS.search(text):
        return None
    match = _AGE.search(text)
    if match is None:
        return None
    word = (match.group(1) or match.group(2)).lower()
    age = int(word) if word.isdigit() else _NUMBERS[word]
    if not 3 <= age <= 17:
        return None
    return _KIDS[gender][1] if age >= 13 else _KIDS[gender][0]
