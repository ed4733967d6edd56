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


_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# "He then wipes the rim of the plate and steps back.": a pronoun (and 'then'), a repeated action, 'and', a new one
_PRONOUN = re.compile(r"^(?:He|She|They)\s+(?:then\s+)?")
_AGAIN_THEN = re.compile(r"^((?:He|She|They)\s+(?:then\s+)?)(.+?)\s+and\s+(.+)$")


def _inside(piece: str, text: str) -> bool:
    """The piece, word for word, inside the text (case aside)."""
    return bool(piece) and re.search(rf"(?<![\w-]){re.escape(piece.lower())}(?![\w-])", text.lower()) is not None


def _words(piece: str) -> int:
    return len(_WORD.findall(piece.lower()))


def _aside_once(sentence: str) -> str:
    """'..., tilting the rocket to inspect his work, tilting the rocket to inspect his work.': a
    comma-set-off phrase of three words or more said earlier in the same sentence goes."""
    parts = sentence.split(", ")
    kept = [parts[0]]
    for part in parts[1:]:
        core = part.rstrip(".!?")
        if _words(core) >= 3 and _inside(core, ", ".join(kept)):
            kept[-1] += part[len(core) :]  # the sentence's full stop stays
            continue
        kept.append(part)
    return ", ".join(kept)


def said_twice(text: str) -> str:
    """The temporal prompt with each thing said once: a sentence already said word for word inside
    an earlier one goes ("She pauses to write on a label." after "She pauses to write on a label,
    then ..."); an action said again before a new one keeps only the new one ("He then wipes the
    rim and steps back." → "He then steps back."); a repeated comma-set-off phrase goes."""
    out: list[str] = []
    for sentence in _SENTENCES.split(text.strip()):
        sentence = _aside_once(sentence)
        before = " ".join(out)
        core = sentence.rstrip(".!?")
        bare = _PRONOUN.sub("", core)  # "She writes a note on a label." after "..., writes a note on a label, then ..."
        # "He takes a deep breath." as a whole earlier sentence (its subject aside): done twice, not said twice
        again_whole = any(o.rstrip(".!?").lower().endswith(bare.lower()) and _words(o) - _words(bare) <= 3 for o in out)
        if _words(bare) >= 4 and not again_whole and (_inside(core, before) or _inside(bare, before)):
            continue
        if (again := _AGAIN_THEN.match(core)) and _words(again.group(2)) >= 4 and _inside(again.group(2), before):
            sentence = f"{again.group(1)}{again.group(3)}{sentence[len(core) :]}"
        out.append(sentence)
    return " ".join(out)
