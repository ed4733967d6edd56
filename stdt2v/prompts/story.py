"""Stories and the person they are about: whose pronouns the given subject's gender governs.

A prompt already about a woman ("a young woman bargains with a spice seller ... laughing at his
reply") needs no pronoun rewritten for the subject "A woman": every "his" there is someone
else's (the seller's). Only a prompt told about the other gender has its pronouns rewritten.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_MALE = frozenset("he him his himself".split())
_FEMALE = frozenset("she her hers herself".split())


def _gender_of_word(word: str) -> str | None:
    if word in _MALE or word in lexicon.MALE_NOUNS:
        return "male"
    if word in _FEMALE or word in lexicon.FEMALE_NOUNS:
        return "female"
    return None


def told_gender(doc: Doc) -> str | None:
    """The gender the prompt itself gives its person, where its first sentence's subject (when a
    gendered noun or pronoun) and its first gendered pronoun agree ("A grey-bearded fisherman and
    his granddaughter": his); None when they disagree or it gives none."""
    first = next(iter(doc.sents), None)
    if first is None:
        return None
    # the sentence's first subject, not its root's: the parse may hang "A fisherman and his granddaughter sit" under a later clause
    subject = next((t for t in first if t.dep_ in ("nsubj", "nsubjpass")), None)
    said = {g for g in (_gender_of_word(subject.lower_), _gender_of_word(subject.lemma_.lower())) if g} if subject is not None else set()
    pronoun = next((g for t in doc if t.pos_ == "PRON" and (g := _gender_of_word(t.lower_))), None)
    said |= {pronoun} if pronoun else set()
    return next(iter(said)) if len(said) == 1 else None


def inside_compound(token: Token) -> bool:
    """Whether a comma before ``token`` would split one word or compound: after a hyphen
    ("thick-rimmed"), or a plural noun in -ings the tagger read as a verb after the noun it
    compounds with ("ear piercings", "oil paintings")."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is None:
        return False
    return before.tag_ == "HYPH" or (before.pos_ == "NOUN" and token.lower_.endswith("ings") and len(token) > 6)


_SPLIT_HYPHEN = re.compile(r"(?<=\w)-, (?=\w)")


def whole_compounds(text: str) -> str:
    """'thick-, rimmed glasses' → 'thick-rimmed glasses': a comma never follows a word's hyphen
    (a step that closed a phrase before a participle took the compound's second half for it)."""
    return _SPLIT_HYPHEN.sub("-", text)
