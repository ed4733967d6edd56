"""A prompt typed as a list of tags ("elderly man, park bench, feeding pigeons, autumn leaves,
overcast, Warsaw, wool coat, flat cap") becomes one prose sentence before the parse reads it:
"An elderly man in a wool coat and a flat cap feeds pigeons on a park bench amid autumn leaves on
an overcast day in Warsaw."

Without it the parse finds no subject or verb, and both prompts copy the list as it is. The list is
read item by item, each item alone: the person (its participle, if any, becomes the verb), what they
wear, how they look, what they do (participles, in the present), where (a place, a named place),
when (a time of day with its weather), what else is there, and the style terms, which stay a
verbless sentence of their own for the style splitter. Every item is said once; where the items
do not fit that shape (a finite verb, two people, no person) the text stays as it is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite, present
from stdt2v.prompts.participle import verb_as_noun
from stdt2v.prompts.slips import verb_index
from stdt2v.prompts.style import is_style_phrase, names_camera_move, names_style
from stdt2v.prompts.tagrole import DESCRIBED, WHERE_ADVERBS, agent_beside, list_misread, lone_participle, merged_person, placed_thing, reread_action, words_of
from stdt2v.prompts.tagsay import Parts, list_sentence, style_sentence
from stdt2v.prompts.tagsort import MASS_WORN, articled, item_slot
from stdt2v.prompts.tagwords import alone_noun, ing_compound, one_item, participle_adjective, plural_read_as_verb
from stdt2v.prompts.words import looks_like_verb, proper_adjective

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

_FINITE = lexicon.FINITE_TAGS | {"MD"}
_PEOPLE = lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS
# Adjectives of the weather or the sky: said of the day (or the time the list names), never of the person.
_WEATHER = frozenset("sunny rainy cloudy overcast foggy misty snowy windy stormy hazy drizzly gloomy grey gray clear bright humid frosty icy".split())
# Worn things one is "with", not "in": "with a backpack and a silver watch".
_CARRIED = frozenset("backpack watch necklace earrings earring bracelet bracelets bangle bangles anklet pendant brooch ring badge lanyard harness bag".split())
# Places one is in rather than at: rooms and closed grounds (a surface or a seat takes "on"; any other place "at").
_INSIDE = frozenset(
    "room kitchen studio cafe restaurant bar library office classroom forest woods garden park market alley city town village lot garage workshop "
    "church museum gallery studio field meadow desert jungle hall gym bakery greenhouse tent subway square plaza courtyard backyard yard "
    "clearing corridor hallway cottage plantation orchard vineyard barn warehouse factory canyon valley gorge cave cabin hut shack ward delta".split()
)
_DRESSED = lexicon.CLOTHING_NOUNS - _CARRIED
# Gatherings one is at: "at a birthday party", "at a night market".
_EVENTS = frozenset("party wedding concert festival funeral ceremony parade fair game match meeting dinner picnic campfire bonfire rally protest".split())


def tags_as_prose(nlp: Language, text: str, gender: str | None = None) -> str:
    """`text` with its opening tag list said as one sentence; unchanged where it is no such list.
    One or two items are such a list only where the person opens it with no article ("Boy in a
    striped shirt chasing bubbles", "Woman ice skating on a lake, scarf fluttering")."""
    first, rest = _first_sentence(text)
    if any(c in first for c in ';:"()') or any(not i.strip() for i in first.rstrip(" .!").split(",")):
        return text
    whole = nlp(first.rstrip(" .!"))
    clause = (t for t in whole if t.tag_ in _FINITE and t.pos_ in ("VERB", "AUX") and not plural_read_as_verb(t) and not participle_adjective(t))
    # across a comma only prose with its article ("A man in a denim jacket, snow settling ..., waits") has a subject
    bare = whole[0].pos_ != "DET"
    if any(any(c.dep_ in ("nsubj", "nsubjpass") and (one_item(c, t) or not (bare or list_misread(t, c))) for c in t.children) for t in clause):
        return text  # a clause of its own: prose already (a "subject" across a comma is the list's parse: "fisherman, | harbor at dawn")
    docs = _segments(whole)
    people = [k for k, d in enumerate(docs) if _person_head(d) is not None]
    people += agent_beside(docs, people, _person_head, verb_index(nlp))  # "young man, welder": a trade the lexicon does not list
    trade = ""
    if (merged := merged_person(docs, people, _person_head)) is not None:  # "Korean man, street food vendor": one person
        docs = _segments(nlp(", ".join(merged[0])))  # the person item is where the merge put it ("potter" alone may be a name to the tagger)
        people, trade, noun = [merged[1]], merged[2], merged[3]
        if (head := _person_head(docs[people[0]]) or next((t for t in docs[people[0]] if t.lower_ == noun), None)) is None:
            return text
    if len(people) != 1 or len(docs[people[0]]) > 14 or any(len(d) > 6 for k, d in enumerate(docs) if k != people[0]):
        return text
    bare = people[0] == 0 and docs[0][0].pos_ != "DET"
    if len(docs) < (1 if bare else 3) or (len(docs) == 1 and _participle_of_person(nlp, docs[0])):
        return text  # "A woman sipping tea by a window, wrapped in a blanket": prose the parse path reads
    parts = Parts(trade=indefinite(trade) if trade else "")
    possessive = {"male": "his", "female": "her"}.get(gender or "", "their")
    if not _read_person(docs[people[0]], parts, head if merged is not None else None):
        return text
    for k, d in enumerate(docs):
        if k != people[0] and not _read_item(nlp, d, parts, possessive):
            return text
    if not parts.actions and not parts.places and not parts.named or (len(docs) == 1 and not parts.actions):
        return text  # nothing for a verb to say: the list stays as the input gave it
    said = list_sentence(parts, progressive=False)
    if parts.actions and not _verb_read(nlp(said), parts.actions[0][0]):
        said = list_sentence(parts, progressive=True)  # "An old fisherman mends nets" is a noun to the tagger; "is mending" never
    return " ".join(x for x in (said, *parts.camera, style_sentence(parts.style), rest) if x)


def _verb_read(doc: Doc, action: str) -> bool:
    """Whether the parse reads the sentence's first verb as a verb with the person as its subject."""
    word = action.split(" ", 1)[0]
    verb = next((t for t in doc if t.lower_ == word), None)
    return verb is not None and verb.pos_ == "VERB" and verb.tag_ == "VBZ" and any(c.dep_ == "nsubj" for c in verb.children)


def _participle_of_person(nlp: Language, item: Span) -> bool:
    """'Mexican baker kneading dough': with its article the parse hangs the participle on the person, and the parse path reads it."""
    said = nlp(indefinite(_lower_first(item)) if item[0].pos_ != "DET" else item.text)
    head = _person_head(said[:])
    verb = next((t for t in said if t.tag_ == "VBG" and head is not None and t.i > head.i), None)
    return verb is not None and (verb.head.i == head.i or head.head.i == verb.i)


def _segments(doc: Doc) -> list[Span]:
    """The list's items: the spans between its commas, read in the whole list's parse (a word
    alone is a name to the tagger: "skateboard")."""
    out, start = [], 0
    for t in doc:
        if t.text == ",":
            out.append(doc[start : t.i])
            start = t.i + 1
    out.append(doc[start:])
    return [s for s in out if len(s)]


def _first_sentence(text: str) -> tuple[str, str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _person_head(doc: Span) -> Token | None:
    """The person noun of an item that names the person: within its first words, after only
    articles, adjectives and modifying nouns ("elderly man", "teenage girl", "young street vendor")."""
    if all(proper_adjective(t) for t in doc):
        return None  # "Italian" alone: the person's nationality, never a second person
    for t in doc[:7]:  # "middle-aged Brazilian street artist": up to six words before the noun
        # the tagger may call a lowercase word a person's name ("park", "graffiti"): a name has its capital
        nationality = t.pos_ == "ADJ" and t.i + 1 < doc.end and t.nbor(1).pos_ in ("NOUN", "ADJ")  # "Nigerian woman": an -ian adjective
        named = lexicon.is_person_noun(t) and (t.ent_type_ != "PERSON" or t.text[:1].isupper())
        if not nationality and (t.lemma_.lower() in _PEOPLE or t.lower_ in _PEOPLE or named):
            if t.i + 1 < doc.end and t.nbor(1).tag_ == "POS":
                return None  # "white chef's jacket": the person names whose thing it is
            return t if t.tag_ not in ("NNS", "NNPS") and not t.lower_.endswith("men") else None
        if t.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM") and t.tag_ not in ("JJ", "HYPH", "VBN"):
            return None
    return None


def _lower_first(tokens) -> str:
    """The item's words, its first lowered unless it keeps its own capital ("Japanese", "Warsaw")."""
    text = words_of(tokens)
    first = tokens[0]
    # a capital at the sentence's start before a noun ("Goat herder, ...") is the sentence's, not a name's
    opening = first.is_sent_start and first.i + 1 < len(first.doc) and first.nbor(1).pos_ == "NOUN"
    # "Blacksmith, ...": a role noun, capitalised as the list's first word (the tagger may call it a name)
    role = first.lower_ in _PEOPLE or (first.lower_.endswith(("smith", "keeper", "maker", "blower", "monger", "man", "woman")) and len(first) > 6)
    opening = opening or (first.is_sent_start and role)
    keep = proper_adjective(first) or (first.pos_ == "PROPN" and not opening) or (len(first.text) > 1 and first.text.isupper())
    return text if keep else text[:1].lower() + text[1:]


def _read_person(doc: Span, parts: Parts, head: Token | None = None) -> bool:
    """'elderly man' → 'an elderly man'; 'woman ice skating alone on a lake' → 'a woman' and the
    action 'is ice skating alone on a lake'; 'man with a grey beard holding a cup' → the looks stay."""
    head = head or _person_head(doc)
    at = head.i - doc.start
    verb = next((t for t in doc[at + 1 :] if t.tag_ == "VBG" or (t.lower_.endswith("ing") and t.pos_ in ("VERB", "NOUN") and len(t) > 4)), None)
    before = doc[at + 1 : verb.i - doc.start if verb is not None else len(doc)]
    if any(looks_like_verb(t) or (verb_as_noun(t) and t.lower_.endswith("s")) for t in before):
        return False  # "girl in a red snowsuit sleds down a hill": a verb the tagger took for a noun; the parse path reads it
    end = verb.i - doc.start if verb is not None else len(doc)
    # "woman ice skating": a noun the activity is named with ("ice", "bird") stays with the verb
    while verb is not None and end - 1 == at + 1 and doc[end - 1].pos_ == "NOUN":
        end -= 1
    noun = doc[:end]
    said = _lower_first(noun)
    parts.person = said if noun[0].pos_ == "DET" else indefinite(said)
    if verb is not None:
        said = words_of(doc[end:])
        action = _action(doc[end:]) if end == verb.i - doc.start else f"is {said}"
        if not action:
            return False
        parts.actions.append((action, f"is {said}"))
    return True


def _action(tokens) -> str:
    """'feeding pigeons' → 'feeds pigeons'."""
    verb = tokens[0]
    lemma = verb.lemma_.lower() if verb.lemma_.lower() != verb.lower_ else re.sub(r"ing$", "", verb.lower_)
    return f"{present(lemma, False)} {articled(tokens[1:])}".strip() if lemma else ""


def _head(doc: Span) -> Token | None:
    """The item's noun: the last noun before any preposition."""
    nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN") or t.tag_ in ("NN", "NNS")]
    before = [t for t in nouns if not any(a.pos_ == "ADP" for a in doc[: t.i - doc.start])]
    return (before or nouns or [None])[-1]


def _read_item(nlp: Language, doc: Span, parts: Parts, possessive: str) -> bool:
    """One item sorted into its part of the sentence; False where none fits."""
    tokens = list(doc)
    lemmas = {t.lemma_.lower() for t in doc} | {t.lower_ for t in doc}
    if any(t.tag_ in _FINITE and t.pos_ in ("VERB", "AUX") and t.i > doc.start and t.nbor(-1).pos_ != "NOUN" for t in doc):
        return False
    # "thirties", "Mexican", "slow push-in": read by the item's own shape
    if (slot := item_slot(nlp, doc, possessive, lambda t: _placed(t) or t.lemma_.lower() in lexicon.TIME_NOUNS)) is not None:
        getattr(parts, slot[0]).append(slot[1])
        return True
    if len(doc) > 1 and plural_read_as_verb(doc[-1]):
        parts.amid.append(f"amid {_lower_first(tokens)}")  # "bright neon holds": things around the person
        return True
    compound = ing_compound(doc)  # "rocking chair": a thing named by its use, not an action
    # "flowing red skirt": a participle of the thing, no action ("knitting a scarf" is one)
    described = bool({doc[-1].lemma_.lower(), doc[-1].lower_} & DESCRIBED) and not any(t.pos_ == "DET" for t in doc)
    if not compound and not described and (doc[0].tag_ == "VBG" or (doc[0].lower_.endswith("ing") and doc[0].pos_ == "VERB")):
        action = _action(tokens)
        parts.actions.append((action, f"is {tokens[0].text} {articled(tokens[1:])}".strip()))
        return bool(action)
    if not compound and (action := reread_action(nlp, doc)):  # "kneading dough", "spray-painting a mural": the list's parse missed the verb
        parts.actions.append(action)
        return True
    if doc[0].tag_ == "VBN" and len(doc) > 1 and not all(t.pos_ in ("NOUN", "ADJ", "PROPN") for t in doc[1:]):
        # "wrapped in a gray blanket": a participle phrase of the person's, after the verb ("woven basket", "braided hair": a thing)
        parts.absolutes.append(_lower_first(tokens))
        return True
    head = doc[-1] if compound else _head(doc)
    ing = None if compound else next((t for t in doc[1:] if t.tag_ == "VBG" or (t.lower_.endswith("ing") and t.pos_ == "VERB")), None)
    if len(doc) == 2 and head is None and doc[1].tag_ == "VBG" and doc[0].lower_.endswith("s"):
        parts.absolutes.append(words_of(tokens))  # "sparks flying": the list's parse took the plural for a verb
        return True
    if ing is not None and head is not None and head.i < ing.i:  # "scarf fluttering": a noun with its own participle
        parts.absolutes.append(_absolute(doc, head, possessive))
        return True
    said = _lower_first(tokens)
    if match := re.fullmatch(r"(\d+) years? old|(\d+)-year-old|(\d{1,2})", said.lower()):  # "boy, 12": a bare number is the age
        parts.looks.append(f"{match.group(1) or match.group(2) or match.group(3)}-year-old")  # "25 years old": "a 25-year-old woman"
        return True
    if re.fullmatch(r"\d0s|\d0's", said.lower()):
        parts.ages.append(f"in {possessive} {said}")  # "30s": "a florist in her 30s", said with the person
        return True
    if not any(t.is_alpha for t in doc):
        return False  # "😀", "!!!": no words to place
    if len(doc) > 1 and doc[-1].lower_ in WHERE_ADVERBS and (head is None or head.i < doc[-1].i):  # "seagulls overhead" (a verb to the tagger)
        parts.absolutes.append(said if doc[0].pos_ == "DET" else f"the {said}")  # "Cairo skyline behind": a thing and where it is
        return True
    if (head is not None and head.lemma_.lower() in lexicon.TIME_NOUNS) or re.fullmatch(r"(?:at )?(?:golden|blue) hour", said):
        parts.times.append(said)
        return True
    camera = len(doc) <= 3 and names_camera_move(said)  # "handheld camera", "slow motion": the camera's, said with the style
    if (is_style_phrase(tokens) and names_style(tokens)) or camera or re.fullmatch(r"\d+ ?(?:mm|k|fps|p)", said.lower()):  # "35mm", "4K": the camera's
        parts.style.append(words_of(tokens))
        return True
    alone = alone_noun(nlp, doc)  # "harbour", "sparks", "anvil": one word the list's parse took for a verb or an adjective
    if (all(t.pos_ == "ADJ" or t.tag_ in ("JJ", "VBN") for t in doc) and alone is None) or all(proper_adjective(t) for t in doc):  # a demonym: "a Mexican cook"
        (parts.weather if lemmas & _WEATHER else parts.looks).append(said)
        return True
    if len(doc) == 1 and doc[0].lower_.endswith("ing") and (action := lone_participle(nlp, doc[0])):
        parts.actions.append((action, f"is {doc[0].lower_}"))  # "reading" alone: the tagger's noun is the person's action
        return True
    if head is None and len(doc) == 1 and doc[0].is_alpha and doc[0].pos_ in ("ADV", "NUM", "X", "INTJ"):
        head = doc[0]  # "skateboard" alone in a list: the tagger has no noun to see it as
    head = alone if alone is not None else head
    if head is None:
        return False
    lemma = head.lemma_.lower()
    for words in (lexicon.CLOTHING_NOUNS, lexicon.APPEARANCE_NOUNS):
        lemma = head.lower_ if head.lower_ in words else lemma  # "headphones", "freckles": the thing's own name
    article = doc[0].pos_ == "DET"
    named = any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in doc)
    if named and all((t.pos_ == "PROPN" and t.text[:1].isupper()) or not t.is_alpha for t in doc) and lemma not in lexicon.PLACE_NOUNS:
        parts.named.append(words_of(tokens))
    elif lemma in _DRESSED:
        parts.worn.append(_counted(said, head, article))
    elif (placed := placed_thing(doc, head, possessive)) is not None and (not _placed(head) or lemma in lexicon.MASS_NOUNS):
        # "jasmine in hair" → "with jasmine in her hair"; "rain on the window": a thing and where it is, said after the verb
        (parts.withs if placed[1] else parts.absolutes).append(placed[0])
    elif lemma in _CARRIED or lemma in lexicon.APPEARANCE_NOUNS:
        parts.withs.append(_counted(said, head, article) if lemma not in lexicon.MASS_NOUNS | {"hair", "skin", "makeup", "stubble"} else said)
    elif lemma in lexicon.LIGHT_NOUNS:
        parts.amid.append(f"in {said}" if head.tag_ != "NNS" else f"under {said}")  # "in warm lamplight", "under neon lights"
    elif lemma in lexicon.MASS_NOUNS:  # "rain", "morning mist": the weather or the ground one is in
        parts.amid.append(f"in the {said}" if len(doc) == 1 else f"in {said}")
    elif lemma in _EVENTS:
        parts.places.append(f"at {_counted(said, head, article)}")
    elif _placed(head):
        parts.places.append(f"{_place_preposition(lemma)} {_counted(said, head, article)}")
    elif head.tag_ == "NNS" and lemma in lexicon.BODY_NOUNS:
        parts.withs.append(said)  # "chalk-covered hands": the person's own, never around them
    elif head.tag_ == "NNS":  # "under paper lanterns": things that hang overhead; "amid autumn leaves" (never a thing in hand)
        parts.amid.append(f"{'under' if lemma in _HANGING else 'amid'} {said}")
    else:
        parts.withs.append(_counted(said, head, article))
    return True


# Things that hang above the person: "under paper lanterns", "under string lights".
_HANGING = frozenset("lantern lamp chandelier bulb garland banner flag streamer".split())
# What a person has of their own beyond the body: "his breath fogging", "her shadow stretching".
_OWN = frozenset("breath shadow reflection silhouette".split())
# Places one is at, named by what stands there: "at a market stall", "at a street corner".
_AT = frozenset("stall booth corner stand kiosk".split())
# Things one is by, not in, though their names end like places ("fireplace").
_BESIDE = frozenset("fireplace hearth window fountain stove".split())


def _placed(head: Token) -> bool:
    lemma = head.lemma_.lower()
    if any(c.lower_ == "of" for c in head.children) and lemma == "lot":
        return False  # "a lot of shopping bags": a number, not a parking lot
    # a place word ends in a place noun of its own ("courtyard", "fireplace"), never in a mere spelling of one ("spark")
    suffixed = any(lemma.endswith(x) and len(lemma) - len(x) >= 3 for x in lexicon.PLACE_SUFFIXES)
    return lemma in lexicon.PLACE_NOUNS or lemma in lexicon.SEAT_NOUNS or lemma in _INSIDE or lemma in _BESIDE or lemma in _AT or suffixed


def _place_preposition(lemma: str) -> str:
    if lemma in ("sky", "skies", "canopy"):
        return "under"  # "under a grey sky", never "at a grey sky"
    if lemma in _BESIDE:
        return "by"
    if lemma in lexicon.SURFACE_NOUNS or lemma in lexicon.SEAT_NOUNS:
        return "on"
    return "in" if lemma in _INSIDE or lemma.endswith(lexicon.PLACE_SUFFIXES) else "at"


def _counted(said: str, head: Token, article: bool) -> str:
    """'wool coat' → 'a wool coat'; 'headphones', 'an old hat' as they are."""
    named = head.tag_ == "NNP" and head.text[:1].isupper()  # "Times Square": a name takes no article
    if article or named or head.lemma_.lower() in MASS_WORN or head.tag_ in ("NNS", "NNPS") or head.lower_.endswith("s") and head.lemma_.lower() != head.lower_:
        return said
    return indefinite(said)


def _absolute(doc: Span, head: Token, possessive: str) -> str:
    """'scarf fluttering' → 'her scarf fluttering'; 'sparks flying' stays."""
    said = _lower_first(list(doc))
    if doc[0].pos_ == "DET" or doc[0].tag_ == "PRP$" or head.tag_ == "NNS":
        return said
    own = head.lemma_.lower() in lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS | _OWN
    return f"{possessive} {said}" if own else said if head.lemma_.lower() in lexicon.MASS_NOUNS else indefinite(said)
