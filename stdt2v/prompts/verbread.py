"""The verb of a short prompt read back after an attire or gear phrase on its subject.

The small English model often reads the verb after "in a hijab", "in a white tutu" or "with a
blue backpack" as part of that phrase's noun ("a hijab paints", "tutu practices", "backpack
climbs"): the sentence then has no verb, its subject swallows the action, and the keyframe loses
the attire, the held thing and the place. The sentence is read again in two parts: the subject
phrase alone, and the rest after a pronoun ("She paints a mural of flowers on ..."), where the
tagger reads the verb well. The part parses are joined (the subject phrase as the verb's
subject) only when the rest reads as one finite verb heading its clause.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Span, Token

# Prepositions that tie attire or gear to a person ("in a hijab", "with a backpack").
_ATTIRE_PREPS = frozenset({"in", "with", "wearing"})
_NOUNS_ONLY = lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS
_FINITE = {"She": ("VBZ",), "They": ("VBP",)}


def _broken(sent: Span) -> Token | None:
    """The attire preposition on the opening subject of a sentence with no verb at its root."""
    root = sent.root
    # "a woman in a faded sari roasts cumin seeds" read "... sari roasts | cumin(VBP) seeds": a plural verb on a singular subject
    disagrees = root.tag_ == "VBP" and any(c.dep_ == "nsubj" and c.tag_ == "NN" for c in root.children)
    if (root.pos_ in ("VERB", "AUX") and not disagrees) or len(sent) < 5 or sent[0].pos_ != "DET":
        return None
    prep = next((t for t in sent[1:6] if t.lower_ in _ATTIRE_PREPS and t.i > sent.start + 1 and t.nbor(-1).pos_ == "NOUN"), None)
    return None if prep is None or any(t.is_punct for t in sent.doc[sent.start : prep.i]) else prep  # "That evening, a fisherman ...": no opener


def _finite(token: Token, pronoun: str) -> bool:
    """A present verb that agrees with the subject, or a regular past ("gown" is no past)."""
    return token.tag_ in _FINITE[pronoun] or token.tag_ == "VBD" and token.lower_.endswith("ed")


def _rest_read(nlp: Callable[[str], Doc], sent: Span, start: int, pronoun: str) -> Doc | None:
    """``pronoun`` + the sentence from ``start``, where the first word reads as the finite root."""
    rest = nlp(f"{pronoun} {sent.doc[start : sent.end].text}")
    words = [t.text for t in sent.doc[start : sent.end]]
    if [t.text for t in rest[1:]] != words or rest[1].dep_ != "ROOT" or not _finite(rest[1], pronoun) or rest[2].is_punct:
        return None
    return rest if sum(t.dep_ == "ROOT" for t in rest) == 1 else None


def _split_read(nlp: Callable[[str], Doc], sent: Span) -> tuple[Doc, Doc] | None:
    prep = _broken(sent)
    if prep is None:
        return None
    pronoun = "They" if prep.nbor(-1).tag_ == "NNS" else "She"
    for token in sent[prep.i - sent.start + 2 :]:
        if token.i >= sent.end - 1 or token.is_punct and token.tag_ != "HYPH":
            return None
        if token.pos_ in ("VERB", "AUX") and token.dep_ in ("acl", "relcl", "advcl", "xcomp", "ccomp", "conj"):
            return None  # "in a white jacket tossing vegetables": the parse has its verb
        if not token.is_alpha or token.nbor(-1).tag_ == "HYPH" or token.lower_ in _NOUNS_ONLY:
            continue  # "in yellow rain boots stomps": a garment or a look is a noun
        rest = _rest_read(nlp, sent, token.i, pronoun)
        if rest is None:
            continue
        head = nlp(sent.doc[sent.start : token.i].text)
        if (
            len(head) != token.i - sent.start
            or head[-1].pos_ not in ("NOUN", "PROPN")
            or head[-1].lower_ in lexicon.COLORS  # "in red | wellies splashes": a colour is no garment
            or sum(t.dep_ == "ROOT" for t in head) != 1
            or head[:].root.pos_ not in ("NOUN", "PROPN")
        ):
            continue
        return head, rest
    return None


def reread_verbs(doc: Doc, nlp: Callable[[str], Doc]) -> Doc:
    """``doc`` with each sentence whose verb was read into its subject's attire phrase re-read."""
    parts = {sent.start: _split_read(nlp, sent) for sent in doc.sents}
    if not any(parts.values()):
        return doc
    heads, deps, tags, pos, lemmas, morphs = [], [], [], [], [], []

    def take(token: Token, head: int, dep: str) -> None:
        heads.append(head)
        deps.append(dep)
        tags.append(token.tag_)
        pos.append(token.pos_)
        lemmas.append(token.lemma_)
        morphs.append(str(token.morph))

    for sent in doc.sents:
        read = parts[sent.start]
        if read is None:
            for t in sent:
                take(t, t.head.i, t.dep_)
            continue
        head, rest = read
        verb = sent.start + len(head)
        for t in head:
            take(t, verb if t.dep_ == "ROOT" else sent.start + t.head.i, "nsubj" if t.dep_ == "ROOT" else t.dep_)
        for t in rest[1:]:
            take(t, verb if t.head.i == 0 else verb + t.head.i - 1, t.dep_)
    ents = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in doc]
    words, spaces = [t.text for t in doc], [bool(t.whitespace_) for t in doc]
    return Doc(doc.vocab, words=words, spaces=spaces, tags=tags, pos=pos, lemmas=lemmas, morphs=morphs, heads=heads, deps=deps, ents=ents)
