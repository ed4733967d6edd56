"""A tag list that names the person twice, once plainly and once by trade ("middle-aged Korean man,
street food vendor, grilling skewers, ..."), reads as one person: the trade takes the plain noun's
place among its words ("middle-aged Korean street food vendor, grilling skewers, ..."), so the
list has one person item for tags.py to say with a verb. A child word stays ("teenage boy,
skateboarder"): the trade is then said beside it, since a child must stay a child in both prompts.
Also here, the item readings tags.py needs beyond the whole list's parse: an action read alone
("kneading dough", "pours latte art", "reading"), and a thing with where it is ("rain on the window",
"jasmine in hair").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite, present
from stdt2v.prompts.tagwords import one_item
from stdt2v.prompts.words import proper_adjective

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.language import Language
    from spacy.tokens import Span, Token

# Where a thing of the list is, said after it ("seagulls overhead", "Cairo skyline behind").
WHERE_ADVERBS = frozenset("behind above below overhead nearby around beyond ahead underneath".split())
# Parts of what one wears: "a map in her pocket", "a badge on his collar".
_GARMENT_PARTS = frozenset("pocket pockets collar sleeve sleeves lapel belt cuff cuffs hem".split())
# Plain nouns of a child: the trade never replaces them ("a teenage boy, a skateboarder").
CHILD_NOUNS = frozenset("boy girl kid child toddler baby teen teenager schoolboy schoolgirl".split())


def merged_person(docs: list[Span], people: list[int], head_of: Callable[[Span], Token | None]) -> tuple[list[str], int, str, str] | None:
    """The list's items with its plain person item and its trade item said as one, where that item
    now stands, the trade kept apart for a child ("" for an adult) and the person's noun; None where the two are not
    one plain noun and one trade."""
    if len(people) != 2:
        return None
    heads = [head_of(docs[k]) or docs[k][-1] for k in people]  # an agent noun the lexicon lacks ("welder") is its item's last word
    plain = [k for k, h in zip(people, heads, strict=True) if h.lemma_.lower() in lexicon.PLAIN_PERSON | CHILD_NOUNS]
    trade = [k for k, h in zip(people, heads, strict=True) if h.lemma_.lower() not in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON | CHILD_NOUNS]
    if len(plain) != 1 or len(trade) != 1:
        return None
    if heads[people.index(plain[0])].lemma_.lower() in CHILD_NOUNS and trade[0] < plain[0]:
        return None  # "nurse, young boy, hospital room": a grown-up beside a child is someone else
    person, role = docs[plain[0]], docs[trade[0]]
    head, role_head = head_of(person), head_of(role) or role[-1]
    if head is None or role_head is None or any(t.text[:1].isupper() and t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in role):
        return None  # "woman, Maria": a name is no trade
    own = words_of(t for t in role if t.i <= role_head.i and t.pos_ != "DET")
    if role.start == 0 and not proper_adjective(role[0]) and role[0].ent_type_ != "PERSON":
        own = own[:1].lower() + own[1:]  # "Glassblower, young woman": the capital is the sentence's
    after = words_of(role[role_head.i - role.start + 1 :])  # "bride getting ready": the trade's own action, said after the looks
    child = head.lemma_.lower() in CHILD_NOUNS
    before = words_of(t for t in person if t.i < head.i and t.pos_ != "DET")
    rest = words_of(person[head.i - person.start + 1 :])
    noun = head.text if child else own
    said = " ".join(x for x in (before, noun, rest, after) if x)
    items = [said if k == plain[0] else d.text for k, d in enumerate(docs) if k != trade[0]]
    return items, plain[0] - (trade[0] < plain[0]), own if child else "", head.lower_ if child else role_head.lower_


def words_of(tokens) -> str:
    """The tokens as the input says them."""
    return "".join(t.text_with_ws for t in tokens).strip()


def reread_action(nlp: Language, item: Span) -> tuple[str, str] | None:
    """('kneads dough', 'is kneading dough') for an item that opens with an -ing verb the whole list's
    parse took for an adjective or a noun ("kneading dough", "spray-painting a mural"), read alone
    after "She is"; None for a thing described by a participle ("flowing red skirt", "watering can")."""
    words = item.text.split(" ")
    first = words[0].lower()
    if (bare := _bare_verb(nlp, item)) is not None:
        return bare
    if not first.endswith("ing") or len(first) < 6 or not first.replace("-", "").isalpha() or {item[-1].lemma_.lower(), item[-1].lower_} & DESCRIBED:
        return None
    said = nlp(f"She is {item.text[:1].lower()}{item.text[1:]}.")
    verb = next((t for t in said[2:] if t.lower_.endswith("ing")), None)
    if verb is None or verb.tag_ != "VBG" or verb.dep_ not in ("ROOT", "acomp") or (len(words) == 1 and {verb.lower_, verb.lemma_.lower()} & _THINGS):
        return None
    if len(words) == 2 and (verb.i + 1 >= len(said) or said[verb.i + 1].tag_ not in ("NN", "NNS")):
        return None  # "watering can": a thing named by its use (the second word is no object)
    lemma = verb.lemma_.lower() if verb.lemma_.lower() != verb.lower_ else verb.lower_[:-3]
    stem = first[: len(first) - len(verb.text)]  # "spray-" of "spray-painting"
    rest = " ".join(words[1:])
    return f"{stem}{present(lemma, False)} {rest}".strip(), f"is {first} {rest}".strip()


# Nouns a participle describes rather than acts on: "flowing red skirt", "curling hair", "smiling face".
DESCRIBED = lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS
_THINGS = lexicon.PLACE_NOUNS | lexicon.TIME_NOUNS | lexicon.CLOTHING_NOUNS | lexicon.DECOR_NOUNS | lexicon.PROP_NOUNS


def placed_thing(item: Span, head: Token, possessive: str) -> tuple[str, bool] | None:
    """A thing and where it is, in the input's words: ('jasmine in her hair', True) on the person's
    own body (a bare body word takes the person's possessive; "brush in hand" stays an idiom), else
    ('rain on the window', False), a phrase of its own after the verb; None without a preposition after the noun."""
    # "buckets of flowers" is one thing; the list's parse may call "on" a particle ("rain on the window")
    first = next((t for t in item if t.i > item.start and t.lower_ in lexicon.LOCATIVE_PREPS), None)
    if first is not None and head.i > first.i and all(t.pos_ != "ADP" for t in item[: first.i - item.start]):
        head = first.nbor(-1)  # "helmet under arm": the list's parse took the thing for a verb, and its noun is the place's
    prep = next((t for t in item if t.i > head.i and t.lower_ in lexicon.LOCATIVE_PREPS), None)
    if prep is None or prep.i + 1 >= item.end:
        return None
    body = item[-1]
    own = body.lemma_.lower() in lexicon.BODY_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS | _GARMENT_PARTS
    words = words_of(item)
    if own and body.i == prep.i + 1 and not (body.lower_ == "hand" and prep.lower_ == "in"):
        words = f"{words_of(item[: prep.i - item.start + 1])} {possessive} {words_of(item[prep.i - item.start + 1 :])}"
    elif body.tag_ == "NN" and body.i == prep.i + 1 and body.lemma_.lower() not in lexicon.MASS_NOUNS and not own:
        words = f"{words_of(item[: prep.i - item.start + 1])} the {body.text}"  # "smoke in background" → "in the background"
    words = words[:1].lower() + words[1:] if item[0].pos_ != "PROPN" else words
    counted = lexicon.PROP_NOUNS | lexicon.DECOR_NOUNS | lexicon.CLOTHING_NOUNS
    if item[0].pos_ != "DET" and head.tag_ not in ("NNS", "NNPS") and {head.lemma_.lower(), head.lower_} & counted:
        words = indefinite(words)  # "a pencil behind his ear"; a mass noun stays bare ("jasmine in her hair")
    return words, own


def agent_beside(docs: list[Span], people: list[int], head_of: Callable[[Span], Token | None], verbs: frozenset[str]) -> list[int]:
    """The item right after (or before) the one plain person item that is an agent noun the lexicon
    does not list ("young man, welder", "woman, 40s, fisher"): one or two words ending in a
    noun in -er/-or made from a verb in ``verbs`` ("weld", "dance", "swim"; not "tractor",
    "watercolor"), no thing (clothing, prop, decor, place, light); [] otherwise."""
    if len(people) != 1 or (head := head_of(docs[people[0]])) is None or head.lemma_.lower() not in lexicon.PLAIN_PERSON:
        return []
    near = [k for k in (people[0] + 1, people[0] + 2, people[0] - 1) if 0 <= k < len(docs)]
    for k in near:
        item = docs[k]
        noun = item[-1]
        if len(item) > 2 or noun.pos_ not in ("NOUN", "PROPN") or not noun.lower_.endswith(("er", "or")) or len(noun) < 5:
            continue
        if {noun.lemma_.lower(), noun.lower_} & (_THINGS | lexicon.LIGHT_NOUNS | lexicon.BODY_NOUNS | lexicon.APPEARANCE_NOUNS):
            continue
        if not {noun.lower_[:-2], noun.lower_[:-1], noun.lower_[:-3]} & verbs:
            continue  # "tractor", "watercolor": no one who does a thing
        return [k]
    return []


def _bare_verb(nlp: Language, item: Span) -> tuple[str, str] | None:
    """('pours latte art', 'pours latte art') for an item that is already a present-tense verb
    phrase ("walks", "pours latte art"), read alone after "She"; None for a thing or "sparks flying"."""
    first = item[0]
    if first.tag_ != "VBZ" or any(t.tag_ == "VBG" or t.lower_ in WHERE_ADVERBS for t in item[1:]) or {first.lower_, first.lemma_.lower()} & _THINGS:
        # "seagulls overhead", "sparks flying": a plural the list's parse took for a verb
        return None
    said = nlp(f"She {item.text[:1].lower()}{item.text[1:]}.")
    verb = said[1]
    if verb.tag_ != "VBZ" or verb.dep_ != "ROOT" or not any(c.dep_ == "nsubj" and c.i == 0 for c in verb.children):
        return None
    text = said[1:-1].text
    return text, text


def lone_participle(nlp: Language, word: Token) -> str:
    """'reading' → 'reads': an -ing word alone, read as the verb it is after 'is' (never a thing: 'building')."""
    if len(word) < 6 or {word.lower_, word.lemma_.lower()} & _THINGS:
        return ""
    verb = nlp(f"She is {word.lower_}.")[2]
    return present(verb.lemma_, False) if verb.tag_ == "VBG" and verb.lemma_.lower() != word.lower_ else ""


def list_misread(verb: Token, subject: Token) -> bool:
    """A verb whose subject lies in another item, made by the list's parse: one that disagrees with it
    ("fisherman, | harbor at dawn") or a plural noun with only a where-word after it ("| seagulls overhead")."""
    disagrees = verb.tag_ == "VBP" and subject.tag_ in ("NN", "NNP")
    after = [t for t in verb.doc[verb.i + 1 :] if one_item(t, verb) and t.text != ","]
    return disagrees or (verb.lower_.endswith("s") and bool(after) and all(t.lower_ in WHERE_ADVERBS for t in after))
