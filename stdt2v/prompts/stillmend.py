"""The last mend of each keyframe phrase against the parse of the input, so that every phrase is a
whole noun phrase (or a prepositional phrase of one) that a still can show:

- a clause inside a phrase loses its finite verb ("a pair of sheep graze on the bank" → "a pair of
  sheep on the bank"); a clause of a later event ("as the first customer knocks") goes;
- an action participle of the subject is no motion in the keyframe: the phrase is cut before it
  ("leaning against the wall drinking coffee" → "leaning against the wall"), or, where it opens
  the phrase, its object stays where the action puts it ("painting letters onto the wall" →
  "letters on the wall");
- a phrase cut inside a noun phrase gets the input's own words back: an adverb that needs its
  preposition ("a cushion next" → "a cushion next to her"), a modifier that lost its noun ("old
  leather" → "old leather skates"), a noun the tagger read as a verb ("bright neon holds"), a
  bare noun whose participle was left ("expression" → "focused expression"), a bare noun whose
  possessive was left ("on seat" → "on its seat"), said with the thing it belongs to;
- a predicate of a light is said with the light ("the lighting is bright fluorescent" → "bright
  fluorescent lighting");
- a noun of a shape the motion draws ("in long graceful arcs") is no thing.

Where no mend is sure, the phrase goes: a plain prompt beats a broken one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.phrase import ATTIRE, LOOKS
from stdt2v.prompts.stillanchor import ING_NOUNS, anchor_still
from stdt2v.prompts.stillanchor import phrase_span as _span
from stdt2v.prompts.stillanchor import said_between as _said
from stdt2v.prompts.stillanchor import word_pattern as _word
from stdt2v.prompts.stillmotion import still_frame
from stdt2v.prompts.words import is_subject_mention, is_thing

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["ING_NOUNS", "NEEDS_PREP", "PATH_SHAPES", "STILL_VERBS", "mend_still", "motion_participle", "opening_action"]

# Nouns of the shape a movement draws (a closed class): "in long graceful arcs", "in a slow circle".
PATH_SHAPES = frozenset("arc circle loop spiral zigzag curve figure-eight rhythm sweep swirl pirouette rotation lap".split())
# Adverbs that need a preposition after them ("next to", "close to", "ahead of", "out of").
NEEDS_PREP = frozenset("next close ahead out near prior according due".split())
# Subordinators of a clause that happens later or meanwhile ("as the customer knocks").
_EVENT_MARKS = frozenset("as when while until before after once whenever".split())
# Participles of the subject that are a state, not a motion: a pose, holding, wearing, looking.
STILL_VERBS = lexicon.POSE_VERBS | lexicon.HOLD_VERBS | lexicon.DRESSING_VERBS | frozenset("face look gaze stare wait rest pose smile".split())
_TO_PREP = {"into": "in", "onto": "on"}
# Subordinators the tagger may read as prepositions ("as the first customer knocks").
_CLAUSE_PREPS = frozenset("as while until when whenever".split())


def motion_participle(verb: Token, own: Span | None) -> bool:
    """An '-ing' verb of the subject's action with an object ("drinking coffee", "painting letters"),
    not a pose, a hold or a look, nor a participle that says how a thing is ("hair framing her face")."""
    if verb.tag_ != "VBG" or verb.pos_ != "VERB" or verb.dep_ in ("amod", "compound") or verb.lemma_.lower() in STILL_VERBS:
        return False
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.left_edge.i == verb.i + 1:  # "hiking boots", "running shoes": a compound's first word, however parsed
        return False
    return verb.dep_ in ("advcl", "xcomp", "conj", "ROOT") or (verb.dep_ == "acl" and is_subject_mention(verb.head, own))


def _finite_clause(doc: Doc, p, span: list[Token]) -> str | None:
    """The phrase without its clause's finite verb: its subject and where it is; "" when the clause
    is a later event or leaves nothing; None when there is no such clause."""
    for verb in span[1:]:
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and p.position <= c.i < verb.i and c.pos_ in ("NOUN", "PROPN")), None)
        if verb.tag_ not in ("VBZ", "VBP") or verb.pos_ != "VERB" or subject is None or re.search(_word(verb.text), p.text) is None:
            continue
        if verb.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in _EVENT_MARKS for c in verb.children):
            return ""  # "as the first customer knocks": a later event, and a sound
        start = max(subject.left_edge.i, p.position)
        places = [c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in lexicon.LOCATIVE_PREPS]
        said = [_said(doc, start, verb.i - 1), *(_said(doc, c.i, c.right_edge.i) for c in places)]
        text = " ".join(s for s in said if s)
        return text if len(text.split()) > 1 else ""
    return None


def _clause_as_object(doc: Doc, p, span: list[Token]) -> str | None:
    """'the first customer knocks' read as the object of 'as': a plural-tagged word after a singular
    noun, after a subordinator, is the clause's verb; the later event goes ("")."""
    last = span[-1]
    before = last.nbor(-1) if last.i > 0 else last
    clause = last.dep_ == "pobj" and last.head.lower_ in _CLAUSE_PREPS and last.tag_ in ("NNS", "VBZ") and before.tag_ == "NN" and before.dep_ == "compound"
    return "" if clause and re.search(_word(last.text), p.text) else None


def _ing_after_time(doc: Doc, p, span: list[Token], own: Span | None) -> str | None:
    """'... at night drinking coffee', 'at a counter slicing onions': an '-ing' word right after a time or a place, before its
    object, is the next action the tagger ran into the noun phrase; the phrase ends before it."""
    for t in span[1:]:
        prev, nxt = t.nbor(-1), (t.nbor(1) if t.i + 1 < len(doc) else None)
        placed = prev.dep_ == "pobj" and prev.head.lower_ in lexicon.LOCATIVE_PREPS and prev.pos_ == "NOUN"  # "at a counter slicing onions"
        # "a steel counter slicing onions" read as one noun phrase: 'a' cannot go with a plural head
        clash = (
            t.dep_ == "compound" and prev.pos_ == "NOUN" and t.head.tag_ == "NNS" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.head.children)
        )
        after_when = prev.lemma_.lower() in lexicon.TIME_NOUNS or placed or clash
        objectish = nxt is not None and nxt.pos_ in ("NOUN", "DET", "ADJ", "PRON")
        if not t.lower_.endswith("ing") or t.lower_ in ING_NOUNS or not after_when or not objectish or t.lemma_.lower() in STILL_VERBS:
            continue
        match = re.search(_word(t.text), p.text)
        before = p.text[: match.start()].strip(" ,") if match is not None else ""
        return before if len(before.split()) > 1 else None
    return None


def _stray_word(doc: Doc, p, span: list[Token]) -> str | None:
    """'a pair of sheep graze' of "a pair of sheep graze on the bank": a last word the parse made a
    compound's head while the next preposition goes to the phrase's noun is the clause's verb; the
    phrase says where its noun is instead ("a pair of sheep on the bank")."""
    last = _last_token(span, p.text)
    if last is None or last.i + 1 >= len(doc) or last.tag_ != "NN" or not p.text.endswith(last.text):
        return None
    compound = last.nbor(-1)
    prep = last.nbor(1)
    noun_before = prep.head.pos_ in ("NOUN", "PROPN") and p.position <= prep.head.i < last.i
    if compound.dep_ != "compound" or compound.head.i != last.i or prep.dep_ != "prep" or not noun_before:
        return None
    return f"{p.text[: -len(last.text)].strip()} {_said(doc, prep.i, prep.right_edge.i)}"


def _motion_cut(doc: Doc, p, span: list[Token], own: Span | None) -> str | None:
    """The phrase without the subject's action participle (see the module's doc); "" to drop it."""
    if p.kind in (LOOKS, ATTIRE):
        return None  # "a backpack, hiking boots and a cap": what is worn
    for verb in span:
        match = re.search(rf"(?<!\w){re.escape(verb.text)}(?![\w-])", p.text)  # "hand-painting": the word after a hyphen too
        if match is None or not (motion_participle(verb, own) or opening_action(verb, span)):
            continue
        start = match.start()
        if p.text[:start].endswith("-"):  # "hand-painting": the whole compound word goes
            start = p.text.rfind(" ", 0, start) + 1
        before = p.text[:start].strip(" ,")
        if before.rsplit(" ", 1)[-1].lower() in lexicon.LOCATIVE_PREPS | {"of", "with", "and", "a", "an", "the"}:
            continue  # "shelves of drying bowls": the '-ing' word is the noun's, not an action
        if len(before.split()) > 1:
            return before
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:  # the parse made the object the participle's head ("painting large letters onto the wall"): the words after it
            rest = p.text[match.end() :].strip(" ,")
            return re.sub(r"\b(?:into|onto)\b", lambda m: _TO_PREP[m.group(0)], rest) if len(rest.split()) > 1 else ""
        if not is_thing(obj) or obj.lemma_.lower() in lexicon.MASS_NOUNS:
            return ""
        said = [_said(doc, obj.left_edge.i, obj.i)]
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > obj.i and c.lower_ in lexicon.LOCATIVE_PREPS):
            said.append(f"{_TO_PREP.get(prep.lower_, prep.lower_)} {_said(doc, prep.i + 1, prep.right_edge.i)}")
        return " ".join(said)
    return None


def opening_action(verb: Token, span: list[Token]) -> bool:
    """A phrase that opens with an action's '-ing' word (a hyphened "hand-painting" too) taking an
    object that is put somewhere ("painting letters onto the wall", "pouring milk into a cup")."""
    lead = [t for t in span if t.i < verb.i]
    opens = all(t.dep_ in ("npadvmod", "punct", "advmod") for t in lead)
    moved = any(t.lower_ in ("onto", "into") for t in span if t.i > verb.i + 1)
    return verb.tag_ == "VBG" and opens and moved and verb.lemma_.lower() not in STILL_VERBS


def _last_token(span: list[Token], text: str) -> Token | None:
    words = text.split()
    last = words[-1] if words else ""
    return next((t for t in reversed(span) if t.text == last), None)


def _whole_end(doc: Doc, p, span: list[Token]) -> str | None:
    """The phrase with the input's own words back where the cut fell inside a noun phrase."""
    last = _last_token(span, p.text)
    if last is None:
        return None
    after = last.right_edge.i
    if last.pos_ in ("ADV", "ADP") and last.lower_ in NEEDS_PREP and last.i < after <= last.i + 5:
        return f"{p.text} {_said(doc, last.i + 1, after)}"  # "a cushion next" → "a cushion next to her"
    head = last.head
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    ends_there = head.i + 1 >= len(doc) or doc[head.i + 1].pos_ not in ("NOUN", "PROPN", "DET", "ADJ", "PRON")  # "apron kneads dough": a verb
    # "old leather": the phrase's own modifiers name the noun past its end ("an amp | buzzing": the article's noun is in it)
    headless = all(t.head.i == head.i for t in span if t.dep_ in ("amod", "det", "compound", "nmod") and t.i <= last.i)
    participle = head.lower_.endswith("ing") and head.lower_ not in ING_NOUNS  # "an amp | buzzing": the participle stays out
    verbless = not any(t.tag_ in lexicon.FINITE_TAGS and t.pos_ in ("VERB", "AUX") for t in head.sent)  # "a blue dress | glides across": its verb
    participle = participle or verbless or head.dep_ != "dobj"  # "in a faded denim shirt | hums along": no verb's object
    if (
        last.dep_ in ("amod", "compound", "nmod")
        and last.i < head.i <= last.i + 2
        and head.pos_ in ("NOUN", "PROPN")
        and ends_there
        and headless
        and not participle
    ):
        return f"{p.text} {_said(doc, last.i + 1, head.i)}"  # "old leather" → "old leather skates"
    ends = nxt is not None and nxt.tag_ == "VBZ" and (nxt.i + 1 == len(doc) or doc[nxt.i + 1].is_punct)
    item = list(doc[last.left_edge.i : last.i])
    tag = last.left_edge.i == 0 or doc[last.left_edge.i - 1].text == ","  # an item of a tag list, with no article ("bright neon holds,")
    moves = nxt is not None and nxt.lemma_.lower() in lexicon.MOTION_VERBS - lexicon.HOLD_VERBS  # "light drizzle falls": a verb ("neon holds": a noun)
    ends = ends and tag and not any(t.tag_ in ("DT", "PRP$") for t in item) and not moves
    if last.pos_ == "NOUN" and ends and not any(c.dep_ in ("dobj", "prep", "acomp", "attr") for c in nxt.children):
        return f"{p.text} {nxt.text}"  # "bright neon holds": a plural noun the tagger read as a verb, at a list item's end
    return None


def _dangling_verb(doc: Doc, p, span: list[Token]) -> str | None:
    """'single window letting' of "a single window letting in blue twilight": the '-ing' word whose
    words went to another phrase goes, and the noun keeps its article."""
    last = _last_token(span, p.text)
    if last is None or not last.lower_.endswith("ing") or last.lower_ in ING_NOUNS or len(span) < 2 or last.nbor(-1).pos_ != "NOUN":
        return None
    nxt = last.nbor(1) if last.i + 1 < len(doc) else None
    object_next = nxt is not None and nxt.pos_ not in ("PUNCT", "ADP", "CCONJ", "SCONJ") and last.nbor(-1).dep_ == "compound"  # "a garden planting tulip bulbs"
    if not object_next and not any(c.i > last.i and (c.dep_ in ("dobj", "prt") or (c.dep_ == "prep" and c.lower_ != "of")) for c in last.children):
        return None  # "an oil painting of a ship" is a thing
    text = re.sub(rf"\s*{_word(last.text)}\s*$", "", p.text).strip(" ,")
    det = span[0] if span[0].dep_ == "det" else None
    if det is not None and not text.lower().startswith(det.lower_ + " "):
        text = f"{det.text.lower()} {text}"  # "a single window": the article the phrase lost
    return text if text else ""


def _light_predicate(doc: Doc, p, span: list[Token]) -> str | None:
    """'bright fluorescent' of "the lighting is bright fluorescent": said with the light."""
    last = _last_token(span, p.text)
    if last is None or last.dep_ not in ("attr", "acomp") or last.head.lemma_ != "be":
        return None
    light = next((c for c in last.head.children if c.dep_ == "nsubj" and c.lemma_.lower() in lexicon.LIGHT_NOUNS), None)
    return None if light is None or re.search(_word(light.text), p.text) else f"{p.text} {light.text.lower()}"


def _bare_after_participle(doc: Doc, p, span: list[Token]) -> str | None:
    """'expression' of "focused expression": a one-word phrase gets the participle before it back."""
    if " " in p.text.strip() or len(span) != 1 or span[0].i == 0:
        return None
    before = doc[span[0].i - 1]
    opens = before.i == 0 or doc[before.i - 1].is_punct  # ", focused expression": a tag, not "he puffed smoke"
    return f"{before.text} {p.text}" if before.tag_ in ("VBD", "VBN") and before.lower_.endswith("ed") and opens else None


def _lost_possessive(doc: Doc, p, span: list[Token], phrases: list) -> str | None:
    """'on seat' of "a bicycle turned upside down on its seat and handlebars": the input's words
    back, said after the thing whose participle they belong to ("" when joined to it)."""
    words = p.text.split()
    last = next((t for t in reversed(span) if words and t.text == words[-1] and t.dep_ == "pobj" and t.head.text == words[0]), None)
    if len(words) > 2 and last is not None:  # "beside mountain bike": its possessive back
        obj = last
        owner = next((c for c in obj.children if c.dep_ == "poss" and c.i > obj.head.i), None)
        said = owner is not None and words[-1] == obj.text and re.search(_word(owner.text), p.text) is None
        bare = said and not any(c.dep_ == "det" for c in obj.children)
        return f"{words[0]} {owner.text.lower()} {' '.join(words[1:])}" if bare else None
    if len(words) != 2 or not span:
        return None
    obj = next((t for t in span if t.text == words[1] and t.dep_ == "pobj"), None)
    prep = obj.head if obj is not None else span[0]
    if prep.pos_ != "ADP" or obj is None or words != [prep.text, obj.text] or obj.tag_ != "NN":
        return None
    if not any(c.dep_ in ("poss", "det") for c in obj.children):
        return None
    said = _said(doc, prep.i, obj.right_edge.i)
    participle = prep.head
    while participle.pos_ in ("ADV", "ADP") and participle.head.i != participle.i:  # "turned upside down on its seat"
        participle = participle.head
    owner = participle.head if participle.tag_ == "VBN" and participle.dep_ == "acl" else None
    right_after = participle.i > 0 and participle.nbor(-1).pos_ == "NOUN" and participle.tag_ in ("VBD", "VBN") and participle.lower_.endswith("ed")
    subjectless = (
        not any(c.dep_ in ("nsubj", "nsubjpass") for c in participle.children) or participle.nbor(-1).dep_ == "pobj"
    )  # a preposition's noun is no subject
    if owner is None and right_after and subjectless:
        owner = participle.nbor(-1)  # "a bicycle turned upside down": the parse's verb is the noun's participle
    joined = next((q for q in phrases if q is not p and owner is not None and q.text.endswith(owner.text)), None)
    if joined is not None and participle.i > owner.i:
        joined.text = f"{joined.text} {_said(doc, participle.i, obj.right_edge.i)}"
        return ""
    return said


def _path_shape(doc: Doc, span: list[Token]) -> bool:
    """'long graceful arcs' of "casting a line in long graceful arcs": the shape of a motion."""
    head = next((t for t in reversed(span) if t.pos_ == "NOUN"), None)
    shape = head is not None and head.lemma_.lower() in PATH_SHAPES | lexicon.MOTION_NOUNS
    return shape and head.dep_ == "pobj" and head.head.lower_ in ("in", "with")


def mend_still(doc: Doc, own: Span | None, phrases: list) -> list:
    """Each phrase (phrase.Phrase) mended as the module's doc says, or left out."""
    kept = []
    for p in phrases:
        span = _span(doc, p)
        if span and _path_shape(doc, span):
            head = next(t for t in reversed(span) if t.pos_ == "NOUN")
            shape = re.search(rf"\s+{re.escape(head.head.text)}\s+[^,]*{_word(head.text)}$", p.text)
            if shape is None or len(p.text[: shape.start()].split()) < 2:
                continue
            p.text = p.text[: shape.start()]  # "on the dark stage in wide circles": the stage stays
        mends = (_clause_as_object, _finite_clause, _motion_cut_own(own), _ing_after_time_own(own), _dangling_verb, _stray_word, _light_predicate)
        for mend in (*mends, _whole_end, _bare_after_participle):
            text = mend(doc, p, span) if span else None
            if text is not None:
                p.text = text
                break
        text = _lost_possessive(doc, p, span, phrases) if span and p.text else None
        p.text = p.text if text is None else text
        if p.text.strip(" ,"):
            kept.append(p)
    return still_frame(doc, own, anchor_still(doc, own, [p for p in kept if not _action_restated(p, kept)]))  # no motion, camera move or later moment


def _action_restated(p, phrases: list) -> bool:
    """'hand-painting large letters' beside "large letters on the wall": the action's word on a
    thing another phrase says where it is."""
    first, _, rest = p.text.partition(" ")
    return first.lower().endswith("ing") and len(rest.split()) > 1 and any(q is not p and rest in q.text for q in phrases)


def _motion_cut_own(own: Span | None):
    return lambda doc, p, span: _motion_cut(doc, p, span, own)


def _ing_after_time_own(own: Span | None):
    return lambda doc, p, span: _ing_after_time(doc, p, span, own)
