"""Checks of form a rater makes on the two prompts, on a re-parse of each: phrases with no head
noun or a dangling function word, finite verbs that disagree with their subject, a bare object
pronoun opening a sentence, the subject said again, a style word taken as the role, caption
meta left in. Each returns the offending words (empty: the check passes)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import past_lemma, present
from stdt2v.prompts.opening import verb_as_noun
from stdt2v.prompts.participle import describing_participle
from stdt2v.prompts.recall import dangling_text
from stdt2v.prompts.spatial import looks_like_verb
from stdt2v.prompts.style import STYLE_WORDS, comma_segments
from stdt2v.prompts.words import graspable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Particles that end a sentence well ("looks up", "illuminates him from above").
_ADVERB_PARTICLES = frozenset("up down out on off in around inside over away back by above below behind beneath".split())
_DANGLING = ("ADP", "CCONJ", "DET", "SCONJ", "AUX", "PART")
_META = re.compile(r"\b(?:the|this) (?:video|clip|footage)\b|\boverall (?:scene|atmosphere|mood|setting|content)\b", re.IGNORECASE)


_WHERE_WORDS = frozenset("overhead nearby behind above below around outside ahead beyond underneath inside downstairs upstairs".split())


def fragment_phrases(nlp: Language, spatial: str) -> list[str]:
    """Comma-separated phrases of the spatial prompt that end on a function word or a pronoun
    ("light jacket to", "and he is", "in front of his") or hold no noun or adjective at all."""
    bad = [m.group(0).strip() for m in re.finditer(r"[^,]*,\s*,", spatial)]  # "chef,, ...": an empty list item
    phrases = [p.strip() for p in spatial.split(",")]
    for k, phrase in enumerate(phrases):
        if not phrase:
            continue
        if phrase.endswith((" in hand", " nearby")) and not graspable([t for t in nlp(phrase)][: -2 if phrase.endswith(" in hand") else -1]):
            bad.append(phrase)  # "warm light in hand", "a dust nearby": nothing to hold or place
            continue
        doc = nlp(phrase)
        words = [t for t in doc if not t.is_punct]
        if len(words) < 2:  # one word ("long" of "long, wavy hair", "beard") stands as it is
            continue
        if dangling_text(phrase):  # "loupe pressed to his eye as he carefully", "expression focused yet"
            bad.append(phrase)
            continue
        last = words[-1]
        # "pulled into a low": the adjective lost its noun (not "a small, slightly open suitcase": the list of adjectives goes on)
        goes_on = k + 1 < len(phrases) and bool(phrases[k + 1]) and nlp(phrases[k + 1])[0].pos_ not in ("DET", "ADP", "PRON", "NOUN", "PROPN")
        if last.pos_ == "ADJ" and words[-2].pos_ in ("DET", "ADP") and last.lower_ in _PLAIN_ADJECTIVES and not goes_on:
            bad.append(phrase)
            continue
        no_head = not any(t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or t.tag_ in ("VBN", "VBG") for t in words)
        if last.lower_ in _WHERE_WORDS and any(t.pos_ in ("NOUN", "PROPN") for t in words[:-1]):
            continue  # "gulls overhead", "a dog nearby": a thing and where it is
        if last.pos_ in _DANGLING or (last.pos_ == "PRON" and last.lower_ not in ("him", "her", "them", "it")) or no_head:
            bad.append(phrase)
    return bad


def dangling_endings(doc: Doc) -> list[str]:
    """Sentences that end on a conjunction, preposition or article ("... across the sky and.")."""
    out = []
    for sent in doc.sents:
        words = [t for t in sent if not t.is_punct]
        if words and words[-1].pos_ in ("ADP", "CCONJ", "DET", "SCONJ") and words[-1].lower_ not in _ADVERB_PARTICLES:
            out.append(" ".join(t.text for t in words[-3:]))
    return out


def disagreements(doc: Doc) -> list[str]:
    """Finite verbs that disagree with their subject: 'he lift', 'the leaves falls'."""
    out = []
    for t in doc:
        subjects = [c for c in t.children if c.dep_ == "nsubj"]
        if not subjects or t.pos_ not in ("VERB", "AUX") or any(c.dep_ == "aux" for c in t.children):
            continue
        # Pronoun subjects only: the small parser often takes a noun for a verb ("The camera moves left").
        s = subjects[-1]  # the one nearest the verb
        if t.tag_ in ("VB", "VBP") and t.dep_ in ("ccomp", "xcomp") and t.head.lemma_.lower() in _BARE_INFINITIVE_HEADS and s.lower_ not in ("he", "she"):
            continue  # "watches it strike the target": a bare infinitive after a verb of seeing or making
        plural = s.lower_ in ("they", "we")
        singular = s.lower_ in ("he", "she", "it")
        if (t.tag_ == "VBZ" and plural) or (t.tag_ in ("VBP", "VB") and singular):
            out.append(f"{s.text} {t.text}")
        for c in t.children:  # "he draws ..., carefully cut along the lines"
            if c.dep_ == "conj" and c.tag_ == "VBP" and singular and not any(k.dep_ == "nsubj" for k in c.children):
                out.append(f"{s.text} ... {c.text}")
    return out


# Verbs that take an object and a bare infinitive ("watches it fall", "lets it go", "makes him laugh").
_BARE_INFINITIVE_HEADS = frozenset("watch see hear feel notice observe let make help have".split())


def bare_pronoun_openings(doc: Doc) -> list[str]:
    """A sentence that opens with an object pronoun ("Him from the waist up, ...")."""
    return [s[0].text for s in doc.sents if s[0].lower_ in ("him", "them") or (s[0].lower_ == "her" and s[0].tag_ == "PRP" and s[0].dep_ != "poss")]


def repeated_subject(doc: Doc, subject: str) -> list[str]:
    """The subject said again in the opening sentence: "A woman, a zookeeper, appearing to be a woman"."""
    first = next(iter(doc.sents), None)
    if first is None:
        return []
    # Up to the subject's first finite verb, which may be a sentence later ("A man, a 4K. Close-up of a bearded man sipping").
    verb = next((t for t in doc if t.tag_ in ("VBZ", "VBP", "VBD", "MD") or verb_as_noun(t)), None)
    end = verb.i if verb is not None else len(doc)  # "A man waves at a woman": the woman after the verb is someone else
    said = set(re.findall(r"[a-z]+", subject.lower()))
    # "A woman, a young girl in a sundress": a kind word the subject phrase does not say is no repeat
    kinds = lexicon.PLAIN_PERSON - {"man", "woman", "person", "individual", "figure", "adult"}
    plain = [
        t
        for t in doc[:end]
        if t.lemma_.lower() in lexicon.PLAIN_PERSON
        and t.pos_ == "NOUN"
        and not (t.dep_ == "pobj" and t.head.lower_ == "with")
        and (t.lemma_.lower() in said or t.lemma_.lower() not in kinds)
    ]
    return [f"{t.text}" for t in plain[1:]] if len(plain) > 1 else []


def style_as_role(spatial: str, subject: str) -> list[str]:
    """'A woman as a realistic, High-quality', 'A man as a close-up': a style or picture word taken as the role."""
    match = re.match(rf"{re.escape(subject)} as an? ([^,]+)", spatial)
    if not match:
        return []
    words = re.findall(r"[a-z0-9-]+", match.group(1).lower())
    # a time or light word is no role as its head ("a sunset"), but may modify one ("a night watchman")
    bad = set(words) & (STYLE_WORDS | lexicon.NON_ROLE_NOUNS) or set(words[-1:]) & (lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS)
    return [match.group(1)] if bad or "close" in match.group(1).lower() else []


def caption_meta(temporal: str) -> list[str]:
    return [m.group(0) for m in _META.finditer(temporal)]


def style_as_temporal_role(temporal: str, subject: str) -> list[str]:
    """'A man, a 4K, film grain.': a style or picture word in the temporal prompt's role slot."""
    match = re.match(rf"{re.escape(subject)}, an? ([^,.]+)[,.]", temporal)
    if not match:
        return []
    # the role's own noun phrase: "a courier in a green cap on a bridge at dusk" names no style by "dusk"
    head = re.split(r"\b(?:in|with|at|on|from|by|under|near|during|beside|inside|behind|through|across|along|wearing|who|that)\b", match.group(1).lower())[0]
    words = set(re.findall(r"[a-z0-9-]+", head))
    return [match.group(1)] if words & (STYLE_WORDS | lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS) or "close-up" in words else []


def verbless_sentences(doc: Doc, finite_words: frozenset[str] = frozenset()) -> list[str]:
    """Sentences about the person with no finite verb ("Close-up of a bearded man sipping coffee.",
    "A man: A man skateboarding down a hill."); style and framing sentences are verbless by nature.
    ``finite_words``: words the input's own parse reads as finite verbs ("whisks"), which a re-parse
    of a short output sentence may take for nouns."""
    person = lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON | {"he", "she", "him", "her"}
    out = []
    for sent in doc.sents:
        words = [t for t in sent if not t.is_punct]
        finite = any(
            t.tag_ in ("VBZ", "VBP", "VBD", "MD")
            or t.lower_ in ("is", "are")
            or t.lower_ in finite_words
            or looks_like_verb(t)
            or verb_as_noun(t)
            or _verb_after_appositive(t, person)
            for t in words
        )
        # the person named, not a possessive ("Low-angle shot, focusing on her hands" is about the shot), nor a
        # place by them ("..., the station sign blurred behind him" is about the shot's background)
        named = [
            t
            for t in words
            if (t.lower_ in person or t.lemma_.lower() in person)
            and t.tag_ != "PRP$"
            and t.dep_ != "poss"
            and not (t.dep_ == "pobj" and t.head.lower_ in _PLACE_PREPS)
        ]
        if words and not finite and named:
            out.append(" ".join(t.text for t in words[:6]))
    return out


_PLACE_PREPS = frozenset("behind beside around near above below under over beyond".split())


def _verb_after_appositive(t, person) -> bool:
    """'A man, a teenage boy in shorts, practices alone': an -s verb after the appositive's closing
    comma that the parse took for a plural noun in apposition to the person."""
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    return (
        t.tag_ == "NNS"
        and t.lower_.endswith("s")
        and t.i > 0
        and t.nbor(-1).text == ","
        and t.dep_ == "appos"
        and t.head.lemma_.lower() in person
        and nxt is not None
        and nxt.pos_ in ("ADV", "ADJ", "ADP", "DET", "PRON")
    )


def stray_punctuation(text: str) -> list[str]:
    """'..., from the waist up:.', 'close-up:.': a mark left before the full stop by a moved phrase."""
    return [m.group(0) for m in re.finditer(r"\S+\s*[:;,]\s*\.", text)]


_SOUND_OR_MOVE = re.compile(
    r"\b(?:heard|hears?|audible|tracking shot|dolly|panning|pans? (?:left|right|across)|zooms? (?:in|out)|push(?:es)? in|handheld|fast cuts)\b", re.IGNORECASE
)


def keyframe_leaks(spatial: str) -> list[str]:
    """Spatial phrases that a still cannot show: a sound ("faint ticking heard") or a camera move
    ("tracking shot", "the camera pushes in")."""
    return [p.strip() for p in spatial.split(",") if _SOUND_OR_MOVE.search(p)]


def repeated_phrases(spatial: str) -> list[str]:
    """A phrase said twice, or said again inside a longer one ("a handwritten letter in hand,
    handwritten letter at her kitchen table"; "cinematic shot: low angle, low-angle shot")."""
    phrases = [re.sub(r"^(?:a|an|the) ", "", p.strip().lower()) for p in spatial.split(",") if p.strip()]
    out = []
    for i, p in enumerate(phrases):
        words = p.split()
        lead = " ".join(words[:2]) if len(words) >= 2 else None
        if p in phrases[:i] or (lead is not None and any(f" {lead} " in f" {q} " for q in phrases[:i]) and lead.split()[0] not in _FUNCTION):
            out.append(p)
    if len([p for p in phrases if re.search(r"\b(?:low|high)[- ]angle\b", p)]) > 1:
        out.append("the camera angle said twice")
    return out


_FUNCTION = frozenset("in on at by with of from under near sitting standing seated leaning kneeling".split())
# Adjectives of size, shape and tone that a cut phrase leaves without their noun ("into a low").
_PLAIN_ADJECTIVES = lexicon.COLORS | frozenset(
    "low high small large big long short tall wide narrow soft bright dark pale deep thin thick light heavy warm cool".split()
)


def subject_header(temporal: str, subject: str) -> list[str]:
    """'A man: Close-up shot of a Black man ...': the subject as a label before a colon, not the opening of a sentence."""
    return [f"{subject}:"] if re.match(rf"{re.escape(subject)}\s*:", temporal.strip()) else []


_OPENS_CLAUSE = frozenset("and or but then as while when because before after until if that which who where so".split())


def stacked_verbs(doc: Doc) -> list[str]:
    """A finite verb inside another verb's object: 'has her dark hair pulls up' (a participle made
    finite), 'wears a hat, goggles and a vest works on the frame' (two verbs, no conjunction)."""
    out = []
    for t in doc:
        after_noun = t.i > 0 and t.nbor(-1).pos_ in ("NOUN", "PROPN")
        if not after_noun or any(c.dep_ in ("aux", "auxpass") for c in t.children):
            continue
        if t.tag_ in ("VBZ", "VBP") and t.pos_ == "VERB":
            subject = next((c for c in t.children if c.dep_ == "nsubj" and c.i < t.i), None)
            before = t.doc[subject.left_edge.i - 1] if subject is not None and subject.left_edge.i > t.sent.start else None
            if before is not None and before.pos_ == "VERB" and before.tag_ in ("VBZ", "VBP") and before.i == t.head.i:
                out.append(f"{before.text} ... {t.text}")  # "has her dark hair pulls"
            elif (governor := _listing_verb(t)) is not None:
                out.append(f"{governor.text} ... {t.nbor(-1).text} {t.text}")  # "wears a coat, a scarf and a hat waits"
        elif verb_as_noun(t) and t.dep_ in ("conj", "dobj"):
            # the -s word ends the object list of a finite verb of the same sentence, and a preposition follows
            path = [t]
            while path[-1].dep_ == "conj" and path[-1].head.i != path[-1].i:
                path.append(path[-1].head)
            governor = path[-1].head if path[-1].dep_ == "dobj" and path[-1].head.tag_ in ("VBZ", "VBP") else None
            between = t.doc[governor.i + 1 : t.i].text.lower() if governor is not None else ""
            words = set(re.findall(r"[a-z]+", between))
            if (
                governor is not None
                and t.nbor(1).pos_ == "ADP"
                and not words & (_OPENS_CLAUSE - {"and"})
                and ", and" not in between
                and not words & {"he", "she"}
            ):
                out.append(f"{governor.text} ... {t.nbor(-1).text} {t.text}")
    return out


def _listing_verb(t):
    """The finite verb whose comma list of objects ('a coat, a scarf and a hat') runs into ``t``."""
    governor = next((k for k in reversed(t.doc[t.sent.start : t.i]) if k.tag_ in ("VBZ", "VBP") and k.pos_ == "VERB"), None)
    if governor is None or not any(c.dep_ == "dobj" for c in governor.children):
        return None
    between = t.doc[governor.i + 1 : t.i].text.lower()
    words = set(re.findall(r"[a-z]+", between))
    listed = "," in between and " and " in between.rsplit(",", 1)[-1]
    return governor if listed and ", and" not in between and not words & (_OPENS_CLAUSE - {"and"}) and not words & {"he", "she", "they", "it"} else None


def finite_in_list(doc: Doc) -> list[str]:
    """'..., round glasses, black hair, goes gray at the temples, clean-shaven, ...': a finite verb
    with no subject of its own between the bare noun phrases of a list of looks."""
    out = []
    for sent in doc.sents:
        segments = comma_segments(sent)
        for k in range(2, len(segments) - 1):
            head = next((t for t in segments[k] if t.pos_ != "ADV"), None)
            near = segments[k - 1][0].i  # a subject of its own right before it ('..., the rain falls')
            if head is None or head.tag_ not in ("VBZ", "VBP") or head.pos_ != "VERB" or any(c.dep_ == "nsubj" and c.i >= near for c in head.children):
                continue
            if any(s[0].pos_ == "ADP" for s in segments[:k]):
                continue  # "with short hair and a warm, composed expression, is wearing": the list is a 'with' phrase
            bare = [s for s in segments[k - 2 : k] if not any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in s)]
            looks = bare and segments[k - 1][0].pos_ not in ("DET", "ADP", "PRON") and any(t.pos_ == "NOUN" for t in segments[k - 1])
            after = segments[k + 1]
            verbless_after = not any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in after) and after[0].pos_ not in ("DET", "PRON", "ADP")
            if len(bare) == 2 and looks and verbless_after:
                out.append(f"{segments[k - 1][-1].text}, {head.text}")
    return out


def missing_list_commas(doc: Doc) -> list[str]:
    """'short silver curls pale blue eyes': two looks or garments of a list with no comma between."""
    things = lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS
    out = []
    for t in doc:
        if not {t.lemma_.lower(), t.lower_} & things or t.dep_ == "compound" or t.i + 2 >= len(doc):
            continue
        if t.tag_ in ("VBN", "VBD") or t.lower_.endswith("ed"):
            continue  # "long braided black hair": a participle whose lemma is a look ('braid'), no item of its own
        k = t.i + 1
        while k < len(doc) and (doc[k].pos_ == "ADJ" or doc[k].text == "-"):
            k += 1
        if k == t.i + 1 or k >= len(doc):
            continue
        while k + 1 < len(doc) and doc[k].dep_ == "compound":
            k += 1
        if doc[k].pos_ == "NOUN" and {doc[k].lemma_.lower(), doc[k].lower_} & things:
            out.append(doc[t.i : k + 1].text)
    return out


def participles_made_finite(original: Doc, temporal: str) -> list[str]:
    """'a bald head rings by grey curls', 'freckles pale skin': a past participle that describes a
    noun in the input ("ringed by", "freckled") made a present verb in the temporal prompt."""
    low = f" {temporal.lower()} "
    out = []
    for t in original:
        if t.i == 0 or not describing_participle(t):
            continue
        before, verb = original[t.i - 1].lower_, present(past_lemma(t) or t.lemma_, plural=False)
        if f" {before} {verb} " in low or f" {before}, {verb} " in low:
            out.append(f"{before} {verb}")
    return out
