"""The temporal prompt's opening: the given subject phrase, said once, with what the input said
about the person merged into it.

- A plain subject's own words ("A middle-aged man", "an elderly woman", "a bearded man") stay as
  an aside after the given phrase: "A man, middle-aged, with short gray hair, wears ...".
- A kind word the given phrase does not say ("a young girl", "a teenage boy" under "A woman" /
  "A man") stays as an appositive, as a role does: "A woman, a young girl in a yellow sundress, leans ...".
- A later sentence that only describes the face ("He has dark curly hair and faint stubble.",
  "His expression is focused yet relaxed.") becomes a 'with' phrase of the opening.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.ages import age_phrase, age_then
from stdt2v.prompts.epithet import later_epithet
from stdt2v.prompts.grammar import absolute_participle, indefinite, present
from stdt2v.prompts.participle import describing_participle, verb_as_noun
from stdt2v.prompts.sweep import subject_looks
from stdt2v.prompts.words import proper_adjective

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Person words that say an age or kind the given "A man" / "A woman" does not.
KIND_NOUNS = frozenset("girl boy lady gentleman guy child kid teenager teen youngster".split())
# Adjectives of the subject phrase that say nothing about the person's looks.
_NOT_LOOKS = frozenset("lone solitary single certain same other main young-looking".split())
# Nouns that take no article in "with short hair", "with smooth skin".
_MASS = frozenset("hair skin makeup stubble paint".split())


def kind_role(own: Span, subject: str) -> str | None:
    """'a teenage boy' under 'A man' → 'teenage boy': the kind the subject's own noun says."""
    head = own.root
    if _joined(own):
        return None  # "A young boy and his dog run": two subjects, not a kind of the one
    said = set(re.findall(r"[a-z]+", subject.lower()))
    if head.lemma_.lower() not in KIND_NOUNS or head.lower_ in said or head.lemma_.lower() in said:
        return None
    words = [t for t in own if t.dep_ not in ("det", "poss") and t.tag_ != "PRP$" and t.i <= head.i]
    # "A Scandinavian boy" → "scandinavian boy" never: a nationality keeps its capital, the rest is lowered
    text = "".join(t.text_with_ws if proper_adjective(t) else t.lower_ + t.whitespace_ for t in words).strip()
    return text or None


def looks_cased(own: Span, looks: list[str]) -> list[str]:
    """The subject's looks with the input's capitals where a word has its own ("Caucasian", "Asian"),
    never the sentence's ("Elderly Inuit woman walks" → "elderly Inuit")."""
    cased = {t.lower_: t.text for t in own if (t.i > own.start and t.text[:1].isupper()) or proper_adjective(t)}
    if own[0].is_sent_start and not proper_adjective(own[0]):
        cased[own[0].lower_] = own[0].lower_
    return [" ".join(cased.get(w.lower(), w) for w in look.split(" ")) for look in looks]


def looks_aside(own: Span, subject: str) -> str:
    """'A middle-aged man' → 'middle-aged'; 'a red-haired woman' → 'with red hair'; '' when the
    subject phrase says nothing more than the given one."""
    if _joined(own):
        return ""  # "A young boy and his dog": the look is the boy's, the verb both's
    said = subject.lower()
    looks = looks_cased(own, subject_looks(own))
    looks = [w for w in looks if w.lower() not in said and w.lower() not in _NOT_LOOKS]
    # "young East Asian" as an aside reads as a noun phrase: "young and East Asian"
    looks = [re.sub(r"^(young|elderly|middle-aged|old|older|teenage|stocky|tall|short|slim|lean) (?=[A-Z])", r"\1 and ", w) for w in looks]
    hair = [w for w in looks if w.endswith(" hair")]
    plain = [w for w in looks if w not in hair]
    parts = [" and ".join(plain)] if plain else []
    return ", ".join(parts + [f"with {h}" for h in hair])


def face_phrase(sent: Span, gender: str | None) -> str | None:
    """A sentence that only describes the subject's face or hair, as a 'with' phrase:
    'He has dark curly hair, deep-set brown eyes, and faint stubble.' → 'with dark curly hair, ...';
    'His expression is focused yet relaxed.' → 'with a focused yet relaxed expression'."""
    pronoun, possessive = {"male": ("he", "his"), "female": ("she", "her")}.get(gender or "", (None, None))
    if pronoun is None:
        return None
    words = [t for t in sent if not t.is_punct or t.text == ","]
    if not words or sent[-1].text not in (".", "!") or any(t.text in (";", ":") for t in sent):
        return None
    root = sent.root
    if words[0].lower_ == pronoun and root.lemma_.lower() == "have" and root.i == words[0].i + 1:
        obj = next((c for c in root.children if c.dep_ == "dobj"), None)
        if obj is None or not _all_looks(obj) or obj.right_edge.i + 1 != sent.end - 1 or obj.left_edge.i != root.i + 1:
            return None
        return "with " + sent.doc[obj.left_edge.i : obj.right_edge.i + 1].text
    if words[0].lower_ == pronoun and root.lemma_.lower() == "be" and root.i == words[0].i + 1:
        return _person_described(sent, root)
    if words[0].lower_ == possessive and len(words) > 3 and words[1].lemma_.lower() in lexicon.APPEARANCE_NOUNS and words[2].lemma_.lower() == "be":
        noun, rest = words[1], sent.doc[words[3].i : sent.end - 1]
        adjective = [t for t in rest if t.pos_ == "ADJ" or t.tag_ in ("JJ", "VBN")]  # "focused yet relaxed"
        if not adjective or any(t.pos_ not in ("ADV", "CCONJ") and t.text != "," and t not in adjective for t in rest):
            return None  # "Her face is calm" yes; "her face is lit by a lamp" stays a sentence
        described = f"{rest.text} {noun.text}"
        article = noun.tag_ == "NN" and noun.lower_ not in _MASS
        return "with " + (indefinite(described) if article else described)
    return None


def _person_described(sent: Span, root: Token) -> str | None:
    """'He was a lean man in his forties with a smear of clay on one cheek.' → 'lean, in his
    forties with a smear of clay on one cheek': the person said again, only to describe them."""
    attr = next((c for c in root.children if c.dep_ == "attr"), None)
    age = age_phrase(root)
    alone = age is not None and not any(t.dep_ == "cc" for t in age.subtree)  # "in her twenties and hums": a verb the parse joined to the age
    if attr is None and alone and age.i == root.i + 1 and age.right_edge.i == sent.end - 2 and sent[-1].text == ".":
        return sent.doc[age.i : age.right_edge.i + 1].text  # "She is in her late forties." → 'in her late forties'
    if attr is None or attr.lemma_.lower() not in ("man", "woman") or attr.left_edge.i != root.i + 1 or sent[-1].text != ".":
        return None
    if attr.left_edge.lower_ not in ("a", "an") or any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in sent.doc[attr.i + 1 : sent.end - 1]):
        return None
    looks = [t.text for t in sent.doc[attr.left_edge.i + 1 : attr.i] if t.pos_ == "ADJ" or t.tag_ == "JJ"]
    rest = sent.doc[attr.i + 1 : sent.end - 1].text
    return ", ".join(x for x in (" and ".join(looks), rest) if x) or None


def described_then(sent: Span, gender: str | None) -> tuple[str, int] | None:
    """'She was a wiry woman in her seventies with cropped white hair, and at the top she polished
    the lens.' → ('wiry, in her seventies with cropped white hair', where 'at the top' starts): the
    person said again to describe them, then a clause of its own after ', and' that stays a sentence."""
    pronoun = {"male": "he", "female": "she"}.get(gender or "")
    root = sent.root
    if pronoun is None or sent[0].lower_ != pronoun or root.lemma_.lower() != "be" or root.i != sent.start + 1:
        return None
    attr = next((c for c in root.children if c.dep_ == "attr"), None)
    if attr is None:
        return age_then(sent, root)
    if attr.lemma_.lower() not in ("man", "woman") or attr.left_edge.i != root.i + 1 or attr.left_edge.lower_ not in ("a", "an"):
        return None
    doc = sent.doc
    comma = next((t for t in doc[attr.i + 1 : sent.end - 2] if t.text == "," and t.head.i == root.i and doc[t.i + 1].lower_ == "and"), None)
    if comma is None or not any(c.dep_ == "conj" and c.i > comma.i for c in root.children):
        return None
    looks = doc[attr.left_edge.i + 1 : attr.i]
    if any(t.pos_ not in ("ADJ", "ADV", "PROPN", "PUNCT") and t.tag_ not in ("VBN", "HYPH", "JJ") for t in looks):
        return None
    rest = doc[attr.i + 1 : comma.i]
    rel = next((c for c in attr.children if c.dep_ == "relcl" and c.i == attr.i + 2 and doc[attr.i + 1].lower_ == "who"), None)
    if rel is not None and rel.lemma_.lower() == "be" and rel.lower_ in ("is", "was"):  # "who is in her thirties": the age alone
        rest = doc[rel.i + 1 : comma.i]
    if any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in rest):
        return None
    said = ", ".join(x for x in (looks.text.strip(), rest.text.strip(" ,")) if x)
    return (said, comma.i + 2) if said else None


def _all_looks(obj) -> bool:
    """Every noun of the object list is a look: hair, eyes, stubble, freckles, a beard."""
    nouns = [obj, *(c for c in obj.subtree if c.dep_ == "conj" and c.head.i in {obj.i} | {k.i for k in obj.subtree if k.dep_ == "conj"})]
    looks = lexicon.APPEARANCE_NOUNS | {"eyebrow", "eyelash", "lash", "cheekbone", "nose", "chin", "jaw", "dimple", "scar", "mole", "glasses"}
    return all(n.lemma_.lower() in looks or n.lower_ in looks for n in nouns)


def subject_verb(doc: Doc, own: Span, first: Span, verbs: set[int]) -> int | None:
    """Where the subject's own finite verb begins (its auxiliary or a leading adverb included):
    the place a closing comma or an inserted 'with' phrase goes before."""
    if verbs:
        verb = doc[min(verbs)]
    else:
        verb = first.root
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        misparsed = verb.pos_ not in ("VERB", "AUX") or own.root not in subjects or len(subjects) > 1
        if misparsed and not absolute_participle(verb) and not describing_participle(verb):
            return _verb_taken_for_noun(doc, own, first)  # "a nose ring dances alone ... while music echoes": two subjects, a misparse
    # "... and hair tucked behind one ear.": a participle that describes a noun is no verb of the person's
    if absolute_participle(verb) or describing_participle(verb):  # "An old man with a lined face, thin hair combed back, and glasses sits": 'sits'
        verb = next((c for c in verb.children if c.dep_ == "conj" and c.tag_ in ("VBZ", "VBP", "VBD")), None)
        if verb is None:
            return None
    # "A woman with a shaved head dances alone ..., while music echoes": the parse may hang the
    # subject on a later verb; the first finite verb of the main clause after it is the subject's.
    nearer = next(
        (t for t in doc[own.end : verb.i] if t.tag_ in ("VBZ", "VBP", "VBD") and t.pos_ == "VERB" and _main_clause(t) and not _own_subject(t, own)), None
    )
    verb = nearer or verb
    if verb.i > own.end and verb_as_noun(doc[verb.i - 1]):
        verb = doc[verb.i - 1]  # "in a sari roasts cumin seeds": the verb the parse took for a noun, before the one it shifted
    start = verb.i
    for c in verb.children:
        if c.i < start and c.i >= own.end and (c.dep_ in ("aux", "auxpass", "neg") or (c.dep_ == "advmod" and c.i == start - 1)):
            start = c.i
    return start if start >= own.end else None


def seen_doing(doc: Doc, own: Span | None) -> dict[int, str]:
    """'a woman is seen riding a road bicycle' → 'a woman rides a road bicycle': the caption's
    'is seen' goes and the participle is the person's verb (the person's own subject or pronoun;
    'a train can be seen arriving' keeps its words)."""
    out: dict[int, str] = {}
    for seen in doc:
        if seen.lemma_.lower() != "see" or seen.tag_ != "VBN" or seen.i + 1 >= len(doc):
            continue
        aux = [c for c in seen.children if c.dep_ == "auxpass" and c.lower_ in ("is", "was") and c.i == seen.i - 1]
        who = next((c for c in seen.children if c.dep_ == "nsubjpass"), None)
        doing = doc[seen.i + 1]
        if doing.tag_ == "RB" and doing.i + 1 < len(doc) and doc[doing.i + 1].tag_ == "VBG":
            doing = doc[doing.i + 1]  # "is seen carefully repotting" → "carefully repots": the adverb stays before the verb
        person = who is not None and ((own is not None and who.i == own.root.i) or who.lower_ in ("he", "she"))
        if aux and person and doing.tag_ == "VBG" and doing.head.i == seen.i and doing.dep_ in ("xcomp", "advcl", "acl"):
            out |= {aux[0].i: "", seen.i: "", doing.i: present(doing.lemma_, False)}
    return out


def looks_lead(main: list[str], first: Span, own: Span, replace: dict[int, str], verbs: set[int], at: int | None) -> list[str]:
    """'A woman in her forties, with long braids and a headwrap. Small hoop earrings catch the
    light. She sits at a potter's wheel ...' → 'A woman in her forties, with ..., sits at a
    potter's wheel ... Small hoop earrings catch the light.': an opening of looks alone (no finite
    verb) takes the verb of the first of the next two sentences whose subject is the person's pronoun."""
    doc = first.doc
    if (
        verbs
        or at is not None
        or own.start != first.start
        or len(main) < 2
        or not main[0].endswith(".")
        or any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in first)
        # "... and black shorts practices alone": a verb the parse took for a noun, the opening's own ("in her thirties with" is an age)
        or any(verb_as_noun(t) and t.nbor(1).pos_ in ("ADV", "ADP") and not t.lower_.endswith("ties") for t in first[:-1])
    ):
        return main
    later = list(doc[first.end :].sents)[:2] if first.end < len(doc) else []
    for k, sent in enumerate(later):
        verb = sent[1] if len(sent) > 2 else None
        if sent[0].lower_ in ("he", "she") and sent[0].dep_ == "nsubj" and verb is not None and verb.tag_ in ("VBZ", "VBP", "VBD") and verb.i == sent.root.i:
            said = f"{sent[0].text} {replace.get(verb.i, verb.text)} "
            j = k + 1
            if j < len(main) and main[j].startswith(said):
                return [f"{main[0].rstrip('. ')}, {main[j][len(sent[0].text) + 1 :]}", *main[1:j], *main[j + 1 :]]
            return main
        if any(t.lower_ in ("he", "she") for t in sent):
            return main  # a sentence about the person that is not the action: not this case
    return main


def opening_phrase(own: Span, subject: str, between: str = "") -> str:
    """The given subject with the input's kind or looks and the words between it and its verb:
    'A man, a teenage boy,' / 'A man, bearded, in a knit beanie,' / 'A man in a knit beanie'."""
    role = kind_role(own, subject)
    aside = "" if role else looks_aside(own, subject)
    said = indefinite(role) if role else aside
    if not said and _AGE.fullmatch(between):  # "a woman in her thirties jogging" → "A woman, in her thirties, jogs": the age as an aside
        return f"{subject}, {between},"
    if not said:  # "A woman with silver hair, wearing pearl earrings, closes": a comma closes what one opened
        return f"{subject} {between}{',' if ', ' in between else ''}".strip()
    return f"{subject}, {said}, {between}," if between else f"{subject}, {said},"


_AGE = re.compile(r"in (?:his|her|their) (?:early |mid-?|late )?(?:\d0s|(?:twen|thir|for|fif|six|seven|eigh|nine)ties)", re.IGNORECASE)
_SHOT_AS = re.compile(r"^(?:Shot|Filmed|Framed|Captured|Seen)\s+(?=(?:from|in|at|with)\b)")


def framing_sentence(text: str, obj: str) -> str:
    """'Shot from the waist up, slightly off to the side.' → 'The shot frames him from the waist up,
    slightly off to the side.': a verbless sentence about the shot, said as an expert does."""
    match = _SHOT_AS.match(text)
    return f"The shot frames {obj} {text[match.end() :]}" if match else text


def _main_clause(verb) -> bool:
    """Not inside a relative, adverbial or complement clause ("a coat that covers ...")."""
    return not any(t.dep_ in ("relcl", "acl", "advcl", "ccomp", "amod", "pcomp", "xcomp") for t in [verb, *verb.ancestors])


def _verb_taken_for_noun(doc: Doc, own: Span, first: Span) -> int | None:
    """'A woman with a nose ring dances alone in a warehouse': a motion verb in -s that the small
    model tagged as a plural noun, right after the subject's modifiers."""
    for t in doc[own.end : first.end]:
        if t.tag_ in ("VBZ", "VBP", "VBD") and t.pos_ in ("VERB", "AUX"):
            return None  # a verb the parse saw: not this case
        stem = {t.lower_[:-1], t.lower_[:-2]} if t.lower_.endswith("s") else set()
        nxt = doc[t.i + 1] if t.i + 1 < first.end else None
        if t.tag_ == "NNS" and stem & lexicon.MOTION_VERBS and nxt is not None and nxt.pos_ in ("ADP", "ADV", "ADJ", "DET", "PART"):
            return t.i if doc[t.i - 1].pos_ in ("NOUN", "PROPN") else None
    return None


def _own_subject(verb, own: Span) -> bool:
    """'..., her apron dusted with flour, grabs': a verb with a subject other than the person's."""
    return absolute_participle(verb) or any(c.dep_ in ("nsubj", "nsubjpass") and c.i != own.root.i for c in verb.children)


def _joined(own: Span) -> bool:
    """'A young boy and his dog': the subject phrase joined by 'and' to another (the parse may
    also join 'a beard' to the man in 'a man with short hair and a beard': not this)."""
    return own.end < len(own.doc) and own.doc[own.end].lower_ == "and"


def role_after(own: Span) -> str | None:
    """'a young Black woman photographer': a role noun right after the plain person noun names the
    kind; the person's own words go with it ('young Black photographer') and 'woman' goes."""
    doc = own.doc
    nxt = doc[own.end] if own.end < len(doc) else None
    if nxt is None or nxt.pos_ != "NOUN" or nxt.tag_ != "NN" or own.root.lemma_.lower() not in lexicon.PLAIN_PERSON or _joined(own):
        return None
    if nxt.lemma_.lower() not in lexicon.PERSON_NOUNS or nxt.lemma_.lower() in lexicon.PLAIN_PERSON:
        return None
    words = [t for t in own if t.dep_ not in ("det", "poss") and t.tag_ != "PRP$" and t.i < own.root.i]
    if any(t.pos_ not in ("ADJ", "PROPN") and t.tag_ not in ("JJ", "HYPH") for t in words):
        return None  # only adjectives ride along: anything else and the input's words stay
    text = "".join(t.text_with_ws if proper_adjective(t) or t.text[:1].isupper() and t.i > own.start else t.lower_ + t.whitespace_ for t in words)
    return f"{text.strip()} {nxt.text}".strip()


def named_subject(doc: Doc, subject: str | None, gender: str | None) -> tuple[str, str] | None:
    """'Maria was a grape picker in the Douro Valley. ... Maria laughs.' → 'A grape picker is in
    the Douro Valley. ... She laughs.': a first name is nobody's role and takes no article. The
    story's first subject, a capitalised proper noun with no determiner that is no place, goes:
    its predicate noun becomes the subject (the role) where the sentence names one, else the given
    subject stands in; later mentions become the pronoun. (The text, the name), or None when the
    story opens otherwise."""
    pronoun, possessive = {"male": ("he", "his"), "female": ("she", "her")}.get(gender or "", ("they", "their"))
    name = _opening_name(doc, pronoun)
    if name is None:
        return None
    said = {t.text for t in name}
    replace: dict[int, str] = {}
    verb = name.root.head
    attr = next((c for c in verb.children if c.dep_ == "attr"), None)
    copula = verb.lemma_.lower() == "be" and verb.tag_ in ("VBD", "VBZ") and verb.i == name.end
    rest = doc[attr.i + 1 : verb.sent.end] if attr is not None else doc[0:0]
    # "Maria was a grape picker in the valley" → "A grape picker is in the valley": the role, then the
    # rest; never after "of" ("a picker of grapes" is one noun phrase)
    role_shape = copula and attr is not None and attr.pos_ == "NOUN" and attr.left_edge.lower_ in ("a", "an") and attr.left_edge.i == verb.i + 1
    if role_shape and len(rest) and rest[0].pos_ == "ADP" and rest[0].lower_ != "of":
        replace |= {t.i: "" for t in name} | {verb.i: "", attr.left_edge.i: attr.left_edge.text.capitalize()}
        replace[attr.i] = f"{attr.text} {'is' if verb.tag_ == 'VBZ' else 'was'}"
    else:
        replace |= {t.i: "" for t in name[:-1]} | {name[-1].i: subject or {"male": "A man", "female": "A woman"}.get(gender or "", "A person")}
    for t in doc[name.end :]:
        if t.text in said and t.pos_ == "PROPN" and t.i + 1 < len(doc) and doc[t.i + 1].text in said and doc[t.i + 1].pos_ == "PROPN":
            replace[t.i] = ""  # "Maria Lopez laughs": the pronoun stands for the whole name, once
            continue
        if t.text in said and t.pos_ == "PROPN":
            poss = t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS"
            word = possessive if poss else pronoun
            replace[t.i] = word.capitalize() if t.is_sent_start else word
            if poss:  # "Ivan's breath" → "his breath": the space after the 's
                replace[t.i], replace[t.i + 1] = replace[t.i] + doc[t.i + 1].whitespace_, ""
    return "".join((replace[t.i] + t.whitespace_ if replace[t.i] else "") if t.i in replace else t.text_with_ws for t in doc).strip(), name.text


def _opening_name(doc: Doc, pronoun: str) -> Span | None:
    """The first sentence's subject when it is a person's name: capitalised proper nouns with no
    determiner, the parse's PERSON, or any other proper noun the story goes on to call by the
    person's pronoun (the small model reads "Kenji" as a place; "Paris glows ... as a man walks" stays)."""
    first = next(iter(doc.sents), None)
    if first is None or len(first) < 3:
        return None
    head = first[0]
    # "Every winter since he was a boy, Jonas had fished ...": the name after an opening adverbial and its comma
    later = [c for c in first.root.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PROPN" and c.left_edge.i > first.start]
    if head.dep_ not in ("nsubj", "nsubjpass", "compound") and later and doc[later[0].left_edge.i - 1].text == ",":
        head = later[0].left_edge
    names = [head]
    while names[-1].i + 1 < first.end and names[-1].dep_ == "compound" and doc[names[-1].i + 1].pos_ == "PROPN":
        names.append(doc[names[-1].i + 1])
    root = names[-1]
    if root.dep_ not in ("nsubj", "nsubjpass") or root.head.i != first.root.i or len(names) > 3:
        return None
    # "Tomasz had kept bees ... He lifted": a name the small tagger does not know reads as a bare noun;
    # a singular noun with no article opening a story, then called by the person's pronoun, is a name
    unknown = len(names) == 1 and root.tag_ == "NN" and root.text[:1].isupper() and root.text[1:].islower() and root.lemma_.lower() not in lexicon.MASS_NOUNS
    unknown = unknown or (len(names) == 1 and root.pos_ == "ADV" and root.text.istitle())  # "Lily is eight": no adverb is a subject
    if any((t.pos_ != "PROPN" and not unknown) or not t.text[:1].isupper() or not t.is_alpha for t in names) or any(c.dep_ == "det" for c in root.children):
        return None
    # "Fisherman had ..." is a role; a name the parse marks a person ("Ravi" tagged a noun) is a name
    if root.lower_ in lexicon.PERSON_NOUNS or lexicon.is_person_noun(root) and unknown and root.ent_type_ != "PERSON":
        return None
    if root.lemma_.lower() in lexicon.TIME_NOUNS | lexicon.LIGHT_NOUNS:
        return None  # "Dawn broke over the harbor. He hauled the nets.": a time, not a name
    called = any(t.lower_ == pronoun and t.dep_ == "nsubj" for t in doc[first.end :]) or later_epithet(first, pronoun)  # "... the old woman tied"
    called = called or any(c.dep_ == "appos" and lexicon.is_person_noun(c) for c in root.children)  # "Priya, a beekeeper, lifts": she is one
    if (root.ent_type_ != "PERSON" or unknown) and not called:
        return None
    return doc[names[0].i : root.i + 1]


def name_title(name: str) -> str | None:
    """'Grandpa Lucas' → 'grandpa', 'Uncle Marco' → 'uncle': a kin or trade title before a name is
    the person's role once the name goes; None for a bare name."""
    words = name.split()
    lead = words[0].lower() if len(words) > 1 else ""
    return lead if lead in lexicon.ROLE_NOUNS | lexicon.PERSON_NOUNS and lead not in lexicon.PLAIN_PERSON else None
