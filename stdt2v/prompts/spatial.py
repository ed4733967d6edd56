"""What a keyframe can show, read off the parse: the subject's clothing and looks, what they
hold, the place, the time and light, the decor. Each phrase is rewritten as a short noun
phrase ("dressed in a bulky white space suit" → "bulky white space suit"); anything that
moves, sounds, smells, or belongs to another person is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.agency import attached_to_other_person, next_to, perceives, performed_by_subject, someone_elses, subjects_verb
from stdt2v.prompts.firstframe import USED_INTO_VERBS, VOICE_VERBS, garment_verb, gate
from stdt2v.prompts.grammar import has_subject, indefinite
from stdt2v.prompts.held import MOUNTS, carried, right_after, said_twice
from stdt2v.prompts.mend import mend_tail, surface_list, tidy_commas, where_from, with_predicate
from stdt2v.prompts.phrase import ATTIRE, DECOR, LOOKS, PLACE, PROPS, TIME_LIGHT, Phrase
from stdt2v.prompts.recall import complete, dangling_text, merge_restated, names_a_part, recall_phrases
from stdt2v.prompts.scene import scene_phrases
from stdt2v.prompts.sweep import sweep
from stdt2v.prompts.words import (
    as_text,
    graspable,
    is_motion_word,
    is_noun_modifier_verb,
    is_other_person,
    is_place,
    is_subject_mention,
    is_thing,
    looks_like_verb,
    noun_lemmas,
    past_motion,
    verb_after_noun,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["as_text", "is_motion_word", "looks_like_verb", "noun_lemmas", "static_phrases"]


def _add_object(doc, noun, own, add, replace, them: str = "them") -> None:
    """The object of the subject's action, as the first frame shows it: "playing an acoustic
    guitar" → "acoustic guitar in hand", "riding a vintage motorcycle" → "on a vintage
    motorcycle", "carves a pumpkin" → "pumpkin"; a look when it is one ("trimming beard")."""
    verb = noun.head.lemma_.lower()
    chunk = next((c for c in doc.noun_chunks if c.start <= noun.i < c.end), None)
    tokens = [t for t in (chunk if chunk is not None else [noun]) if t.dep_ != "poss"]
    if not tokens or tokens[-1].i != noun.i:
        return
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None and _object(of) is not None and is_thing(_object(of)):  # "a cup of coffee"
        tokens += [t for t in phrase_tokens(of)]
    elif (listed := _listed_after(noun)) is not None:  # "apply foundation, concealer, and blush": the whole list
        tokens += listed
    text = as_text(tokens, replace=replace)
    head = noun.head
    if head.i == noun.i - 1 and head.tag_ in ("VBD", "VBN") and not has_subject(head):
        text = f"{head.text} {text}"  # "focused gaze": the participle the parse took for a verb
    lemmas = noun_lemmas(noun)
    if lemmas & lexicon.APPEARANCE_NOUNS or lemmas & lexicon.CLOTHING_NOUNS:
        acted_on = any(c.dep_ == "poss" for c in noun.children) and verb not in lexicon.LOOK_VERBS
        if lemmas & lexicon.APPEARANCE_NOUNS and (acted_on or verb in ("draw", "paint", "sketch")):
            return  # "wiping his brow", "draws a face": an action on the body or a drawing, not a look
        add(LOOKS, tokens, key=f"attire:{noun.lemma_}", text=text)
    elif (source := where_from(noun, replace)) is not None:  # "draws the sword from his waist": the sword at his waist
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{indefinite_np(tokens, text)} {source}")
    elif verb in lexicon.RIDE_VERBS:
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"on {indefinite(text) if noun.tag_ == 'NN' else text}")
    elif (where := _put(noun, replace)) is not None:  # "arranged the flowers in a vase" → "flowers in a vase"
        add(PROPS, tokens + where[0], key=f"prop:{noun.lemma_}", text=f"{text} {where[1]}")
    elif verb in lexicon.WORKED_ON_VERBS:  # "carves a pumpkin": on the table, not in hand
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{indefinite_np(tokens, text)} in front of {them}")
    elif (verb in lexicon.HANDLING_VERBS or lemmas & lexicon.PROP_NOUNS) and " hand" not in text:
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{indefinite_np(tokens, text)} in hand")  # "a walking stick" stays a noun
    elif [t for t in tokens if t.dep_ != "det"] == [noun] and perceives(noun.head):
        return  # "checks her reflection": seen, and nothing said of it
    else:  # "grooming a horse" → "a horse nearby", "washes dishes" → "dishes nearby": a bare noun alone is a fragment
        bare = [t for t in tokens if t.dep_ != "det"] == [noun] and (noun.tag_ == "NNS" or tokens[0].dep_ == "det")
        if bare and any(c.dep_ == "prep" and c.lower_ == "with" for c in noun.head.children):
            return  # "tightens a bolt with a wrench": the tool in hand says it; "a bolt nearby" says nothing
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{indefinite_np(tokens, text)} nearby" if bare else text)


def _listed_after(noun) -> list | None:
    """The things listed after ``noun`` as its conjuncts, when only a plain list of noun phrases
    lies between: "foundation, concealer, and blush" → ", concealer, and blush"."""
    things = [c for c in noun.conjuncts if c.i > noun.i and is_thing(c)]
    if not things:
        return None
    span = list(noun.doc[noun.i + 1 : max(t.i for t in things) + 1])
    plain = all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "CCONJ") or t.text in (",", "-") for t in span)
    return span if plain and len(span) <= 12 else None


def _put(noun, replace) -> tuple[list, str] | None:
    """Where the verb puts its object, when a thing: 'in a vase', 'on the anvil' ('into' → 'in')."""
    for prep in noun.head.children:
        obj = _object(prep)
        when = obj is not None and noun_lemmas(obj) & (lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS)  # "plays chess on a rainy afternoon": a time
        place = obj is not None and (is_place(obj) or any(c.dep_ == "compound" and is_place(c) for c in obj.children))  # "a city street corner"
        thing = obj is not None and prep.i > noun.i and is_thing(obj) and not place and not when and obj.lemma_.lower() not in ("hand", "front")
        if prep.dep_ == "prep" and prep.lower_ in ("in", "on") and thing:  # "poured it into a jar": where it ends, not the first frame
            tokens = phrase_tokens(prep)
            if len(tokens) > 1:
                word = {"into": "in", "onto": "on"}.get(prep.lower_, prep.lower_)
                rest = "".join((replace or {}).get(t.i, t.text) + t.whitespace_ for t in tokens[1:]).strip()
                return tokens, f"{word} {rest}"
    return None


def indefinite_np(tokens: Sequence[Token], text: str) -> str:
    """'a' or 'an' before a singular noun phrase whose article was taken off; plurals and nouns the
    prompt gave no article ("playing guitar", "drinking coffee") as they are."""
    had_article = tokens[0].lower_ in ("a", "an", "the")
    head = next((t for t in reversed(tokens) if t.pos_ in ("NOUN", "PROPN")), tokens[-1])
    return indefinite(text) if had_article and head.tag_ in ("NN", "NNP") else text


def renderable(tokens: Sequence[Token], own: Span | None) -> bool:
    """No motion, sound, smell, camera word or other person; ends on a content word."""
    for t in tokens:
        lemma = t.lemma_.lower()
        camera_cue = t.lower_ in lexicon.CAMERA_WORDS and t.dep_ not in ("compound", "amod")  # "a camera harness" is gear
        # "with a red rose boutonniere": a 'verb' as an object is the parse's noun; "leapt" parsed as a noun is motion
        moves = (is_motion_word(t) and t.dep_ != "pobj") or past_motion(t) or (looks_like_verb(t) and t.dep_ != "pobj") or verb_after_noun(t)
        if moves or lemma in lexicon.SENSORY_NOUNS | lexicon.MOTION_NOUNS or camera_cue or is_other_person(t, own):
            return False
    return bool(tokens) and any(t.pos_ in ("NOUN", "PROPN") for t in tokens)


def phrase_tokens(token: Token, stop_at_clause: bool = True) -> list:
    """``token``'s subtree, cut before a nested clause or a motion word and trimmed of
    dangling function words; a verb's own subject and auxiliaries stay out ("(the presenter
    is) dressed in black")."""
    tokens = []
    left = [c for c in token.children if c.i < token.i and c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "punct", "advmod", "mark")]
    skip = {i for c in left for i in range(c.left_edge.i, c.right_edge.i + 1)}
    # "a field of gently swaying wildflowers" → "a field of wildflowers": the motion word goes, the noun stays
    skip |= {k.i for t in token.subtree if t.tag_ == "VBG" and t.dep_ == "amod" and t.lemma_.lower() in lexicon.MOTION_VERBS for k in t.subtree}
    for t in token.subtree:
        if t.i in skip:
            continue
        modifier = is_noun_modifier_verb(t) or (
            t.tag_ in ("VBD", "VBN") and t.dep_ == "conj" and not has_subject(t) and t.i + 1 < len(t.doc) and t.nbor(1).pos_ in ("ADJ", "NOUN")
        )
        clause = t.pos_ == "VERB" and t.dep_ in ("advcl", "relcl", "conj", "acl", "ccomp", "xcomp", "pcomp") and not modifier
        if t.i != token.i and stop_at_clause and clause:
            break
        if t.i != token.i and (t.tag_ in ("WRB", "WDT", "WP") or is_motion_word(t) or looks_like_verb(t) or t.text in (";", ":")):
            break
        if t.i != token.i and t.text == "," and t.head.i < token.i:
            break
        if t.i != token.i and t.text == "," and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "with" and tokens and tokens[0].lower_ != "with":
            break  # "a plaid shirt, with dirt on his jeans": the second 'with' is a phrase of its own
        absolute = (o := _object(t)) is not None and o.lemma_.lower() in lexicon.BODY_NOUNS and any(c.dep_ == "poss" for c in o.children)
        if t.i != token.i and t.lower_ == "with" and absolute and any(c.tag_ in ("VBG", "VBN") for c in [*o.children, *t.children]):
            break  # "on the railing, with his chin resting on his hand": an absolute phrase of its own
        if t.i != token.i and t.text == "," and t.i + 2 < len(t.doc) and t.nbor(1).pos_ == "CCONJ" and t.nbor(2).tag_ == "PRP":
            break  # "a white coat and a blue tie, and he is tired": a clause of its own
        if t.i != token.i and t.text == "," and t.i + 1 < len(t.doc) and t.nbor(1).tag_ in ("VBN", "VBG") and t.nbor(1).lemma_.lower() in lexicon.POSE_VERBS:
            break  # "a lilac cardigan, seated at a kitchen table": the pose is a phrase of its own
        if t.i != token.i and t.text == "," and t.i + 1 < len(t.doc) and t.nbor(1).tag_ == "PRP$":
            break  # "a casual outfit, her hands immersed in water": an absolute phrase, not more of the outfit
        tokens.append(t)
    while tokens and (tokens[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "DET", "SCONJ", "PRON", "AUX", "PART") or tokens[-1].lower_ in ("as", "while")):
        tokens.pop()
    return mend_tail(tokens)


def _object(token):
    return next((c for c in token.children if c.dep_ in ("pobj", "dobj")), None)


def _attire_from_verb(verb) -> list:
    """'dressed in a white suit' / 'wearing a blazer' → the tokens after the verb (and its 'in')."""
    tokens = phrase_tokens(verb)
    if len(tokens) > 2 and tokens[1].lower_ == "as":  # "dressed as a mermaid": the verb stays
        return tokens
    skip = 1
    if len(tokens) > 1 and tokens[1].lower_ in ("in", "with"):
        skip = 2
    return tokens[skip:]


def static_phrases(doc: Doc, own: Span | None, replace: dict[int, str] | None = None, them: str = "them") -> list[Phrase]:
    """Every renderable static phrase of the prompt, each thing once; ``replace``: words to
    swap (pronouns that agree with the subject); ``them``: the subject's object pronoun."""
    found: list[Phrase] = []
    taken: set[int] = set()

    def add(kind: int, tokens: Sequence[Token], key: str, text: str | None = None, drawable: list[Token] | None = None) -> None:
        """``drawable``: the tokens that must be renderable, when not all are (a look's state verb)."""
        trimmed = len(tokens) > 1 and _light_verb(tokens[-1]) and (text is None or text.rstrip().endswith(" " + tokens[-1].text))
        if trimmed:
            verb, tokens = tokens[-1].text, list(tokens[:-1])  # "warm afternoon light | streams in": the verb the tagger took for a noun goes
            text = text.rstrip()[: -len(verb)].rstrip() if text is not None else None
        check = drawable if drawable is not None else tokens  # an empty ``drawable``: nothing in it to draw or refuse
        if not tokens or (check and not renderable(check, own)) or any(t.i in taken for t in tokens):
            return
        # "young man": the subject itself (or another person), never an item of the list
        person = tokens[-1].lemma_.lower() in lexicon.PLAIN_PERSON
        if person or any(p.key == key for p in found) or any(t.lemma_.lower() == "expression" and t.tag_ == "NNS" for t in tokens):
            return  # "animated expressions": they change, and a still shows one
        own_words = text is None or text.rstrip(" ,").endswith(tokens[-1].text)
        text = tidy_commas(text if text is not None else as_text(tokens, replace=replace), tokens)
        text = re.sub(r"\s*,(?:\s*,)+", ",", text)  # "chef,, ...": a doubled comma from a cut phrase
        if re.fullmatch(r"(?:left|right) \w+", text):
            return  # "pressed to his right eye" → "right eye": a body part named by its side is where something is, not a look
        if dangling_text(text) or names_a_part(text) or (own_words and not trimmed and not complete(tokens)):
            return  # a fragment ("as he carefully", "natural skin" of "natural skin texture"): the recall says that chunk whole
        if not text or len(text) < 3 or (text.endswith((" in hand", " nearby")) and not graspable(tokens)):
            return
        noun = key.rpartition(":")[2]  # "a faint smile graces her lips": a look, wherever the rule found it
        kind = LOOKS if kind > PROPS and noun in lexicon.APPEARANCE_NOUNS else ATTIRE if kind > PROPS and noun in lexicon.CLOTHING_NOUNS else kind
        taken.update(t.i for t in tokens)
        found.append(Phrase(kind, tokens[0].i, text, key, max(t.i for t in tokens), _root_noun(tokens)))

    _subject_with(doc, own, add)
    _age_and_facing(doc, own, add, replace)
    carried(doc, own, add, replace)
    scene_phrases(doc, own, add, (LOOKS, PLACE, DECOR), replace)
    for token in doc:
        if own is not None and own.start <= token.i < own.end:
            continue
        lemma = token.lemma_.lower()
        obj = _object(token)
        if token.pos_ == "VERB" and lemma in lexicon.DRESSING_VERBS and not attached_to_other_person(token, own):
            tokens = _attire_from_verb(token)
            if tokens and (all(t.pos_ == "ADJ" for t in tokens) or (len(tokens) == 1 and tokens[0].lower_ in lexicon.COLORS)):  # "dressed in black"
                add(ATTIRE, tokens, key=f"attire:{tokens[-1].lemma_}", text=f"dressed in {as_text(tokens)}")
            elif tokens:
                listed = surface_list(tokens)  # the parse may have cut the list ("hiking boots" as a verb)
                drawable = [t for t in listed if not (t.tag_ == "VBG" and t.i > tokens[-1].i)]
                add(ATTIRE, listed, key=f"attire:{tokens[-1].lemma_}", drawable=drawable)
        elif (
            token.dep_ in ("prep", "conj")
            and token.pos_ == "ADP"
            and token.lower_ in ("with", "in")
            and obj is not None
            and not attached_to_other_person(token, own)
        ):
            lemmas = noun_lemmas(obj)
            kind = ATTIRE if lemmas & lexicon.CLOTHING_NOUNS else LOOKS if lemmas & lexicon.APPEARANCE_NOUNS else None
            if kind is not None:
                tokens = phrase_tokens(token)
                # "in yellow rain boots | stomps in a muddy puddle": the phrase ends where the parse took a verb into it
                verb = next((t for t in tokens[2:] if t.tag_ in ("VBZ", "VBD") and t.i > obj.i - 1 and t.dep_ == "pobj"), None) or garment_verb(tokens)
                tokens = [t for t in tokens if verb is None or t.i < verb.i]
                cut_motion = tokens and tokens[-1].dep_ == "compound" and tokens[-1].head.lemma_.lower() in lexicon.MOTION_NOUNS
                if not cut_motion:  # "their hand | gestures": the phrase was cut before its own noun
                    add(kind, tokens[1:], key=f"attire:{obj.lemma_}")
                continue
            head_is_place = token.head.lemma_.lower() in lexicon.PLACE_NOUNS
            if lemmas & lexicon.PROP_NOUNS and not head_is_place and (token.lower_ == "with" or token.head.pos_ in ("VERB", "ADJ")):
                chunk = [t for t in phrase_tokens(obj) if t.dep_ != "poss"]
                held = as_text(chunk)
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=held if " hand" in held else f"{held} in hand")
                continue
            if token.lower_ == "with" and lemmas & lexicon.DECOR_NOUNS:
                add(DECOR, phrase_tokens(token)[1:], key=f"decor:{obj.lemma_}")
                continue
            agent_noun = obj.lemma_.lower().endswith(("er", "or", "ist", "ian")) and not lemmas & lexicon.PROP_NOUNS  # "local diners": people
            if token.lower_ == "with" and is_thing(obj) and not is_place(obj) and not agent_noun and performed_by_subject(token.head, own):
                chunk = [t for t in phrase_tokens(obj) if not (t.dep_ == "poss" and t.head.i == obj.i)]  # "with dirt on his jeans"
                # "walking with horse": a bare noun is a fragment, said with its article and where it is
                bare = obj.tag_ == "NN" and not any(c.dep_ in ("det", "amod", "compound", "nummod", "poss") for c in obj.children)
                text = f"{indefinite(obj.lower_)} beside {them}" if bare and chunk == [obj] else None
                # "lifts noodles with his chopsticks": the tool of a hand's action is in hand
                tool = text is None and token.head.lemma_.lower() not in _TRAVEL and graspable(chunk) and noun_lemmas(obj).isdisjoint(lexicon.MASS_NOUNS)
                text = f"{as_text(chunk, replace=replace)} in hand" if tool and token.head.pos_ == "VERB" and obj.i == chunk[-1].i else text
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=text)
                continue
            _add_place(token, obj, own, add, replace)
        elif token.lower_ in _OUT_OR_IN and token.dep_ == "advmod" and performed_by_subject(token.head, own):
            add(PLACE, [token], key="place:outdoors", text=token.lower_, drawable=[])  # "singing outdoors on a foggy day"
        elif token.pos_ == "VERB" and lemma in lexicon.HOLD_VERBS and obj is not None and obj.lemma_.lower() not in lexicon.PERSON_NOUNS:
            # "tongs holding a bar": the holding word right after the thing that holds ("a fedora ..., holding an umbrella" is the man's)
            holder = token.head if token.dep_ == "acl" and token.head.pos_ == "NOUN" and right_after(token) and is_thing(token.head) else None
            holder = None if holder is not None and holder.lemma_.lower() in lexicon.CLOTHING_NOUNS else holder
            of = next((c for c in holder.children if c.dep_ == "prep" and c.lower_ == "of"), None) if holder is not None else None
            holder = _object(of) if of is not None and holder.lemma_.lower() in ("pair", "set") and _object(of) is not None else holder  # "a pair of tongs"
            gripping = holder is not None and graspable([holder]) and not is_place(holder) and holder.lemma_.lower() not in lexicon.PLACE_NOUNS
            holder = holder if gripping else None
            if holder is not None and not is_subject_mention(holder, own):  # "tongs holding a glowing bar of steel": in the tongs, not in hand
                chunk = [t for t in obj.subtree if t.dep_ != "poss" and not (t.i > obj.i and t.pos_ == "VERB")]
                chunk = chunk[: next((k for k, t in enumerate(chunk) if t.is_punct), len(chunk))]
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=f"{indefinite_np(chunk, as_text(chunk, replace=replace))} in the {holder.lower_}")
            else:
                _add_object(doc, obj, own, add, replace, them)
        elif (
            token.dep_ == "prep"
            and (
                token.lower_ not in ("into", "onto", "to", "toward", "towards", "from")
                or (token.lower_ == "into" and token.head.lemma_.lower() in USED_INTO_VERBS)
            )
            and obj is not None
            and noun_lemmas(obj) & lexicon.PROP_NOUNS
            and performed_by_subject(token.head, own)
        ):
            chunk = [t for t in obj.subtree if t.i <= obj.i and t.dep_ != "poss"]  # "flipping through an old book"
            # "typing on a laptop", "working at a lathe": in front of them, not in hand
            front = token.lower_ in ("on", "at", "over") or (token.lower_ == "into" and token.head.lemma_.lower() in VOICE_VERBS)  # "singing into a microphone"
            where = f"{indefinite_np(chunk, as_text(chunk, replace=replace))} in front of {them}" if front else None
            if token.lower_ == "on" and obj.lemma_.lower() in MOUNTS:  # "kickflips on a scuffed skateboard": on it, not before it
                where = f"on {indefinite_np(chunk, as_text(chunk, replace=replace))}"
            add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=where or f"{as_text(chunk, replace=replace)} in hand")
        elif token.dep_ == "prep" and (token.lower_ in lexicon.LOCATIVE_PREPS or next_to(token)) and obj is not None:
            _add_place(token, obj, own, add, replace)
        elif (token.tag_ == "VBN" and lemma in lexicon.DECOR_VERBS) or (
            token.tag_ == "JJ" and lemma.endswith("ed") and {lemma[:-1], lemma[:-2]} & lexicon.DECOR_VERBS
        ):
            target = next((c for c in token.children if c.dep_ in ("prep", "agent") and c.lower_ in ("with", "in", "by")), None)
            inner = _object(target) if target is not None else None
            if inner is not None and not (noun_lemmas(inner) & lexicon.CROWD_NOUNS) and inner.lemma_.lower() not in lexicon.PERSON_NOUNS:
                tokens = phrase_tokens(inner, stop_at_clause=True)
                if not renderable(tokens, own):  # "decorations, including illustrations of players": the decorations alone
                    tokens = [t for t in inner.subtree if t.i <= inner.i and t.dep_ != "poss"]
                # "A woman adorned with a flower crown": what she wears
                worn = (token.dep_ == "acl" and is_subject_mention(token.head, own)) or any(
                    c.dep_ in ("nsubj", "nsubjpass") and is_subject_mention(c, own) for c in token.children
                )
                # "a matching top, which is adorned with colorful patterns": said with the top it decorates
                garment = token.head if token.dep_ in ("relcl", "acl") and token.head.lemma_.lower() in lexicon.CLOTHING_NOUNS else None
                worn_by = next((p for p in found if garment is not None and p.key == f"attire:{garment.lemma_}" and p.text.endswith(garment.text)), None)
                if worn_by is not None and renderable(tokens, own) and not any(t.i in taken for t in tokens):
                    worn_by.text = f"{worn_by.text} {token.lower_} {target.lower_} {as_text(tokens, replace=replace)}"
                    taken.update(t.i for t in tokens)
                else:
                    add(ATTIRE if worn else DECOR, tokens, key=f"decor:{inner.lemma_}")
        elif (
            token.dep_ == "dobj"
            and token.pos_ in ("NOUN", "PROPN")
            and (is_thing(token) or noun_lemmas(token) & lexicon.APPEARANCE_NOUNS)
            and performed_by_subject(token.head, own)
            and token.head.lemma_.lower() not in lexicon.RESULT_VERBS
            and lemma not in lexicon.PLACE_NOUNS
        ):
            _add_object(doc, token, own, add, replace, them)
        elif token.dep_ == "dobj" and (lemma in lexicon.PLACE_NOUNS - lexicon.GENERIC_PLACE) and subjects_verb(token.head, own) and not perceives(token.head):
            chunk = next((c for c in doc.noun_chunks if c.start <= token.i < c.end), None)  # "climbed the icy ridge"
            if chunk is not None:
                rest = as_text([t for t in chunk if t.dep_ != "poss"], replace=replace)
                add(PLACE, list(chunk), key=f"place:{lemma}", text=f"{'on' if lemma in lexicon.SURFACE_NOUNS else 'in'} the {rest}")
        elif token.pos_ == "NOUN" and lemma in lexicon.LIGHT_NOUNS and (token.dep_ != "pobj" or token.head.lower_ not in lexicon.LOCATIVE_PREPS | {"with"}):
            chunk = next((c for c in doc.noun_chunks if c.start <= token.i < c.end), None)
            if chunk is not None:
                add(TIME_LIGHT, list(chunk), key=f"light:{lemma}", text=with_predicate(token, list(chunk), replace))
    sweep(doc, own, add, (LOOKS, ATTIRE, PROPS, DECOR))
    recall_phrases(doc, own, [p.text for p in found], add, (LOOKS, ATTIRE, PROPS, PLACE, TIME_LIGHT, DECOR), replace)
    texts = [p.text for p in found]
    gone = merge_restated(texts, [p.kind == PROPS for p in found])
    for p, text in zip(found, texts):
        p.kind, p.text = (PLACE if p.kind != PROPS and text != p.text else p.kind), text
    found = said_twice(gate(doc, own, [p for k, p in enumerate(found) if k not in gone]))
    return sorted(found, key=lambda p: (p.kind, p.position))


def _light_verb(token: Token) -> bool:
    """'streams', 'spills', 'pours' after a light ("sunlight streams in through ..."), tagged a noun."""
    after = token.i + 1 < len(token.doc) and token.nbor(1).pos_ in ("ADP", "PART", "ADV")
    light = token.nbor(-1).pos_ == "NOUN" and token.nbor(-1).lemma_.lower() in lexicon.LIGHT_NOUNS  # "light freckles": an adjective
    return token.pos_ == "NOUN" and token.lower_.endswith("s") and light and after


def _root_noun(tokens: Sequence[Token]) -> int:
    """The phrase's head noun: the noun whose own head lies outside it ("a pair of fine tweezers"
    → "pair"), else its last noun; -1 when it has none."""
    inside = {t.i for t in tokens}
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN")]
    root = next((t for t in nouns if t.head.i not in inside or t.head.i in (t.i, tokens[0].i)), None)  # "with the greenery of ...": greenery
    return root.i if root is not None else nouns[-1].i if nouns else -1


def _subject_with(doc, own, add) -> None:
    """'A middle-aged man with short, graying hair sits ...': everything between the subject's
    'with' and its verb is a look, however the parse attached it."""
    if own is not None:  # "An elderly man with deep wrinkles, a white handlebar mustache, ...": the parse's appositive is a look too
        looks = lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS
        for look in (c for c in own.root.children if c.dep_ == "appos" and c.i > own.end and c.lemma_.lower() in looks):
            add(LOOKS, [t for t in doc[look.left_edge.i : look.i + 1] if t.dep_ != "det"], key=f"attire:{look.lemma_}")
    if own is None or own.end >= len(doc) or doc[own.end].lower_ != "with" or own.root.dep_ not in ("nsubj", "nsubjpass"):
        return
    verb = own.root.head
    tokens = list(doc[own.end + 1 : verb.i]) if verb.i > own.end + 1 else []
    first_verb = next((k for k, t in enumerate(tokens) if t.pos_ == "VERB" and t.dep_ not in ("amod", "compound")), None)
    tokens = tokens[:first_verb] if first_verb is not None else tokens  # ", wearing a light blue dress": its own phrase
    while tokens and tokens[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "AUX", "PRON", "PART"):
        tokens.pop()
    if tokens and any(t.lemma_.lower() in lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS for t in tokens) and len(tokens) <= 14:
        add(LOOKS, tokens, key=f"attire:{tokens[-1].lemma_}")


def _age_and_facing(doc, own, add, replace) -> None:
    """'a man in his late 30s' → 'in his late 30s'; 'facing the camera' → a pose, though it names
    the camera."""
    for t in doc:
        obj = _object(t)
        if t.lower_ == "in" and obj is not None and re.fullmatch(r"(?:\d0s|twenties|thirties|forties|fifties|sixties|seventies)", obj.lower_):
            # "appears to be in her late fifties": the age is the subject's by its possessive
            if is_subject_mention(t.head, own) or any(c.tag_ == "PRP$" and is_subject_mention(c, own) for c in obj.children):
                add(LOOKS, phrase_tokens(t), key="age", text=as_text(phrase_tokens(t), replace=replace))
        elif t.lemma_.lower() == "face" and t.pos_ == "VERB" and obj is not None and performed_by_subject(t, own):
            tokens = [t, *obj.subtree]  # "faces the camera" is a pose too: said "facing the camera"
            text = "facing " + "".join((replace or {}).get(k.i, k.text) + k.whitespace_ for k in obj.subtree).strip()
            add(
                PLACE,
                tokens,
                key="facing",
                text=text,
                drawable=[k for k in obj.subtree if k.pos_ in ("NOUN", "PROPN") and k.lower_ not in lexicon.CAMERA_WORDS],
            )


# Travel verbs: "walking with a horse" is beside them, not in hand.
_TRAVEL = frozenset("walk run ride drive swim stroll wander hike jog march".split())
# Verbs whose "into X" uses X rather than puts something there: "sings into a microphone", "draws liquid into a pipette".
_OUT_OR_IN = frozenset("outdoors indoors outside underwater".split())


def _add_place(prep, noun, own, add, replace: dict[int, str] | None = None) -> None:
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
        target = _object(of) if of is not None else None
        if target is not None and target.pos_ in ("NOUN", "PROPN") and not attached_to_other_person(prep, own):
            head = prep.head
            posed = head.lemma_.lower() in lexicon.POSE_VERBS and head.tag_ in ("VBN", "VBG", "VBZ", "VBD", "VBP") and subjects_verb(head, own)
            word = f"{lexicon.POSE_PARTICIPLES.get(head.lemma_.lower(), head.lower_)} " if posed else ""  # "seated in front of a desk"
            add(PLACE, phrase_tokens(prep), key=f"place:{target.lemma_}", text=word + as_text(phrase_tokens(prep), replace=replace))
        return
    if noun.lemma_.lower() in lexicon.GENERIC_PLACE | {"room", "space", "area"} and not any(c.dep_ in ("amod", "compound") for c in noun.children):
        return  # "into the background", "through the room": no place named (the recall says the room the input names)
    if perceives(prep.head):
        return  # "looking up at the falling rain": seen, not a place
    head = prep.head.head if next_to(prep) else prep.head  # "standing next to an airplane"
    # "dressed in a lilac cardigan, seated at a table": the parse hangs the pose on the garment, but the wearer sits
    still = head.lemma_.lower() in ("sit", "seat", "kneel", "stand", "lie", "lean", "perch", "crouch", "squat", "recline")
    worn = still and head.dep_ == "acl" and head.tag_ in ("VBN", "VBG") and head.head.lemma_.lower() in lexicon.CLOTHING_NOUNS
    pose = head.lemma_.lower() in lexicon.POSE_VERBS and head.pos_ in ("VERB", "ADJ") and (subjects_verb(head, own) or worn)
    on_body = pose and prep.lower_ == "on" and noun.lemma_.lower() in ("back", "side", "stomach", "belly", "knee", "front")  # "floats on her back"
    if not (is_place(noun) or (pose and (is_thing(noun) or on_body))) or attached_to_other_person(prep, own):
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
        place = "on" if lemmas & lexicon.SURFACE_NOUNS else "by" if prep.lower_ in ("along", "past") else "in"
        the = "the " if noun.tag_ in ("NN", "NNP") or any(c.dep_ == "det" for c in noun.children) else ""
        text = f"{place} {the}{rest}" if rest else ""
    if pose and text:  # "sits at a wooden desk" → "sitting at a wooden desk"
        text = f"{lexicon.POSE_PARTICIPLES.get(head.lemma_.lower(), head.lower_)} {'next ' if next_to(prep) else ''}{text}"
    add(PLACE, tokens, key=f"place:{noun.lemma_.lower()}", text=text)


def _fixture_owner(prep, own):
    """Whose is a phrase on a fixture? None: the subject's (keep it as a place); False: no
    renderable owner (drop it); else the noun it says where ("shadows on the walls")."""
    head = prep.head
    if head.pos_ in ("NOUN", "PROPN"):
        if head.dep_ == "pobj" and head.lemma_.lower() in lexicon.BODY_NOUNS:
            return None  # "floating on her back in water": the pose's place
        return None if is_subject_mention(head, own) else head if is_thing(head) or head.lemma_.lower() in lexicon.BODY_NOUNS else False
    obj = _object(head)
    worked = obj is not None and obj.i < prep.i and is_thing(obj) and obj.lemma_.lower() not in lexicon.FIXTURE_NOUNS and prep.lower_ in ("on", "upon", "at")
    worked = worked and _object(prep) is not None and _object(prep).lemma_.lower() not in lexicon.SEAT_NOUNS
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
