"""The input's own slips that an expert fixes before anything else reads it, only where the fix is
certain: a doubled function word ("and and", "the the"; never "had had" nor "that that"), "a"
before a vowel sound ("a orange hoodie" → "an orange hoodie"; never "a university", "a one-time",
"a European"), a nationality or ethnicity adjective written in lower case ("inuit" → "Inuit"), and
a sentence that opens in lower case."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon

if TYPE_CHECKING:
    from spacy.language import Language

# Words that are never said twice in a row: articles, conjunctions, prepositions, possessives.
_NEVER_TWICE = frozenset("a an the and or but on in at to of with for from by into onto over under through his their".split())
# Vowel letters that open with a consonant sound ("a one-time", "a European", "a ewe") and silent h's.
_CONSONANT_SOUND = ("one", "once", "eu", "ewe")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_COMPASS = frozenset("east west north south southeast southwest northeast northwest middle".split())
_ABBREVIATIONS = frozenset("e.g i.e etc approx vs ca st mr mrs ms dr no".split())
_ARTICLE = re.compile(r"(?<![\w'-])(a|A) (([A-Za-z])[a-z][a-z'-]*)\b")
_SENTENCE_START = re.compile(r"(^[\"'(]?|[.!?][\"')\]]* +[\"'(]?)([a-z])")


def fix_slips(nlp: Language, text: str) -> tuple[str, list[str]]:
    """(the text with its slips fixed, one note per kind of fix). A sentence's lower-case start is
    left to ``capitalize_sentences`` on the output: "Elderly inuit woman" parses as a name."""
    notes = []
    fixed = _articles(text)
    if fixed != text:
        notes.append("'a' before a vowel sound made 'an'")
        text = fixed
    candidates = re.search(r"\b(\w+) \1\b", text, flags=re.IGNORECASE) or any(w in lexicon.DEMONYMS for w in re.findall(r"\b[a-z]+\b", text))
    if candidates:
        doc = nlp(text)
        gone, capital = _doubled(doc), _demonyms(doc)
        if gone:
            notes.append("a word said twice in a row said once")
        if capital:
            notes.append(f"capitalised: {', '.join(doc[i].text for i in sorted(capital))}")
        text = "".join("" if t.i in gone else (t.text.capitalize() if t.i in capital else t.text) + t.whitespace_ for t in doc)
    return text, [f"fixed the input's slip: {n}" for n in notes]


def capitalize_sentences(text: str) -> str:
    """Every sentence opens with a capital letter (a lowercase input sentence, a clause made a sentence)."""
    return _sentence_starts(text)


def _demonyms(doc) -> set[int]:
    """'elderly inuit woman' → 'Inuit', 'an east asian man' → 'East Asian': a nationality in lower
    case before the noun it describes (not "pad thai", a dish's name after its noun)."""
    out = set()
    for t in doc:
        # the parse of a lower-case nationality is unsure ("elderly inuit woman" reads 'inuit' as a verb): the next word decides too
        before_noun = t.i + 1 < len(doc) and t.nbor(1).is_alpha and t.nbor(1).tag_.startswith(("NN", "JJ"))
        describes = t.dep_ in ("amod", "compound", "nmod") and t.head.i > t.i and t.head.pos_ in ("NOUN", "PROPN")
        middle_eastern = t.text in ("eastern", "western") and t.i > 0 and t.nbor(-1).text == "middle"
        if (t.text in lexicon.DEMONYMS or middle_eastern) and (describes or before_noun):
            out.add(t.i)
            if t.i > 0 and t.nbor(-1).text in _COMPASS:
                out.add(t.i - 1)
    return out


def _vowel_sound(word: str) -> bool:
    """Does the word open with a vowel sound? Only where the spelling makes it certain."""
    low = word.lower()
    if low.startswith(_SILENT_H):
        return True
    if low[0] in "aio":
        return not low.startswith(_CONSONANT_SOUND)
    if low[0] == "e":
        return not low.startswith(_CONSONANT_SOUND)
    # "an umbrella", "an unlit lamp", "an urban street": u and two consonants; "a unicorn", "a user", "a Ukrainian" left alone
    return low[0] == "u" and word[0] == "u" and len(low) >= 4 and low[1] not in "aeiouy" and low[2] not in "aeiouy"


def _articles(text: str) -> str:
    def fix(m: re.Match) -> str:
        article, word = m.group(1), m.group(2)
        at_start = m.start() == 0 or re.search(r"[.!?]\s*$", text[: m.start()]) is not None
        if article == "A" and not at_start:
            return m.group(0)  # "Plan A or B": a letter, not the article
        return f"{article}n {word}" if _vowel_sound(word) else m.group(0)

    return _ARTICLE.sub(fix, text)


def _sentence_starts(text: str) -> str:
    def cap(m: re.Match) -> str:
        before = text[: m.start(2)].rstrip(" \"'()]").rstrip(".!?")
        last = re.split(r"\s", before)[-1].lower() if before else ""
        return m.group(0) if last in _ABBREVIATIONS else m.group(1) + m.group(2).upper()

    return _SENTENCE_START.sub(cap, text)


def _doubled(doc) -> set[int]:
    """'stops near the fountain and and drinks' → '... and drinks'; 'turns the light on on the
    porch' stays (a particle, then a preposition)."""
    return {t.i for t in doc[1:] if t.lower_ in _NEVER_TWICE and t.nbor(-1).lower_ == t.lower_ and t.nbor(-1).whitespace_ and t.nbor(-1).dep_ != "prt"}
