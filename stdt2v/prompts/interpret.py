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


def is_interpretation(root: Token, subject: Token) -> bool:
    overall = any(c.lower_ == "overall" for c in subject.children)
    if overall:
        return True
    lemmas = {s.lemma_.lower() for s in (subject, *subject.conjuncts)}  # "The warm light and lively setting convey ..."
    if root.lemma_.lower() in ("create", "set", "give") and interprets(root) and lemmas & (META_SUBJECTS | _PICTURE):
        return True  # "The setting creates a dynamic environment"; "the sunlight creates a warm atmosphere" names the sunlight
    if root.lemma_.lower() in _ONLY_INTERPRET and root.pos_ == "VERB":
        return True
    return root.lemma_.lower() in INTERPRETIVE_VERBS and bool(lemmas & META_SUBJECTS)
