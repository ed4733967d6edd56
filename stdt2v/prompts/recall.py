"""The recall pass and the phrase gate of the spatial prompt.

The rules in ``spatial`` and ``scene`` read the things they know how to phrase; a prompt they
were not written for loses the rest ("sipping coffee from a chipped enamel mug": the mug). After
they ran, every visible noun chunk of the input whose head the prompt does not name yet is added
in its own words, in its kind's slot: a look, clothing, a held thing, the place, the time or
light, the scenery. What a still cannot show stays out (sounds, abstractions, caption and
camera words, other people, moving body parts, where a motion ends, what an action leaves).

The gate (``complete``) refuses a phrase that is not a noun phrase with its head, such as one cut
inside a list or a clause ("black hair pulled into a low,", "expression focused yet"); the
recall then says that noun chunk in the input's own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import attached_to_other_person, performed_by_subject
from stdt2v.prompts.clausecut import clause_start, ing_clause
from stdt2v.prompts.leftover import between_tail
from stdt2v.prompts.words import as_text, is_abstract, is_motion_word, is_place, is_subject_mention, looks_like_verb, past_motion

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["complete", "dangling_text", "merge_restated", "names_a_part", "recall_phrases"]

# Where a motion ends or heads ("poured it into a jar", "walks toward the door"): not the first frame.
_END_PREPS = frozenset("into onto to toward towards".split())
# Prepositions that put a thing where the subject is: the place slot, said with the preposition.
_PLACE_PREPS = frozenset("in at on inside near beside behind under by within atop amid among outside beneath underneath alongside".split())
# Path prepositions after a motion: the place crossed ("rides down an empty highway" → "on an empty highway").
_PATH_PREPS = frozenset("across through along over down up past around".split())
# Closed-class words a phrase never ends on.
_TAIL_WORDS = frozenset(
    "and or but yet nor so as while when then than of to in on at with from by for into onto over under a an the his their its my our your he she they".split()
)


def dangling_text(text: str) -> bool:
    """A phrase that ends on a function word, a comma or an adverb in -ly ("as he carefully",
    "pulled into a low,", "expression focused yet")."""
    stripped = text.rstrip()
    if not stripped or stripped.endswith((",", ":", ";", "-")):
        return True
    last = re.findall(r"[A-Za-z'-]+", stripped)
    return bool(last) and (last[-1].lower() in _TAIL_WORDS or (last[-1].lower().endswith("ly") and len(last) > 1 and last[-1].lower() not in _LY_NOUNS))


_LY_NOUNS = frozenset("lily belly jelly rally family assembly fly butterfly dragonfly holly folly ally supply".split())


def complete(tokens: Sequence[Token]) -> bool:
    """Whether ``tokens`` end a noun phrase with its head: the last word is no modifier whose noun
    lies beyond the phrase ("natural skin" of "natural skin texture", "a low" of "a low, elegant
    bun"), no noun whose "of" complement was cut ("shallow depth" of "shallow depth of field"),
    and no function word or adverb."""
    if not tokens:
        return False
    last = tokens[-1]
    ids = {t.i for t in tokens}
    adverb = last.pos_ == "ADV" and (last.lower_.endswith("ly") or last.lower_ in _TAIL_ADVERBS)
    if last.pos_ in ("ADP", "CCONJ", "SCONJ", "DET", "AUX", "PART", "PUNCT") or adverb:
        return False  # not any adverb: the small model tags rare nouns so ("a black rose boutonniere")
    # "full turnout gear sprints", "a few pigeons peck": the parse took the verb for the head
    if looks_like_verb(last) and last.dep_ != "pobj":
        return False  # "the letter and smiles": a verb the parse took for a noun ends the phrase
    verb_head = clause_start(last.head) or looks_like_verb(last.head) or _verb_form(last.head)
    verb_head = verb_head or (last.tag_ == "NNS" and last.dep_ == "compound") or _verbless_head(last.head)
    if last.dep_ in ("amod", "compound", "nmod", "det", "poss", "nummod") and last.head.i > last.i and last.head.i not in ids and not verb_head:
        return False
    # "line barely visible" of "a line of trees ... barely visible", "shallow depth" of "shallow depth of field"
    cut_of = any(c.dep_ == "prep" and c.lower_ == "of" and c.i == t.i + 1 and c.i not in ids for t in tokens if t.pos_ in ("NOUN", "PROPN") for c in t.children)
    return not cut_of


_RESTATED = re.compile(r"^(?P<thing>[\w' -]+?) (?P<where>(?:on|at|in|by|under|beside|near|against) .+)$")


def merge_restated(texts: list[str], props: list[bool]) -> list[int]:
    """Phrases that say again a held thing with where it lies ("a large ball of dough in front of
    her" + "large ball on the marble counter"): the place joins the first phrase. Returns the
    indices of ``texts`` to drop; ``texts`` is changed in place. ``props``: which are held things."""
    gone = []
    for i, text in enumerate(texts):
        match = _RESTATED.match(text)
        if match is None or props[i]:
            continue
        thing = match["thing"].lower()
        for j, other in enumerate(texts):
            if j == i or not props[j] or j in gone or thing not in other.lower():
                continue
            front = re.search(r" in front of (?:him|her|them)$", other)
            if front is not None:  # the place it lies says more than "in front of her"
                texts[j] = f"{other[: front.start()]} {match['where']}"
                gone.append(i)
            elif other.endswith(" in hand"):
                texts[i] = match["where"]  # "a letter in hand" + "letter at her kitchen table": the table alone
            else:
                texts[j] = text  # "red-hot iron" + "red-hot iron on the anvil": the fuller one, where the first was
                gone.append(i)
            break
    return gone


def _verbless_head(head: Token) -> bool:
    """A noun read as the head in a sentence the parse gave no verb, before a preposition
    ("a misty, grassy field fade into the background"): the verb, misread."""
    nxt = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
    return nxt is not None and nxt.pos_ == "ADP" and not any(t.pos_ in ("VERB", "AUX") for t in head.sent)


_PART_OF = re.compile(r"^(?:the |a )?(?:tops?|tips?|edges?|sides?|ends?|bottoms?|surfaces?|parts?|pieces?|halves|half|rest|backs?|fronts?) of ", re.IGNORECASE)


def names_a_part(text: str) -> bool:
    """'tops of the flowers': a part of a thing named alone, which a still does not need (a place
    'at the edge of a cliff' opens with its preposition and passes)."""
    return bool(_PART_OF.match(text))


_TAIL_ADVERBS = frozenset("yet still also too then now here there even just very so again away".split())


def _said(texts: Sequence[str]) -> set[str]:
    """The head nouns the phrases say: the last word before a preposition, a conjunction or the end
    ("light rain" says rain, not light; "a cup of tea in hand" says cup, tea, hand)."""
    words = set()
    for text in texts:
        for segment in re.split(r"\b(?:and|or|of|in|on|at|with|over|under|by|from|behind|beside|near|inside|outside)\b|[,:;]", text.lower()):
            found = re.findall(r"[a-z-]+", segment)
            if found:
                w = found[-1]
                words |= {w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w}
    return words


def _visible(head: Token, own: Span | None) -> bool:
    lemma, word = head.lemma_.lower(), head.lower_
    words = {lemma, word}
    if head.pos_ not in ("NOUN", "PROPN") or not head.is_alpha or is_subject_mention(head, own) or is_abstract(head):
        return False
    skip = lexicon.PERSON_NOUNS | lexicon.CROWD_NOUNS | lexicon.SENSORY_NOUNS | lexicon.MOTION_NOUNS | lexicon.CAMERA_WORDS
    skip |= lexicon.NON_ROLE_NOUNS | lexicon.GENERIC_PLACE | lexicon.GENERIC_PERSON | lexicon.PLAIN_PERSON | lexicon.MALE_NOUNS | lexicon.FEMALE_NOUNS
    if words & skip or word in ("close", "up", "k") or lemma in _PART_NOUNS:
        return False
    if words & lexicon.BODY_NOUNS and not words & lexicon.APPEARANCE_NOUNS and not _described_body(head):
        return False
    if words & (lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS) and not any(c.dep_ in ("amod", "compound") for c in head.children):
        return False  # "her face", "his hair": a body part, said with its look or not at all
    before_of = head.i + 1 < len(head.doc) and head.doc[head.i + 1].lower_ == "of"  # "rows of empty chairs": a noun
    if is_motion_word(head) or past_motion(head) or head.tag_ == "VBG" or (looks_like_verb(head) and not before_of) or _verb_form(head):
        return False
    if any(c.tag_ == "PRP$" for c in head.children) and words & (lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS):
        return False  # "pressed to his right eye", "freckles across her nose": where something is, not a look
    if head.dep_ == "pobj" and head.head.lower_ == "of":
        return False  # "depth of field", "the ticking of a wall clock": said with its head noun or not at all
    if head.dep_ == "pobj" and head.head.dep_ == "agent":
        return False  # "accompanied by various text overlays": what the passive names, rarely in the picture
    if head.pos_ == "PROPN" and head.dep_ != "pobj":
        return False  # a name or a quoted title ("Global Economic Forum")
    if head.dep_ == "dobj" and head.head.lemma_.lower() in _LIGHT_VERBS:
        return False  # "giving a short talk", "takes a deep breath": an event, not a thing
    if head.dep_ == "dobj" and head.head.lemma_.lower() in lexicon.MOTION_VERBS:
        return False  # "drawing a straight line", "tossing vegetables": what an action makes or moves (the spatial rules read held things)
    if head.dep_ == "pobj" and head.head.lower_ == "with" and head.head.head.pos_ == "VERB":
        return False  # "with practiced ease", "with lightning speed": a manner (a thing held 'with' the spatial rules read)
    top = head
    while top.dep_ == "conj":
        top = top.head
    if top.dep_ in ("nsubj", "nsubjpass", "dobj") and top.head.lemma_.lower() in _SOUND_VERBS:
        return False  # "birdsong from outside can be heard"
    return not any(a.lemma_.lower() in lexicon.HEDGE_LEMMAS and not _physical(a) for a in head.ancestors)


def _physical(verb: Token) -> bool:
    """'light reflects off the pavement': a reflection seen, not a reading ('reflects his mood')."""
    return any(c.dep_ == "prep" and c.lower_ in ("off", "on", "in", "across", "from") for c in verb.children)


_JEWELLERY = frozenset("ring earring earrings piercing stud necklace bracelet".split())


def _described_body(head: Token) -> bool:
    """A body part described as a look and said with 'with' ("a woman with a shaved head"); not
    a part named by its owner ("his steady hands") nor by its side ("the left arm")."""
    own_words = [c for c in head.children if c.dep_ in ("amod", "compound") and c.lower_ not in ("left", "right", "both")]
    return bool(own_words) and not any(c.tag_ == "PRP$" for c in head.children) and head.dep_ == "pobj" and head.head.lower_ == "with"


# Parts of a thing: "the tops of the stalks" names no thing of its own.
_PART_NOUNS = frozenset("top tip edge side end bottom surface middle center centre part piece half rest front back hint".split())
# Verbs whose object names the event itself ("give a talk", "take a sip", "make a call").
_LIGHT_VERBS = frozenset("give deliver take make have do conduct lead host attend".split())
_SOUND_VERBS = frozenset("hear listen echo resonate ring tick".split())


def _verb_form(head: Token) -> bool:
    """A verb the parse took for a noun's head ("the camera tracks", "a breeze moves", "fast cuts")."""
    word = head.lower_
    nxt = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
    if nxt is not None and nxt.lower_ == "of":
        return False  # "rows of empty chairs": a noun
    verb_next = nxt is None or nxt.pos_ in ("ADP", "DET", "ADV", "ADJ", "PART", "PUNCT", "CCONJ")
    if any(c.dep_ == "amod" and c.i < head.i for c in head.children) and not verb_next:
        return False  # "gray waves slapped": an adjective makes it a noun ("a breeze moves through", "fast cuts," stay verbs)
    stems = {word, word[:-1], word[:-2], head.lemma_.lower()} if word.endswith("s") else set()
    return bool(stems & (lexicon.MOTION_VERBS | _CUT_VERBS))


_CUT_VERBS = frozenset("cut flash sweep pulse drift".split())


def _camera_clause(head: Token) -> bool:
    """A noun said of the camera's work ("captures him in a medium close-up", "cuts to a close-up of
    her hands"): framing, which the style rules read."""
    for a in [head, *head.ancestors]:
        if a.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in lexicon.CAMERA_WORDS for c in a.children):
            return True
    return False


def _end_state(head: Token) -> bool:
    """Where a motion ends, what an action makes, or a thing said after 'then': not the first frame."""
    for a in [head, *head.ancestors]:
        if a.dep_ == "pobj" and a.head.lower_ in _END_PREPS:
            return True
        if a.dep_ == "dobj" and a.head.lemma_.lower() in lexicon.RESULT_VERBS:
            return True
        if a is not head and a.pos_ == "VERB" and a.lemma_.lower() == "cause":
            return True  # "causing circles of ripples to spread": what the action makes
        if a.pos_ == "VERB" and any(c.lower_ in ("then", "later", "finally", "eventually") for c in a.children):
            return True
        if a.pos_ == "VERB" and a.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("before", "after", "until") for c in a.children):
            return True
    return False


def _chunk_tokens(chunk: Span) -> list:
    tokens = [t for t in chunk if t.tag_ != "PRP$"]  # "his tent" → "tent"; "a watchmaker's shop" stays
    while tokens and tokens[0].pos_ in ("CCONJ", "PUNCT", "ADV"):
        tokens = tokens[1:]
    return tokens


def _of_tail(head: Token) -> list:
    """An 'of' complement of a thing ("a line of trees", "a field of wheat"), when a plain noun phrase."""
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == head.i + 1), None)
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if obj is None:
        return []
    if {obj.lemma_.lower(), obj.lower_} & (lexicon.BODY_NOUNS | lexicon.APPEARANCE_NOUNS):
        return [of]  # "the full stretch of his leg": a part of the body, never said (the caller drops it)
    tail = [of, *[t for t in obj.subtree if t.i <= obj.i]]
    for c in obj.conjuncts:  # "a line of trees and a weathered barn"
        if c.i > obj.i and all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "CCONJ", "PUNCT", "VERB") for t in head.doc[obj.i + 1 : c.i + 1]):
            tail += list(head.doc[tail[-1].i + 1 : c.i + 1])
    return tail if all(not is_motion_word(t) for t in tail) else []


def recall_phrases(
    doc: Doc,
    own: Span | None,
    said: Sequence[str],
    add: Callable[..., None],
    kinds: tuple[int, int, int, int, int, int],
    replace: dict[int, str] | None = None,
) -> None:
    """Add each visible noun chunk whose head ``said`` does not name yet, in its kind's slot.
    ``kinds``: (looks, attire, props, place, time/light, decor)."""
    looks, attire, props, place, time_light, decor = kinds
    named = _said(said)
    for chunk in _chunks(doc):
        head = chunk.root
        # "a small silver nose ring dances", "the blade gleams", "a few pigeons peck": the parse took the verb for the head
        before = head.nbor(-1) if head.i > chunk.start else None
        misread = looks_like_verb(head) or _verb_form(head) or (head.dep_ == "ROOT" and head.tag_ == "NNS") or (before is not None and before.tag_ == "NNS")
        misread = misread or _verbless_head(head)
        if misread and before is not None and before.pos_ in ("NOUN", "PROPN"):
            chunk, head = chunk[:-1], before
        if any(t.lower_ in lexicon.CAMERA_WORDS for t in chunk) or _quoted(chunk):
            continue  # "the camera cranes": a camera move; a quoted title is text, not a thing
        if own is not None and own.start <= head.i < own.end:
            continue
        if {head.lower_, head.lemma_.lower()} & named or not _visible(head, own) or _camera_clause(head) or _end_state(head):
            continue
        if attached_to_other_person(head, own) or (head.dep_ == "pobj" and attached_to_other_person(head.head, own)):
            continue
        tokens = _chunk_tokens(chunk)
        moving = next((k for k, t in enumerate(tokens) if k and t.tag_ == "VBG" and t.lemma_.lower() in lexicon.MOTION_VERBS), None)
        if moving is not None and tokens[moving - 1].pos_ in ("NOUN", "PROPN"):  # "a knit beanie sipping coffee" (a misparse): "knit beanie"
            tokens, head = tokens[:moving], tokens[moving - 1]
        if not tokens or tokens[-1].i != head.i or ing_clause(tokens):  # ", stirring sugar into ...": an action, no thing
            continue
        tail = _of_tail(head) or between_tail(head)  # "a small gap between his front teeth": said whole
        if tail and len(tail) == 1:
            continue
        tokens += tail
        lemmas = {w for t in tokens if t.pos_ in ("NOUN", "PROPN") for w in (t.lemma_.lower(), t.lower_)}
        text = as_text(tokens, replace=replace)
        prep = head.head if head.dep_ == "pobj" else None
        if prep is not None and prep.lower_ == "like" and prep.head.dep_ == "pcomp" and prep.head.lemma_.lower() in ("look", "seem", "appear"):
            prep = prep.head.head  # "in what looks like a university auditorium": in a university auditorium
        worn = prep is None or prep.lower_ in ("in", "with", "over", "under", "beneath")  # "inside an open pocket watch": a thing, not worn
        if _clothing(lemmas) and worn:
            add(attire, tokens, key=f"recall:{head.i}", text=text)
        elif lemmas & lexicon.APPEARANCE_NOUNS or head.lemma_.lower() in lexicon.BODY_NOUNS | _JEWELLERY or (tail and tail[0].lower_ == "between"):
            add(looks, tokens, key=f"recall:{head.i}", text=text)
        elif lemmas & (lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS) or head.lemma_.lower() == "hour":
            lead = prep.lower_ if prep is not None and prep.lower_ in _PLACE_PREPS | {"during"} else ""
            add(time_light, tokens, key=f"recall:{head.i}", text=f"{lead} {text}".strip())
        elif prep is not None and prep.lower_ in _PLACE_PREPS | _PATH_PREPS and _where_subject_is(prep, own) and _a_place(prep, head):
            word = prep.lower_
            if word in _PATH_PREPS:  # "rides down an empty highway" → "on an empty highway"
                word = "on" if head.lemma_.lower() in lexicon.SURFACE_NOUNS else "in"
            verb = prep.head
            posed = verb.pos_ == "VERB" and verb.lemma_.lower() in lexicon.POSE_VERBS and word not in _PATH_PREPS
            pose = f"{lexicon.POSE_PARTICIPLES.get(verb.lemma_.lower(), verb.lower_)} " if posed else ""  # "sits at a workbench" → "sitting at a workbench"
            add(place, tokens, key=f"recall:{head.i}", text=f"{pose}{word} {_with_article(tokens, replace, keep_the=True)}")
        elif head.dep_ in ("dobj", "pobj") and _held(head, own):
            add(props, tokens, key=f"recall:{head.i}", text=f"{_with_article(tokens, replace)} in hand")
        elif prep is not None and prep.lower_ in _PATH_PREPS and prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in lexicon.MOTION_VERBS:
            continue  # "running her hand over the tops of the stalks": what a motion passes, not a thing in the picture
        elif any(t.i != head.i and (t.dep_ in ("amod", "compound", "nummod", "nmod", "poss") or t.lower_ == "of") for t in tokens):
            add(decor, tokens, key=f"recall:{head.i}", text=text)  # "snow-covered pine trees"; a bare "hull" says too little to be worth it


def _chunks(doc: Doc) -> list:
    """The noun chunks, and the noun phrases the parse hung loose ("..., a weathered red barn in the
    distance" as an adverbial noun), which ``noun_chunks`` leaves out."""
    chunks = list(doc.noun_chunks)
    covered = {i for c in chunks for i in range(c.start, c.end)}
    for t in doc:
        if t.pos_ == "NOUN" and t.dep_ in ("npadvmod", "appos", "dep") and t.i not in covered:
            start = min([t.i] + [c.left_edge.i for c in t.children if c.i < t.i and c.dep_ in ("det", "amod", "compound", "nummod")])
            chunks.append(doc[start : t.i + 1])
    return sorted(chunks, key=lambda c: c.start)


def _is_placeish(head: Token) -> bool:
    lemma = head.lemma_.lower()
    fixtures = lexicon.SURFACE_NOUNS | lexicon.FIXTURE_NOUNS | lexicon.SEAT_NOUNS
    return is_place(head) or lemma in fixtures or any(lemma.endswith(f) for f in fixtures if len(f) > 3)  # "workbench", "countertop"


def _clothing(lemmas: set[str]) -> bool:
    """Clothing by name or by its last part ("sundress", "overcoat", "nightgown")."""
    return bool(lemmas & lexicon.CLOTHING_NOUNS) or any(w.endswith(c) for w in lemmas for c in lexicon.CLOTHING_NOUNS if len(c) >= 5)


def _a_place(prep: Token, head: Token) -> bool:
    named_place = any(c.dep_ == "compound" and is_place(c) for c in head.children)  # "a city street corner"
    return _is_placeish(head) or named_place or _crossed(prep) or _enclosing(prep, head)


def _enclosing(prep: Token, head: Token) -> bool:
    """'in a university auditorium': where the subject is, though the place list does not name it."""
    verb = prep.head
    locates_object = verb.pos_ == "VERB" and any(c.dep_ == "dobj" for c in verb.children)  # "adjusts a screw inside a watch": where the screw is
    return prep.lower_ == "in" and head.lemma_.lower() not in lexicon.MASS_NOUNS and head.tag_ in ("NN", "NNP") and not locates_object


def _quoted(chunk: Span) -> bool:
    doc = chunk.doc
    near = [doc[i] for i in (chunk.start - 1, chunk.end) if 0 <= i < len(doc)]
    return any(t.text in ('"', "“", "”", "'") for t in near) or sum(t.text in ('"', "“", "”") for t in doc[: chunk.start]) % 2 == 1


def _crossed(prep: Token) -> bool:
    """The way a motion goes along ("jogs along a seaside promenade"): a place in the still."""
    return prep.lower_ in ("along", "across", "through", "down", "past") and prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in lexicon.MOTION_VERBS


def _where_subject_is(prep: Token, own: Span | None) -> bool:
    """A place phrase said of the subject or of what they do ("standing behind a podium", "a man
    in a tent"), not of the scenery ("mist hangs over the water")."""
    head = prep.head
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.i < head.i:
        return _where_subject_is(head.head, own)  # "standing behind a podium in an auditorium"
    if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "dobj" and head.head.pos_ == "VERB":
        return performed_by_subject(head.head, own)  # "plays the violin on a street corner": the player is there
    if head.pos_ in ("NOUN", "PROPN", "PRON"):
        return is_subject_mention(head, own)
    return head.pos_ in ("VERB", "AUX", "ADJ") and performed_by_subject(head, own)


def _with_article(tokens: Sequence[Token], replace: dict[int, str] | None, keep_the: bool = False) -> str:
    """The chunk's words with its own article ("a chipped enamel mug"); 'the' becomes 'a' for a singular thing."""
    text = "".join((replace or {}).get(t.i, t.text) + t.whitespace_ for t in tokens).strip()
    first = tokens[0]
    if first.lower_ == "the" and tokens[-1].tag_ == "NN" and len(tokens) > 1 and not keep_the:
        rest = text.split(" ", 1)[1]
        return ("an " if rest[:1].lower() in "aeiou" else "a ") + rest
    if first.pos_ != "PROPN" and not first.text.isupper():
        text = text[:1].lower() + text[1:]
    return text


def _held(head: Token, own: Span | None) -> bool:
    """A count noun the subject's own action holds or drinks from ("sipping coffee from a chipped mug")."""
    verb = head.head if head.dep_ == "dobj" else head.head.head if head.head.lower_ in ("from", "with") else None
    if verb is None or verb.pos_ != "VERB" or not performed_by_subject(verb, own) or any(c.dep_ == "prt" for c in verb.children):
        return False  # "jumps down from a fire engine": a place left, not a thing held
    if head.lemma_.lower() in lexicon.MASS_NOUNS or head.tag_ != "NN" or not any(c.dep_ == "det" for c in head.children):
        return False
    return verb.lemma_.lower() in lexicon.HANDLING_VERBS | lexicon.HOLD_VERBS or head.dep_ == "pobj"
