"""The keyframe phrases anchored in the input's parse after ``stillmend``: a phrase must be a whole
noun phrase, or a prepositional phrase said with the thing it belongs to, of the first frame:

- a finite pose verb that opens a phrase becomes its participle ("crouches beside a car" →
  "crouching beside a car"); any other finite verb that opens one takes the phrase with it;
- a plural word after a singular article and its noun is the clause's verb ("a white veil crouches"
  → "white veil");
- two clauses joined by 'and' that the parse read as one coordinated noun ("down the hall and city
  lights blur") keep only the first clause's words;
- a prepositional phrase alone says where another thing is, not the person: said with that thing in
  the input's words ("on the window" → "rain on the window"), joined to the phrase that says it
  right before, or left out where that thing is a sound;
- a bare body part is said with what is on it ("hair" → "jasmine in hair");
- a modifier cut from its noun gets its noun back ("Neon pink" → "Neon pink and teal signs"), and a
  colour said of a thing is said with it ("heavy slate" of "the sky is a heavy slate gray" → "heavy
  slate gray sky");
- a word of a predicate before a comma is no modifier of the next item ("bride getting ready, red
  lehenga" → "red lehenga");
- a thing's '-ing' participle goes with its thing ("displaying graphs" → "computer monitor
  displaying graphs") or is left out;
- a phrase of a later moment ("at the end", "finally", "then") is left out: the keyframe is the first;
- what a sound or a smell is of ("the smell of petrol and baked rubber") is left out.

Where no mend is sure the phrase (or only its broken bit) goes: a plain prompt beats a broken one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import verb_after_noun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["ING_NOUNS", "LATER_ADVERBS", "anchor_still", "phrase_span"]

# Adverbs that put an action after the first moment (a closed class).
LATER_ADVERBS = frozenset("then finally eventually later afterwards afterward subsequently".split())
_END_NOUNS = frozenset("end close finish".split())
# What a clip is (a closed class): "at the end of the video" is a time, "at the end of the pier" a place.
_MEDIA_NOUNS = frozenset("clip video scene shot sequence film footage day session".split())
# Nouns in '-ing' that name a thing (a closed class): never a verb left at a phrase's end.
ING_NOUNS = frozenset(
    """building painting drawing carving railing landing opening clothing ceiling awning bedding wedding crossing clearing dwelling housing
    siding tubing piping wiring lighting setting grading framing serving topping dressing stuffing filling frosting icing sapling duckling seedling
    ring string wing swing spring sling king thing evening morning pudding stocking earring legging leggings shavings""".split()
)
_SEEN = re.compile(r"(?:\s+\w+ly)?\s+visible$")


def phrase_span(doc: Doc, p) -> list[Token]:
    """The phrase's tokens, from where its text starts in the input (a rule may have put words
    before its first token: "hand-painting ... onto the wall" found at 'onto')."""
    if not 0 <= p.position <= p.end < len(doc):
        return []
    start = p.position
    lead = p.text[:20]
    for k in range(p.position, max(-1, p.position - 12), -1):
        if doc.text[doc[k].idx :].startswith(lead):
            start = k
            break
    return list(doc[start : p.end + 1])


def word_pattern(text: str) -> str:
    """A regex for ``text`` as a whole word (a hyphen joins words)."""
    return rf"(?<![\w-]){re.escape(text)}(?![\w-])"


def said_between(doc: Doc, a: int, b: int) -> str:
    """The input's own words from token a to token b (both kept)."""
    return "".join(t.text_with_ws for t in doc[a : b + 1]).strip(" ,")


def _own(token: Token, own: Span | None) -> bool:
    """The person: their words, a pronoun, a person noun (an appositive 'rain' is no person)."""
    inside = own is not None and own.start <= token.i < own.end
    return inside or token.pos_ == "PRON" or token.lemma_.lower() in lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS


def _sensed(span: list[Token]) -> bool:
    """'baked rubber' of "the smell of petrol and baked rubber": what a sound or smell is of."""
    for t in span:
        while t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in lexicon.SENSORY_NOUNS:
            return True
        # "the smell of petrol and baked rubber hangs": the parse's second subject of the smell's verb
        others = [c for c in t.head.children if c.dep_ == "nsubj" and c.i < t.i] if t.dep_ == "nsubj" else []
        if any(c.lemma_.lower() in lexicon.SENSORY_NOUNS for c in others):
            return True
    return False


def _later(span: list[Token]) -> bool:
    """A phrase of a later moment: 'at the end' of the clip (not "the end of the pier"), or a pose
    its verb says comes 'then', 'finally'."""
    for t in span:
        if _the_end(t):
            return True
        verb = t if t.lemma_.lower() in lexicon.POSE_VERBS else t.head
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in lexicon.POSE_VERBS:
            continue
        if any(c.dep_ == "advmod" and c.lower_ in LATER_ADVERBS for c in verb.children):
            return True
        if any(c.dep_ == "prep" and _the_end(k) for c in verb.children for k in c.children):  # "In the end he sits on a crate"
            return True
    return False


def _the_end(t: Token) -> bool:
    """'the end' of the clip, a verb's time ("at the end", "at the end of the video"), not of a place ("the end of the pier")."""
    of = next((c for c in t.children if c.dep_ == "prep"), None)
    thing = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    # a bare "the end" is the clip's only before its verb ("At the end she sits back"); after it, it is a place ("sits at the end, near the window")
    timed = (thing is None and t.head.i < t.head.head.i) or (thing is not None and thing.lemma_.lower() in _MEDIA_NOUNS)
    said = t.lemma_.lower() in _END_NOUNS and t.dep_ == "pobj" and t.head.head.pos_ == "VERB" and any(c.lower_ == "the" for c in t.children)
    return said and timed


def _finite_opener(p, span: list[Token]) -> str | None:
    """'crouches beside a dusty car': a pose said with its participle."""
    first = span[0] if span else None
    if first is None or not p.text.startswith(first.text + " "):
        return None
    finite = first.tag_ in ("VBZ", "VBP", "VBD") and first.pos_ == "VERB"
    form = _pose_misread(first) or (lexicon.POSE_PARTICIPLES.get(first.lemma_.lower()) if finite else None)
    return f"{form}{p.text[len(first.text) :]}" if form is not None else None  # another verb: the self-check says it


def _pose_misread(token: Token) -> str | None:
    """'crouches beside', 'kneels on': a pose verb the tagger read as a plural noun before its preposition; its participle."""
    word = token.lower_
    stem = next((s for s in (word[:-2], word[:-1]) if word.endswith("s") and s in lexicon.POSE_PARTICIPLES), None)
    misread = stem is not None and token.tag_ == "NNS" and token.i + 1 < len(token.doc) and token.nbor(1).pos_ == "ADP"
    return lexicon.POSE_PARTICIPLES[stem] if misread and stem is not None else None


def _number_clash(p, span: list[Token]) -> str | None:
    """'a white veil crouches': a plural head after 'a' and a singular noun is the verb; the phrase ends before it."""
    for t in span[1:]:
        det = next((c for c in t.children if c.dep_ == "det" and c.lower_ in ("a", "an")), None)
        before = t.nbor(-1)
        # "a sleek bob and small hoop earrings": the article is the first item's
        single = det is not None and not any(w.pos_ in ("CCONJ", "PUNCT") for w in t.doc[det.i : t.i])
        if t.tag_ != "NNS" or not single or before.tag_ != "NN" or before.dep_ != "compound":
            continue
        match = re.search(word_pattern(t.text), p.text)
        if match is None:
            continue  # an earlier cut took the verb already
        rest = p.text[: match.start()].strip(" ,")
        return rest if len(rest.split()) > 1 else ""
    return None


def _joined_clause(p, span: list[Token]) -> str | None:
    """'down the hall and city lights blur': an 'and' inside a noun's modifiers followed by a plural
    noun and a verb or noun is a second clause; the phrase keeps the words before it."""
    for cc in span:
        first = cc.head
        conj = next((c for c in first.children if c.dep_ == "conj" and c.i > cc.i), None)
        if cc.dep_ != "cc" or cc.lower_ != "and" or first.dep_ not in ("nmod", "compound") or conj is None or first.head.i <= conj.i:
            continue
        after = [t for t in span if conj.i < t.i <= first.head.i + 1 and t.i + 1 < len(t.doc)]
        # "city lights | blur" (the verb read as the noun), "neon signs | reflect" (a verb with no subject of its own)
        subjectless = [t for t in after if t.nbor(1).tag_ in ("VBP", "VBZ") and not any(c.dep_ == "nsubj" for c in t.nbor(1).children)]
        clause = any(t.tag_ == "NNS" for t in subjectless) or any(t.tag_ == "NNS" and t.nbor(1).dep_ == "pobj" for t in after)
        match = re.search(rf"\s+and\s+{re.escape(conj.text)}\b", p.text)
        if not clause or match is None:
            continue
        before = p.text[: match.start()].strip(" ,")
        return before if len(before.split()) > 1 else ""
    return None


def _anchor(prep: Token, own: Span | None) -> Token | None:
    """The thing a prepositional phrase says where it is: its noun, or the subject of its verb
    ("rain taps on the window": the rain); None where it is the person's place."""
    head = prep.head
    if _pose_misread(head) is not None:
        return None  # "gardener kneels in a patch at sunrise": the person's pose and place
    for _ in range(2):
        if head.pos_ in ("NOUN", "PROPN"):
            break
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            head = subject
            break
        if head.dep_ not in ("acomp", "xcomp", "conj") or head.head.i == head.i:
            return None
        head = head.head
    if head.pos_ not in ("NOUN", "PROPN") or _own(head, own):
        return None
    if verb_after_noun(head) and not any(c.dep_ == "det" for c in head.children):  # "rain taps on the window": the tagger's noun is the verb
        head = head.nbor(-1)
    return None if _own(head, own) or not _anchorable(head, own) else head


def _anchorable(thing: Token, own: Span | None) -> bool:
    """A thing of the scene said after the person, not what the person acts on ("reads a letter at
    the table": the table is where she is), a look, a setting word, a framing or an action's noun."""
    lemma = thing.lemma_.lower()
    acted_on = thing.dep_ in ("dobj", "pobj", "attr", "npadvmod")
    gerund = thing.lower_.endswith("ing") and thing.lower_ not in ING_NOUNS
    named = lemma in lexicon.BODY_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.GENERIC_PLACE | lexicon.LIGHT_NOUNS or "shot" in lemma or "close" in lemma
    return not (acted_on or gerund or named or (own is not None and thing.i < own.end))


def _prep_alone(doc: Doc, p, span: list[Token], own: Span | None, phrases: list) -> str | None:
    """'on the window' of "rain on the window": the thing it is said of, in the input's words."""
    prep = span[0] if span else None
    if prep is None or prep.pos_ != "ADP" or not p.text.lower().startswith(prep.lower_ + " ") or prep.right_edge.i < span[-1].i:
        return None
    pose = _pose_misread(prep.head) if prep.head.i == prep.i - 1 else None
    if pose is not None:
        return f"{pose} {p.text}"  # "kneels | on a snowy ridge": the pose said with it
    thing = _anchor(prep, own)
    if thing is None or thing.i > prep.i:
        return None
    if thing.lemma_.lower() in lexicon.SENSORY_NOUNS:
        return ""
    # "poster of the solar system partially visible | on the wall": the phrase right before it, in the input's words
    said = next((q for q in phrases if q is not p and 0 <= prep.i - q.end <= 3 and re.search(word_pattern(thing.text), q.text)), None)
    if said is not None and said.text.endswith(doc[said.end].text):
        said.text = f"{_SEEN.sub('', said.text)} {p.text}"  # that it is seen goes without saying
        return ""
    if any(re.search(word_pattern(thing.text), q.text) for q in phrases if q is not p):
        return None  # said elsewhere in other words: the phrase stays as it is
    start = next((t.i for t in thing.subtree if t.dep_ not in ("det", "poss")), thing.i)
    return f"{said_between(doc, start, thing.i)} {p.text}"


def _bare_part(doc: Doc, p, span: list[Token], phrases: list) -> str | None:
    """'hair' of "jasmine in hair": a bare body part said with what is on it."""
    if len(span) != 1 or p.text.strip().lower() != span[0].lower_ or span[0].lemma_.lower() not in lexicon.BODY_NOUNS:
        return None
    prep = span[0].head
    thing = prep.head if span[0].dep_ == "pobj" else None
    if thing is None or thing.pos_ != "NOUN" or thing.i > prep.i or any(re.search(word_pattern(thing.text), q.text) for q in phrases if q is not p):
        return ""
    return said_between(doc, thing.left_edge.i if thing.left_edge.dep_ != "det" else thing.i, span[0].i)


def _lost_noun(doc: Doc, p, span: list[Token], phrases: list) -> str | None:
    """'Neon pink' of "Neon pink and teal signs": the modifier's noun back; 'heavy slate' of "the
    sky is a heavy slate gray": said with the thing it is the colour of."""
    words = p.text.split()
    last = next((t for t in reversed(span) if words and t.text == words[-1]), None)
    if last is None:
        return None
    head = last.head if last.dep_ in ("amod", "compound", "nmod") else last.head.head if last.dep_ == "conj" and last.head.dep_ in ("amod", "nmod") else None
    between = doc[last.i + 1 : head.i] if head is not None and head.i > last.i else []
    # only across a coordination ("pink | and teal signs"): a noun right after may be a verb the tagger misread ("kaftan hums")
    joined = any(t.lower_ in ("and", "or") for t in between)
    whole = head is not None and 0 < head.i - last.i <= 4 and head.tag_ in ("NN", "NNS") and joined and not any(t.is_punct for t in between)
    if whole and not any(c.dep_ in ("prep", "prt", "advmod") for c in head.children):
        return f"{p.text} {said_between(doc, last.i + 1, head.i)}"
    thing = next((c for c in last.head.children if c.dep_ == "nsubj"), None) if last.dep_ == "attr" and last.head.lemma_ == "be" else None
    colour = [c for c in last.children if c.dep_ == "amod" and c.i == last.i + 1 and c.lower_ in lexicon.COLORS]
    if thing is None or _own(thing, None) or not colour or any(re.search(word_pattern(thing.text), q.text) for q in phrases):
        return None
    return f"{p.text} {colour[0].text} {thing.text.lower()}"


def _predicate_word(doc: Doc, p, span: list[Token]) -> str | None:
    """'ready red and gold lehenga' of "bride getting ready, red and gold lehenga": the verb's word
    before the comma goes."""
    first = span[0] if span else None
    if first is None or first.i == 0 or first.i + 2 >= len(doc) or first.pos_ not in ("ADJ", "ADV") or doc[first.i + 1].text != ",":
        return None
    if doc[first.i - 1].tag_ != "VBG" or not p.text.startswith(first.text + " "):  # "getting ready, red ...", not "has long, wavy hair"
        return None
    return p.text[len(first.text) :].strip(" ,")


def _thing_participle(doc: Doc, p, span: list[Token], own: Span | None, phrases: list) -> str | None:
    """'displaying graphs' of "a computer monitor displaying graphs": said with its thing, or left out."""
    first = span[0] if span else None
    if first is None or first.tag_ != "VBG" or not p.text.startswith(first.text + " ") or first.i == 0:
        return None
    before = first.nbor(-1)
    # "a computer monitor displaying graphs", read as a clause's participle or as the modifier of its object
    owner = first.head if first.dep_ == "acl" else before if first.dep_ == "amod" and first.head.i > first.i and before.pos_ == "NOUN" else None
    if owner is None or _own(owner, own) or first.lemma_.lower() in lexicon.POSE_VERBS | lexicon.DRESSING_VERBS:
        return None
    thing = next((q for q in phrases if q is not p and q.text.endswith(owner.text) and q.end == first.i - 1), None)
    if thing is not None:
        thing.text = f"{thing.text} {p.text}"
    return ""


def anchor_still(doc: Doc, own: Span | None, phrases: list) -> list:
    """Each phrase anchored as the module's doc says; the ones with no sure mend left out."""
    for p in phrases:
        span = phrase_span(doc, p)
        if not span or not p.text.strip():
            continue
        if _later(span) or _sensed(span):
            p.text = ""
            continue
        mends = (  # tried in order, lazily: the last one may lengthen another phrase, so it runs only when the others find nothing
            lambda: _finite_opener(p, span),
            lambda: _number_clash(p, span),
            lambda: _joined_clause(p, span),
            lambda: _predicate_word(doc, p, span),
            lambda: _thing_participle(doc, p, span, own, phrases),
        )
        text = next((m for mend in mends if (m := mend()) is not None), None)
        p.text = p.text if text is None else text
        if not p.text:
            continue
        lost = (lambda: _lost_noun(doc, p, span, phrases),) if text is None else ()  # a cut where the parse went wrong is not lengthened
        for mend in (lambda: _prep_alone(doc, p, span, own, phrases), lambda: _bare_part(doc, p, span, phrases), *lost):
            text = mend()
            if text is not None:
                p.text = text
                break
    return [p for p in phrases if p.text.strip(" ,")]
