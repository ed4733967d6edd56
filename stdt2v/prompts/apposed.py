"""The role a prompt gives a plain person noun outside the noun phrase itself, for the keyframe.

- An appositive: "a middle-aged man, a beekeeper, stands ..." → role "beekeeper";
  "Elderly woman, a retired street musician, on a bench" → "retired street musician".
- A job said with 'as': "A young woman works as a glassblower ..." → "glassblower".
- A predicate noun: "A woman is a park ranger." → "park ranger".

The subject noun phrase alone ("a man") is plain, so the keyframe would otherwise open with the
given subject and lose who the person is; the temporal prompt keeps these words in place already.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Verbs whose 'as' phrase names the person's job: "works as a nurse", "serves as the captain".
_JOB_VERBS = frozenset("work serve train volunteer moonlight double".split())
# Modifiers of a role noun that stay with it: adjectives, nouns of a compound, a hyphen's parts.
_ROLE_DEPS = ("amod", "compound", "nmod", "npadvmod", "hyph", "punct")


def _role_noun(token: Token) -> bool:
    """A single person's role noun, never a plain one ('a man, a tall guy') nor a group."""
    plain = lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
    return token.pos_ == "NOUN" and token.tag_ == "NN" and token.lemma_.lower() not in plain and lexicon.is_person_noun(token)


def _role_words(noun: Token) -> str:
    """'a retired street musician' → 'retired street musician': the noun with the words before it
    that modify it, up to the determiner (a 'with' or 'in' phrase after it is not the role)."""
    left = [t for t in noun.subtree if t.i < noun.i]
    kept = []
    for t in reversed(left):  # from the noun leftwards, stopping at the first word that is no modifier
        if t.dep_ in ("det", "poss") or t.tag_ == "PRP$" or t.dep_ not in _ROLE_DEPS or t.text == ",":
            break
        kept.insert(0, t)
    return "".join(t.text_with_ws for t in [*kept, noun]).strip()


def apposed_role(own: Span | None) -> str | None:
    """The role said of a plain subject noun by an appositive, a job's 'as' phrase or a predicate noun."""
    if own is None or own.root.lemma_.lower() not in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON:
        return None
    head = own.root
    verb = head.head
    # "a tall man with a shaved head, a night watchman, walks": the parse may hang it on the last noun of a 'with' phrase
    for child in (t for t in head.subtree if t.i > head.i and (verb.i <= head.i or t.i < verb.i)):
        if child.dep_ == "appos" and _role_noun(child) and (child.head.i == head.i or child.head.lemma_.lower() not in lexicon.PERSON_NOUNS):
            return _role_words(child)
    if head.dep_ != "nsubj" or verb.i <= head.i:
        return None
    for child in verb.children:
        if verb.lemma_.lower() in _JOB_VERBS and child.dep_ == "prep" and child.lower_ == "as":
            noun = next((c for c in child.children if c.dep_ == "pobj"), None)
            if noun is not None and _role_noun(noun):
                return _role_words(noun)
        if verb.lemma_ == "be" and child.dep_ == "attr" and _role_noun(child):
            return _role_words(child)
    return None
