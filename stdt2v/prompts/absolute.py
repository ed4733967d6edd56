"""A thing set off after the clause with the subject's possessive and where it lies: "..., his
open case at his feet", "..., her bag beside her". The parse hangs such an absolute phrase
anywhere (as the verb's object, an appositive); it is said in the input's own words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import as_text, is_subject_mention, is_thing

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Span, Token

# Prepositions that say where a thing lies beside a person (a closed class).
_BESIDE = frozenset("at beside by near under against on behind in before".split())
_NOUN_PART = ("ADJ", "NOUN", "PROPN", "NUM")


def _phrase(doc: Doc, start: int) -> list[Token] | None:
    """Possessive, describing words, a thing, a preposition of place and its noun phrase, then the clause's end."""
    k = start + 1
    while k < len(doc) and doc[k].pos_ in _NOUN_PART and doc[k].tag_ not in ("VBN", "VBG"):
        k += 1
    head = doc[k - 1]
    if k == start + 1 or head.pos_ not in ("NOUN", "PROPN") or k >= len(doc) or doc[k].lower_ not in _BESIDE:
        return None
    end = k + 1
    while end < len(doc) and (doc[end].pos_ in (*_NOUN_PART, "DET", "PRON") or doc[end].tag_ == "PRP$"):
        end += 1
    closed = end == len(doc) or doc[end].text in (",", ".", ";", "!")
    if not closed or end == k + 1 or doc[end - 1].pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    return list(doc[start:end])


def set_off_things(doc: Doc, own: Span | None, add: Callable, kind: int, replace: dict[int, str] | None = None) -> None:
    """Each "..., his open case at his feet" after a comma, as the input says it."""
    for comma in (t for t in doc if t.text == "," and t.i + 3 < len(doc)):
        owner = doc[comma.i + 1]
        owned = owner.tag_ == "PRP$" and is_subject_mention(owner, own)
        if not owned and owner.lower_ not in ("a", "an"):
            continue
        tokens = _phrase(doc, owner.i)
        if tokens is None or not (owned or _on_body(tokens, own)):
            continue  # ", a leather briefcase in one hand": an article's thing only where it is on the body
        head = next(t for t in reversed(tokens) if t.lower_ in _BESIDE).nbor(-1)
        if not is_thing(head) or head.lemma_.lower() in lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS:
            continue  # "his breath ...", "her scarf in the wind": no thing set down
        # "a briefcase in one hand": its article kept
        said = as_text(tokens, replace=replace) if owned else f"{owner.lower_} {as_text(tokens[1:], replace=replace)}"
        add(kind, tokens, key=f"prop:{head.lemma_}", text=said)


def _on_body(tokens: list[Token], own: Span | None) -> bool:
    """'... in one hand', '... under her arm', '... over his shoulder': the phrase ends on a part of
    the subject's body ("in one hand", "in her left hand"), so the thing is the subject's."""
    body = tokens[-1]
    mine = any(c.tag_ == "PRP$" and is_subject_mention(c, own) for c in body.children)
    counted = any(c.lower_ in ("one", "each", "both", "either") for c in body.children)
    return body.lemma_.lower() in lexicon.BODY_NOUNS and (mine or counted)
