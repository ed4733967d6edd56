"""The object of the subject's first action, as the first frame shows it: where the input puts it
("feeds a length of fabric under the needle" → "a length of fabric under the needle", "pats masa
between her palms" → "masa between her palms"), in hand before it goes somewhere ("presses rice
seedlings into the mud" → "rice seedlings in hand"), held while it is moved ("turns a long steel
pipe" → "holding a long steel pipe"), or touched by the hand the input names ("spins the rear
wheel with one hand" → "one hand on the rear wheel"). A placed thing stays where it stands ("with a
phone propped up on a stack of books" → "a phone propped up on a stack of books", not in hand)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.phrasing import indefinite_np, object_of, phrase_tokens
from stdt2v.prompts.words import as_text, graspable, is_place, is_subject_mention, is_thing, noun_lemmas

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Prepositions that say where a thing is (not where it goes: "into", "onto", "toward").
_WHERE = frozenset("in on under over between beneath underneath against inside atop".split())  # not "across": a path
# Prepositions of where a thing goes: before it gets there, it is in the hands.
_TO = frozenset("into onto".split())
# Verbs that move a thing by lifting or turning it in the hands (a closed class): it is held.
MOVED_BY_HAND = frozenset("turn twist rotate lift raise hoist heft tilt lower swing balance juggle".split())
# Verbs that move a thing without lifting it (pushing, rolling, kicking): it is not in hand.
_NOT_LIFTED = frozenset("push pull drag roll slide shove kick nudge tow haul wheel steer drive ride".split())
# Verbs of putting a thing somewhere (a closed class): where it ends, not where it is.
_PUTTING = frozenset("set put place lay stack hang store pile load pack drop leave lean rest tuck slide shelve".split())
# Participles of a thing set down somewhere ("a phone propped on ...", "a laptop balanced on her knees").
_SET_DOWN = frozenset("prop set place rest lean stand mount balance perch wedge park lay sit position tuck".split())


def where_put(noun: Token, own: Span | None, replace: dict[int, str] | None) -> tuple[list, str] | None:
    """Where the verb has its object, when a thing or the subject's own body part: 'on the anvil',
    'under the needle', 'between her palms' (not 'into': that is where it ends)."""
    if any(c.dep_ == "compound" and c.lemma_.lower() in lexicon.BODY_NOUNS for c in noun.children):
        return None  # "lets her fingertips brush against the petals": a verb the parse took for a noun
    # "feeds a length of fabric under the needle": the parse may hang it on either ("sets the loaves on the shelf": where they end)
    preps = [*noun.head.children, *(noun.children if noun.head.lemma_.lower() not in _PUTTING else ())]
    for prep in (c for c in preps if c.dep_ == "prep" and c.lower_ in _WHERE and c.i > noun.i):
        obj = object_of(prep)
        if obj is None or noun_lemmas(obj) & (lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS):
            continue  # "plays chess on a rainy afternoon": a time
        if prep.lower_ == "in" and not any(c.dep_ in ("det", "poss") for c in obj.children):
            continue  # "casting a line in long graceful arcs": how, not where
        place = is_place(obj) or any(c.dep_ == "compound" and is_place(c) for c in obj.children)  # "a city street corner"
        body = obj.lemma_.lower() in lexicon.BODY_NOUNS and any(c.tag_ == "PRP$" and is_subject_mention(c, own) for c in obj.children)
        thing = is_thing(obj) and obj.lemma_.lower() not in lexicon.BODY_NOUNS | {"front"}
        if place or not (thing or body) or (body and obj.lemma_.lower() in ("hand", "hands")):
            continue  # "in his hands": held, said by the hand rules
        tokens = phrase_tokens(prep)  # "on a sandy patch between houses", "in a ceramic bowl with a bamboo whisk"
        if len(tokens) > 1:
            rest = "".join((replace or {}).get(t.i, t.text) + t.whitespace_ for t in tokens[1:]).strip()
            return tokens, f"{prep.lower_} {rest}"
    return None


def held_before_put(noun: Token, tokens: list) -> bool:
    """'presses rice seedlings into the mud', 'lowers a paper boat onto a puddle': a thing the hands
    take somewhere is in them in the first frame; a pushed, rolled or kicked one is not."""
    verb = noun.head
    going = any(c.dep_ == "prep" and c.lower_ in _TO and c.i > noun.i for c in verb.children)
    stuff = any(t.lemma_.lower() in lexicon.MASS_NOUNS | {"liquid", "amount"} for t in tokens)  # "a small amount of liquid": no one thing
    mass = stuff or noun.tag_ == "NN" and not any(t.dep_ in ("det", "nummod") for t in tokens)
    return going and verb.lemma_.lower() not in _NOT_LIFTED and graspable(tokens) and not mass and not is_place(noun)


def hand_on(noun: Token, tokens: list, replace: dict[int, str] | None) -> str | None:
    """'spins the rear wheel with one hand' → 'one hand on the rear wheel': the hand the input
    names is where the first frame shows it."""
    prep = next((c for c in noun.head.children if c.dep_ == "prep" and c.lower_ == "with"), None)
    hand = object_of(prep) if prep is not None else None
    if hand is None or hand.lemma_.lower() not in ("hand", "hands") or any(c.dep_ in ("conj", "prep") for c in hand.children):
        return None
    if not is_thing(noun) or not graspable(tokens) or noun.lemma_.lower() in lexicon.LIGHT_NOUNS | {"flame", "fire"}:
        return None  # "shields the flame with his hand": nothing the hand rests on
    said = as_text([t for t in prep.subtree if t.i > prep.i], replace=replace)
    owned = tokens[0].lower_ == "the" or any(t.dep_ == "poss" for t in tokens)
    thing = as_text(tokens, replace=replace)
    return f"{said} on {'the ' + thing if owned else indefinite_np(tokens, thing)}"


def set_down(obj: Token, replace: dict[int, str] | None) -> tuple[list, str] | None:
    """'with a phone propped up on a stack of books': a thing set down where it stands, in the
    input's words (its participle and place), never in hand."""
    verb = next((c for c in obj.children if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in _SET_DOWN), None)
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in _WHERE), None) if verb is not None else None
    where = object_of(prep) if prep is not None else None
    if where is None or not any(c.dep_ in ("det", "poss", "amod", "compound") for c in where.children):
        return None
    tokens = [t for t in obj.subtree if t.i <= where.i and not (t.dep_ == "poss" and t.head.i == obj.i)]
    if any(t.is_punct for t in tokens):
        return None
    tail = [t for t in where.subtree if t.i > where.i]  # "a stack of books", "a coffee mug on the kitchen table"
    tail = tail[: next((k for k, t in enumerate(tail) if t.is_punct or t.pos_ in ("VERB", "AUX", "CCONJ")), len(tail))]
    while tail and tail[-1].pos_ not in ("NOUN", "PROPN"):
        tail.pop()  # never a dangling word
    tokens = sorted({*tokens, *tail}, key=lambda t: t.i)
    if any(b.i != a.i + 1 for a, b in zip(tokens, tokens[1:])):
        return None  # a gap: the phrase is not the input's own words
    text = as_text(tokens, replace=replace)
    return tokens, indefinite(text) if tokens[0].lower_ in ("a", "an") and obj.tag_ == "NN" else text


def own_garment(noun: Token, own: Span | None) -> bool:
    """'ties her sneaker', 'laces his boot': a garment of the subject's own, worn, not a thing nearby."""
    lemma = noun.lemma_.lower()
    garment = lemma in lexicon.CLOTHING_NOUNS or f"{lemma}s" in lexicon.CLOTHING_NOUNS
    return garment and any(c.tag_ == "PRP$" and is_subject_mention(c, own) for c in noun.children)


def other_hand(verb: Token, replace: dict[int, str] | None) -> tuple[list, str] | None:
    """'holds a brush in one hand and a tin of red paint in the other': the second thing, in the
    other hand (the parse hangs it on the verb as a conjunct)."""
    for thing in (c for c in verb.children if c.dep_ == "conj" and c.pos_ == "NOUN" and is_thing(c)):
        other = next((c for c in thing.children if c.dep_ == "prep" and c.lower_ == "in" and object_of(c) is not None and object_of(c).lower_ == "other"), None)
        if other is None:
            continue
        tokens = [t for t in thing.subtree if t.i < other.i and t.dep_ != "cc" and not (t.dep_ == "poss" and t.head.i == thing.i)]
        if tokens and all(b.i == a.i + 1 for a, b in zip(tokens, tokens[1:])):
            return tokens, f"{said_with_article(tokens, thing, as_text(tokens, replace=replace))} in the other hand"
    return None


def held_of_list(obj: Token, replace: dict[int, str] | None) -> list[tuple[list, str, bool]]:
    """'with a flock of goats and a wooden staff': each thing of the list on its own, the one a hand
    holds "in hand" ("a wooden staff in hand"), the others as they are ("a flock of goats");
    empty when the list's head is the held thing itself or a part is not the input's own words."""
    if obj.lemma_.lower() in lexicon.PROP_NOUNS:
        return []
    found = []
    for noun in (obj, *(c for c in obj.conjuncts if c.i > obj.i)):
        inner = {t.i for c in noun.children if c.dep_ in ("conj", "cc") for t in c.subtree}
        tokens = [t for t in noun.subtree if t.i not in inner and t.dep_ != "poss" and not t.is_punct]
        if not tokens or any(b.i != a.i + 1 for a, b in zip(tokens, tokens[1:])):
            return []
        held = noun.lemma_.lower() in lexicon.PROP_NOUNS
        said = said_with_article(tokens, noun, as_text(tokens, replace=replace))
        found.append((tokens, f"{said} in hand" if held else said, held))
    return found if any(h for _, _, h in found) else []


def said_with_article(tokens: list, noun: Token, text: str) -> str:
    """The object said with 'a' where the input gave it an article and its head ``noun`` is one
    thing ("turns a long steel pipe" → "a long steel pipe"; "the yellowed pages of a book" stay)."""
    # "the first hive", "the hood of his parka": one of a kind, never "a"
    of = [object_of(c) for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
    owned = any(o is not None and any(d.tag_ == "PRP$" for d in o.children) for o in of)
    ordinal = owned or any(t.lower_ in ("first", "second", "third", "last", "next", "other", "same", "only") for t in tokens)
    return indefinite(text) if tokens[0].lower_ in ("a", "an", "the") and noun.tag_ in ("NN", "NNP") and not ordinal else text


def moved_by_hand(noun: Token, tokens: list) -> bool:
    """'turns a long steel pipe', 'lifts a steel beam': one thing lifted or turned is held (not
    "turns up the radio", "turns the pages": a particle, or parts of a thing)."""
    verb = noun.head
    single = noun.tag_ == "NN" and not any(t.lemma_.lower() in lexicon.MASS_NOUNS for t in tokens)
    return verb.lemma_.lower() in MOVED_BY_HAND and single and graspable(tokens) and not any(c.dep_ == "prt" for c in verb.children)
