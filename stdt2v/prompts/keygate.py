"""The last gate over the keyframe prompt's phrases: each phrase is found again in the input's own
parse, and only a phrase that stands there as a whole noun phrase, or a preposition's phrase about
the place, the person or a thing the picture shows, goes through. A phrase cut out of a longer noun
phrase ("several silver ear" of "several silver ear piercings") takes back the input's words up to
its noun; a thing's own detail ("different faces" of "wall clocks with different faces") goes back
onto the thing; what hangs on a verb the keyframe does not keep ("at the red bobber" of "staring at
the red bobber"), on the camera ("shoulder height"), or on a word the parse misread as a noun
("in front of her displays a ...") is dropped. A plain prompt beats a broken one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.words import graspable, is_noun_modifier_verb, is_place, is_thing, looks_like_verb

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["gate_phrases"]

_ARTICLES = frozenset("a an the".split())
_POSSESSIVES = frozenset("his her their its my our your".split())
# Nouns that name an amount of something and say nothing without it ("small handfuls", "a pinch").
_AMOUNTS = frozenset(
    "handful handfuls pinch pinches piece pieces bunch bunches pair pairs stack stacks pile piles heap heaps row rows couple dozen dozens "
    "cluster clusters bundle bundles slice slices scrap scraps sip sips mouthful mouthfuls spoonful spoonfuls cupful".split()
)
# Camera nouns that are a clause's subject ("the camera gliding alongside him at shoulder height").
_CAMERA_SUBJECTS = frozenset("camera cameras drone lens shot".split())
# Verbs whose place phrase is where the person is ("sits at a desk", "leans on a truck", "is in a kitchen").
_STAY_VERBS = lexicon.POSE_VERBS | lexicon.HOLD_VERBS | frozenset("be wear stay wait rest remain live work hang dress".split())
# Bare nouns after a preposition that English says with no article ("on foot", "at home", "in bed").
_BARE_IDIOMS = frozenset(
    "foot home bed school work church town hand arm sea night dusk dawn sunset sunrise noon midnight profile focus silhouette uniform costume "
    "color colour bloom flower shade shadow shadows darkness public person view frame daylight sunlight moonlight".split()
)
_AGE = re.compile(r"(?:ties|teens)$")
_WHERE = frozenset("on in at by near beside under against inside behind onto atop".split())
_PERSONS = lexicon.PERSON_NOUNS | lexicon.ROLE_NOUNS | lexicon.PLAIN_PERSON | lexicon.CROWD_NOUNS | lexicon.GENERIC_PERSON


def _norm(word: str) -> str:
    word = word.lower()
    return "POSS" if word in _POSSESSIVES else word


def _words(doc) -> list:
    return [t for t in doc if not t.is_punct or t.text == "-"]


def _find(words: list, phrase: list[str]) -> list | None:
    """The input's tokens that say the phrase's words in order (an article may differ), or None."""
    if phrase and phrase[0] in _ARTICLES:
        phrase = phrase[1:]
    n = len(phrase)
    if not n:
        return None
    keys = [_norm(t.text) for t in words]
    for k in range(len(keys) - n + 1):
        if keys[k : k + n] == phrase and words[k + n - 1].i - words[k].i == n - 1:
            return words[k : k + n]
    return None


_PARTICLES = frozenset("aside away up down off out back".split())
# Words that want a plural noun after them: 'several silver ear' is cut before its noun.
_PLURAL_WANTED = frozenset("several many few multiple numerous various two three four five six seven eight nine ten dozens".split())


def _verb_before_object(t: Token) -> bool:
    """A verb the parse read as a noun, right before its object's article ('her displays a colorful
    ...', 'the ground and brush aside the needles'): a noun is not followed by an article."""
    if t.pos_ != "NOUN" or t.i + 1 >= len(t.doc):
        return False
    k = t.i + 1
    while k < len(t.doc) and t.doc[k].lower_ in _PARTICLES:
        k += 1
    # a verb's form: an -s word, or the second of two verbs' objects ('inspect the ground and brush ...')
    plural = t.tag_ == "NNS" and t.lower_.endswith("s")
    verbal = plural or (t.dep_ == "conj" and t.head.dep_ == "dobj")
    # "lamp lights her face": after an -s word a possessive is its object too
    return verbal and k < len(t.doc) and (t.doc[k].lower_ in _ARTICLES or (plural and t.doc[k].tag_ == "PRP$"))


def _on_camera(span: list) -> bool:
    """Where the camera is ('at shoulder height' of 'the camera gliding alongside him at shoulder height'):
    a bare noun's phrase said of the camera's own verb, not a thing it looks at ('to his face')."""
    root = _root(span)
    prep = root if root is not None and root.dep_ == "prep" else (root.head if root is not None and root.dep_ == "pobj" else None)
    noun = root if prep is not root else next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if prep is None or noun is None or noun.tag_ != "NN" or any(c.dep_ in ("det", "poss") for c in noun.children):
        return False  # "hanging brass lanterns" the camera weaves past are seen
    verb = prep.head
    said = any(c.i < verb.i and c.pos_ == "NOUN" and c.lower_ in _CAMERA_SUBJECTS for c in verb.children)  # its subject, however parsed
    return said or (verb.dep_ == "acl" and verb.head.lower_ in ("camera", "cameras", "drone"))


def _root(span: list):
    inside = {t.i for t in span}
    tops = [t for t in span if t.head.i not in inside or t.head.i == t.i]
    # "different faces (tick)": words that all hang on one word outside the phrase read as the last one
    return tops[-1] if tops and len({t.head.i for t in tops}) == 1 else None


def _extended(span: list) -> list | None:
    """'several silver ear' → '... ear piercings': the noun phrase's head the cut left out, read on
    to it in the input (no comma between); None when the phrase ends on its own head."""
    last = span[-1]
    doc = last.doc
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    wants_plural = any(t.lower_ in _PLURAL_WANTED for t in span) and last.tag_ == "NN"
    if nxt is not None and wants_plural and _noun_read_as_verb(nxt):
        return [*span, nxt]  # "several gold nose (rings sitting ...)": the parse took the head noun for the verb
    modifier = last.dep_ in ("compound", "amod") and (last.pos_ == "ADJ" or last.i and last.nbor(-1).text == "-")
    if nxt is not None and modifier and is_noun_modifier_verb(nxt) and nxt.nbor(1).lemma_.lower() not in _PERSONS:
        return [*span, nxt, nxt.nbor(1)]  # "half-moon (reading glasses)"
    head = last.head
    if last.dep_ not in ("compound", "amod", "nmod", "nummod") or head.i <= last.i or head.pos_ not in ("NOUN", "PROPN"):
        return None
    one = any(t.lower_ in ("a", "an") and t.head.i == head.i for t in span) and head.tag_ == "NNS"  # "a small nose ring (dances)"
    if head.lemma_.lower() in _PERSONS or _verb_before_object(head) or looks_like_verb(head) or last.tag_ == "NNS" or one:
        # "young (woman)": said by the subject; a plural is no noun's modifier ("different faces (tick)"): the parse's head is the verb
        return None
    between = last.doc[last.i + 1 : head.i + 1]
    if any(t.is_punct and t.text != "-" for t in between) or any(t.pos_ in ("VERB", "AUX", "ADP", "CCONJ") or t.lower_.endswith("ing") for t in between):
        return None  # "amp (buzzing)", "vest (weaving through)": an -ing word is the action, not the noun
    after = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if head.tag_ == "NNS" and after is not None and after.pos_ in ("ADV", "ADP", "PART"):
        return None  # "light (streams in)": an -s word before its particle is the verb
    return [*span, *between]


def _noun_read_as_verb(t: Token) -> bool:
    """'ear piercings riding ...', 'nose rings sitting ...': a plural noun the parse took for the verb, since a
    verb has no '-ings' of a stem with a vowel ('pierc-ings', not 'br-ings'), or has no subject and an '-ing' word follows."""
    if t.tag_ not in ("VBZ", "NNS") or not t.lower_.endswith("s") or t.i + 1 >= len(t.doc):
        return False
    after = t.nbor(1)
    then = after.tag_ == "VBG" or after.pos_ in ("ADP", "PUNCT", "CCONJ") and t.pos_ != "AUX"
    made = t.lower_.endswith("ings") and re.search(r"[aeiouy]", t.lower_[:-4]) is not None
    # no subject, or a participle hanging on it as on a noun ('rings sitting on the floor', 'acl')
    nounlike = t.tag_ == "VBZ" and (not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) or any(c.dep_ == "acl" for c in t.children))
    return then and (made or nounlike)


def _attached(span: list) -> tuple[str, str] | None:
    """(the last word of the thing's phrase, its preposition) when the phrase is a described detail of another thing in the
    input: 'different faces' of 'clocks with different faces', 'on the stove' of 'pots on the stove'."""
    root = _root(span)
    if root is None:
        return None
    if root.dep_ == "compound" and (_verb_before_object(root.head) or root.tag_ == "NNS") and root.head.dep_ == "pobj":
        noun, prep = root, root.head.head  # "records with faded spines (line the walls)": the parse made 'line' the noun
    elif root.dep_ == "prep":
        noun, prep = next((c for c in root.children if c.dep_ == "pobj"), None), root
    else:
        noun, prep = root, (root.head if root.dep_ == "pobj" else None)
    if noun is None or prep is None or prep.dep_ != "prep":
        return None
    owner = prep.head
    if owner.pos_ not in ("NOUN", "PROPN") or not is_thing(owner) or owner.lemma_.lower() in _PERSONS or _AGE.search(owner.lower_):
        return None  # "in his thirties with curly red hair": an age owns nothing
    if looks_like_verb(owner) or _verb_before_object(owner):
        return None  # "light streams through sheer curtains": the parse's noun is the verb
    if prep.lower_ == "of" or is_place(owner):
        return None  # "a tin of blue paint" → "blue paint"; "buckets of roses" amid a shop: things of their own
    said_of = [*noun.children, *(c for c in noun.head.children if c.i < noun.i)] if noun.dep_ == "compound" else list(noun.children)
    described = any(c.dep_ == "amod" for c in said_of) and not any(c.dep_ in ("det", "poss", "nummod", "prep") for c in noun.children)
    if root is not prep and not described:
        return None  # "a table with a lamp": the lamp is a thing of its own; "different faces" of clocks is a detail
    if root is prep and (is_place(noun) or noun.lemma_.lower() in lexicon.LIGHT_NOUNS | lexicon.TIME_NOUNS):
        return None  # "a desk in a small apartment": still a place
    if prep.i == 0:
        return None
    return prep.doc[prep.i - 1].lower_, prep.lower_  # the last word of the thing's own phrase, as the input says it


def _off_a_verb(span: list) -> bool:
    """A preposition's phrase alone that says how an action is done ('in unison', 'with care')."""
    root = _root(span)
    if root is None:
        return False
    prep = root if root.dep_ == "prep" else (root.head if root.dep_ == "pobj" and root.head not in span else None)
    if prep is None or prep.dep_ != "prep":
        return False
    noun = root if root is not prep else next((c for c in prep.children if c.dep_ == "pobj"), None)
    if prep.head.pos_ != "VERB" and not (len(span) == 2 and root is prep):
        return False
    alone = len(span) == 2 and root is prep and noun is not None and not list(noun.children)  # "in unison", "with care"
    if not alone or prep.lower_ not in ("in", "with"):
        return False
    lemma = noun.lemma_.lower()
    place = is_place(noun) and not (noun.pos_ == "PROPN" and noun.text.islower())  # "in unison": no name
    seen = lemma in lexicon.LIGHT_NOUNS | lexicon.TIME_NOUNS | lexicon.MASS_NOUNS | _BARE_IDIOMS or lemma.endswith(("light", "hour", "water")) or place
    return not seen and (noun.pos_ == "NOUN" or noun.text.islower())


_AIMED_PREPS = frozenset("at on to toward towards into".split())


def _aimed_at(span: list) -> bool:
    """'at the red bobber' right after 'staring': what a look, a word or a bite is aimed at."""
    prep, verb = span[0], span[0].head
    noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if prep.pos_ != "ADP" or prep.lower_ not in _AIMED_PREPS or len(span) < 3 or noun is None or not 0 < prep.i - verb.i <= 2:
        return False
    return _aimed(verb) and noun.lemma_.lower() not in lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS


def _aimed(verb: Token) -> bool:
    """A verb of looking, talking or eating, by its lemma or its form ('staring', which a lookup lemmatizer may read as 'star')."""
    stem = re.sub(r"(?:ing|ed|es|s)$", "", verb.lower_)
    return bool({verb.lemma_.lower(), stem, f"{stem}e", stem[:-1]} & _AIMED_VERBS)


# Verbs whose 'at'/'on' phrase is what the action aims at, not where the person is.
_AIMED_VERBS = frozenset(
    "stare gaze look glance peer squint smile grin laugh point wave nod frown shout yell call talk speak whisper sing listen chew nibble sip bite aim "
    "beam wink scowl glare bark".split()
)


def _bare_count(span: list) -> Token | None:
    """'on fire truck': a preposition's singular noun with a modifier and no article, as the input says it."""
    first = span[0]
    noun = next((c for c in first.children if c.dep_ == "pobj"), None) if first.pos_ == "ADP" else None
    if noun is None or noun.tag_ != "NN" or any(c.dep_ in ("det", "poss", "nummod") for c in noun.children):
        return None
    lemma = noun.lemma_.lower()
    uncountable = lemma in lexicon.MASS_NOUNS | lexicon.LIGHT_NOUNS | lexicon.TIME_NOUNS | _BARE_IDIOMS or lemma.endswith(("light", "water", "ness", "hour"))
    if first.lower_ not in _WHERE or not is_thing(noun) or is_place(noun) and noun.pos_ == "PROPN":
        return None
    modified = any(c.dep_ in ("compound", "amod") and c.i < noun.i for c in noun.children)
    return noun if modified and not uncountable and noun.left_edge.i == first.i + 1 else None


def _text(tokens: list) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _ends_phrase(t: Token) -> bool:
    return t.pos_ in ("NOUN", "PROPN") or t.i + 1 == len(t.doc) or t.nbor(1).is_punct


def _said_in_hand(nlp: Language, core: str, words: list) -> list[str]:
    """'X in hand' keeps one thing a hand holds, said as the input says it: 'a longboard black
    wetsuit' (two tags run together) → 'a longboard in hand', 'black wetsuit'; a person or a
    place is nothing to hold ('spice seller in hand')."""
    tokens = [t for t in nlp(core) if not t.is_punct or t.text == "-"]
    if not tokens or not graspable(tokens):
        return []
    head = next((t for t in reversed(tokens) if t.pos_ in ("NOUN", "PROPN")), tokens[-1])
    if head.lemma_.lower() in _PERSONS or head.lower_ in _PERSONS:
        return []
    keys = [_norm(t.text) for t in tokens]
    if _find(words, keys) is not None or keys[0] not in _ARTICLES:
        return [f"{core} in hand"]
    # the longest front part the input says as one noun phrase, then the rest as its own phrase
    for cut in range(len(keys) - 1, 1, -1):
        front, rest = _find(words, keys[:cut]), _find(words, keys[cut:])
        ends = front is not None and rest is not None and all(_ends_phrase(x[-1]) for x in (front, rest))  # the input ends each phrase there
        if ends and rest[0].i > front[-1].i + 1:
            return [f"{_text(tokens[:cut])} in hand", _text(tokens[cut:])]
    return [f"{core} in hand"]


def _gated(nlp: Language, doc: Doc, words: list, phrase: str) -> list[str]:
    """The phrase as it may stand in the keyframe prompt: kept, mended from the input's words, or dropped."""
    match = re.match(r"^(.*\S) (in hand|nearby)$", phrase)
    core, tail = (match.group(1), match.group(2)) if match else (phrase, "")
    if re.search(r"\bsame\b", core, re.IGNORECASE):
        # "the same night taxi" names what a story said before the frame: the thing stays, the story goes ("for years"),
        # and nothing of it is in hand; "in the same stone (oven)" takes its head back first
        span = _find(words, _keys(nlp, core))
        if span is None:
            return []  # not said so in the frame's own text: unsure, so gone
        span = _extended(span) or span
        after = doc[span[-1].i + 1] if span[-1].i + 1 < len(doc) else None
        if after is not None and not after.is_punct and after.pos_ not in ("ADP", "CCONJ", "PRON", "SCONJ"):
            return []  # "in the same stone (oven)": cut before its noun
        core = _text(span) if span[0].text.lower() == core.split()[0].lower() else core
        core = re.sub(r"\b(?:(the|a|an) )?same ", lambda m: "the " if m.group(1) == "the" else "", core, flags=re.IGNORECASE)
        return [] if re.search(r"\b(?:for|since)\b", core) or tail == "in hand" else [f"{core} {tail}".strip()]
    keys = _keys(nlp, core)
    if not keys:
        return []  # a quote, a dash: no words to find
    span = _find(words, keys)
    posed = keys[0] in lexicon.POSE_PARTICIPLES.values() and len(keys) > 2 and span is None  # "leaning on fire truck" of "leans on ..."
    if posed and (rest := _gated(nlp, doc, words, core.split(" ", 1)[1])) and len(rest) == 1:
        return [f"{keys[0]} {rest[0]}"]
    if span is None:
        return _said_in_hand(nlp, core, words) if tail == "in hand" else [phrase]
    if _on_camera(span):
        return []
    finite = [
        k for k, t in enumerate(span) if k and t.pos_ == "VERB" and t.tag_ in ("VBZ", "VBP", "VBD") and t.i + 1 < len(doc) and t.nbor(1).lower_ in _ARTICLES
    ]
    cut = next((k for k, t in enumerate(span) if k and _verb_before_object(t)), finite[0] if finite else None)  # "... in front of him (displays a chart)"
    if cut is not None:  # "a ground and brush (aside the needles)": up to the misread verb, if a noun phrase is left
        span = span[:cut]
        while span and span[-1].pos_ in ("CCONJ", "ADP", "DET", "PRON", "ADV"):
            span.pop()
        if not span or span[-1].pos_ not in ("NOUN", "PROPN") or tail == "in hand" or any(c.i > span[-1].i for c in span[-1].children):
            return []  # "in front (of her displays)": its own complement gone; "(brush) in hand": the held thing was the verb
        lead = "a " if tail and core.split()[0].lower() in ("a", "an") else ""
        return _gated(nlp, doc, words, f"{lead}{_text(span)} {tail}".strip())
    if tail == "nearby" and span[-1].lemma_.lower() in lexicon.MASS_NOUNS:
        return []  # "a soil nearby": no thing stands nearby
    if tail == "in hand":
        return _said_in_hand(nlp, core, words)
    if (longer := _extended(span)) is not None:
        return [_text(longer)]
    if span[-1].lower_ in _AMOUNTS and span[-1].pos_ == "NOUN" and span[0].pos_ != "ADP" and not any(c.lower_ == "of" for c in span[-1].children):
        return []  # "small handfuls": of nothing
    if _aimed_at(span):  # "(staring at) the red bobber": the thing, seen
        return [_text(span[2:] if span[1].pos_ == "DET" else span[1:])]
    if _off_a_verb(span) or span[-1].lemma_.lower() in lexicon.MOTION_NOUNS:
        return []  # "a slow stride": a movement, which a still does not show
    if (noun := _bare_count(span)) is not None and keys[: len(span)] == [_norm(t.text) for t in span]:
        at = noun.left_edge.i - span[0].i
        return [f"{_text(span[:at])} {indefinite(_text(span[at:]))}"]
    return [phrase]


def _attach_details(nlp: Language, words: list, out: list[str], keep: set[str]) -> list[str]:
    """A detail said alone goes back onto the thing a kept phrase ends with ('dozens of wall clocks',
    'different faces' → 'dozens of wall clocks with different faces'), else it goes."""
    out = list(out)
    for phrase in [p for p in out if p not in keep]:
        span = _find(words, _keys(nlp, phrase))
        where = _attached(span) if span is not None else None
        if where is None:
            continue
        end, prep = where
        said = f"{prep} " if span[0].lower_ != prep else ""
        at = out.index(phrase)
        home = next((k for k, p in enumerate(out) if k != at and p not in keep and re.search(rf"\b{re.escape(end)}$", p.lower())), None)
        if home is not None:  # with no home the detail stays as it was: said alone beats lost
            out[home] = f"{out[home]} {said}{phrase}"
            del out[at]
    return out


def _keys(nlp: Language, text: str) -> list[str]:
    return [_norm(t.text) for t in nlp.make_doc(text) if not t.is_punct or t.text == "-"]


def _no_article_on_names(doc: Doc, phrase: str) -> str:
    """'in the Cairo': an article the input never puts before a name."""
    for name in re.findall(r"\bthe ([A-Z][a-z]+)\b(?! [a-z])", phrase):
        said = [t for t in doc if t.text == name and t.pos_ == "PROPN"]
        if said and not any(t.i and t.nbor(-1).lower_ == "the" for t in said):
            phrase = phrase.replace(f"the {name}", name)
    return phrase


def gate_phrases(nlp: Language, doc: Doc, parts: list[str], keep: set[str]) -> list[str]:
    """The keyframe phrases that are well formed, in order; ``keep`` (the opener, style and framing) pass as they are."""
    words = _words(doc)
    out: list[str] = []
    for phrase in parts:
        gated = [phrase] if phrase in keep else _gated(nlp, doc, words, _no_article_on_names(doc, phrase))
        out += [p for p in gated if p and p.lower() not in (q.lower() for q in out)]
    out = _attach_details(nlp, words, out, keep)
    # a phrase said again at the end of a longer one a mend made ('half-moon reading glasses', 'glasses')
    return [p for p in out if p in keep or not any(q != p and q not in keep and q.lower().endswith(f" {p.lower()}") for q in out)]
