"""A person the prompt names only after its shot ("Close-up of weathered hands carving a seal,
then tilting up to the face of an old fisherman in a wool cap, ...", "the camera pulls back to
reveal an elderly potter in an apron"): the person is said once, in the opening ("A man, an old
fisherman in a wool cap, is in view."), and the later mention becomes a pronoun ("tilting up to
his face", "to reveal him"), so the video prompt has one subject, never two."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import object_pronoun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_ATTIRE_PREPS = frozenset(("in", "with", "wearing"))
_POSSESSIVE = {"male": "his", "female": "her"}


def late_person(doc: Doc, gender: str | None) -> tuple[str | None, dict[int, str], set[int]] | None:
    """(role or None for a plain person, replacements, dropped tokens) for the first person named
    as an object in the first two sentences; None when there is none."""
    for sent in list(doc.sents)[:2]:
        person = next((t for t in sent if _named_late(t)), None)
        if person is not None:
            # "he hands a coin to a street vendor", "he moves a knight": with the person already the doer, it is someone (or something) else
            acting = any(t.dep_ in ("nsubj", "nsubjpass") and (t.lower_ in _DOERS or lexicon.is_person_noun(t)) for t in doc[: person.i])
            return None if acting else _said_once(doc, sent, person, gender)
    return None


_DOERS = frozenset("he she they i we".split())


def _named_late(token: Token) -> bool:
    """'the face of an Inuit elder', 'to reveal a potter': one person with an indefinite article, as an object."""
    article = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)
    return token.pos_ == "NOUN" and token.dep_ in ("pobj", "dobj") and article and token.tag_ == "NN" and lexicon.is_person_noun(token)


def _said_once(doc: Doc, sent: Span, person: Token, gender: str | None) -> tuple[str | None, dict[int, str], set[int]]:
    start, end = person.left_edge.i, person.i + 1
    # its attire ("in a fur-trimmed parka") goes with it into the opening; a participle clause stays in place
    after = doc[end] if end < sent.end else None
    if (
        after is not None
        and after.dep_ == "prep"
        and after.lower_ in _ATTIRE_PREPS
        and (after.head.i == person.i or _worn(after) or after.head.lemma_.lower() in lexicon.BODY_NOUNS)
    ):
        end = after.right_edge.i + 1  # the parse may hang "in a parka" on the verb or the face
    acl = doc[end] if end < sent.end else None
    if acl is not None and acl.tag_ == "VBG" and acl.dep_ in ("acl", "advcl") and acl.right_edge.i < sent.end:
        end = acl.right_edge.i + 1  # "a grandmother in a shawl sitting by a fire": what the person does, said with the person
    plain = person.lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
    if plain:  # "an elderly Japanese man in an apron" under "A man": its looks and attire, never the noun again
        looks = doc[start : person.i].text.split(" ", 1)[1:] if doc[start].dep_ == "det" else [doc[start : person.i].text]
        role = ", ".join(p for p in [*looks, doc[person.i + 1 : end].text] if p.strip()) or None
    else:
        role = doc[start:end].text
    possessive = _POSSESSIVE.get(gender or "", "their")
    part = person.head.head if person.head.lower_ == "of" else None
    if part is not None and part.pos_ == "NOUN" and part.lemma_.lower() in lexicon.BODY_NOUNS and part.left_edge.i < part.i:
        # "the face of an Inuit elder" → "his face"
        replace = {part.left_edge.i: possessive}
        drop = set(range(part.left_edge.i + 1, part.i)) | set(range(person.head.i, end))
        drop -= {part.i}
        replace[part.i] = part.text
    else:
        replace = {start: object_pronoun(gender)}
        drop = set(range(start + 1, end))
    # "Close-up of weathered hands carving ...": the person's own hands, said before the person is
    for t in doc[sent.start : start]:
        if t.tag_ == "NNS" and t.lemma_.lower() in lexicon.BODY_NOUNS and not any(c.dep_ in ("det", "poss") for c in t.children):
            first = t.left_edge.i
            word = replace.get(first, doc[first].text)
            replace[first] = f"{possessive} {word if doc[first].pos_ == 'PROPN' else word[:1].lower() + word[1:]}"
            break
    return role, replace, drop


def _worn(prep: Token) -> bool:
    """'in a fur-trimmed parka': a preposition whose object is clothing or a look."""
    words = lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS
    return any(c.dep_ == "pobj" and c.lemma_.lower() in words for c in prep.children)
