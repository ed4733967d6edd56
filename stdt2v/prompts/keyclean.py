"""The last look at each keyframe phrase, and the self-check that reads what is left: a phrase
is a noun phrase a still can show, or it goes.

Read off the parse of the input, never off a word of one prompt:
- a time said as an adverbial ("every day", "that evening") is no thing: a time of day is said
  as one ("in the evening"), any other goes;
- a noun in its sound sense ("each ring of metal", "a loud bang") goes;
- what the subject means to do ("preparing for a sled run", "like every day") is not there yet;
- what is performed rather than held ("playing cricket", "replays a difficult passage"): the
  game or the piece is no thing in the hand; an instrument or a ball is;
- a definite bare plural "nearby" ("tuning the strings" → "strings nearby") is a part of a thing
  said elsewhere, not a thing beside the subject;
- a place reached by a later step ("then rests her head against the window") goes;
- a coordination never runs on into a clause ("a parka and his breath is visible" → "a parka");
- a body part that was the object of a look's preposition keeps the look ("freckles across her nose");
- a path preposition whose verb is gone keeps a preposition that fits its noun ("down the steep
  terraces" → "on the steep terraces", light "through a paper screen" said with the light).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.firstact import later_step
from stdt2v.prompts.phrase import LOOKS as _LOOKS
from stdt2v.prompts.phrase import PLACE as _PLACE
from stdt2v.prompts.phrase import PROPS as _PROPS
from stdt2v.prompts.style import FRAMING_CHANGE

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["camera_move", "clean_phrases", "framing_phrase", "keyframe_garbage", "sound_sense", "time_phrase"]

_FINITE = lexicon.FINITE_TAGS
# Determiners and words that make a time noun an adverbial of when, not a thing in the picture.
_WHEN_DETS = r"(?:every|each|that|this|one|some|next|last|the same|the next|the following|the previous)"
_TIME_WORDS = frozenset("day days week weekend month year time times morning afternoon evening night summer winter spring autumn fall season hour".split())
_TIMES_OF_DAY = {"morning": "in the morning", "afternoon": "in the afternoon", "evening": "in the evening", "night": "at night"}
# Adverbs of time and order: when, not what (a closed class).
_TIME_ADVERBS = frozenset(
    """then later first finally now again once soon afterwards afterward eventually meanwhile
    today tonight yesterday tomorrow daily always often sometimes usually""".split()
)
# Nouns that name only a sound (a closed class beside lexicon.SENSORY_NOUNS).
_SOUNDS = lexicon.SENSORY_NOUNS | frozenset(
    """thud clank clink jingle jangle chatter laughter shout scream yell whisper creak squeak
    rumble thunder boom howl honk beep ding clap whir whirr noise""".split()
)
# Nouns with a thing sense and a sound sense ("a ring" worn, "each ring of metal" heard).
_TWO_SENSE = frozenset("ring bang whistle chime crack pop snap click knock tap beat call cry toll peal rattle".split())
_LOUDNESS = frozenset("loud faint sharp distant muffled deafening quiet rhythmic steady metallic rhythmical thunderous".split())
# Verbs whose 'for' object is still to come ("preparing for a run", "waits for the bus").
_AWAITING = frozenset("prepare ready wait train practice head plan search look hope wish aim set gear".split())
# Verbs whose object, when the thing to do next, is no thing yet ("hopes to catch a train").
_INTENDING = frozenset("hope want plan intend try prepare aim wish decide mean need".split())
# Verbs whose object is performed (a game, a piece), unless it is an instrument or a ball.
_PERFORMING = frozenset("play practice replay rehearse perform sing hum whistle recite".split())
_INSTRUMENTS = frozenset(
    """guitar violin viola cello bass piano keyboard drum drums flute clarinet oboe bassoon saxophone sax trumpet trombone tuba horn harp
    ukulele banjo mandolin accordion harmonica organ sitar lute zither xylophone marimba tambourine bagpipes synthesizer fiddle""".split()
)
_LATER = frozenset("then later finally eventually afterwards afterward soon".split())
# A path's prepositions ("across the classroom" is said "in the classroom" already: places.add_place).
_ALONG = frozenset("down up along across over".split())
_WATERS = frozenset("sea ocean lake river pond pool water waves wave stream creek surf".split())


def time_phrase(text: str) -> str | None:
    """The phrase said as a time: "that evening" → "in the evening", "every day" → "" (nothing to
    show); None when the phrase is no time adverbial."""
    low = text.strip().lower()
    if low in _TIME_ADVERBS or low in ("at first", "at last", "at once"):
        return ""
    match = re.fullmatch(rf"(?:(?:like|on|for|during|in|at|by)\s+)?{_WHEN_DETS}\s+(\w+)", low)
    if match is None or match.group(1) not in _TIME_WORDS:
        return None
    return _TIMES_OF_DAY.get(match.group(1), "")


def sound_sense(noun: Token) -> bool:
    """The noun names a sound here: a sound noun, or a noun of two senses said as one heard
    ("each ring of metal", "a loud bang", "with every knock")."""
    lemma = noun.lemma_.lower()
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ == "compound":
        return False  # "a music stand": the stand
    thing_of = noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN"  # "sheets of music": the sheets
    if lemma in _SOUNDS or noun.lower_ in _SOUNDS:
        return not thing_of and not (noun.i + 1 < len(noun.doc) and noun.nbor(1).pos_ in ("NOUN", "VERB"))  # "a music stand"
    if lemma not in _TWO_SENSE:
        return False
    each = any(c.dep_ == "det" and c.lower_ in ("each", "every") for c in noun.children)
    loud = any(c.dep_ == "amod" and c.lower_ in _LOUDNESS for c in noun.children)
    return each or loud


def _conj_root(noun: Token) -> Token:
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head
    return noun


def purpose_object(noun: Token) -> bool:
    """What the subject means to do or awaits: "preparing for a sled run", "like every day",
    "hopes to catch the last train"."""
    top = _conj_root(noun)
    if top.dep_ == "pobj" and top.head.lower_ == "like":
        return True
    if top.dep_ == "pobj" and top.head.lower_ == "for" and top.head.head.lemma_.lower() in _AWAITING:
        return True
    verb = top.head if top.dep_ == "dobj" else None
    return verb is not None and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _INTENDING


def performed(noun: Token) -> bool:
    """A game or a piece that is played, not a thing held: "playing cricket", "replays a
    difficult passage" (not "plays the violin", "plays basketball": an instrument, a ball)."""
    lemma = noun.lemma_.lower()
    # the verb's own object, a common noun ("performing Bharatanatyam": a name stays; "plays guitar, the amp buzzing": the amp is there)
    if noun.dep_ != "dobj" or noun.head.lemma_.lower() not in _PERFORMING or noun.pos_ != "NOUN" or lemma in lexicon.PROP_NOUNS:
        return False
    return lemma not in _INSTRUMENTS and noun.lower_ not in _INSTRUMENTS and not lemma.endswith("ball") and lemma not in ("card", "cards")


def _part_nearby(noun: Token, text: str) -> bool:
    """'the strings' of "tuning the strings" said "strings nearby": a part of a thing, not beside them."""
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)
    bare = not any(c.dep_ in ("amod", "compound", "nummod", "poss") for c in noun.children)
    # the whole said before as a thing worked on ("tunes a cello, turning the pegs"), not a body part or a look
    whole = any(
        t.dep_ == "dobj"
        and t.pos_ == "NOUN"
        and t.lemma_.lower() != noun.lemma_.lower()
        and not {t.lemma_.lower(), t.lower_} & (_PARTS | lexicon.APPEARANCE_NOUNS)
        for t in noun.doc[: noun.i]
    )
    return text.endswith(" nearby") and noun.tag_ == "NNS" and definite and bare and whole


def _later_step(noun: Token) -> bool:
    """A place or thing of a step the input puts after another ("..., then rests her head against
    the window", "then turns, pops up and carves down the face of a wave": each step after a 'then')."""
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head if noun.dep_ == "dobj" else None
    if verb is None or verb.pos_ != "VERB":
        return False
    while True:
        if any(c.dep_ == "advmod" and c.lower_ in _LATER and c.i < verb.i for c in verb.children):  # "then rests", not "centered it, then"
            return True
        if later_step(verb):
            return True  # "at one point she misses a chord": a later step
        if verb.dep_ != "conj" or verb.head.i >= verb.i:
            return False
        if any(t.lower_ == "then" for t in verb.doc[verb.head.i + 1 : verb.i]):
            return True
        verb = verb.head


def _clause_after_and(doc: Doc, p) -> tuple[str, str | None] | None:
    """The phrase cut before an 'and' that opens a clause ("a parka with a hood and his breath
    is visible", "jeans and grips a worn bat"), and what a verb of holding there holds ("a worn
    bat in hand"); None when no such 'and' lies in it."""
    start = max(p.position, 0)
    for cc in doc[start : min(len(doc), start + len(p.text.split()) + 8)]:
        if cc.dep_ != "cc" or cc.i + 1 >= len(doc):
            continue
        nxt = cc.nbor(1)
        after = doc[cc.i + 2] if cc.i + 2 < len(doc) else None
        modifier = nxt.dep_ in ("amod", "compound") or (after is not None and after.pos_ in ("ADJ", "NOUN", "PROPN") and nxt.tag_ == "VBD")  # "and faded jeans"
        finite = nxt.tag_ in _FINITE and nxt.pos_ in ("VERB", "AUX") and not modifier
        # "jeans and grips a worn bat": a plural 'noun' right before an article is a verb taking its object
        finite = finite or (nxt.tag_ == "NNS" and cc.i + 2 < len(doc) and doc[cc.i + 2].tag_ in ("DT", "PRP$"))
        run = list(doc[cc.i + 1 : min(len(doc), cc.i + 6)])
        stop = next((k for k, t in enumerate(run) if t.is_punct), len(run))
        lead = next((k for k, t in enumerate(run) if t.pos_ not in ("DET", "PRON", "ADJ", "NOUN", "PROPN", "NUM")), len(run))
        # "and his breath is visible": the clause's subject right after the 'and' (not "and determined as she pedals")
        subject = any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i > t.i and t.head.tag_ in _FINITE for t in run[: min(stop, lead)])
        # "and his thin white hair appears damp": a noun phrase, then a finite verb the parse left with no subject of its own
        unsubjected = lead < stop and lead >= 2 and run[0].tag_ == "PRP$" and run[lead].tag_ in _FINITE and run[lead].pos_ in ("VERB", "AUX")
        unsubjected = unsubjected and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in run[lead].children)
        if not (finite or subject or unsubjected):
            continue
        match = re.search(rf"\s*,?\s+{re.escape(cc.text)}\s+{re.escape(nxt.text)}(?![\w-])", p.text)
        if match is None:
            continue
        stem = nxt.lower_[:-1] if nxt.lower_.endswith("s") else nxt.lemma_.lower()
        held = p.text[match.end() :].strip(" ,")
        holds = stem in lexicon.HOLD_VERBS | lexicon.HANDLING_VERBS and re.fullmatch(r"(?:a|an|the|his|her|their) [\w -]+", held) is not None
        look = not holds and run[0].tag_ == "PRP$" and {t.lemma_.lower() for t in run[1:lead]} & lexicon.APPEARANCE_NOUNS and lead < stop
        if look:  # "and his thin white hair appears damp": the look stays, its own phrase
            return p.text[: match.start()].strip(" ,"), " ".join(t.text for t in run[1:lead])
        return p.text[: match.start()].strip(" ,"), f"{held} in hand" if holds else None
    return None


def _look_before_part(doc: Doc, p) -> str | None:
    """'her nose' of "freckles across her nose": the look and its preposition put back before it."""
    words = p.text.split()
    start = p.position
    if 0 < start < len(doc) and doc[start].tag_ != "PRP$" and doc[start - 1].tag_ == "PRP$" and words and doc[start].text == words[0].strip(","):
        start, words = start - 1, [doc[start - 1].text, *words]  # "nose, dark brown eyes": its owner went too
    first = doc[start] if 0 <= start < len(doc) else None
    if first is None or first.tag_ != "PRP$" or first.lower_ != words[0].lower() or len(words) < 2 or start < 2 or start + 1 >= len(doc):
        return None
    prep, look = doc[start - 1], doc[start - 2]
    part = words[1].strip(",").lower() in _PARTS or first.nbor(1).lemma_.lower() in _PARTS
    look_word = {look.lower_, look.lemma_.lower()} & lexicon.APPEARANCE_NOUNS  # "freckles", which the tagger may take for a verb
    if prep.pos_ != "ADP" or prep.lower_ == "with" or not look_word or not part:  # "railing, with his chin resting ...": no look
        return None
    return f"{look.text} {prep.text} {' '.join(words)}"


_PARTS = lexicon.BODY_NOUNS | frozenset("nose cheek cheeks forehead chin brow temple temples neck shoulders".split())


def _compound_participle(doc: Doc, p, head: Token) -> str | None:
    """'dusted apron' of "his flour dusted apron": the noun of a participle before its noun kept, hyphened ("flour-dusted apron")."""
    if head.i < 3:
        return None
    participle, noun, owner = doc[head.i - 1], doc[head.i - 2], doc[head.i - 3]
    said = f"{participle.text} {head.text}"
    if participle.tag_ not in ("VBD", "VBN") or noun.pos_ != "NOUN" or owner.tag_ not in ("PRP$", "DT") or not p.text.startswith(said):
        return None
    if noun.lemma_.lower() in lexicon.PERSON_NOUNS or noun.lower_ in p.text.lower().split():
        return None
    return f"{noun.text}-{p.text}"


def _of_kept(doc: Doc, p, head: Token) -> str | None:
    """'lump on a wooden table' of "a lump of gray clay on a wooden table": the head's 'of' phrase put back."""
    of = head.nbor(1) if head.i + 1 < len(doc) else None
    if of is None or of.lower_ != "of" or of.head.i != head.i:
        return None
    obj = next((c for c in of.children if c.dep_ == "pobj"), None)
    if obj is None or obj.pos_ != "NOUN" or f"{head.text} of " in p.text:
        return None
    words = "".join(t.text_with_ws for t in doc[of.i : obj.i + 1]).strip()
    match = re.search(rf"(?<![\w-]){re.escape(head.text)}(?![\w-])", p.text)
    return None if match is None else f"{p.text[: match.end()]} {words}{p.text[match.end() :]}"


def _fitting_preposition(doc: Doc, p, head: Token, phrases: list) -> str | None:
    """A path phrase whose verb is gone ("in the steep terraces" of "down the steep terraces"):
    'on' for a path along a surface, the input's own 'through' said with a light that comes
    through it ("afternoon light through a paper screen"); "" when merged into the light."""
    prep = head.head if head.dep_ == "pobj" else None
    if prep is None or prep.lower_ not in _ALONG | {"through"}:
        return None
    tail = doc[head.i + 1 : p.end + 1]
    end = p.end if len(tail) and not any(t.is_punct or t.pos_ in ("VERB", "AUX", "CCONJ") for t in tail) else head.i  # "the steep terraces of a vineyard"
    rest = re.sub(r"\s*,\s*", " ", "".join(t.text_with_ws for t in doc[prep.i + 1 : end + 1]).strip())  # "a wide dry prairie": one phrase, no comma
    said = p.text.split(" ", 1)[0].lower()
    if said == prep.lower_ or not rest:
        return None
    if p.kind == _PLACE and prep.lower_ in ("down", "up") and head.lemma_.lower() not in _WATERS and said in ("in", "by"):
        return f"on {rest}"
    source = prep.head.head if prep.head.dep_ in ("acl", "relcl") else next((c for c in prep.head.children if c.dep_ == "nsubj"), None)
    light = next((q for q in phrases if q is not p and source is not None and q.text.endswith(source.text)), None)
    if prep.lower_ == "through" and source is not None and source.lemma_.lower() in lexicon.LIGHT_NOUNS and light is not None:
        light.text = f"{light.text} through {rest}"
        return ""
    return None


def _verb_in_disguise(doc: Doc, p) -> Token | None:
    """'flour kneads dough' of "a white apron dusted with flour kneads dough": a plural 'noun' in
    a compound, in a sentence with no finite verb, is that sentence's verb."""
    span = list(doc[p.position : p.end + 1]) if p.end >= p.position >= 0 else []
    for t in span[1:]:
        verbless = not any(k.tag_ in _FINITE and k.pos_ in ("VERB", "AUX") for k in t.sent)
        if t.tag_ == "NNS" and t.dep_ == "compound" and t.head.i == t.i + 1 and t.nbor(-1).pos_ == "NOUN" and verbless:
            return t
    return None


def _series_verb(doc: Doc, p) -> Token | None:
    """'in Nazare, Portugal, ducks under a wave': a plural 'noun' set beside a place's name, taking
    a preposition, is the next verb of a series (the place ends before its comma)."""
    span = list(doc[p.position : p.end + 1]) if p.end >= p.position >= 0 else []
    for t in span[1:]:
        named = t.head.pos_ == "PROPN" and t.dep_ in ("appos", "conj") and t.nbor(-1).text == ","
        if t.tag_ in ("NNS", "VBZ") and t.text.islower() and named and any(c.dep_ == "prep" and c.i == t.i + 1 for c in t.children):
            return t
    return None


def _head(doc: Doc, p) -> Token | None:
    if 0 <= p.head < len(doc):
        return doc[p.head]
    span = list(doc[p.position : p.end + 1]) if p.end >= p.position >= 0 else []
    nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else None


def clean_phrases(doc: Doc, phrases: list) -> list:
    """Each phrase (phrase.Phrase) checked as the module's doc says: mended, said as a time, or left out."""
    kept = []
    for p in phrases:
        when = time_phrase(p.text)
        if when is not None:
            if when and not any(q.text.lower() == when for q in kept):
                p.text = when
                kept.append(p)
            continue
        p.text = re.sub(rf"\s+(?:like\s+)?(?:every|each)\s+(?:{'|'.join(sorted(_TIME_WORDS))})$", "", p.text)  # "an apron every day"
        head = _head(doc, p)
        if head is not None and re.search(rf"(?<![\w-]){re.escape(head.text)}(?![\w-])", p.text) is None:
            head = None  # "an amp" with 'buzzing' for its head: the parse's noun is not the phrase's
        if head is not None and (sound_sense(head) or purpose_object(head) or performed(head) or _part_nearby(head, p.text)):
            continue
        # a look of the subject stays ("then wipes his brow"); "the face of a wave" is no look
        if head is not None and _later_step(head) and (p.kind != _LOOKS or any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)):
            continue
        if (cut := _clause_after_and(doc, p)) is not None:
            if cut[1] is not None and cut[1].endswith(" in hand"):  # "and grips a worn wooden bat": the bat in hand, a phrase of its own
                kept.append(type(p)(_PROPS, p.position + 1, cut[1], f"prop:{cut[1].split()[-3]}", p.end, -1))
            elif cut[1] is not None:  # "and his thin white hair appears damp": the look
                kept.append(type(p)(_LOOKS, p.position + 1, cut[1], f"look:{cut[1].split()[-1]}", p.end, -1))
            if not cut[0] or cut[0].rsplit(" ", 1)[-1].lower() in ("a", "an", "the", "with", "and", "of", "in", "on"):
                continue
            p.text = cut[0]
        if (verb := _verb_in_disguise(doc, p)) is not None and re.search(rf"(?<![\w-]){re.escape(verb.text)}(?![\w-])", p.text):
            before = re.split(rf"\s*(?<![\w-]){re.escape(verb.text)}(?![\w-])", p.text, maxsplit=1)[0].strip(" ,")
            if len(before.split()) < 2:
                continue  # "flour kneads dough in hand": nothing drawable before the verb
            p.text = before
        if (series := _series_verb(doc, p)) is not None and f", {series.text} " in p.text:
            p.text = p.text.split(f", {series.text} ", 1)[0].strip(" ,")
        p.text = _look_before_part(doc, p) or p.text
        if head is not None:
            p.text = _compound_participle(doc, p, head) or _of_kept(doc, p, head) or p.text
        if head is not None and (fitted := _fitting_preposition(doc, p, head, phrases)) is not None:
            if not fitted:
                continue
            p.text = fitted
        kept.append(p)
    return kept


# --- the self-check: what is left of these in a finished spatial prompt ---

_CAMERA_MOVES = re.compile(
    r"\b(?:static camera|camera (?:moves|remains|follows|tracks|pans|tilts|zooms|circles|pushes|pulls)|slow[- ]motion|time[- ]lapse|tracking|dolly|"
    r"pans? (?:left|right|across|over|to)|panning|tilts? (?:up|down)|zooms? (?:in|out)|zooming|slow zoom|whip pan|crane shot|steadicam|handheld|"
    r"push[- ]ins?|pull[- ](?:outs?|backs?)|dolly[- ](?:in|out)|orbit(?:s|ing)?|arc shot|"
    rf"{FRAMING_CHANGE})\b",
    re.IGNORECASE,
)
_FRAMINGS = re.compile(
    r"\b(?:extreme )?close-?up\b|\b(?:medium|wide|long|full|establishing|drone|aerial|overhead|cowboy|two)(?:[- ](?:static|still|fixed|locked-off))?[- ]shot\b"
    r"|\bfull[- ]body\b|\bover-the-shoulder\b",
    re.IGNORECASE,
)


def framing_phrase(phrase: str) -> bool:
    """The phrase names the shot's framing ("overhead drone shot", "extreme close-up")."""
    return _FRAMINGS.search(phrase) is not None


def camera_move(phrase: str) -> bool:
    """A style phrase that names a move or the camera's stillness ("static camera", "slow motion"):
    nothing an image shows."""
    return _CAMERA_MOVES.search(phrase) is not None


def _verb_after(words: list, k: int) -> bool:
    """A finite verb, or a plural 'noun' taking an article as its object ("and grips a bat")."""
    nxt = words[k + 1] if k + 1 < len(words) else None
    return words[k].tag_ == "VBZ" or (words[k].tag_ == "NNS" and nxt is not None and nxt.tag_ in ("DT", "PRP$"))


_WHEN_SAID = re.compile(r"\b(?:every|each) (?:day|week|morning|evening|night|time)\b|\bthen\b|\bthat (?:day|evening|night|morning)\b")


def keyframe_garbage(nlp: Language, spatial: str) -> list[str]:
    """Phrases of a spatial prompt a rater calls garbage: a bare possessed body part ("her nose"),
    a finite verb after 'and' ("and grips a bat"), a time adverbial ("every day", "then"), a
    sound ("each ring of metal"), a camera move, and a second framing."""
    phrases = [p.strip() for p in spatial.split(",") if p.strip()]
    out = []
    for phrase, doc in zip(phrases[1:], nlp.pipe(phrases[1:])):  # one batched parse, not one call per phrase
        low = phrase.lower()
        words = [t for t in doc if not t.is_punct]
        if len(words) == 2 and words[0].tag_ == "PRP$" and words[1].lemma_.lower() in _PARTS:
            out.append(phrase)
        elif any(t.lower_ in ("and", "then") and k + 1 < len(words) and _verb_after(words, k + 1) for k, t in enumerate(words)):
            out.append(phrase)
        elif time_phrase(phrase) is not None or _WHEN_SAID.search(low):
            out.append(phrase)
        elif any(sound_sense(t) for t in doc if t.dep_ in ("ROOT", "pobj", "dobj", "nsubj")):
            out.append(phrase)
        elif camera_move(phrase):
            out.append(phrase)
    framings = [p for p in phrases if _FRAMINGS.search(p)]
    if len(framings) > 1:
        out.append(f"two framings: {framings[0]} / {framings[-1]}")
    return out
