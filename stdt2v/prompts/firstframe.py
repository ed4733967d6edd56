"""The keyframe shows one instant: the state before the subject's first action. This module
finds where that instant ends in the prompt and re-checks every spatial phrase against the
parse, keeping only well-formed phrases about things the first frame can show.

Precision first: a short prompt of correct phrases beats a long one with broken ones, so a
phrase this gate cannot place is dropped, never guessed at.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import perceives, performed_by_subject
from stdt2v.prompts.ambient import located_noun, where_prep
from stdt2v.prompts.belongs import BODY as _BODY
from stdt2v.prompts.belongs import in_hand_ok as _in_hand_ok
from stdt2v.prompts.belongs import nearby_ok as _nearby_ok
from stdt2v.prompts.firstact import bare_list_cut, described_look, later_step, subordinate
from stdt2v.prompts.leftover import in_which_hand, left_over, others_event, sound_played
from stdt2v.prompts.phrase import PLACE
from stdt2v.prompts.places import own_part_of_place
from stdt2v.prompts.words import camera_move_noun, is_abstract, is_motion_word, is_other_person, is_place, is_subject_mention, is_thing

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Words that put what follows after the first instant ("... and then leans it", "before sitting down").
_LATER = frozenset("then before after finally later eventually afterwards until once".split())
# Verbs that describe the subject rather than act: they do not start the action.
_STATE_VERBS = frozenset("be have wear seem appear sport don dress feature show stand sit lean kneel lie seat crouch perch recline".split())
# Finite verb forms: a clause inside a noun phrase list.
_FINITE = lexicon.FINITE_TAGS
# Sound verbs: a thing whose verb is a sound is heard in the prompt ("church bells ring").
_SOUND_VERBS = frozenset("ring toll chime hum buzz whine echo roar rumble creak hiss sing clang beep whistle".split())
_CAMERA_MOVES = frozenset("push pull tilt dolly zoom orbit pedestal".split())
# A look a later moment brings ("a silly face", "wide eyes"), not the person's own.
_FELT = frozenset("silly funny goofy wide surprised startled".split())
_EXPRESSIONS = frozenset("smile grin frown tear tears laugh smirk".split())
_SOUND_NOUNS = frozenset("whine thump thud hiss creak toll jingle shout yell scream chatter honk".split())
_TRAVEL = frozenset(
    "climb cross walk hike roam explore wander enter ascend descend traverse run ride drive".split()
    + "sail row swim ski skate skateboard surf snowboard cycle bike jog sprint stroll march".split()
)
_ORDINALS = frozenset("first second third last next final other few".split())
_POSES = frozenset(lexicon.POSE_PARTICIPLES.values())
# What a bare noun (no modifier) may still be alone: a thing of a known visible kind.
_KNOWN = (
    lexicon.CLOTHING_NOUNS
    | lexicon.PROP_NOUNS
    | lexicon.PLACE_NOUNS
    | lexicon.LIGHT_NOUNS
    | lexicon.TIME_NOUNS
    | lexicon.DECOR_NOUNS
    | lexicon.APPEARANCE_NOUNS
    | lexicon.SEAT_NOUNS
    | (lexicon.MASS_NOUNS - {"food", "air", "water", "light"})  # "steam", "mist", "fog": weather and vapour are seen
    | frozenset(("mist", "haze"))
)


def _acts(verb: Token, own: Span | None) -> bool:
    """A finite action verb of the subject (not a look, a pose or a description)."""
    clause = verb.dep_ not in ("pcomp", "acl", "amod", "compound")  # "with reading glasses pushed up": a participle, tagged past
    held = verb.lemma_.lower() in ("carry", "hold") and in_which_hand(verb, None) is not None  # "carried a lamp in one hand": a state
    # "hair pulled into a low bun": a participle; "freckles across her nose": a look the tagger took for a verb
    look = (verb.tag_ == "VBD" and described_look(verb)) or verb.lower_ in lexicon.APPEARANCE_NOUNS or subordinate(verb)  # "braces showing when she smiles"
    acting = verb.pos_ == "VERB" and verb.tag_ in _FINITE and clause and verb.lemma_.lower() not in _STATE_VERBS
    return acting and not held and not look and performed_by_subject(verb, own)


def first_frame_end(doc: Doc, own: Span | None) -> int:
    """Index of the first token that lies after the first frame: the subject's second finite
    action, or a "then"/"before"/"finally" after the first one. ``len(doc)`` when the prompt
    has one action only (everything it says is there from the start)."""
    if own is None:
        return len(doc)
    first = next((t for t in doc if _acts(t, own) and not (own.start <= t.i < own.end)), None)
    if first is None:  # "sits at a table, first studying the board, then moving a knight": the steps still follow one another
        later = (t for t in doc[own.end :] if t.lower_ in _LATER and t.dep_ == "advmod" and t.head.pos_ == "VERB" and t.head.tag_ == "VBG")
        return next((t.i for t in later), len(doc))
    if later_step(first):  # "At one point she messes up a chord": the first action said is a later one
        return min((c.i for c in first.children if c.i < first.i and c.dep_ in ("nsubj", "prep", "advmod", "cc")), default=first.i)
    for t in doc[first.i + 1 :]:
        clause = t.dep_ in ("advmod", "mark") or any(c.dep_ == "pcomp" for c in t.children)  # "after a rainstorm" is a time, not a later step
        if t.lower_ in _LATER and clause and not others_event(t, own):
            return t.i
        if any(c.dep_ == "mark" and c.lower_ in ("as", "while") for c in t.children):
            continue  # "as she scrubs a plate": at the same time
        if _acts(t, own) and t.head.i != t.i or (_acts(t, own) and t.sent.start > first.sent.start):
            start = min((c.i for c in t.children if c.dep_ in ("nsubj", "cc", "advmod", "mark") and c.i < t.i), default=t.i)
            return start
    return len(doc)


def _ing(verb: str) -> str:
    """'forms' → 'forming', 'casts' → 'casting', 'glides' → 'gliding' (a third-person form)."""
    stem = verb[:-2] if verb.endswith(("ches", "shes", "sses", "xes")) else verb[:-1] if verb.endswith("s") else verb
    if stem.endswith("e") and not stem.endswith(("ee", "ye", "oe")):
        stem = stem[:-1]
    return stem + "ing"


def _finite_in(text: str, span: list[Token]) -> Token | None:
    """A finite verb the phrase's words carry on from the prompt ("warm backlight forms a rim",
    "light skims across the water"): found by the word before it, since a phrase's text may join
    words from more than one place. "a red rose boutonniere" has no verb, whatever the tag."""
    if not span:
        return None
    words = text.split()
    doc = span[0].doc
    for w1, w2 in zip(words, words[1:]):
        for t in doc:
            if t.text != w2 or t.i == 0 or t.nbor(-1).text != w1:
                continue
            finite = t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBZ", "VBP") and t.nbor(-1).pos_ in ("NOUN", "PROPN")
            # "warm backlight forms a rim": a verb read as a noun (and its subject as an adjective)
            nxt = t.nbor(1) if t.i + 1 < len(doc) else None
            noun = t.lemma_.lower() in _KNOWN | {"shadow", "piece", "page", "pool"} or (t.dep_ == "dobj" and t.head.i < t.i)  # "presses seedlings into"
            before_path = nxt is not None and nxt.lower_ in lexicon.PATH_PREPS and t.nbor(-1).pos_ == "NOUN" and not noun  # "light skims across"
            misread = t.tag_ == "NNS" and t.nbor(-1).pos_ in ("NOUN", "PROPN", "ADJ") and nxt is not None and (nxt.pos_ == "DET" or before_path)
            worn = t.tag_ == "NNS" and _garment(t.nbor(-1)) and not _garment(t)  # "blue apron kneads dough": the wearer's verb
            if finite or misread or worn:
                return t
    return None


def _repair_clause(phrase, span: list[Token]) -> str | None:
    """A finite verb kept inside a phrase: cut a worn list before it ("… vest works on the frame"
    → "… vest"), say a still verb as a participle ("warm backlight forms a rim" → "forming"),
    drop a moving or sounding one. None: drop the phrase."""
    verb = _finite_in(phrase.text, span)
    if verb is None:
        return phrase.text
    before, _, after = re.split(rf"\b({re.escape(verb.text)})\b", phrase.text, maxsplit=1)
    lemma = verb.lemma_.lower()
    if phrase.kind <= 1:  # looks and attire: the list ends where the clause begins
        cut = before.strip(" ,")
        ends_on_noun = verb.i > 0 and verb.nbor(-1).pos_ in ("NOUN", "PROPN")  # "a red | rose boutonniere": no clause, keep the input's words
        if not ends_on_noun:
            return phrase.text
        where = after.strip(" ,")
        if lemma in lexicon.POSE_VERBS | {"wait", "stay", "rest", "linger"} and where.split(" ", 1)[0] in ("on", "in", "at", "by", "beside", "under"):
            cut = f"{cut}, {where}" if cut else where  # "tweed cap waits on a railway platform": the cap, and where he waits
        return cut if " " in cut else None
    path = verb.i + 1 < len(verb.doc) and verb.nbor(1).lower_ in lexicon.PATH_PREPS  # "light skims across the water": it moves
    if _garment(verb.nbor(-1)) or lexicon.is_person_noun(verb.nbor(-1)):
        return None  # "apron kneads dough", "a fisherman mends a net": the subject's own action, read as a noun
    if path or lemma in lexicon.MOTION_VERBS or lemma in _SOUND_VERBS or verb.tag_ == "VBD" or lemma in ("be", "have"):
        return None
    return f"{before}{_ing(verb.lower_)}{after}".strip()


def _head(phrase, doc: Doc) -> Token | None:
    return doc[phrase.head] if 0 <= phrase.head < len(doc) else None


def _modified(head: Token) -> bool:
    """A noun with a describing word of its own ("red scarf", "tweed cap", "cup of tea"), not
    only a number or an ordinal ("twelve years", "first try")."""
    mods = [c for c in head.children if c.dep_ in ("amod", "compound", "poss") and c.lower_ not in _ORDINALS]
    return bool(mods) or any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)


def _named_thing(head: Token, span: list[Token]) -> bool:
    """A noun that names a thing: known, scenery in the plural ("cobblestones"), or with a describing
    word ("thick mist", "distorted reflection"); not a number or an ordinal ("twelve years", "first try")."""
    if head.pos_ not in ("NOUN", "PROPN") or head.lemma_.lower() in ("other", "year", "time") or head.lower_ in lexicon.COLORS:
        return False
    if head.lemma_.lower() in _KNOWN or (head.tag_ == "NNS" and is_thing(head)) or (head.pos_ == "PROPN" and not head.is_sent_start):
        return True  # "cobblestones", "the Earth"
    return any(
        t.pos_ in ("ADJ", "NOUN", "VERB") and t.dep_ in ("amod", "compound", "acomp", "poss") and t.lower_ not in _ORDINALS for t in span if t.i < head.i
    )


def _known_thing(head: Token) -> bool:
    lemma = head.lemma_.lower()
    if head.pos_ not in ("NOUN", "PROPN") or is_abstract(head) or lemma in lexicon.BODY_NOUNS - lexicon.APPEARANCE_NOUNS:
        return False
    if lemma in _KNOWN or head.lower_ in _KNOWN or is_place(head):
        return True
    return is_thing(head) and _modified(head)


def _heard(head: Token) -> bool:
    """A sound, a camera move, or a thing named by the sound it makes."""
    lemma = head.lemma_.lower()
    verb = next((a for a in head.ancestors if a.pos_ == "VERB"), None)
    # "holds a long note": a sung note
    sung = lemma == "note" and verb is not None and verb.lemma_.lower() in ("hold", "sing", "hit", "play", "sustain", "end", "close", "belt")
    shot = camera_move_noun(head)  # "a slow crane shot", never "under a pickup truck"
    sounding = head.dep_ == "nsubj" and head.head.lemma_.lower() in _SOUND_VERBS
    if sung or lemma in lexicon.SENSORY_NOUNS | _SOUND_NOUNS or lemma in _CAMERA_MOVES or shot or sounding:
        return True
    while head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "the sound of rain and distant traffic": the traffic is heard too
    of = head.head if head.dep_ == "pobj" and head.head.lower_ == "of" else None
    return of is not None and of.head.lemma_.lower() in lexicon.SENSORY_NOUNS | {"whine", "sound"}


def _place_ok(prep: Token, own: Span | None) -> bool:
    """A place phrase says where the subject is: its preposition hangs on the subject, on one
    of the subject's verbs, or on a place that does."""
    for head in prep.ancestors:  # the parse may hang it on a nearby noun ("beard, seated at ..."): only a body part or another's verb rule it out
        if is_subject_mention(head, own):
            return True
        if head.pos_ in ("VERB", "AUX") or (head.tag_ == "NNS" and head.dep_ == "conj" and head.head.pos_ == "VERB"):  # "and smiles in": a verb to the eye
            other = any(c.dep_ == "nsubj" and is_other_person(c, own) for c in head.children)  # the parse's subjects are often wrong: only a person counts
            return not (other or (perceives(head) and not any(c.dep_ == "dobj" for c in head.children)))  # "checks a chart in a corridor": there
        if head.lemma_.lower() in _BODY | lexicon.APPEARANCE_NOUNS:
            return False
    return True  # a verbless phrase ("On a rainy street at night."): the scene's place


def gate(doc: Doc, own: Span | None, phrases: list) -> list:
    """The phrases a first frame shows, each re-checked on the parse (see the module's doc)."""
    cut = first_frame_end(doc, own)
    kept, placed = [], False
    for p in sorted(phrases, key=lambda p: p.position):
        text = _checked(doc, own, p, cut, placed)
        if text is None:
            continue
        p.text = bare_list_cut(text, list(doc[p.position : p.end + 1])) if p.kind == PLACE else text
        placed = placed or (p.kind == PLACE and text.split(" ", 1)[0] not in _POSES)
        kept.append(p)
    return kept


def _checked(doc: Doc, own: Span | None, p, cut: int, placed: bool) -> str | None:  # noqa: C901 - one rule a line
    span = list(doc[p.position : p.end + 1]) if p.end >= p.position >= 0 else []
    head = _head(p, doc)
    text = p.text.strip()
    first_word = text.split(" ", 1)[0].lower()
    later = p.position >= cut
    if head is None and span and later and (p.kind == 2 or first_word in _POSES or span[0].lemma_.lower() in _EXPRESSIONS):
        return None  # "before stepping back and grinning": "a grin" said from a later verb
    if head is None or not span:
        return text
    if _heard(head) or any(left_over(t, span, later, p.kind == 5) for t in (head, span[0]) if t.pos_ in ("NOUN", "PROPN")):
        return None  # "whine of the motor", "church bells", "slow push"; "a few seconds", "wiped soot" (see leftover)
    text = p.text = sound_played(text, span)  # "an old radio playing salsa": the radio, not what it plays
    if later and (p.kind == 2 or first_word in _POSES or head.lemma_.lower() in _EXPRESSIONS):
        return None  # held, posed or shown only after the first action
    risen = head.dep_ == "nsubj" and any(c.dep_ == "prt" and c.lower_ in ("up", "out") for c in head.head.children)
    if later and p.kind == 5 and risen and is_motion_word(head.head):
        return None  # "as red foam bubbles up": what a later action brings about
    if later and p.kind == 5 and any(t.lower_ in ("across", "into", "onto", "through") and t.head.pos_ == "VERB" and is_motion_word(t.head) for t in span):
        return None  # "sending sparks scattering across the stone floor": where a later action sends things
    felt = head.head.pos_ == "ADJ" and any(c.dep_ == "prep" and c.lower_ == "with" for c in head.head.children)  # "his eyes wide with delight"
    if later and p.kind == 0 and head.lemma_.lower() in ("face", "eye") and (felt or any(c.lower_ in _FELT for c in head.children)):
        return None  # "a selfie with a silly face", "his eyes wide with delight": a look the later action brings
    prep = span[0] if span[0].pos_ == "ADP" else head.head if head.dep_ == "pobj" else None
    if p.kind in (3, 4) and first_word in ("into", "onto", "out", "toward", "towards"):
        return None  # "into the cold morning air": where the action goes
    if (
        p.kind == PLACE
        and first_word not in _POSES
        and first_word != "facing"
        and text.split(" ", 1)[0] in ("in", "on", "at", "by", "under", "inside", "behind", "into", "onto", "against", "beside", "near")
    ):
        put = prep is not None and later and any(c.dep_ == "dobj" and c.lemma_.lower() not in _BODY for c in prep.head.children)  # "stacks it against a wall"
        leaving = prep is not None and any(c.dep_ == "prt" and c.lower_ == "out" for c in prep.head.children)  # "steps out into the street"
        reached = (
            prep is not None and (later or leaving) and prep.lower_ in ("into", "onto", "out", "to", "toward", "towards")
        )  # "steps onto the deck" first: on it
        overhead = first_word == "under" and head.lemma_.lower() in ("sky", "skies")  # "under a pale, overcast sky": over the whole scene
        if not overhead and (put or reached or (later and placed)):
            return None  # a place reached later
        travelled = head.head.lemma_.lower() in _TRAVEL  # "climbed the icy ridge": a place; "wipes down the counter": a thing
        boarded = head.lemma_.lower() in lexicon.SURFACE_NOUNS  # "guiding the boat" → "on the boat": a deck is a place
        # "drew the walls upward", "carried the board": a thing the hands work, not a place
        worked = prep is None and head.dep_ == "dobj" and (head.lemma_.lower() in lexicon.FIXTURE_NOUNS or later or not (travelled or boarded))
        worked = worked or (prep is None and head.dep_ == "dobj" and head.head.lemma_.lower() in lexicon.HOLD_VERBS | lexicon.HANDLING_VERBS)
        where = _of_object(head) if head.lower_ == "front" else own_part_of_place(prep, head, own) or head  # "on the frame of a house"
        if head.lemma_.lower() in _BODY or head.lower_ in _BODY:
            return None  # "at the temples": a body part is no place
        before = head.lower_ == "front" and where is not None and is_thing(where)  # "in front of a mirror"
        if worked or (prep is not None and not _place_ok(prep, own)) or where is None or not (before or _placeish(where)):
            return None  # "in the board", "at the temples", "in the table saw": not where the subject is
    if p.kind == PLACE and text.startswith("with ") and not _modified(head):
        return None  # "with seawater": how something is, not a place
    if p.kind == 5 and head.dep_ == "pobj" and head.head.lower_ == "with" and head.head.head.lemma_.lower() in _BODY | lexicon.APPEARANCE_NOUNS:
        return None  # "skin with faint lines": a detail of a look, meaningless alone
    off = head.dep_ == "pobj" and head.head.lower_ in ("off", "into", "onto", "from", "out")
    if later and p.kind == 5 and (head.dep_ == "dobj" or off) and _acted_on(head, own):
        return None  # "blew it off the fresh cut": what a later action works on
    crowd = head.i > 0 and head.nbor(-1).lemma_.lower() in lexicon.CROWD_NOUNS | {"passerby"} and head.lemma_.lower() in lexicon.MOTION_VERBS
    if crowd or (p.kind == 5 and _moving(head)):
        return None  # "a strand of hair kept falling", "passersby stroll": it moves
    if text.endswith(" in hand") and not _in_hand_ok(head, own):
        return None
    if text.endswith(" nearby") and not _nearby_ok(head):
        return None
    if p.kind == 1 and (verb := garment_verb(span)) is not None:  # "an orange vest works on the frame": the parse took the verb for a noun
        text = p.text = re.split(rf"\s*\b{re.escape(verb.text)}\b", text, maxsplit=1)[0].strip(" ,")
    if _misread_garment(head):  # "blue apron | kneads dough": the garment ends a worn phrase; any other is a clause
        worn, _, pose = text.partition(f" {head.text}")
        text = p.text = worn.strip(" ,")
        posed = head.lower_ in lexicon.POSE_PARTICIPLES.values() and pose.startswith(" in ") and not later
        if posed and (garment := next((c for c in head.children if c.dep_ == "compound" and _garment(c)), None)) is not None and text.endswith(garment.text):
            return f"{text}, {head.lower_}{pose}"  # "an indigo kimono kneeling in a tatami tea room": the pose and its place too
        garment = next((c for c in head.children if c.dep_ == "compound" and _garment(c)), None)
        # "an indigo kimono | kneeling in ...": a participle the tagger took for the garment's noun
        verbish = head.tag_ == "NNS" or (head.lower_.endswith("ing") and head.i == garment.i + 1 if garment is not None else False)
        if p.kind not in (0, 1) or not verbish or garment is None or not text.endswith(garment.text):
            return None  # "his plaid shirt dusty and his leather gloves": a garment modifies a word that is no garment
    repaired = _repair_clause(p, span)
    if repaired is None:
        return None
    text = repaired
    if text.lower().startswith(("through ", "across ")) and p.kind == 4:
        text = "in " + text.split(" ", 1)[1]  # "through the afternoon light": light, not a path
    named = head.pos_ == "PROPN" and not head.is_sent_start  # "the Earth"; a capital at a sentence's start ("Sawdust drifted") names nothing
    if " " not in text and not (head.lemma_.lower() in _KNOWN or head.lower_ in _KNOWN or ((head.pos_ == "NOUN" or named) and is_place(head))):
        return None  # "ear", "seawater", "others": a bare noun of no known visible kind
    if p.kind in (1, 2, 5) and span[0].pos_ == "ADP" and text.lower().startswith(span[0].lower_ + " ") and not _modified(head):
        return None  # "with the sleeves": a dangling phrase
    text = re.sub(r",? with (?:the|his|her|their) \w+$", "", text)  # "sweatshirt with the sleeves" (pushed up): the cut tail
    if later and (_predicative(span) or any(t.dep_ in ("acomp", "oprd") for t in span)):
        return None  # "bowl tall enough", "his plaid shirt dusty and ...": a clause, not a noun phrase
    short = len(text.split()) <= 2
    if short and p.kind not in (0, 3, 4) and not text.endswith(("in hand", "nearby")) and not _named_thing(head, span) and not _look(head):
        return None  # "small silver", "twelve years", "first try": no visible thing at its head
    return text


def _placeish(noun: Token) -> bool:
    """A place, a seat or a surface, a thing named by its place ("a city street corner"), or a place no list names ("in a rice paddy")."""
    listed = is_place(noun) or noun.lemma_.lower() in lexicon.SEAT_NOUNS | lexicon.SURFACE_NOUNS
    listed = listed or any(c.dep_ == "compound" and is_place(c) for c in noun.children)
    return listed or (noun.dep_ == "pobj" and where_prep(noun.head) and located_noun(noun, bare_at=True))


def _of_object(noun: Token) -> Token | None:
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


def _acted_on(head: Token, own: Span | None) -> bool:
    verb = next((a for a in head.ancestors if a.pos_ == "VERB"), None)
    return verb is not None and performed_by_subject(verb, own)


def _moving(head: Token) -> bool:
    """A thing whose own verb moves it ("gulls circling", "a strand of hair kept falling")."""
    verb = head.head if head.dep_ in ("nsubj", "nsubjpass") else None
    if head.lemma_.lower() in lexicon.LIGHT_NOUNS | lexicon.MASS_NOUNS | {"shadow", "reflection", "mist"} or any(
        c.dep_ == "conj" and c.lemma_.lower() in lexicon.CROWD_NOUNS | lexicon.PERSON_NOUNS for c in head.children
    ):
        return False  # "baskets of peppers and passersby moving": the people move
    if verb is None:
        return False
    person = head.lemma_.lower() in lexicon.CROWD_NOUNS | lexicon.PERSON_NOUNS
    # "lanterns sway": it stays in view; "a strand of hair kept falling across her face": it crosses it
    verbs = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
    path = any(c.dep_ == "prep" and c.lower_ in lexicon.PATH_PREPS for v in verbs for c in v.children)
    return any(v.lemma_.lower() in lexicon.MOTION_VERBS for v in verbs) and (person or path)


def _garment(token: Token) -> bool:
    """A garment noun, compounds included ("sundress", "headscarf")."""
    if token.pos_ not in ("NOUN", "PROPN") or (token.lower_.endswith("ing") and token.lemma_.lower() not in lexicon.CLOTHING_NOUNS):
        return False  # "flickering" ends like "ring" but is none
    return token.lemma_.lower() in lexicon.CLOTHING_NOUNS or any(
        len(c) > 3 and (token.lower_.endswith(c) or token.lemma_.lower().endswith(c)) for c in lexicon.CLOTHING_NOUNS
    )


def _misread_garment(head: Token) -> bool:
    """The parse made a garment the modifier of a word that is none ("shirt dusty")."""
    return not _garment(head) and not is_place(head) and any(c.dep_ == "compound" and _garment(c) for c in head.children)  # "a watch repair shop"


def garment_verb(span: list[Token]) -> Token | None:
    """A verb read as the head of a garment compound: "vest works on", "shorts practices alone"."""
    for a, b in zip(span, span[1:]):
        garment = a.lemma_.lower() in lexicon.CLOTHING_NOUNS or a.lower_ in lexicon.CLOTHING_NOUNS
        if (
            garment
            and b.pos_ == "NOUN"
            and b.lower_.endswith("s")
            and b.lemma_.lower() not in lexicon.CLOTHING_NOUNS
            and b.lower_ not in lexicon.CLOTHING_NOUNS
        ):
            nxt = b.nbor(1) if b.i + 1 < len(b.doc) else None
            if nxt is not None and (nxt.pos_ in ("ADP", "ADV", "DET", "NOUN") or nxt.is_punct):
                return b
    return None


def _look(head: Token) -> bool:
    return head.lemma_.lower() in lexicon.APPEARANCE_NOUNS or head.lower_ in lexicon.APPEARANCE_NOUNS


def _predicative(span: list[Token]) -> bool:
    """An adjective said of a noun before it ("shirt dusty"), the shape of a small clause."""
    for a, b in zip(span, span[1:]):
        if a.pos_ in ("NOUN", "PROPN") and b.pos_ == "ADJ" and b.tag_ == "JJ" and (b.dep_ in ("acomp", "oprd") or b.head.i == a.i):
            nxt = b.nbor(1) if b.i + 1 < len(b.doc) else None
            if nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ"):
                return True
    return False
