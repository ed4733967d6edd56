"""Relative 'who' clauses and appositives that say the subject again, read on the parse: "a
reporter who is walking" → "walks", "a young woman who is a glassblower working" → the role
"young glassblower", "The ranger, a young man with a jawline," → the person words go."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import past_lemma, present

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def who_clause(doc: Doc, own: Span | None) -> dict[int, str]:
    """'a news reporter who is walking down a city street' → '... walks down a city street'."""
    rel = next((c for c in own.root.children if c.dep_ == "relcl" and c.i >= own.end), None)
    if rel is None and (worn := _who_after_worn(doc, own)) is not None:
        return worn
    if rel is None or doc[own.end].lower_ != "who" or rel.tag_ not in ("VBG", "VBZ", "VBD"):
        return {}
    if (said := role_clause(doc, own)) is not None:  # "who is a glassblower working in ...": the role joins the opening
        attr, acl = said
        return {own.end: "", rel.i: "", acl.i: present(acl.lemma_, False)} | {t.i: "" for t in doc[attr.left_edge.i : attr.i + 1]}
    out = {own.end: ""} | {c.i: "" for c in rel.children if c.dep_ == "aux"}
    out[rel.i] = present(past_lemma(rel) or rel.lemma_, False)
    if is_age_copula(rel):
        out[rel.i] = ""  # "a woman who is in her late fifties, with ...": "A woman in her late fifties, with ..."
    if own.end > 0 and doc[own.end - 1].text == ",":
        out[own.end - 1] = ""
    return out


def _who_after_worn(doc: Doc, own: Span) -> dict[int, str] | None:
    """'a beekeeper in a white veil hat who lifts a frame': a 'who' that the parse hung on the worn
    thing is the person's; with no verb of the person's own, its verb is the sentence's."""
    sent = own.sent
    if own.root.dep_ in ("nsubj", "nsubjpass"):
        return None  # the person has a verb of their own
    who = next((t for t in doc[own.end : sent.end] if t.lower_ == "who" and t.dep_ in ("nsubj", "nsubjpass")), None)
    if who is None or who.i - own.end > 8 or any(t.text in ",;" or t.pos_ in ("VERB", "AUX") for t in doc[own.end : who.i]):
        return None
    rel, thing = who.head, who.head.head
    if rel.dep_ != "relcl" or lexicon.is_person_noun(thing) or rel.tag_ not in ("VBZ", "VBD"):
        return None
    return {who.i: "", rel.i: present(past_lemma(rel) or rel.lemma_, False)}


def role_clause(doc: Doc, own: Span | None) -> tuple[Token, Token] | None:
    """'a young woman who is a glassblower working in a small studio': (the role noun, its
    participle) when a relative 'who is' names the person's role and the participle says what
    they do; the opening then reads 'A woman, a young glassblower, works in a small studio'."""
    if own is None or own.end >= len(doc) or doc[own.end].lower_ != "who":
        return None
    rel = next((c for c in own.root.children if c.dep_ == "relcl" and c.i > own.end), None)
    if rel is None or rel.lower_ != "is" or rel.i != own.end + 1:
        return None
    attr = next((c for c in rel.children if c.dep_ == "attr"), None)
    if attr is None or attr.left_edge.i != rel.i + 1 or attr.left_edge.lower_ not in ("a", "an") or not lexicon.is_person_noun(attr):
        return None
    acl = next((c for c in attr.children if c.dep_ == "acl" and c.tag_ == "VBG" and c.i == attr.i + 1), None)
    return (attr, acl) if acl is not None else None


def clause_role(doc: Doc, own: Span | None) -> str | None:
    """The role a 'who is a ... doing' clause names, with the person's own adjectives: 'young glassblower'."""
    said = role_clause(doc, own)
    if said is None:
        return None
    attr = said[0]
    looks = [t.text for t in own if t.dep_ == "amod" and t.head.i == own.root.i]
    return " ".join([*looks, doc[attr.left_edge.i + 1 : attr.i + 1].text])


def is_age_copula(rel: Token) -> bool:
    """'who is in her late fifties': a copula whose only complement is a phrase of age or looks."""
    if rel.lemma_.lower() != "be" or rel.tag_ != "VBZ":
        return False
    comps = [c for c in rel.children if c.dep_ not in ("nsubj", "punct", "advmod", "aux")]
    return bool(comps) and all(c.dep_ == "prep" and c.lower_ in ("in", "with") for c in comps)


def restated_person(doc: Doc, own: Span | None, start: int) -> dict[int, str]:
    """'The park ranger, a young man with a strong jawline, ...': the appositive says the
    subject again; its person words go, what it says of the person stays ('with a strong jawline')."""
    appos = next((c for c in own.root.children if c.dep_ == "appos" and c.lemma_.lower() in lexicon.PLAIN_PERSON), None)
    if appos is None or appos.i < start:
        return {}
    out = {t.i: "" for t in doc[appos.left_edge.i : appos.i + 1]}
    # "a stocky middle-aged man of Middle Eastern descent": the person's own adjectives stay ("stocky and middle-aged,")
    looks = [t for t in doc[appos.left_edge.i : appos.i] if t.dep_ == "amod" and t.head.i == appos.i and t.lower_ not in ("young-looking",)]
    if looks:
        words = ["".join(k.text_with_ws for k in doc[t.left_edge.i : t.i + 1]).strip() for t in looks]
        out[appos.i] = " and ".join(words) + ("," if appos.i + 1 < len(doc) and doc[appos.i + 1].pos_ == "ADP" else "")
    return out
