"""Caption meta and hedging: words about the video rather than in it.

Long captions ("The video features ...") describe the medium ("Throughout the sequence",
"In subsequent frames") and hedge ("appears to be", "possibly", ", suggesting they may be a
meteorologist"). Neither can be rendered; both are removed, and listed in ``dropped``. A last
sentence that was cut off mid-way ("The overall content of the video appears") goes too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import present
from stdt2v.prompts.interpret import HEDGE_VERBS, JUDGING_VERBS, interprets, is_interpretation, of_the_picture, purpose_clause
from stdt2v.prompts.restate import repeats_earlier, splice_new_place

if TYPE_CHECKING:
    from spacy.tokens import Doc

_MEDIUM = r"(?:video|clip|footage|sequence|presentation|demonstration|segment|scene|shot|frames?|broadcast|recording)"
_RUNTIME = r"(?:video|clip|footage|sequence|presentation|demonstration|segment|frames|broadcast|recording)"
# Sentence openings about the medium; each ends before the content resumes.
LEADING_META = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"^(?:the|this|in this|in the)\s+{_MEDIUM}\s+(?:features|shows|depicts|captures|presents|displays|begins with|opens with|starts with)\s+",
        rf"^(?:the|this|in this|in the)\s+{_MEDIUM}\s*,\s*",
        # "in the video a young woman ...": the same with no comma, before the content's own article or pronoun
        rf"^(?:in|within) (?:the|this)\s+{_MEDIUM}\s+(?=(?:a|an|the|he|she|they|there|his|her|their|we|i)\b)",
        rf"^(?:throughout|during|across|over the course of)\s+(?:the|this)\s+(?:\w+\s+)?{_MEDIUM}\s*,\s*",
        rf"^as the\s+{_MEDIUM}\s+(?:progresses|continues|goes on|unfolds)\s*,\s*",
        rf"^in (?:the )?(?:subsequent|later|following|next|final|first|opening|earlier|last)\s+{_MEDIUM}\s*,\s*",
        r"^(?:initially|overall|subsequently|meanwhile|finally|later on|at first|in conclusion)\s*,\s*",
        r"^the (?:sequence|video|clip) (?:begins|starts|opens|progresses|continues|ends|concludes) with\s+",
        r"^(?:at one point|at some point)\s*,\s*",
        rf"^(?:at|in) the (?:very )?(?:beginning|start|outset)(?: of the {_MEDIUM})?\s*,\s*",
        r"^(?:the|this) scene (?:unfolds|takes place|is set)\s+(?=in |at |on )",
        # "It seems like he is tired", "It looks as if she is lost": the hedge goes, the clause it hedges stays
        r"^it (?:seems|appears|looks) (?:like|as if|as though|that)\s+(?=(?:he|she|they)\b)",
    )
]
# The same phrases inside a sentence ("remains consistent throughout the video").
INLINE_META = re.compile(
    rf",?\s+(?:throughout|during|over the course of)\s+(?:the|this|all|all the|each|every)\s+(?:\w+\s+)?{_MEDIUM}\b(?!\s+(?:of|with)\b)"
    # "across the frame" after a verb of motion ("mist drifting across the frame") is the motion's path: kept
    # (after any verb: "spray whips across the frame"); only "across the video" and its like are about the medium
    rf"|(?<!ing),?\s+across\s+(?:the|this|all|all the|each|every)\s+(?:\w+\s+)?{_RUNTIME}\b(?!\s+(?:of|with)\b)"
    r"|(?<!\bout)\s+of the (?:image|frame|picture|photo|photograph|video|clip|footage)\b"  # "in and out of the frame" is a path: kept
    # ", typical of a laboratory environment": a judgement of the kind of setting, set off after what it judges
    # (never ", typical of an overcast winter afternoon": a time or a place named there is content)
    r"|,\s+(?:typical|characteristic|reminiscent|emblematic|evocative|suggestive) of\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:environment|setting|atmosphere|ambiance|ambience|scene|space|mood|vibe|aesthetic|style|look|feel)s?(?=[,.;]|$)",
    re.IGNORECASE,
)
HEDGE_WORDS = frozenset("possibly likely perhaps probably apparently seemingly presumably potentially".split())
INTERPRETIVE_SUBJECTS = frozenset("this these that it which".split())
# "looks to be in his seventies" too, but never "looks to the sky"
_SEEM = re.compile(r"\b(appears|seems|appear|seem|looks(?= to be\b)|look(?= to be\b)) to (be|\w+)\b", re.IGNORECASE)
# "seems busy", "seem absorbed in the task": the hedge goes, the state stays ("is busy"); never "it seems the ..." or "seems like"
_SEEM_STATE = re.compile(
    r"\b(seems|seem)\s+(?!(?:to|like|as|that|if|though|the|a|an|this|his|her|their|he|she|they|it|there|so|more|less)\b)(?=[a-z])", re.IGNORECASE
)
# "appearing to be a woman in her early 30s", "appearing focused": the hedge goes, the look stays.
_APPEARING = re.compile(
    r",?\s*\b(?:appearing|seeming|presenting|presents|appears|seems|looking|looks) (?:to be|as|like)"
    r" (?:an?|the) (?:[\w-]+ ){0,2}?(?:woman|man|person|girl|boy|lady|gentleman|individual)\b\s*",
    re.IGNORECASE,
)
# "He appears to be waiting for someone, occasionally glancing down the street": the guessed activity
# goes, the visible one after the comma stays ("He is occasionally glancing down the street").
# Only a guess at an intention or a state of mind goes so; "appears to be writing in a notebook,
# occasionally pausing" is seen, and only its hedge goes.
_GUESSED = (
    r"(?:wait|prepar|think|reflect|contemplat|ponder|enjoy|try|plann|search|look|hop|consider|relax|celebrat|get|head"
    r"|focus|concentrat|decid|expect|anticipat|struggl|medit|daydream|rest)ing"
)
_GUESSED_ACTIVITY = re.compile(rf"^(He|She|They) ((?:appears|seems|appear|seem) to be {_GUESSED}\b[^,.;]*,\s*)(?=(?:\w+ly )?\w+ing\b)", re.IGNORECASE)
_LOCATED = re.compile(r",?\s+(?:that|which) (?:is|are) (?:located|situated|set) (?=(?:in|at|on|near|by|beside|along|inside|within)\b)")
_AS_SHOWN_BY = re.compile(r",?\s+as (?:indicated|evidenced|suggested|shown|implied) by\s+", re.IGNORECASE)
_APPEARING_LOOK = re.compile(r"\b(?:appearing|seeming)(?: to be)?\s+", re.IGNORECASE)
# Closing sentences about the video as a whole ("Overall, the video captures a moment of ...",
# "The scene captures a moment of reflection"): interpretation, never content.
SUMMARY = re.compile(
    rf"^(?:overall,?\s+)?(?:the|this)\s+(?:overall\s+)?{_MEDIUM}\s+(?:captures|conveys|highlights|showcases|emphasizes|evokes|creates)\b|^(?:the|this)\s+overall\s+\w+\s+(?:is|remains)\b"
    # "The video seems to be a corporate promotional clip.": what kind of video it is, not what it shows
    rf"|^(?:the|this)\s+{_MEDIUM}\s+(?:is|seems|appears|looks)\s+(?:to be\s+|like\s+)?(?:likely\s+)?(?:a|an)\s+[\w\s,-]*?\b"
    r"(?:clip|video|ad|advertisement|commercial|promo|tutorial|vlog|trailer|documentary|footage|segment|film|reel|montage)\.?$",
    re.IGNORECASE,
)
# "A man is in view. A firefighter ...": a placeholder for the subject before the sentences about them (said again where the person is)
_PLACEHOLDER = re.compile(r"^(?:a|an|the) (?:man|woman|person|boy|girl|child|individual)(?: is)? in view\.?$", re.IGNORECASE)
# A caption that starts again in the middle of a sentence ("... with the girl's relaxed The video features a girl ...").
RESTART = re.compile(rf"\s+(?=(?:The|This) {_MEDIUM} (?:features|shows|depicts|captures|presents)\b)")


# What deleting "The shot captures" would leave as a verbless object: "him from the waist up",
# "the man from the side".
_OBJECT_LEFT = re.compile(r"(?:him|her|them)\b|the\s+(?:\w+\s+)?(?:man|woman|person|girl|boy|individual|lady|guy)\s+(?:from|in|at|with|on|,)", re.IGNORECASE)


def strip_leading_meta(sentence: str) -> tuple[str, list[str]]:
    """Remove openings about the medium from one sentence; (rest, removed pieces)."""
    removed = []
    changed = True
    while changed:
        changed = False
        for pattern in LEADING_META:
            match = pattern.match(sentence)
            if match and _OBJECT_LEFT.match(sentence[match.end() :]):  # "The footage shows the man from the side" → "The camera shows ..."
                removed.append(match.group(0).split()[1])
                sentence = re.sub(rf"^(?:the|this)\s+{_MEDIUM}\b", "The camera", sentence, count=1, flags=re.IGNORECASE)
                break
            if match and match.end() < len(sentence):
                removed.append(match.group(0).strip(" ,"))
                sentence = sentence[match.end() :]
                sentence = sentence[:1].upper() + sentence[1:]
                changed = True
    for match in INLINE_META.finditer(sentence):
        removed.append(match.group(0).strip(" ,"))
    return INLINE_META.sub("", sentence), removed


def unhedge(sentence: str) -> tuple[str, list[str]]:
    """'appears to be' → 'is', 'seems to smile' → 'smiles'."""
    removed = []

    def repl(match: re.Match) -> str:
        verb, what = match.group(1), match.group(2)
        removed.append(f"{verb} to")
        plural = verb.lower() in ("appear", "seem", "look")
        return present("be" if what.lower() == "be" else what, plural)

    # "in what appears to be a home office" → "in a home office": the hedge's relative goes with it
    what = re.compile(
        r"\b(in|at|on|inside|into|through) (what (?:appears|seems|looks) (?:to be|like)) (?=(?:a|an|the|his|her|their|its)\b|(?-i:[A-Z]))", re.IGNORECASE
    )
    removed += [m.group(2) for m in what.finditer(sentence)]
    sentence = what.sub(r"\1 ", sentence)
    if match := _GUESSED_ACTIVITY.match(sentence):  # "He appears to be waiting for someone, glancing down the street"
        removed.append(match.group(2).strip(" ,"))
        sentence = f"{match.group(1)} {'are' if match.group(1).lower() == 'they' else 'is'} {sentence[match.end() :]}"
    sentence = _SEEM.sub(repl, sentence)
    removed += [m.group(0).strip() for m in _SEEM_STATE.finditer(sentence)]
    sentence = _SEEM_STATE.sub(lambda m: "are " if m.group(1).lower() == "seem" else "is ", sentence)
    # "a studio that seems to be located in a rural area" → "a studio in a rural area": unhedged, the relative says only where
    removed += [m.group(0).strip(" ,") for m in _LOCATED.finditer(sentence)]
    sentence = _LOCATED.sub(" ", sentence)
    for match in _AS_SHOWN_BY.finditer(sentence):
        removed.append(match.group(0).strip(" ,"))
    sentence = _AS_SHOWN_BY.sub(", with ", sentence)
    for match in _APPEARING.finditer(sentence):
        removed.append(match.group(0).strip())
    sentence = re.sub(r"\s{2,}", " ", _APPEARING.sub(" ", sentence)).replace(" ,", ",")
    removed += [m.group(0).strip() for m in _APPEARING_LOOK.finditer(sentence)]
    return _APPEARING_LOOK.sub("", sentence), removed


def is_truncated(sentence: str, is_last: bool) -> bool:
    """A last sentence cut off mid-way: no closing punctuation and no complement after a
    linking or hedging verb ("The overall content of the video appears")."""
    text = sentence.strip()
    if not is_last or text.endswith((".", "!", "?", '"', "'", ")")):
        return False
    return bool(re.search(r"\b(?:appears|seems|is|are|was|were|becomes|remains|shows|the|a|an|of|and|with|to)$", text, re.IGNORECASE))


def _physical(verb) -> bool:
    """'light reflects off the pavement', 'neon signs reflecting in the puddles': a reflection one
    sees (a place it falls on), not an interpretation ("reflects a sense of calm")."""
    places = ("off", "on", "in", "across", "onto", "against", "from")
    return verb.lemma_.lower() == "reflect" and any(c.dep_ == "prep" and c.lower_ in places for c in verb.children)


def _not_a_person(noun) -> bool:
    return noun.lower_ not in ("he", "she", "they", "i", "we", "you") and noun.pos_ != "PROPN" and noun.lemma_.lower() not in _PEOPLE


_PEOPLE = frozenset("man woman person girl boy lady individual people he she they presenter speaker host reporter".split())


def _describes_a_thing(verb) -> bool:
    """'a map highlighting "Total Rainfall"': a participle on a noun says what the thing shows
    (hedges such as "suggesting" aside)."""
    return verb.lemma_.lower() not in HEDGE_VERBS and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN")


def _or_hedge(cc) -> tuple[int, int] | None:
    """'a cloak or robe', 'cuts or wounds', 'a document or piece of paper': the caption could not
    decide; a picture shows one, the first. 'an LED or LCD display' keeps the shared noun."""
    head = cc.head
    if cc.lower_ != "or" or cc.dep_ != "cc" or head.pos_ not in ("NOUN", "PROPN", "ADJ") or head.i > cc.i:
        return None
    conj = next((c for c in head.children if c.dep_ == "conj" and c.i > cc.i and c.pos_ == head.pos_ or c.dep_ == "conj" and c.i > cc.i), None)
    if conj is None or any(t.lower_ in ("either", "whether") for t in head.doc[max(0, head.i - 3) : head.i]):
        return None
    lefts = [c for c in conj.lefts if c.dep_ in ("compound", "amod", "nmod")]
    if lefts and not any(c.dep_ in ("compound", "amod") for c in head.lefts):  # "an LED or LCD display" → "an LED display"
        return cc.i, max(c.right_edge.i for c in lefts) + 1
    end = conj.i + 1
    for c in conj.rights:
        if c.dep_ == "prep" and c.lower_ == "of":  # "or piece of paper"
            end = c.right_edge.i + 1
    return cc.i, end


def _clause_span(doc, sent, start: int, end: int) -> tuple[int, int]:
    """A clause to remove, with the comma or conjunction that joined it ("casting shadows and
    creating a somber atmosphere" → "casting shadows"), never the sentence's closing stop."""
    while start > sent.start and (doc[start - 1].text == "," or doc[start - 1].dep_ == "cc"):
        start -= 1
    if end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text in ".!?":
        end -= 1
    return start, end


_AGE = re.compile(r"in (?:his|her|their) (?:early |mid-?|late )?(?:\d0s|(?:twen|thir|for|fif|six|seven|eigh|nine)ties)", re.IGNORECASE)


def _hedged_aside(doc: Doc, sent, hedge) -> tuple[int, int] | None:
    """', likely an LED or LCD display,' / ', likely in their 20s or 30s': an aside that is only a
    guess goes whole, its opening comma with it; a hedge before a verb ("he likely smiles") is
    not one."""
    if hedge.i == sent.start or doc[hedge.i - 1].text != "," or hedge.i + 1 >= sent.end:
        return None
    if doc[hedge.i + 1].pos_ not in ("DET", "NOUN", "PROPN", "ADJ", "ADP", "NUM"):
        return None
    end = next((k for k in range(hedge.i + 1, sent.end) if doc[k].text in (",", ";", ".", ":")), sent.end)
    aside = doc[hedge.i + 1 : end]
    if _AGE.fullmatch(aside.text) and not any(t.lower_ == "or" for t in aside):
        return None  # ", likely in his early thirties,": one guess at the age, a look the picture shows; the hedge word alone goes
    if not any(t.lower_ == "or" for t in aside) and any(_seen_guess(t) for t in aside if t.head.i not in range(aside.start, aside.end) or t.head == t):
        return None  # ", likely a firefighter,", ", likely early morning under an overcast sky": one guess at what is seen; the hedge word alone goes
    return hedge.i - 1, end


def _seen_guess(token) -> bool:
    """A person's role, a time of day, light, weather or sky: what a guessing caption still shows."""
    lemma = token.lemma_.lower()
    return token.pos_ == "NOUN" and (lemma in lexicon.ROLE_NOUNS | lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS or lemma in _SKY)


_SKY = frozenset("sky weather fog mist rain snow overcast clouds cloud storm".split())


def hedge_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [start, end) to remove: hedge adverbs, interpretive participle clauses
    (", suggesting ...", "indicative of ..."), and sentences whose whole point is an
    interpretation ("This suggests a detailed analysis")."""
    spans = []
    for sent in doc.sents:
        root = sent.root
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        hedging = root.lemma_.lower() in HEDGE_VERBS and not _physical(root)
        if hedging and subjects and (subjects[0].lower_ in INTERPRETIVE_SUBJECTS or _not_a_person(subjects[0])) and sent.start > 0:
            spans.append((sent.start, sent.end))
            continue
        if subjects and is_interpretation(root, subjects[0]) and sent.start > 0:
            spans.append((sent.start, sent.end))
            continue
        for t in sent:
            hedged = (
                t.lemma_.lower() in HEDGE_VERBS and not _physical(t) and any(s.dep_ == "nsubj" and _not_a_person(s) for s in t.children)
            )  # "and his attire suggests he is a pilot"
            if t.dep_ in ("advcl", "conj") and t.pos_ in ("VERB", "AUX") and (hedged or any(is_interpretation(t, s) for s in t.children if s.dep_ == "nsubj")):
                spans.append(_clause_span(doc, sent, t.left_edge.i, t.right_edge.i + 1))  # ", while the overall scene remains constant"
                continue
            if (hedge := _or_hedge(t)) is not None:
                spans.append(hedge)
                continue
            if t.lower_ in HEDGE_WORDS and (guess := _hedged_aside(doc, sent, t)) is not None:
                spans.append(guess)  # "a large monitor, likely an LED display, which ...": a guess, not a second thing
                continue
            if t.lower_ in HEDGE_WORDS:
                end = t.i + 1
                if end < sent.end and doc[end].text == "," and t.i > sent.start and doc[t.i - 1].text == ",":
                    end += 1
                spans.append((t.i, end))
            elif (t.tag_ == "VBG" and interprets(t) and not _physical(t) and (of_the_picture(t) or not _describes_a_thing(t))) or (
                t.lower_ == "indicative" and t.pos_ == "ADJ"
            ):
                start = t.i if t.left_edge.i < t.i and t.tag_ == "VBG" else t.left_edge.i
                spans.append(_clause_span(doc, sent, start, t.right_edge.i + 1))
            elif t.dep_ in ("relcl", "acl") and (purpose_clause(t) or (t.dep_ == "relcl" and t.lemma_.lower() in JUDGING_VERBS)):
                # ", which is designed to provide ergonomic support", "a glow that highlights the artistry"
                start = min(t.left_edge.i, *(c.i for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "auxpass", "aux")))
                spans.append(_clause_span(doc, sent, start, t.right_edge.i + 1))
            elif t.tag_ in ("WDT", "WP") and t.head.lemma_.lower() in HEDGE_VERBS:  # ", which suggests ..."
                head = t.head
                start = t.i - 1 if t.i > sent.start and doc[t.i - 1].text == "," else t.i
                spans.append((start, head.right_edge.i + 1))
    return spans


_FOREIGN_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")


def drop_foreign_runs(text: str) -> tuple[str, list[str]]:
    """'The俯拍close-up shows ...': CJK words glued into an English prompt go (the English parser
    cannot read them, and the image model would draw them as text)."""
    found = _FOREIGN_RUN.findall(text)
    return (re.sub(r"\s{2,}", " ", _FOREIGN_RUN.sub(" ", text)).strip(), found) if found else (text, [])


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
# "dimly - lit", "off - screen": a hyphen with spaces around it inside one word.
_SPACED_HYPHEN = re.compile(r"\b(\w+ly|off|on|well|half|full|close|long|short) - (\w+)")
# A sentence that starts in lower case after a full stop (". he is wearing").
# "... it looks like evening. overall the video captures ...": a caption typed without capitals starts
# its sentences in lower case; after a full stop ending a word of 3+ letters (never "e.g.", "Dr.") one starts
_LOWER_START = re.compile(r"((?<![.\s][a-z])(?<!\b[A-Za-z]{2})(?<!etc)(?<=[a-z0-9)\"'])[.!?]\s+)([a-z])")


# Copied CSV quoting: '""Global Economic Forum""' → '"Global Economic Forum"'.
_DOUBLED_QUOTES = re.compile(r'""([^"]+)""')
# "In a dimly-lit forest, where the background is filled with trees.": no main verb; without
# 'where' the clause is the sentence ("In a dimly-lit forest, the background is ...").
_PLACE_WHERE = re.compile(r"^((?:In|At|On|Inside|Within|Under|Beneath|Amid|Amidst|Among)\b[^,.;]*),\s+where\s+")
# "The setting appears calm and intimate, with warm lighting ...": the judgement goes, what it has stays.
_SETTING_SEEMS = re.compile(
    r"^((?:The|This)\s+(?:overall\s+)?(?:setting|scene|atmosphere|environment|ambiance|ambience|mood|room|space))\s+"
    r"(?:appears|seems|feels|looks)\s+(?:[\w-]+,?\s+){1,6}?with\s+",
)
_SETTING_SEEMS_ALONE = re.compile(
    r"^(?:The|This)\s+(?:overall\s+)?(?:setting|scene|atmosphere|mood|ambiance|ambience)\s+(?:appears|seems|feels)\s+(?:(?!with\b)[\w-]+,?\s*)+\.?$"
)


def remove_meta(text: str) -> tuple[str, list[str], list[str]]:
    """(text without caption meta and hedging verbs, removed pieces, notes)."""
    text = _DOUBLED_QUOTES.sub(r'"\1"', text)
    text = _LOWER_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    text = _SPACED_HYPHEN.sub(r"\1-\2", text)
    pieces = RESTART.split(text)
    if len(pieces) > 1:  # the caption starts again mid-sentence: the cut-off piece before it goes
        removed_pieces = [p.strip() for p in pieces[:-1] if not p.rstrip().endswith((".", "!", "?"))]
        text = " ".join(p if p.rstrip().endswith((".", "!", "?")) else _drop_last_fragment(p) for p in pieces)
    else:
        removed_pieces = []
    sentences = _SENTENCE_END.split(text)
    kept, removed, notes = [], [], []
    seen: set[str] = set()
    for i, sentence in enumerate(sentences):
        key = sentence.strip().lower()
        placeholder = i == 0 and len(sentences) > 1 and _PLACEHOLDER.match(sentence.strip())
        if key in seen or (i > 0 and SUMMARY.match(sentence.strip())) or placeholder:  # a repeated sentence; a summary of the video
            removed.append(sentence.strip())
            continue
        seen.add(key)
        if repeats_earlier(strip_leading_meta(sentence.strip())[0], kept):
            kept = splice_new_place(strip_leading_meta(sentence.strip())[0], kept)
            removed.append(sentence.strip())
            notes.append(f"'{sentence.strip()}' repeats what the prompt said before; left out (a place it adds kept)")
            continue
        if i > 0 and _SETTING_SEEMS_ALONE.match(sentence.strip()):
            removed.append(sentence.strip())
            notes.append(f"'{sentence.strip()}' judges the setting; left out")
            continue
        removed += [m.group(0)[len(m.group(1)) :].strip(" ,") for m in [_SETTING_SEEMS.match(sentence.strip())] if m]
        sentence = _SETTING_SEEMS.sub(r"\1 has ", sentence.strip())
        if is_truncated(sentence, is_last=i == len(sentences) - 1 and i > 0):
            removed.append(sentence.strip())
            notes.append(f"the last sentence is cut off ('{sentence.strip()}'); left out")
            continue
        sentence, gone = strip_leading_meta(sentence.strip())
        sentence, hedges = unhedge(sentence)
        if i > 0 and SUMMARY.match(sentence.strip()):  # "Overall, the video seems to capture a moment of ...": a summary once unhedged
            removed.append(sentence.strip())
            continue
        if match := _PLACE_WHERE.match(sentence):
            removed.append("where")
            sentence = f"{match.group(1)}, {sentence[match.end() :]}"
        removed += gone + hedges
        if sentence.strip(" .,"):
            kept.append(sentence[:1].upper() + sentence[1:])
    return " ".join(kept), removed + [p for p in removed_pieces if p], notes


def _drop_last_fragment(piece: str) -> str:
    """A piece cut off by a restarted caption: its complete sentences, not the cut-off tail."""
    parts = _SENTENCE_END.split(piece.strip())
    return " ".join(p for p in parts if p.rstrip().endswith((".", "!", "?")))
