"""The subject's first action, as the first frame shows it: the pose it states ("squats beside
his motorcycle" → "squatting beside his motorcycle", even where the tagger read "squats" as a
plural noun) and the thing the hands work on or with ("dribbles a basketball" → "a basketball in
hand", "tightening a bolt with a wrench" → "a wrench in hand", "writing in a small diary" → "a
small diary in hand"). Only what the input names; nothing said after the first action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import perceives, performed_by_subject, someone_elses
from stdt2v.prompts.belongs import BODY
from stdt2v.prompts.phrase import DECOR, PLACE, PROPS
from stdt2v.prompts.phrasing import indefinite_np, object_of, phrase_tokens
from stdt2v.prompts.places import place_state
from stdt2v.prompts.tooluse import doer
from stdt2v.prompts.words import as_text, graspable, is_place, is_thing, noun_lemmas

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Span, Token

# Pose verbs (a closed class) and the participle a still says them with.
POSES = lexicon.POSE_PARTICIPLES | {
    "squat": "squatting",
    "hunch": "hunched",
    "lounge": "lounging",
    "sprawl": "sprawled",
    "slump": "slumped",
    "huddle": "huddled",
}
# Prepositions that say where a pose is.
_WHERE = frozenset("in on at beside by near against under behind over inside atop beneath underneath alongside among amid across upon between".split())
# Verbs whose direct object is in the hands from the start: handling, reading and writing on it,
# sport with a ball, eating and drinking from it (a reasonably complete class of manual verbs).
HAND_VERBS = lexicon.HANDLING_VERBS | frozenset(
    """
    dribble juggle bounce toss throw twirl flip shake wave brandish
    read browse scroll text dial tap swipe unfold fold unwrap wrap
    sip drink eat munch nibble bite lick
    hug squeeze clasp strum aim
    knit crochet sew stitch embroider
    write sketch scribble doodle sign stamp jot
    """.split()
)
# Verbs whose 'in' names the thing the hand works in ("writing in a diary", "sketches in a notebook").
_WORKED_IN = frozenset("write sketch scribble doodle jot draw read note paint".split())
# Verbs of going (a closed class): "dances on a table", "skates on the ice": a surface, nothing worked on.
_GOING = frozenset(
    "walk run jog sprint stroll march hike climb dance jump hop skip leap crawl skate ski surf slide glide swim wade dive roll spin twirl".split()
    + "drive cycle bike step stand".split()
    + "sleep nap rest lie sit kneel lean perch balance stumble trip fall land".split()
)
# Verbs with a subject that acts, not a pose or a description.
_NOT_ACTIONS = frozenset("be have wear seem appear sport don dress feature show look".split())


def pose_participle(verb: Token, loose: bool = False) -> str | None:
    """The participle of a pose verb ("kneels" → "kneeling"), read through the tagger's slips:
    a sentence's root read as a plural noun ("A man squats beside ...") is the subject's verb."""
    lemma = verb.lemma_.lower()
    if lemma not in POSES:
        lemma = verb.lower_[:-1] if verb.lower_.endswith("s") and verb.lower_[:-1] in POSES else lemma
    if lemma not in POSES:
        return None
    verbish = loose or verb.pos_ in ("VERB", "ADJ") or (verb.tag_ == "NNS" and verb.dep_ in ("ROOT", "conj"))
    return POSES[lemma] if verbish else None


def own_verbs(doc: Doc, own: Span | None, cut: int) -> list[Token]:
    """The subject's verbs in the first frame, in order (a root the tagger read as a plural noun
    right after the subject counts: "A girl kneels in the garden")."""
    if own is None:
        return []
    return [t for t in doc[own.end : cut] if _own_verb(t, own)]


def _own_verb(t: Token, own: Span) -> bool:
    if _misread(t, own):
        return True
    if t.pos_ != "VERB" or t.lemma_.lower() in _NOT_ACTIONS or described_look(t) or subordinate(t) or t.lower_ in lexicon.APPEARANCE_NOUNS:
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass") and _misread(c, own) for c in t.children):
        return True  # "A man crouches ..., filling a canteen": the parse made the pose the next verb's subject
    if someone_elses(t, own):
        return False
    if performed_by_subject(t, own):
        return True
    return t.dep_ in ("advcl", "acl", "conj", "xcomp") and _misread(t.head, own)  # "squats ..., tightening a bolt"


def described_look(verb: Token) -> bool:
    """A past form right after a look or garment noun ("hair pulled into a low bun", "sleeves
    rolled up"): the parse's verb is the participle that describes it."""
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    looks = lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS  # "fingers chalked white" is left to the parse: a hand may act
    return verb.tag_ in ("VBD", "VBN") and before is not None and before.pos_ == "NOUN" and before.lemma_.lower() in looks


def subordinate(verb: Token) -> bool:
    """A verb of a 'when' or 'if' clause ("braces showing when she smiles"): what happens at
    times, not a step of the action."""
    within = verb.dep_ == "advcl" and (verb.head.tag_ in ("VBG", "VBN") or verb.head.pos_ == "NOUN")  # not "when he finished, he ..."
    return within and any(c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "whenever", "if", "unless") for c in verb.children)


def later_step(verb: Token) -> bool:
    """A step said to come at some later point ("At one point she messes up a chord", "Suddenly he
    slips"): not what the first frame shows."""
    for c in verb.children:
        obj = object_of(c) if c.dep_ == "prep" and c.lower_ == "at" else None
        if obj is not None and obj.lemma_.lower() in ("point", "moment") and any(d.lower_ in ("one", "some", "another") for d in obj.children):
            return True
    return any(c.dep_ == "advmod" and c.lower_ in ("suddenly", "eventually", "later", "afterwards", "finally") and c.i < verb.i for c in verb.children)


def _misread(t: Token, own: Span) -> bool:
    """The subject's verb right after it, read as a plural noun ("A man squats", "A man crouches")."""
    # "A girl of about six in a pink jacket first crouches": the subject's own phrases, then an adverb of order
    between = t.doc[own.end : t.i]
    ordered = t.i > 0 and t.doc[t.i - 1].lower_ in ("first", "now", "still") and not any(b.is_punct or b.pos_ in ("VERB", "AUX") for b in between)
    right_after = t.i == own.end or ordered
    return t.tag_ == "NNS" and right_after and (t.dep_ == "ROOT" or pose_participle(t, loose=True) is not None)


def add_poses(doc: Doc, own: Span | None, cut: int, add: Callable[..., None], replace: dict[int, str] | None) -> None:
    """The first pose, said once with all its places ("kneeling in a snowy field beside a team of
    husky dogs"), read before the scene's places take a part of it; a pose verb the tagger read
    as a noun too ("A man squats beside ...")."""
    acted = False  # "rides a horse ... He leans forward": a pose said after an action may be a later one
    for verb in own_verbs(doc, own, cut):
        participle = pose_participle(verb, loose=_misread(verb, own))
        if participle is None:
            acted = acted or not (verb.tag_ == "VBN" or described_look(verb))
            continue
        tokens, texts, states = [], [], []  # "kneeling in the garden beside a row of tomato plants": one pose, all its places
        manner = pose_manner(verb)  # "sits cross-legged on a rug", "leans back in a rocking chair": how the body is set
        for prep in sorted((c for w in (verb, *manner) for c in w.children if c.dep_ == "prep" and c.lower_ in _WHERE and c.i > verb.i), key=lambda c: c.i):
            obj = object_of(prep)
            person = obj is not None and obj.lemma_.lower() in lexicon.PERSON_NOUNS and not _of_things(obj)
            # "at a late-night diner counter": a time word that only modifies the place leaves it a place
            if obj is None or {obj.lemma_.lower(), obj.lower_} & (lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS) or person:
                continue  # "beside a team of husky dogs": a team of things is there; "beside her friend" is another person
            found = phrase_tokens(prep)
            comma = next((k for k, t in enumerate(found) if t.text == ","), len(found))
            found, tail = found[:comma], found[comma + 1 :]  # "in Lagos, a clipboard under his arm": a new phrase, said on its own
            if tail and tail[0].dep_ in ("det", "poss") and not any(t.text == "," for t in tail):
                said = "".join((replace or {}).get(t.i, t.text) + t.whitespace_ for t in tail).strip()  # its article kept
                add(DECOR, tail, key=f"decor:{tail[-1].lemma_.lower()}", text=said)
            state = place_state(found)  # "sits at his bench in a narrow shop filled with ticking clocks": what fills the place stays
            # "at times" says no place; "between rows of lettuce" does
            bare = not any(c.dep_ in ("det", "amod", "compound", "poss", "nummod") or c.lower_ == "of" for c in obj.children) and not is_place(obj)
            if len(found) > 1 and obj in found and not bare:
                tokens += found
                states += state
                texts.append(as_text([*found, *state], replace=replace))
        how = [as_text(manner)] if manner else []
        if texts:
            key = f"place:{object_of(tokens[0]).lemma_.lower()}"
            drawable = [t for t in tokens if not (t.lemma_.lower() in lexicon.PERSON_NOUNS and _of_things(t))]  # "a team of husky dogs"
            add(PLACE, [verb, *manner, *tokens, *states], key=key, text=" ".join([participle, *how, *texts]), drawable=drawable)
        elif manner and not acted and verb.sent.start == own.sent.start:  # "sits cross-legged, threading a needle": the pose alone is a phrase
            add(PLACE, [verb, *manner], key=f"pose:{verb.lemma_.lower()}", text=" ".join([participle, *how]), drawable=[])
        return  # the first pose only: a later one is a later state


# Adverbs that say how a body is set in a pose (a closed class; not "up" or "down": those move it).
_POSTURE_ADVERBS = frozenset("back forward forwards backward backwards sideways upright straight low alone still motionless barefoot together".split())


def pose_manner(verb: Token) -> list[Token]:
    """The words right after a pose verb that say how the body is set ("sits cross-legged", "leans
    back", "stands barefoot", "kneels upright"): adjectives, or a posture adverb, with their hyphens."""
    found: list[Token] = []
    for t in verb.doc[verb.i + 1 : verb.i + 6]:
        linked = t.head.i == verb.i or any(t.head.i == f.i for f in found)
        adjective = t.pos_ == "ADJ" and t.dep_ in ("acomp", "advmod", "oprd", "conj", "amod") and t.tag_ != "VBN"
        hyphen = t.text == "-" and bool(found) and t.i + 1 < len(t.doc) and t.nbor(1).pos_ == "ADJ"
        # "cross-legged": one word on the surface, however the parse hangs its halves
        joined = bool(found) and not found[-1].whitespace_ and (t.text == "-" or found[-1].text == "-") and t.pos_ in ("ADJ", "PUNCT")
        if joined:
            found.append(t)
            continue
        if not linked or not (adjective or hyphen or (t.pos_ == "ADV" and t.lower_ in _POSTURE_ADVERBS)):
            break
        found.append(t)
    while found and found[-1].text == "-":
        found.pop()
    return found


def _of_things(noun: Token) -> bool:
    """'a team of husky dogs', 'a pair of horses': a group noun whose 'of' names things, not people."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    inner = object_of(of) if of is not None else None
    return inner is not None and is_thing(inner)


def add_held(doc: Doc, own: Span | None, cut: int, add: Callable[..., None], replace: dict[int, str] | None, them: str = "them") -> None:
    """What the first action's hands hold or work on: its 'with' tool ("with a small trowel"),
    the thing it works 'in' ("writing in a small diary"), said "in hand"; the thing it works
    'on' ("paints a landscape on a large canvas"), said "in front of" the subject. Only the first
    action that is no pose and no look, and only things the input names."""
    for verb in own_verbs(doc, own, cut):
        described = verb.tag_ == "VBN"  # "braids wrapped in a headscarf": a look, not an action
        if described or pose_participle(verb, loose=_misread(verb, own)) is not None or perceives(verb) or verb.lemma_.lower() in lexicon.RIDE_VERBS:
            continue
        for prep in _preps(verb):
            obj = object_of(prep)
            hand = prep.lower_ == "with" or (prep.lower_ == "in" and verb.lemma_.lower() in _WORKED_IN) or _poured_from(prep)
            front = prep.lower_ == "on" and verb.lemma_.lower() not in _GOING and not noun_lemmas(obj) & lexicon.SEAT_NOUNS if obj is not None else False
            if obj is None or not _holdable(obj) or not (hand or front):
                continue
            chunk = [t for t in obj.subtree if t.i <= obj.i and t.dep_ != "poss"] + _head_after(obj)
            if chunk and graspable(chunk):
                said = indefinite_np(chunk, as_text(chunk, replace=replace))
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=f"{said} in hand" if hand else f"{said} in front of {them}")
        return


def _poured_from(prep: Token) -> bool:
    """'pours milk from a silver pitcher', 'sips from a tin mug': the vessel that stuff comes out of
    is in hand (not 'pulls a carrot from the soil', 'takes a jar from the shelf': one thing taken)."""
    objects = [c for c in prep.head.children if c.dep_ == "dobj"]
    if not objects:
        return prep.lower_ == "from" and prep.head.lemma_.lower() in HAND_VERBS  # "sips from a tin mug"; not "stops ... from a bottle"
    stuff = all(o.lemma_.lower() in lexicon.MASS_NOUNS or (o.tag_ == "NN" and not any(c.dep_ in ("det", "nummod") for c in o.children)) for o in objects)
    return prep.lower_ == "from" and stuff


def poured_stuff(noun: Token) -> bool:
    """'pours coffee from a clay pot', 'stirs sugar into a cup': the stuff poured or stirred is in a
    vessel, not in hand, and alone ("sugar") it is no phrase."""
    bare = noun.lemma_.lower() in lexicon.MASS_NOUNS or (noun.tag_ == "NN" and not any(c.dep_ in ("det", "nummod", "poss") for c in noun.children))
    vessel = (object_of(c) for w in (noun.head, noun) for c in w.children if c.dep_ == "prep" and c.lower_ in ("from", "into"))
    return noun.dep_ == "dobj" and bare and any(v is not None and _holdable(v) for v in vessel)


def _head_after(obj: Token) -> list[Token]:
    """The words right after a noun that the parse hung on it though they end its phrase ("a clay
    jebena": a word it does not know read as the clay's adjective); [] when none."""
    after: list[Token] = []
    for t in obj.doc[obj.i + 1 : obj.i + 3]:
        if t.head.i != obj.i or t.dep_ not in ("amod", "compound", "nmod") or not t.tag_.startswith("NN"):
            break
        after.append(t)
    return after


def _preps(verb: Token) -> list[Token]:
    """The verb's prepositions, and a 'with' the parse hung on a bare object ("rolls out dough with
    a wooden rolling pin", "slices onions with a knife"): a bare noun has no 'with' part of its own."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "in", "on", "from")]
    for obj in (c for c in verb.children if c.dep_ == "dobj" and not any(k.dep_ in ("det", "poss", "nummod") for k in c.children)):
        preps += [c for c in obj.children if c.dep_ == "prep" and c.lower_ == "with"]
    return sorted(preps, key=lambda t: t.i)


def _holdable(obj: Token) -> bool:
    """One concrete thing a hand can hold: not a place ("a city street corner"), a body part, a
    garment ("headscarf"), stuff or a feeling; a noun with a word of its own ("a", "small")."""
    lemma = obj.lemma_.lower()
    if not is_thing(obj) or is_place(obj) or lemma in BODY | lexicon.MASS_NOUNS | lexicon.APPEARANCE_NOUNS | lexicon.SURFACE_NOUNS or _worn(obj):
        return False
    if any(c.dep_ == "compound" and is_place(c) for c in obj.children) or doer(obj):
        return False  # "a city street corner"; "with his neighbor", "with local diners": people
    return obj.pos_ == "NOUN" and any(c.dep_ in ("det", "amod", "compound", "poss", "nummod") for c in obj.children)


def _worn(noun: Token) -> bool:
    """A garment noun, compounds included ("headscarf", "sundress")."""
    word = noun.lemma_.lower()
    return word in lexicon.CLOTHING_NOUNS or any(len(c) > 3 and word.endswith(c) for c in lexicon.CLOTHING_NOUNS)


def bare_list_cut(text: str, span: list[Token]) -> str:
    """A place followed by a list of bare singular nouns ("on the sand at Copacabana, knee, knee,
    foot, head"): the list is no part of the place (a place's own list has articles or adjectives)."""
    head, sep, tail = text.partition(", ")
    words = {t.text: t for t in span}
    pieces = [w.strip() for w in tail.replace(" and ", ", ").split(",")] if sep else []
    bare = pieces and all(" " not in w and w in words and words[w].tag_ == "NN" for w in pieces)
    return head if bare else text
