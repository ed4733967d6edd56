"""What sentences about things and looks say a keyframe can show, read off the parse:

- a look stated as a clause: "Her eyes are closed" → "eyes closed", "His hair is neatly combed";
- what there is: "There's blood visible on his lips" → "blood visible on his lips";
- a place or a thing described: "The trail is narrow" → "narrow trail", "The desk is cluttered
  with stacks of papers" → "desk cluttered with stacks of papers";
- what the background or the picture shows: "The background features a dense forest" →
  "dense forest", "The close-up shows her brown short hair" → "brown short hair";
- things that move but are there from the first frame: "Lanterns sway above" → "lanterns";
- what a thing makes, what fills the air, what a face shows: "The trees create a canopy of
  greenery" → "canopy of greenery", "The air is thick with mist" → "thick mist", "His expression
  is one of intense focus" → "expression of intense focus";
- not what is only heard ("as birds chirp"), but where it sounds ("against the cobblestones").

Each rule calls ``add(kind, tokens, key, text)`` of ``spatial.static_phrases``, which keeps a
phrase only when it can be rendered (no motion, sound or other person) and is new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.scenery import absolute_things, thing_where
from stdt2v.prompts.words import as_text, is_abstract, is_place, is_subject_mention, is_thing, looks_like_verb

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SHOWING_VERBS = frozenset("be feature show reveal include display have depict capture frame contain".split())
_PICTURE_SUBJECTS = lexicon.GENERIC_PLACE | frozenset("background foreground close-up closeup shot frame image picture view backdrop".split())


def _subjects(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]


def _complement(verb):
    return next((c for c in verb.children if c.dep_ in ("acomp", "attr", "dobj", "oprd")), None)


def _owned_by_subject(noun) -> bool:
    return any(c.dep_ == "poss" and c.lower_ in ("his", "her", "their") for c in noun.children)


def scene_phrases(doc: Doc, own: Span | None, add: Callable[..., None], kinds: tuple[int, int, int], replace: dict[int, str] | None = None) -> None:
    """Run every rule over the parse; ``kinds``: (LOOKS, PLACE, DECOR); ``replace``: pronouns
    that agree with the subject."""
    looks, place, decor = kinds
    _LOOKS_KIND[0] = looks

    def text_of(tokens: Sequence[Token]) -> str:
        return as_text(tokens, replace=replace)

    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        subjects = _subjects(verb)
        comp = _complement(verb)
        lemma = verb.lemma_.lower()
        if any(c.dep_ == "expl" for c in verb.children) and lemma == "be":  # "There's blood visible on his lips"
            target = comp if comp is not None else (subjects[0] if subjects else None)
            if target is not None and target.pos_ == "NOUN" and not is_abstract(target):
                tokens = list(target.subtree) + [t for c in verb.children if c.dep_ == "prep" and c.i > target.i for t in c.subtree]
                add(looks if target.lemma_.lower() in lexicon.APPEARANCE_NOUNS else decor, _trim(tokens), f"there:{target.lemma_}", None)
            continue
        if not subjects:
            continue
        subject = max((s for s in subjects if s.i < verb.i), key=lambda s: s.i, default=subjects[0])  # "a dog ..., the light is soft": the nearest
        if subject.pos_ not in ("NOUN", "PROPN") or is_subject_mention(subject, own) or _unsure(subject, verb):
            continue
        s_lemma = subject.lemma_.lower()
        if _filled_air(subject, verb, comp, add, decor, text_of):
            continue
        owned = _owned_by_subject(subject) or any(c.dep_ == "poss" and is_subject_mention(c, own) for c in subject.children)  # "The man's expression"
        if s_lemma in ("expression", "face", "gaze", "eyes") and owned and (shown := _shown_on_face(verb, comp)) is not None:
            owners = {t.i for c in subject.children if c.dep_ == "poss" for t in c.subtree}
            head = [t for t in subject.subtree if t.i <= subject.i and t.dep_ != "det" and t.i not in owners]
            add(looks, head + shown, f"attire:{s_lemma}", f"{text_of(head)} of {text_of(shown)}", head)  # "expression of intense focus"
        elif s_lemma in lexicon.APPEARANCE_NOUNS and _owned_by_subject(subject) and (lemma == "be" or verb.tag_ == "VBN"):
            _described(subject, verb, comp, add, looks, text_of)
        elif _is_picture(subject) and lemma in _SHOWING_VERBS and comp is not None and comp.pos_ in ("NOUN", "PROPN"):
            if not is_abstract(comp):  # "The background features a dense forest with ancient trees"
                kind = looks if comp.lemma_.lower() in lexicon.APPEARANCE_NOUNS else place
                add(kind, [t for t in _trim(_with_conjuncts(comp)) if t.dep_ != "poss"], f"place:{comp.lemma_.lower()}", None)
        elif (is_place(subject) or is_thing(subject)) and not is_abstract(subject) and not _is_picture(subject):
            if lemma == "be" or (verb.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in verb.children)):
                _described(subject, verb, comp, add, place if is_place(subject) else decor, text_of)
            elif lemma in _SHOWING_VERBS and comp is not None and comp.dep_ == "dobj" and (is_thing(comp) or is_place(comp)) and not is_abstract(comp):
                add(decor, _trim(_with_conjuncts(comp)), f"decor:{comp.lemma_.lower()}", None)  # "The room has a whiteboard and a long table"
            elif lemma in _MAKING_VERBS and comp is not None and comp.dep_ == "dobj" and is_thing(comp) and not is_abstract(comp):
                # "The trees around her create a canopy of greenery": a thing that makes a thing, both there from the start
                add(decor, _trim(_with_conjuncts(comp)), f"decor:{comp.lemma_.lower()}", None)
            elif lemma in lexicon.SENSORY_NOUNS or lemma in _SOUNDING_VERBS:
                if is_place(subject) and any(c.dep_ == "prep" for c in subject.children):  # "the forest around him buzzed": the forest is there
                    add(place, _trim([t for t in subject.subtree if t.dep_ != "poss"]), f"place:{s_lemma}", None)
                _where_it_sounds(verb, add, decor)
                continue  # "as birds chirp in the background": heard, not seen
            elif subject.i < verb.i and not _owned_by_subject(subject) and not _said_before(subject):  # "Lanterns sway above"
                tokens = _trim(_with_conjuncts(subject, stop=verb.i))
                like = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "like" and any(k.dep_ == "pobj" for k in c.children)), None)
                text = f"{text_of(tokens)} {text_of(_trim(list(like.subtree)))}" if like is not None and tokens else None  # "walls like water"
                # "gulls circle overhead": gulls overhead (a garment's own rules say it; a garment that moves is a misparse)
                own_rules = lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS | {"other", "others"}
                seen = thing_where(subject, verb, tokens, replace) if text is None and tokens and s_lemma not in own_rules else None
                if seen is not None:
                    add(decor, seen[0], f"decor:{s_lemma}", seen[1])
                else:
                    add(decor, tokens, f"decor:{s_lemma}", text)
        elif _others(subject, own) and subject.i < verb.i and (seen := thing_where(subject, verb, _trim(_with_conjuncts(subject, stop=verb.i)), replace, True)):
            place_words = [t for t in seen[0] if t.i > verb.i]  # the people are seen there: only their place is checked
            add(decor, seen[0], f"decor:{s_lemma}", seen[1], place_words)  # "children cheer in the background": the children in the background
    absolute_things(doc, own, add, decor, replace)


def _others(subject, own) -> bool:
    """Other people or animals named as a group or a kind ("children", "a crowd", "two dogs"), not the
    subject nor someone owned by a person ("her friends")."""
    if _owned_by_subject(subject) or any(c.dep_ == "poss" for c in subject.children) or is_subject_mention(subject, own):
        return False
    return subject.lemma_.lower() in lexicon.CROWD_NOUNS or (subject.tag_ == "NNS" and subject.lemma_.lower() in lexicon.PERSON_NOUNS)


def _shown_on_face(verb, comp) -> list | None:
    """What a face shows: "His facial expression shows weariness and a hint of fear", "His
    expression is one of intense focus" → the shown words."""
    if comp is None:
        return None
    if verb.lemma_.lower() in ("show", "display", "reveal", "wear") and comp.dep_ == "dobj" and comp.pos_ == "NOUN":
        return _trim(_with_conjuncts(comp))
    of = next((c for c in comp.children if c.dep_ == "prep" and c.lower_ == "of"), None) if verb.lemma_ == "be" and comp.lower_ == "one" else None
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return _trim(_with_conjuncts(obj)) if obj is not None else None


def _where_it_sounds(verb, add, kind) -> None:
    """'His footsteps echo against the cobblestones': the sound is not in the picture, the
    surface it sounds on is."""
    for prep in verb.children:
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if prep.dep_ != "prep" or prep.lower_ not in ("against", "on", "across", "over") or obj is None:
            continue
        if obj.pos_ == "NOUN" and is_thing(obj) and obj.lemma_.lower() not in lexicon.FIXTURE_NOUNS:  # a listed thing ("pavement" ends like an idea)
            add(kind, _trim([t for t in obj.subtree if t.dep_ not in ("poss", "det")]), f"decor:{obj.lemma_.lower()}", None)


def _filled_air(subject, verb, comp, add, kind, text_of) -> bool:
    """'The air is thick with mist' → 'thick mist': what fills the air, said with how it fills it
    (the air itself shows nothing)."""
    if verb.lemma_ != "be" or comp is None or comp.pos_ != "ADJ" or is_place(subject) or is_thing(subject) and not is_abstract(subject):
        return False
    prep = next((c for c in comp.children if c.dep_ == "prep" and c.lower_ == "with"), None)
    filler = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if filler is None or filler.pos_ != "NOUN" or is_abstract(filler) or not is_thing(filler):
        return False
    tokens = [t for t in filler.subtree if t.dep_ not in ("det", "poss") and t.i <= filler.i]
    add(kind, [comp, *tokens], f"decor:{filler.lemma_.lower()}", f"{comp.lower_} {text_of(tokens)}")
    return True


_MAKING_VERBS = frozenset("create form cast make".split())
_SOUNDING_VERBS = frozenset("sing bark howl call tweet crow honk beep purr growl click thud creak tap clack".split())

# Parts of a thing: "the blade" is the sword's, already said with it.
_PARTS = frozenset("blade hilt handle lid tip edge cover screen strings string spine cap".split())


def _said_before(noun) -> bool:
    """'The blade flashes': a bare part with 'the' points back at the thing already said (the
    sword), and alone it is a fragment."""
    bare = not any(c.dep_ in ("amod", "compound", "nmod", "conj", "prep") for c in noun.children)
    return noun.lemma_.lower() in _PARTS and bare and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)


def _is_picture(subject) -> bool:
    """The background or the picture itself ("The close-up shows ...", "The background features ...")."""
    words = {t.lower_ for t in subject.subtree if t.i <= subject.i}
    return subject.lemma_.lower() in _PICTURE_SUBJECTS or ("close" in words and subject.lower_ == "up")


def _unsure(subject, verb) -> bool:
    """A subject the parse may have got wrong ("The camera moves left": 'moves' as a noun; 'waves'),
    one that comes to be only later ("causing circles of ripples to spread"), or one that interprets."""
    word = subject.lower_
    stems = {word[:-1], word[:-2]} if word.endswith("s") else set()
    if looks_like_verb(subject) or stems & lexicon.MOTION_VERBS or any(c.lower_ in lexicon.CAMERA_WORDS for c in subject.subtree):
        return True
    if verb.lemma_.lower() in lexicon.HEDGE_LEMMAS:
        return True
    return any(a.lemma_.lower() in lexicon.RESULT_VERBS for a in verb.ancestors)


def _described(subject, verb, comp, add, kind, text_of) -> None:
    """'The trail is narrow' → 'narrow trail'; 'Her eyes are closed' → 'eyes closed'; 'The desk is
    cluttered with stacks of papers' → 'desk cluttered with stacks of papers'."""
    owners = {t.i for c in subject.children if c.dep_ == "poss" for t in c.subtree}
    head = [t for t in subject.subtree if t.dep_ not in ("det", "poss", "case") and t.i <= subject.i and t.i not in owners]
    head += _of_what(subject)  # "Bolts of bright silk are stacked ...": the bolts of silk
    if comp is not None and comp.pos_ == "ADJ":
        rest = [t for t in comp.subtree]
    elif verb.tag_ == "VBN":  # "His hair is neatly combed" → "hair neatly combed"
        rest = _cut_clause([t for t in verb.subtree if t.i >= verb.i or (t.dep_ == "advmod" and t.head.i == verb.i and t.i > subject.i)], verb)
    else:
        return
    if not rest:
        return
    # "Her eyes are closed" → "eyes closed": a look's state stays after it; "narrow trail" before.
    adjectives = [t for t in rest if t.pos_ == "ADJ"]
    # "The water is clear and blue" → "clear blue water": plain adjectives go before their noun, a predicate is no phrase
    plain = all(t.pos_ == "ADJ" or t.pos_ == "CCONJ" or t.text == "," for t in rest) and len(adjectives) <= 3
    plain = plain and not (kind == looks_kind(subject) and any(t.lower_.endswith("ed") for t in adjectives))
    text = f"{' '.join(t.text.lower() for t in adjectives)} {text_of(head)}" if plain else f"{text_of(head)} {text_of(rest)}"
    moods = _moods(comp if comp is not None else verb)
    if moods and subject.lemma_.lower() in ("expression", "face", "look"):  # "Her expression is focused and determined": a look, said before it
        rest, text = moods, f"{' and '.join(t.lower_ for t in moods)} {text_of(head)}"
    # A look is a state, whatever the verb ("hair pulled back"): only the noun's words must be drawable.
    add(kind, head + rest, f"described:{subject.lemma_.lower()}", text, head if kind == looks_kind(subject) else None)


def _moods(word) -> list:
    """'focused and determined': the word and its conjoined words, when all are moods; else []."""
    words = [word, *(c for c in word.children if c.dep_ == "conj")]
    return words if all(t.lower_ in lexicon.MOOD_ADJECTIVES for t in words) and len(words) <= 3 else []


def looks_kind(subject: Token) -> int | None:
    """The kind _described gives a look, as the caller numbered it (set by scene_phrases)."""
    return _LOOKS_KIND[0] if subject.lemma_.lower() in lexicon.APPEARANCE_NOUNS else None


_LOOKS_KIND = [None]


def _cut_clause(tokens, verb) -> list:
    """The verb's own phrase, cut before a comma that opens another clause."""
    out = []
    for t in tokens:
        if t.i > verb.i and (t.text in (",", ";") or t.dep_ in ("relcl", "advcl", "ccomp") or (t.dep_ in ("conj", "cc") and t.head.i == verb.i)):
            break
        out.append(t)
    return out


def _with_conjuncts(noun, stop: int | None = None) -> list:
    """The noun's phrase with its coordinated nouns ("A wooden fence and a misty, grassy field")."""
    tokens = [t for t in noun.subtree if stop is None or t.i < stop]
    return [t for t in tokens if t.dep_ not in ("relcl", "acl") and not any(a.dep_ in ("relcl", "acl") for a in t.ancestors if a.i in {x.i for x in tokens})]


def _trim(tokens) -> list:
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "DET", "SCONJ", "PRON", "AUX", "PART")):
        tokens.pop()
    while tokens and tokens[0].pos_ in ("PUNCT", "CCONJ", "DET") and not (len(tokens) > 1 and tokens[1].lower_ in ("few", "couple")):  # "a few"
        tokens.pop(0)
    return tokens


def _of_what(subject) -> list:
    """The plain 'of' phrase right after a thing ("bolts of bright silk"), else nothing."""
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == subject.i + 1), None)
    tokens = list(of.subtree) if of is not None else []
    plain = all(t.pos_ in ("ADP", "DET", "ADJ", "NOUN", "PROPN") for t in tokens) and len(tokens) <= 6
    return tokens if plain and len(tokens) > 1 else []
