"""The subject's 'with' list of looks, read off the words, not the parse: "A man in his early
thirties with warm brown skin, a short fade haircut and a thin goatee" → "warm brown skin",
"short fade haircut", "thin goatee".

The small model often parses such a list wrong ("freckles" as the sentence's verb, "pulled" as
its root), and a look lost that way is a clear defect. So the list is split at its commas, and
each item is kept whole with its participle ("a short black beard flecked with
gray", "hair tied in a high ponytail") or its place ("freckles across her nose"), cut before a
clause ("braces showing when she smiles" → "braces").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import as_text, looks_like_verb

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# What may stand between the person and the 'with' of their looks: an age ("in his fifties", "around fifteen").
_AGE = re.compile(r"\d0s|\d+|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|mid|years?|age|descent|origin|heritage")
# Words that open a clause inside a list item: the item ends before them.
_CLAUSE_WORDS = frozenset("when while as that which who whose where because though although before after until".split())
# Face and hair words the shared look lists lack (a closed class: features of a face and a head).
_FEATURES = frozenset(
    "haircut hairstyle goatee stubble sideburns bangs fringe braces cheekbones cheekbone jawline jaw chin".split()
    + "dimples dimple brows eyebrows eyelashes lashes".split()
    + "lips complexion spots moles mole birthmark piercing piercings spectacles eyeglasses lenses teeth tooth".split()
    + "nose cheeks cheek forehead temples ears ear brow neck".split()
)
_LOOKS = lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS | lexicon.BODY_NOUNS | _FEATURES


def _look_noun(t: Token) -> bool:
    return t.lemma_.lower() in _LOOKS or t.lower_ in _LOOKS


def _list_span(own: Span) -> list:
    """The tokens after the subject's 'with' up to the subject's verb (or the sentence's end)."""
    doc, sent = own.doc, own.root.sent
    k = own.end
    while k < sent.end and doc[k].lower_ != "with":  # "in her mid-forties with ...", "around fifteen with ..."
        if doc[k].tag_ in ("VBZ", "VBP", "VBD", "MD") or (doc[k].pos_ in ("PRON", "AUX") and doc[k].tag_ != "PRP$") or doc[k].lower_ in _CLAUSE_WORDS:
            return []
        if doc[k].is_punct and doc[k].text != "-" or (doc[k].pos_ == "NOUN" and not _AGE.fullmatch(doc[k].lower_)):
            return []  # "The sailor, in a white uniform with a navy cap": a 'with' of the garment, not of the person
        k += 1
    out = []
    for t in doc[k + 1 : sent.end]:
        finite = t.tag_ in ("VBZ", "VBP", "MD") or (t.tag_ == "VBD" and not (t.i > 0 and _look_noun(t.nbor(-1))))
        finite = finite or looks_like_verb(t)  # "white hair combed back kneels in ...": a verb the tagger took for a noun
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        plural_verb = t.tag_ == "NNS" and doc[t.i - 1].pos_ == "NOUN" and nxt is not None and nxt.pos_ in ("ADP", "DET") and nxt.lower_ != "of"
        finite = finite or (plural_verb and not _look_noun(t))  # "round glasses paints at an easel"
        after_noun = t.i > 0 and doc[t.i - 1].pos_ in ("NOUN", "PROPN")  # "glasses paints": a verb; ", freckles across": a look the tagger made a verb
        if (
            (finite and (after_noun or not _look_noun(t)))
            or t.pos_ == "PRON"
            and t.tag_ != "PRP$"
            or (t.text == "," and t.i + 1 < len(doc) and t.nbor(1).tag_ in ("VBG", "PRP$"))
        ):
            break  # "... sits", "..., wearing a coat", "..., her hands resting on the table": the list is over
        out.append(t)
    while out and out[-1].is_punct:
        out.pop()
    return out


def _items(tokens: list) -> list[list]:
    """The list split at the commas that follow a noun ("short, dark hair" stays one, and so does
    "curly red hair and safety goggles", as the input joins them)."""
    items, current = [], []
    for t in tokens:
        hyphened = 0 < t.i < len(t.doc) - 1 and (t.nbor(-1).text == "-" or t.nbor(1).text == "-")  # "salt-and-pepper"
        after_noun = any(k.pos_ in ("NOUN", "PROPN") or _look_noun(k) for k in current)
        # "an oval, tanned face": an article and one word the tagger took for a noun, then the adjectives of the same noun
        paired = len(current) == 2 and current[0].pos_ == "DET" and not _look_noun(current[1]) and t.i + 1 < len(t.doc) and t.nbor(1).pos_ in ("ADJ", "VERB")
        if t.text in (",", ";") and after_noun and not hyphened and not paired:  # "short, dark hair" is one; "red hair and goggles" stays as the input says it
            items, current = items + ([current] if current else []), []
        else:
            current.append(t)
    return items + ([current] if current else [])


# Verbs by which a face shows its features (a closed class): "a weathered face showing deep lines and a thin scar".
_SHOWING = frozenset("show showing shows reveal revealing reveals display displaying bear bearing".split())


def _shown(item: list) -> list[list]:
    """The item, and what its face shows as an item of its own: "a round face showing deep laugh
    lines and a thin mustache" → "a round face", "deep laugh lines and a thin mustache"."""
    at = next((k for k, t in enumerate(item) if k > 0 and t.lower_ in _SHOWING and _look_noun(item[k - 1])), None)
    if at is None or at + 1 >= len(item) or not any(_look_noun(t) for t in item[at + 1 :]):
        return [item]
    return [item[:at], item[at + 1 :]]


def _cut(item: list) -> list:
    """The item before a clause in it ("braces showing when she smiles" → "braces")."""
    out = []
    for k, t in enumerate(item):
        # "natural beauty applying makeup": an action ends the item
        clause = t.lower_ in _CLAUSE_WORDS or (t.tag_ == "VBG" and k > 0 and t.dep_ != "amod" and not _look_noun(t))
        if clause:
            break
        out.append(t)
    while out and (out[-1].pos_ in ("ADP", "DET", "CCONJ", "PUNCT") or out[-1].tag_ == "PRP$" or (out[-1].pos_ == "ADV" and out[-1].lower_.endswith("ly"))):
        out.pop()
    while out and (out[0].tag_ == "PRP$" or out[0].pos_ in ("CCONJ", "PUNCT")):
        out.pop(0)  # "his skin reddened by the wind": the subject's skin, said without its owner
    return out


def subject_look_list(own: Span | None, add, kind: int, replace: dict[int, str] | None) -> None:
    """Each item of the subject's 'with' list that names a look, said whole (see the module's doc)."""
    if own is None:
        return
    looks = []
    for item in (part for whole in _items(_list_span(own)) for part in _shown(whole)):
        item = _cut(item)
        held = not any(_look_noun(t) for t in item) and any(t.lemma_.lower() in lexicon.PROP_NOUNS for t in item)
        if not item or held or not any(t.pos_ in ("NOUN", "PROPN") or _look_noun(t) for t in item) or len(item) > 16:
            continue  # "with a cup of coffee": a held thing (its rules say it in hand)
        looks.append(item)
    # a bare noun alone ("braces", "a beard") is no phrase for a picture: said with the look before it, as the input lists them
    # ("a coat" has its article and stands alone)
    for k in range(len(looks) - 1, 0, -1):
        if len(looks[k]) == 1:
            looks[k - 1] = [*looks[k - 1], *looks.pop(k)]
    if len(looks) > 1 and len(looks[0]) == 1:
        looks[0] = [*looks[0], *looks.pop(1)]
    for item in looks:
        runs = _runs(item)
        parts = [as_text(run, replace=replace) if k == 0 else _with_article(run, replace) for k, run in enumerate(runs)]
        add(kind, item, f"look:{item[0].i}", " and ".join(parts), whole=True)


def _runs(words: list) -> list[list]:
    """``words`` split where a token was left out between two."""
    runs = [[words[0]]]
    for a, b in zip(words, words[1:]):
        if b.i != a.i + 1:
            runs.append([])
        runs[-1].append(b)
    return runs


def _with_article(run: list, replace: dict[int, str] | None) -> str:
    """A joined item with its own article ("short brown hair and a beard")."""
    text = as_text(run, replace=replace)
    return f"{run[0].lower_} {text}" if run[0].lower_ in ("a", "an") and len(run) > 1 else text
