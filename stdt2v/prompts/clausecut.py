"""The last pass over the keyframe phrases: a phrase that runs on into a clause is cut where the
clause begins ("a furnace behind her casts ..." → "furnace behind her", "a vest weaving through
traffic" → "vest"), or left out when nothing drawable stays before the cut.

The small parser often tags the verb of a verbless-looking sentence as a plural noun ("A green
lamp lights her face": "lights" a noun) or a participle as a noun ("weaving"); the signs read
here are the shape around the word, not the word: a plural noun that a sentence with no finite
verb needs as its verb, a finite verb right after a noun, a moving or sounding participle after
its noun, a "seen"/"heard" said of a thing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.keyclean import clean_phrases
from stdt2v.prompts.scenery import stative

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["clause_start", "cut_clauses"]

_FINITE = lexicon.FINITE_TAGS
# Verbs of a thing heard rather than seen ("an amp buzzing", "the fan whirring").
_SOUND = frozenset("buzz hum ring roar rumble whir whirr hiss crackle clang chime beep honk whistle echo rattle creak tick sing chirp".split())
_PERCEIVED = frozenset("see hear".split())
# Words a phrase never ends on.
_TAIL = frozenset("and or but of to in on at with from by for into onto over under a an the his its their as while".split())
# Words that carry a verb on along a path ("a kaftan hums along to the radio"), never a noun's place.
_ONWARD = frozenset("along through across toward towards into onto".split())


def _verbless(sent) -> bool:
    """No finite verb of its own: one in a clause that hangs on another ("as the shouts drift in") does not count."""
    return not any(t.tag_ in _FINITE and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("advcl", "relcl", "acl") for t in sent)


def _stem(word: str) -> str:
    return word[:-3] if word.endswith("ing") else word[:-2] if word.endswith("es") and word[-3:-2] in "sxz" else word[:-1] if word.endswith("s") else word


def ing_clause(tokens: list[Token]) -> bool:
    """', stirring sugar into a mug': a participle set off by a comma, then a bare noun and a
    preposition, is an action and its object, no thing ('..., flowing water, pine trees' is one)."""
    first, last = tokens[0], tokens[-1]
    after = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    bare = not any(t.dep_ in ("det", "poss", "nummod") for t in tokens)
    return first.tag_ == "VBG" and first.i > 0 and first.nbor(-1).text == "," and bare and after is not None and after.pos_ == "ADP"


def clause_start(token: Token) -> bool:
    """``token`` starts a clause inside what reads as a noun phrase: a verb the parse glued to the
    noun before it."""
    if token.i == 0 or token.i + 1 >= len(token.doc):
        return False
    before, nxt = token.nbor(-1), token.nbor(1)
    after_noun = before.pos_ in ("NOUN", "PROPN") or (before.tag_ == "PRP$" and token.i > 1 and token.nbor(-2).pos_ == "ADP")
    finite = token.tag_ in _FINITE and not stative(token)  # "..., the sky streaked with pink": a participle the tagger read as a past
    if finite and token.pos_ in ("VERB", "AUX") and before.pos_ in ("NOUN", "PROPN", "PRON") and token.dep_ not in ("amod", "compound"):
        return True  # "the sari roasts", "the lamp lights"
    if token.tag_ == "NNS" and after_noun and _verbless(token.sent) and token.dep_ != "compound":
        # "A green lamp lights her face", "the furnace behind her casts orange light": the sentence's only verb
        return nxt.tag_ in ("DT", "PRP$", "PRP") or (before.tag_ == "PRP$" and nxt.pos_ in ("ADJ", "VERB", "NOUN")) or nxt.lower_ in _ONWARD
    # "-ing" of a word longer than "ring" or "king", not in a noun's slot ("holding a silver ring")
    ing = token.lower_.endswith("ing") and len(token) > 5 and token.tag_ in ("VBG", "NN") and token.dep_ not in ("amod", "compound", "pobj")
    if ing and before.pos_ in ("NOUN", "PROPN", "ADJ"):  # "a vest weaving through traffic", "an amp buzzing"
        stem = _stem(token.lower_)
        moving = {stem, stem + "e"} & (lexicon.MOTION_VERBS | _SOUND) or (len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in lexicon.MOTION_VERBS)
        return bool(moving) or nxt.lower_ in lexicon.PATH_PREPS
    body = {before.lemma_.lower(), before.lower_} & lexicon.BODY_NOUNS  # "sports jacket over a shirt" is a noun after all
    plural_compound = before.tag_ == "NNS" and before.dep_ == "compound" and before.head.i == token.i and body
    if token.pos_ == "NOUN" and plural_compound and nxt.pos_ == "ADP" and nxt.lower_ != "of":
        return True  # "her fingertips brush against the petals": a body part in the plural is no compound's first word
    return token.tag_ == "VBN" and token.lemma_.lower() in _PERCEIVED and token.dep_ not in ("amod", "compound")  # "a train can be seen arriving"


def _cut(text: str, word: str) -> str:
    before = re.split(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, maxsplit=1)[0]
    return before.strip(" ,")


def cut_clauses(doc: Doc, phrases: list) -> list:
    """Each phrase cut before the first clause inside it (see the module's doc); a phrase with
    nothing drawable left is dropped; then ``keyclean.clean_phrases`` on what stays."""
    kept = []
    for p in phrases:
        span = list(doc[p.position : p.end + 1]) if p.end >= p.position >= 0 else []
        first_noun = next((t.i for t in span if t.pos_ in ("NOUN", "PROPN")), None)
        manner = span and span[0].pos_ == "ADV" and span[0].lower_.endswith("ly") and not p.position <= span[0].head.i <= p.end  # not "neatly trimmed"
        if manner and p.text.lower().startswith(span[0].lower_ + " "):
            p.text = p.text.split(" ", 1)[1]  # "casually in a denim jacket": how he dresses is no thing to draw
        verb = next((t for t in span if first_noun is not None and t.i > first_noun and clause_start(t)), None)
        verb = verb or next((t for t in span if _absolute(t) and t.i > span[0].i), None)
        if verb is None or not re.search(rf"(?<![\w-]){re.escape(verb.text)}(?![\w-])", p.text):
            kept.append(p)
            continue
        if verb.lemma_.lower() == "hear":
            continue  # "the soft buzzing of bees can be heard": a sound, whatever comes before
        said = f"{verb.nbor(-2).text} {verb.nbor(-1).text} {verb.text}" if _absolute(verb) else verb.text  # "and her hands"
        if said not in p.text:
            kept.append(p)
            continue
        text = _cut(p.text, said)
        text = re.sub(r"\s+(?:and|or|with|of|the|a|an)$", "", text)
        head = doc[verb.i - 1]
        one_word = " " not in text
        if not text or text.rsplit(" ", 1)[-1].lower() in _TAIL or (one_word and (head.tag_ == "PRP$" or not _drawable_word(text, doc))):
            continue
        p.text = text
        kept.append(p)
    return clean_phrases(doc, kept)  # then what no still shows: a time, a sound, a plan, a clause after 'and' (keyclean)


def _absolute(token: Token) -> bool:
    """'and her hands forming mudras': a body part with its owner, joined to a list, starts an
    absolute clause (the cut falls on its 'and')."""
    own_part = token.dep_ == "conj" and token.lemma_.lower() in lexicon.BODY_NOUNS and any(c.dep_ == "poss" for c in token.children)
    return own_part and token.i > 1 and token.nbor(-2).pos_ == "CCONJ"


def _drawable_word(word: str, doc: Doc) -> bool:
    """A one-word phrase left by a cut: kept only when it names a known visible kind of thing."""
    known = lexicon.CLOTHING_NOUNS | lexicon.PROP_NOUNS | lexicon.PLACE_NOUNS | lexicon.LIGHT_NOUNS | lexicon.DECOR_NOUNS | lexicon.APPEARANCE_NOUNS
    lemma = next((t.lemma_.lower() for t in doc if t.text == word), word.lower())
    return lemma in known or word.lower() in known


def join_repeats(phrases: list) -> list:
    """A phrase that starts with the words another ends on, then says where ("shower of orange
    sparks" and "orange sparks across the floor"): said once, joined ("shower of orange sparks
    across the floor")."""
    gone: set[int] = set()
    for k, b in enumerate(phrases):
        words = b.text.split()
        for a in phrases:
            if a is b or id(a) in gone or id(b) in gone:
                continue
            tail = a.text.split()
            n = next((n for n in range(min(len(tail), len(words) - 2), 1, -1) if [w.lower() for w in tail[-n:]] == [w.lower() for w in words[:n]]), 0)
            if n and words[n].lower() in _WHERE:
                a.text = f"{a.text} {' '.join(words[n:])}"
                gone.add(id(b))
                break
    return [p for p in phrases if id(p) not in gone]


# Prepositions that say where a thing is, after the thing said again.
_WHERE = frozenset("on in at across over under beside behind near by along against around".split())


def attire_set_off(nlp, doc: Doc, own) -> Doc | None:
    """The doc parsed again with the subject's garment phrase set off by commas, when the parse
    took the verb after the garment for a noun ("a woman in a cotton sari roasts seeds": "sari
    roasts" one noun, "seeds" the verb's object lost); None when the parse did not, or when the
    new parse does not read the word as the verb either (then the first parse stays)."""
    if own is None or own.end + 2 >= len(doc) or doc[own.end].lower_ != "in":
        return None
    run = []
    for t in doc[own.end + 1 :]:
        if t.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM") or t.is_punct:
            break
        run.append(t)

    def garment(t) -> bool:
        return t.lemma_.lower() in lexicon.CLOTHING_NOUNS or t.lower_ in lexicon.CLOTHING_NOUNS

    # "apron fries (dumplings)": a plural word right after the garment, itself no garment
    verb = next((b for a, b in zip(run, run[1:]) if garment(a) and not garment(b) and b.lower_.endswith("s")), None)
    if verb is None or verb.i + 1 >= len(doc) or doc[verb.i + 1].is_punct:
        return None
    text = doc.text
    start = doc[own.end].idx
    fixed = f"{text[:start].rstrip()}, {text[start : verb.idx].rstrip()}, {text[verb.idx :]}"
    new = nlp(fixed)
    at = verb.idx + 2  # two commas put in before it, where two spaces were
    word = next((t for t in new if t.idx == at), None)
    return new if word is not None and word.tag_ == "VBZ" and word.dep_ == "ROOT" else None
