"""Who does what, read off the parse: whether the main character performs a verb, whether a
phrase hangs off another person, whether a verb perceives its object rather than acting on it.
``spatial.static_phrases`` asks these before it keeps a phrase as the subject's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import is_other_person, is_subject_mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def attached_to_other_person(token: Token, own: Span | None) -> bool:
    """Does the phrase hang off another person ("students, in casual attire")?"""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("NOUN", "PROPN") and (ancestor.lemma_.lower() in lexicon.PERSON_NOUNS or ancestor.lower_ in lexicon.CROWD_NOUNS):
            return not is_subject_mention(ancestor, own)
        if ancestor.pos_ in ("VERB", "AUX"):
            subjects = [c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")]
            if any(is_other_person(s, own) for s in subjects):
                return True
    return False


def next_to(prep: Token) -> bool:
    return prep.lower_ == "to" and prep.head.lower_ in ("next", "close")


def perceives(verb: Token) -> bool:
    """'watching the waves': the object is seen, not a place the subject is in."""
    return verb.lemma_.lower() in _PERCEIVING


def seen_there(prep: Token) -> bool:
    """'looking up at the falling rain': the phrase names what is seen, not where the subject is.
    With the seen thing its object ("checks a chart in a corridor") the phrase is the place again."""
    return perceives(prep.head) and not any(c.dep_ == "dobj" for c in prep.head.children)


_PERCEIVING = frozenset("watch look gaze stare see observe view admire scan face overlook check inspect examine".split())


def subjects_verb(verb: Token, own: Span | None) -> bool:
    """A verb the main character performs: no subject of its own that is someone (or
    something) else, and not a participle describing another noun ("a view filling the window")."""
    if verb.pos_ != "VERB" or someone_elses(verb, own):
        return False
    return not (verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN") and not is_subject_mention(verb.head, own))


def performed_by_subject(verb: Token, own: Span | None) -> bool:
    """Does the main character do this? Up the chain of clauses ("sitting on a stool, playing a
    guitar", "before chopping vegetables") to the first subject, which must be theirs."""
    v = verb
    for _ in range(8):
        if v.pos_ not in ("VERB", "AUX"):
            return False
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:  # "Warm light, a man ... sits": a header the parse made a second subject
            return _persons(subjects, own)
        if v.dep_ in ("acl", "relcl"):
            return is_subject_mention(v.head, own) or _worn_by_subject(v.head, own)
        if v.dep_ == "pcomp" and v.head.dep_ == "prep":
            v = v.head.head
        elif v.dep_ in ("conj", "advcl", "xcomp"):
            v = v.head
        else:
            return False
    return False


def someone_elses(verb: Token, own: Span | None) -> bool:
    """A verb with a subject of its own that is not the main character ("waves crashed")."""
    body = lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS  # "short, graying hair sits upright": the parse's slip; hair is the subject's
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if _persons(subjects, own):
        return False  # "a fisherman with ... and a white headband sits": the parse's second subject is the last item of the person's 'with' list
    return any(not is_subject_mention(c, own) and c.lemma_.lower() not in body for c in subjects)


def _worn_by_subject(noun: Token, own: Span | None) -> bool:
    """A look or garment in the subject's own "with" phrase: "a man with a long white beard and a
    faded black beret playing an accordion": the parse hangs the verb on the beret, but he plays."""
    looks = lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS | frozenset(("ring", "eyeliner", "chain", "glasses", "earring"))
    t = noun
    for _ in range(6):
        if is_subject_mention(t, own):
            return t is not noun
        if t.lemma_.lower() not in looks and t.lower_ not in looks and t.dep_ not in ("prep",):  # "deep wrinkles": the list says the plural
            return False
        if t.dep_ not in ("conj", "pobj", "prep", "appos") or t.head.i == t.i:
            return False
        t = t.head
    return False


def _persons(subjects: list[Token], own: Span | None) -> bool:
    """One of the verb's subjects is the person, and no other subject is set off by a comma after
    them: in "a woman sitting by the window, rain streaking down the glass" the rain streaks, with
    its own subject, an absolute the parse hung on the same verb."""
    person = next((s for s in subjects if is_subject_mention(s, own)), None)
    if person is None:
        return False
    body = lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS  # "..., auburn hair pulled into a bun, leans": the person's hair, the parse's slip
    set_off = [s for s in subjects if s.i > person.i and s.left_edge.i > 0 and s.doc[s.left_edge.i - 1].text == ","]
    return not any(not is_subject_mention(s, own) and s.lemma_.lower() not in body for s in set_off)
