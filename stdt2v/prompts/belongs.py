"""Whose a thing is and where it is, for the keyframe prompt: worn by the subject said again
("She was a wiry woman with a thick sweater"), worn because a person noun is 'in' it ("a taxi
driver in a white kaftan"), set down by the subject ("with an open case at his feet"), a tool
used on a body part ("listens to the calf's chest with a stethoscope")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import attached_to_other_person, performed_by_subject, someone_elses
from stdt2v.prompts.phrasing import object_of
from stdt2v.prompts.words import as_text, graspable, is_abstract, is_subject_mention, is_thing

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["BODY", "BY_IT", "USED_INTO_VERBS", "VOICE_VERBS", "in_hand_ok", "nearby_ok", "other_wearer", "placed", "tool_on_a_part", "worn_by_person"]

# Body parts a hand's work names ("pressed her thumbs into the clay"): not things to draw alone.
BODY = lexicon.BODY_NOUNS | frozenset(
    "thumb thumbs palm palms fist fists elbow elbows forearm forearms ear ears toe toes nose cheek cheeks forehead brow ankle heel temple temples".split()
)
# Verbs whose "into X" uses X rather than puts something there: "sings into a microphone", "draws liquid into a pipette".
VOICE_VERBS = frozenset("sing speak talk whisper shout".split())
USED_INTO_VERBS = VOICE_VERBS | frozenset("draw scoop blow".split())

# Prepositions that put the subject by a thing, not the thing in a hand: "stands beneath a lantern".
BY_IT = frozenset("beneath under underneath below above behind beside near by next against".split())


def placed(obj, replace) -> tuple[list, str] | None:
    """'with an open case at his feet': the thing and where it is, in the input's words (a held
    thing would be said "in hand" instead)."""
    where = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in BY_IT | {"at", "on"} and object_of(c) is not None), None)
    if where is None or not is_thing(obj) or not any(c.dep_ in ("det", "poss") for c in obj.children) or object_of(where).lemma_.lower() == "hand":
        return None
    tokens = [t for t in obj.subtree if t.i <= object_of(where).i and not (t.dep_ == "poss" and t.head.i == obj.i)]
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in tokens) or tokens[0].dep_ == "cc":
        return None
    return tokens, as_text(tokens, replace=replace)


def other_wearer(token, own) -> bool:
    """Worn by another person, unless that person is the subject said again ("She was a wiry
    woman with cropped hair and a thick sweater": 'woman' is she)."""
    if not attached_to_other_person(token, own):
        return False
    person = next((a for a in token.ancestors if a.pos_ in ("NOUN", "PROPN") and a.lemma_.lower() in lexicon.PERSON_NOUNS), None)
    said_again = person is not None and person.dep_ == "attr" and any(c.dep_ == "nsubj" and c.lower_ in ("he", "she", "they") for c in person.head.children)
    return not said_again


def worn_by_person(prep, obj, own) -> bool:
    """'a taxi driver in a crisp white kaftan': what a person noun is 'in' is worn when it is a
    thing and no place, time or light, whatever the word."""
    person = prep.head.pos_ == "NOUN" and prep.head.dep_ in ("nsubj", "ROOT", "appos", "attr") and is_subject_mention(prep.head, own)
    common = obj.pos_ == "NOUN" or (obj.pos_ == "PROPN" and obj.text.islower())  # "kaftan" tagged a proper noun
    plain = obj.lemma_.lower() not in lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS | lexicon.MASS_NOUNS and common
    det = any(c.dep_ == "det" for c in [*obj.children, *obj.head.children] if c.i < obj.i)  # "a white kaftan hums": the article hangs on the verb
    return prep.lower_ == "in" and person and plain and is_thing(obj) and not _place_word(obj) and det


def _place_word(noun) -> bool:
    lemma = noun.lemma_.lower()
    return lemma in lexicon.PLACE_NOUNS or lemma.endswith(lexicon.PLACE_SUFFIXES) or (noun.pos_ == "PROPN" and not noun.text.islower())


def tool_on_a_part(prep, obj, own) -> bool:
    """'with a stethoscope' on "listens to the calf's chest": the parse hangs the tool on the part
    it touches (a noun with an owner) that the subject's own verb works on; the tool is in hand."""
    part = prep.head
    owned = part.pos_ == "NOUN" and any(c.dep_ == "poss" for c in part.children)
    verb = part.head.head if part.dep_ == "pobj" else part.head if part.dep_ == "dobj" else None
    acts = verb is not None and verb.pos_ == "VERB" and verb.lemma_.lower() not in lexicon.POSE_VERBS and performed_by_subject(verb, own)
    one = obj.tag_ == "NN" and any(c.dep_ == "det" for c in obj.children)
    return owned and acts and one and is_thing(obj) and graspable([obj])


def in_hand_ok(head: Token, own: Span | None) -> bool:
    """'X in hand': X is what the subject's own verb handles (its object, or 'with X')."""
    if head.lemma_.lower() in lexicon.MASS_NOUNS or head.lemma_.lower() in BODY or head.lower_ in ("liquid", "breath"):
        return False
    while head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "with a flock of goats and a wooden staff": the list's 'with'
    if head.dep_ == "pobj" and head.head.lower_ == "with" and is_subject_mention(head.head.head, own):
        return True  # "a shepherd boy with a wooden staff": the subject's own 'with'
    used = (
        head.head.lower_ not in ("to", "toward", "towards", "into", "onto", "off", "out", "behind", "under") or head.head.head.lemma_.lower() in USED_INTO_VERBS
    )
    verb = head.head if head.dep_ in ("dobj", "conj") else head.head.head if head.dep_ == "pobj" and used else None
    if verb is not None and head.head.lower_ == "with" and verb.pos_ in ("NOUN", "PROPN"):  # "a tennis swing with a racket": the action's verb
        verb = next((a for a in verb.ancestors if a.pos_ == "VERB"), None)
    while verb is not None and verb.dep_ == "conj" and verb.pos_ in ("NOUN", "PROPN"):
        verb = verb.head if verb.head.pos_ == "VERB" else None
    if verb is not None and (verb.pos_ == "ADJ" or verb.tag_ == "VBN"):  # "engrossed in his smartphone"
        return True
    if verb is None or verb.pos_ != "VERB" or (own is not None and someone_elses(verb, own)):
        return False  # a verb with no subject of its own is taken for the subject's (the parse hangs many on a nearby noun)
    # "rides a bicycle with a wicker basket": the 'with' says what the object has, not what the hand holds
    ridden = verb.lemma_.lower() in lexicon.RIDE_VERBS | {"drive", "push", "pedal"} and head.dep_ == "pobj" and head.head.lower_ == "with"
    return not ridden


_LIGHT_VERBS = frozenset("strike take make give have do".split())


def nearby_ok(head: Token) -> bool:
    """'X nearby': a concrete thing, not a body part, a garment (a shot called a 'jumper') or words,
    nor a verb the tagger read as a bare plural noun ("he pauses, squints toward the sea")."""
    lemma = head.lemma_.lower()
    nxt = head.nbor(1) if head.i + 1 < len(head.doc) else None
    bare = not any(c.dep_ in ("det", "amod", "compound", "nummod", "poss") for c in head.children)
    if head.dep_ == "dobj" and head.head.lemma_.lower() in _LIGHT_VERBS:
        return False  # "strikes a pose", "takes a breath": what the verb does, not a thing beside them
    if bare and head.tag_ == "NNS" and nxt is not None and nxt.lower_ in lexicon.PATH_PREPS | {"at"} and head.nbor(-1).pos_ != "ADP":
        return False
    if lemma in BODY | lexicon.CLOTHING_NOUNS or head.lower_ in BODY or lemma in ("word", "sentence", "line", "passage", "page", "text", "letter"):
        return False
    return is_thing(head) and not is_abstract(head)


def garment_worked(noun: Token, fastening: frozenset[str]) -> bool:
    """'knits a scarf', 'sews a dress': a garment the hands work on, said with 'a', is no garment worn
    ("puts on a coat", "wears a hat", "ties a scarf" dress the subject)."""
    verb = noun.head
    dressing = verb.lemma_.lower() in lexicon.DRESSING_VERBS | fastening | lexicon.LOOK_VERBS or any(c.dep_ == "prt" for c in verb.children)
    return noun.dep_ == "dobj" and not dressing and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)
