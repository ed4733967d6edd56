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
from stdt2v.prompts.absolute import set_off_things
from stdt2v.prompts.agency import next_to, perceives, performed_by_subject, subjects_verb
from stdt2v.prompts.ambient import light_paths, light_words, place_items, weather_and_time
from stdt2v.prompts.belongs import BY_IT, USED_INTO_VERBS, VOICE_VERBS, garment_worked, other_wearer, placed, tool_on_a_part, worn_by_person
from stdt2v.prompts.clausecut import clause_start, cut_clauses, join_repeats
from stdt2v.prompts.firstact import HAND_VERBS, add_held, add_poses, poured_stuff
from stdt2v.prompts.firstframe import first_frame_end, garment_verb, gate
from stdt2v.prompts.grammar import has_subject, indefinite
from stdt2v.prompts.handled import hand_on, held_before_put, held_of_list, moved_by_hand, other_hand, own_garment, said_with_article, set_down, where_put
from stdt2v.prompts.held import MOUNTS, carried, mounted, right_after, said_twice
from stdt2v.prompts.leftover import in_which_hand, noun_in_ing, participle_look, tended
from stdt2v.prompts.lookslist import subject_look_list
from stdt2v.prompts.mend import surface_list, tidy_commas, where_from, with_predicate
from stdt2v.prompts.phrase import ATTIRE, DECOR, LOOKS, PLACE, PROPS, TIME_LIGHT, Phrase
from stdt2v.prompts.phrasing import attire_from_verb, indefinite_np, object_of, phrase_tokens, renderable
from stdt2v.prompts.places import add_place
from stdt2v.prompts.recall import complete, dangling_text, merge_restated, names_a_part, recall_phrases
from stdt2v.prompts.scene import scene_phrases
from stdt2v.prompts.scenery import listed_tags
from stdt2v.prompts.stillmend import mend_still
from stdt2v.prompts.sweep import sweep
from stdt2v.prompts.tooluse import doer, in_hand, instrument
from stdt2v.prompts.words import as_text, graspable, is_motion_word, is_place, is_subject_mention, is_thing, looks_like_verb, noun_lemmas

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["as_text", "is_motion_word", "looks_like_verb", "noun_lemmas", "static_phrases"]


def _addobject_of(doc, noun, own, add, replace, them: str = "them") -> None:
    """The object of the subject's action, as the first frame shows it: "playing an acoustic
    guitar" → "acoustic guitar in hand", "riding a vintage motorcycle" → "on a vintage
    motorcycle", "carves a pumpkin" → "pumpkin"; a look when it is one ("trimming beard")."""
    verb = noun.head.lemma_.lower()
    chunk = next((c for c in doc.noun_chunks if c.start <= noun.i < c.end), None)
    tokens = [t for t in (chunk if chunk is not None else [noun]) if t.dep_ != "poss"]
    if not tokens or tokens[-1].i != noun.i or poured_stuff(noun):  # "pours coffee from a clay pot": the pot in hand says it
        return
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None and object_of(of) is not None and is_thing(object_of(of)):  # "a cup of coffee"
        tokens += [t for t in phrase_tokens(of)]
    elif (listed := _listed_after(noun)) is not None:  # "apply foundation, concealer, and blush": the whole list
        tokens += listed
    text = as_text(tokens, replace=replace)
    head = noun.head
    participle = head.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in head.children)  # "and tanned skin": no verb
    if head.i == noun.i - 1 and head.tag_ in ("VBD", "VBN") and (not has_subject(head) or participle):
        text = f"{head.text} {text}"  # "focused gaze": the participle the parse took for a verb
    lemmas = noun_lemmas(noun)
    held_garment = lemmas & lexicon.CLOTHING_NOUNS and (verb in lexicon.HOLD_VERBS or garment_worked(noun, _FASTENING))  # "carrying her sandals": held
    if (lemmas & lexicon.APPEARANCE_NOUNS or lemmas & lexicon.CLOTHING_NOUNS) and not held_garment:
        acted_on = any(c.dep_ == "poss" for c in noun.children) and verb not in lexicon.LOOK_VERBS
        if lemmas & lexicon.APPEARANCE_NOUNS and (acted_on or verb in ("draw", "paint", "sketch")):
            return  # "wiping his brow", "draws a face": an action on the body or a drawing, not a look
        add(LOOKS, tokens, key=f"attire:{noun.lemma_}", text=text)
    elif (source := where_from(noun, replace)) is not None:  # "draws the sword from his waist": the sword at his waist
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{indefinite_np(tokens, text)} {source}")
    elif verb in lexicon.RIDE_VERBS:
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"on {indefinite(text) if noun.tag_ == 'NN' else text}")
    elif noun.i < first_frame_end(doc, own) and (where := where_put(noun, own, replace)) is not None:  # "arranged the flowers in a vase" → "flowers in a vase"
        add(PROPS, tokens + where[0], key=f"prop:{noun.lemma_}", text=f"{said_with_article(tokens, noun, text)} {where[1]}")
    elif verb in lexicon.WORKED_ON_VERBS:  # "carves a pumpkin": on the table, not in hand
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{indefinite_np(tokens, text)} in front of {them}")
    elif verb in lexicon.HANDLING_VERBS | lexicon.HOLD_VERBS and (hand := in_which_hand(noun.head, replace)) is not None:
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{indefinite_np(tokens, text)} {hand}")  # "carried a lamp in one hand": the input's words
        if (second := other_hand(noun.head, replace)) is not None:  # "... and a tin of red paint in the other"
            add(PROPS, second[0], key=f"prop:{second[0][-1].lemma_}", text=second[1])
    elif (verb in HAND_VERBS or lemmas & lexicon.PROP_NOUNS) and " hand" not in text:
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=in_hand(noun, tokens, indefinite_np(tokens, text)))  # "a walking stick" stays a noun
    elif (on := hand_on(noun, tokens, replace)) is not None:  # "spins the rear wheel with one hand"
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=on)
    elif (lifted := moved_by_hand(noun, tokens)) or held_before_put(noun, tokens):
        said = said_with_article(tokens, noun, text)  # "turns a steel pipe", "presses seedlings into the mud": in the hands first
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"holding {said}" if lifted else f"{said} in hand")
    elif [t for t in tokens if t.dep_ != "det"] == [noun] and perceives(noun.head):
        return  # "checks her reflection": seen, and nothing said of it
    else:  # "grooming a horse" → "a horse nearby", "washes dishes" → "dishes nearby": a bare noun alone is a fragment
        if own_garment(noun, own):
            return  # "ties her sneaker": worn, said with the clothing
        owned = any(c.dep_ == "poss" for c in noun.children)  # "fired up his wok": a bare noun once 'his' goes
        if owned and verb in _FASTENING:
            return  # "ties her sneaker": worn, not beside her ("a sneaker nearby")
        bare = [t for t in tokens if t.dep_ != "det"] == [noun] and (noun.tag_ == "NNS" or tokens[0].dep_ == "det" or owned)
        if bare and any(c.dep_ == "prep" and c.lower_ == "with" for c in noun.head.children):
            return  # "tightens a bolt with a wrench": the tool in hand says it; "a bolt nearby" says nothing
        near = f"around {them}" if tended(noun) else "nearby"  # "feeds the pigeons": around him
        said = indefinite(text) if owned and noun.tag_ == "NN" else indefinite_np(tokens, text)
        add(PROPS, tokens, key=f"prop:{noun.lemma_}", text=f"{said} {near}" if bare else said_with_article(tokens, noun, text))  # "a length of fabric"


def _listed_after(noun) -> list | None:
    """The things listed after ``noun`` as its conjuncts, when only a plain list of noun phrases
    lies between: "foundation, concealer, and blush" → ", concealer, and blush"."""
    things = [c for c in noun.conjuncts if c.i > noun.i and is_thing(c)]
    if not things:
        return None
    span = list(noun.doc[noun.i + 1 : max(t.i for t in things) + 1])
    plain = all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "CCONJ") or t.text in (",", "-") for t in span)
    return span if plain and len(span) <= 12 else None


# Travel verbs: "walking with a horse" is beside them, not in hand.
_TRAVEL = frozenset("walk run ride drive swim stroll wander hike jog march".split())
# Verbs that fasten or set right what one wears (a closed class): their owned object is worn.
_FASTENING = frozenset("tie untie lace unlace button unbutton zip unzip buckle unbuckle fasten adjust tuck straighten".split())
# Adverbs that are the place: "singing outdoors on a foggy day".
_OUT_OR_IN = frozenset("outdoors indoors outside underwater".split())


def static_phrases(doc: Doc, own: Span | None, replace: dict[int, str] | None = None, them: str = "them") -> list[Phrase]:
    """Every renderable static phrase of the prompt, each thing once; ``replace``: words to
    swap (pronouns that agree with the subject); ``them``: the subject's object pronoun."""
    found: list[Phrase] = []
    taken: set[int] = set()

    def add(kind: int, tokens: Sequence[Token], key: str, text: str | None = None, drawable: list[Token] | None = None, whole: bool = False) -> None:
        """``drawable``: the tokens that must be renderable, when not all are (a look's state verb);
        ``whole``: the caller cut the phrase on the words, so the parse's reading of its end is not asked."""
        trimmed = len(tokens) > 1 and _light_verb(tokens[-1]) and (text is None or text.rstrip().endswith(" " + tokens[-1].text))
        if trimmed:
            verb, tokens = tokens[-1].text, list(tokens[:-1])  # "warm afternoon light | streams in": the verb the tagger took for a noun goes
            text = text.rstrip()[: -len(verb)].rstrip() if text is not None else None
        check = drawable if drawable is not None else tokens  # an empty ``drawable``: nothing in it to draw or refuse
        if not tokens or (check and not renderable(check, own)) or any(t.i in taken for t in tokens):
            return
        # "young man": the subject itself (or another person), never an item of the list
        person = tokens[-1].lemma_.lower() in lexicon.PLAIN_PERSON or (own is not None and tokens[-1].i == own.root.i)  # "old fisherman": the role again
        if person or any(p.key == key for p in found) or any(t.lemma_.lower() == "expression" and t.tag_ == "NNS" for t in tokens):
            return  # "animated expressions": they change, and a still shows one
        own_words = text is None or text.rstrip(" ,").endswith(tokens[-1].text)
        text = tidy_commas(text if text is not None else as_text(tokens, replace=replace), tokens)
        text = re.sub(r"\s*,(?:\s*,)+", ",", text)  # "chef,, ...": a doubled comma from a cut phrase
        if re.fullmatch(r"(?:left|right) \w+", text):
            return  # "pressed to his right eye" → "right eye": a body part named by its side is where something is, not a look
        if dangling_text(text) or names_a_part(text) or (own_words and not trimmed and not whole and not complete(tokens)):
            return  # a fragment ("as he carefully", "natural skin" of "natural skin texture"): the recall says that chunk whole
        if not text or len(text) < 3 or (text.endswith((" in hand", " nearby")) and not graspable(tokens)):
            return
        noun = key.rpartition(":")[2]  # "a faint smile graces her lips": a look, wherever the rule found it
        kind = LOOKS if kind > PROPS and noun in lexicon.APPEARANCE_NOUNS else ATTIRE if kind > PROPS and noun in lexicon.CLOTHING_NOUNS else kind
        taken.update(t.i for t in tokens)
        found.append(Phrase(kind, tokens[0].i, text, key, max(t.i for t in tokens), _root_noun(tokens)))

    subject_look_list(own, add, LOOKS, replace)  # first: the parse of such a list is often wrong, and its words are the surest
    _subject_with(doc, own, add)
    _age_and_facing(doc, own, add, replace)
    carried(doc, own, add, replace)
    mounted(doc, own, add)
    set_off_things(doc, own, add, PROPS, replace)  # "..., his open case at his feet": before the parse's reading of it
    cut = first_frame_end(doc, own)
    light_paths(doc, own, cut, add, TIME_LIGHT, replace)  # "as late-morning sun slants through a dusty window": the light and where it falls
    weather_and_time(doc, own, cut, add, TIME_LIGHT, replace)  # "blurred by light snowfall", "typical of an overcast winter afternoon"
    add_poses(doc, own, cut, add, replace)  # "A man squats beside ...": the pose the place rules miss
    scene_phrases(doc, own, add, (LOOKS, PLACE, DECOR), replace)
    for token in doc:
        if own is not None and own.start <= token.i < own.end:
            continue
        lemma = token.lemma_.lower()
        obj = object_of(token)
        if token.pos_ == "VERB" and lemma in lexicon.DRESSING_VERBS and not other_wearer(token, own):
            tokens = attire_from_verb(token)
            if tokens and (all(t.pos_ == "ADJ" for t in tokens) or (len(tokens) == 1 and tokens[0].lower_ in lexicon.COLORS)):  # "dressed in black"
                add(ATTIRE, tokens, key=f"attire:{tokens[-1].lemma_}", text=f"dressed in {as_text(tokens)}")
            elif tokens:
                listed = surface_list(tokens)  # the parse may have cut the list ("hiking boots" as a verb)
                drawable = [t for t in listed if not (t.tag_ == "VBG" and t.i > tokens[-1].i)]
                add(ATTIRE, listed, key=f"attire:{tokens[-1].lemma_}", drawable=drawable)
        elif token.dep_ in ("prep", "conj") and token.pos_ == "ADP" and token.lower_ in ("with", "in") and obj is not None and not other_wearer(token, own):
            before = obj.nbor(-1) if obj.i > 0 else obj
            if clause_start(obj) and before.dep_ == "compound" and before.head.i == obj.i:
                obj = before  # "in a white kaftan hums along": the garment, not the verb the parse made its head
            lemmas = noun_lemmas(obj)
            kind = ATTIRE if lemmas & lexicon.CLOTHING_NOUNS else LOOKS if lemmas & lexicon.APPEARANCE_NOUNS else None
            kind = ATTIRE if kind is None and worn_by_person(token, obj, own) else kind
            if kind is not None:
                tokens = phrase_tokens(token)
                # "in yellow rain boots | stomps in a muddy puddle": the phrase ends where the parse took a verb into it
                verb = next((t for t in tokens[2:] if t.tag_ in ("VBZ", "VBD") and t.i > obj.i - 1 and t.dep_ == "pobj"), None) or garment_verb(tokens)
                verb = verb or next((t for t in tokens[2:] if t.i > obj.i and clause_start(t)), None)  # "a white kaftan | hums along"
                tokens = [t for t in tokens if verb is None or t.i < verb.i]
                cut_motion = tokens and tokens[-1].dep_ == "compound" and tokens[-1].head.lemma_.lower() in lexicon.MOTION_NOUNS
                if not cut_motion:  # "their hand | gestures": the phrase was cut before its own noun
                    add(kind, tokens[1:], key=f"attire:{obj.lemma_}")
                continue
            head_is_place = token.head.lemma_.lower() in lexicon.PLACE_NOUNS
            if token.lower_ == "with" and (put := set_down(obj, replace) or (None if instrument(token) else placed(obj, replace))) is not None:
                add(PROPS, put[0], key=f"prop:{obj.lemma_}", text=put[1])  # "with a guitar case at his feet": where it is, not in hand
                continue
            if token.lower_ == "with" and tool_on_a_part(token, obj, own):  # "listens to the calf's chest with a stethoscope"
                chunk = [t for t in obj.subtree if t.i <= obj.i and t.dep_ != "poss"]
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=f"{as_text(chunk, replace=replace)} in hand")
                continue
            worn_with = token.head.lemma_.lower() in lexicon.DRESSING_VERBS and obj.lemma_.lower() not in lexicon.MASS_NOUNS  # "with dirt on jeans": not worn
            if token.lower_ == "with" and worn_with and is_thing(obj):  # "wears a top with long sleeves": worn
                add(ATTIRE, [t for t in phrase_tokens(obj) if not (t.dep_ == "poss" and t.head.i == obj.i)], key=f"attire:{obj.lemma_}")
                continue
            if lemmas & lexicon.PROP_NOUNS and not head_is_place and (token.lower_ == "with" or token.head.pos_ in ("VERB", "ADJ")):
                for part, said, held in held_of_list(obj, replace):  # "with a flock of goats and a wooden staff"
                    add(PROPS if held else DECOR, part, key=f"{'prop' if held else 'decor'}:{part[-1].lemma_}", text=said)
                chunk = [t for t in phrase_tokens(obj) if t.dep_ != "poss"]
                held = as_text(chunk)
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=held if " hand" in held else f"{held} in hand")
                continue
            if token.lower_ == "with" and lemmas & lexicon.DECOR_NOUNS:
                add(DECOR, phrase_tokens(token)[1:], key=f"decor:{obj.lemma_}")
                continue
            agent_noun = doer(obj)  # "local diners": people
            if token.lower_ == "with" and is_thing(obj) and not is_place(obj) and not agent_noun and performed_by_subject(token.head, own):
                chunk = [t for t in phrase_tokens(obj) if not (t.dep_ == "poss" and t.head.i == obj.i)]  # "with dirt on his jeans"
                # "with a wooden needle on the dock": a tool's place is where the subject works
                at = ("in", "at", "on", "by", "beside", "near") if instrument(token) else ("in", "at")
                where = next((object_of(c) for c in obj.children if c.dep_ == "prep" and c.lower_ in at and object_of(c) is not None), None)
                if where is not None and where.lemma_.lower() not in lexicon.BODY_NOUNS:
                    chunk = [t for t in chunk if t.i <= obj.i]  # "with a stethoscope in a bright clinic": the clinic is where they are
                # "walking with horse": a bare noun is a fragment, said with its article and where it is
                bare = obj.tag_ == "NN" and not any(c.dep_ in ("det", "amod", "compound", "nummod", "poss") for c in obj.children)
                if bare and chunk == [obj] and token.head.lemma_.lower() not in _TRAVEL:
                    continue  # "shrieking with delight", "works with care": a bare noun after 'with' says how, not what is there
                text = f"{indefinite(obj.lower_)} beside {them}" if bare and chunk == [obj] else None
                # "lifts noodles with his chopsticks": the tool of a hand's action is in hand
                tool = text is None and token.head.lemma_.lower() not in _TRAVEL and graspable(chunk) and noun_lemmas(obj).isdisjoint(lexicon.MASS_NOUNS)
                text = f"{as_text(chunk, replace=replace)} in hand" if tool and token.head.pos_ == "VERB" and obj.i == chunk[-1].i else text
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=text)
                continue
            add_place(token, obj, own, add, replace)
        elif token.lower_ in _OUT_OR_IN and token.dep_ == "advmod" and performed_by_subject(token.head, own):
            add(PLACE, [token], key="place:outdoors", text=token.lower_, drawable=[])  # "singing outdoors on a foggy day"
        elif token.pos_ == "VERB" and lemma in lexicon.HOLD_VERBS and obj is not None and obj.lemma_.lower() not in lexicon.PERSON_NOUNS:
            # "tongs holding a bar": the holding word right after the thing that holds ("a fedora ..., holding an umbrella" is the man's)
            holder = token.head if token.dep_ == "acl" and token.head.pos_ == "NOUN" and right_after(token) and is_thing(token.head) else None
            holder = None if holder is not None and holder.lemma_.lower() in lexicon.CLOTHING_NOUNS else holder
            of = next((c for c in holder.children if c.dep_ == "prep" and c.lower_ == "of"), None) if holder is not None else None
            holder = object_of(of) if of is not None and holder.lemma_.lower() in ("pair", "set") and object_of(of) is not None else holder  # "a pair of tongs"
            gripping = holder is not None and graspable([holder]) and not is_place(holder) and holder.lemma_.lower() not in lexicon.PLACE_NOUNS
            holder = holder if gripping else None
            if holder is not None and not is_subject_mention(holder, own):  # "tongs holding a glowing bar of steel": in the tongs, not in hand
                chunk = [t for t in obj.subtree if t.dep_ != "poss" and not (t.i > obj.i and t.pos_ == "VERB")]
                chunk = chunk[: next((k for k, t in enumerate(chunk) if t.is_punct), len(chunk))]
                add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=f"{indefinite_np(chunk, as_text(chunk, replace=replace))} in the {holder.lower_}")
            else:
                _addobject_of(doc, obj, own, add, replace, them)
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
            elif token.lower_ in BY_IT:  # "stands beneath a red lantern": where they are, in the input's words
                where = as_text([token, *chunk], replace=replace)
            elif perceives(token.head):  # "checks the fit in a small mirror": looked into, not held
                where = as_text(chunk, replace=replace)
            add(PROPS, chunk, key=f"prop:{obj.lemma_}", text=where or f"{as_text(chunk, replace=replace)} in hand")
        elif token.dep_ == "prep" and (token.lower_ in lexicon.LOCATIVE_PREPS or next_to(token)) and obj is not None:
            add_place(token, obj, own, add, replace)
        elif (token.tag_ == "VBN" and lemma in lexicon.DECOR_VERBS) or (
            token.tag_ == "JJ" and lemma.endswith("ed") and {lemma[:-1], lemma[:-2]} & lexicon.DECOR_VERBS
        ):
            target = next((c for c in token.children if c.dep_ in ("prep", "agent") and c.lower_ in ("with", "in", "by")), None)
            inner = object_of(target) if target is not None else None
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
        elif participle_look(token):  # "..., and tanned skin": the parse's verb is the look's adjective
            add(LOOKS, [token.head, token], key=f"attire:{token.lemma_}", text=f"{token.head.lower_} {token.text}")
        elif (
            token.dep_ == "dobj"
            and token.pos_ in ("NOUN", "PROPN")
            and (is_thing(token) or noun_lemmas(token) & lexicon.APPEARANCE_NOUNS)
            and performed_by_subject(token.head, own)
            and token.head.lemma_.lower() not in lexicon.RESULT_VERBS
            and lemma not in lexicon.PLACE_NOUNS
        ):
            _addobject_of(doc, token, own, add, replace, them)
        elif token.dep_ == "dobj" and (lemma in lexicon.PLACE_NOUNS - lexicon.GENERIC_PLACE) and subjects_verb(token.head, own) and not perceives(token.head):
            chunk = next((c for c in doc.noun_chunks if c.start <= token.i < c.end), None)  # "climbed the icy ridge"
            if chunk is not None:
                rest = as_text([t for t in chunk if t.dep_ != "poss"], replace=replace)
                article = next((t.lower_ for t in chunk if t.dep_ == "det" and t.lower_ in ("a", "an")), "the")  # "sleds down a steep hill"
                add(PLACE, list(chunk), key=f"place:{lemma}", text=f"{'on' if lemma in lexicon.SURFACE_NOUNS else 'in'} {article} {rest}")
        elif token.pos_ == "NOUN" and lemma in lexicon.LIGHT_NOUNS and (token.dep_ != "pobj" or token.head.lower_ not in lexicon.LOCATIVE_PREPS | {"with"}):
            chunk = light_words(token)  # "…, warm furnace glow.": no chunk; "Slow dolly, soft window light": the light's words alone
            add(TIME_LIGHT, chunk, key=f"light:{lemma}", text=with_predicate(token, chunk, replace))
    place_items(doc, own, add, PLACE, replace)  # "..., sparks flying, shipyard at night": a place set off as an item
    add_held(doc, own, cut, add, replace, them)  # the first action's tool, where the rules above found none
    sweep(doc, own, add, (LOOKS, ATTIRE, PROPS, DECOR))
    recall_phrases(doc, own, [p.text for p in found], add, (LOOKS, ATTIRE, PROPS, PLACE, TIME_LIGHT, DECOR), replace)
    listed_tags(doc, own, [p.text for p in found], add, DECOR, replace)  # "teenage girl, skateboard, empty parking lot": each tag a thing
    texts = [p.text for p in found]
    gone = merge_restated(texts, [p.kind == PROPS for p in found])
    for p, text in zip(found, texts):
        p.kind, p.text = (PLACE if p.kind != PROPS and text != p.text else p.kind), text
    gated = gate(doc, own, [p for k, p in enumerate(found) if k not in gone])
    # a look of the subject's 'with' list is cut before its clauses already ("beard flecked with gray" keeps its participle)
    # (the cut may split a phrase into new ones: "jeans and grips a bat" → "jeans", "a bat in hand")
    found = said_twice(join_repeats([*cut_clauses(doc, [p for p in gated if not p.key.startswith("look:")]), *(p for p in gated if p.key.startswith("look:"))]))
    found = mend_still(doc, own, found)  # whole noun phrases, no motion: the input's words where a cut fell inside one
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
    first_verb = next((k for k, t in enumerate(tokens) if t.pos_ == "VERB" and t.dep_ not in ("amod", "compound") and not noun_in_ing(t)), None)
    tokens = tokens[:first_verb] if first_verb is not None else tokens  # ", wearing a light blue dress": its own phrase
    while tokens and tokens[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "AUX", "PRON", "PART"):
        tokens.pop()
    if tokens and any(t.lemma_.lower() in lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS for t in tokens) and len(tokens) <= 14:
        add(LOOKS, tokens, key=f"attire:{tokens[-1].lemma_}")


_DECADES = re.compile(r"\d0s|twenties|thirties|forties|fifties|sixties|seventies")


def _age_and_facing(doc, own, add, replace) -> None:
    """'a man in his late 30s' → 'in his late 30s'; 'facing the camera' → a pose, though it names
    the camera."""
    for t in doc:
        obj = object_of(t)
        obj = next((c for c in t.children if c.dep_ == "pobj" and _DECADES.fullmatch(c.lower_)), obj)  # "mid-twenties": three tokens
        if t.lower_ == "in" and obj is not None and re.fullmatch(r"(?:\d0s|twenties|thirties|forties|fifties|sixties|seventies)", obj.lower_):
            # "appears to be in her late fifties": the age is the subject's by its possessive
            if is_subject_mention(t.head, own) or any(c.tag_ == "PRP$" and is_subject_mention(c, own) for c in obj.children):
                tokens = phrase_tokens(t)
                aged = tokens[: next((n for n, k in enumerate(tokens) if k.lower_ == "with"), len(tokens))]  # "in his thirties with brown skin": the age alone
                add(LOOKS, aged, key="age", text=as_text(aged, replace=replace))
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
