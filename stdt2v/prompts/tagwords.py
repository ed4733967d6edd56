"""How one item of a tag list reads when the whole list's parse misreads it: a lone noun taken
for a verb or an adjective ("harbour", "sparks", "anvil"), a thing named by its use taken for an
action ("rocking chair"), a plural noun taken for a verb ("bright neon holds"). Each item is read
alone, as the tag it is (see tags.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

# English adjective endings (derivational suffixes): a word with one is no noun for `alone_noun`.
ADJECTIVE_ENDINGS = ("ing", "ed", "less", "ic", "y", "al", "ous", "ful", "ive", "ish", "ent", "ant", "ary", "ble", "id", "ese", "ian", "en")
# Looks said as one bare word that has no adjective ending ("barefoot, red scarf").
BARE_LOOKS = frozenset("barefoot shoeless topless bald blond blonde".split())


def plural_read_as_verb(t: Token) -> bool:
    """'bright neon holds', 'forge glow, sparks': a plural noun ending its item, taken for a verb with
    the noun before it as its subject; a real verb has more after it or a person doing it ("girl laughs")."""
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
    last = nxt is None or nxt.text == ","
    more = any(c.i > t.i and c.text != "," and one_item(c, t) for c in t.children)
    alone = t.i == 0 or t.doc[t.i - 1].text == ","  # "forge glow, sparks": the word is its item
    beside = subj is not None and ((subj.i == t.i - 1 and not lexicon.is_person_noun(subj)) or alone)
    return t.tag_ == "VBZ" and last and not more and beside


def participle_adjective(t: Token) -> bool:
    """'focused expression', 'worn gloves': a past participle opening its item before the bare
    noun that ends it is the noun's adjective, never a verb whose subject is in another item."""
    start = t.i == 0 or t.doc[t.i - 1].text == ","
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    end = nxt is not None and (nxt.i + 1 == len(t.doc) or t.doc[nxt.i + 1].text == ",")
    return t.tag_ in ("VBD", "VBN") and start and end and nxt is not None and nxt.pos_ == "NOUN"


def one_item(a: Token, b: Token) -> bool:
    """Whether two words lie in one comma-separated item of the list."""
    low, high = sorted((a.i, b.i))
    return not any(t.text == "," for t in a.doc[low:high])


def ing_compound(doc: Span) -> bool:
    """'rocking chair', 'sleeping bag', 'fishing rod': an -ing word and one singular count noun
    with no article is a thing named by its use; an action on one such thing takes its article
    ("flying a kite"), and a plural or mass object stays the action ("mending nets", "drinking coffee")."""
    if len(doc) != 2 or not doc[0].lower_.endswith("ing") or doc[1].tag_ != "NN" or doc[1].lemma_.lower() in lexicon.MASS_NOUNS:
        return False
    return doc[0].lemma_.lower() not in ("play", "practice", "practise", "learn", "study")  # "playing guitar": a skill or game, said bare


def alone_noun(nlp: Language, doc: Span) -> Token | None:
    """The noun a one-word item is when read alone ("the harbour"): the list's parse calls some
    lone nouns verbs ("harbour", "sparks") or adjectives ("anvil"). None where the word has an
    adjective's ending ("rustic", "foggy", "bearded") or reads as one after "the" ("overcast")."""
    word = doc[0]
    if len(doc) != 1 or not word.is_alpha or word.pos_ in ("NOUN", "PROPN") or word.lower_.endswith(ADJECTIVE_ENDINGS) or word.lower_ in BARE_LOOKS:
        return None
    noun = nlp(f"the {word.lower_}")[1]
    return noun if noun.pos_ == "NOUN" else None
