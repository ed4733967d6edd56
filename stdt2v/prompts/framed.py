"""The subject named inside a shot description rather than as the sentence's subject: "The
camera ... to capture a person sitting on a breakwater", "Close-up shot from the chest up of a
man ..., DJing in a club", "Medium tracking shot of a woman in her thirties jogging ...". Its
participle becomes the opening sentence's verb and the framing a sentence of its own right after
the opening, before any camera move of the later sentences."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.clauses import end_sentence, has_finite_verb
from stdt2v.prompts.grammar import indefinite, object_pronoun, present, render, tense_replacements
from stdt2v.prompts.opening import opening_phrase
from stdt2v.prompts.style import FRAMING_WORDS, shot_sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def object_subject(doc: Doc, own: Span, subject: str, gender: str | None, notes: list[str], pronouns: dict[int, str]) -> str | None:
    """The subject named as an object ("The camera ... to capture a person sitting on a
    breakwater", "A close-up of someone measuring ..."): its participle clause becomes the
    opening sentence, the rest follows with a pronoun, or goes when it has no verb left; None
    when the parse gives the person no participle of its own."""
    first = own.sent
    # "an old vendor in a white apron, steam rising from the grill": a participle with a subject of its own is not the person's
    acl = next((c for c in own.root.children if c.dep_ == "acl" and c.tag_ == "VBG" and not any(k.dep_ == "nsubj" for k in c.children)), None)
    replace = {**tense_replacements(doc, set()), **pronouns}
    if acl is None:
        return framed_subject(doc, own, subject, replace, object_pronoun(gender))
    span = range(acl.left_edge.i, acl.right_edge.i + 1)
    # "a woman in her thirties jogging": the words between the subject and its participle stay with the subject
    between = render(doc[own.end : acl.i], replace).strip(" ,") if own.end < acl.i and doc[own.end].pos_ == "ADP" else ""
    lead = end_sentence(f"{opening_phrase(own, subject, between)} {present(acl.lemma_, False)} {render(doc[acl.i + 1 : acl.right_edge.i + 1], replace)}")
    obj = object_pronoun(gender)
    rest = {**replace, own.start: obj}
    drop = set(span) | set(range(own.start + 1, acl.i if between else own.end))
    remainder = render(doc[first.start : first.end], rest, drop)
    later = render(doc[first.end :], replace) if first.end < len(doc) else ""
    has_verb = any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") and t.i not in drop for t in first)
    participles = [t for t in first if t.tag_ == "VBG" and t.i not in drop and (t.head.pos_ != "VERB" or t.dep_ == "ROOT") and t.i > own.end]
    if not has_verb:  # "A close-up of him, drawing a line": the participle and the framing join the subject's sentence
        # "her dark ponytail bouncing with each stride": a participle keeps its own subject
        tails = [render(doc[_own_noun(t) : t.right_edge.i + 1], replace, drop).strip(" ,.") for t in participles]
        frame = own.root.head.head if own.root.head.lower_ == "of" and own.root.head.head.pos_ == "NOUN" else None
        named = "".join(t.text_with_ws for t in doc[frame.left_edge.i : frame.i + 1] if t.dep_ != "det").strip().lower() if frame is not None else ""
        # "in a medium tracking shot" needs its article; "in close-up" is said without one
        where = [f"in {named if re.fullmatch(r'close-?up', named) else indefinite(named)}"] if named and FRAMING_WORDS.search(named) else []
        lead = end_sentence(", ".join([lead.rstrip(" .,"), *tails, *where])) if tails or where else lead
        if not tails:
            notes.append(f"'{remainder.strip(' .')}' has no verb once the subject's action is its own sentence; left out of the temporal prompt")
        remainder = ""
    return " ".join(x for x in (lead, end_sentence(remainder[:1].upper() + remainder[1:]) if remainder.strip(" .") else "", later) if x)


def framed_subject(doc: Doc, own: Span, subject: str, replace: dict[int, str], obj: str) -> str | None:
    """'Close-up of a bearded man in a knit beanie sipping coffee ...' (the parse may take the
    participle for an adjective) → 'A man, bearded, in a knit beanie, sips coffee ...'; 'Close-up
    portrait of a woman with silver hair, as she closes her eyes' → 'A woman with silver hair,
    closes her eyes'; then 'The shot frames him in a close-up.'"""
    first = own.sent
    frame = doc[first.start : own.start]
    if not frame or frame[-1].lower_ != "of" or not (FRAMING_WORDS.search(frame.text) or re.search(r"\bportrait\b", frame.text, re.IGNORECASE)):
        return None
    # "..., as she slowly closes her eyes": the subject's own clause carries the verb
    mark = next((t for t in doc[own.end : first.end - 2] if t.lower_ in ("as", "while") and doc[t.i + 1].lower_ in ("he", "she", "they")), None)
    verb = None if mark is not None else next((t for t in doc[own.end : first.end] if t.tag_ == "VBG" or _ing_after_comma(t)), None)
    if (mark is None and has_finite_verb(first)) or (mark is None and (verb is None or verb.i + 1 >= first.end)):
        return None
    cut = mark.i if mark is not None else verb.i
    who = opening_phrase(own, subject, render(doc[own.end : cut], replace).strip(" ,"))
    if mark is not None:
        action = render(doc[mark.i + 2 : first.end], replace)
    else:
        # "DJing": a participle the parse did not know has no lemma to put in the present; 'is' carries the tense
        finite = present(verb.lemma_, False) if verb.tag_ == "VBG" else f"is {verb.text}"
        action = f"{finite} {render(doc[verb.i + 1 : first.end], replace)}"
    named = "".join(t.text_with_ws for t in frame[:-1] if t.dep_ != "det" or t.i > frame.start).strip().lower()
    named = re.sub(r"\b(close-?up) shot (?=from\b)", r"\1 ", named)  # "close-up shot from the chest up" → "a close-up from the chest up"
    later = render(doc[first.end :], replace) if first.end < len(doc) else ""
    # the framing right after the opening, before any camera move of the later sentences
    return " ".join(x for x in (end_sentence(f"{who} {action.rstrip(' .')}"), shot_sentence(obj, "in " + indefinite(named)), later) if x)


def shot_person(doc: Doc) -> int | None:
    """'Wide tracking shot of a young cyclist in a red jacket weaving ...': where the person
    named after a shot's 'of' begins, when the first sentence opens with the shot and the person
    is a noun the lexicon knows as one (a role, an agent noun, a trade compound)."""
    first = next(iter(doc.sents), None)
    of = next((t for t in first or [] if t.lower_ == "of" and t.i - first.start <= 8), None) if first is not None else None
    if of is None or not FRAMING_WORDS.search(doc[first.start : of.i].text) and not re.search(r"\bshot\b", doc[first.start : of.i].text, re.IGNORECASE):
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" for t in doc[first.start : of.i]):
        return None  # "The camera follows a man ...": a sentence with its own verb, not a shot's name
    words = list(doc[of.i + 1 : first.end])
    if not words or words[0].lower_ not in ("a", "an"):
        return None
    # the person noun after the article and its adjectives or compound nouns ("a young Sikh bicycle courier")
    for t in words[1:8]:
        if _person_word(t):  # "a bearded Scottish blacksmith": the tagger may take the trade for a name too
            return words[0].i
        if t.pos_ in ("ADJ", "PROPN") or t.tag_ in ("JJ", "VBN") or (t.pos_ == "NOUN" and not lexicon.is_person_noun(t)):
            continue
        return None
    return None


def _person_word(token) -> bool:
    """A person's noun by its own word (a listed person or trade noun, or an agent noun), never by the parse's guess of a name."""
    words = {token.lemma_.lower(), token.lower_}
    listed = bool(words & (lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS)) and not token.lower_.endswith("s")
    return listed or (token.pos_ == "NOUN" and token.tag_ == "NN" and lexicon.is_person_noun(token) and token.ent_type_ != "PERSON")


def shot_name(doc: Doc, start: int) -> str:
    """'Wide tracking shot of' → 'a wide tracking shot': the shot the words before the person name."""
    words = [t for t in doc[: start - 1] if not ((t.is_punct and t.tag_ != "HYPH") or t.dep_ == "det")]  # "close-up" keeps its hyphen
    named = "".join(t.text_with_ws for t in words).strip().lower()
    return indefinite(named) if named else ""


def in_view(subject: str, text: str) -> str:
    """No verb of the subject's own to open with: a plain sentence that names it, then the input's
    words ("A man is in view. The shot captures him ..."); never a label ("A man: The shot ...")."""
    return f"{subject} is in view. {text[:1].upper()}{text[1:]}"


def _ing_after_comma(token) -> bool:
    """'..., DJing in a crowded club': an -ing word after a comma that the parse took for a name."""
    return token.i > 0 and token.nbor(-1).text == "," and token.lower_.endswith("ing") and token.tag_ in ("NNP", "NN") and len(token) > 4


def _own_noun(participle) -> int:
    """Where a participle's phrase starts: at its own noun when it has one ("her ponytail bouncing")."""
    doc = participle.doc
    head = participle.head
    start = participle.left_edge.i
    if start < participle.i and start > 0 and doc[start - 1].text == ",":  # "his scarf flapping": the parse put the noun under it
        return start
    if participle.dep_ == "acl" and head.i < participle.i and head.pos_ == "NOUN" and head.left_edge.i > 0 and doc[head.left_edge.i - 1].text == ",":
        return head.left_edge.i
    return participle.i
