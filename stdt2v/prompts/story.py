"""Stories and the person they are about: whose pronouns the given subject's gender governs.

A prompt already about a woman ("a young woman bargains with a spice seller ... laughing at his
reply") needs no pronoun rewritten for the subject "A woman": every "his" there is someone
else's (the seller's). Only a prompt told about the other gender has its pronouns rewritten.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_MALE = frozenset("he him his himself".split())
_FEMALE = frozenset("she her hers herself".split())


def _gender_of_word(word: str) -> str | None:
    if word in _MALE or word in lexicon.MALE_NOUNS:
        return "male"
    if word in _FEMALE or word in lexicon.FEMALE_NOUNS:
        return "female"
    return None


def _first_subject(doc: Doc) -> Token | None:
    """The opening sentence's first subject, not its root's: the parse may hang "A fisherman and
    his granddaughter sit" under a later clause."""
    first = next(iter(doc.sents), None)
    return next((t for t in first if t.dep_ in ("nsubj", "nsubjpass")), None) if first is not None else None


def told_gender(doc: Doc) -> str | None:
    """The gender the prompt itself gives its person: its opening subject's when that is a gendered
    noun or pronoun and the first 'he' / 'she' subject after it agrees ("A tall woman ... pointing at
    his meter": the woman's); else its first gendered pronoun ("A fisherman and his granddaughter");
    None when it gives none or disagrees with itself ("A woman had kept bees. He lifted ...")."""
    if next(iter(doc.sents), None) is None:
        return None
    subject = _first_subject(doc)
    said = (_gender_of_word(subject.lower_) or _gender_of_word(subject.lemma_.lower())) if subject is not None else None
    if said is None:
        return next((g for t in doc if t.pos_ == "PRON" and (g := _gender_of_word(t.lower_))), None)
    later = next((t for t in doc[subject.i + 1 :] if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("he", "she")), None)
    return said if later is None or _gender_of_word(later.lower_) == said else None


def someone_else(pronoun: Token, gender: str) -> bool:
    """Whether a pronoun of the other gender than the subject's, in a prompt told of the subject's
    gender, can be another person's: a person other than the subject is named before it ("a spice
    seller ... at his reply", "a little girl ... her balloon"). Else it is the writer's slip for the
    subject's own ("An old lady knits ... a cat jumps on his lap"), rewritten as before."""
    if _gender_of_word(pronoun.lower_) in (None, gender):
        return False  # "alongside his" for "him": the writer's slip of form, same person
    # the first person named is the subject, whatever the parse makes the sentence's subject ("A baker with ..., grey hair tucked ... stands")
    body = lexicon.APPEARANCE_NOUNS | lexicon.BODY_NOUNS  # "grey hair" the small NER may tag as a person
    people = [t for t in pronoun.doc[: pronoun.i] if t.pos_ == "NOUN" and lexicon.is_person_noun(t) and t.lemma_.lower() not in body]
    # "A woman, a nurse, ...": the subject's own role is no other person
    others = [t for t in people[1:] if not (t.dep_ == "appos" and t.head.i == people[0].i)]
    return any(_gender_of_word(t.lemma_.lower()) != gender for t in others)


def inside_compound(token: Token) -> bool:
    """Whether a comma before ``token`` would split one word or compound: after a hyphen
    ("thick-rimmed"), or a plural noun in -ings the tagger read as a verb after the noun it
    compounds with ("ear piercings", "oil paintings")."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is None:
        return False
    return before.tag_ == "HYPH" or (before.pos_ == "NOUN" and token.lower_.endswith("ings") and len(token) > 6)


_SPLIT_HYPHEN = re.compile(r"(?<=\w)-, (?=\w)")


def whole_compounds(text: str) -> str:
    """'thick-, rimmed glasses' → 'thick-rimmed glasses': a comma never follows a word's hyphen
    (a step that closed a phrase before a participle took the compound's second half for it)."""
    return _SPLIT_HYPHEN.sub("-", text)


def aside_once(text: str) -> str:
    """'A man, a twelve-year-old boy, twelve-year-old, plays' → 'A man, a twelve-year-old boy,
    plays': in the opening sentence, an aside between commas whose words the aside before it
    already said goes (the role said the age; the looks step said it again)."""
    head, stop, rest = text.partition(". ")
    parts = head.split(", ")
    kept = parts[:1]
    for part in parts[1:]:
        words, before = part.lower().split(), kept[-1].lower().split()
        inside = len(kept) > 1 and 0 < len(words) < len(before) and any(before[i : i + len(words)] == words for i in range(len(before)))
        if not inside:
            kept.append(part)
    return ", ".join(kept) + stop + rest


def _is_name(t: Token) -> bool:
    """A capitalised proper noun with no determiner of its own: a first name ("Amara", "Leo")."""
    return t.pos_ == "PROPN" and t.text[:1].isupper() and t.text[1:].islower() and t.is_alpha and not any(c.dep_ == "det" for c in t.children)


def _pronoun_for_name(doc: Doc, name: str, gender: str | None, start: int) -> dict[int, str]:
    """Later mentions of the name as the pronoun ("Leo grins" → "he grins", "Leo's" → "his")."""
    pronoun, possessive = {"male": ("he", "his"), "female": ("she", "her")}.get(gender or "", ("they", "their"))
    out: dict[int, str] = {}
    for t in doc[start:]:
        if t.text != name or t.pos_ not in ("PROPN", "NOUN", "ADJ"):
            continue  # the small tagger reads a name it does not know as a noun
        poss = t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS"
        word = possessive if poss else pronoun
        out[t.i] = word.capitalize() if t.is_sent_start else word
        if poss:
            out[t.i + 1] = ""
    return out


def _rendered(doc: Doc, replace: dict[int, str]) -> str:
    out = []
    for t in doc:
        if t.i not in replace:
            out.append(t.text_with_ws)
        elif replace[t.i]:
            out.append(replace[t.i] + t.whitespace_)
    return "".join(out).strip()


def apposed_name(doc: Doc, gender: str | None) -> tuple[str, str] | None:
    """'A girl, Amara, age nine, runs' → 'A girl, age nine, runs'; 'A teenage boy named Leo grins'
    → 'A teenage boy grins': a name beside the story's person noun is no look, and the subject
    phrase stands for it; later mentions become the pronoun. (The text, the name), or None."""
    subject = _first_subject(doc)
    if subject is None or subject.pos_ != "NOUN" or not lexicon.is_person_noun(subject):
        return None
    after = doc[subject.i + 1] if subject.i + 2 < len(doc) else None
    if after is not None and after.lower_ in ("named", "called") and doc[after.i + 1].text.istitle() and doc[after.i + 1].is_alpha:
        name = doc[after.i + 1]  # "a farmer called Bruno leans": the parse may read the name into the verb
        replace = {after.i: "", name.i: ""} | _pronoun_for_name(doc, name.text, gender, subject.sent.end)
        return _rendered(doc, replace), name.text
    for c in subject.children:
        named = c.dep_ == "acl" and c.lower_ in ("named", "called") and c.i == subject.i + 1
        name = next((k for k in c.children if k.dep_ in ("oprd", "dobj", "attr") and _is_name(k)), None) if named else c
        if name is None or not _is_name(name) or not (named or (c.dep_ == "appos" and doc[c.i - 1].text == ",")):
            continue
        if any(k.dep_ == "compound" for k in name.children):
            continue  # "Maria Lopez": left to the opening's name reading
        gone = range(c.i, name.i + 1) if named else range(c.i - 1, c.i + 1)  # ", Amara" with its opening comma
        replace = {i: "" for i in gone} | _pronoun_for_name(doc, name.text, gender, subject.sent.end)
        return _rendered(doc, replace), name.text
    return None


_CHILD_AGES = {
    w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen".split())
}


def aged_name(text: str, subject: str | None, gender: str | None) -> tuple[str, str] | None:
    """'Sixteen-year-old Mateo lands the kickflip. Mateo's friends cheer.' → 'A man, a
    sixteen-year-old boy, lands the kickflip. His friends cheer.': an age before the opening name
    is said as the person it makes them (a child's age: a boy or girl) beside the subject; later
    mentions of the name become the pronoun. Read on the words: the small parser takes such a name
    for a noun or a place. (The text, the name), or None when the story opens otherwise."""
    match = _AGED_NAME.match(text)
    if match is None or gender not in ("male", "female"):
        return None
    word, name = match.group(1).lower(), match.group(2)
    age = int(word) if word.isdigit() else _CHILD_AGES.get(word, 99)
    noun = ({"male": "boy", "female": "girl"} if age < 18 else {"male": "man", "female": "woman"})[gender]
    article = "an" if word.startswith(("8", "11", "18", "eight", "eleven")) else "a"
    pronoun, possessive = ("he", "his") if gender == "male" else ("she", "her")
    rest = re.sub(rf"\b{name}'s\b", possessive, text[match.end() :])
    rest = re.sub(rf"\b{name}\b", pronoun, rest)
    rest = re.sub(r"(^|[.!?] )(he|she|his|her)\b", lambda m: m.group(1) + m.group(2).capitalize(), rest)
    who = subject or ("A man" if gender == "male" else "A woman")
    return f"{who}, {article} {word}-year-old {noun}, {rest}", name


_AGED_NAME = re.compile(r"^(\w+)-years?-old ((?-i:[A-Z][a-z]+)) (?=(?-i:[a-z]))", re.IGNORECASE)


def named_with_role(doc: Doc) -> bool:
    """'Yusuf, a nine-year-old boy, has practiced ...': a story opening on a name set off by its
    role, with the verb after it; prose, never a list of tags."""
    first = next(iter(doc.sents), None)
    if first is None or len(first) < 5 or first[0].pos_ != "PROPN" or first[1].text != ",":
        return False
    name = first[0]
    role = any(c.dep_ == "appos" and lexicon.is_person_noun(c) for c in name.children)
    return role and name.dep_ in ("nsubj", "nsubjpass") and name.head.pos_ in ("VERB", "AUX")


_SPANS = frozenset("year decade month week lifetime career season".split())


def years_as_role(doc: Doc) -> str | None:
    """'After thirty years as a ballet teacher, Irina stays late ...' → 'Irina, a ballet teacher,
    stays late ...': the years are history; the role they name is said beside the person, where
    the opening merges it ("a former nurse" when the sentence says the person 'now' does
    something else). None when the story opens otherwise."""
    first = next(iter(doc.sents), None)
    lead = first[0] if first is not None else None
    if lead is None or lead.lower_ != "after" or lead.dep_ != "prep" or lead.head.i != first.root.i:
        return None
    span = next((o for o in lead.children if o.dep_ == "pobj" and o.lemma_.lower() in _SPANS), None)
    as_ = next((p for p in span.children if p.dep_ == "prep" and p.lower_ == "as"), None) if span is not None else None
    # "thirty years as a piano tuner": what one is 'as' for years is a role, listed or not
    role = next((o for o in as_.children if o.dep_ == "pobj" and o.tag_ == "NN"), None) if as_ is not None else None
    subject = next((c for c in first.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    comma = lead.right_edge.i + 1
    if role is None or subject is None or comma >= len(doc) or doc[comma].text != "," or subject.left_edge.i != comma + 1:
        return None
    words = [t.text_with_ws for t in doc[role.left_edge.i : role.i + 1]]
    if any(c.dep_ == "advmod" and c.lower_ == "now" for c in first.root.children) and doc[role.left_edge.i].dep_ == "det":
        words.insert(1, "former ")  # "After twenty years as a nurse, Helen now paints": she was one
    said = "".join(words).strip()
    who = doc[subject.left_edge.i : subject.right_edge.i + 1].text
    rest = doc[subject.right_edge.i + 1 :].text
    return f"{who[:1].upper()}{who[1:]}, {said}, {rest}"
