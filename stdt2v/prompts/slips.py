"""The input's own slips that an expert fixes before anything else reads it, only where the fix is
certain: a doubled function word ("and and", "the the"; never "had had" nor "that that"), "a"
before a vowel sound ("a orange hoodie" → "an orange hoodie"; never "a university", "a one-time",
"a European"), a nationality or ethnicity adjective written in lower case ("inuit" → "Inuit"), 'thru' spelt
out, a sentence that opens in lower case, a verb in a list that disagrees with its subject."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import match_case, present
from stdt2v.prompts.worn import worn_before_state

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Words that are never said twice in a row: articles, conjunctions, prepositions, possessives.
_NEVER_TWICE = frozenset("a an the and or but on in at to of with for from by into onto over under through his their".split())
# Vowel letters that open with a consonant sound ("a one-time", "a European", "a ewe") and silent h's.
_CONSONANT_SOUND = ("one", "once", "eu", "ewe")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_COMPASS = frozenset("east west north south southeast southwest northeast northwest middle".split())
_ABBREVIATIONS = frozenset("e.g i.e a.m p.m etc approx vs ca st mr mrs ms dr no".split())
_ARTICLE = re.compile(r"(?<![\w'-])(a|A) (([A-Za-z])[a-z][a-z'-]*)\b")
_SENTENCE_START = re.compile(r"(^[\"'(]?|[.!?][\"')\]]* +[\"'(]?)([a-z])")


def fix_slips(nlp: Language, text: str) -> tuple[str, list[str]]:
    """(the text with its slips fixed, one note per kind of fix). A sentence's lower-case start is
    left to ``capitalize_sentences`` on the output: "Elderly inuit woman" parses as a name."""
    notes = []
    fixed = re.sub(r"\b(?:thru|Thru)\b", lambda m: "T" * m.group(0)[0].isupper() + "through"[m.group(0)[0].isupper() :], text)
    if fixed != text:
        notes.append("'thru' spelt out")
        text = fixed
    fixed = _articles(text)
    if fixed != text:
        notes.append("'a' before a vowel sound made 'an'")
        text = fixed
    candidates = re.search(r"\b(\w+) \1\b", text, flags=re.IGNORECASE) or any(w in lexicon.DEMONYMS for w in re.findall(r"\b[a-z]+\b", text))
    if candidates or _RUN_ON.search(text):
        doc = nlp(text)
        gone, capital, stops = _doubled(doc), _demonyms(doc), _run_on(doc)
        if gone:
            notes.append("a word said twice in a row said once")
        if capital:
            notes.append(f"capitalised: {', '.join(doc[i].text for i in sorted(capital))}")
        if stops:
            notes.append("a sentence run on after a list of looks ended with a full stop")
        text = "".join(
            ""
            if t.i in gone
            else (". " if t.i in stops else "") + (t.text.capitalize() if t.i in capital | stops else t.text) + t.whitespace_ * (t.i + 1 not in stops)
            for t in doc
        )
    return text, [f"fixed the input's slip: {n}" for n in notes]


_RUN_ON = re.compile(r"[a-z] (?:he|she|they) [a-z]")
_SUBJECT_PRONOUNS = frozenset(("he", "she", "they"))


def _run_on(doc) -> set[int]:
    """'a old man with a long grey beard, white turban, kind eyes he is sitting on a carpet': a
    subject pronoun right after a noun, in a sentence with no finite verb before it, opens a new
    sentence the writer ran on (never 'the book he wrote', after a verb of its own sentence)."""
    out = set()
    for t in doc[1:]:
        if (
            t.lower_ not in _SUBJECT_PRONOUNS
            or t.dep_ not in ("nsubj", "nsubjpass")
            or t.nbor(-1).pos_ not in ("NOUN", "PROPN")
            or t.nbor(-1).whitespace_ != " "
        ):
            continue
        if t.i + 1 >= len(doc) or t.nbor(1).pos_ not in ("VERB", "AUX"):
            continue
        before = doc[t.sent.start : t.i]
        time = t.nbor(-1).dep_ in ("npadvmod", "advmod") or t.nbor(-1).ent_type_ in ("DATE", "TIME")  # "This morning she ...": no list
        if not time and any(k.text == "," for k in before) and not any(k.tag_ in lexicon.FINITE_TAGS | {"MD"} for k in before):
            out.add(t.i)
    return out


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


_FUNCTION_WORDS = frozenset("or and is in on of at as".split())


def _articles(text: str) -> str:
    def fix(m: re.Match) -> str:
        article, word = m.group(1), m.group(2)
        at_start = m.start() == 0 or re.search(r"[.!?]\s*$", text[: m.start()]) is not None
        after = text[m.end() :].lstrip().split(" ", 1)[0].lower()
        if (article == "A" and not at_start) or word.lower() in _FUNCTION_WORDS or after in ("or", "and"):
            return m.group(0)  # "Plan A or B", "vitamin a or c": a letter, not the article
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
    doubled = {t.i for t in doc[1:] if t.lower_ in _NEVER_TWICE and t.nbor(-1).lower_ == t.lower_ and t.nbor(-1).whitespace_ and t.nbor(-1).dep_ != "prt"}
    # "a customer waiting waiting in the doorway": a content word typed twice (never 'had had', an auxiliary)
    return doubled | {
        t.i
        for t in doc[1:]
        if t.nbor(-1).lower_ == t.lower_
        and t.nbor(-1).whitespace_
        and t.is_alpha
        and len(t) > 2
        and t.pos_ in _CONTENT
        and t.lemma_.lower() not in ("have", "be", "do")
    }


# Nouns and names double on purpose ("a pom pom hat", "Bora Bora"): only a verb or an adjective typed twice is a slip.
_CONTENT = frozenset(("VERB", "ADJ"))


# Verbs whose 'to' infinitive says what for ("stops to pet it"): a verb joined to it by 'and then' goes on with the story.
_PAUSE_VERBS = frozenset("stop pause".split())


def agreement_slips(doc: Doc, verbs: frozenset[str]) -> dict[int, str]:
    """A verb in a list that disagrees with its 'he' / 'she' / one-person subject, made to agree:
    'she looks back and smile and waves' → 'smiles' (a writer who left one verb bare, in a list
    the parse may read as nouns), 'he turns around and walk away' → 'walks', 'she stops to pet
    it and then keep knitting' → 'keeps'."""
    out: dict[int, str] = {}
    for verb in doc:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        # "A man turn around": a base form the tagger left bare; not "roasts cumin seeds" read with 'cumin' as the verb
        verb_read = verb.i > 0 and verb.lower_ in verbs and verb.nbor(-1).tag_ not in ("NNS", "VBZ")
        finite = verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VB" and verb.dep_ == "ROOT" and verb_read)
        if subject is None or not _one_person(subject) or verb.pos_ != "VERB" or not finite:
            continue
        if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
            continue
        if worn_before_state(verb):
            continue  # "..., tie loosened, running": a worn thing and how it is worn, no verb
        bare = verb.tag_ != "VBZ" and verb.lower_ == verb.lemma_.lower() and verb_read  # "she look": the writer leaves the -s off
        if bare:
            out[verb.i] = match_case(present(verb.lemma_, plural=False), verb.text)
        for c in _joined_verbs(verb):
            out[c.i] = match_case(present(c.lemma_, plural=False), c.text)
        if bare:
            out.update(_bare_in_list(verb, verbs))
        if verb.lemma_ in _PAUSE_VERBS:
            out.update(_then_after_purpose(verb))
    return out


def _one_person(subject: Token) -> bool:
    """'he', 'she', or one singular noun ('a boy', not 'a boy and his dog', not 'the crowd')."""
    if subject.lower_ in ("he", "she"):
        return True
    plural = any(c.dep_ == "conj" for c in subject.children) or subject.lemma_.lower() in lexicon.COLLECTIVE_NOUNS | lexicon.CROWD_NOUNS
    return subject.tag_ == "NN" and subject.lemma_.lower() in lexicon.PERSON_NOUNS and not plural


def _joined_verbs(verb: Token) -> list[Token]:
    """The base-form verbs joined to a finite verb ('turns around and walk away'), with no verb of
    their own before them they could be joined to instead ('watches him jump and laugh')."""
    out = []
    for c in verb.children:
        if c.dep_ != "conj" or c.pos_ != "VERB" or c.tag_ not in ("VB", "VBP") or c.lower_ != c.lemma_.lower():
            continue
        if any(k.dep_ in ("nsubj", "aux") for k in c.children) or c.nbor(-1).lower_ == "to":
            continue
        if c.nbor(-1).tag_ in ("NNS", "NNPS"):
            continue  # "walks along the pier and seagulls fly overhead": the plural noun before it is its subject
        if _absolute_noun(c):
            continue  # "pedals up the road, sweat on his brow, the valley below": a noun phrase set off, no verb
        between = verb.doc[verb.i + 1 : c.i]
        if any(t.tag_ == "VB" for t in between) or not any(t.dep_ == "cc" or t.text == "," for t in between):
            continue
        out.append(c)
    return out


# Where a thing is on the body ("sweat on his brow", "paint across her cheek"), never a direction ("to", "toward").
_ON_BODY = frozenset("on in over across along down under around".split())


def _absolute_noun(word: Token) -> bool:
    """'..., sweat on his brow, the valley below', '..., mud on her boots.': a bare word after a
    comma with no object of its own, only a place on the body or the person (or joined to a
    noun phrase), is a noun phrase set off, not a verb left bare."""
    if word.nbor(-1).text != "," or any(c.dep_ in ("dobj", "nsubj", "prt") for c in word.children):
        return False
    if any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in word.children):
        return True
    preps = [c for c in word.children if c.dep_ == "prep"]
    owned = [o for p in preps for o in p.children if o.dep_ == "pobj" and any(k.dep_ == "poss" and k.lower_ in ("his", "her", "their") for k in o.children)]
    return len(preps) == 1 and preps[0].i == word.i + 1 and preps[0].lower_ in _ON_BODY and bool(owned)


def _bare_in_list(verb: Token, index: frozenset[str]) -> dict[int, str]:
    """'she look back at the camera and smile and waves': after a bare verb, a bare word between
    'and's that is a verb, before a verb in -s ('waves'), is the same list of her actions."""
    out = {}
    sent = verb.sent
    for w in verb.doc[verb.i + 2 : sent.end - 2]:
        after, last = w.nbor(1), w.nbor(2)
        bare = w.lower_ == w.lemma_.lower() and w.tag_ in ("NN", "VB", "VBP") and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in w.children)
        listed = w.nbor(-1).lower_ == "and" and after.lower_ == "and" and last.tag_ in ("VBZ", "NNS") and last.lower_.endswith("s")
        if bare and listed and w.lower_ in index and last.lower_[:-1] in index and not any(c.dep_ == "det" for c in last.children):
            out[w.i] = match_case(present(w.lower_, plural=False), w.text)
    return out


def _then_after_purpose(verb: Token) -> dict[int, str]:
    """'she stops to pet it and then keep knitting' → 'and then keeps knitting'."""
    out = {}
    for purpose in verb.children:
        if purpose.dep_ not in ("xcomp", "advcl") or not any(c.lower_ == "to" and c.dep_ == "aux" for c in purpose.children):
            continue
        for c in purpose.children:
            then = any(k.lower_ == "then" for k in c.children) or verb.doc[c.i - 1].lower_ == "then"
            if c.dep_ == "conj" and c.tag_ == "VB" and c.lower_ == c.lemma_.lower() and then and not any(k.dep_ in ("nsubj", "aux") for k in c.children):
                out[c.i] = match_case(present(c.lemma_, plural=False), c.text)
    return out


@lru_cache(maxsize=4)
def verb_index(nlp: Language) -> frozenset[str]:
    """The lemmatizer's list of English verbs (a word that can be a verb at all); empty without one."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    return frozenset(lookups.get_table("lemma_index").get("verb", []))


def slips_left(nlp: Language, text: str) -> list[str]:
    """The input slips ``fix_slips`` fixes, still in an output (an LLM's, or one the rules missed):
    'and and', 'a orange hoodie'."""
    found = [f"a {m.group(2)}" for m in _ARTICLE.finditer(text) if m.group(1) == "a" and _vowel_sound(m.group(2))]
    if re.search(r"\b(\w+) \1\b", text, flags=re.IGNORECASE):
        doc = nlp(text)
        found += [f"{doc[i - 1].text} {doc[i].text}" for i in sorted(_doubled(doc))]
    return found
