"""A person the prompt names only after its shot ("Close-up of weathered hands carving a seal,
then tilting up to the face of an old fisherman in a wool cap, ...", "the camera pulls back to
reveal an elderly potter in an apron"): the person is said once, in the opening, and the later
mention becomes a pronoun ("tilting up to his face", "to reveal him"), so the video prompt has one
subject, never two. What the person does opens it as the person's verb: what the shown hands do
("A man, an old fisherman in a wool cap, carves a seal. Close-up of his weathered hands, then ..."),
else the person's own participle or relative clause ("... a potter smiling at her work" → "A woman,
a potter, smiles at her work."); with neither, "A man, an old fisherman, is in view."."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import object_pronoun, present

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_ATTIRE_PREPS = frozenset(("in", "with", "wearing"))
_POSSESSIVE = {"male": "his", "female": "her"}


def late_person(doc: Doc, gender: str | None) -> tuple[str | None, dict[int, str], set[int], str | None] | None:
    """(role or None for a plain person, replacements, dropped tokens, the person's first action as a
    finite predicate or None) for the first person named as an object in the first two sentences;
    None when there is none."""
    for sent in list(doc.sents)[:2]:
        person = next((t for t in sent if _named_late(t)), None)
        if person is not None:
            # "he hands a coin to a street vendor", "he moves a knight": with the person already the doer, it is someone (or something) else
            acting = any(t.dep_ in ("nsubj", "nsubjpass") and (t.lower_ in _DOERS or lexicon.is_person_noun(t)) for t in doc[: person.i])
            return None if acting else _said_once(doc, sent, person, gender)
    return None


_DOERS = frozenset("he she they i we".split())


def _named_late(token: Token) -> bool:
    """'the face of an Inuit elder', 'to reveal a potter': one person with an indefinite article, as an object."""
    article = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)
    # ("as a young man runs for the bus": a subject the parse took for an object, its verb right after it)
    verb_next = token.i + 1 < len(token.doc) and token.doc[token.i + 1].tag_ in ("VBZ", "VBD", "VBP")
    return token.pos_ == "NOUN" and token.dep_ in ("pobj", "dobj") and article and token.tag_ == "NN" and lexicon.is_person_noun(token) and not verb_next


def _said_once(doc: Doc, sent: Span, person: Token, gender: str | None) -> tuple[str | None, dict[int, str], set[int]]:
    start, end = person.left_edge.i, person.i + 1
    # its attire ("in a fur-trimmed parka") goes with it into the opening; a participle clause stays in place
    after = doc[end] if end < sent.end else None
    if (
        after is not None
        and after.dep_ == "prep"
        and after.lower_ in _ATTIRE_PREPS
        and (after.head.i == person.i or _worn(after) or after.head.lemma_.lower() in lexicon.BODY_NOUNS)
    ):
        end = after.right_edge.i + 1  # the parse may hang "in a parka" on the verb or the face
    own_act, relative, role_end, end = _own_action(doc, sent, person, end)
    plain = person.lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
    if plain:  # "an elderly Japanese man in an apron" under "A man": its looks and attire, never the noun again
        looks = doc[start : person.i].text.split(" ", 1)[1:] if doc[start].dep_ == "det" else [doc[start : person.i].text]
        role = ", ".join(p for p in [*looks, doc[person.i + 1 : role_end].text] if p.strip()) or None
    else:
        role = doc[start:role_end].text
    possessive = _POSSESSIVE.get(gender or "", "their")
    part = person.head.head if person.head.lower_ == "of" else None
    if part is not None and part.pos_ == "NOUN" and part.lemma_.lower() in lexicon.BODY_NOUNS and part.left_edge.i < part.i:
        # "the face of an Inuit elder" → "his face"
        replace = {part.left_edge.i: possessive}
        drop = set(range(part.left_edge.i + 1, part.i)) | set(range(person.head.i, end))
        drop -= {part.i}
        replace[part.i] = part.text
    else:
        replace = {start: object_pronoun(gender)}
        drop = set(range(start + 1, end))
    # "Close-up of weathered hands carving ...": the person's own hands, said before the person is
    hands_act = None
    for t in doc[sent.start : start]:
        if t.tag_ == "NNS" and t.lemma_.lower() in lexicon.BODY_NOUNS and not any(c.dep_ in ("det", "poss") for c in t.children):
            first = t.left_edge.i
            word = replace.get(first, doc[first].text)
            replace[first] = f"{possessive} {word if doc[first].pos_ == 'PROPN' else word[:1].lower() + word[1:]}"
            doing = _hands_doing(t, start)
            if doing is not None:  # what the hands do is what the person does: said once, as the opening's verb
                hands_act = _finite(doing)
                drop |= set(range(doing.start, doing.end))
            break
    return role, replace, drop, _joined(hands_act, own_act, relative)


def _hands_doing(hands: Token, person_start: int) -> Span | None:
    """'Close-up of weathered hands carving a seal from soapstone, then ...': the participle right after
    the shown hands, up to the next comma (the parse may hang it on the close-up or make it the root).
    Only hands that are the object of a shot's 'of' (a bare 'Hands shaping clay, the camera ...' keeps its words)."""
    doc = hands.doc
    after = hands.i + 1
    if hands.dep_ != "pobj" or after >= person_start or doc[after].tag_ != "VBG":
        return None
    end = next((t.i for t in doc[after:person_start] if t.is_punct or t.lower_ == "then"), person_start)
    span = doc[after:end]
    if end == person_start or any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in span):
        return None  # the person named inside the phrase, or a clause of its own: not the hands' action alone
    return span


def _finite(phrase: Span) -> str:
    """'carving a seal and polishing it' → 'carves a seal and polishes it': the participle and its conjuncts as finite verbs."""
    tokens = list(phrase)
    first = tokens[0].i
    verbs = {first} | {t.i for t in tokens if t.dep_ == "conj" and t.tag_ == "VBG" and t.nbor(-1).lower_ in ("and", "or", ",")}
    words = [present(t.lemma_, False) if t.i in verbs else t.text for t in tokens]
    return "".join(w + t.whitespace_ for w, t in zip(words, tokens, strict=True)).strip()


def _own_action(doc: Doc, sent: Span, person: Token, end: int) -> tuple[Span | None, Span | None, int, int]:
    """(the person's participle phrase, a finite predicate of its own, where the role ends, where the person's
    words end): 'a grandmother in a shawl sitting by a fire' (the parse may hang the participle on the attire),
    'a girl with braided hair who begins to play', 'a street vendor behind a cart, he is flipping skewers'.
    A phrase up to the next comma, with no finite verb in a participle's."""
    inside = next((t for t in doc[person.i + 1 : end] if (t.tag_ == "VBG" and t.dep_ != "amod" and t.nbor(-1).pos_ == "NOUN") or t.tag_ == "WP"), None)
    acl = inside or (doc[end] if end < sent.end else None)
    if acl is not None and acl.tag_ == "VBG" and acl.dep_ != "amod":
        stop = _next_stop(doc, acl.i, sent.end)
        finite = any(t.tag_ in ("VBZ", "VBD", "VBP", "MD") for t in doc[acl.i : stop])
        # ("reading his last page, pipe in hand": what follows the phrase's comma stays where it was)
        return (None, None, end, end) if finite else (doc[acl.i : stop], None, acl.i, stop)
    if acl is not None and acl.tag_ == "WP" and acl.head.dep_ == "relcl" and acl.head.tag_ == "VBZ" and acl.head.right_edge.i < sent.end:
        return None, doc[acl.i + 1 : acl.head.right_edge.i + 1], acl.i, acl.head.right_edge.i + 1  # the relative's verb is the person's
    # "a street vendor behind a food cart, he is flipping skewers": a verbless phrase, a comma, the person's pronoun and its verb
    comma = next((t.i for t in doc[end : sent.end] if t.is_punct), sent.end)
    said = doc[end:comma]
    if comma + 2 < sent.end and doc[comma].text == "," and all(t.pos_ in ("ADP", "DET", "ADJ", "NOUN", "PROPN", "NUM") for t in said):
        pronoun = doc[comma + 1]
        if pronoun.lower_ in ("he", "she") and pronoun.dep_ in ("nsubj", "nsubjpass") and _finite_head(pronoun.head):
            stop = _next_stop(doc, comma + 2, sent.end)
            return None, doc[comma + 2 : stop], comma, stop
    return None, None, end, end


def _finite_head(verb: Token) -> bool:
    return verb.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBZ" for c in verb.children)


def _next_stop(doc: Doc, begin: int, limit: int) -> int:
    """The next punctuation or 'then' from ``begin``: where one action's phrase ends."""
    return next((t.i for t in doc[begin:limit] if t.is_punct or t.lower_ == "then"), limit)


def _joined(hands_act: str | None, own_act: Span | None, relative: Span | None) -> str | None:
    """The hands' action first (the close-up shows it first); the person's own participle after it, as an aside."""
    if relative is not None:
        return f"{hands_act}, and {relative.text}" if hands_act else relative.text
    if own_act is None:
        return hands_act
    return f"{hands_act}, {own_act.text}" if hands_act else _finite(own_act)


def _worn(prep: Token) -> bool:
    """'in a fur-trimmed parka': a preposition whose object is clothing or a look."""
    words = lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS
    return any(c.dep_ == "pobj" and c.lemma_.lower() in words for c in prep.children)
