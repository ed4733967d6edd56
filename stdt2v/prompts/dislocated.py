"""A person named in front of its own pronoun ("A climber in an orange jacket, she ties a rope to
her harness", "A retired teacher with silver hair, she waters the geraniums"): the noun phrase is
the person's role and the pronoun goes, so the video prompt opens "A woman, a climber in an orange
jacket, ties a rope ..." and never says the subject twice or opens with "A woman is in view.". Also the
opening's other seams: an aside closed before the verb, a clause before the person said on its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.clauses import end_sentence
from stdt2v.prompts.grammar import render

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


def dislocated(doc: Doc, subject: str, notes: list[str], replace: dict[int, str]) -> str | None:
    """'Wide shot of a pass. A climber in an orange jacket, she ties a rope ...' → 'A man, a climber in an
    orange jacket, ties a rope ... Wide shot of a pass.': the person's sentence first, the noun phrase
    as the role, the pronoun gone; sentences before it after (the background), the later ones in order."""
    found = dislocated_person(doc)
    if found is None:
        return None
    sent, person, pronoun = found
    notes.append("a person named before its own pronoun: the noun phrase was said as the role")
    replace = dict(replace)
    replace[person.start] = f"{subject}, {person[0].lower_}"
    replace[pronoun.i] = ""
    sentences = list(doc.sents)
    index = sentences.index(sent)
    said = [end_sentence(render(doc[s.start : s.end], replace)) for s in sentences]
    said = [t[:1].upper() + t[1:] for t in said if t.strip(" .")]
    return " ".join([said[index], *said[index + 1 :], *said[:index]])


def clause_before(span: Span, replace: dict[int, str]) -> str:
    """'tourists haggle over prices while' before the person: a clause of its own (a finite verb with its own subject),
    its subordinator dropped; '' when the words before the person are a phrase ('At dawn,')."""
    words = list(span)
    joined = False  # "..., shoppers bargain loudly while": a subordinator left hanging is a clause's end, whatever the tags say
    while words and (words[-1].is_punct or words[-1].dep_ in ("mark", "cc") or words[-1].pos_ in ("SCONJ", "CCONJ")):
        joined = joined or not words[-1].is_punct
        words.pop()
    finite = joined or any(t.tag_ in ("VBZ", "VBP", "VBD") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) for t in words)
    if not words or words[0].dep_ == "mark" or not finite:
        return ""
    text = render(span.doc[words[0].i : words[-1].i + 1], replace)
    return end_sentence(text[:1].upper() + text[1:])


def close_aside(doc: Doc, who: str, rest_start: int, at: int | None, replace: dict[int, str]) -> tuple[str, int]:
    """'A woman, middle-aged, in a green raincoat walks' → '..., in a green raincoat, walks': an aside the input
    opened with a comma (looks, attire) is closed before the verb; only a verbless span of adjectives and
    prepositional phrases, so a clause is never cut."""
    if at is None or at <= rest_start + 1 or doc[at - 1].text == "," or not (who.endswith(",") or doc[rest_start - 1].text == ","):
        return who, rest_start
    span = doc[rest_start:at]
    if at + 1 < len(doc) and doc[at + 1].pos_ in ("VERB", "AUX"):
        return who, rest_start  # "in oilskins and rubber boots hauls": the verb is after the noun the parse took for it
    look = span[0] if span[0].tag_ in ("VBN", "VBD") and len(span) > 1 and span[1].text == "," else None  # "stooped, with a cane"
    others = [t for t in span if look is None or t.i != look.i]
    clause = any(t.tag_ in ("VBZ", "VBD", "VBP", "MD", "VBG") or (t.lower_ in ("and", "or") and t.head.pos_ == "VERB" and t.head != look) for t in others)
    if (span[0].pos_ not in ("ADJ", "ADP") and look is None) or clause:
        return who, rest_start
    return f"{who.rstrip(',')}, {render(span, replace).strip(' ,')},", at


def set_off_look(doc: Doc, own: Span) -> set[int]:
    """'An old farmer, stooped, with a cane walks', 'A surfer, sunburnt, in a wetsuit paddles': a lone past
    form between commas right after the person is a look (an adjective), never the person's verb."""
    at = own.end + 1
    if at + 1 >= len(doc) or doc[own.end].text != "," or doc[at + 1].text != ",":
        return set()
    word = doc[at]
    return {at} if word.tag_ in ("VBD", "VBN") or (word.pos_ == "VERB" and word.lower_.endswith(("ed", "t", "n"))) else set()
