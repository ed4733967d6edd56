"""Word-level tests on a spaCy parse that the spatial prompt, the scene rules and the invariant
checks share: is a token motion, a thing, a place, the subject, another person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_ARTICLES = {"a", "an", "the"}
_ABSTRACT_ENDINGS = ("ness", "ity", "tion", "sion", "ance", "ence", "ism", "ship", "cy", "ment", "ure")
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs", "himself", "herself", "themselves"}


def is_motion_word(token: Token) -> bool:
    """A motion or action word in any form: 'rushes', 'rushing', 'twirled', a gerund tagged as a
    noun; not a posture ("sitting at a desk", "seated") nor a noun after a determiner ("her hands",
    "a walking stick", "a faint smile")."""
    lemma = token.lemma_.lower()
    if lemma in lexicon.POSE_VERBS and token.tag_ in ("VBG", "VBN") and not any(c.dep_ == "prt" for c in token.children):
        return False
    if after_determiner(token) or is_noun_modifier_verb(token):
        return False
    if token.lower_ in ("left", "right") and token.i + 1 < len(token.doc) and token.nbor(1).pos_ == "NOUN":
        return False  # "the left monitor"
    if token.tag_ in ("VBN", "VBD", "JJ") and _after_look(token):
        return False  # "hair pulled back", "eyes closed": a state of a look
    if token.pos_ in ("VERB", "AUX"):
        return lemma in lexicon.MOTION_VERBS and token.dep_ not in ("amod", "compound")  # "a racing suit"
    if token.dep_ in ("amod", "compound"):
        return False
    word = token.lower_
    stem = word[:-3] if word.endswith("ing") else word[:-2] if word.endswith("ed") else None
    if stem is not None and {stem, stem + "e", stem[:-1]} & lexicon.POSE_VERBS:
        return False  # "half-body standing" tagged as a noun: a posture
    return stem is not None and (stem in lexicon.MOTION_VERBS or stem + "e" in lexicon.MOTION_VERBS or stem[:-1] in lexicon.MOTION_VERBS)


def _after_look(token) -> bool:
    before = [t for t in token.doc[max(0, token.i - 3) : token.i] if t.pos_ != "ADV"]
    return bool(before) and before[-1].lemma_.lower() in lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS


def after_determiner(token: Token) -> bool:
    """A word right after a determiner or possessive ("a walking stick", "her hands"), or with
    one of its own: a noun or its modifier, whatever the tagger said."""
    before = token.nbor(-1) if token.i > 0 else None
    # "her hands", "a faint smile": the determiner right before the word, or before its adjectives only.
    own_det = token.pos_ != "VERB" and any(
        c.dep_ in ("det", "poss") and all(k.pos_ == "ADJ" for k in token.doc[c.i + 1 : token.i]) for c in token.children if c.i < token.i
    )
    if before is None:
        return own_det
    adjective = before.pos_ == "ADJ" and before.dep_ == "amod" and before.head.i == token.i  # "loose waves", "dark circles"
    return own_det or adjective or ((before.pos_ == "DET" or before.tag_ == "PRP$") and before.dep_ in ("det", "poss"))


def is_thing(noun: Token) -> bool:
    """A concrete thing a picture can show: not a person, a body part, a sound or an abstraction."""
    lemma, word = noun.lemma_.lower(), noun.lower_
    words = {lemma, word}
    if noun.pos_ not in ("NOUN", "PROPN") or words & (lexicon.PERSON_NOUNS | lexicon.CROWD_NOUNS | lexicon.BODY_NOUNS | lexicon.SENSORY_NOUNS):
        return False
    if words & _THING_MOVES and _named_as_thing(noun):
        return True  # "in a frying pan", "under a pickup truck": the word names a thing here
    return not words & (lexicon.ABSTRACT_NOUNS | lexicon.GENERIC_PLACE | lexicon.CAMERA_WORDS | lexicon.NON_ROLE_NOUNS)


# Camera moves that are things too ("a frying pan", "a pickup truck", "a harbour crane").
_THING_MOVES = frozenset("crane cranes pan pans truck trucks boom".split())
_WHERE_THINGS_ARE = frozenset("in on under beside near by at behind into onto inside from".split())


def camera_word(token: Token) -> bool:
    """A word of the camera ("pan", "dolly", "close-up"), unless it names a thing here ("a frying pan")."""
    return token.lower_ in lexicon.CAMERA_WORDS and not (token.lower_ in _THING_MOVES and _named_as_thing(token))


def camera_move_noun(token: Token) -> bool:
    """A move that is a thing too ("crane", "pan", "truck"), said here as the camera's move."""
    return token.lower_ in _THING_MOVES and camera_word(token)


def _named_as_thing(noun: Token) -> bool:
    """A compound or a participle before it ("frying pan"), or the object of a preposition of place."""
    if any(c.lower_ in ("camera", "shot") for c in (*noun.children, noun.head)):
        return False  # "a slow crane shot"
    kind = any(c.i < noun.i and (c.dep_ == "compound" or c.tag_ == "VBG") for c in noun.children)
    return kind or (noun.dep_ == "pobj" and noun.head.lower_ in _WHERE_THINGS_ARE)


def is_place(noun: Token) -> bool:
    lemma, word = noun.lemma_.lower(), noun.lower_
    if {lemma, word} & lexicon.ABSTRACT_NOUNS:
        return False
    if lemma == "lot":  # "an empty parking lot", "a vacant lot" is a place; "a lot of people" is a number
        return not any(c.lower_ == "of" for c in noun.children)
    return (
        lemma in lexicon.PLACE_NOUNS or word in lexicon.PLACE_NOUNS or noun.pos_ == "PROPN" or (noun.pos_ == "NOUN" and lemma.endswith(lexicon.PLACE_SUFFIXES))
    )


def looks_like_verb(token: Token) -> bool:
    """A present-tense motion verb the small model tagged as a plural noun ("full turnout gear
    sprints toward ...", "short grey hair smiles and ..."): an -s form of a motion verb
    followed by a preposition, determiner, adverb, conjunction or punctuation."""
    word = token.lower_
    if token.pos_ not in ("NOUN", "PROPN") or not word.endswith("s") or token.dep_ == "compound" or after_determiner(token):
        return False
    stems = {word[:-1], word[:-2] if word.endswith("es") else word[:-1]}
    if not stems & lexicon.MOTION_VERBS:
        return False
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ == "of":
        return False  # "rows of empty seats", "waves of heat": a noun after all
    return nxt is None or nxt.pos_ in ("ADP", "DET", "ADV", "PART", "CCONJ", "PUNCT", "PRON")


def verb_after_noun(token: Token) -> bool:
    """A motion verb the tagger took for a noun after its own subject ("gusts of wind ripple
    through", "warm light streams in", "a determined expression clings to"): the bare or -s
    form of a motion verb right after a noun and right before a preposition or particle."""
    if token.pos_ not in ("NOUN", "PROPN") or token.i == 0 or token.i + 1 >= len(token.doc) or after_determiner(token):
        return False
    if token.dep_ == "dobj" or token.lower_ in lexicon.CLOTHING_NOUNS:
        return False  # "takes a brass pocket watch from ...": an object, a noun after all
    word = token.lower_
    stems = {word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word}  # "site" is no "sit"
    before, nxt = token.nbor(-1), token.nbor(1)
    return bool(stems & lexicon.MOTION_VERBS) and before.pos_ in ("NOUN", "PROPN") and nxt.pos_ in ("ADP", "PART") and nxt.lower_ != "of"


def is_subject_mention(token: Token, own: Span | None) -> bool:
    lemma = token.lemma_.lower()
    if token.lower_ in _PRONOUNS or lemma in lexicon.GENERIC_PERSON:
        return True
    if token.tag_ == "WP" and token.head.dep_ == "relcl" and token.head.head.i != token.i:  # "a reporter who is walking"
        return is_subject_mention(token.head.head, own)
    if own is None:
        return False
    # "The park ranger, a young man with ...": the appositive is the subject too.
    appositive = (token.dep_ == "appos" and token.head.i == own.root.i) or (own.root.dep_ == "appos" and own.root.head.i == token.i)
    return own.start <= token.i < own.end or lemma == own.root.lemma_.lower() or appositive


def is_noun_modifier_verb(token: Token) -> bool:
    """A gerund naming a kind of thing ("hiking boots", "a walking stick"): an -ing form right
    before a bare noun it governs, itself hanging off a noun."""
    if token.tag_ != "VBG" or token.i + 1 >= len(token.doc):
        return False
    nxt = token.doc[token.i + 1]
    bare = nxt.pos_ == "NOUN" and nxt.head.i == token.i and not any(c.dep_ in ("det", "poss") for c in nxt.children)
    after = token.doc[nxt.i + 1] if nxt.i + 1 < len(token.doc) else None
    in_list = after is None or after.text in (",", ".", ";") or after.dep_ == "cc"  # "a backpack, hiking boots, and a cap"
    return bare and ((token.dep_ in ("acl", "amod", "compound", "conj") and token.head.pos_ in ("NOUN", "PROPN") and in_list) or after_determiner(token))


def is_other_person(token: Token, own: Span | None) -> bool:
    lemma = token.lemma_.lower()
    person = lemma in lexicon.PERSON_NOUNS or lemma in lexicon.CROWD_NOUNS or token.lower_ in lexicon.CROWD_NOUNS
    return token.pos_ in ("NOUN", "PROPN") and person and not is_subject_mention(token, own) and token.dep_ not in ("poss", "compound")


def as_text(tokens: Sequence[Token], drop_leading: int = 0, replace: dict[int, str] | None = None) -> str:
    """The tokens' text, articles off the front; ``replace`` swaps words (pronouns that agree)."""
    replace = replace or {}
    kept = list(tokens[drop_leading:])
    # A token whose neighbour was left out keeps a space after it ("a computer, which" → "a computer which").
    words = [replace.get(t.i, t.text) + (t.whitespace_ or (" " if k + 1 < len(kept) and kept[k + 1].i != t.i + 1 else "")) for k, t in enumerate(kept)]
    text = "".join(words).strip().replace(" 's", "'s").replace(" ,", ",")
    first = tokens[drop_leading] if len(tokens) > drop_leading else None
    if first is not None and first.pos_ != "PROPN" and not first.text.isupper():  # "CG animation" stays
        text = text[:1].lower() + text[1:]
    quantity = len(tokens) > drop_leading + 1 and tokens[drop_leading + 1].lower_ in ("few", "little", "couple", "lot", "pair")  # "a few notes"
    if first is not None and first.lower_ in _ARTICLES and not quantity:
        text = text.split(" ", 1)[1] if " " in text else ""
    return text.strip(" ,;.")


def noun_lemmas(noun: Token) -> set[str]:
    """The noun's lemma and form, with those of its compounds, conjuncts and noun modifiers
    ("curly red hair and safety goggles": goggles, hair)."""
    out = {noun.lemma_.lower(), noun.lower_}
    for c in noun.children:
        if c.dep_ in ("compound", "conj", "nmod"):
            out |= {c.lemma_.lower(), c.lower_}
    return out


def is_abstract(noun: Token) -> bool:
    """A noun for an idea, not a thing: listed, or by its ending ("tranquility", "determination")."""
    word = noun.lower_
    lemma = noun.lemma_.lower()
    return (
        word in lexicon.ABSTRACT_NOUNS
        or lemma in lexicon.ABSTRACT_NOUNS
        or (noun.pos_ == "NOUN" and (word.endswith(_ABSTRACT_ENDINGS) or lemma.endswith(_ABSTRACT_ENDINGS)))
    )


def visible_nouns(doc: Doc) -> set[tuple[str, str]]:
    """(lemma, form) of what a picture of the prompt would show, read off its parse: nouns for things,
    places, lights and looks; not people, sounds, motions, camera or picture words, abstractions,
    nor what an interpretation ("suggesting a busy workload") names."""
    skip = lexicon.PERSON_NOUNS | lexicon.CROWD_NOUNS | lexicon.SENSORY_NOUNS | lexicon.MOTION_NOUNS | lexicon.CAMERA_WORDS
    skip |= lexicon.NON_ROLE_NOUNS | lexicon.GENERIC_PLACE | lexicon.GENERIC_PERSON
    out = set()
    for t in doc:
        lemma = t.lemma_.lower()
        if t.pos_ not in ("NOUN", "PROPN") or t.dep_ in ("poss", "compound") or not t.is_alpha or {lemma, t.lower_} & skip or is_abstract(t):
            continue
        if lemma in lexicon.BODY_NOUNS - lexicon.APPEARANCE_NOUNS or looks_like_verb(t) or t.lower_ in ("close", "up"):
            continue
        if any(a.lemma_.lower() in lexicon.HEDGE_LEMMAS for a in t.ancestors):
            continue
        out.add((lemma, t.lower_))
    return out


def past_motion(token: Token) -> bool:
    """A past-tense motion verb, however the parse tagged it ("leapt" as a noun, "dashed" as a
    verb); a past participle modifying a noun ("raised arms", "a folded map") is a state."""
    word = token.lower_
    regular = word.endswith("ed") and ({word[:-2], word[:-1], word[:-3]} & lexicon.MOTION_VERBS) and word[:-2] not in lexicon.POSE_VERBS
    regular = regular and not _after_look(token)  # "eyes closed", "hair neatly combed": a state of a look
    return bool(word in lexicon.MOTION_PAST_FORMS or regular) and token.dep_ not in ("amod", "compound") and token.tag_ not in ("VBN", "JJ")


def graspable(tokens: Sequence[Token]) -> bool:
    """Whether the phrase's head names one thing a hand can hold or that can stand nearby: not a
    light, a camera move, weather, a mass noun ("the dust"), a time or a place."""
    head = next((t for t in reversed(tokens) if t.pos_ in ("NOUN", "PROPN")), None)
    if head is None:
        return True  # "hammered" → "a hammer in hand": a tool named by its verb, nothing here to judge
    lemma = head.lemma_.lower()
    # a proper noun may be a place name, but a short re-parsed phrase tags common nouns so too ("guitar in hand")
    if lemma in lexicon.LIGHT_NOUNS | lexicon.TIME_NOUNS | lexicon.MASS_NOUNS | lexicon.CAMERA_WORDS or (head.pos_ == "NOUN" and is_place(head)):
        return False
    if lemma in lexicon.NON_ROLE_NOUNS or is_abstract(head):
        return False  # "a static medium shot in hand", "a lecture nearby": nothing to hold
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    part_of = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if part_of is not None and part_of.lemma_.lower() in lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS:
        return False  # "a strand of hair": a part of a look
    # "the camera cranes up": a camera move, not a crane ("a camera lens" is gear)
    moves = lemma in lexicon.MOTION_VERBS or lemma.rstrip("s") in _CAMERA_MOVES
    return not (moves and any(t.lower_ in lexicon.CAMERA_WORDS and t.i < head.i for t in tokens))


_CAMERA_MOVES = frozenset("crane pan tilt track dolly zoom push pull sweep glide orbit circle arc truck pedestal boom".split())


def proper_adjective(token: Token) -> bool:
    """A nationality, ethnicity or religion word ("Indian", "Scandinavian", "Inuit"): it keeps its capital."""
    return token.lower_ in lexicon.DEMONYMS or (token.ent_type_ == "NORP" and token.text[:1].isupper())


def worker_of_place(chunk: Span, first: Span) -> bool:
    """'A mountain guide with ... kneels to check his rope', 'A harbour pilot ...': the opening noun
    phrase of a sentence about a 'he' or 'she', whose place word only modifies its head."""
    root = chunk.root
    if chunk.start != first.start or root.pos_ != "NOUN" or root.tag_ != "NN" or lexicon.is_non_role(root) or root.lemma_.lower() in lexicon.BODY_NOUNS:
        return False
    modifiers = [t for t in chunk if t.i != root.i and t.pos_ in ("NOUN", "PROPN")]
    if not modifiers or any(t.dep_ != "compound" or t.head.i != root.i for t in modifiers):
        return False
    return any(t.lower_ in ("he", "his", "him", "she", "her") for t in first)
