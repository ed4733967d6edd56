"""A prompt that names its shot before its person ("Cinematic, 50mm. Medium close-up of a bearded
blacksmith in a leather apron hammering a horseshoe, sparks scattering, then plunging it into a
bucket.", "Overhead drone shot, then ground-level tracking: a surfer paddles out ...") is said
person first before the parse reads it: "A bearded blacksmith in a leather apron hammers a
horseshoe, sparks scattering, then plunges it into a bucket. Medium close-up." The person's
participles become verbs (a participle with a noun of its own, "sparks scattering", stays); the shot,
with any camera move the sentence chains to it ("then ground-level tracking as she stands"),
becomes the sentence right after. A verbless camera sentence before the person's sentence that is
not all style terms moves there too. Where the sentence is not that shape the text stays.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import present, shot_noun
from stdt2v.prompts.style import FRAMING_CHANGE, FRAMING_WORDS, colon_header_as_sentence, comma_segments, is_style_phrase

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

_FINITE = lexicon.FINITE_TAGS | {"MD"}
_PEOPLE = lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS
_CAMERA = re.compile(r"\b(?:tracking|dolly|panning|pans?|zoom\w*|crane|orbit\w*|push[- ]in|pull[- ]out|tilt\w*|cut|cuts)\b|" + FRAMING_WORDS.pattern, re.I)
_JOINS = frozenset("and then".split())  # "wearing a jacket, walking": a comma alone joins a participle of the verb, not a verb
# "Medium shot to close-up": a change of framing is a move too
_MOVES = re.compile(
    r"\b(?:then|tracking|dolly|pans?|panning|zoom\w*|crane|orbit\w*|handheld|hand-held|push[- ]in|pull[- ]out|tilt\w*)\b"
    rf"|{FRAMING_CHANGE}\b",
    re.I,
)


def person_first(nlp: Language, text: str) -> str:
    """`text` with a shot-led opening said person first (see the module's note); else unchanged."""
    headed = _header_sentence(nlp, colon_header_as_sentence(text.strip()))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", headed) if s]
    docs = [nlp(s) for s in sentences[:4]]
    at = next((k for k, d in enumerate(docs) if any(_person_word(t) for t in d)), None)
    if at is None or any(t.tag_ in _FINITE and not shot_noun(t) for d in docs[:at] for t in d):
        return text
    # a verbless camera move before the person's sentence that is not all style terms would be read
    # as the subject: it goes right after the person's sentence, its place in time
    moved = [s for k, (s, d) in enumerate(zip(sentences[:at], docs[:at])) if _MOVES.search(s) and not _style_sentence(k, d)]
    told, frame = _shot_of(nlp, docs[at])
    if told is None and not moved:
        # "Handheld, natural light: a boy ...": a header with a camera move is a sentence of its own; "Golden hour: ..." stays a header
        return headed if headed != text.strip() and _MOVES.search(sentences[0]) else text
    lead = told or sentences[at]
    kept = [s for s in sentences[:at] if s not in moved]
    frames = [frame] if frame else []
    return " ".join([*kept, lead, *frames, *moved, *sentences[at + 1 :]])


_HEADER = re.compile(r"^([^:.;]{1,120}):\s+(?=(?:a|an|the|A|An|The)\s)")


def _header_sentence(nlp: Language, text: str) -> str:
    """'Handheld, natural light: a teenage boy ...' → 'Handheld, natural light. A teenage boy ...': a
    verbless header before a colon and the person's article is a sentence of its own; a short one
    always, a longer one ("Tracking shot from the aisle, night, streetlights flickering through the
    windows: a young man ...") when it has no finite verb."""
    match = _HEADER.match(text)
    if match is None or len(match.group(1).split()) > 16:
        return text
    if len(match.group(1).split()) > 8 and any(t.tag_ in _FINITE and not shot_noun(t) for t in nlp(match.group(1))):
        return text
    rest = text[match.end() :]
    return f"{match.group(1)}. {rest[:1].upper()}{rest[1:]}"


def _person_word(token: Token) -> bool:
    """A person's noun by its own word (a listed person or trade noun), never by the parse's guess of a name."""
    words = {token.lemma_.lower(), token.lower_}
    return bool(words & _PEOPLE) and token.pos_ in ("NOUN", "PROPN") and not token.lower_.endswith(("s", "men"))


def _style_sentence(k: int, doc) -> bool:
    """Whether the style splitter takes the sentence whole: every comma segment a style phrase, or,
    in the prompt's first sentence, a short bare term ("golden hour", "handheld") beside them."""
    bare = [all(t.pos_ in ("ADJ", "NOUN", "PROPN", "NUM") or t.text == "-" for t in g) and len(g) <= 3 for g in comma_segments(doc)]
    return all(is_style_phrase(g) or (k == 0 and b) for g, b in zip(comma_segments(doc), bare))


def _finite(doc) -> bool:
    """A clause of its own: a finite verb with its subject ("sparks scattering" tagged a verb has none)."""
    return any(t.tag_ in _FINITE and t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children) for t in doc)


def _shot_of(nlp: Language, sent) -> tuple[str | None, str]:
    """('A bearded blacksmith ... hammers ..., then plunges ...', 'Medium close-up.') for a sentence
    that opens '<shot words> of a <person> <participle> ...'; (None, '') otherwise."""
    of = next((t for t in sent[:8] if t.lower_ == "of"), None)
    if of is None or of.i == 0 or not _CAMERA.search(sent[: of.i].text):
        return None, ""
    if of.i + 1 >= len(sent) or sent[of.i + 1].lower_ not in ("a", "an"):
        return None, ""
    person = next((t for t in sent[of.i + 2 : of.i + 9] if _person_word(t)), None)
    if person is None or any(t.pos_ not in ("ADJ", "PROPN", "NOUN", "PUNCT") and t.tag_ not in ("JJ", "VBN", "HYPH") for t in sent[of.i + 2 : person.i]):
        return None, ""
    camera = _camera_tail(sent, person.i)
    end = camera.start if camera is not None else len(sent)
    if _finite(sent[:end]):
        return None, ""  # "Close-up of a woman who smiles as ...": a clause of its own, read by the parse
    verbs = _person_participles(nlp, sent, person.i, end)
    first = next(iter(verbs), None)
    if first is None or (len(verbs) == 1 and first.tag_ == "VBG" and camera is None):
        return None, ""  # "Medium tracking shot of a woman jogging ...": one participle the parse sees, which the parse path reads
    frame = sent[: of.i].text.strip(" ,")
    if camera is not None:
        frame = f"{frame}, {camera.text.strip(' .,')}"
    body = sent[of.i + 1 : end]
    told = _with_verbs(body, verbs, progressive=False)
    if not _reads_as_verb(nlp, told, verbs):
        told = _with_verbs(body, verbs, progressive=True)
    return _sentence(told), _sentence(frame)


def _camera_tail(sent, after: int) -> Span | None:
    """', then ground-level tracking as she pops up': the camera move chained after the action, to the sentence's end."""
    for t in sent[after:]:
        if t.lower_ == "then" and t.i > 0 and sent[t.i - 1].text == ",":
            words = sent[t.i + 1 : min(t.i + 6, len(sent))].text
            if _CAMERA.search(words):
                return sent[t.i - 1 :]
    return None


def _person_participles(nlp: Language, sent, person: int, end: int) -> dict[Token, str]:
    """The person's -ing verbs and their lemmas: the first after the person's noun phrase, and those
    joined after it by 'then' or 'and' (never one with a noun of its own before it, 'sparks scattering')."""
    out: dict[Token, str] = {}
    for t in sent[person + 1 : end]:
        # "in a knit beanie sipping coffee": the parse may make the participle a modifier of its object; after a noun it is none
        modifier = t.dep_ in ("amod", "compound") and sent[t.i - 1].pos_ not in ("NOUN", "PROPN")
        if modifier or t.lower_ in ("tracking", "panning", "zooming") or not (lemma := _ing_lemma(nlp, t)):
            continue
        k = t.i - 1
        while k > person and sent[k].pos_ == "ADV" and sent[k].lower_ != "then":
            k -= 1
        prior = sent[k]
        if not out and prior.pos_ in ("NOUN", "PROPN") and (prior.i == person or prior.head.i <= t.i):
            out[t] = lemma
        elif out and prior.lower_ in _JOINS and sent[k - 1].pos_ not in ("ADP", "SCONJ"):
            out[t] = lemma
        if not out:
            return []  # the first -ing word is not the person's: not this shape
    return out


def _ing_lemma(nlp: Language, token: Token) -> str:
    """The verb of an -ing word: the parse's, or for one it took for a noun ('a white tutu spinning') the verb it is after 'is'."""
    if token.tag_ == "VBG":
        return token.lemma_.lower()
    if not token.lower_.endswith("ing") or len(token) < 6 or token.tag_ not in ("NN", "JJ"):
        return ""
    verb = nlp(f"She is {token.lower_}.")[2]
    return verb.lemma_.lower() if verb.tag_ == "VBG" and verb.lemma_.lower() != token.lower_ else ""


def _with_verbs(body, verbs: dict[Token, str], progressive: bool) -> str:
    words = []
    first = next(iter(verbs))
    for t in body:
        if t in verbs:
            word = (f"is {t.lower_}" if t == first else t.lower_) if progressive else present(verbs[t], False)
            words.append(word + t.whitespace_)
        else:
            words.append(t.text_with_ws)
    text = "".join(words).strip()
    return text[:1].upper() + text[1:]


def _reads_as_verb(nlp: Language, told: str, verbs: dict[Token, str]) -> bool:
    """Whether the small model reads the first new verb as one (a trade noun before it may make it a noun: 'fisherman mends')."""
    first = present(next(iter(verbs.values())), False)
    verb = next((t for t in nlp(told) if t.lower_ == first), None)
    return verb is not None and verb.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in verb.children)


def _sentence(text: str) -> str:
    text = text.strip(" ,")
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
