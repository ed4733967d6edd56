"""Run-on sentences of the input ("... on a sunny afternoon he stops near the fountain", "... at
sunset her hair is blowing in the wind"): where the parse shows a new clause with its own pronoun
subject and present verb after a phrase that ends with no punctuation, a new sentence starts.
Nothing else moves: where the parse is not that clear, the input's words stay as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_PRONOUNS = frozenset("he she it they".split())


def run_on_starts(doc: Doc) -> set[int]:
    """The first tokens of clauses run on with no punctuation before them."""
    starts = set()
    for s in doc:
        start = _clause_start(s)
        if start is None or start.i < 2:
            continue
        prior = doc[start.i - 1]
        if prior.is_punct or prior.dep_ in ("cc", "mark", "prep", "det", "poss") or prior.pos_ in ("VERB", "AUX", "CCONJ", "SCONJ", "ADP", "DET"):
            continue  # "and he runs", "as she turns", "says he is": joined or governed, not run on
        if not (prior.pos_ in ("NOUN", "PROPN", "ADV") or prior.dep_ == "pobj"):
            continue
        if _opened_by_joiner(doc, start):
            continue  # "..., and at the top she polishes": an adverbial of the joined clause, which is no run-on
        before = doc[prior.sent.start : start.i]
        if any(t.tag_ in ("VBZ", "VBP") and t.pos_ in ("VERB", "AUX") and not _subordinate(t) for t in before):
            starts.add(start.i)  # the clause before has a present verb of its own: two sentences
    return starts


def _clause_start(subject: Token) -> Token | None:
    """Where a clause opens with ``subject`` ('he', or 'her hair' with its possessive) and its own
    present verb, in no relative or subordinate role; None otherwise."""
    if subject.dep_ != "nsubj":
        return None
    if subject.lower_ in _PRONOUNS:
        start = subject
    elif subject.pos_ == "NOUN" and subject.left_edge.tag_ == "PRP$":
        start = subject.left_edge
    else:
        return None
    verb = subject.head
    if verb.i < subject.i or verb.dep_ in ("relcl", "advcl", "acl", "xcomp") or any(c.dep_ == "mark" for c in verb.children):
        return None
    finite = verb.tag_ in ("VBZ", "VBP") or any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children)
    between = verb.doc[subject.i + 1 : verb.i]
    return start if finite and all(t.dep_ in ("aux", "neg", "advmod") for t in between) else None


def _subordinate(verb: Token) -> bool:
    """'When the bowl is tall enough she eases ...': a verb with its own 'when', 'as', 'if' (or an
    auxiliary whose verb has one) heads a subordinate clause, never a sentence of its own."""
    head = verb.head if verb.dep_ in ("aux", "auxpass") else verb
    return head.dep_ == "advcl" or any(c.dep_ == "mark" for c in head.children)


def _opened_by_joiner(doc: Doc, start: Token) -> bool:
    """Back from the clause's start to the nearest verb, punctuation or conjunction: a conjunction
    ('and', 'but', 'then') or the sentence's start there means the words before the subject open it."""
    for t in reversed(doc[start.sent.start : start.i]):
        if t.pos_ in ("VERB", "AUX") or t.is_punct:
            return False
        if t.dep_ == "cc" or t.lower_ in ("and", "but", "or", "then", "so"):
            return True
    return True


def comma_splice(doc: Doc) -> str:
    """'... stands on the platform, she first scrolls through ...': two sentences joined by a comma
    alone; the comma becomes a full stop. Only where the clause before has its own subject and
    finite verb and is not a subordinate one ("As the train arrives, she looks up" stays)."""
    stops = set()
    for p in doc:
        verb = p.head
        # "..., a cat jumps onto her lap": a noun subject with its article right after the comma, too
        noun = p.pos_ == "NOUN" and p.left_edge.i < p.i and doc[p.left_edge.i].lower_ in ("a", "an", "the")
        if p.dep_ != "nsubj" or not (p.lower_ in ("he", "she", "they") or noun):
            continue
        start = p.left_edge if noun else p
        if noun and any(t.text == "," or t.tag_ == "VBG" for t in doc[p.i + 1 : verb.i]):
            continue  # "..., the machine rattling steadily, then lifts": an absolute phrase, the verb the person's
        # "..., he is wearing a parka": a participle with its own present auxiliary is finite too
        finite = verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") and c.i > p.i for c in verb.children))
        if start.i < 2 or doc[start.i - 1].text != "," or not finite or verb.i < p.i:
            continue
        if any(c.dep_ == "mark" for c in verb.children):
            continue
        before = doc[p.sent.start : start.i - 1]
        # "..., and when a group climbs aboard holding a cake, she laughs": the comma closes a clause
        # a 'when' opened; what follows is that clause's main one, never a sentence of its own
        if any(m.lower_ in _SUBORDINATORS and m.dep_ in ("mark", "advmod") and m.head.i > m.i and m.head.right_edge.i == start.i - 2 for m in before):
            continue
        if any(t.tag_ in ("VBZ", "VBP") and t.dep_ not in ("advcl", "relcl", "acl") and _main_with_subject(t) for t in before):
            stops.add(start.i - 1)
    starts = {i + 1 for i in stops} | run_on_starts(doc)  # "... on a sunny afternoon he stops": no comma at all
    if not starts:
        return doc.text
    out = []
    for t in doc:
        text = t.text[:1].upper() + t.text[1:] if t.i in starts else t.text
        if t.i + 1 in starts:
            text = "." if t.i in stops else f"{text}."
        out.append(text + t.whitespace_)
    return "".join(out)


_SUBORDINATORS = frozenset("when whenever while as after before once until till if because since although though".split())


def _main_with_subject(verb: Token) -> bool:
    """A verb with a subject of its own and no subordinating word ('as', 'while')."""
    return any(c.dep_ == "nsubj" for c in verb.children) and not any(c.dep_ == "mark" for c in verb.children)


def absolute_comma(doc: Doc) -> str:
    """'plays guitar in her bedroom the amp buzzing, ...' → '... in her bedroom, the amp buzzing, ...':
    an absolute phrase (an article, its noun, an -ing word, then the clause ends) run on from a
    preposition's noun with no comma before it gets one."""
    commas = set()
    for t in doc:
        if t.lower_ not in ("the", "a", "an", "his", "her", "its", "their") or t.i < 2 or t.whitespace_ == "":
            continue
        prior = doc[t.i - 1]
        if prior.dep_ != "pobj" or prior.pos_ not in ("NOUN", "PROPN"):
            continue
        words = []
        for w in doc[t.i + 1 : t.sent.end]:
            if w.text in (",", ".", ";", "!", "?"):
                break
            words.append(w)
        ing = words[-1] if words else None
        nouns = words[:-1]
        if ing is None or not ing.lower_.endswith("ing") or not nouns or len(nouns) > 3 or any(w.pos_ not in ("NOUN", "ADJ", "PROPN") for w in nouns):
            continue
        commas.add(t.i)
    return "".join(t.text + ("," if t.i + 1 in commas else "") + t.whitespace_ for t in doc)
