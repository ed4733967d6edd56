"""The self-check of ``stillmend`` and ``stillanchor``: what a rater would still call a clause, an
action, a sound or smell, a later moment or a cut noun phrase in a finished spatial prompt, read off a re-parse of each comma phrase (so the LLM
backends are checked the same way)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.stillmend import ING_NOUNS, NEEDS_PREP, STILL_VERBS, opening_action

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["still_leaks"]


def _clause_in(doc) -> bool:
    """A present finite verb with its noun subject ("a pair of sheep graze on the bank", "the first
    customer knocks"); a past form is as often a look's participle ("hair combed back")."""
    for t in doc:
        subject = next((c for c in t.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None)
        if t.tag_ not in ("VBZ", "VBP") or t.pos_ != "VERB" or subject is None or t.lemma_.lower() in lexicon.LIGHT_NOUNS:
            continue
        if t.tag_ == "VBZ" and any(k.lower_ == "of" for k in doc[subject.left_edge.i : t.i]):
            continue  # "a shower of orange sparks across the floor": the of-phrase's plural noun
        said_of = any(c.dep_ == "det" for c in subject.children) or any(c.i > t.i and c.dep_ in ("prep", "dobj", "advmod", "prt") for c in t.children)
        if said_of:  # not "bright neon holds": a tag whose plural noun the tagger read as a verb
            return True
    return False


def _action_in(doc) -> bool:
    """An action's '-ing' word with its object ("drinking a coffee", "hand-painting letters onto a
    wall", "at night drinking coffee"), not a thing's participle ("backlight forming a rim")."""
    words = [t for t in doc if not t.is_punct]
    for k, t in enumerate(words):
        if t.tag_ != "VBG" and not (t.lower_.endswith("ing") and k > 0):
            continue
        nxt = words[k + 1] if k + 1 < len(words) else None
        noun = t.lower_ in ING_NOUNS and not (nxt is not None and nxt.tag_ in ("DT", "PRP$"))  # "painting a sign": the verb
        if t.lemma_.lower() in STILL_VERBS or noun or t.lower_[:-3] in STILL_VERBS:
            continue
        opening = all(w.dep_ in ("npadvmod", "advmod") for w in words[:k])
        after_time = k > 0 and words[k - 1].lemma_.lower() in lexicon.TIME_NOUNS and nxt is not None and nxt.pos_ in ("NOUN", "DET")
        if (opening and nxt is not None and nxt.tag_ in ("DT", "PRP$")) or after_time or (t.tag_ == "VBG" and opening_action(t, words)):
            return True
    return False


def _cut_short(doc) -> bool:
    """A phrase cut inside a noun phrase: an adverb that needs its preposition ("a cushion next"), an
    '-ing' word left after its noun ("single window letting"), a preposition's noun without the
    article or possessive it needs ("beside mountain bike")."""
    words = [t for t in doc if not t.is_punct]
    if not words:
        return False
    last = words[-1]
    if last.lower_ in NEEDS_PREP and last.pos_ in ("ADV", "ADJ", "ADP"):
        return True
    if (
        len(words) > 1
        and last.lower_.endswith("ing")
        and last.lower_ not in ING_NOUNS
        and last.lemma_.lower() not in STILL_VERBS
        and words[-2].pos_ == "NOUN"
        and words[-2].dep_ == "compound"
    ):
        return True
    first = words[0]
    if len(words) < 3 or first.pos_ != "ADP" or first.lower_ not in lexicon.LOCATIVE_PREPS:
        return False
    noun = next((c for c in first.children if c.dep_ == "pobj"), None)
    lemma = noun.lemma_.lower() if noun is not None else ""
    unsaid = noun is not None and noun.tag_ == "NN" and not any(c.dep_ in ("det", "poss", "nummod") for c in noun.children)
    uncountable = lemma in lexicon.MASS_NOUNS | lexicon.LIGHT_NOUNS | lexicon.TIME_NOUNS or lemma.endswith(("light", "water", "ness", "hour"))
    return unsaid and not uncountable and any(c.dep_ in ("compound", "amod") for c in noun.children)


def _stem(word: str) -> str:
    """'crouches' → 'crouch', 'falls' → 'fall': the bare form of an -s word ('' when it has none)."""
    for cut in (2, 1):
        if word.endswith("es"[2 - cut :]) and word[:-cut] in lexicon.MOTION_VERBS | lexicon.POSE_VERBS:
            return word[:-cut]
    return ""


def _verb_or_later(doc) -> bool:
    """A phrase that opens with a finite verb ("crouches beside a car", "smiles at the camera"),
    ends with a motion or pose verb after its noun ("light drizzle falls", "white veil crouches"),
    names a sound or smell ("the smell of rubber"), or says a later moment ("at the end", "then")."""
    words = [t for t in doc if not t.is_punct]
    if not words:
        return False
    first, last = words[0], words[-1]
    motion = (lexicon.MOTION_VERBS | lexicon.POSE_VERBS) - lexicon.HOLD_VERBS
    posed = first.tag_ == "NNS" and _stem(first.lower_) in lexicon.POSE_VERBS and len(words) > 1 and words[1].pos_ == "ADP"  # "crouches beside", tagged a noun
    # a plural noun the tagger read as a verb ("seagulls overhead", "reins in one hand") is no verb: only a motion's or a pose's word
    opens = (first.tag_ in ("VBZ", "VBP") and first.pos_ in ("VERB", "AUX") and len(words) > 1 and first.lemma_.lower() in motion) or posed
    verb_end = last.tag_ in ("VBZ", "VBP") or (last.tag_ == "NNS" and _stem(last.lower_) in lexicon.POSE_VERBS)  # "old leather skates": a noun
    ends = len(words) > 1 and verb_end and _stem(last.lower_) in motion and words[-2].pos_ in ("NOUN", "PROPN")
    sensed = any(t.lemma_.lower() in lexicon.SENSORY_NOUNS and any(c.lower_ == "of" for c in t.children) for t in words)
    later = re.search(r"\b(?:at|by) the end\b(?! of)|\b(?:then|finally|eventually|afterwards)\b", doc.text.lower()) is not None
    return opens or ends or sensed or later


def still_leaks(nlp: Language, spatial: str) -> list[str]:
    """Phrases of a spatial prompt that a still cannot show or that are cut: a clause with a finite
    verb, an action with its object, a phrase cut inside its noun phrase (see the helpers)."""
    phrases = [p.strip() for p in spatial.split(",") if p.strip()]
    return [p for p, doc in zip(phrases[1:], nlp.pipe(phrases[1:])) if _clause_in(doc) or _action_in(doc) or _cut_short(doc) or _verb_or_later(doc)]
