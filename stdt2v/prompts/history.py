"""What the person had done before the video: a past-perfect clause about them ("He had opened
the studio after leaving the navy.", ", who had repaired watches for forty years,", "the lessons
she had put off her whole life") is history no camera films. It goes from both prompts; the
rest of the sentence stays. A first sentence that opens the story in the past perfect is
epithet.backstory_cut's (its subject and place stay for the keyframe).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_PERSON_PRONOUNS = frozenset("he she they who".split())
# A past perfect inside a moment ("He had just sat down when the bell rang") is that moment, kept.
_MOMENT_MARKS = frozenset("when as while until".split())


def _past_perfect(verb: Token) -> bool:
    """'had opened', 'had been working': a verb with the auxiliary 'had' before it."""
    return verb.tag_ in ("VBN", "VBG") and any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in verb.children)


def _about_person(verb: Token) -> bool:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and (subject.lower_ in _PERSON_PRONOUNS or lexicon.is_person_noun(subject))


def _sentence(sent: Span) -> tuple[int, int] | None:
    """A whole later sentence about the person in the past perfect."""
    root = sent.root
    if sent.start == 0 or not _past_perfect(root) or not _about_person(root):
        return None
    if any(t.lower_ in _MOMENT_MARKS and t.dep_ in ("mark", "advmod") for t in sent):
        return None
    if any(_on_the_body(v) for v in (root, *(c for c in root.children if c.dep_ == "conj"))):
        return None  # "She had rolled up her sleeves and tied her hair back": how she looks now
    return sent.start, sent.end


def _on_the_body(verb: Token) -> bool:
    """A done thing still seen on the person: its object is a body part, clothing or a look."""
    seen = lexicon.BODY_NOUNS | lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS
    return any(c.dep_ == "dobj" and c.lemma_.lower() in seen for c in verb.children)


def _clause(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """', who had repaired watches since his uncle retired,' or 'she had put off her whole life'
    after a noun: the relative clause with its commas ('A clockmaker, who ..., peers' → 'A clockmaker peers')."""
    if verb.dep_ != "relcl" or not _past_perfect(verb) or not _about_person(verb):
        return None
    start, end = verb.left_edge.i, verb.right_edge.i + 1
    sent = verb.sent
    if start > sent.start and doc[start - 1].text == ",":
        start -= 1
        if end < sent.end and doc[end].text == ",":
            end += 1  # both commas go with the clause they set off
    # else "the lessons she had put off her whole life, and ...": the comma stays with what follows
    return start, end


def history_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the person's past-perfect history (see the module's note)."""
    spans = []
    for sent in doc.sents:
        if (whole := _sentence(sent)) is not None:
            spans.append(whole)
            continue
        spans += [span for t in sent if (span := _clause(doc, t)) is not None]
    return spans
