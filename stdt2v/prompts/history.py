"""What the person had done before the video: a past-perfect clause about them ("He had opened
the studio after leaving the navy.", ", who had repaired watches for forty years,", "the lessons
she had put off her whole life") is history no camera films. It goes from both prompts; the
rest of the sentence stays. A first sentence that opens the story in the past perfect is
epithet.backstory_cut's (its subject and place stay for the keyframe).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import is_place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_PERSON_PRONOUNS = frozenset("he she they who".split())
# A past perfect inside a moment ("He had just sat down when the bell rang") is that moment, kept.
_MOMENT_MARKS = frozenset("when as while until".split())


def _past_perfect(verb: Token) -> bool:
    """'had opened', 'had been working': a verb with the auxiliary 'had' before it."""
    return verb.tag_ in ("VBN", "VBG") and any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in verb.children)


# Words that make a present perfect a span of the past: "has fished here for years", "since 1985",
# "all summer", "every evening", "has never caught a fish" (a life so far, not the moment filmed).
_SPAN_PREPS = frozenset("for since".split())
_SPAN_DETS = frozenset("all every each".split())
_SPAN_ADVERBS = frozenset("never always ever".split())


def _present_perfect_span(verb: Token) -> bool:
    """'has driven a taxi for twenty years', 'has never caught a fish', 'has been waiting all week':
    a present perfect of the person's life, not of what the frame shows ("has rolled up her sleeves" stays)."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ not in ("VBN", "VBG") or not any(c.lower_ in ("has", "have", "'s", "'ve") for c in aux):
        return False
    if verb.tag_ == "VBG" and not any(c.lower_ == "been" for c in aux):
        return False
    spans = any(c.dep_ == "prep" and c.lower_ in _SPAN_PREPS and any(o.dep_ == "pobj" for o in c.children) for c in verb.children)
    spans = spans or any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.subtree if c.head.dep_ == "advcl" and c.head.head.i == verb.i)
    marked = any(c.dep_ in ("npadvmod", "advmod") and any(d.lower_ in _SPAN_DETS for d in c.children) for c in verb.children)
    return spans or marked or any(c.dep_ in ("neg", "advmod") and c.lower_ in _SPAN_ADVERBS for c in verb.children)


def _history_verb(verb: Token) -> bool:
    return _past_perfect(verb) or _present_perfect_span(verb)


def _about_person(verb: Token, named: bool = False) -> bool:
    """Whether the verb's subject is a person ('he', 'the fisherman'; with ``named``, a name too)."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    # a name the small tagger reads as a proper noun, or as an adverb ("Lily is eight": no adverb is a subject)
    name = named and subject is not None and subject.pos_ in ("PROPN", "ADV") and subject.text.istitle()
    return subject is not None and (subject.lower_ in _PERSON_PRONOUNS or lexicon.is_person_noun(subject) or name)


def _sentence(sent: Span) -> tuple[int, int] | None:
    """A whole later sentence about the person in the past perfect."""
    root = sent.root
    if sent.start == 0 or not _history_verb(root) or not _about_person(root):
        return None
    if any(t.lower_ in _MOMENT_MARKS and t.dep_ in ("mark", "advmod") for t in sent):
        return None
    if any(_on_the_body(v) for v in (root, *(c for c in root.children if c.dep_ == "conj"))):
        return None  # "She had rolled up her sleeves and tied her hair back": how she looks now
    return sent.start, sent.end


def _on_the_body(verb: Token) -> bool:
    """A done thing still seen on the person: its object is a body part, clothing or a look."""
    seen = lexicon.BODY_NOUNS | lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS
    return any(c.dep_ == "dobj" and c.lemma_.lower() in seen for c in verb.children)


def _clause(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """', who had repaired watches since his uncle retired,' or 'she had put off her whole life'
    after a noun: the relative clause with its commas ('A clockmaker, who ..., peers' → 'A clockmaker peers')."""
    if verb.dep_ != "relcl" or not _history_verb(verb) or not _about_person(verb):
        return None
    start, end = verb.left_edge.i, verb.right_edge.i + 1
    sent = verb.sent
    if start > sent.start and doc[start - 1].text == ",":
        start -= 1
        if end < sent.end and doc[end].text == ",":
            end += 1  # both commas go with the clause they set off
    # else "the lessons she had put off her whole life, and ...": the comma stays with what follows
    return start, end


def _joined(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """'Lily is eight and has never caught a fish': a history verb joined to the person's present
    one goes with its 'and' (and a comma before it)."""
    head = verb.head
    if verb.dep_ != "conj" or head.i == verb.i or not _history_verb(verb) or _history_verb(head) or not _about_person(head, named=True):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) or _on_the_body(verb):
        return None
    cc = next((c for c in head.children if c.dep_ == "cc" and head.i < c.i < verb.i), None)
    start = cc.i if cc is not None else verb.left_edge.i
    start -= 1 if doc[start - 1].text == "," else 0
    end = verb.right_edge.i + 1
    return (start, end) if end < len(doc) and doc[end].is_punct else None  # the sentence's last clause, or one set off


def history_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the person's past-perfect history (see the module's note)."""
    spans = []
    for sent in doc.sents:
        if (whole := _sentence(sent)) is not None:
            spans.append(whole)
            continue
        spans += [span for t in sent if (span := _clause(doc, t) or _joined(doc, t)) is not None]
    return spans


# Prepositions of where one is, and of a way through a named place ("through Cairo" → "in Cairo").
_AT = frozenset("in on at by near behind beside under inside outside".split())


def _scene_place(root: Token) -> str:
    """The place of an opening history that is still the frame's: 'in the empty lot behind the
    bakery' (a static preposition before a place noun), or a named place ('through Cairo' → 'in Cairo')."""
    doc = root.doc
    objects = [c for c in root.children if c.dep_ == "dobj"]  # "has sold flowers in this market": the parse may hang it on the object
    # a past perfect's place is where the frame is only where the story comes back to it ("behind his uncle's
    # bakery ... the bakery's back door"); "had worked in the mines. He sits on his porch" is elsewhere now
    later = {t.lemma_.lower() for t in doc[root.sent.end :] if t.pos_ == "NOUN"}
    still = not _past_perfect(root)  # "has sold flowers here for years": one is still there
    for p in (c for x in (root, *objects) for c in x.children if c.dep_ == "prep"):
        pobj = next((o for o in p.children if o.dep_ == "pobj"), None)
        if pobj is None:
            continue
        span = doc[pobj.left_edge.i : pobj.right_edge.i + 1].text
        timed = pobj.ent_type_ in ("DATE", "TIME") or pobj.lemma_.lower() in lexicon.TIME_NOUNS or lexicon.is_person_noun(pobj)
        if pobj.ent_type_ in ("GPE", "LOC", "FAC"):
            return f"in {span}"  # a named place: the city is still where one is
        seen = still or any(t.lemma_.lower() in later for t in doc[pobj.left_edge.i : pobj.right_edge.i + 1] if t.pos_ == "NOUN")
        if seen and p.lower_ in _AT and (is_place(pobj) or not timed and pobj.pos_ == "NOUN" and any(d.dep_ == "det" for d in pobj.children)):
            return f"{p.text} {span}"  # "on this hillside"; "at this wheel" (where one works, with its determiner)
    return ""


def opening_history(doc: Doc) -> str | None:
    """'Tomasz has worked at the harbour for forty years. He coils a rope ...' → 'Tomasz is at the
    harbour. He coils a rope ...'; 'Kenji, a twelve-year-old boy, has practiced the violin every
    evening. Today he plays ...' → 'Today, Kenji, a twelve-year-old boy, plays ...': a story that
    opens on its person's history (for the temporal prompt) keeps the person and the place where
    the frame is, said now, and drops what they had done. None when it opens otherwise."""
    sents = list(doc.sents)
    if len(sents) < 2:
        return None
    first, second = sents[0], sents[1]
    root = first.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or not _history_verb(root) or _on_the_body(root) or not _about_person(root, named=True):
        return None
    if any(t.lower_ in _MOMENT_MARKS and t.dep_ in ("mark", "advmod") for t in first):
        return None
    who = doc[subject.left_edge.i : subject.right_edge.i + 1].text
    place = _scene_place(root)
    pronoun = next((t for t in second if t.dep_ in ("nsubj", "nsubjpass")), None)  # the sentence's first subject (the parse may root it later)
    if pronoun is None or pronoun.lower_ not in ("he", "she") or subject.lower_ in ("he", "she"):
        return f"{who} is {place}. {doc[second.start :].text}" if place else None
    if place and pronoun.i > second.start:
        return f"{who} is {place}. {doc[second.start :].text}"  # "... Today, with friends filming, he rolls": the place said first
    who = f"{who}, {place}" if place else who  # "Tomasz, at the harbour, coils a rope"
    set_off = "," in who
    lead = doc[second.start : pronoun.i].text
    if lead and not lead.endswith(","):
        lead += ","  # "Today he plays" → "Today, Kenji, a boy, plays": the fronted words set off
    after = doc[pronoun.i + 1 :].text
    if lead and who.split()[0] in ("A", "An", "The"):
        who = who[:1].lower() + who[1:]  # "Today, a man, a boy, plays"
    return f"{lead} {who}{',' if set_off else ''} {after}".strip()
