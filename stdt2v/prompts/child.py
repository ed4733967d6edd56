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
# "Now fourteen, she ...", "aged 9", "age twelve", "a ten-year-old, she", "Ten-year-old Aisha", "13 years old";
# never "since she was nine" (the past), "now five balls" or "a 15-year-old pickup truck" (a thing's age)
_AGE = re.compile(
    rf"\b(?:now\s+{_NUMBER}(?=\s*[,.;]|\s+years)|(?:aged|age)\s+{_NUMBER}\b)|\b{_NUMBER}[- ]years?[- ]old\b(?=\s*[,.;]|(?-i:\s+[A-Z])|\s+who\b|\s*$)",
    re.IGNORECASE,
)
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
    word = next(g for g in match.groups() if g).lower()
    age = int(word) if word.isdigit() else _NUMBERS[word]
    if not 3 <= age <= 17:
        return None
    return _KIDS[gender][1] if age >= 13 else _KIDS[gender][0]
