"""What the subject phrase itself says about the looks (``subject_looks``), and a second pass
of ``spatial.static_phrases`` over what its rules, which start from verbs and prepositions,
leave behind when the parse goes astray: every described look of the subject ("and a focused
expression" parsed as another person beside the man) and every described thing that is the
subject of its own still clause ("tall trees and thick underbrush line the trail"). Only phrases
with a describing word are taken: a bare "face" or "blade" alone is a fragment, not a picture.
It also reads what the first pass has no rule for: the face said with a participle or a mood
("while smiling" → "a smile", "appearing focused" → "focused expression") or an absolute phrase
("his eyes sharp"), a still pose of the body ("his hand resting on his chin"), what is worn in a
'with' absolute ("with his flowing robes dancing"), a time said in passing ("in the stillness of
the night" → "at night"), a verb named after its tool ("hammered" → "a hammer in hand") and the
things of a sentence the parse left without a verb.

Each phrase goes through the same ``add(kind, tokens, key, text)`` as the first pass, so it is
still refused when it moves, sounds, or overlaps a phrase already taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import performed_by_subject
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.words import is_other_person, is_subject_mention, is_thing, noun_lemmas

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A look worth its own phrase without a describing word.
_BARE_LOOKS = frozenset("beard mustache moustache freckles stubble tattoo tattoos ponytail braid bun curls wrinkles".split())
# Describing words that say nothing a picture could show ("facial expressions").
_EMPTY_MODIFIERS = frozenset("facial physical overall his her their its own".split())
# Verbs a described thing can be the subject of and still be in the first frame (not "the blade flashes").
_STILL_VERBS = frozenset("fade stand sit line frame surround fill loom rise stretch hang tower border flank dot cover".split())

# Verbs of the camera or the caption that show a look without acting on it ("capturing her curious expression").
_SHOWING_VERBS = frozenset("capture highlight emphasize frame feature depict focus".split())

Add = Callable[..., None]


def _describers(noun: Token) -> list[Token]:
    return [c for c in noun.lefts if c.dep_ in ("amod", "compound", "nummod", "nmod") and c.lower_ not in _EMPTY_MODIFIERS]


def _span(noun: Token, with_conjuncts: bool) -> list[Token]:
    """The noun with its left modifiers (no article or possessive), and its conjuncts when asked
    ("tall trees and thick underbrush"); cut at the first verb or punctuation other than a comma
    between adjectives."""
    start = min((c.left_edge.i for c in noun.lefts if c.dep_ not in ("det", "poss", "punct", "cc", "prep")), default=noun.i)
    end = noun.i
    if with_conjuncts:
        for conj in noun.conjuncts:
            if conj.i > end and all(t.pos_ in ("ADJ", "NOUN", "PROPN", "DET", "CCONJ", "PUNCT", "ADV") for t in noun.doc[end + 1 : conj.i + 1]):
                end = conj.i
    if start > 0 and noun.doc[start].lower_ in ("few", "couple") and noun.doc[start - 1].lower_ == "a":
        start -= 1  # "a few pigeons": without its article "few" says the opposite
    tokens = [t for t in noun.doc[start : end + 1]]
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in tokens) or any(t.text in (";", ":", "(", ")") for t in tokens):
        return []
    return tokens


def _one_of_the_subjects_looks(noun: Token, own: Span | None) -> bool:
    """The subject's look: not another person's ("her friend's red hair"), not acted on by the
    subject ("wiping his brow"), not what someone else has."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None and owner.pos_ != "PRON" and not is_subject_mention(owner, own):
        return False
    for ancestor in noun.ancestors:
        if ancestor.pos_ in ("NOUN", "PROPN") and ancestor.lemma_.lower() in lexicon.PERSON_NOUNS:
            return is_subject_mention(ancestor, own) or ancestor.dep_ in ("appos", "conj", "attr")
        if ancestor.pos_ == "VERB":
            subject = next((c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            return subject is None or subject.i == noun.i or not is_other_person(subject, own)
    return True


def _looks(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    for noun in doc:
        lemma = noun.lemma_.lower()
        if noun.pos_ != "NOUN" or lemma not in lexicon.APPEARANCE_NOUNS or (own is not None and own.start <= noun.i < own.end):
            continue
        if not (_describers(noun) or (lemma in _BARE_LOOKS and noun.dep_ != "dobj")) or not _one_of_the_subjects_looks(noun, own):
            continue
        shown = noun.head.lemma_.lower() in lexicon.LOOK_VERBS | _SHOWING_VERBS  # "capturing her curious expression"
        if noun.dep_ == "dobj" and any(c.dep_ == "poss" for c in noun.children) and not shown:
            continue  # "strokes his long beard": the beard is there, but said by the first pass or not at all
        tokens = _span(noun, with_conjuncts=False)
        if tokens:
            add(kind, tokens, key=f"attire:{noun.lemma_}")


def _absolute_looks(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    """A look said as an absolute phrase, with no verb: "—his eyes sharp, his actions swift" →
    "sharp eyes"."""
    for adj in doc:
        noun = next((c for c in adj.children if c.dep_ == "nsubj"), None)
        if adj.pos_ != "ADJ" or adj.dep_ == "acomp" or noun is None or noun.lemma_.lower() not in lexicon.APPEARANCE_NOUNS:
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is not None and owner.lower_ in ("his", "her", "their") and _one_of_the_subjects_looks(noun, own):
            add(kind, [adj, noun], key=f"attire:{noun.lemma_}", text=f"{adj.lower_} {noun.lower_}")


def _expressions(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    """A face said with a participle or a mood: "while smiling and chatting" → "a smile",
    "appearing focused as she explains" → "focused expression"; not one that comes later ("then
    smiles") nor an event in the sequence ("smiles and waves")."""
    for t in doc:
        later = any(c.lower_ in _LATER for c in t.children) or (t.dep_ == "conj" and any(c.lower_ in _LATER for c in t.head.children))
        if later or not performed_by_subject(t, own) and not (t.tag_ in ("JJ", "VBN") and performed_by_subject(t.head, own)):
            continue
        chained = t.dep_ == "conj" and t.head.tag_ == "VBG" and any(c.dep_ in ("dobj", "prep", "prt") for c in t.head.children)
        if chained and t.head.lemma_.lower() not in _FACE_VERBS:
            continue  # "lifting out a frame, tilting it and smiling": the last step of a sequence, not the first frame's face
        if t.pos_ == "VERB" and t.tag_ == "VBG" and t.lemma_.lower() in _FACE_VERBS:  # "smiles and waves": an event, said in the temporal
            add(kind, [t], key=f"attire:{_FACE_VERBS[t.lemma_.lower()]}", text=f"a {_FACE_VERBS[t.lemma_.lower()]}", drawable=[])
        elif (t.pos_ == "ADJ" or t.tag_ in ("VBN", "VBD")) and t.lower_ in lexicon.MOOD_ADJECTIVES and not any(c.dep_ in ("prep", "dobj") for c in t.children):
            said = t.dep_ in ("advcl", "xcomp", "conj") or (t.dep_ in ("acomp", "oprd") and t.head.lemma_.lower() in ("be", "appear", "look", "seem"))
            if said:  # "faces the camera, focused as she explains", "He looks tired"
                add(kind, [t], key="attire:expression", text=f"{t.lower_} expression", drawable=[])


_FACE_VERBS = {"smile": "smile", "grin": "grin", "frown": "frown", "scowl": "scowl", "smirk": "smirk", "pout": "pout", "beam": "smile"}
_LATER = frozenset("then later finally eventually afterwards soon".split())


def _resting_hands(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    """A still pose of a body part: "with his hand resting on his chin" → "hand resting on his
    chin", "her arms folded" → "arms folded"."""
    for verb in doc:
        body = verb.head if verb.dep_ in ("acl", "amod") else next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if body is None and verb.dep_ == "pcomp" and verb.head.lower_ == "with":  # "with his chin resting on his hand"
            body = next((c for c in verb.head.children if c.dep_ == "pobj"), None)
        if verb.lemma_.lower() not in _STILL_POSES or body is None or body.lemma_.lower() not in lexicon.BODY_NOUNS:
            continue
        owner = next((c for c in body.children if c.dep_ == "poss"), None)
        if owner is None or owner.lower_ not in ("his", "her", "their") or not _one_of_the_subjects_looks(body, own):
            continue
        rest = [t for t in verb.subtree if t.i > verb.i and t.dep_ not in ("cc", "conj", "punct", "advcl", "relcl")]
        rest = [t for t in rest if not any(a.dep_ in ("advcl", "relcl", "conj") and a.i > verb.i for a in t.ancestors if a.i != verb.i)]
        tokens = sorted([t for t in body.subtree if t.i <= body.i and t.dep_ not in ("poss", "det")] + [verb, *rest], key=lambda t: t.i)
        add(kind, tokens, key=f"pose:{body.lemma_}", drawable=[body, *(t for t in rest if t.pos_ == "NOUN")])


_STILL_POSES = frozenset("rest fold clasp cross tuck prop".split())


def _time_in_passing(doc: Doc, add: Add, kind: int) -> None:
    """A time of day said in passing: "in the stillness of the night" → "at night"."""
    for noun in doc:
        lemma = noun.lemma_.lower()
        of = noun.head
        if lemma not in _WHEN or noun.dep_ != "pobj" or of.lower_ != "of" or of.head.pos_ != "NOUN" or of.head.lemma_.lower() in lexicon.TIME_NOUNS:
            continue
        if not any(c.dep_ in ("amod", "compound") for c in noun.children):
            add(kind, [noun], key=f"time:{lemma}", text=_WHEN[lemma])


_WHEN = {"night": "at night", "dawn": "at dawn", "dusk": "at dusk", "sunset": "at sunset", "sunrise": "at sunrise", "twilight": "at twilight"}
_WHEN |= {"midnight": "at midnight", "morning": "in the morning", "afternoon": "in the afternoon", "evening": "in the evening"}


def _tool_of_the_verb(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    """A verb named after its tool: "hammered the glowing metal" → "a hammer in hand"."""
    for verb in doc:
        lemma = verb.lemma_.lower()
        # "paddles out on a surfboard": the arms paddle; no paddle to hold
        boarded = any(c.dep_ == "prep" and c.lower_ == "on" and any(o.lower_.endswith("board") for o in c.children) for c in verb.children)
        worked = any(c.dep_ == "dobj" for c in verb.children)  # "paddles out through the waves": the arms, no paddle
        if verb.pos_ == "VERB" and lemma in _TOOL_VERBS and performed_by_subject(verb, own) and not boarded and worked:
            add(kind, [verb], key=f"prop:{lemma}", text=f"a {lemma} in hand", drawable=[])
        elif verb.pos_ == "VERB" and lemma in lexicon.PROP_NOUNS and lemma.endswith("board") and performed_by_subject(verb, own):
            add(kind, [verb], key=f"prop:{lemma}", text=f"on a {lemma}", drawable=[])  # "is skateboarding" → "on a skateboard"


_TOOL_VERBS = frozenset("hammer saw rake shovel paddle mop drill whisk chisel sponge".split())


def _verbless_things(doc: Doc, add: Add, kind: int) -> None:
    """A sentence the parse left with no verb ("A wooden fence and a misty, grassy field fade into
    the background", 'fade' taken for a noun): the things it opens with, in the input's words, up to
    the preposition, without the last noun when that is the verb in disguise (a noun after a noun)."""
    for sent in doc.sents:
        root = sent.root
        if root.pos_ != "NOUN" or not is_thing(root) or root.lemma_.lower() in lexicon.GENERIC_PLACE or sent.start != root.left_edge.i:
            continue
        end = next((t.i for t in sent if t.pos_ in ("ADP", "VERB", "AUX") or (t.is_punct and t.text != ",")), sent.end)
        tokens = list(doc[sent.start : end])
        if end < sent.end and doc[end].pos_ == "ADP" and len(tokens) > 2 and tokens[-1].tag_ == "NN" and tokens[-2].pos_ == "NOUN":
            tokens = tokens[:-1]  # "field fade into": the verb the parse made a noun
        while tokens and ((tokens[0].pos_ == "DET" and not (len(tokens) > 1 and tokens[1].lower_ in ("few", "couple"))) or tokens[-1].text == ","):
            tokens = tokens[1:] if tokens[0].pos_ == "DET" else tokens[:-1]
        if tokens and len(tokens) <= 12 and any(t.pos_ == "CCONJ" or t.dep_ == "amod" for t in tokens):
            text = "".join(t.text_with_ws for t in tokens).strip()
            add(kind, tokens, key=f"decor:{tokens[-1].lemma_.lower()}", text=text[:1].lower() + text[1:] if tokens[0].pos_ == "DET" else None)


def _with_absolute(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    """What is worn, said in a 'with' absolute phrase: "with his flowing robes dancing in the wind"
    → "flowing robes" (the robes are there; their dancing is the video's)."""
    for verb in doc:
        noun = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if verb.dep_ != "pcomp" or verb.head.lower_ != "with" or noun is None or not noun_lemmas(noun) & lexicon.CLOTHING_NOUNS:
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is not None and owner.lower_ in ("his", "her", "their") and _one_of_the_subjects_looks(noun, own):
            tokens = _span(noun, with_conjuncts=True)
            if tokens:
                add(kind, tokens, key=f"attire:{noun.lemma_}")


def _things_in_view(doc: Doc, own: Span | None, add: Add, kind: int) -> None:
    """A described thing that is the subject of a still verb ("A wooden fence and a misty, grassy
    field fade into the background")."""
    for noun in doc:
        verb = noun.head
        if noun.dep_ != "nsubj" or noun.pos_ != "NOUN" or verb.pos_ != "VERB" or verb.lemma_.lower() not in _STILL_VERBS:
            continue
        if not is_thing(noun) or noun.lemma_.lower() in lexicon.GENERIC_PLACE or not _describers(noun):
            continue
        tokens = _span(noun, with_conjuncts=True)
        if tokens:
            add(kind, tokens, key=f"decor:{noun.lemma_}")


def sweep(doc: Doc, own: Span | None, add: Add, kinds: tuple[int, int, int, int]) -> None:
    """The looks, still poses and things in view the first pass missed; ``kinds``: the (look,
    attire, pose, decor) kinds as ``spatial`` numbers them."""
    looks, attire, pose, decor = kinds
    _looks(doc, own, add, looks)
    _absolute_looks(doc, own, add, looks)
    _expressions(doc, own, add, looks)
    _resting_hands(doc, own, add, pose)
    _time_in_passing(doc, add, decor)
    _with_absolute(doc, own, add, attire)
    _tool_of_the_verb(doc, own, add, pose)
    _verbless_things(doc, add, decor)
    _things_in_view(doc, own, add, decor)


def subject_looks(own: Span | None, with_role: bool = False) -> list[str]:
    """What the prompt's own subject phrase says about the person's looks, once the subject phrase
    replaced it: "A middle-aged man" → "middle-aged"; "a red-haired woman" → "red hair"; "The park
    ranger, a young man with ..." → "young" (with a role, only the appositive's)."""
    appos = [c for c in own.root.children if c.dep_ == "appos" and c.lemma_.lower() in lexicon.PLAIN_PERSON]
    out = []
    for head in appos if with_role else [own.root, *appos]:
        if head.lemma_.lower() in _CHILD:  # "a boy of about eight" under "A man": the child stays a child
            out.append(_child(head))
            continue
        mods = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod") and t.lemma_.lower() not in lexicon.FEMALE_NOUNS | lexicon.MALE_NOUNS]
        origin = _descent(head)
        if not mods:
            out += [origin] if origin else []
            continue
        start = min(t.left_edge.i for t in mods)
        # "young East Asian", "elderly Black": a capital the input gave mid-sentence is a name's, and stays
        text = "".join(_cased(t) + t.whitespace_ for t in head.doc[start : head.i]).strip(" ,")
        text = re.sub(r"\s*-\s*haired$", " hair", text, flags=re.IGNORECASE)
        out.append(f"{text}, {origin}" if origin else text)  # "stocky middle-aged, of Middle Eastern descent": never "middle-aged of"
    return out


def _descent(head) -> str | None:
    """'a man of Middle Eastern descent' → 'of Middle Eastern descent': who the person is, kept."""
    for prep in (c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.lemma_.lower() in ("descent", "origin", "heritage", "ancestry"):
            return "of " + "".join(_cased(t) + t.whitespace_ for t in head.doc[obj.left_edge.i : obj.i + 1]).strip()
    return None


def _cased(t) -> str:
    """The word as the input cased it, unless only the sentence's start capitalised it."""
    named = t.pos_ == "PROPN" or t.text.isupper() or (t.text[:1].isupper() and not t.is_sent_start)
    return t.text if named else t.lower_


_CHILD = frozenset("boy girl child kid teenager toddler schoolboy schoolgirl".split())


def _child(head) -> str:
    """The subject phrase of a child, whole: "teenage boy" → "a teenage boy", "girl around twelve
    years old" → "a girl around twelve years old", "boy of about eight" → "a boy of about eight"."""
    start = min([t.left_edge.i for t in head.lefts if t.dep_ in ("amod", "compound", "nmod")] + [head.i])
    end = head.i + 1
    for c in head.rights:  # "of about eight", "around twelve years old": its age, said after it
        if (c.dep_ == "prep" and c.lower_ in ("of", "around", "about", "aged")) or (c.dep_ == "amod" and c.lemma_.lower() == "old"):
            tail = head.doc[c.i : c.right_edge.i + 1]
            stop = next((t.i for t in tail if t.lower_ in ("with", ",", "and", "in", "wearing")), c.right_edge.i + 1)
            number = next((t.i + 1 for t in tail if t.like_num), None)  # "of about nine | flies a kite": the age ends at its number
            stop = min(stop, number) if number is not None and not any(t.lemma_.lower() in ("year", "old", "month") for t in tail) else stop
            end = max(end, stop)
    text = head.doc[start:end].text
    text = text[0].lower() + text[1:] if not head.doc[start].pos_ == "PROPN" else text
    return indefinite(text)
