"""Mending what the parse broke in a keyframe phrase: a phrase cut inside its own noun phrase,
a light named without what the sentence says of it, a thing said twice or a word that names
nothing alone (the rater's "bare fragments")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import as_text

if TYPE_CHECKING:
    from spacy.tokens import Token


def mend_tail(tokens: Sequence[Token]) -> list:
    """A phrase the parse cut inside its own noun phrase ("a black suit with a red", 'rose' taken
    for a verb): the input's own words to the end of that phrase when the lost word hangs off the
    preposition, else the phrase ends at its last noun."""
    if len(tokens) < 2:
        return tokens
    kept = {t.i for t in tokens}
    lost = tokens[-1].head
    if lost.i > tokens[-1].i and lost.i not in kept and lost.dep_ == "pobj" and lost.pos_ == "VERB":
        return tokens + [t for t in lost.subtree if t.i > tokens[-1].i and not t.is_punct]
    last_noun = max((k for k, t in enumerate(tokens) if t.pos_ in ("NOUN", "PROPN")), default=None)
    tail = tokens[last_noun + 1 :] if last_noun is not None else []
    if any(t.pos_ in ("ADP", "DET") for t in tail) and all(t.pos_ in ("ADP", "DET", "ADJ", "PUNCT", "CCONJ", "ADV") and t.dep_ != "advmod" for t in tail):
        return tokens[: last_noun + 1]
    headless = tokens[-1].pos_ == "ADJ" and tokens[-1].dep_ in ("pobj", "dobj") or (lost.i > tokens[-1].i and lost.i not in kept)
    cut = max((k for k, t in enumerate(tokens) if t.pos_ == "ADP" and k > 0), default=None) if headless else None
    return tokens[:cut] if cut is not None else tokens


def with_predicate(noun: Token, chunk: list[Token], replace: dict[int, str] | None) -> str:
    """'The lighting in the room is dim' → 'dim lighting': what the sentence says the light is,
    else the bare word would stand alone."""
    text = as_text(chunk, replace=replace)
    verb = noun.head
    acomp = next((c for c in verb.children if c.dep_ == "acomp" and c.pos_ == "ADJ"), None) if noun.dep_ == "nsubj" and verb.lemma_ == "be" else None
    nearest = max((c.i for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), default=noun.i)
    if acomp is None or nearest != noun.i:  # "a small dog sleeping ..., the light is soft": the light's predicate, not the dog's
        return text
    last = max([acomp.i, *(c.i for c in acomp.children if c.dep_ == "conj")])
    # "grey and soft, typical of an autumn afternoon": an adjective with its own object is a phrase of its own
    words = [t for t in acomp.subtree if t.pos_ in ("ADJ", "CCONJ", "ADV") and t.i <= last and not any(c.dep_ == "prep" for c in t.children)]
    while words and words[-1].pos_ == "CCONJ":
        words.pop()
    return f"{as_text(words)} {text}" if words else text


# A word that names no thing when it stands alone in a keyframe prompt ("room", "lighting").
_EMPTY_ALONE = frozenset("room lighting light space area background setting scene environment atmosphere".split())


def within_others(found: list) -> list:
    """Phrases (phrase.Phrase), each thing said once, in its fullest phrase: 'chair' goes beside 'seated in a gaming chair',
    'her hands' beside 'her hands in soapy water'."""

    def inside(short: str, long: str) -> bool:
        return short != long and re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", long) is not None

    return [p for p in found if not any(inside(p.text.lower(), q.text.lower()) for q in found) and p.text.lower() not in _EMPTY_ALONE]


# Verbs that take a thing out of somewhere: the first frame shows it where it was.
_TAKING = frozenset("draw pull take unsheathe grab pick remove retrieve".split())
_CONTAINERS = frozenset("pocket bag box drawer backpack case sheath scabbard holster basket purse briefcase jar fridge refrigerator cupboard".split())


def where_from(noun: Token, replace: dict[int, str] | None) -> str | None:
    """'draws the long sword from his waist' → 'at his waist', 'pulls a phone from his pocket' →
    'in his pocket': where the object is before the action, not the end state ('in hand')."""
    verb = noun.head
    if verb.lemma_.lower() not in _TAKING:
        return None
    source = next((c for c in [*verb.children, *noun.children] if c.dep_ == "prep" and c.lower_ == "from"), None)
    obj = next((c for c in source.children if c.dep_ == "pobj"), None) if source is not None else None
    if obj is None or obj.pos_ not in ("NOUN", "PROPN"):
        return None
    lemma = obj.lemma_.lower()
    word = "in" if lemma in _CONTAINERS else "at" if lemma in lexicon.BODY_NOUNS | {"waist", "hip", "belt", "side"} else "on"
    return f"{word} " + "".join((replace or {}).get(t.i, t.text) + t.whitespace_ for t in obj.subtree).strip()


_MOODS = frozenset("expression gaze look mood atmosphere smile demeanor air".split())


def tidy_commas(text: str, tokens: Sequence[Token]) -> str:
    """Commas part a keyframe prompt's phrases, so inside one phrase none is left that a reader
    could take for a break: "long, wavy hair" → "long wavy hair" (two adjectives of one noun),
    "gloves, and a plaid shirt" → "gloves and a plaid shirt" (the list's serial comma)."""
    for k in range(1, len(tokens) - 1):
        prev, comma, nxt = tokens[k - 1], tokens[k], tokens[k + 1]
        hyphened = k + 2 < len(tokens) and tokens[k + 2].text == "-"  # "wavy, shoulder-length hair"
        adjective = nxt.pos_ == "ADJ" or hyphened or (nxt.tag_ in ("VBG", "VBN") and nxt.dep_ in ("amod", "conj"))
        noun = next((t for t in tokens[k + 2 :] if t.pos_ in ("NOUN", "PROPN")), None)
        # "serious, concerned expression": two readings of a mood stay two, with their comma
        if comma.text == "," and (prev.pos_ == "ADJ" or prev.dep_ == "amod") and adjective and noun is not None and noun.lemma_.lower() not in _MOODS:
            text = text.replace(f"{prev.text}, {nxt.text}", f"{prev.text} {nxt.text}", 1)
    return re.sub(r"(?<=\w), (and|or) (?=\w)", r" \1 ", text)


def merge_described(found: list) -> list:
    """A place said twice, once where the subject is and once as described ("in a garden" and
    "garden full of vibrant flowers"): one phrase, "in a garden full of vibrant flowers"."""
    out = list(found)
    for described in found:
        if not described.key.startswith("described:"):
            continue
        noun = described.key.split(":", 1)[1]
        words = described.text.split(" ", 1)
        if len(words) < 2 or words[0].lower() != noun:
            continue
        place = next((p for p in out if p.key == f"place:{noun}" and re.search(rf"\b{re.escape(noun)}$", p.text, re.IGNORECASE)), None)
        if place is not None and described in out:
            out[out.index(place)] = _replace_text(place, f"{place.text} {words[1]}")
            out.remove(described)
    return out


def _replace_text(phrase, text: str):
    """The phrase (phrase.Phrase) with another text."""
    return type(phrase)(phrase.kind, phrase.position, text, phrase.key)


def surface_list(tokens: Sequence[Token]) -> list:
    """A list of worn things the parse broke ("wears a backpack, hiking boots, and a cap" with
    'hiking' taken for a verb): the input's own words on to the end of the list, which runs on
    while commas and 'and' join noun phrases; the phrase as parsed when the surface says no more."""
    if not tokens:
        return list(tokens)
    doc, end = tokens[0].doc, tokens[-1].i
    k, last = end + 1, end
    while k < len(doc):
        t = doc[k]
        modifier = t.tag_ in ("VBG", "VBN") and k + 1 < len(doc) and doc[k + 1].pos_ in ("NOUN", "ADJ")  # "hiking boots", "faded jeans"
        if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or t.text == "-" or modifier:
            last = k if t.pos_ in ("NOUN", "PROPN") else last
        elif not (t.pos_ in ("DET", "CCONJ") or t.text == ","):
            break
        k += 1
    if last == end or not any(doc[i].pos_ == "CCONJ" for i in range(end + 1, last)):
        return list(tokens)  # no 'and' or 'or': not the rest of a list ("a mermaid, swimming underwater")
    return list(tokens) + [doc[i] for i in range(end + 1, last + 1)]


def camera_lead(doc) -> int | None:
    """Where the person starts when the first sentence opens with a shot rather than a subject
    ("Tracking shot from the waist up of a young Korean woman ...", "Of a middle-aged chef ..."
    once a style header took "Medium shot, from the waist up," away): the index of the person's
    first word, so the keyframe reads the person as the subject and never "tracking" as a role."""
    sents = list(doc.sents)
    first = sents[0] if sents else None
    if first is None:
        return None
    # "Then slow tracking. A young man in a red hoodie ...": a verbless sentence of shot words, then the person's
    shots = [k for k in first if k.lower_ in _SHOT_WORDS or k.lower_ in lexicon.CAMERA_WORDS]
    verbless = not any(k.tag_ in ("VBZ", "VBP", "VBD", "MD") for k in first)
    if shots and verbless and len(first) <= 8 and len(sents) > 1:
        people = lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS  # "a female surfer"
        person = next((k for k in sents[1][:8] if k.lemma_.lower() in people and k.pos_ == "NOUN"), None)
        if person is not None and person.dep_ in ("nsubj", "nsubjpass", "ROOT"):
            return person.left_edge.i
    for t in first:
        if t.i - first.start > 16:
            return None
        if t.text == ":" and t.i + 1 < len(doc):  # "Overhead drone shot, then ground-level tracking: a female surfer ..."
            lead = list(doc[first.start : t.i])
            person = next((k for k in doc[t.i + 1 : t.i + 8] if k.lemma_.lower() in lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON and k.pos_ == "NOUN"), None)
            shot = any(k.lower_ in _SHOT_WORDS or k.lower_ in lexicon.CAMERA_WORDS for k in lead)
            return person.left_edge.i if person is not None and shot and person.left_edge.i > t.i else None
        if t.lower_ != "of" or t.dep_ not in ("prep", "ROOT"):
            continue
        person = next((c for c in t.children if c.dep_ == "pobj"), None)
        lead = list(doc[first.start : t.i])
        shot = any(k.lower_ in _SHOT_WORDS or k.lower_ in lexicon.CAMERA_WORDS for k in lead)
        if person is not None and person.lemma_.lower() in lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON and (shot or not lead):
            return person.left_edge.i
        return None
    return None


# Words that name the picture's shot, not a person in it.
_SHOT_WORDS = frozenset("shot shots close-up closeup close view portrait frame angle".split())
