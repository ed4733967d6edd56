"""The place, the light and the time of a keyframe where the parse hides them: a place noun no word
list knows ("in a flooded rice paddy"), a light said with its verb ("late-morning sun slants through
a dusty window" → "late-morning sun through a dusty window"), a light or a time in a camera header
("Tracking shot, night, sodium streetlights: a man ...")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.words import as_text, is_place, is_thing

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Span, Token

__all__ = ["at_time", "bare_time", "said_time", "header_scene", "light_chunk", "light_paths", "light_words", "located_noun", "place_items", "weather_and_time"]

# Nouns that say how, not where, after 'in' or 'at' ("in a steady rhythm", "at a brisk pace"): a closed class.
_MANNER = frozenset(
    "pace speed rate voice tone whisper motion rhythm manner fashion style arc line lines circle circles row rows succession unison silence"
    " trance daze hurry rush state condition stream burst fit instant second minute hour series position posture stance angle order"
    " tempo beat mode shot close-up closeup frame frames focus profile slow-motion".split()
)
# Mass nouns that are the ground or the weather one is in ("across a windy salt flat", "through the deep snow").
_GROUNDS = frozenset("sand snow water mist fog haze rain mud ice grass salt".split())
# Prepositions after which an unknown modified noun is where the subject is.
# ("over" is left out: "vaults over a low ledge" is the path of an action, not where one is.)
_WHERE_PREPS = frozenset("in inside at within amid amidst across through along thru".split())
# Light nouns that are light itself (a lamp 'hangs from' something; light 'falls through' it).
_LIGHT = (lexicon.LIGHT_NOUNS - {"lamp", "lamps"}) | {"sun", "moon", "sunbeam", "sunbeams", "ray", "rays", "beam", "beams", "sunshine"}
# Where a light falls or shines: the preposition the keyframe keeps ('into' is 'in' once it is there).
_LIGHT_PREPS = {"through": "through", "across": "across", "over": "over", "on": "on", "onto": "on", "into": "in", "in": "in", "from": "from"}
_LIGHT_PREPS |= {"along": "along", "between": "between", "upon": "on", "under": "under", "thru": "through"}


def located_noun(noun: Token, bare_at: bool = False) -> bool:
    """A concrete noun named with an article and a describing word ("a flooded rice paddy", "a windy
    salt flat"): after a preposition of place it is where the subject is, though no list names it.
    ``bare_at``: after 'at' or 'along' the article alone will do ("feeds ducks at a pond", "at a campsite"), and
    after 'in' or 'on' where the verb takes no object ("dozes in a cabin"; "keeps the key in a box" is no place)."""
    words = {noun.lemma_.lower(), noun.lower_}
    unknown = noun.tag_ in ("JJ", "JJR") and noun.dep_ == "pobj" and noun.i > 0 and noun.nbor(-1).pos_ in ("ADJ", "NOUN", "PROPN")  # "a crowded Marrakech souk"
    if not unknown and (noun.pos_ != "NOUN" or noun.tag_ != "NN" or not is_thing(noun)) or words & _MANNER:
        return False
    closed = lexicon.CLOTHING_NOUNS | lexicon.PROP_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS | (lexicon.MASS_NOUNS - _GROUNDS)
    if words & closed:
        return False
    det = any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in noun.children)
    described = any(c.dep_ in ("amod", "compound") and c.i < noun.i for c in noun.children)
    site = bare_at and noun.head.lower_ in ("at", "along") and noun.head.dep_ == "prep"
    verb = noun.head.head
    alone = verb.pos_ == "VERB" and verb.i < noun.head.i and not any(c.dep_ in ("dobj", "dative") for c in verb.children)
    of = [k for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for k in c.children if k.dep_ == "pobj"]
    alone = alone and not any(k.lemma_.lower() in lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS for k in of)  # "in the quiet of the evening": a time
    site = site or (bare_at and alone and noun.head.lower_ in ("in", "inside", "on", "aboard") and noun.head.dep_ == "prep")
    return det and (described or site)


# Verbs whose hands work inside a thing ("writing in a small diary", "rummaging in a bag"): the thing is no place.
_WORK_IN = frozenset("write scribble draw sketch doodle paint note jot read type rummage dig search fumble root dip peer look glance stare".split())


def where_prep(prep: Token) -> bool:
    """A preposition of place whose verb does not work inside its object."""
    inside = prep.lower_ in ("in", "inside", "within", "through", "thru")  # "looks up at an archery range" is still where one is
    return prep.lower_ in _WHERE_PREPS and not (inside and prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in _WORK_IN)


def light_chunk(token: Token) -> list[Token]:
    """The light noun with its own describing words before it, where the parse gives it no noun
    chunk ("Slow push-in, 50mm, warm furnace glow.": the sentence's root)."""
    start = token.i
    while start > 0 and (token.doc[start - 1].pos_ in ("ADJ", "NOUN", "PROPN") or token.doc[start - 1].text == "-"):
        start -= 1
    while start < token.i and token.doc[start].text == "-":
        start += 1
    return list(token.doc[start : token.i + 1])


def light_words(token: Token) -> list[Token]:
    """The light's noun chunk from its last comma on ("Slow dolly, soft window light": the parse's
    chunk takes the camera word in), else its own describing words."""
    chunk = next((c for c in token.doc.noun_chunks if c.start <= token.i < c.end), None)
    if chunk is None:  # an item of a comma list ("50mm, warm furnace glow."), never the tail of a phrase the parse broke ("a rim light")
        words = light_chunk(token)
        return words if words[0].i == 0 or words[0].nbor(-1).is_punct or words[0].is_sent_start else []
    cut = max((t.i for t in chunk if t.is_punct and t.text != "-"), default=-1)
    return [t for t in chunk if t.i > cut]


def light_paths(doc: Doc, own: Span | None, cut: int, add: Callable[..., None], kind: int, replace: dict[int, str] | None) -> None:
    """'as late-morning sun slants through a dusty window' → 'late-morning sun through a dusty
    window': a light with its verb (or the -s word the tagger made a noun) and where it falls, said
    without the verb, read off the words (the parse often hangs the place on the person's verb)."""
    for t in doc:
        if t.i >= cut or t.pos_ != "NOUN" or (t.lower_ not in _LIGHT and t.lemma_.lower() not in _LIGHT) or t.i + 2 >= len(doc):
            continue
        verb = t.nbor(1)
        verbish = verb.tag_ in lexicon.FINITE_TAGS | {"VBG"} or (verb.tag_ == "NNS" and verb.nbor(1).pos_ == "ADP")
        if not verbish or verb.lemma_.lower() == "be" or verb.pos_ == "AUX" or (own is not None and own.start <= t.i < own.end):
            continue
        k = verb.i + 1
        while k < len(doc) and doc[k].pos_ == "ADV" and doc[k].lower_ not in _LIGHT_PREPS:
            k += 1  # "falls softly across"
        if k >= len(doc) or doc[k].lower_ not in _LIGHT_PREPS or doc[k].pos_ != "ADP":
            continue
        np = []
        for w in doc[k + 1 :]:
            hyphened = w.text == "-" or (w.i > 0 and w.nbor(-1).text == "-") or (w.i + 1 < len(doc) and w.nbor(1).text == "-")  # "roll-up door"
            described = w.dep_ in ("amod", "compound") and w.tag_ in ("VBN", "VBG")  # "through arched windows": a participle before its noun
            if not hyphened and not described and (w.is_punct or w.pos_ in ("VERB", "AUX", "CCONJ", "ADP", "PRON", "SCONJ") or w.tag_ in lexicon.FINITE_TAGS):
                break
            np.append(w)
        while np and np[-1].pos_ not in ("NOUN", "PROPN"):
            np.pop()
        light = light_chunk(t)
        if not np or any(w.lemma_.lower() in lexicon.BODY_NOUNS | lexicon.PERSON_NOUNS for w in np) or len(np) > 6:
            continue  # "light falls on her face": a look of hers; the rules of looks say it
        where = as_text([doc[k], *np], replace=replace).split(" ", 1)[1]  # its article kept: "through a dusty window"
        text = f"{as_text(light, replace=replace)} {_LIGHT_PREPS[doc[k].lower_]} {where}"
        add(kind, list(doc[light[0].i : np[-1].i + 1]), key=f"light:{t.lemma_.lower()}", text=text, drawable=[*light, *np], whole=True)


_AT = frozenset("night midnight noon dusk dawn sunset sunrise twilight daybreak nightfall".split())
_IN_THE = frozenset("morning afternoon evening".split())
# Words that open a phrase that is no bare time ("at dusk", "the night", "during the evening").
_FUNCTION = frozenset("at in on by under during before after until till since through of the a an this that every each one".split())


def bare_time(tokens: list[Token]) -> str | None:
    """'night' → 'at night', 'late afternoon' → 'in the late afternoon', 'golden hour' → 'at golden
    hour': a bare time of day said with its preposition; None when the words are no bare time."""
    words = [t for t in tokens if t.pos_ != "DET"]
    if not words or words[-1].pos_ != "NOUN" or any(t.pos_ not in ("ADJ", "NOUN") and t.text != "-" for t in words):
        return None
    text = as_text(words).lower() if not any(t.pos_ == "PROPN" for t in words) else as_text(words)
    return said_time(text)


def said_time(text: str, article: str | None = None) -> str | None:
    """A time of day with its preposition, as English says it: 'at dusk', 'in the early morning',
    'late at night', 'on a cold winter night', 'at a vivid sunset'; None when it names no time of day."""
    words = text.split()
    head, low = words[-1].lower(), text.lower()
    if low in ("golden hour", "blue hour"):
        return f"at {text}"
    if low == "late night":
        return "late at night"
    if head not in _AT | _IN_THE:
        return None
    if article is None and (len(words) == 1 or head in _IN_THE or words[0].lower() in ("early", "late")):
        return f"at {text}" if head in _AT else f"in the {text}"  # "at dusk", "in the late afternoon", "at early dawn"
    article = article or indefinite(text).split(" ", 1)[0]
    return f"{'on' if head in _IN_THE | {'night', 'noon', 'midnight'} else 'at'} {article} {text}"


def header_scene(lead: list[Token]) -> list[str]:
    """The light and the time a shot-led header names beside its camera words ("Tracking shot from
    the aisle, night, sodium streetlights flickering through the windows: a man ...") → ["at night",
    "sodium streetlights"]: each comma item whose head is a light or a time, up to its own verb."""
    out, item = [], []
    for t in [*lead, None]:
        if t is not None and t.text not in (",", ":", ";", "."):
            item.append(t)
            continue
        verb = next((k for k, w in enumerate(item) if w.pos_ in ("VERB", "AUX") or w.tag_ in ("VBG", "VBZ", "VBD")), len(item))
        words = item[:verb]
        item = []
        if not words or len(words) > 5 or any(w.pos_ == "ADP" for w in words):
            continue
        head = words[-1]
        if head.lower_ in lexicon.TIME_NOUNS or head.lemma_.lower() in lexicon.TIME_NOUNS or as_text(words).lower() in ("golden hour", "blue hour"):
            said = bare_time(words)
            if said is not None:
                out.append(said)
        elif head.pos_ == "NOUN" and (head.lower_ in lexicon.LIGHT_NOUNS or head.lemma_.lower() in lexicon.LIGHT_NOUNS) and len(words) > 1:
            out.append(as_text([w for w in words if w.pos_ != "DET"]))  # "natural light" (a bare "light" says nothing)
    return out


def at_time(text: str) -> str:
    """A bare time of day among the style words said with its preposition ("dusk" → "at dusk",
    "early morning" → "in the early morning", "golden hour" → "at golden hour"); else unchanged."""
    words = text.lower().split()
    if not 0 < len(words) <= 3 or not all(w.replace("-", "").isalpha() for w in words) or words[0] in _FUNCTION:
        return text  # "at dusk" says its preposition already
    return said_time(text) or text


# Weather a picture shows: a closed class.
_WEATHER = frozenset("snowfall snow snowflakes rain raindrops drizzle fog mist haze sleet hail storm thunderstorm blizzard downpour".split())


def weather_and_time(doc: Doc, own: Span | None, cut: int, add: Callable[..., None], kind: int, replace: dict[int, str] | None) -> None:
    """'blurred by light snowfall' → 'light snowfall', 'typical of an overcast winter afternoon' →
    'on an overcast winter afternoon': the weather or the time a describing phrase names (the rules
    of places read only phrases of place)."""
    for t in doc:
        prep = t.head if t.dep_ == "pobj" else None
        if t.i >= cut or t.pos_ not in ("NOUN", "PROPN") or prep is None or (own is not None and own.start <= t.i < own.end):
            continue
        # "blurred by ...", "typical of ...": a verb's agent or an adjective's object, not "the sound of rain"
        describing = (prep.lower_ == "by" and prep.head.pos_ == "VERB") or (prep.lower_ == "of" and prep.head.pos_ == "ADJ")
        words = light_chunk(t)
        if not describing or len(words) < 2 and t.lemma_.lower() not in _WEATHER:
            continue
        if t.lemma_.lower() in _WEATHER or t.lower_ in _WEATHER:
            add(kind, words, key=f"weather:{t.lemma_.lower()}", text=as_text(words, replace=replace))
        elif t.lower_ in lexicon.TIME_NOUNS and t.tag_ == "NN":
            article = next((c.lower_ for c in t.children if c.dep_ == "det" and c.lower_ in ("a", "an")), None)
            said = as_text([w for w in words if w.dep_ != "det"], replace=replace)
            add(kind, words, key=f"time:{t.lemma_.lower()}", text=said_time(said, article) or f"in the {said}")  # "on a cold winter night"


def place_items(doc: Doc, own: Span | None, add: Callable[..., None], kind: int, replace: dict[int, str] | None) -> None:
    """'Female welder in a leather jacket, sparks flying, shipyard at night' → 'in a shipyard': a
    bare place noun set off by a comma as an item of its own (with at most a time after it) is
    where the subject is, said with its preposition."""
    for t in doc:
        if t.text != "," or t.i + 1 >= len(doc):
            continue
        words = []
        for w in doc[t.i + 1 :]:
            if w.pos_ not in ("ADJ", "NOUN", "PROPN") and w.text != "-" and not (w.tag_ in ("VBG", "VBN") and w.dep_ in ("amod", "compound")):
                break  # "climbing gym": the participle names the kind of place
            words.append(w)
        end = words[-1].i + 1 if words else t.i + 1
        after = doc[end] if end < len(doc) else None
        timed = after is not None and after.pos_ == "ADP" and after.i + 1 < len(doc) and doc[after.i + 1].lower_ in lexicon.TIME_NOUNS
        closed = after is None or after.is_punct or timed  # the item ends there: "shipyard at night", "..., empty parking lot."
        if not words or len(words) > 4 or not closed or words[-1].pos_ != "NOUN" or not is_place(words[-1]):
            continue
        if words[-1].lemma_.lower() in lexicon.GENERIC_PLACE | lexicon.FIXTURE_NOUNS | lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS | lexicon.MASS_NOUNS:
            continue  # "..., the background", "..., wall", "..., sunset": no ground one stands in
        if own is not None and any(own.start <= w.i < own.end for w in words):
            continue
        prep = "on" if words[-1].lemma_.lower() in lexicon.SURFACE_NOUNS else "in"
        add(kind, words, key=f"place:{words[-1].lemma_.lower()}", text=f"{prep} {indefinite(as_text(words, replace=replace))}", whole=True)
