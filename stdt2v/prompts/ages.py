"""An age said in a sentence of its own ("She is in her late forties.", "He is in his 30s and
hums to himself."): the phrase that joins the opening of the video prompt."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts.participle import verb_as_noun

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_DECADES = re.compile(r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|\d0'?s)$", re.IGNORECASE)


def age_phrase(root: Token) -> Token | None:
    """'in her late forties', 'in his 30s' after a copula: the preposition of an age."""
    prep = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "in"), None)
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    return prep if pobj is not None and _DECADES.search(pobj.text) else None


def age_then(sent: Span, root: Token) -> tuple[str, int] | None:
    """'She is in her early twenties and holds a notebook.' → ('in her early twenties', where 'holds' is)."""
    age, doc = age_phrase(root), sent.doc
    if age is None or age.i != root.i + 1:
        return None
    decade = next(c for c in age.children if c.dep_ == "pobj")  # "and hums": the parse may join the verb to the age as a noun
    if decade.i + 2 >= sent.end or doc[decade.i + 1].lower_ != "and":
        return None
    verb = doc[decade.i + 2]
    if not (verb.tag_ == "VBZ" or verb_as_noun(verb) or (verb.tag_ == "NNS" and verb.dep_ == "conj" and not _DECADES.search(verb.text))):
        return None
    return doc[age.i : decade.i + 1].text, decade.i + 2
