"""Things the person carries or stands on, said where they are ("a fishing rod slung over his
shoulder", "on a surfboard", "a bar of steel in the tongs"), and a thing said once."""

from __future__ import annotations

import re

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.phrase import PROPS, Phrase
from stdt2v.prompts.phrasing import object_of
from stdt2v.prompts.words import as_text, is_subject_mention, is_thing


def said_twice(found: list[Phrase]) -> list[Phrase]:
    """A thing "nearby" that another phrase names already ("matcha in a bowl with a bamboo whisk",
    "a whisk nearby"): said once, where the input put it."""
    kept = []
    for p in found:
        noun = p.text.removesuffix(" nearby").rsplit(" ", 1)[-1].lower()
        others = (q.text.lower() for q in found if q is not p)
        if not (p.text.endswith(" nearby") and any(re.search(rf"\b{re.escape(noun)}\b", o) for o in others)):
            kept.append(p)
    return kept


def carried(doc, own, add, replace) -> None:
    """A thing carried on the body, said where it is: "with a fishing rod slung over his
    shoulder", "a vintage film camera hanging around her neck" (kept whole, whatever the verb)."""
    for noun in doc:
        if noun.pos_ != "NOUN" or not (is_thing(noun) or noun.lower_ == "camera") or noun.lemma_.lower() in lexicon.BODY_NOUNS | lexicon.CLOTHING_NOUNS:
            continue
        for verb in (c for c in noun.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD", "VBG") and c.lemma_.lower() in _CARRY):
            prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("over", "around", "on", "across", "from", "under")), None)
            body = object_of(prep) if prep is not None else None
            own_body = (
                body is not None and body.lemma_.lower() in lexicon.BODY_NOUNS and any(c.tag_ == "PRP$" and is_subject_mention(c, own) for c in body.children)
            )
            if own_body:
                tokens = [t for t in doc[noun.left_edge.i : body.i + 1] if t.i >= noun.left_edge.i]
                text = as_text(tokens, replace=replace)
                text = f"{tokens[0].lower_} {text}" if tokens[0].lower_ in ("a", "an") and not text.lower().startswith(("a ", "an ")) else text
                drawable = [t for t in tokens if t.i != verb.i and t.lower_ != "camera"]  # a camera round the neck is gear
                add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=text, drawable=drawable)


def right_after(verb) -> bool:
    """The verb follows its head noun's phrase at once ("a pair of long tongs holding ...")."""
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    return before is not None and before.pos_ == "NOUN" and (before.i == verb.head.i or before.head.head.i == verb.head.i)


# Participles of a thing carried on the body.
_CARRY = frozenset("sling hang drape strap tuck carry balance perch rest dangle".split())


# Things a person stands, lies or sits on while using them: "on a surfboard", never "in front of her".
MOUNTS = frozenset("skateboard surfboard snowboard longboard bodyboard paddleboard wakeboard sled raft kayak canoe bike bicycle motorcycle scooter".split())


def mounted(doc, own, add) -> None:
    """The first action names the thing the person is on ("a girl sleds down a hill", "a boy
    skateboarding down a ramp"): "on a sled", "on a skateboard"; a verb with an object of its
    own ("bikes a parcel across town") says something else and is left alone."""
    if own is None:
        return
    sent = own.sent
    verb = sent.root if sent.root.pos_ == "VERB" else None
    first = next((c for c in own.root.children if c.dep_ == "acl" and c.tag_ == "VBG"), None)
    verb = first if verb is None or verb.i == own.root.i else verb
    path = verb is not None and any(c.dep_ == "prt" for c in verb.children)  # "sleds down a slope": the slope is the path, not an object
    if verb is None or verb.i < own.root.i or (not path and any(c.dep_ == "dobj" for c in verb.children)):
        return
    lemma = verb.lemma_.lower()
    thing = lemma if lemma in MOUNTS else lemma[:-3] if lemma.endswith("ing") and lemma[:-3] in MOUNTS else None
    thing = thing or next((m for m in MOUNTS if lemma == m + "board" or (lemma.endswith("e") and lemma[:-1] == m)), None)
    if thing is not None and (verb.dep_ == "ROOT" or verb.head.i == own.root.i):
        add(PROPS, [verb], key=f"prop:{thing}", text=f"on {indefinite(thing)}", drawable=[])
