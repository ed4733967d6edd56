"""Phrases cut from the parse for the keyframe prompt: a token's phrase without its nested
clauses or motion, whether it can be drawn, its article, what a dressing verb puts on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import has_subject, indefinite
from stdt2v.prompts.mend import mend_tail
from stdt2v.prompts.style import FRAMING_WORDS
from stdt2v.prompts.words import camera_word, is_motion_word, is_noun_modifier_verb, is_other_person, is_place, looks_like_verb, past_motion, verb_after_noun

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def indefinite_np(tokens: Sequence[Token], text: str) -> str:
    """'a' or 'an' before a singular noun phrase whose article was taken off; plurals and nouns the
    prompt gave no article ("playing guitar", "drinking coffee") as they are."""
    had_article = tokens[0].lower_ in ("a", "an", "the")
    head = next((t for t in reversed(tokens) if t.pos_ in ("NOUN", "PROPN")), tokens[-1])
    return indefinite(text) if had_article and head.tag_ in ("NN", "NNP") else text


def renderable(tokens: Sequence[Token], own: Span | None) -> bool:
    """No motion, sound, smell, camera word or other person; ends on a content word."""
    for t in tokens:
        lemma = t.lemma_.lower()
        camera_cue = camera_word(t) and t.dep_ not in ("compound", "amod")  # "a camera harness" is gear
        # "with a red rose boutonniere": a 'verb' as an object is the parse's noun; "leapt" parsed as a noun is motion
        moves = (is_motion_word(t) and t.dep_ != "pobj") or past_motion(t) or (looks_like_verb(t) and t.dep_ != "pobj") or verb_after_noun(t)
        named_by_place = lemma in lexicon.MOTION_NOUNS and t.dep_ == "pobj" and _of_a_place(t)  # "on the steps of a library": a part of it
        if (moves and not named_by_place) or lemma in lexicon.SENSORY_NOUNS | (lexicon.MOTION_NOUNS if not named_by_place else frozenset()):
            return False
        if camera_cue or is_other_person(t, own):
            return False
    return bool(tokens) and any(t.pos_ in ("NOUN", "PROPN") for t in tokens)


def _of_a_place(noun: Token) -> bool:
    """'steps of a library': the noun has an of-phrase naming a place."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    place = object_of(of) if of is not None else None
    return place is not None and place.pos_ in ("NOUN", "PROPN") and is_place(place)


def phrase_tokens(token: Token, stop_at_clause: bool = True) -> list:
    """``token``'s subtree, cut before a nested clause or a motion word and trimmed of
    dangling function words; a verb's own subject and auxiliaries stay out ("(the presenter
    is) dressed in black")."""
    tokens = []
    left = [c for c in token.children if c.i < token.i and c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "punct", "advmod", "mark")]
    skip = {i for c in left for i in range(c.left_edge.i, c.right_edge.i + 1)}
    # "a field of gently swaying wildflowers" → "a field of wildflowers": the motion word goes, the noun stays
    skip |= {k.i for t in token.subtree if t.tag_ == "VBG" and t.dep_ == "amod" and t.lemma_.lower() in lexicon.MOTION_VERBS for k in t.subtree}
    for t in token.subtree:
        if t.i in skip:
            continue
        modifier = is_noun_modifier_verb(t) or (
            t.tag_ in ("VBD", "VBN") and t.dep_ == "conj" and not has_subject(t) and t.i + 1 < len(t.doc) and t.nbor(1).pos_ in ("ADJ", "NOUN")
        )
        clause = t.pos_ == "VERB" and t.dep_ in ("advcl", "relcl", "conj", "acl", "ccomp", "xcomp", "pcomp") and not modifier
        if t.i != token.i and stop_at_clause and clause:
            break
        if t.i != token.i and (t.tag_ in ("WRB", "WDT", "WP") or is_motion_word(t) or looks_like_verb(t) or t.text in (";", ":")):
            break
        if t.i != token.i and t.text == "," and t.head.i < token.i:
            break
        if t.i != token.i and t.text == "," and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "with" and tokens and tokens[0].lower_ != "with":
            break  # "a plaid shirt, with dirt on his jeans": the second 'with' is a phrase of its own
        absolute = (o := object_of(t)) is not None and o.lemma_.lower() in lexicon.BODY_NOUNS and any(c.dep_ == "poss" for c in o.children)
        if t.i != token.i and t.lower_ == "with" and absolute and any(c.tag_ in ("VBG", "VBN") for c in [*o.children, *t.children]):
            break  # "on the railing, with his chin resting on his hand": an absolute phrase of its own
        if t.i != token.i and t.text == "," and t.i + 2 < len(t.doc) and t.nbor(1).pos_ == "CCONJ" and t.nbor(2).tag_ == "PRP":
            break  # "a white coat and a blue tie, and he is tired": a clause of its own
        if t.i != token.i and t.text == "," and t.i + 1 < len(t.doc) and t.nbor(1).tag_ in ("VBN", "VBG") and t.nbor(1).lemma_.lower() in lexicon.POSE_VERBS:
            break  # "a lilac cardigan, seated at a kitchen table": the pose is a phrase of its own
        if t.i != token.i and t.text == "," and t.i + 1 < len(t.doc) and t.nbor(1).tag_ == "PRP$":
            break  # "a casual outfit, her hands immersed in water": an absolute phrase, not more of the outfit
        tokens.append(t)
    while tokens and (tokens[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "DET", "SCONJ", "PRON", "AUX", "PART") or tokens[-1].lower_ in ("as", "while")):
        tokens.pop()
    return mend_tail(tokens)


def object_of(token):
    """The object of a verb or preposition, if it has one."""
    return next((c for c in token.children if c.dep_ in ("pobj", "dobj")), None)


def attire_from_verb(verb) -> list:
    """'dressed in a white suit' / 'wearing a blazer' → the tokens after the verb (and its 'in')."""
    tokens = phrase_tokens(verb)
    if len(tokens) > 2 and tokens[1].lower_ == "as":  # "dressed as a mermaid": the verb stays
        return tokens
    skip = 1
    if len(tokens) > 1 and tokens[1].lower_ in ("in", "with"):
        skip = 2
    return tokens[skip:]


# Words that only qualify a shot ("slightly high angle", "tight close-up"): nothing to draw.
_SHOT_QUALIFIERS = r"\b(?:a|an|the|shots?|views?|angles?|of|from|above|below|slightly|very|tight|extreme|medium|wide|camera|framing|framed)\b"


def framing_only(text: str) -> bool:
    """A phrase that names only the framing ("medium shot", "Close-up", "slightly high angle"):
    the framing term at the end of the keyframe prompt says it."""
    if not FRAMING_WORDS.search(text) and not re.search(r"\bangle\b", text, re.IGNORECASE):
        return False
    rest = re.sub(_SHOT_QUALIFIERS, " ", FRAMING_WORDS.sub(" ", text.lower()))
    return not re.sub(r"[^a-z0-9]", "", rest)


_ABBREVIATIONS = frozenset("St Dr Mr Mrs Ms Jr Sr Mt Ft vs No".split())


def without_framing(phrase: str) -> str:
    """The phrase less its comma or sentence pieces that name only the framing ("soda on the
    desk, medium shot" → "soda on the desk"; "4K. Close-up" → "4K"), its sentence stops made
    commas: a list item never holds a full stop, and the framing is said once, last."""
    sentences: list[str] = []
    for part in re.split(r"\.\s+(?=[A-Z0-9])", phrase.strip()):
        if sentences and sentences[-1].rpartition(" ")[2] in _ABBREVIATIONS:
            sentences[-1] += ". " + part  # "St. Mark's Square": an abbreviation's stop, not a sentence's
        else:
            sentences.append(part)
    pieces = [p.strip() for s in sentences for p in s.split(",") if p.strip()]
    kept = [p for p in pieces if not framing_only(p)]
    if len(kept) == len(pieces) and len(sentences) == 1:
        return phrase  # nothing to take out: the phrase as it was
    return ", ".join(kept)
