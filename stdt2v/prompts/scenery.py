"""Other things and beings in the picture, said where they are: a clause or an absolute phrase
whose subject is not the person becomes a noun phrase with its place.

- "while gulls circle overhead" → "gulls overhead" (a motion verb goes, its place stays);
- "Laundry hangs from the balconies above" → "laundry hanging from the balconies above" (a
  verb of position stays, as a participle);
- "floodlights flaring behind him" → "floodlights behind him", "tools scattered on the floor"
  stays (a past participle is a state);
- "dust drifts through the warm air" → "dust in the warm air" (a path is where the thing is);
- "children cheer in the background" → "children in the background" (the sound goes, the
  people are seen); with no place ("as birds chirp") nothing, since the thing may be only heard.

Where a motion ends ("into the sea", "toward the door") or starts ("from the roof") is no place
of the first frame and is never said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import as_text, is_subject_mention, is_thing

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs of position: the thing is so in the first frame ("hanging", "lying"); a light or a motion verb goes.
STILL_VERBS = frozenset("hang dangle sit stand lie lean rest perch loom tower".split())
# Prepositions that say where a thing is in a still.
_WHERE = frozenset(
    "in at on inside near beside behind under by within atop amid amidst among amongst outside beneath underneath alongside above below".split()
    + "over around across along against next".split()
)
# A path crossed: the place it lies in ("drifts through the warm air" → "in the warm air").
_THROUGH = frozenset(("through", "thru"))
# Adverbs of place a still can show.
_PLACE_ADVERBS = frozenset("overhead above below nearby around behind beside outside ahead underneath beneath alongside everywhere".split())
_PARTICIPLES = {"lie": "lying", "hang": "hanging", "sit": "sitting", "stand": "standing"}


def participle(verb: Token) -> str:
    """'hangs' → 'hanging', 'lies' → 'lying' (the verb's own -ing form when it has one)."""
    if verb.tag_ in ("VBG", "VBN") or stative(verb):
        return verb.lower_
    lemma = verb.lemma_.lower()
    if lemma in _PARTICIPLES:
        return _PARTICIPLES[lemma]
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    return lemma + "ing"


def stative(verb: Token) -> bool:
    """A past participle ('covered'), or a past form set off after a comma with its own noun ('..., the sky
    streaked with pink'): an absolute phrase, whose '-ed' the tagger may read as a finite past."""
    if verb.tag_ == "VBN":
        return True
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    set_off = subject is not None and subject.left_edge.i > 0 and verb.doc[subject.left_edge.i - 1].text == ","
    return verb.tag_ == "VBD" and verb.lower_.endswith("ed") and set_off


def places_of(verb: Token, replace: dict[int, str] | None) -> list[tuple[list, str]]:
    """Each place phrase of ``verb`` a still can show, as (tokens, text), in the input's order."""
    out = []
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in _PLACE_ADVERBS and not any(k.dep_ == "prep" for k in c.children):
            out.append(([c], c.lower_))
            continue
        if c.dep_ == "advmod" and c.lower_ in _PLACE_ADVERBS:  # "next to the window", "outside of the shop"
            tokens = list(c.subtree)
            out.append((tokens, as_text(tokens, replace=replace)))
            continue
        state = stative(verb) and c.i == verb.i + 1  # "the sky streaked with pink", "a wall covered by ivy": what the state is made of
        if c.dep_ not in ("prep", "agent") or (c.dep_ == "agent" and not state) or not any(k.dep_ in ("pobj", "pcomp") for k in c.children):
            continue
        word = c.lower_
        still = verb.lemma_.lower() in STILL_VERBS or verb.tag_ == "VBN"
        if word not in _WHERE | _THROUGH and not (word == "from" and still) and not (state and word in ("with", "by")):
            continue  # "into the sea", "toward the door", "from the roof": where a motion ends or starts
        tokens = [
            t for t in c.subtree if t.dep_ not in ("relcl", "acl") and not any(a.dep_ in ("relcl", "acl") and a.i > c.i for a in t.ancestors if a in c.subtree)
        ]
        tokens = _before_clause(tokens)
        if len(tokens) < 2 or any(t.tag_ in ("WDT", "WP", "WRB") for t in tokens):
            continue  # "in which ...": a clause, not a place
        text = as_text(tokens, replace=replace)
        out.append((tokens, f"in {text.split(' ', 1)[1]}" if word in _THROUGH else text))
    return sorted(out, key=lambda p: p[0][0].i)


def _before_clause(tokens: list) -> list:
    """The phrase up to a comma or a verb that opens another clause."""
    out = []
    for t in sorted(tokens, key=lambda t: t.i):
        if t.text in (",", ";") or (t.pos_ == "VERB" and t.tag_ != "VBN" and out and out[-1].pos_ != "DET"):
            break
        out.append(t)
    while out and out[-1].pos_ in ("ADP", "CCONJ", "DET", "PUNCT"):
        out.pop()
    return out


def thing_where(noun: Token, verb: Token, thing: list, replace: dict[int, str] | None, need_place: bool = False) -> tuple[list, str] | None:
    """(tokens, text) for ``thing`` (the noun's own words), said with ``verb``'s place phrases:
    a verb of position or a past participle kept, a motion or a sound left out. None when
    ``need_place`` and the verb gives no place."""
    if any(c.dep_ == "compound" and c.tag_ == "NNS" for c in noun.children):
        return None  # "neon signs buzz": a verb the parse took for the noun
    # "a lamp casting long shadows on the wall": the place is the object's, not the thing's
    places = [] if any(c.dep_ == "dobj" for c in verb.children) else places_of(verb, replace)
    if noun.lemma_.lower() in lexicon.LIGHT_NOUNS:  # "light falls through the window": the light's own rules say where it falls
        places = [p for p in places if p[0][0].lower_ not in _THROUGH]
    if not places and need_place:
        return None
    said = as_text(thing, replace=replace)
    if thing[0].is_sent_start and not thing[0].ent_type_ and not thing[0].text.isupper():
        said = said[:1].lower() + said[1:]  # "Laundry hangs ...": the capital is the sentence's, not a name's
    if not places:
        return thing, said
    still = verb.lemma_.lower() in STILL_VERBS or (stative(verb) and not any(c.dep_ == "auxpass" for c in verb.children))
    lead = f" {participle(verb)}" if still else ""
    tokens = list(thing) + [t for toks, _ in places for t in toks]
    return tokens, f"{said}{lead} {' '.join(text for _, text in places)}"


def absolute_things(doc, own, add, kind: int, replace: dict[int, str] | None) -> None:
    """'..., floodlights flaring behind him', '..., lanterns glowing along the path': a noun with its
    own participle right after it, set off from the subject's clause (the parse makes it an
    appositive or a conjunct with an 'acl' verb)."""
    for verb in doc:
        noun = verb.head
        if verb.dep_ != "acl" or verb.tag_ not in ("VBG", "VBN") or verb.i != noun.i + 1 or noun.pos_ != "NOUN":
            continue
        plural = noun.tag_ == "NNS" and own is not None and own.root.tag_ == "NN"  # "a woman reads, pigeons pecking ...": not her appositive
        agent = noun.lemma_.lower() in lexicon.PERSON_NOUNS | lexicon.ROLE_NOUNS  # "a welder": a role
        thing = is_thing(noun) and not agent  # "a folded newspaper lying beside him": a thing is no appositive of a person
        if noun.dep_ not in ("appos", "conj", "npadvmod", "dep", "ROOT", "nsubj") or (is_subject_mention(noun, own) and not plural and not thing):
            continue
        if any(c.dep_ == "poss" for c in noun.children) or noun.lemma_.lower() in lexicon.BODY_NOUNS | lexicon.APPEARANCE_NOUNS:
            continue  # "his breath fogging", "hair blowing": the person's own, a look's rules say it
        joined = own is not None and noun.dep_ == "conj" and noun.head.i == own.root.i  # the parse may join the garment to the person
        if joined or any(a.dep_ == "prep" and (is_subject_mention(a.head, own) or (own is not None and a.head.i == own.root.i)) for a in noun.ancestors):
            continue  # "a man in a coat and a felt fedora walking along ...": the person's attire, and the person walks
        thing = [t for t in noun.subtree if t.i <= noun.i and t.dep_ not in ("poss", "cc", "punct") and not (t.dep_ == "det" and t.lower_ == "the")]
        if noun.dep_ == "conj" or not thing:
            thing = [t for t in doc[noun.left_edge.i : noun.i + 1] if t.dep_ in ("det", "amod", "compound", "nummod") or t.i == noun.i]
        found = thing_where(noun, verb, thing, replace, need_place=True)
        if found is not None:
            add(kind, found[0], f"decor:{noun.lemma_.lower()}", found[1])


def listed_tags(doc, own, said: list[str], add, kind: int, replace: dict[int, str] | None) -> None:
    """'teenage girl, skateboard, empty parking lot, sunset, lens flare': a sentence that is a comma
    list of short verbless tags names one visible thing a tag, whatever the parse made of it; each
    tag not said yet is kept in its own words."""
    named = " | ".join(said).lower()
    for sent in doc.sents:
        tags, current = [], []
        for t in sent:
            if t.text in (",", ";", ".", "!", "?"):
                tags, current = tags + ([current] if current else []), []
            else:
                current.append(t)
        tags += [current] if current else []
        verbless = all(t.tag_ not in ("VBZ", "VBD", "VBP", "MD") and t.pos_ not in ("PRON", "AUX") for tag in tags for t in tag)
        if len(tags) < 4 or not verbless or any(len(tag) > 5 for tag in tags):
            continue
        for tag in tags:
            words = [t for t in tag if t.pos_ not in ("DET", "CCONJ")]
            if not words or (own is not None and any(own.start <= t.i < own.end for t in words)):
                continue
            text = as_text(words, replace=replace)
            if text.lower() in named or any(w.lemma_.lower() in lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON for w in words):
                continue
            add(kind, words, f"tag:{words[-1].i}", text)
