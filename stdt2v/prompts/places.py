"""Where the subject is, for the keyframe prompt: a locative phrase as the place, a time or a
light; a path after a motion verb as the place it crosses; a phrase on a fixture said with what
is there."""

from __future__ import annotations

import re

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import attached_to_other_person, next_to, performed_by_subject, seen_there, someone_elses, subjects_verb
from stdt2v.prompts.ambient import located_noun, where_prep
from stdt2v.prompts.phrase import DECOR, PLACE, TIME_LIGHT
from stdt2v.prompts.phrasing import object_of, phrase_tokens
from stdt2v.prompts.words import as_text, is_place, is_subject_mention, is_thing, noun_lemmas


def add_place(prep, noun, own, add, replace: dict[int, str] | None = None) -> None:
    """A locative phrase: the place ("in the bustling kitchen"), a time ("at dawn") or light
    ("under the glow of neon signs"); a path after a motion verb becomes the place
    ("rushed across the classroom" → "in the classroom")."""
    lemmas = noun_lemmas(noun)
    if (lemmas & lexicon.TIME_NOUNS or lemmas & lexicon.LIGHT_NOUNS) and prep.lower_ != "with":
        add(TIME_LIGHT, phrase_tokens(prep), key=f"time:{noun.lemma_}")
        return
    if re.fullmatch(r"\d0s|(?:twen|thir|for|fif|six|seven|eigh|nine)ties", noun.lower_):
        return  # "in his early thirties": an age, not a place
    if prep.lower_ == "in" and noun.lower_ == "front":  # "in front of large screens"
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        target = object_of(of) if of is not None else None
        if target is not None and target.pos_ in ("NOUN", "PROPN") and not attached_to_other_person(prep, own):
            head = prep.head
            posed = head.lemma_.lower() in lexicon.POSE_VERBS and head.tag_ in ("VBN", "VBG", "VBZ", "VBD", "VBP") and subjects_verb(head, own)
            word = f"{lexicon.POSE_PARTICIPLES.get(head.lemma_.lower(), head.lower_)} " if posed else ""  # "seated in front of a desk"
            add(PLACE, phrase_tokens(prep), key=f"place:{target.lemma_}", text=word + as_text(phrase_tokens(prep), replace=replace))
        return
    if noun.lemma_.lower() in lexicon.GENERIC_PLACE | {"room", "space", "area"} and not any(c.dep_ in ("amod", "compound") for c in noun.children):
        return  # "into the background", "through the room": no place named (the recall says the room the input names)
    if seen_there(prep):
        return  # "looking up at the falling rain": seen, not a place
    if prep.lower_ in lexicon.PATH_PREPS and prep.head.pos_ == "NOUN" and noun_lemmas(prep.head) & lexicon.LIGHT_NOUNS:
        light = [t for t in prep.head.subtree if t.i < prep.i and t.dep_ not in ("poss", "punct", "cc")]
        add(TIME_LIGHT, [*light, *phrase_tokens(prep)], key=f"light:{prep.head.lemma_.lower()}", text=as_text([*light, *phrase_tokens(prep)], replace=replace))
        return  # "Soft morning light through paper screens": where the light falls, never the subject "in paper screens"
    head = prep.head.head if next_to(prep) else prep.head  # "standing next to an airplane"
    # "dressed in a lilac cardigan, seated at a table": the parse hangs the pose on the garment, but the wearer sits
    still = head.lemma_.lower() in ("sit", "seat", "kneel", "stand", "lie", "lean", "perch", "crouch", "squat", "recline")
    worn = still and head.dep_ == "acl" and head.tag_ in ("VBN", "VBG") and head.head.lemma_.lower() in lexicon.CLOTHING_NOUNS
    pose = head.lemma_.lower() in lexicon.POSE_VERBS and head.pos_ in ("VERB", "ADJ") and (subjects_verb(head, own) or worn)
    before = prep.nbor(-1) if prep.i > 0 else prep  # "wears a jacket and kneels beside a hive": the tagger's plural noun is the pose
    if not pose and before.tag_ == "NNS" and before.dep_ == "conj" and before.lower_[:-1] in lexicon.POSE_VERBS and subjects_verb(prep.head, own):
        pose, pose_lemma = True, before.lower_[:-1]
    else:
        pose_lemma = head.lemma_.lower()
    on_body = pose and prep.lower_ == "on" and noun.lemma_.lower() in ("back", "side", "stomach", "belly", "knee", "front")  # "floats on her back"
    if not is_place(noun) and not pose and own_part_of_place(prep, noun, own) is not None:
        # "works on the wooden frame of a half-built house": a part of a place says where, in the input's words
        tokens = phrase_tokens(prep)
        if tokens:
            add(PLACE, tokens, key=f"place:{noun.lemma_.lower()}", text=as_text(tokens, replace=replace))
        return
    # "working in a flooded rice paddy": a place no list names, where the subject's own verb is
    met = _met_there(prep, own)  # "bargains with a spice seller in a crowded souk": the place of both
    located = where_prep(prep) and located_noun(noun, bare_at=True) and (pose or met or subjects_verb(prep.head, own) or performed_by_subject(prep.head, own))
    # "sits on the steps of a library": a part of a place is where the pose is
    posed = pose and (is_thing(noun) or on_body or part_of_place(noun, any_part=True) is not None)
    if not (is_place(noun) or located or posed) or (attached_to_other_person(prep, own) and not met):
        return
    if noun.lemma_.lower() in lexicon.PERSON_NOUNS or (prep.head.pos_ == "VERB" and someone_elses(prep.head, own)):
        return
    tokens = phrase_tokens(prep)
    if not tokens:
        return
    if noun.lemma_.lower() in lexicon.FIXTURE_NOUNS and not pose and (owner := _fixture_owner(prep, own)) is not None:
        # "gentle patterns on the countertop", "her hands immersed in soapy water": said with what is there, or not at all
        if owner is not False:
            head_tokens = [t for t in owner.subtree if t.i <= owner.i and t.dep_ != "cc" and (t.dep_ != "punct" or t.text == "-")]
            add(DECOR, tokens, key=f"place:{noun.lemma_.lower()}", text=as_text(head_tokens, replace=replace) + " " + as_text(tokens, replace=replace))
        return
    text = as_text(tokens, replace=replace)
    head_is_motion = prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in lexicon.MOTION_VERBS
    # A path is motion in a still ("steering the ship through turbulent seas"): the place it crosses.
    held_pose = pose and not is_place(noun)  # "leaning over a disassembled pocket watch": the input's words, not "in the watch"
    if prep.lower_ in lexicon.PATH_PREPS and (head_is_motion or prep.lower_ in ("through", "across", "along", "past")) and not held_pose:
        rest = as_text(tokens, drop_leading=1, replace=replace)
        place = "on" if lemmas & lexicon.SURFACE_NOUNS and prep.lower_ not in ("through", "thru") else "by" if prep.lower_ in ("along", "past") else "in"
        swims = prep.head.lemma_.lower() in ("swim", "wade", "dive", "paddle")
        place = "on" if prep.lower_ in ("across", "over") and lemmas & _WATERS and not swims else place  # "walks across a frozen lake": on it
        place = "on" if prep.lower_ in ("across", "over") and not is_place(noun) else place  # "across a windy salt flat": a ground crossed
        article = next((c.lower_ for c in noun.children if c.dep_ == "det" and c.lower_ in ("a", "an") and c.i == tokens[1].i), None)
        the = f"{article} " if article else "the " if noun.tag_ in ("NN", "NNP") or any(c.dep_ == "det" for c in noun.children) else ""
        text = f"{place} {the}{rest}" if rest else ""
    if pose and text:  # "sits at a wooden desk" → "sitting at a wooden desk"
        text = f"{lexicon.POSE_PARTICIPLES.get(pose_lemma, head.lower_)} {'next ' if next_to(prep) else ''}{text}"
    elif next_to(prep) and text.startswith("to "):
        text = f"next {text}"  # "a rocking chair next to the window": never "to the window"
    state = place_state(tokens) if text.endswith(tokens[-1].text) else []
    text = f"{text} {as_text(state, replace=replace)}" if state else text
    add(PLACE, [*tokens, *state], key=f"place:{noun.lemma_.lower()}", text=text, drawable=tokens)


def _met_there(prep, own) -> bool:
    """'talks with a vendor at a busy market', 'plays chess with his grandson in a sunny park': a
    place hung on the person the subject's own verb meets is where both of them are."""
    person = prep.head
    if prep.lower_ not in ("in", "at", "on", "inside") or person.dep_ != "pobj" or not lexicon.is_person_noun(person):
        return False
    verb = person.head.head
    return person.head.lower_ in ("with", "to", "beside", "for") and verb.pos_ == "VERB" and performed_by_subject(verb, own)


def place_state(tokens) -> list:
    """'filled with ticking clocks' after 'a narrow repair shop', 'lit by the glow of the furnace' after
    'a cramped workshop': a past participle right after the place that says what fills, lines or lights it
    is a state the first frame shows (the phrase cut it off as a clause); [] when there is none."""
    last = tokens[-1] if tokens else None
    if last is None or last.pos_ != "NOUN" or last.i + 1 >= len(last.doc):
        return []
    part = last.doc[last.i + 1]
    # "stands in a hallway lined with photographs": right after the place, with no comma, the parse may hang it on the verb
    hung = part.dep_ == "acl" and part.head.i == last.i or part.dep_ == "advcl" and part.lemma_.lower() not in lexicon.DRESSING_VERBS
    state = hung and part.tag_ == "VBN" and part.lemma_.lower() not in lexicon.MOTION_VERBS
    if not state or not any(c.dep_ in ("prep", "agent") and c.i == part.i + 1 for c in part.children):
        return []
    said = phrase_tokens(part, stop_at_clause=False)  # "filled with ticking clocks": the gerund the parse made a clause is a modifier here
    clause = next((k for k, t in enumerate(said) if t.pos_ in ("VERB", "AUX") and t.dep_ in ("relcl", "advcl", "ccomp", "conj", "acl") and k), len(said))
    said = said[:clause]
    while said and said[-1].pos_ in ("ADP", "DET", "CCONJ", "PUNCT", "VERB"):
        said.pop()  # "filled with" cut before its object: nothing said
    return said if len(said) > 2 else []


def own_part_of_place(prep, noun, own):
    """The place whose part the subject itself is at ("works on the frame of a house"), or None."""
    if prep is None:
        return None
    doer = next((c for c in prep.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)  # "gutters drip along the row of houses": theirs
    own_act = performed_by_subject(prep.head, own) or (doer is None and prep.head.dep_ == "ROOT")
    own_act = own_act and not any(c.dep_ == "dobj" for c in prep.head.children)  # "arranged them in the case"
    own_act = is_subject_mention(prep.head, own) if prep.head.pos_ != "VERB" else own_act  # "sets the loaves on the shelf of ...": theirs
    return part_of_place(noun) if own_act and not attached_to_other_person(prep, own) else None


def part_of_place(noun, any_part: bool = False):
    """The place a noun names a part of ("the wall of an indoor gym", "the frame of a house"), or None;
    ``any_part``: a listed abstract or motion noun counts too ("on the steps of a library": a pose's place)."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    target = object_of(of) if of is not None else None
    lemma = noun.lemma_.lower()
    part = target is not None and target.pos_ == "NOUN" and is_place(target) and noun.pos_ == "NOUN"
    part = part and not noun_lemmas(target) & (lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS)  # "in the quiet of the evening": a time
    refused = lexicon.PERSON_NOUNS | lexicon.BODY_NOUNS | (frozenset() if any_part else lexicon.ABSTRACT_NOUNS)
    return target if part and lemma not in refused else None


# Bodies of water: crossed on a boat or the ice, not in them (a swimmer is in them).
_WATERS = frozenset("lake pond river sea ocean bay lagoon".split())


def _fixture_owner(prep, own):
    """Whose is a phrase on a fixture? None: the subject's (keep it as a place); False: no
    renderable owner (drop it); else the noun it says where ("shadows on the walls")."""
    head = prep.head
    if head.pos_ in ("NOUN", "PROPN"):
        if head.dep_ == "pobj" and head.lemma_.lower() in lexicon.BODY_NOUNS:
            return None  # "floating on her back in water": the pose's place
        return None if is_subject_mention(head, own) else head if is_thing(head) or head.lemma_.lower() in lexicon.BODY_NOUNS else False
    obj = object_of(head)
    worked = obj is not None and obj.i < prep.i and is_thing(obj) and obj.lemma_.lower() not in lexicon.FIXTURE_NOUNS and prep.lower_ in ("on", "upon", "at")
    worked = worked and object_of(prep) is not None and object_of(prep).lemma_.lower() not in lexicon.SEAT_NOUNS
    if head.pos_ == "VERB" and performed_by_subject(head, own) and worked:
        return obj  # "hammered the glowing metal on the anvil": the metal is on the anvil, not the man
    if head.pos_ != "VERB" or performed_by_subject(head, own):
        return None
    if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
        return obj  # "casting gentle patterns on the countertop"
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.lemma_.lower() in lexicon.BODY_NOUNS | lexicon.APPEARANCE_NOUNS:
        return subject  # "his arms submerged in cold water"
    if head.dep_ in ("acl", "advcl", "relcl") and head.head.pos_ in ("NOUN", "PROPN") and not is_subject_mention(head.head, own):
        return head.head  # "her hands immersed in soapy water"
    return False
