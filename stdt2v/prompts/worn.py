"""A look or a worn thing with a past participle after it ("with long hair pinned up", "with the
hood pushed back", "..., sleeves rolled up"): how it is worn, never the person's verb."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.participle import describing_participle

if TYPE_CHECKING:
    from spacy.tokens import Token


def styled_look(t: Token) -> bool:
    """A past participle right after a look ('with long hair pinned up and silver earrings waters')
    in a sentence whose finite verb comes later in the present: it says how the look is, the later
    verb is the person's."""
    if describing_participle(t):
        return True  # "a crown ringed by grey curls", "freckled skin", "while caught in traffic"
    if t.tag_ not in ("VBN", "VBD") or t.i == 0 or t.doc[t.i - 1].lemma_.lower() not in lexicon.APPEARANCE_NOUNS | _WORN:
        return False
    if _worn_state(t.doc[t.i - 1]):  # "with the hood pushed back", "..., sleeves rolled up": how it is worn, never a verb
        return True
    later = t.doc[t.i + 1 : t.sent.end]
    return (
        t.tag_ == "VBN"
        and t.doc[t.i - 1].lemma_.lower() in lexicon.APPEARANCE_NOUNS
        and any(k.tag_ in ("VBZ", "VBP") and k.pos_ in ("VERB", "AUX") for k in later)
    )


_WORN = lexicon.CLOTHING_NOUNS | lexicon.BODY_NOUNS | {"sleeve", "hood", "collar", "tie"}


def _worn_state(noun: Token) -> bool:
    """A worn thing or body part after 'with' or bare after a comma ('with the hood', ', sleeves')."""
    start = noun.left_edge.i if noun.pos_ == "NOUN" else noun.i  # "tie" in ", tie loosened," read as a verb: its own word
    before = noun.doc[start - 1] if start > 0 else None
    bare = not any(c.dep_ in ("det", "poss") for c in noun.children)
    return before is not None and (before.lower_ == "with" or (before.text == "," and bare))


def worn_before_state(word: Token) -> bool:
    """', tie loosened,': a worn thing bare after a comma with a past participle after it, which
    the parse may read as a verb ('tie') and its complement; the pair is how it is worn."""
    doc = word.doc
    if word.i == 0 or word.i + 1 >= len(doc) or word.lower_ not in _WORN or doc[word.i - 1].text != ",":
        return False
    state = doc[word.i + 1]
    return state.tag_ in ("VBN", "VBD", "JJ") and state.lower_.endswith("ed")


def state_after_copula(t: Token) -> bool:
    """'he is tired but determined', 'she is calm and focused': a participle joined to a copula's
    adjective is a second state, said as the input says it."""
    head = t.head
    joined = t.dep_ == "conj" and t.tag_ in ("VBD", "VBN") and head.lemma_ == "be" and any(c.dep_ == "acomp" for c in head.children)
    return joined and not any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in t.children)
