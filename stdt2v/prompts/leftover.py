"""Leftovers a keyframe phrase must not keep, read off the parse: a duration ("a few seconds"),
a verb of a series the tagger took for an adjective ("wiped soot"), a thing that arrives or
moves away later ("a train can be seen arriving", "as the beaten kite drifts away"), a pocket
something hangs from, a sound a machine plays ("a radio playing salsa": the radio stays), and
a noun phrase whose tail the chunker cut ("a small gap between her front teeth").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import is_subject_mention, is_thing

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["between_tail", "in_which_hand", "others_event", "left_over", "noun_in_ing", "participle_look", "sound_played", "tended"]

# Nouns of a span of time: how long, never what is there.
_DURATIONS = frozenset("second minute moment instant while".split())
# Verbs of a thing that comes into view or leaves it: not there in the first frame.
_COMING = frozenset("arrive approach enter depart leave".split())
# Things named for the sound they make when said from afar ("distant car horns").
_SOUNDERS = frozenset("horn bell siren alarm thunder".split())
# A machine's sound: "a radio playing salsa" (the radio is seen, the salsa heard).
_PLAYING = frozenset("play blare blast".split())
# Verbs whose plural object is animals around the subject ("feeds the pigeons").
_TENDING = frozenset("feed pet tend herd".split())
# Nouns that end in -ing and name a thing worn or seen ("a septum piercing"), which the tagger reads as verbs.
_ING_NOUNS = frozenset("piercing piercings earring earrings clothing stocking stockings ring rings bedding painting paintings".split())


def left_over(head: Token, span: list, later: bool, decor: bool) -> bool:
    """Whether the phrase with this head noun and tokens says nothing the first frame shows."""
    lemma = head.lemma_.lower()
    if lemma in _DURATIONS or (lemma in _SOUNDERS and any(c.lower_ == "distant" for c in head.children)):
        return True  # "after a few seconds", "distant car horns"
    first = span[0] if span else head
    if first.lower_ == "its" and (first.i == first.sent.start or first.nbor(-1).text in (",", ";")):
        return True  # ", its autumn and leaves falling": a misspelt "it's" opens a clause, and nothing owns the noun
    series = first.i > 1 and first.nbor(-1).text in (",", "and") and _ends_a_verb_phrase(first.nbor(-2))  # "weathered olive skin" in a list of looks stays
    if first.tag_ in ("VBD", "VBN") and first.dep_ == "amod" and series:
        return True  # "pushed the mask up, wiped soot from ...": a verb of the series, not an adjective
    if head.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ in ("xcomp", "advcl") and c.lemma_.lower() in _COMING for c in head.head.children):
        return True  # "a train can be seen arriving": it comes later
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in _COMING:
        return True
    gone = any(c.dep_ in ("advmod", "prt") and c.lower_ in ("away", "off") for c in head.head.children)  # "steam rises" stays
    if later and decor and head.dep_ == "nsubj" and head.head.pos_ == "VERB" and gone:
        return True  # "as the beaten kite drifts away": what a later step moves
    verb = head.head.head if head.dep_ == "pobj" and head.head.lower_ in ("into", "onto") else None
    if verb is not None and verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("as", "while") for c in verb.children):
        return True  # "as he stepped onto the gallery": where a step in progress ends
    owned = any(c.tag_ == "PRP$" for c in head.children)
    return decor and owned and head.dep_ == "pobj" and head.head.lower_ in ("from", "off")  # "hangs from his back pocket"


def sound_played(text: str, span: list) -> str:
    """The text without what a machine in it plays: "an old radio playing salsa on a shelf" →
    "an old radio on a shelf"."""
    for t in span:
        playing = t.lemma_.lower() in _PLAYING or t.lower_ in ("playing", "blaring", "blasting")  # the tagger may read it a noun
        if t.tag_ in ("VBG", "NN") and playing and t.i > 0 and is_thing(t.nbor(-1)):
            played = []
            for k in t.doc[t.i + 1 :]:
                if k.pos_ in ("ADP", "PUNCT", "CCONJ") or k not in span:
                    break
                played.append(k.text)
            if played:
                text = re.sub(rf"\s+{re.escape(t.text)}\s+{re.escape(' '.join(played))}\b", "", text, count=1)
    return text


def between_tail(head: Token) -> list:
    """A 'between' complement of a look naming the body part it lies between ("a small gap between
    his front teeth"): the look says it whole, or not at all."""
    prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "between" and c.i == head.i + 1), None)
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is None or obj.lemma_.lower() not in lexicon.BODY_NOUNS | lexicon.APPEARANCE_NOUNS | {"tooth", "teeth"}:
        return []
    return [prep, *[t for t in obj.subtree if t.i <= obj.i]]


def tended(noun: Token) -> bool:
    """Animals the subject feeds or tends ("feeds the pigeons"): around them, not merely nearby."""
    return noun.tag_ == "NNS" and noun.head.lemma_.lower() in _TENDING and noun.lemma_.lower() not in lexicon.MASS_NOUNS


def noun_in_ing(token: Token) -> bool:
    """An -ing word after a noun that names a thing ("a septum piercing"), not a verb."""
    return token.lower_ in _ING_NOUNS and token.i > 0 and token.nbor(-1).pos_ in ("NOUN", "PROPN", "ADJ")


def _ends_a_verb_phrase(token: Token) -> bool:
    """'pushed the mask up', 'lowered the visor': the word before a comma closes a verb's phrase."""
    return token.tag_ == "RP" or token.dep_ == "prt" or (token.dep_ == "dobj" and token.head.pos_ == "VERB")


def participle_look(noun: Token) -> bool:
    """'..., and tanned skin': a look whose adjective the parse read as a verb taking it as object."""
    verb = noun.head
    bare = verb.tag_ == "VBN" and verb.i == noun.i - 1 and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in verb.children)
    return noun.dep_ == "dobj" and bare and noun.lemma_.lower() in lexicon.APPEARANCE_NOUNS


def in_which_hand(verb: Token, replace: dict[int, str] | None) -> str | None:
    """'carries a lamp in one hand' → 'in one hand': where the input says the thing is held."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.lemma_.lower() == "hand":
            words = [(replace or {}).get(t.i, t.text) for t in prep.subtree]
            return " ".join(words) if len(words) <= 4 else None
    return None


def others_event(mark: Token, own: Span | None) -> bool:
    """'... one last time before the storm hit': a clause of something else's doing, which ends no
    step of the subject's (what the next sentence says still holds in the first frame)."""
    verb = mark.head
    if mark.dep_ != "mark" or mark.lower_ not in ("before", "until") or verb.pos_ != "VERB":
        return False
    agents = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(agents) and all(a.pos_ in ("NOUN", "PROPN") and not is_subject_mention(a, own) for a in agents)
