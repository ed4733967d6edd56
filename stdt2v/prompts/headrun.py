"""A cinematic prompt's comma header before its person ("Close-up shot, warm tungsten light, a bald
man ... sits at a diner counter, stirring ...") said where each part belongs in prose: the light
or the time as a phrase of the person's clause ("sits at a diner counter in warm tungsten light,
stirring ..."), a camera move as a sentence of its own after the person's ("The camera slowly
dollies in."), the framing left for the style splitter. Without it the light is tacked on after
the action and the move is a verbless tail. Where a header part is none of these, the text stays.

Also here: a header's framing said before the camera moves it comes before ("The shot frames him
in a close-up. The camera slowly pulls back ..."), never after them in the closing style sentence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.style import closing_sentence, comma_segments, framing_of, is_style_phrase, names_style
from stdt2v.prompts.tagsort import camera_sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

_FINITE = lexicon.FINITE_TAGS | {"MD"}
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# A later sentence that moves the camera: the header's framing is said before it.
_CAMERA_MOVE = re.compile(r"\b(?:camera|drone|pull-(?:back|away|out)|push-in|dolly|dollies|pans?|zooms?|tilts?|tracks|orbits?|cranes)\b", re.I)
# A later sentence that moves the camera, by the camera's own words ("the clatter of pans" is no move).
_LATER_MOVE = re.compile(r"\b(?:camera|drone|pull-(?:back|away|out)|push-in|dolly|dollies|dolly-in)\b", re.I)
# Words that open a clause hung on the phrase before the comma.
_CLAUSE_OPENERS = frozenset("which who whose that as while when where and then revealing showing until before after".split())
# Sources of light one is under rather than in.
_OVERHEAD = frozenset("sun moon sky".split())


_DETERMINERS = frozenset("the a an his her their its".split())
_FRAMES = re.compile(r"The (?:shot|camera) frames ")  # what closing_sentence says of a framing alone


def header_said(nlp: Language, text: str) -> str:
    """`text` with the light, time and camera move of its first sentence's comma header said in
    prose (see the module's note); unchanged where there is no such header or a part of it is unknown."""
    first, *rest = _SENTENCES.split(text.strip(), maxsplit=1)
    if not re.match(r"[^,.;:]{1,60},", first) or re.match(r"(?:a|an|the)\s", first, re.I):
        return text  # no short header before a comma: no parse spent
    colon = re.search(r":\s+(?=(?:a|an|the)\s)", first, re.I)  # "Low-angle shot, overcast daylight: a woman ...": the header's end
    doc = nlp(first[: colon.start()] + ", " + first[colon.end() :] if colon else first)
    segments = comma_segments(doc)
    # the person's segment: its article first and its finite verb (the parse may take the header for the subject)
    at = next((k for k, s in enumerate(segments) if s[0].pos_ == "DET" and any(t.tag_ in _FINITE and t.pos_ in ("VERB", "AUX") for t in s)), None)
    if not at or any(len(s) > 6 or s[0].pos_ in ("DET", "PRON") or any(t.tag_ in _FINITE for t in s) for s in segments[:at]):
        return text
    scene, moves, kept = [], [], []
    for s in segments[:at]:
        said = "".join(t.text_with_ws for t in s).strip()
        if (move := camera_sentence(re.sub(r"\s*-\s*", "-", said.lower()))) is not None:
            moves.append(move)
        elif (phrase := _scene_phrase(s, said)) is not None:
            scene.append(phrase)
        elif framing_of(said) != (None, None) or (is_style_phrase(s) and names_style(s)):
            kept.append(said)  # the framing and the style terms stay for the style splitter
        else:
            return text
    if not scene and not moves:
        return text
    body = doc[segments[at][0].i :].text.rstrip(" .")
    if scene:
        said = nlp(body)  # the person's sentence read without its header
        end = _clause_end(said)
        body = f"{said[:end].text.rstrip()} {' '.join(scene)}{said[end - 1].whitespace_}{said[end:].text}".rstrip(" .")
    head = ", ".join(kept)
    said = f"{head}{':' if colon else ','} {body}." if head else f"{body[:1].upper()}{body[1:]}."
    return " ".join([said, *moves, *rest])


def _scene_phrase(segment: list[Token], said: str) -> str | None:
    """'warm tungsten light' → 'in warm tungsten light'; 'dusk' → 'at dusk'; 'harsh midday sun' → 'under a harsh midday sun'."""
    head = segment[-1]
    lemma, low = head.lemma_.lower(), said[:1].lower() + said[1:]
    if not all(t.pos_ in ("ADJ", "NOUN", "PROPN", "VERB") or t.tag_ == "HYPH" for t in segment) or head.tag_ in ("NNS", "NNPS"):
        return None
    if lemma in _OVERHEAD:
        return f"under {indefinite(low)}"
    if re.fullmatch(r"(?:golden|blue) hour", low) or (len(segment) == 1 and lemma in lexicon.TIME_NOUNS and lemma not in ("morning", "afternoon", "evening")):
        return f"at {low}"
    if lemma in lexicon.LIGHT_NOUNS or lemma in lexicon.TIME_NOUNS:
        return f"in {low}" if lemma in lexicon.LIGHT_NOUNS or len(segment) > 1 else f"in the {low}"
    return None


def _clause_end(doc) -> int:
    """Where the person's main clause ends: its first comma, conjunction or subordinate clause after the verb, else the sentence's end."""
    verb = next((t for t in doc if t.tag_ in _FINITE and t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return len(doc)
    for t in doc[verb.i + 1 :]:
        if t.text in (",", ";", ".") or t.dep_ in ("cc", "mark") or (t.tag_ == "VBG" and t.dep_ == "advcl"):
            return t.i
    return len(doc)


def framing_first(temporal: str, style: list[str], obj: str, original: str) -> tuple[str, list[str]]:
    """(temporal, style) with the framing-only style sentence that the input said before its person
    ("Close-up shot, ... a man ...") said after the first sentence, where a later sentence moves the camera."""
    sentences = _SENTENCES.split(temporal.strip())
    if len(sentences) < 2 or not any(_LATER_MOVE.search(s) for s in sentences[1:]):
        return temporal, style
    person = re.search(r"\b(?:a|an|the)\s", original, re.I)
    header = original[: person.start()].lower() if person else ""
    frame = next((s for s in style if s.lower().strip(" .") in header and _FRAMES.match(closing_sentence([s], obj))), None)
    if frame is None:
        return temporal, style
    return " ".join([sentences[0], closing_sentence([frame], obj), *sentences[1:]]), [s for s in style if s is not frame]


def camera_article(nlp: Language, temporal: str) -> str:
    """'Slow drone pull-away reveals the sea.' → 'A slow drone pull-away reveals the sea.'; 'Camera
    pans left.' → 'The camera pans left.': a camera move said as a sentence's bare subject takes its article."""
    out = []
    for sentence in _SENTENCES.split(temporal.strip()):
        if not _CAMERA_MOVE.search(sentence[:60]):  # the move is named before its verb: no parse spent otherwise
            out.append(sentence)
            continue
        doc = nlp(sentence)
        # the verb right after the subject, or after one adverb ("Camera slowly pans"): never a fragment's later verb
        subject = next((t for t in doc if t.dep_ == "nsubj" and t.head.tag_ in _FINITE and all(x.pos_ == "ADV" for x in doc[t.i + 1 : t.head.i])), None)
        verb = subject.head if subject is not None else None
        subject = subject if verb is not None and verb.i - subject.i <= 2 and verb.pos_ == "VERB" and verb.tag_ in ("VBZ", "VBP") else None
        lead = doc[: subject.i + 1] if subject is not None else doc[:0]
        bare = len(lead) and all(t.pos_ in ("ADJ", "NOUN") or t.tag_ == "HYPH" for t in lead) and subject.tag_ == "NN"
        if bare and _CAMERA_MOVE.search(lead.text) and subject.lemma_.lower() not in lexicon.MASS_NOUNS:
            said = lead.text[:1].lower() + lead.text[1:]
            said = f"the {said}" if lead[-1].lower_ == "camera" and len(lead) == 1 else indefinite(said)
            sentence = said + sentence[len(lead.text) :]
            sentence = sentence[:1].upper() + sentence[1:]
        out.append(sentence)
    return " ".join(out)


def moves_said(temporal: str, style: list[str]) -> tuple[str, list[str]]:
    """(temporal, style) with each camera move named as a verbless phrase said as the camera's
    sentence: '..., people hurrying past, slow orbit around him.' → '..., people hurrying past. The
    camera slowly orbits around him.'; a closing 'Slow dolly-in, moody lighting.' → 'The camera
    slowly dollies in.' before the style."""
    out = []
    for sentence in _SENTENCES.split(temporal.strip()):
        parts = sentence.rstrip(" .").split(", ")
        moves = []
        while len(parts) > 1 and (move := camera_sentence(_plain(parts[-1]))) is not None:
            moves.insert(0, move)
            parts.pop()
        leading = []  # "Slow push-in, anamorphic bokeh, soft haze.": the move first, then the list
        # a clause after it ("..., which shows ...", "..., as she turns") belongs to the move: the sentence stays
        while len(parts) > 1 and parts[1].split(" ", 1)[0].lower() not in _CLAUSE_OPENERS and (move := camera_sentence(_plain(parts[0]))) is not None:
            leading.append(move)
            parts.pop(0)
        if leading and parts[0].split(" ", 1)[0].lower() in _DETERMINERS:  # "..., the sound of rain filling the air": an absolute stays on the move
            out += [*leading[:-1], f"{leading[-1].rstrip('.')}, {', '.join(parts)}.", *moves]
            continue
        rest = parts[0][:1].upper() + ", ".join(parts)[1:] if leading else ", ".join(parts)
        out += [*leading, rest + "." if moves or leading else sentence, *moves]
    kept = []
    for line in style:
        parts = line.rstrip(" .").split(", ")
        out += [m for p in parts if (m := camera_sentence(_plain(p))) is not None]
        rest = [p for p in parts if camera_sentence(_plain(p)) is None]
        kept += [(", ".join(rest) + ".")[:1].upper() + (", ".join(rest) + ".")[1:]] if rest else []
    return " ".join(out), kept


def _plain(phrase: str) -> str:
    return re.sub(r"\s*-\s*", "-", phrase.lower()).strip()
