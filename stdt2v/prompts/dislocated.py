"""A person named in front of its own pronoun ("A climber in an orange jacket, she ties a rope to
her harness", "A retired teacher with silver hair, she waters the geraniums"): the noun phrase is
the person's role and the pronoun goes, so the video prompt opens "A woman, a climber in an orange
jacket, ties a rope ..." and never says the subject twice or opens with "A woman is in view."."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_PRONOUNS = frozenset(("he", "she"))


def dislocated_person(doc: Doc) -> tuple[Span, Span, Token] | None:
    """(sentence, the person's noun phrase, its pronoun) for the first of the first two sentences that
    opens with an indefinite person noun phrase, a comma and the pronoun subject of the sentence's verb."""
    for sent in list(doc.sents)[:2]:
        found = _opening_person(sent)
        if found is not None:
            return sent, *found
    return None


def _opening_person(sent: Span) -> tuple[Span, Token] | None:
    doc = sent.doc
    first = sent[0]
    if first.lower_ not in ("a", "an") or first.dep_ != "det":
        return None
    person = first.head
    if person.pos_ != "NOUN" or person.tag_ != "NN" or not lexicon.is_person_noun(person) or person.dep_ in ("nsubj", "nsubjpass"):
        return None
    comma = person.right_edge.i + 1
    if comma + 1 >= sent.end or doc[comma].text != "," or any(t.tag_ in ("VBZ", "VBD", "VBP", "MD", "VBG") for t in doc[sent.start : comma]):
        return None
    pronoun = doc[comma + 1]
    if pronoun.lower_ not in _PRONOUNS or pronoun.dep_ not in ("nsubj", "nsubjpass") or pronoun.head.pos_ not in ("VERB", "AUX"):
        return None
    return doc[sent.start : comma], pronoun
