"""What a hand uses and who is no tool: a 'with' of a verb that acts on a thing names its tool
even when the tool's noun ends like a doer's ("adjusts a cable with a screwdriver"), while "with
local diners" or "with his neighbor" names people; a held thing whose noun also names a place
("holding a small paper boat") is said as held, not dropped as a place "in hand"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.phrasing import object_of
from stdt2v.prompts.words import graspable, is_place, is_thing

if TYPE_CHECKING:
    from spacy.tokens import Token


def instrument(prep: Token) -> bool:
    """'adjusts a cable with a screwdriver', 'scrapes the hull with a paint scraper': a 'with' of a
    verb that acts on a thing names the tool, though the tool's noun ends like a doer's ('-er');
    not a person ("plays chess with his neighbor": a person noun; "with local diners": plural)."""
    obj = object_of(prep)
    verb = prep.head
    acted_on = any(c.dep_ == "dobj" and is_thing(c) and c.lemma_.lower() not in lexicon.PERSON_NOUNS for c in verb.children)
    one = obj is not None and obj.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in obj.children)
    # ", with a worn violin case at his feet": set off, or where it lies by the body: a thing beside them, no tool
    set_off = prep.i > 0 and prep.nbor(-1).text == ","
    by_body = obj is not None and any(c.dep_ == "prep" and (o := object_of(c)) is not None and o.lemma_.lower() in lexicon.BODY_NOUNS for c in obj.children)
    return verb.pos_ == "VERB" and acted_on and one and obj.lemma_.lower() not in lexicon.PERSON_NOUNS and not set_off and not by_body


def in_hand(noun: Token, tokens: list, said: str) -> str:
    """'a small paper boat in hand'; 'holding ...' where the held thing's noun also names a place
    ("holding a toy boat", "carries a doll house"): what a hand holds is no place, and the place
    check on "in hand" would drop it."""
    held = noun.head.lemma_.lower() in lexicon.HOLD_VERBS and noun.dep_ == "dobj"
    return f"holding {said}" if held and is_place(noun) and graspable(tokens) is False else f"{said} in hand"


def doer(noun: Token) -> bool:
    """A person named by what they do ("local diners", "a stranger", "his neighbor"): a person noun,
    or a doer's ending ('-er', '-or', '-ist', '-ian') on no known prop, unless the noun is the tool of
    its 'with' ("adjusts a cable with a screwdriver")."""
    lemma = noun.lemma_.lower()
    if lemma in lexicon.PERSON_NOUNS or (lexicon.is_person_noun(noun) and lemma not in lexicon.PROP_NOUNS):
        return True  # "bargains with a spice seller", "plays chess with his grandson": a person, never in hand
    tool = noun.dep_ == "pobj" and noun.head.lower_ == "with" and instrument(noun.head)
    return lemma.endswith(("er", "or", "ist", "ian")) and lemma not in lexicon.PROP_NOUNS and not tool
