"""A caption that says a passage twice in other words ("A woman sits on a stool, playing a guitar
... A girl sits on a stool in a softly lit room, playing a guitar ..."): the repeat goes, and the
one place it adds joins the earlier sentence."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_FUNCTION = frozenset("a an the and or of in on at to with by for from his her their its he she they is are as while this that".split())


def _content_words(sentence: str) -> set[str]:
    return {w for w in _WORD.findall(sentence.lower()) if w not in _FUNCTION}


def repeats_earlier(sentence: str, earlier: list[str]) -> bool:
    """A passage the caption says twice in other words ("A woman sits on a stool, playing a guitar
    ... A girl sits on a stool in a softly lit room, playing a guitar ..."): nearly every content
    word of a long sentence is in one sentence before it."""
    words = _content_words(sentence)
    return len(words) >= 8 and any(len(words & _content_words(s)) >= 0.75 * len(words) for s in earlier)


_PLACE_RUN = re.compile(r"(?=\s((?:in|at|on|inside|by)\s+(?:a|an|the)\s+[\w\s-]+?)(?:[,.;]|$))")


def splice_new_place(sentence: str, kept: list[str]) -> list[str]:
    """The one place a repeated passage adds ("... on a stool in a softly lit room, ...") goes into
    the earlier sentence after the same word ("... on a stool in a softly lit room, ...")."""
    before = set().union(*(_content_words(s) for s in kept))
    for match in _PLACE_RUN.finditer(sentence):
        if _content_words(match.group(1)) & before or not sentence[: match.start()].split():
            continue
        anchor = sentence[: match.start()].split()[-1]
        for k, earlier in enumerate(kept):
            if len(re.findall(rf"\b{re.escape(anchor)}\b", earlier)) == 1:
                kept[k] = re.sub(rf"\b{re.escape(anchor)}\b", f"{anchor} {match.group(1)}", earlier, count=1)
                return kept
    return kept
