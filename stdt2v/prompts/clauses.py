"""The subject's sentence on a parse: who the main character is, the attire right after them,
their own verbs, later mentions of them, and small repairs of the opening ("who is walking",
an appositive that says the subject again, a comma between subject and verb)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import match_case, participle_before_finite, past_lemma, present
from stdt2v.prompts.opening import verb_as_noun
from stdt2v.prompts.participle import describing_participle, ing_taken_for_noun
from stdt2v.prompts.person_verb import action_after_dress, finite_of_others_only, ing_noun, own_noun_ing
from stdt2v.prompts.runon import comma_splice as comma_splice  # the finished prompt's sentence breaks live there
from stdt2v.prompts.spatial import looks_like_verb, noun_lemmas
from stdt2v.prompts.worn import styled_look

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_ATTIRE_PREPS = ("in", "with")


def own_subject(doc: Doc) -> Span | None:
    """The main character: the first sentence's opening person noun phrase, else its first
    nominal subject that is not a pronoun."""
    first = next(iter(doc.sents))
    # "An individual standing ...": the small model may tag the person word as an adjective,
    # leaving no noun chunk; read a determiner + person word opening directly.
    if first[0].pos_ == "DET" and len(first) > 1:
        known = lexicon.PERSON_NOUNS | lexicon.GENERIC_PERSON | lexicon.PLAIN_PERSON
        for t in first[1:5]:
            if t.lower_ in known and t.pos_ != "NOUN":
                return doc[first.start : t.i + 1]
            role = t.i > first.start + 1 and t.nbor(-1).dep_ == "compound" and t.dep_ != "dep" and lexicon.is_person_noun(t)  # "A mountain guide"
            if (t.lemma_.lower() in known or role) and t.pos_ == "NOUN" and not any(c.start <= t.i < c.end for c in doc.noun_chunks):
                return doc[first.start : t.i + 1]  # "A man skateboarding down a hill, the camera low": a head the parse left out of every chunk
            if t.pos_ == "NOUN" and t.dep_ == "compound" and t.head.i == t.i + 1:
                continue  # "A mountain guide with a weathered face, ..., kneels": the role's compound, then its head
            if t.pos_ in ("NOUN", "PROPN", "VERB", "AUX", "ADP", "PUNCT"):
                break
    # "The camera moves ...", "In a corridor where the walls ripple ...", "A close-up of ...":
    # a chunk that names a thing, a place or the picture is never the main character.
    chunks = [
        c
        for c in doc.noun_chunks
        if c.start < first.end
        and c.root.lower_ not in ("he", "she", "they", "it", "this", "there")
        and c[0].tag_ != "PRP$"  # "her hands resting on the keys": a part of the person, never the person
        and not (c.root.tag_ == "NNS" and c.root.lemma_.lower() in lexicon.BODY_NOUNS)  # "Wrinkled fingers thread a needle": the same
        and not _names_the_shot(c)  # "Portrait of a man ...": the picture, not the person
        and (
            c.root.lemma_.lower() in lexicon.PERSON_NOUNS
            or (lexicon.is_person_noun(c.root) and c.root.pos_ == "NOUN")  # "The street food vendor": a place word before a role noun
            or not any(lexicon.is_non_role(t) for t in c if not looks_like_verb(t) and t.pos_ in ("NOUN", "PROPN", "ADJ"))
        )
    ]
    # A later subject is the main character only when it names a person: "..., a ticking clock heard in the room" is a sound.
    # ("..., customers wait in line": a plural is a group, never the one person)
    one = [c for c in chunks if c.start == first.start or (lexicon.is_person_noun(c.root) and c.root.tag_ != "NNS")]
    subjects = [c for c in one if c.root.dep_ in ("nsubj", "nsubjpass")]
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she", "they") for c in first.root.children):
        subjects = [c for c in subjects if c.root.head.i == first.root.i]  # "He stands ... as birds sing": 'he' is the one
    # "The firefighter, his face smeared with soot, burst ...": the parse may leave an opening person noun as 'dep'
    head = next((t for t in first[:5] if t.pos_ in ("NOUN", "PROPN")), None)
    lead = head is not None and all(t.pos_ in ("DET", "ADJ") or t.dep_ == "compound" for t in doc[first.start : head.i])
    # ... or "Old woman sitting on a bench ..., a child runs past": a participle after it
    after = doc[head.i + 1] if head is not None and head.i + 1 < len(doc) else None
    dep_head = lead and head.dep_ == "dep" and lexicon.is_person_noun(head) and after is not None and (after.text == "," or after.tag_ == "VBG")
    opening_dep = [doc[first.start : head.i + 1]] if dep_head else []
    opening = [c for c in chunks if c.start == first.start and c.root.dep_ in ("ROOT", "appos", "nsubj", "nsubjpass")] or opening_dep
    # "At dawn, a surfer ...": a chunk after a leading adverbial that the parse made the root.
    after_adverbial = [c for c in chunks if c.root.dep_ == "ROOT" and c.start > first.start and doc[c.start - 1].text == ","]
    # "... to capture a person sitting on a breakwater": a plain person word anywhere in the sentence.
    person = [c for c in chunks if c.root.lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON]
    # "The scene unfolds in a forest. The man with short brown hair ...": a later sentence's person subject.
    later = [c for c in doc.noun_chunks if c.start >= first.end and c.root.dep_ in ("nsubj", "nsubjpass") and c.root.lemma_.lower() in lexicon.PLAIN_PERSON][:1]
    for candidates in (opening, subjects, after_adverbial, _after_opening_phrase(doc, first), person, later if not chunks else []):
        if candidates and (candidates[0].root.pos_ in ("NOUN", "PROPN") or candidates[0].root.lower_ in ("someone", "somebody")):
            chunk = candidates[0]
            # "A man waves", "An old fisherman mends a net": the parse took the verb for the head
            while len(chunk) > 1 and (looks_like_verb(chunk[-1]) or verb_as_noun(chunk[-1])):
                chunk = doc[chunk.start : chunk.end - 1]
            return chunk
    return None


def _names_the_shot(chunk: Span) -> bool:
    """'Portrait of a man', 'A close-up shot of a woman': a noun for the picture, before 'of'."""
    doc = chunk.doc
    after = doc[chunk.end] if chunk.end < len(doc) else None
    return after is not None and after.lower_ == "of" and bool(_SHOT_NOUN.search(chunk.text))


_SHOT_NOUN = re.compile(r"\b(?:portrait|close-?ups?|shots?|views?|frames?|footage|image|photo)\b", re.IGNORECASE)


def _after_opening_phrase(doc: Doc, first: Span) -> list[Span]:
    """'In a softly lit tea room, a woman in her forties kneels ...': the person noun phrase right
    after an opening prepositional phrase, which the parse may leave out of its noun chunks."""
    if first[0].pos_ != "ADP":
        return []
    comma = next((t for t in first if t.text == ","), None)
    if comma is None or comma.i + 2 >= first.end or doc[comma.i + 1].pos_ != "DET":
        return []
    known = lexicon.PERSON_NOUNS | lexicon.GENERIC_PERSON | lexicon.PLAIN_PERSON
    for t in doc[comma.i + 2 : min(comma.i + 5, first.end)]:
        if t.pos_ == "NOUN" and t.lemma_.lower() in known:
            return [doc[comma.i + 1 : t.i + 1]]
        if t.pos_ not in ("ADJ", "NOUN") and t.dep_ not in ("amod", "compound"):
            break
    return []


def attire_span(doc: Doc, own: Span | None) -> tuple[int, int]:
    """Token range [start, end) of the attire right after the subject ("dressed in a white
    suit", "in a red racing suit with sponsor logos"); (end, end) when there is none. Ends at
    the next comma, or before the first other verb."""
    sent_end = own.sent.end
    i = own.end
    if i < sent_end and doc[i].text == ",":
        i += 1
    if i >= sent_end:
        return own.end, own.end
    t = doc[i]
    is_dressing = t.pos_ == "VERB" and t.lemma_.lower() in lexicon.DRESSING_VERBS
    obj = next((c for c in t.children if c.dep_ == "pobj"), None)
    is_attire_prep = t.lower_ in _ATTIRE_PREPS and obj is not None and bool(noun_lemmas(obj) & (lexicon.CLOTHING_NOUNS | lexicon.APPEARANCE_NOUNS))
    if not (is_dressing or is_attire_prep):
        return own.end, own.end
    end = _phrase_end(doc, i + 1, sent_end)
    # "with thin white hair, deep-set dark eyes and a mustache sits": the list of looks goes on after the comma
    while is_attire_prep and end + 1 < sent_end and doc[end].text == ",":
        nxt = _phrase_end(doc, end + 1, sent_end)
        # the look ends at a comma or at the person's verb, never at a participle of its own ("steam rising from the grill")
        if not _listed_look(doc[end + 1 : nxt]) or (nxt < sent_end and doc[nxt].text != "," and doc[nxt].tag_ not in ("VBZ", "VBP", "VBD", "MD")):
            break
        end = nxt
    return i, end


def _phrase_end(doc: Doc, start: int, sent_end: int) -> int:
    """Where the attire phrase begun before ``start`` ends: the next comma, or before the first other verb."""
    end = start
    while end < sent_end and doc[end].text not in (",", ";", ".", "!", "?"):
        w = doc[end]
        if ing_noun(w) or (w.tag_ in ("VBN", "VBD") and end > start and describing_participle(w)):
            end += 1  # "with a lip piercing plays": the -ing word ends the noun phrase; "hair combed back" is one look
            continue
        if (
            looks_like_verb(w)
            or verb_as_noun(w)  # "in a red shawl bargains with a seller"
            or ing_taken_for_noun(w)  # "in a reflective vest weaving through traffic"
            or w.pos_ == "AUX"
            # "in a school uniform first ties": an adverb of the verb after the attire is the verb's, never the garment's
            or (w.pos_ == "ADV" and w.dep_ == "advmod" and w.head.i > w.i and w.head.tag_ in ("VBZ", "VBP", "VBD"))
            or (w.pos_ == "VERB" and w.lemma_.lower() not in lexicon.DRESSING_VERBS and w.dep_ not in ("amod", "compound"))
        ):
            break
        end += 1
    return end


def _listed_look(segment: Span) -> bool:
    """A bare noun phrase after a comma ("deep-set dark eyes", "a neatly trimmed mustache and
    weathered skin with faint age spots", "thin white hair combed back"): one more look in the
    list. No pronoun ("his dog at his side" is a scene of its own), no other preposition."""
    if not len(segment) or not any(t.pos_ in ("NOUN", "PROPN") for t in segment) or segment[0].pos_ == "ADP":
        return False  # ", with a cigarette,": an aside of its own
    for t in segment:
        if t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "ADV", "CCONJ", "PART") and t.tag_ != "PRP$" or t.tag_ == "HYPH" or t.lower_ in ("with", "of"):
            continue
        if t.tag_ in ("VBN", "VBD") and (t.dep_ == "amod" or describing_participle(t)):
            continue
        return False
    return segment[0].pos_ != "CCONJ"


def main_verbs(doc: Doc, start: int, sent: Span, own: Span | None = None) -> set[int]:
    """The subject's own verbs: the verb right after the subject (and its attire; commas and
    adverbs may stand between) and the verbs coordinated with it, when it is a past form — or
    a participle in a sentence with no finite verb ("An individual standing in front of
    screens")."""
    if not has_finite_verb(sent) or finite_of_others_only(doc, start, sent, own):
        pose = next((t for t in doc[start : min(start + 2, sent.end)] if t.tag_ == "VBN" and t.lemma_.lower() in lexicon.POSE_VERBS), None)
        pose = pose or _pose_after_dress(doc, start, sent)
        if pose is not None:  # "An individual seated in front of a desk, ..." → "sits"
            return {pose.i}
        participle = next(
            (
                t
                for t in doc[start : sent.end]
                if (
                    t.tag_ == "VBG"
                    and t.pos_ == "VERB"
                    and t.dep_ in ("ROOT", "acl", "advcl", "csubj")  # csubj: "crouching beside a bicycle turned over" (a misparse)
                    and not _describes_look(t)
                    and not own_noun_ing(t)
                    and not _own_subject(t, own)
                )
                or ing_taken_for_noun(t)  # "a reflective vest weaving through traffic"
            ),
            None,
        )
        if participle is not None and any(verb_as_noun(t) or looks_like_verb(t) for t in doc[start : participle.i]):
            return set()  # "in a red snowsuit sleds down a hill, shrieking": the verb before it, which the parse took for a noun
        if participle is not None and any(verb_as_noun(t) for t in participle.subtree if t.i > participle.i):
            return set()  # "wearing a hard hat and a vest works on the frame": 'works' is the verb the parse took for a noun
        if participle is not None:
            # "..., her hair moving in the wind": a participle with a subject of its own is an absolute phrase, not the subject's verb
            # "wearing a sweater, seated on a stool": a pose participle joined to it is the subject's verb too
            pose = ("VBN",) if participle.lemma_.lower() in lexicon.DRESSING_VERBS else ()
            kinds = [c for c in participle.children if c.dep_ == "conj" and (c.tag_ == "VBG" or (c.tag_ in pose and c.lemma_.lower() in lexicon.POSE_VERBS))]
            joined = [c for c in kinds if not any(k.dep_ == "nsubj" for k in c.children)]
            after = action_after_dress(participle)  # "wearing a red shuka, walking along a path": both the person's
            return {participle.i} | {c.i for c in joined} | ({after.i} if after is not None else set())
    for t in doc[start : sent.end]:
        modifies_subject = own is not None and own.root in t.ancestors and (t.pos_ != "VERB" or t.dep_ in ("amod", "compound") or _under_preposition(t, own))
        if t.text == "," or t.pos_ == "ADV" or modifies_subject:  # "The journalist, with a youthful face, rushed"
            continue
        if styled_look(t):
            continue  # "with long gray hair pinned up and silver earrings waters": the hair's participle, not the verb
        if past_lemma(t) is not None and t.lemma_.lower() not in lexicon.DRESSING_VERBS and not any(c.dep_ in ("aux", "auxpass") for c in t.children):
            if t.tag_ == "VBN" and (_subject_has_own_verb(doc, start, sent, t) or participle_before_finite(t)):
                return set()  # "A woman adorned with a flower crown, is standing": the participle stays
            # Coordinated verbs share the subject, unless a noun of their own stands before them ("and seagulls circled").
            return {t.i} | {c.i for c in t.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == t.tag_ and c.nbor(-1).pos_ not in ("NOUN", "PROPN")}
        return set()
    return set()


def _describes_look(participle) -> bool:
    """'black hair going gray at the temples': a participle right after a look (hair, glasses)
    tells how it looks; it is not the person's verb."""
    before = participle.doc[participle.i - 1] if participle.i > 0 else None
    looks = lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS
    if any(c.dep_ == "dobj" and c.lemma_.lower() not in looks for c in participle.children):
        return False  # "a man with a beard repairing a boat": an object other than a look makes it the person's action
    return before is not None and before.lemma_.lower() in lexicon.APPEARANCE_NOUNS


def _under_preposition(t, own) -> bool:
    """'The dancer, with ... long brown hair tied in a bun, ...': a verb inside the subject's own 'with' phrase."""
    if t.i > 0 and t.doc[t.i - 1].text == ",":
        return False  # "..., a focused expression, rushed through": the verb after the list
    head = t.head
    while head.i != own.root.i and head.head.i != head.i:
        if head.pos_ == "ADP":
            return True
        head = head.head
    return False


def _subject_has_own_verb(doc, start: int, sent, t) -> bool:
    """Is the sentence's subject (before ``start``) the subject of a finite verb other than ``t``?"""
    for s in doc[sent.start : start]:
        # ... unless that verb has a subject of its own ("her arms extended"): the parse's slip.
        others = [c for c in s.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != s.i]
        if s.dep_ in ("nsubj", "nsubjpass") and s.head.i != t.i and s.head.i > t.i and not others:
            return True
    return False


def _own_subject(participle: Token, own: Span | None) -> bool:
    """'car lights smearing into streaks': a participle with a subject of its own (not the person) is not the person's verb."""
    return own is not None and any(c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") and c.i != own.root.i for c in participle.children)


def has_finite_verb(sent: Span) -> bool:
    # "... and hair tucked behind one ear.": a participle that describes a noun is no finite verb
    finite = ("VBD", "VBZ", "VBP", "MD")
    return any((t.tag_ in finite and not describing_participle(t)) or t.lower_ in ("is", "are", "was", "were") or looks_like_verb(t) for t in sent)


def _pose_after_dress(doc: Doc, start: int, sent: Span) -> Token | None:
    """', dressed in a lilac cardigan, seated at a kitchen table': the pose after the clothing."""
    for t in doc[start : sent.end]:
        if t.tag_ == "VBN" and t.lemma_.lower() in lexicon.POSE_VERBS and doc[t.i - 1].text == ",":
            return t
        if t.pos_ == "VERB" and t.lemma_.lower() not in lexicon.DRESSING_VERBS:
            return None
    return None


def joined_last(doc: Doc, verbs: set[int]) -> dict[int, str]:
    """'wearing a sweater, standing at the stern' made finite: 'wears a sweater and stands at the
    stern', the last verb of the list joined by 'and' (a comma alone leaves a run-on)."""
    ordered = sorted(verbs)
    if len(ordered) < 2 or doc[ordered[-1] - 1].text != ",":
        return {}
    # "kneads the dough, shapes it and slides it in": a list the input closed itself
    if any((t.dep_ == "cc" and t.head.i in verbs) or t.lower_ == "then" for t in doc[ordered[0] : doc[ordered[-1]].sent.end]) or len(ordered) > 2:
        return {}
    return {ordered[-1] - 1: " and"}


def fragment_verb(doc: Doc, sent: Span) -> dict[int, str]:
    """A sentence with no finite verb that opens with a noun phrase and a participle: the
    participle in the present tense, agreeing with that noun phrase."""
    opening = next((c for c in doc.noun_chunks if c.start == sent.start), None)
    if opening is None or opening.end >= sent.end:
        return {}
    head = opening[-1]
    after = doc[opening.end]
    if after.tag_ == "POS" and opening.end + 1 < sent.end:  # "the presenter's gestures changing"
        after = doc[opening.end + 1]
    if after.tag_ != "VBG" or after.pos_ != "VERB":
        return {}
    participle = after
    if has_finite_verb(sent) and participle.dep_ not in ("ROOT", "acl"):
        return {}
    plural = head.tag_ in ("NNS", "NNPS")
    return {participle.i: present(participle.lemma_, plural)}


def mention_replacements(doc: Doc, own: Span | None, gender: str | None, first_sentence_end: int) -> tuple[dict[int, str], set[int], list[str]]:
    """Later mentions of the subject ("the individual", "the presenter's", "the speaker") as
    pronouns: 'the' + a singular person noun with no other modifier. Returns the replacements,
    the tokens to drop, and the replaced words (for ``dropped``)."""
    if gender is None or own is None:
        return {}, set(), []
    subject_words = (
        ({own[-1].lemma_.lower()} | lexicon.GENERIC_PERSON | lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON) - lexicon.CROWD_NOUNS - lexicon.COLLECTIVE_NOUNS
    )
    pronouns = {"male": ("he", "him", "his"), "female": ("she", "her", "her")}[gender]
    replace, drop, words = {}, set(), []
    for head in doc[first_sentence_end:]:
        if head.lemma_.lower() not in subject_words or head.tag_ not in ("NN", "NNP") or head.i == 0:
            continue
        det = doc[head.i - 1]
        if det.lower_ != "the" or any(c.dep_ in ("amod", "compound", "nummod") for c in head.children):
            continue
        after = doc[head.i + 1] if head.i + 1 < len(doc) else None
        if any(c.dep_ in ("prep", "relcl", "acl") for c in head.children):
            continue  # "The man with short brown hair is ...": a pronoun cannot carry the modifier
        if after is not None and after.tag_ == "POS":
            word = pronouns[2]
            drop.add(after.i)
        elif head.dep_ in ("nsubj", "nsubjpass") and not (det.i > 0 and doc[det.i - 1].lower_ == "with"):  # "with her providing insights"
            word = pronouns[0]
        else:
            word = pronouns[1]
        replace[det.i] = match_case(word, det.text)
        drop.add(head.i)
        words.append(f"{det.text} {head.text}")
    return replace, drop, words


def showing_looks(doc: Doc, verbs: set[int]) -> dict[int, str]:
    """'..., displaying a masculine face with fair skin' → '..., with a masculine face with fair skin':
    a participle that only shows a look is no action."""
    out = {}
    for t in doc:
        obj = next((c for c in t.children if c.dep_ == "dobj"), None)
        if t.tag_ == "VBG" and t.i not in verbs and t.lemma_.lower() in ("display", "show", "sport", "have", "bear", "reveal") and obj is not None:
            if obj.lemma_.lower() in lexicon.APPEARANCE_NOUNS:
                out[t.i] = "with"
    return out


def comma_before_auxiliary(sent: Span) -> dict[int, str]:
    """'A woman adorned with a flower crown, is standing': the comma between subject and verb goes."""
    out = {}
    for t in sent:
        if participle_before_finite(t):
            conj = next(c for c in t.children if c.dep_ == "conj" and any(k.dep_ in ("aux", "auxpass") for k in c.children))
            aux = min(k.i for k in conj.children if k.dep_ in ("aux", "auxpass"))
            if aux > 0 and sent.doc[aux - 1].text == ",":
                out[aux - 1] = ""
    return out


def unpaired_subject_comma(doc: Doc) -> str:
    """'A man in a long trench coat, walks': one comma between a sentence's subject and its verb,
    with none to pair it (as around an appositive), goes. Read off the finished prompt's parse,
    since it is often left by an earlier cut ("A solitary man, clad in ..., walks")."""
    drop = set()
    for sent in doc.sents:
        verb = sent.root
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
        before = verb.i - 1
        if subject is None or verb.tag_ not in ("VBZ", "VBP") or subject.left_edge.i != sent.start or doc[before].text != ",":
            continue
        if not any(t.text in (",", "(", "—", "–", ";") or (t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound")) for t in doc[sent.start : before]):
            drop.add(before)
    return "".join(t.whitespace_ if t.i in drop else t.text_with_ws for t in doc).replace("  ", " ") if drop else doc.text


def end_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", '"')) else text + "."
