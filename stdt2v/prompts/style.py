"""Style headers and framing: words about the picture rather than in it.

Prompts written for text-to-video models often open with a style header ("CG game concept
digital art, a muscular man ...", "Realistic, High-quality. A woman ...") or close with one
("Cinematic lighting with soft shadows. Medium shot, half-body standing."). Such phrases are
neither the role nor the action: they are taken out before the parse, kept as style phrases
after the content of the spatial prompt and as a closing sentence of the temporal one. The
input's own framing ("close-up", "from the waist up", "low-angle") replaces the config's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Shot sizes, most specific first: (pattern, the framing term it gives).
_SIZES = [
    (r"extreme close[- ]?ups?", "extreme close-up"),
    (r"medium close[- ]?ups?", "medium close-up"),
    (r"close[- ]?ups?", "close-up"),
    (r"medium(?:[- ]long)? shots?|mid[- ]shots?|from the waist up|waist[- ]up|upper body|half[- ]body", "medium shot"),
    (r"full[- ]body(?: shot)?|full[- ]length shot|full shot", "full body shot"),
    (r"wide(?:[- ]angle)? shots?|long shots?|establishing shots?", "wide shot"),
]
_ANGLES = [
    (r"low[- ]angle|\bcamera\b[^.,;]{0,20}\blow to the ground", "low-angle"),
    (r"high[- ]angle", "high-angle"),
    (r"eye[- ]level", "eye-level"),
    (r"over[- ]the[- ]shoulder", "over-the-shoulder"),
    # "overhead" alone is a place ("an overhead lamp", "gulls screech overhead"), not a camera angle
    (r"overhead (?:shots?|views?|angles?|cameras?)|top[- ]down|bird'?s[- ]eye", "overhead"),
]
# Qualifiers of the shot size worth keeping beside the framing term.
_EXTENT = re.compile(r"from the waist up|upper body|half[- ]body", re.IGNORECASE)
# "Medium shot to close-up": a change of framing, which is a camera move, not a framing.
FRAMING_CHANGE = r"(?:close-?up|shot) to (?:an? )?(?:[\w-]+ )?(?:close-?up|shot)"
FRAMING_WORDS = re.compile("|".join(p for p, _ in _SIZES + _ANGLES) + r"|\bshots?\b|\bview\b|\bcomposition\b|\blens\b", re.IGNORECASE)

# Words that make a verbless phrase a style phrase (lemmas or forms, lower case).
STYLE_WORDS = frozenset(
    """
art artwork style realistic photorealistic hyperrealistic realism quality high-quality cinematic film still photo photograph
photography raw render rendering rendered painting illustration anime cartoon animation cg 3d 2d 4k 8k hd hdr uhd concept
digital vintage retro monochrome sepia grain graininess bokeh lens lighting colors colours palette tone tones tonal
composition aesthetic masterpiece detailed ultra sharp focus depth vibe documentary
""".split()
)


@dataclass
class Style:
    """What was taken out of a prompt: style phrases (for the spatial prompt), the sentences
    they came from (for the end of the temporal prompt), and the framing term, if any."""

    phrases: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    framing: str | None = None
    extent: str | None = None  # "from the waist up", "upper body", "half-body"


def framing_of(text: str) -> tuple[str | None, str | None]:
    """(framing term, extent) the text gives: the first shot size named (the first frame's),
    with the first camera angle; (None, None) when it names neither."""
    size = _first(text, _SIZES)
    angle = _first(text, _ANGLES)
    extent = _EXTENT.search(text)
    if size is None and angle is None:
        return None, None
    term = f"{angle} {size or 'shot'}" if angle else size
    return term, extent.group(0).lower() if extent else None


def _first(text: str, table) -> str | None:
    hits = [(m.start(), term) for pattern, term in table if (m := re.search(pattern, text, re.IGNORECASE))]
    return min(hits)[1] if hits else None


def names_style(tokens: Sequence[Token]) -> bool:
    """A style word or a framing term in the phrase (a light or a time alone is not enough)."""
    words = _words(tokens)
    return bool(words & STYLE_WORDS or FRAMING_WORDS.search(_text(tokens)))


def _words(tokens: Sequence[Token]) -> set[str]:
    """The phrase's words, lemmas and whitespace-separated forms ("4K" is two tokens to the parse)."""
    return {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens} | set(re.findall(r"[a-z0-9-]+", _text(tokens).lower()))


def is_style_phrase(tokens: Sequence[Token]) -> bool:
    """A verbless phrase about the picture: a style word, or a framing or light term, and no
    person, pronoun or finite verb."""
    if not tokens:
        return False
    words = _words(tokens)
    if tokens and tokens[0].pos_ == "ADP" and _only_framing(tokens) and FRAMING_WORDS.search(_text(tokens)):
        return True  # "from the waist up": a framing phrase, though it opens with a preposition
    if tokens and _EXTENT.fullmatch(_text(tokens)):
        return True  # "upper body", "half-body": the extent named alone
    framed = FRAMING_WORDS.search(_text(tokens)) or tokens[-1].lemma_.lower() in _CAMERA_HEADS  # "Wide locked-off shot" is a shot
    if tokens[0].pos_ == "ADV" and any(t.pos_ == "ADP" and t.dep_ == "prep" for t in tokens[1:]) and any(t.dep_ == "pobj" for t in tokens) and not framed:
        return False  # "..., other cooks move behind him, slightly out of focus": how the things before it look
    if not tokens or tokens[0].pos_ == "ADP" or any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") or t.pos_ == "PRON" or t.tag_ == "PRP$" for t in tokens):
        return False
    if words & (lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON):
        return False
    text = "".join(t.text_with_ws for t in tokens)
    return bool(words & STYLE_WORDS or words & lexicon.LIGHT_NOUNS or words & lexicon.TIME_NOUNS or FRAMING_WORDS.search(text))


def comma_segments(sent) -> list[list]:
    """The sentence split at its commas (and a closing period), as token lists."""
    out, current = [], []
    for t in sent:
        if t.text in (",", ".", "!", "?", ";"):
            if current:
                out.append(current)
            current = []
        else:
            current.append(t)
    if current:
        out.append(current)
    return out


def _text(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _phrase(tokens) -> str:
    """A style phrase as it follows the content: no leading article, lower case unless an acronym."""
    if tokens and tokens[0].lower_ in ("a", "an", "the") and len(tokens) > 1:
        tokens = tokens[1:]
    text = _text(tokens)
    return text if tokens[0].text.isupper() and len(tokens[0].text) > 1 else text[:1].lower() + text[1:]


def split_style(doc: Doc) -> tuple[str, Style]:
    """(the prompt without its style header and style sentences, what they held). A style
    sentence has no finite verb, no person, and only style phrases; a header is the first
    sentence's opening run of style phrases before the person ("A vintage black and white film
    still, a man in his late 30s ...")."""
    style = Style()
    style.framing, style.extent = framing_of(doc.text)
    kept = []
    for i, sent in enumerate(doc.sents):
        if not _acting_person(sent) and (person := _shot_of_person(sent.text.strip(), style, header=False)) != sent.text.strip():
            kept.append(person)  # "Wide shot of an old fisherman mending a net.": the person's sentence, the shot a style one
            continue
        segments = comma_segments(sent)
        # "Slow motion, smoke haze, shallow depth of field, 4K.": a closing list of style terms may name a light or a camera move beside them
        listed = i > 0 and sum(bool(names_style(s)) for s in segments) >= 2
        # "Handheld.": a sentence of camera terms alone is the camera's, whatever follows
        camera = bool(segments) and all(len(s) <= 3 and (_CAMERA_MOTION.search(_text(s)) or _FOOTAGE.search(_text(s))) for s in segments)
        loose = listed or camera  # a list of style terms may hold tags and camera moves beside them
        styled = segments and all(is_style_phrase(s) or (i == 0 and _bare_term(s)) or (loose and (_tag_term(s) or _camera_term(s))) for s in segments)
        if styled and (camera or any(names_style(s) for s in segments)):
            text = sent.text.strip().rstrip(",;: ")
            style.sentences.append(text if text.endswith((".", "!", "?")) else text + ".")
            style.phrases += [_phrase(s) for s in segments if not _only_framing(s) and not _camera_term(s)]
            continue
        if kept and segments and is_style_phrase(segments[0]) and names_style(segments[0]) and all(_absolute_phrase(s) for s in segments[1:]):
            # "Shallow depth of field, the station sign blurred behind him.": a verbless look of the shot closes the prompt
            style.sentences.append(sent.text.strip())
            style.phrases.append(_phrase(segments[0]))
            continue
        if not kept:
            header = []
            for s in segments[:-1]:
                if not (is_style_phrase(s) and names_style(s) and len(s) <= 8):
                    break
                header.append(s)
            if header:
                style.sentences.append(", ".join(_text(s) for s in header) + ".")
                style.phrases += [_phrase(s) for s in header if not _only_framing(s) and not _CAMERA_MOTION.search(_text(s))]
                rest = sent.text[header[-1][-1].idx + len(header[-1][-1].text) - sent.start_char :].lstrip(" ,")
                kept.append(rest[:1].upper() + rest[1:])
                continue
        text = sent.text.strip().lstrip(",;: ")
        kept.append(text[:1].upper() + text[1:])
    if not kept:  # nothing but style: the prompt stays as it is
        return doc.text, Style(framing=style.framing, extent=style.extent)
    kept[0] = _shot_of_person(kept[0], style, header=True)  # "Medium shot, from the waist up, of a chef": the header's rest
    return " ".join(kept), style


# "Full body shot of a teenage boy ...", "Tracking shot from the waist up of a young woman ...",
# "Of a chef ..." (its framing taken as a header above): the shot word before the person.
_SHOT_OF = re.compile(
    r"^(?P<frame>(?:[\w-]+ ){0,3}(?:shots?|close-?ups?|portrait),?(?: (?!of\b)[\w-]+,?){0,8}?)?,? ?\b(?:of|(?<=\bin )on) (?=(?:a|an) )", re.IGNORECASE
)


_FROM_OF = re.compile(r"^(?P<frame>from (?:the )?[\w-]+ (?:up|down)),? of (?=(?:a|an) )", re.IGNORECASE)
_PEOPLE = lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS


def _acting_person(sent) -> bool:
    """'Medium tracking shot of a woman jogging ...': the person's participle hangs on the person;
    the temporal prompt's parse path reads that shot well ("A woman, in her thirties, jogs ..., in a medium tracking shot")."""
    person = next((t for t in sent if t.lemma_.lower() in _PEOPLE and t.dep_ == "pobj" and t.head.lower_ == "of"), None)
    hangs = [person, person.head.head] if person is not None else []  # the parse may hang it on the shot noun
    return any(c.dep_ == "acl" and c.tag_ == "VBG" for t in hangs for c in t.children)


def _shot_of_person(sentence: str, style: Style, header: bool) -> str:
    """'Full body shot of a teenage boy with spiky hair, running ...' → 'A teenage boy with spiky
    hair, running ...', the framing a style sentence of its own: the person, not the shot, is the
    sentence's subject (else the temporal prompt opens with a fragment, "A man: Full body shot of
    ..."). Only where a person word follows within the first few words and the shot part has no
    verb of its own other than 'transitioning'."""
    match = _SHOT_OF.match(sentence) or (_FROM_OF.match(sentence) if header else None)
    near = [w.lower().strip(",.") for w in sentence[match.end() :].split()[:7]] if match else []
    if match is None or not any(w in _PEOPLE or w.rstrip("s") in _PEOPLE for w in near):
        return sentence
    frame = (match.group("frame") or "").strip(" ,")
    # "An eye-level close-up of a woman holding ...": a shot with its article reads as the subject's frame (handled with the parse)
    verb = re.search(r"\b(?:is|are|shows?|captures?|features?|depicts?)\b", frame, re.IGNORECASE)
    # "Close-up of a woman peeling an orange", "Medium shot of a man walking": a size the parse path reads well and says
    # as "The shot frames her in a close-up"; a header's rest ("from the waist up, of a chef") has said its shot already
    sized = re.match(r"(?:extreme |medium |tight )?close-?up|medium\b", frame, re.IGNORECASE) and not _CAMERA_MOTION.search(frame)
    bare_size = sized or (not re.search(r"\bshots?\b", frame, re.IGNORECASE) and not _CAMERA_MOTION.search(frame))
    bare_size = not re.match(r"from\b", frame, re.IGNORECASE) if header else bare_size
    if frame and (bare_size or (not header and not FRAMING_WORDS.search(frame)) or re.match(r"(?:a|an|the)\b", frame, re.IGNORECASE) or verb):
        return sentence
    if frame:
        style.sentences.append(frame[:1].upper() + frame[1:] + ".")
    rest = sentence[match.end() :]
    return rest[:1].upper() + rest[1:]


def _absolute_phrase(tokens) -> bool:
    """'the station sign blurred behind him': a noun phrase and a participle, no finite verb, no person."""
    words = {t.lemma_.lower() for t in tokens}
    if len(tokens) < 3 or tokens[0].pos_ not in ("DET", "ADJ", "NOUN") or words & (lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON):
        return False
    # "the background softly blurred": a past form right after its noun (adverbs between) with no object is the participle
    described = [t for t in tokens if t.tag_ == "VBD" and not any(c.dep_ == "dobj" for c in t.children) and _after_noun(t)]
    if any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") and t.dep_ != "amod" and t not in described for t in tokens):
        return False
    noun = next((i for i, t in enumerate(tokens) if t.pos_ in ("NOUN", "PROPN")), None)
    return noun is not None and any(t.tag_ in ("VBN", "VBG") or t in described for t in tokens[noun + 1 :])


def _after_noun(verb) -> bool:
    k = verb.i - 1
    while k > 0 and verb.doc[k].pos_ == "ADV":
        k -= 1
    return verb.doc[k].pos_ in ("NOUN", "PROPN") and any(c.dep_ == "nsubj" and c.i == k for c in verb.children)


def _bare_term(tokens) -> bool:
    """'golden hour' in 'Wide shot, golden hour.': a short verbless phrase with no article, person or
    pronoun, which an opening sentence of style terms lists beside them."""
    words = {t.lemma_.lower() for t in tokens}
    if not tokens or len(tokens) > 3 or words & (lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON):
        return False
    return all(t.pos_ in ("ADJ", "NOUN", "PROPN", "NUM") or t.text == "-" for t in tokens)


def _tag_term(tokens) -> bool:
    """'smoke haze', 'golden hour', 'night': a short verbless tag of a list, whatever the tagger made
    of its words, with no article, pronoun, preposition or person."""
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    if not tokens or len(tokens) > 3 or words & (lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON):
        return False
    return all(t.pos_ not in ("DET", "PRON", "ADP", "CCONJ", "AUX", "SCONJ") and t.tag_ not in ("VBZ", "VBD", "VBP", "MD") for t in tokens)


def names_camera_move(text: str) -> bool:
    """'handheld camera', 'slow motion', 'dolly zoom': a camera move or a motion of the footage named in `text`."""
    return bool(_CAMERA_MOTION.search(text) or _FOOTAGE.search(text))


def _camera_term(tokens) -> bool:
    """A camera move or a motion of the footage ("slow push-in", "slow motion", "wide shot
    transitioning to close-up"): the video's, never a keyframe's."""
    text = _text(tokens)
    return bool(_CAMERA_MOTION.search(text) or _FOOTAGE.search(text)) or any(t.tag_ == "VBG" and t.dep_ != "amod" for t in tokens)


_FOOTAGE = re.compile(r"\b(?:slow[- ]motion|slow-mo|time[- ]lapse|timelapse|hyperlapse|transitions?|transitioning)\b", re.IGNORECASE)


# A camera move named as a style ("Tracking shot", "handheld camera", "fast cuts"): the temporal prompt's, never the keyframe's.
_CAMERA_MOTION = re.compile(
    r"\b(?:tracking|dolly|panning|pans?|zoom(?:s|ing)?|handheld|hand-held|crane|orbiting|push[- ]in|pull[- ]out|cuts?|whip)\b", re.IGNORECASE
)


def _only_framing(tokens) -> bool:
    """A phrase that only names the framing ("Close-up shot", "high-angle shot"): the framing
    term says it."""
    text = FRAMING_WORDS.sub("", _text(tokens).lower())
    return not re.sub(r"\b(?:a|an|the|shot|shots|view|of|from|above|below)\b|[^a-z]", "", text)


_HEADER = re.compile(r"^\s*([A-Za-z][\w ,'-]{0,60}?):\s+(?=\S)")


def colon_header_as_sentence(text: str) -> str:
    """'Cinematic close-up: a young man ...' → 'Cinematic close-up. A young man ...': a short style
    or framing header before a colon is a sentence of its own, so that it is read as style and
    never spliced into the subject's sentence. Any other header ("Scene: ...") is left alone."""
    match = _HEADER.match(text)
    if match is None or len(match.group(1).split()) > 6:
        return text
    header = match.group(1)
    words = [w for w in re.findall(r"[a-z0-9-]+", header.lower())]
    if not (FRAMING_WORDS.search(header) or (words and all(w in STYLE_WORDS for w in words))):
        return text
    rest = text[match.end() :]
    return f"{header}. {rest[:1].upper()}{rest[1:]}"


def closing_sentence(sentences: list[str], obj: str) -> str:
    """The style sentences as one closing sentence ("Cinematic shot. Low angle." → "Cinematic
    shot, low angle."); framing alone reads as a sentence about the shot ("Close-up." → "The shot
    frames her in a close-up.", as an expert writes it)."""
    parts = [s.strip().rstrip(".!?;:, ") for s in sentences if s.strip(" .")]
    if not parts:
        return ""
    text = ", ".join([parts[0], *(p if p[:2].isupper() else p[:1].lower() + p[1:] for p in parts[1:])])
    words = re.sub(r"[^a-z -]", " ", FRAMING_WORDS.sub(" ", text.lower()))
    if re.sub(r"\b(?:a|an|the|shot|shots|of|from|view)\b|[\s-]", "", words):
        return text + "."
    term, extent = framing_of(text)
    if term is None:
        return text + "."
    where = extent or ("an " if re.match(r"[aeiou]", term) else "a ") + term
    return shot_sentence(obj, where if extent else "in " + where)


def shot_sentence(obj: str, where: str) -> str:
    """'The shot frames her in a close-up.'; a framing named as a shot is framed by the camera, never
    'the shot frames him in a full body shot'."""
    return f"The {'camera' if where.endswith(' shot') else 'shot'} frames {obj} {where}."


def style_tail(doc: Doc) -> tuple[str, list[str]]:
    """'... knocks over a can of soda on the desk, medium shot, warm lamp light.' → '... on the
    desk.' and 'Medium shot, warm lamp light.': the run of style phrases a run-on prompt ends a
    sentence with becomes a style sentence of its own (with the others, closing the prompt)."""
    kept, tail = [], []
    for sent in doc.sents:
        segments = comma_segments(sent)
        run = []
        for s in reversed(segments[1:]):
            if not ((is_style_phrase(s) or _camera_phrase(s)) and len(s) <= 6 and not any(t.pos_ in ("VERB", "DET", "AUX", "PRON") for t in s)):
                break
            run.insert(0, s)
        finite = any(t.tag_ in ("VBZ", "VBP", "VBD") for t in doc[sent.start : run[0][0].i]) if run else False
        if not run or not any(names_style(s) or _camera_phrase(s) for s in run) or not finite:
            kept.append(sent.text.strip())
            continue
        body = doc[sent.start : run[0][0].i].text.rstrip(" ,;")
        kept.append(body + (sent[-1].text if sent[-1].text in ".!?" else "."))
        tail.append(", ".join(_text(s) for s in run) + ".")
    return (" ".join(kept), [t[:1].upper() + t[1:] for t in tail]) if tail else (doc.text, [])


def _camera_phrase(tokens) -> bool:
    """'handheld camera', 'low angle': the camera's work named in a verbless phrase."""
    return bool(tokens) and tokens[-1].lemma_.lower() in _CAMERA_HEADS and all(t.pos_ in ("ADJ", "NOUN", "PROPN", "ADV", "PUNCT") for t in tokens)


_CAMERA_HEADS = frozenset("camera shot angle lens footage cam".split())
