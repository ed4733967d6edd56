"""A story names its person, then calls them by what they are: "Tomasz had kept bees ... That
morning the old man pulled on his veil", "Kenji had repaired clocks ... the elderly watchmaker
opened a watch". That definite person noun phrase (an epithet) is the person as the first frame
shows them: old, a watchmaker. The keyframe reads it as the subject, said indefinitely ("an old
man pulled on his veil"), instead of a bare "A man." and a second person it cannot place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.words import is_place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# The definite determiners an epithet opens with ("the old man", "this weary traveller").
_DEFINITE = frozenset("the this that".split())


def epithet(sent: Span) -> Token | None:
    """The sentence's main subject when it is a definite person noun phrase naming one person
    ("the old woman", "the young woman in a red down jacket"); its head, else None."""
    subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.tag_ != "NN" or not lexicon.is_person_noun(subj) or subj.ent_type_ == "PERSON":
        return None
    det = next((c for c in subj.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in _DEFINITE or det.i != subj.left_edge.i:
        return None
    if any(c.dep_ in ("conj", "cc", "poss") for c in subj.children):
        return None  # "the old man and his dog": two people; "her old teacher": someone else
    return subj


def said_indefinitely(sent: Span, head: Token, place: str = "") -> str:
    """The sentence with its epithet's determiner made indefinite: 'the old man pulled on ...'
    → 'an old man pulled on ...' (a capital kept where the sentence opened with it); ``place``
    (" on the hillside") said before it."""
    det = head.left_edge
    after = det.doc[det.i + 1]
    article = "an" if after.lower_[:1] in "aeiou" and not after.lower_.startswith(("uni", "use", "eu", "one")) else "a"
    article = article.capitalize() if det.is_sent_start else article
    said = "".join(article + det.whitespace_ if t.i == det.i else t.text_with_ws for t in sent).strip()
    if not place:
        return said
    # a fronted place reads as the scene's ("On the hillside, that morning, an old man ..."); inside the noun phrase it breaks the parse
    opener = sent[0]
    lowered = said if opener.pos_ == "PROPN" or opener.text.isupper() else said[:1].lower() + said[1:]
    return f"{place.strip()[:1].upper()}{place.strip()[1:]}, {lowered}"


def later_epithet(first: Span, gender_pronoun: str) -> bool:
    """Whether a sentence after ``first`` opens on an epithet of the same gender ("the old woman"
    after "Ingrid ran the bakery"): the story calls its named person by what they are."""
    doc = first.doc
    for sent in doc[first.end :].sents:
        head = epithet(sent)
        if head is not None:
            word = head.lemma_.lower()
            female = word in ("woman", "girl", "lady", "grandmother", "grandma", "mother", "wife", "aunt", "sister", "daughter") or word.endswith("woman")
            male = word in ("man", "boy", "gentleman", "grandfather", "grandpa", "father", "husband", "uncle", "brother", "son") or (
                word.endswith("man") and not word.endswith("woman")
            )
            return not (female and gender_pronoun == "he" or male and gender_pronoun == "she")
    return False


# Verbs that describe the person rather than move them on: a sentence of them is still the frame.
_STATES = frozenset("be have wear seem look appear stand sit lie kneel lean".split())


def later_deeds_cut(doc: Doc) -> str:
    """The story's text without its later sentences in which the person acts in the past ("He
    lifted one wooden lid, drew out a frame ...", "She studied the board ..."): a past-tense story
    tells its moments in order, so the keyframe shows the first one; a later sentence about the
    place or someone else ("The tram rattled past glowing shop signs") is still around them."""
    kept, acted = [], False
    for sent in doc.sents:
        root = sent.root
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        person = subj is not None and (subj.lower_ in ("he", "she", "they") or lexicon.is_person_noun(subj))
        acting = root.tag_ == "VBD" and root.lemma_.lower() not in _STATES and person
        if not (acting and acted):
            kept.append(sent.text)
        acted = acted or acting
    return " ".join(kept)


# Spans of a life: "for forty years", "for two decades" (a habit, not a moment).
_SPANS = frozenset("year decade month lifetime century generation".split())
# Prepositions of where one is (a static place, not a way through it).
_AT = frozenset("in on at by near behind beside under inside outside".split())


def backstory_cut(doc: Doc, own: Span | None) -> tuple[str, str] | None:
    """'A man had driven the same taxi for twenty years. That evening he ...' → 'A man. That
    evening he ...' for the keyframe: a past-perfect opening is the person's history, not the
    first frame; the subject stays, what they had done goes. So does a simple-past habit of
    years ("ran the bakery for two decades"). The place of that history stays where the frame is
    ("on the hillside"); a definite person phrase opening the next sentence ("the old man") becomes
    the subject, said indefinitely. (The text, what went), or None when the story opens otherwise."""
    sents = list(doc.sents)
    first = sents[0] if sents else None
    if own is None or first is None or len(sents) < 2 or own.start != first.start:
        return None
    root = first.root
    had = [c for c in root.children if c.dep_ == "aux" and c.lower_ == "had"]
    # "Ingrid ran the village bakery for two decades.": a habit of years is history in the simple past too
    spans = [
        o for p in root.children if p.dep_ == "prep" and p.lower_ in ("for", "since") for o in p.children if o.dep_ == "pobj" and o.lemma_.lower() in _SPANS
    ]
    perfect = root.tag_ == "VBN" and bool(had) and had[0].i == own.end
    if not (perfect or (root.tag_ == "VBD" and spans and root.i == own.end)) or own.root.head.i != root.i:
        return None
    # "through Mexico City", "in Osaka": the named place is where the frame is still
    places = [o for p in root.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj" and o.ent_type_ in ("GPE", "LOC", "FAC")]
    place = f" in {doc[places[0].left_edge.i : places[0].right_edge.i + 1].text}" if places else ""
    # "had kept bees on the hillside behind his farmhouse": where the history happened is where the frame is, said with its own preposition
    grounds = [p for p in root.children if p.dep_ == "prep" and p.lower_ in _AT and any(o.dep_ == "pobj" and is_place(o) for o in p.children)]
    place = place or (f" {doc[grounds[0].i : grounds[0].right_edge.i + 1].text}" if grounds else "")
    if (head := epithet(sents[1])) is not None:  # "... That morning the old man pulled on": the old man is the person
        return f"{said_indefinitely(sents[1], head, place)} {doc[sents[1].end :].text}".strip(), doc[own.end : first.end].text.strip(" .")
    return f"{own.text}{place}. {doc[sents[1].start :].text}", doc[own.end : first.end].text.strip(" .")
