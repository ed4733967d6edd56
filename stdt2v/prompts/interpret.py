"""Interpretation in captions: sentences and participles that read the picture ("The warm light
conveys the joy of a game", ", creating a serene atmosphere") rather than show it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

HEDGE_VERBS = frozenset("suggest indicate imply hint signify reflect reinforce".split())


# Subjects of a sentence that interprets rather than shows ("The presence of ... emphasizes",
# "His posture suggests", "The overall atmosphere is serene").
_PICTURE = frozenset("scene video clip footage background setting environment lighting composition".split())
META_SUBJECTS = frozenset("presence atmosphere mood setting overall posture ambiance ambience tone feeling sense impression".split())
INTERPRETIVE_VERBS = HEDGE_VERBS | frozenset("convey emphasize highlight evoke showcase symbolize underscore add enhance contribute".split())


# What "creating a serene atmosphere" creates: a mood, not a thing to draw.
MOOD_NOUNS = frozenset(
    "atmosphere mood sense feeling ambiance ambience impression vibe effect environment tone air aura experience tranquility serenity essence calmness".split()
)


JUDGING_VERBS = frozenset("highlight emphasize enhance evoke convey symbolize underscore accentuate".split())


def purpose_clause(verb) -> bool:
    """'designed to provide comfort', 'meant to evoke': what a thing is for, not what it looks like."""
    return verb.lower_ in ("designed", "intended", "meant") and any(c.dep_ == "xcomp" for c in verb.children)


def of_the_picture(verb) -> bool:
    """'enhancing the peaceful domestic scene': a judgement on the picture, whatever the participle hangs on."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.lemma_.lower() in _PICTURE | MOOD_NOUNS


def interprets(verb: Token) -> bool:
    """A verb of interpretation ("suggesting", "conveying", "enhancing"), or one that makes a mood
    ("creating a dreamy atmosphere"); "creating ripples" describes, and stays."""
    lemma = verb.lemma_.lower()
    if lemma in INTERPRETIVE_VERBS:
        return True
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return lemma in ("create", "capture", "set", "give") and obj is not None and obj.lemma_.lower() in MOOD_NOUNS


# Verbs nothing visible does: whatever their subject, the sentence reads the picture ("The warm light
# and lively setting convey the joy of a game", "Her smile evokes nostalgia").
_ONLY_INTERPRET = frozenset("convey evoke symbolize signify underscore imply".split())


# A mood said as a state ("The atmosphere is calm and creative"): what the sentence's subject can be.
_FELT = frozenset("atmosphere mood ambiance ambience vibe tone feeling feel aura".split())
# How the air of a place looks, said of its "atmosphere" (a closed class of sight words): drawn, not read.
_SEEN_AIR = frozenset("hazy smoky foggy misty dusty steamy murky dim dark bright sunny cloudy rainy snowy windy".split())


def _overall(word: str) -> bool:
    """'overall', and the way it is mistyped ('overal', 'overrall', 'ovarall')."""
    return word == "overall" or (word.startswith("ov") and word.endswith("l") and 6 <= len(word) <= 8 and set(word) <= set("overal"))


def _mood_state(root: Token, subject: Token) -> bool:
    """'The atmosphere is calm and creative', 'The mood of the scene is festive': a mood said
    with only adjectives after the copula reads the picture; nothing in it can be drawn."""
    if subject.lemma_.lower() not in _FELT or root.lemma_ != "be":
        return False
    rest = [c for c in root.children if c.i > root.i and c.dep_ not in ("punct", "advmod")]
    seen = [*rest, *(c for r in rest for c in r.children if c.dep_ == "conj")]
    if any(c.lower_ in _SEEN_AIR for c in seen):
        return False  # "The atmosphere is hazy and smoky": the air is seen
    return bool(rest) and all(c.dep_ == "acomp" and c.pos_ == "ADJ" for c in rest)


def is_interpretation(root: Token, subject: Token) -> bool:
    overall = any(_overall(c.lower_) for c in subject.children)
    if overall or _mood_state(root, subject):
        return True
    lemmas = {s.lemma_.lower() for s in (subject, *subject.conjuncts)}  # "The warm light and lively setting convey ..."
    if root.lemma_.lower() in ("create", "set", "give") and interprets(root) and lemmas & (META_SUBJECTS | _PICTURE):
        return True  # "The setting creates a dynamic environment"; "the sunlight creates a warm atmosphere" names the sunlight
    if root.lemma_.lower() in _ONLY_INTERPRET and root.pos_ == "VERB":
        return True
    return root.lemma_.lower() in INTERPRETIVE_VERBS and bool(lemmas & META_SUBJECTS)
