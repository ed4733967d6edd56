"""Past participles that describe a noun and are no verb of the story ("a bald head ringed by
grey curls", "freckled pale skin", "while caught in traffic", "hair tucked behind one ear"):
the small parser may make them a sentence's root, and the tense rewrite must leave them alone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

_MARKS = frozenset("while when whenever if once though although until unless".split())
_LOOKS = lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS | lexicon.BODY_NOUNS | {"braids", "crown", "sleeve", "sleeves", "hood", "collar"}


def _past(t: Token) -> bool:
    return t.tag_ in ("VBN", "VBD") and not any(c.dep_ in ("aux", "auxpass") for c in t.children)


def _subject_before(t: Token) -> bool:
    """A noun or pronoun subject right before the verb ('she tied', 'the rope tied'): a finite verb."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.right_edge.i == t.i - 1 and c.pos_ == "PRON" for c in t.children)


def describing_participle(t: Token) -> bool:
    """A past form that describes a noun: keep its form."""
    if after_object(t):
        return True
    if not _past(t) or _subject_before(t):
        return False
    return _with_agent(t) or _marked(t) or _adjective_in_list(t) or _after_its_noun(t) or _look_participle(t) or _after_article(t)


def after_object(verb: Token) -> bool:
    """'beside an old bicycle turned upside down', 'a boat pulled onto the sand': a past form right
    after the object of a preposition or verb, with no subject and no object of its own, describes
    that noun (a passive participle); it is no verb of the story."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBN") or verb.i == 0 or any(c.dep_ in _OWN_ACTION or _purpose(c, verb) for c in verb.children):
        return False
    noun = doc[verb.i - 1]
    if verb.pos_ != "VERB" or noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ not in ("pobj", "dobj"):
        return False
    # "beside a bicycle": a place or object of a verb; never "as a shower of sparks sprayed", a noun phrase's 'of'
    if noun.dep_ == "pobj" and (noun.head.lower_ == "of" or noun.head.head.pos_ not in ("VERB", "AUX")):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    # "A man crouching beside a bicycle turned upside down": the parse may give it the person as subject
    # across the person's own participle phrase, which the noun before it belongs to
    return subject is None or any(a.tag_ == "VBG" and subject.i < a.i < noun.i for a in noun.ancestors)


_OWN_ACTION = frozenset(("nsubjpass", "dobj", "aux", "auxpass", "xcomp", "ccomp", "cc", "conj"))


def _purpose(child: Token, verb: Token) -> bool:
    """'turned to look at the street': an infinitive after the verb makes it the person's action."""
    return child.pos_ == "VERB" and child.i > verb.i and any(k.dep_ == "aux" and k.lower_ == "to" for k in child.children)


def _after_article(t: Token) -> bool:
    """'a faded tattoo', 'her cropped hair': a past form between an article or possessive and a noun."""
    doc = t.doc
    if not 0 < t.i < len(doc) - 1 or doc[t.i - 1].tag_ not in ("DT", "PRP$") or doc[t.i - 1].lower_ in ("that", "this"):
        return False
    return doc[t.i + 1].pos_ in ("NOUN", "ADJ", "PROPN", "ADV")  # 'tattoo' may be tagged an adverb


def _with_agent(t: Token) -> bool:
    """'a crown ringed by white hair': a passive's agent with no auxiliary is a reduced relative."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
        return False  # "as people passed by": a subject of its own, 'by' an adverb
    return t.tag_ == "VBN" and any(c.dep_ == "agent" for c in t.children) and t.i > 0 and t.doc[t.i - 1].pos_ in ("NOUN", "PROPN", "ADJ")


def _marked(t: Token) -> bool:
    """'while caught in traffic', 'once finished': a clause marker with no subject: a participle."""
    return any(c.dep_ == "mark" and c.lower_ in _MARKS for c in t.children) and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children)


def _adjective_in_list(t: Token) -> bool:
    """', freckled pale skin,' / 'and tanned skin': in a list of noun phrases, a past form before a
    bare noun (no article, no possessive) is its adjective."""
    doc = t.doc
    if t.i < 2 or t.i + 1 >= len(doc):
        return False
    before, prior = doc[t.i - 1], doc[t.i - 2]
    if before.dep_ == "cc" and prior.text == "," and t.i > 2:
        prior = doc[t.i - 3]  # "a thick mustache, and tanned skin"
    if not (before.text == "," or before.dep_ == "cc") or prior.pos_ not in ("NOUN", "PROPN"):
        return False
    k = t.i + 1
    while k < len(doc) and doc[k].pos_ in ("ADJ", "NOUN", "PROPN") and doc[k].dep_ in ("amod", "compound", "nmod"):
        k += 1
    if k >= len(doc) or doc[k].pos_ not in ("NOUN", "PROPN") or doc[k].tag_ == "NNP":
        return False
    noun = doc[k]
    if any(c.dep_ in ("det", "poss", "nummod") for c in noun.children):
        return False
    if k + 1 >= len(doc) or doc[k + 1].pos_ in ("PUNCT", "CCONJ"):
        return True
    if doc[k + 1].tag_ in ("VBZ", "VBP") and doc[k + 1].pos_ in ("VERB", "AUX"):
        return True  # "in a wool hat and worn denim jacket sits on a bus": the subject's verb follows its attire
    # "... and weathered skin with faint age spots sits at a table": a look with its own 'with'/'of'
    # phrase, and the sentence's verb, in the present, still to come
    rest = doc[k + 1 : t.sent.end]
    return doc[k + 1].lower_ in ("with", "of") and any(r.tag_ in ("VBZ", "VBP") and r.pos_ in ("VERB", "AUX") for r in rest)


def _after_its_noun(t: Token) -> bool:
    """'a bald crown ringed by ...': a participle the parse hangs on the noun right before it."""
    # after a person noun ("A man seated at a desk") it may be the person's pose: left to the subject's rules
    if t.dep_ != "acl" or t.tag_ != "VBN" or t.head.i != t.i - 1 or t.head.pos_ not in ("NOUN", "PROPN") or lexicon.is_person_noun(t.head):
        return False
    # "as a shower of sparks sprayed across": 'as' read as a preposition opens a clause, the verb is its own
    return not any(a.dep_ == "prep" and a.lower_ in ("as", "while", "when") for a in t.ancestors)


def _look_participle(t: Token) -> bool:
    """'and black hair tucked behind one ear. She wears ...': a past form right after a look or a
    worn thing, with no object of its own, in a prompt told in the present: how the look is."""
    doc = t.doc
    if t.i == 0 or doc[t.i - 1].lower_ not in _LOOKS and doc[t.i - 1].lemma_.lower() not in _LOOKS or doc[t.i - 1].pos_ != "NOUN":
        return False
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    if nxt is not None and nxt.pos_ not in ("ADP", "ADV", "PART", "PUNCT"):
        return False
    return _present_story(doc)


def _present_story(doc) -> bool:
    """A prompt told in the present: a present finite verb and no past one with a pronoun subject."""
    present = any(t.tag_ in ("VBZ", "VBP") and t.pos_ in ("VERB", "AUX") for t in doc)
    past = any(t.tag_ == "VBD" and any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in t.children) for t in doc)
    return present and not past


def ing_base(word: str) -> str | None:
    """The base form of an -ing word where its spelling makes it certain ('weaving' → 'weave',
    'running' → 'run', 'sweeping' → 'sweep'); None where it does not ('making' or 'mak'?)."""
    word = word.lower()
    if not word.endswith("ing") or len(word) < 6:
        return None
    stem = word[:-3]
    vowels = "aeiou"
    if stem[-1] in "vcu":
        return stem + "e"  # no English verb ends in v, c or u: weave, dance, argue
    if stem[-1] == stem[-2] and stem[-1] not in vowels + "lsz":
        return stem[:-1]  # running, stopping
    if stem[-1] not in vowels and (stem[-2] not in vowels or stem[-3] in vowels):
        return stem  # walking, sweeping, reading
    return None


def ing_taken_for_noun(t: Token) -> bool:
    """'a vest weaving through traffic': an -ing word the parse took for a noun, right after a noun
    phrase and before a preposition of path or place, with no article of its own."""
    doc = t.doc
    if t.tag_ != "NN" or ing_base(t.text) is None or t.i == 0 or t.i + 1 >= len(doc):
        return False
    if any(c.dep_ in ("det", "poss") for c in t.children) or doc[t.i - 1].pos_ not in ("NOUN", "ADJ"):
        return False
    return doc[t.i + 1].lower_ in lexicon.PATH_PREPS | lexicon.LOCATIVE_PREPS


# "once" after its verb counts ("stumbled once"); only before it does it mean "formerly"
_EARLIER = frozenset("earlier before yesterday ago previously beforehand already".split())


def keeps_past(t: Token) -> bool:
    """'the paper boat he folded earlier': a verb the input itself places before the story's time
    keeps its past form; so does the clause a 'since' opens ("had trained since she was nine"):
    it dates the backstory, not the action on screen."""
    if t.tag_ not in ("VBD", "VBN"):
        return False
    since = any(c.dep_ == "mark" and c.lower_ == "since" for c in t.children) and t.dep_ == "advcl"
    # "Her uncle gave her the kite this morning, and now she runs": a 'now' clause joined after it sets it before
    now = any(c.dep_ == "conj" and c.tag_ in ("VBZ", "VBP") and any(k.dep_ == "advmod" and k.lower_ == "now" for k in c.children) for c in t.children)
    return since or now or any(c.dep_ in ("advmod", "npadvmod") and c.lower_ in _EARLIER and c.i > t.i for c in t.children)


def listed_after_comma(t: Token, made_present: dict[int, str]) -> bool:
    """'pushes the mask up, wiped soot from his brow and squints': a past form after a comma whose
    clause before it ends on a verb made present (its object or particle last), in a list that a
    later 'and' + past verb closes; the parse may read it as an adjective."""
    doc = t.doc
    if t.tag_ not in ("VBD", "VBN") or t.pos_ != "VERB" or t.i < 2 or doc[t.i - 1].text != ",":
        return False
    prior = doc[t.i - 2]
    verb = prior if prior.pos_ == "VERB" else prior.head
    if verb.pos_ != "VERB" or verb.i not in made_present or verb.i >= t.i:
        return False
    rest = doc[t.i + 1 : t.sent.end]
    return any(k.lower_ == "and" and k.i + 1 < len(doc) and doc[k.i + 1].tag_ == "VBD" for k in rest)


def silent_e(word: str, lemma: str) -> str:
    """'stared' read as 'star' + 'ed': a one-syllable stem ending in a vowel and one consonant
    doubles it in the past ('starred'), so a single one means the lemma ends in a silent e."""
    word, lemma = word.lower(), lemma.lower()
    vowels = [i for i, c in enumerate(lemma) if c in "aeiou"]
    one_syllable = len(vowels) == 1 or (len(vowels) == 2 and vowels[1] == vowels[0] + 1)
    single = len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou"
    return lemma + "e" if word == lemma + "ed" and one_syllable and single else lemma


_DECADE = re.compile(r"(?:teens|ties|\d0s|\d0's)$")


def verb_as_noun(token: Token) -> bool:
    """'a woman in a red shawl bargains with a seller': an -s word after a noun and before an object
    or a preposition may be the verb the small model took for a plural noun."""
    doc = token.doc
    if token.tag_ != "NNS" or not token.lower_.endswith("s") or token.i == 0 or token.i + 1 >= len(doc):
        return False
    if _DECADE.search(token.lower_) or doc[token.i - 1].tag_ == "HYPH":
        return False  # "in her mid-forties with ...": an age, never a verb
    nxt = doc[token.i + 1]
    # "a sari roasts cumin seeds": the parse may shift the verb onto the noun after it (a bare form with an object)
    # ("rubber boots hauls a net": an -s word after it is the verb itself, never a shifted bare form)
    bare = nxt.lower_ == nxt.lemma_.lower() and not (nxt.lower_.endswith("s") and not nxt.lower_.endswith("ss"))
    shifted = nxt.tag_ in ("VBP", "VB") and nxt.dep_ == "ROOT" and bare and any(c.dep_ == "dobj" for c in nxt.children)
    return doc[token.i - 1].pos_ in ("NOUN", "PROPN") and (nxt.pos_ in ("DET", "ADP", "ADV", "ADJ", "PRON") or shifted)


def marked_clause_subject(verb):
    """'as the forest around him buzzed': a past form after 'as'/'while'/'when' and a noun, with no
    subject or auxiliary of its own in the parse, is the clause's finite verb; its noun is the subject."""
    if verb.tag_ in ("VBD", "VBN") and verb.dep_ in ("acl", "advcl") and not any(c.dep_ in ("nsubj", "aux", "mark", "agent") for c in verb.children):
        # "as the smell of butter drifted out": the parse took 'as' for a preposition and the verb for the noun's modifier
        mark = next((t for t in reversed(verb.doc[verb.sent.start : verb.i]) if t.lower_ in ("as", "while", "when") and t.dep_ == "prep"), None)
        obj = next((c for c in mark.children if c.dep_ == "pobj"), None) if mark is not None else None
        if (
            obj is not None and verb.tag_ == "VBN"
        ):  # "as a shower of sparks sprayed across": the verb inside the noun's phrase, no person ("as a boy dressed in blue")
            inside = verb.head.i in {k.i for k in obj.subtree} and verb.head.i == verb.i - 1 and not lexicon.is_person_noun(obj)
            return obj if inside and not any(k.tag_ == "VBN" for k in verb.doc[mark.i + 1 : verb.i]) else None
        return obj if obj is not None and obj.right_edge.i == verb.i - 1 else None
    if verb.tag_ not in ("VBD", "VBN") or verb.dep_ != "advcl" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        return None
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ in ("as", "while", "when", "until", "because")), None)
    if mark is None:
        return None
    nouns = [t for t in verb.doc[mark.i + 1 : verb.i] if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound"]
    return nouns[0] if nouns and verb.doc[mark.i + 1].pos_ in ("DET", "NOUN", "PROPN", "ADJ") else None


def narrates(verb: Token) -> bool:
    """A past form that acts on an object ("gripped the rail") or heads a list of past verbs
    ("pulled on his veil, lit the smoker and walked") narrates; an absolute phrase describes a
    state ("his face smeared with soot") and takes neither."""
    if any(c.dep_ == "dobj" for c in verb.children):
        return True
    return any(c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == "VBD" and c.i > verb.i for c in verb.children)


def cc_before(verb: Token) -> bool:
    """'caught himself, and then, as the snow began to fall, glided': the conjunction the verb's
    head carries may stand before a clause set off by commas; it still joins the verb."""
    head = verb.head
    cc = [c for c in head.children if c.dep_ == "cc" and head.i < c.i < verb.i]
    return bool(cc) and not any(c.dep_ == "conj" and cc[-1].i < c.i < verb.i for c in head.children) and verb.dep_ == "conj"
