"""What the subject phrase itself says about the looks (``subject_looks``), and a second pass
of ``spatial.static_phrases`` over what its rules, which start from verbs and prepositions,
leave behind when the parse goes astray: every described look of the subject ("and a focused
expression" parsed as another person beside the man) and every described thing that is the
subject of its own still clause ("tall trees and thick underbrush line the trail"). Only phrases
with a describing word are taken: a bare "face" or "blade" alone is a fragment, not a picture.

Each phrase goes through the same ``add(kind, tokens, key, text)`` as the first pass, so it is
still refused when it moves, sounds, or overlaps a phrase already taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import is_other_person, is_subject_mention, is_thing

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A look worth its own phrase without a describing word.
_BARE_LOOKS = frozenset("beard mustache moustache freckles stubble tattoo tattoos ponytail braid bun curls wrinkles".split())
# Describing words that say nothing a picture could show ("facial expressions").
_EMPTY_MODIFIERS = frozenset("facial physical overall his her their its own".split())
# Verbs a described thing can be the subject of and still be in the first frame (not "the blade flashes").
_STILL_VERBS = frozenset("fade stand sit line frame surround fill loom rise stretch hang tower border flank dot cover".split())

Add = Callable[..., None]


def _describers(noun: Token) -> list[Token]:
    return [c for c in noun.lefts if c.dep_ in ("amod", "compound", "nummod", "nmod") and c.lower_ not in _EMPTY_MODIFIERS]


def _span(noun: Token, with_conjuncts: bool) -> list[Token]:
    """The noun with its left modifiers (no article or possessive), and its conjuncts when asked
    ("tall trees and thick underbrush"); cut at the first verb or punctuation other than a comma
    between adjectives."""
    start = min((c.left_edge.i for c in noun.lefts if c.dep_ not in ("det", "poss", "punct", "cc", "prep")), default=noun.i)
    end = noun.i
    if with_conjuncts:
        for conj in noun.conjuncts:
            if conj.i > end and all(t.pos_ in ("ADJ", "NOUN", "PROPN", "DET", "CCONJ", "PUNCT", "ADV") for t in noun.doc[end + 1 : conj.i + 1]):
                end = conj.i
    tokens = [t for t in noun.doc[start : end + 1]]
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in tokens) or any(t.text in (";", ":", "(", ")") for t in tokens):
        return []
    return tokens


def _one_of_the_subjects_looks(noun: Token, own: Span | None) -> bool:
    """The subject's look: not another person's ("her friend's red hair"), not acted on by the
    subject ("wiping his brow"), not what someone else has."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None and owner.pos_ != "PRON" and not is_subject_mention(owner, own):
        return False
    for ancestor in noun.ancestors:
        if ancestor.pos_ in ("NOUN", "PROPN") and ancestor.lemma_.lower() in lexicon.PERSON_NOUNS:
            return is_subject_mention(ancestor, own) or ancestor.dep_ in ("appos", "conj", "attr")
        if ancestor.pos_ == "VERB":
            subject = next((c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            return subject is None or subject.i == noun.i or not is_other_person(subject, own)
    return True


def _looks(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    for noun in doc:
        lemma = noun.lemma_.lower()
        if noun.pos_ != "NOUN" or lemma not in lexicon.APPEARANCE_NOUNS or (own is not None and own.start <= noun.i < own.end):
            continue
        if not (_describers(noun) or (lemma in _BARE_LOOKS and noun.dep_ != "dobj")) or not _one_of_the_subjects_looks(noun, own):
            continue
        if noun.dep_ == "dobj" and any(c.dep_ == "poss" for c in noun.children) and noun.head.lemma_.lower() not in lexicon.LOOK_VERBS:
            continue  # "strokes his long beard": the beard is there, but said by the first pass or not at all
        tokens = _span(noun, with_conjuncts=False)
        if tokens:
            add(kind, tokens, key=f"attire:{noun.lemma_}")


def _things_in_view(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    """A described thing that is the subject of a still verb ("A wooden fence and a misty, grassy
    field fade into the background")."""
    for noun in doc:
        verb = noun.head
        if noun.dep_ != "nsubj" or noun.pos_ != "NOUN" or verb.pos_ != "VERB" or verb.lemma_.lower() not in _STILL_VERBS:
            continue
        if not is_thing(noun) or noun.lemma_.lower() in lexicon.GENERIC_PLACE or not _describers(noun):
            continue
        tokens = _span(noun, with_conjuncts=True)
        if tokens:
            add(kind, tokens, key=f"decor:{noun.lemma_}")


def sweep(doc: Doc, own: Span | None, add: Add, kinds: tuple[int, int]) -> None:
    """The looks and the things in view the first pass missed; ``kinds``: the (look, decor)
    kinds as ``spatial`` numbers them."""
    looks, decor = kinds
    _looks(doc, own, add, looks)
    _things_in_view(doc, own, add, decor)


def subject_looks(own: Span | None, with_role: bool = False) -> list[str]:
    """What the prompt's own subject phrase says about the person's looks, once the subject phrase
    replaced it: "A middle-aged man" → "middle-aged"; "a red-haired woman" → "red hair"; "The park
    ranger, a young man with ..." → "young" (with a role, only the appositive's)."""
    appos = [c for c in own.root.children if c.dep_ == "appos" and c.lemma_.lower() in lexicon.PLAIN_PERSON]
    out = []
    for head in appos if with_role else [own.root, *appos]:
        mods = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod") and t.lemma_.lower() not in lexicon.FEMALE_NOUNS | lexicon.MALE_NOUNS]
        if not mods:
            continue
        start = min(t.left_edge.i for t in mods)
        text = "".join(t.text_with_ws for t in head.doc[start : head.i]).strip(" ,")
        text = re.sub(r"\s*-\s*haired$", " hair", text, flags=re.IGNORECASE)
        first = head.doc[start]
        out.append(text if first.pos_ == "PROPN" or first.text.isupper() else text.lower())
    return out
