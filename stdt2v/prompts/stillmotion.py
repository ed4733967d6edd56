"""The last pass over the keyframe phrases for what moves or comes later: a still shows one instant.

- a finite verb inside a phrase goes: a phrase it opens keeps the verb's object ("flips skewers of
  chicken" → "skewers of chicken"); after a thing it keeps that thing and where it is ("shafts of pale
  light break through the fog" → "shafts of pale light through the fog"); after a person only the
  place stays ("mechanic rolls in a garage" → "in a garage");
- the goal of a motion ("into", "onto", "toward") is no place: a thing put there is said by where it
  goes ("sugar into a chipped mug of coffee" → "a chipped mug of coffee"), and a phrase that opens
  with the goal goes;
- what follows a time connective that puts it after the first action ("then", "later", "finally",
  "suddenly", a fronted "After a while, ...") is no part of the first frame, nor what a later action
  of the subject brings about ("switches off the lights, leaving only the streetlight"); what the
  subject only watches stays ("watching the lights of the boats");
- a camera move ("slow drone pull-away", "push-in", "orbit") is no picture; a framing ("close-up",
  "low angle") stays.

Looks and attire stay whatever their place in the prompt: who the person is does not change.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import perceives, performed_by_subject
from stdt2v.prompts.firstframe import first_frame_end
from stdt2v.prompts.keyclean import camera_move
from stdt2v.prompts.phrase import ATTIRE, LOOKS, PLACE, PROPS
from stdt2v.prompts.stillanchor import phrase_span, word_pattern

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["still_frame"]

# Prepositions of a motion's goal (a closed class): where a thing or a person ends up.
GOAL_PREPS = frozenset("into onto toward towards".split())
_GOAL = "|".join(sorted(GOAL_PREPS))
# Adverbs that put an event after the first instant (a closed class).
_LATER_ADVERBS = frozenset("then later finally eventually afterwards afterward subsequently suddenly abruptly soon next".split())
# Subordinators and prepositions that, fronted, put their sentence after what came before (a closed class).
_LATER_FRONTED = frozenset("after once later".split())
# Verbs of light, weather and things that move by themselves (a closed class), in their base form.
_SCENE_VERBS = frozenset(
    "break stream spill flood filter slant shine glow flicker flash fall pour seep pierce drift drip rise sway ripple crash splash swirl flutter".split()
    + "float glide dance tumble blow billow curl scatter roll rush swing spin creep sweep trickle".split()
)
_POSES = frozenset(lexicon.POSE_PARTICIPLES.values())
# Verbs that say how the person is, not what they do (a closed class).
_STATES = frozenset("be have wear seem appear look sport remain stay wait rest".split())
# Camera moves said as nouns or verbs (a closed class), beyond what ``keyclean.camera_move`` names.
_MOVES = re.compile(
    r"\b(?:(?:push|pull|dolly|zoom|crane|drone)[- ](?:ins?|outs?|backs?|aways?|ups?|downs?)|pull-?aways?|push-?ins?|fly-?(?:overs?|throughs?|bys?)|"
    r"(?:camera|drone|shot) (?:rises|descends|sweeps|glides|circles|orbits|swoops|follows|moves|pulls|pushes|drifts|reveals)|"
    r"orbit(?:s|ing)? (?:around|shot)|arc(?:s|ing)? around|(?:slow|fast|quick|smooth|gentle) (?:pan|tilt|zoom|dolly|crane|orbit|push|pull)s?|"
    r"(?:pan|tilt)s? (?:up|down|left|right)|rack focus|focus pull|boom (?:up|down)|trucks? (?:left|right))\b",
    re.IGNORECASE,
)
# Framings that name where the camera stands, not how it moves: never dropped as a move.
_FRAMING = re.compile(r"\b(?:close-?up|(?:wide|medium|long|full|low|high)[- ](?:shot|angle))\b", re.IGNORECASE)


def moving_camera(text: str) -> bool:
    """The phrase names a camera move (a static framing alone is no move)."""
    return bool(_MOVES.search(text) or camera_move(text))


def later_marks(doc: Doc) -> list[int]:
    """Indexes of the time connectives that follow an action and put what comes after them, in
    their sentence, later ("Then she ...", "Suddenly it dips", "After a while, he sits")."""
    acted, marks = False, []
    for t in doc:
        next_to = t.lower_ == "next" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to"  # "sits next to a window": a place
        if acted and t.lower_ in _LATER_ADVERBS and t.dep_ == "advmod" and t.head.pos_ in ("VERB", "AUX") and not next_to:
            marks.append(t.i)
        opens = t.i == t.sent.start or doc[t.i - 1].text in (",", ";", ":")
        if acted and opens and t.lower_ in _LATER_FRONTED and t.head.pos_ in ("VERB", "AUX") and t.head.i > t.i:
            marks.append(t.i)  # "After a while he sits ...": a fronted connective of its own clause
        acted = acted or (t.pos_ == "VERB" and t.tag_ in lexicon.FINITE_TAGS)
    return marks


def _finite(span: list[Token], text: str) -> Token | None:
    """A finite verb of the input said in the phrase: a present or past form the parse calls a verb,
    whatever it hangs it on ("flips skewers", tagged a compound); a participle before a noun is none."""
    doc = span[0].doc
    lead = [t for t in doc[max(0, span[0].i - 12) : span[0].i] if t.i > 0 and re.search(word_pattern(f"{t.nbor(-1).text} {t.text}"), text)]
    for t in [*lead, *span]:  # a rule may have joined the subject's words to the place ("mechanic rolls | in a dusty garage")
        if _verb_in_compound(t) and re.search(word_pattern(t.text), text) is not None:
            return t
        if t.pos_ != "VERB" or t.tag_ not in lexicon.FINITE_TAGS or re.search(word_pattern(t.text), text) is None:
            continue
        if t.tag_ == "VBD":
            continue  # "a chipped mug", "the sky streaked with pink", "lined with photographs": a past form in a phrase is mostly a participle
        if t.i > 0 and t.nbor(-1).tag_ in ("JJ", "DT", "PRP$", "IN", "CD"):
            continue  # "of bright sparks": a noun after its adjective, article or preposition, whatever the tag
        if t.lemma_.lower() in lexicon.POSE_VERBS and t.i == span[0].i:
            continue  # "crouches beside a car": said as a pose by ``stillanchor``
        return t
    return None


def _verb_in_compound(t: Token) -> bool:
    """A verb the tagger read as the head noun of a compound: 'rolls' of "a mechanic rolls out" (a
    plural after a person noun), 'break' of "pale light break through the fog" (a verb of scenery,
    before a preposition, in a sentence with no finite verb)."""
    before = t.nbor(-1) if t.i > 0 else None
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    if before is None or before.dep_ != "compound" or before.head.i != t.i or before.pos_ not in ("NOUN", "PROPN") or t.tag_ not in ("NN", "NNS"):
        return False
    if lexicon.is_person_noun(t) or t.lemma_.lower() in lexicon.PROP_NOUNS | lexicon.CLOTHING_NOUNS | lexicon.PLACE_NOUNS | lexicon.LIGHT_NOUNS:
        return False  # "police officers", "chef knives", "coffee shop"
    verbish = nxt is not None and nxt.pos_ in ("ADP", "DET", "PART", "ADV", "PRON")  # "rolls out", "scatters the grain"; not "family photographs."
    if (
        t.tag_ == "NNS"
        and verbish
        and (lexicon.is_person_noun(before) or (t.dep_ == "conj" and t.head.pos_ == "VERB" and nxt is not None and nxt.pos_ == "ADP"))
    ):
        return True  # "and a small silver perch flashes in the sunlight": a 'noun' joined to a verb is one
    verbless = not any(k.pos_ in ("VERB", "AUX") and k.tag_ in lexicon.FINITE_TAGS for k in t.sent)
    word = t.lower_[:-1] if t.tag_ == "NNS" and t.lower_.endswith("s") else t.lower_
    return verbless and nxt is not None and nxt.pos_ in ("ADP", "PART") and (word in _SCENE_VERBS or t.lemma_.lower() in _SCENE_VERBS)


def _person(words: str, span: list[Token]) -> bool:
    """Words that name a person ("mechanic", "a young farmer", "she")."""
    last = words.split()[-1].lower() if words.split() else ""
    token = next((t for t in span[0].doc[max(0, span[0].i - 12) : span[-1].i + 1] if t.lower_ == last), None)
    if token is None:
        return False
    return token.pos_ == "PRON" or token.lemma_.lower() in lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS or lexicon.is_person_noun(token)


def _without_verb(p, span: list[Token], verb: Token) -> str:
    """The phrase without its finite verb (see the module's doc); "" to drop it."""
    match = re.search(word_pattern(verb.text), p.text)
    before, after = p.text[: match.start()].strip(" ,"), p.text[match.end() :].strip(" ,")
    first = after.split(" ", 1)[0].lower() if after else ""
    particle = verb.i + 1 < len(verb.doc) and verb.nbor(1).tag_ == "RP" and first == verb.nbor(1).lower_
    if particle:
        after = after.split(" ", 1)[1] if " " in after else ""  # "rolls out from under": the particle goes with its verb
        first = after.split(" ", 1)[0].lower() if after else ""
    where = after if first in lexicon.LOCATIVE_PREPS and first not in GOAL_PREPS else ""
    if not before:  # "flips skewers of chicken": the object, said alone
        obj = _before_goal(after)
        return obj if len(obj.split()) > 1 and first not in lexicon.LOCATIVE_PREPS | GOAL_PREPS else ""
    if _person(before, span):
        return where if len(where.split()) > 1 else ""  # "mechanic rolls in a dusty garage": the place, not the person's act
    return f"{before} {where}".strip() if len(before.split()) > 1 or where else ""


def _before_goal(text: str) -> str:
    return re.split(rf"\s+(?:{_GOAL})\s+", text, maxsplit=1)[0].strip(" ,")


def _goal_mended(text: str) -> str:
    """Each comma item of the phrase without a motion's goal: "sugar into a chipped mug" → "a chipped
    mug"; an item that opens with the goal goes."""
    items = []
    for item in text.split(", "):
        lead, sep, goal = _goal_split(item)
        if not sep:
            items.append(item)
        elif lead.strip() and len(goal.split()) > 1 and goal.split(" ", 1)[0].lower() in ("a", "an", "the", "his", "her", "their", "its"):
            items.append(goal.strip())  # what the thing goes into is there already
    return ", ".join(items)


def _goal_split(item: str) -> tuple[str, str, str]:
    parts = re.split(rf"\b({_GOAL})\s+", item, maxsplit=1)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else (item, "", "")


def _later_result(head: Token, own: Span | None, cut: int) -> bool:
    """A thing a later action of the subject brings about ("switches off the lights, leaving only the
    streetlight"): the object of a verb of result said by that action or its participle; what the
    subject works on or only watches, and what goes on meanwhile ("while dust drifts"), is there already."""
    while head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head
    if head.dep_ not in ("dobj", "oprd") or head.head.lemma_.lower() not in lexicon.RESULT_VERBS:
        return False  # what the action makes or leaves; what it works on was there before, where it happens ("at a night market") is the scene
    for verb in head.ancestors:
        if perceives(verb) or _meanwhile(verb) or verb.pos_ != "VERB":
            return False
        if verb.i >= cut and performed_by_subject(verb, own):
            return True
        if verb.tag_ != "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return False  # only a participle of the action carries its result up to it
    return False


def _pose_after_action(p, span: list[Token]) -> bool:
    """A pose said by a finite verb joined after an action of the same series ("pours sweet tea ...,
    and leans against the hood"): taken after that action, not in the first frame."""
    if p.text.split(" ", 1)[0] not in _POSES:
        return False
    doc = span[0].doc
    verb = next((t for t in doc[max(0, span[0].i - 8) : span[-1].i + 1] if t.lemma_.lower() in lexicon.POSE_VERBS and t.tag_ in lexicon.FINITE_TAGS), None)
    tense = verb.tag_ if verb is not None else None
    while verb is not None and verb.dep_ == "conj" and verb.head.pos_ == "VERB" and verb.head.i < verb.i:
        verb = verb.head  # the same tense: "hair cropped close ..., sits at" is a participle the parse took for a verb
        if verb.tag_ == tense and verb.lemma_.lower() not in lexicon.POSE_VERBS | _STATES:
            return True
    return False


def _meanwhile(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in ("while", "as", "whilst") for c in verb.children)


def _marked(head: Token, position: int, marks: list[int]) -> bool:
    """Said after a later connective and inside the clause it marks, not in a clause of what goes on
    meanwhile ("then keeps knitting while snow falls outside": the snow is there from the start)."""
    doc = head.doc
    for m in (m for m in marks if m <= position and doc[m].sent.start == doc[position].sent.start):
        marked = doc[m].head
        for a in [head, *head.ancestors]:
            if a.i == marked.i or a.head.i == a.i:  # the marked clause, or the sentence it leads ("Suddenly the line jerks; ...")
                return True
            if a.pos_ in ("VERB", "AUX") and _meanwhile(a):
                break
    return False


def still_frame(doc: Doc, own: Span | None, phrases: list) -> list:
    """The phrases (phrase.Phrase) with no motion, camera move or later moment (see the module's doc)."""
    marks, cut = later_marks(doc), first_frame_end(doc, own)
    kept = []
    for p in phrases:
        span = phrase_span(doc, p)
        if moving_camera(p.text) and not _FRAMING.fullmatch(p.text.strip()):
            continue
        if p.kind not in (LOOKS, ATTIRE) and span:
            head = doc[p.head] if 0 <= p.head < len(doc) else None
            verb = _finite(span, p.text)
            said = " ".join(t.text for t in span)  # an earlier mend may have cut the verb from the text already
            event = (
                verb is not None or _finite(span, said) is not None or p.text.split(" ", 1)[0] in _POSES
            )  # what happens, or a pose taken: a thing or a light alone was there before
            if head is not None and event and (_marked(head, p.position, marks) or _pose_after_action(p, span)):
                continue  # "Suddenly ... a small silver perch flashes in the sunlight", "After a while he sits on ...": after the first frame
            if head is not None and p.kind > PLACE and cut < len(doc) and _later_result(head, own, cut):
                continue
            if verb is not None:
                p.text = _without_verb(p, span, verb)
            if p.kind != PLACE and p.text:
                p.text = _goal_mended(p.text)
            if p.kind == PROPS and p.text.split(" ", 1)[0].lower() in GOAL_PREPS:
                continue
        if p.text.strip(" ,"):
            kept.append(p)
    return kept
