"""Which verb of the opening sentence is the person's when the parse is unsure: a participle whose
sentence has finite verbs of other subjects only ("An old man sitting on a bench, a duck lands
..."), an -ing word that ends a noun phrase ("a lip piercing plays"), an absolute phrase with a
noun of its own ("..., car lights blurring into streaks")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.participle import describing_participle, ing_taken_for_noun, verb_as_noun
from stdt2v.prompts.words import looks_like_verb

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def finite_of_others_only(doc: Doc, start: int, sent: Span, own: Span | None) -> bool:
    """'A woman kneeling beside a calf while a storm blows outside', 'an old man sitting on a bench,
    a duck lands ...': every finite verb after the subject has a subject of its own (or an 'as'/'while'
    of its own), so the participle right after the subject is the person's verb."""
    if own is None:
        return False
    finite = [t for t in doc[start : sent.end] if t.tag_ in ("VBZ", "VBP", "VBD", "MD") and t.pos_ in ("VERB", "AUX") and not describing_participle(t)]
    # "with short, graying hair": a participle before its noun describes it, it is no verb
    verbal = [t for t in doc[start : sent.end] if (t.pos_ == "VERB" and t.tag_ == "VBG" and t.dep_ not in ("amod", "compound")) or ing_taken_for_noun(t)]
    first = verbal[0] if verbal else None
    if not finite or first is None or first.i > finite[0].i:
        return False
    if any(t.tag_ in ("VBD", "VBN") and t.pos_ == "VERB" and t.dep_ not in ("amod", "compound") and not describing_participle(t) for t in doc[start : first.i]):
        return False  # "The teacher, in a blazer, rushed across the room, writing ...": a past form before it is the verb
    if any(looks_like_verb(t) or verb_as_noun(t) for t in doc[start : finite[0].i]):
        return False  # "in a red shawl bargains with ...": a verb the parse took for a noun may be the person's
    # the first finite verb opens the other clause; the verbs after it continue that clause
    head = finite[0].head if finite[0].dep_ in ("aux", "auxpass") else finite[0]
    marked = any(c.dep_ == "mark" and c.lower_ in ("while", "as", "when", "whilst") for c in head.children)
    if marked and head.dep_ == "advcl" and head.head.i in {k.i for k in first.subtree}:
        return True  # "kneeling beside a calf while the rain drums": a clause under the participle, with its own subject
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i > first.i]
    # the subject nearest the verb ("a man riding his bike ... he stops": the parse may hang both on it)
    return bool(subjects) and own.root.i not in (c.i for c in subjects)


def ing_noun(w: Token) -> bool:
    """'a lip piercing plays': an -ing word with no words of its own right before a finite verb is a noun."""
    nxt = w.doc[w.i + 1] if w.i + 1 < len(w.doc) else None
    return w.tag_ == "VBG" and not any(w.children) and nxt is not None and nxt.tag_ in ("VBZ", "VBP") and nxt.pos_ == "VERB"


def own_noun_ing(verb: Token) -> bool:
    """', a vintage camera hanging around her neck,': a participle with a noun of its own after a comma (an absolute phrase)."""
    noun = verb.head
    # "..., headlights smearing into streaks": the parse may make the noun the sentence's root
    if verb.dep_ != "acl" or noun.pos_ != "NOUN" or noun.i + 1 != verb.i or noun.dep_ not in ("appos", "conj", "ROOT"):
        return False
    # where the noun phrase begins: its own modifiers only (a root's subtree is the whole sentence)
    start = min([c.left_edge.i for c in noun.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nummod")] + [noun.i])
    return start > 0 and verb.doc[start - 1].text == ","


def action_after_dress(participle: Token) -> Token | None:
    """'wearing beaded collars and a red shuka, walking along a path': the -ing word after the
    clothing's comma is the person's action too; None where anything else comes between."""
    if participle.lemma_.lower() not in lexicon.DRESSING_VERBS:
        return None
    doc = participle.doc
    for t in doc[participle.i + 1 : participle.sent.end]:
        if t.tag_ == "VBG" and t.pos_ == "VERB":
            own = any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            ok = doc[t.i - 1].text == "," and t.dep_ in ("acl", "advcl", "conj") and not own and t.lemma_.lower() not in lexicon.DRESSING_VERBS
            return t if ok else None
        if (t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound")) or t.text in (";", ":"):
            return None
    return None
