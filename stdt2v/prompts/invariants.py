"""The decoupling invariants: what a rater checks, measured by one function that the CLI, the
LLM validator, the pipeline and the tests share. Nothing is raised; each check's value goes
to ``checks`` and each failure to ``violations`` (one sentence each).

- coverage: content words of the input (nouns, verbs, adjectives, proper nouns) found in the
  spatial or temporal prompt, by lemma or form — words of ``dropped`` (caption meta, hedges,
  a replaced subject) and dressing verbs ("wearing" → "in") excepted;
- static_recall: the visible nouns of the input's parse (``words.visible_nouns``) found in the spatial prompt;
- subject_once: the subject phrase opens the spatial prompt once, and no "the <person>" repeats it;
- spatial_motion_free: no motion or action word in any form in the spatial prompt;
- temporal_starts_with_subject;
- pronouns_agree: no pronoun of the other gender than the subject phrase's;
- present_tense: no past-tense verb in the temporal prompt;
- single_line and non_empty, for both prompts;
- face_description_in_both: each phrase of the face description in both prompts (when one was added);
- checks of form (``wellformed``): well-formed spatial phrases, no dangling words, verbs that agree,
  no bare object pronoun opening a sentence, the subject said once, no style word as the role,
  no caption meta.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon, wellformed
from stdt2v.prompts.caption import drop_foreign_runs
from stdt2v.prompts.grammar import FEMALE, MALE, absolute_participle, gender_of, has_subject, past_lemma, shot_noun
from stdt2v.prompts.keyclean import keyframe_garbage
from stdt2v.prompts.opening import verb_as_noun
from stdt2v.prompts.participle import keeps_past
from stdt2v.prompts.result import DecoupledPrompt
from stdt2v.prompts.slips import slips_left
from stdt2v.prompts.spatial import is_motion_word, looks_like_verb
from stdt2v.prompts.stillcheck import still_leaks
from stdt2v.prompts.story import someone_else, told_gender
from stdt2v.prompts.words import past_motion, visible_nouns
from stdt2v.prompts.worn import styled_look

if TYPE_CHECKING:
    from spacy.language import Language

CONTENT_POS = {"NOUN", "VERB", "ADJ", "PROPN"}


def _forms(token) -> set[str]:
    """A word's lemma, its form, and the lemma of an irregular past form the model missed."""
    forms = {token.lemma_.lower(), token.lower_} | ({past} if (past := past_lemma(token)) else set())
    if token.tag_ == "NN" and token.lower_.endswith("ing") and len(token) > 5:
        stem = token.lower_[:-3]  # "a vest weaving through traffic" read as a noun, said "weaves": the verb's lemma
        forms |= {stem, stem + "e", stem[:-1] if stem[-1] == stem[-2] else stem}
    return forms | {"sit"} if "seat" in forms else forms  # "seated" is said "sits"


def _words(doc) -> set[str]:
    return set().union(*(_forms(t) for t in doc)) if len(doc) else set()


def all_lemmas(nlp: Language, text: str) -> set[str]:
    return _words(nlp(text))


def _coverage(nlp, result: DecoupledPrompt) -> tuple[float, list[str]]:
    source = nlp(drop_foreign_runs(result.original)[0])
    gone = set()
    for text in result.dropped:
        gone |= all_lemmas(nlp, re.sub(r"^\w+: | \(as a pronoun\)$", "", text))
    kept = all_lemmas(nlp, result.spatial) | all_lemmas(nlp, result.temporal)
    wanted = [
        t
        for t in source
        if t.pos_ in CONTENT_POS and t.is_alpha and t.lemma_.lower() not in lexicon.DRESSING_VERBS and not ({t.lemma_.lower(), t.lower_} & gone)
    ]
    missing = sorted({t.lemma_.lower() for t in wanted if not (_forms(t) & kept)})
    names = {t.lemma_.lower() for t in wanted}
    return (1.0 if not names else round(1 - len(missing) / len(names), 4)), missing


def _static_recall(nlp, result: DecoupledPrompt) -> tuple[float | None, list[str]]:
    """The share of what the input shows (``words.visible_nouns`` on its parse, words of ``dropped``
    aside) that the spatial prompt names, by lemma or form."""
    gone = set()
    for text in result.dropped:
        gone |= all_lemmas(nlp, re.sub(r"^\w+: | \(as a pronoun\)$", "", text))
    static = {lemma for lemma, form in visible_nouns(nlp(drop_foreign_runs(result.original)[0])) if not {lemma, form} & gone}
    if not static:
        return None, []
    spatial = all_lemmas(nlp, result.spatial)
    missing = sorted(lemma for lemma in static if lemma not in spatial and lemma.rstrip("s") not in spatial and lemma + "s" not in spatial)
    return round(1 - len(missing) / len(static), 4), missing


def _joined(verb) -> bool:
    """'..., then held', '... and smiled': joined by a conjunction, not a comma ('faces the camera, focused as')."""
    before = [t for t in verb.doc[verb.head.i + 1 : verb.i] if t.pos_ != "ADV" or t.lower_ == "then"]
    if verb.i + 1 < len(verb.doc) and verb.nbor(1).pos_ in ("NOUN", "PROPN"):
        return False  # "a furrowed brow and focused gaze": an adjective before its noun
    return bool(before) and (before[-1].dep_ == "cc" or before[-1].lower_ == "then")


def _expression(token) -> bool:
    return token.lemma_.lower() in ("smile", "grin", "frown", "beam", "scowl") and token.tag_ in ("VBG", "JJ", "NN")


def _before_present(verb) -> bool:
    """'A woman adorned with a flower crown is standing': a past form followed, in the same clause
    (no comma or conjunction between), by a present verb or auxiliary is a participle."""
    for t in verb.doc[verb.i + 1 : verb.sent.end]:
        if t.text in (",", ";") or t.dep_ == "cc":
            return False
        if t.tag_ in ("VBZ", "VBP"):
            return True
    return False


def _finite_words(nlp, original: str) -> frozenset[str]:
    """The input's finite verbs, as its own parse reads them."""
    return frozenset(t.lower_ for t in nlp(drop_foreign_runs(original)[0]) if t.tag_ in ("VBZ", "VBP", "VBD"))


def check_invariants(nlp: Language, result: DecoupledPrompt) -> tuple[float, list[str], dict]:
    """(coverage in [0, 1], violations, every check's value)."""
    violations: list[str] = []
    checks: dict = {}
    coverage, missing = _coverage(nlp, result)
    checks["coverage"] = coverage
    if missing:
        violations.append(f"content words lost: {', '.join(missing[:20])}{' ...' if len(missing) > 20 else ''}")

    recall, static_missing = _static_recall(nlp, result)
    checks["static_recall"] = recall
    if recall is not None and recall < 0.5:
        violations.append(f"spatial prompt misses most of what can be seen: {', '.join(static_missing[:10])}")

    spatial_doc, temporal_doc = nlp(result.spatial), nlp(result.temporal)
    subject = result.subject.lower()
    person = lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
    repeated = [
        f"{t.text} {t.nbor(1).text}"
        for doc in (spatial_doc, temporal_doc)
        for t in doc[:-1]
        if t.lower_ == "the" and t.nbor(1).lemma_.lower() in person and t.nbor(1).tag_ == "NN" and t.i < 6
    ]
    checks["subject_once"] = result.spatial.lower().count(subject) == 1 and not repeated
    if not checks["subject_once"]:
        violations.append(f"the subject is said twice: '{result.subject}'" + (f" and '{repeated[0]}'" if repeated else ""))

    # "a smiling woman": an expression is a look, not a motion; "leapt" (often parsed as a noun) is one
    motion = [t.text for t in spatial_doc if (is_motion_word(t) or looks_like_verb(t) or past_motion(t)) and not _expression(t)]
    checks["spatial_motion_free"] = not motion
    if motion:
        violations.append(f"spatial prompt has motion words: {', '.join(motion)}")

    checks["temporal_starts_with_subject"] = result.temporal.lower().startswith(subject)
    if not checks["temporal_starts_with_subject"]:
        violations.append(f"temporal prompt does not start with the subject '{result.subject}'")

    gender = gender_of(result.subject)
    other = {"male": FEMALE, "female": MALE}.get(gender or "", {})
    # a prompt that tells of the subject with its own pronouns first: another gender's pronoun is someone else's ("at his reply")
    told = {id(doc): told_gender(doc) == gender for doc in (spatial_doc, temporal_doc)}
    wrong = [
        t.text
        for doc in (spatial_doc, temporal_doc)
        for t in doc
        if t.lower_ in other and t.pos_ == "PRON" and not (told[id(doc)] and someone_else(t, gender or ""))
    ]
    checks["pronouns_agree"] = not wrong
    if wrong:
        violations.append(f"pronouns disagree with the subject '{result.subject}': {', '.join(wrong)}")

    outside_quotes = nlp(re.sub(r'"[^"]*"', "", result.temporal))
    first_verb = next((t for t in outside_quotes if t.pos_ == "VERB"), None)
    past = [
        t.text
        for t in outside_quotes
        if (
            t.tag_ == "VBD"
            and has_subject(t)
            and not _before_present(t)
            and not absolute_participle(t)
            and not shot_noun(t)
            and not styled_look(t)
            and not keeps_past(t)
        )
        # "..., his face smeared with soot, burst through": the past verb joined to an absolute phrase
        or (t.tag_ == "VBD" and t.dep_ == "conj" and absolute_participle(t.head))
        or (t.lower_ in ("was", "were", "had") and not keeps_past(t))
        # "A man, the gymnast, twirled ...": the main verb that the parser took for a participle
        or (
            first_verb is not None
            and t.i == first_verb.i
            and t.sent.start == 0  # the opening sentence's only: "The path is narrow, surrounded by trees" later is a participle
            and t.tag_ == "VBN"
            and t.i > 0
            and t.nbor(-1).text == ","
            and not styled_look(t)  # "thick black hair, pulled back into a braid": the look's participle
            and not any(c.dep_ in ("aux", "auxpass") for c in t.children)
            # "A woman, hair tied in a braid, sits ...": a participle before a present verb of the sentence
            and not any(k.tag_ in ("VBZ", "VBP") and k.pos_ in ("VERB", "AUX") for k in t.sent if k.i > t.i)
            # "A woman in her forties kneels on a mat, dressed in ...": a present verb the parse took for a noun
            and not any(verb_as_noun(k) for k in t.sent if k.i < t.i)
        )
        # "pours the liquid, then held it up": a past verb joined to a finite one
        or (t.tag_ == "VBD" and t.dep_ in ("conj", "dep") and t.head.tag_ in ("VBZ", "VBP") and has_subject(t.head) and _joined(t))
    ]
    checks["present_tense"] = not past
    if past:
        violations.append(f"temporal prompt is not in the present tense: {', '.join(past[:8])}")

    finite = _finite_words(nlp, result.original)
    form = {
        "spatial_phrases_well_formed": ("spatial prompt has phrases with no head noun or a dangling word", wellformed.fragment_phrases(nlp, result.spatial)),
        "spatial_still_only": ("spatial prompt names a sound or a camera move", wellformed.keyframe_leaks(result.spatial)),
        "spatial_no_garbage": (
            "spatial prompt has a phrase no still shows (a bare part, a verb, a time, a sound, a move, two framings)",
            keyframe_garbage(nlp, result.spatial),
        ),
        "spatial_whole_and_still": ("spatial prompt has a clause, an action or a cut noun phrase", still_leaks(nlp, result.spatial)),
        "spatial_said_once": ("spatial prompt says a phrase twice", wellformed.repeated_phrases(result.spatial)),
        "temporal_no_dangling_words": ("temporal prompt has a sentence ending on a dangling word", wellformed.dangling_endings(temporal_doc)),
        "verbs_agree": ("a verb disagrees with its subject", wellformed.disagreements(temporal_doc)),
        "no_bare_pronoun_openings": ("a sentence opens with a bare object pronoun", wellformed.bare_pronoun_openings(temporal_doc)),
        "subject_said_once_in_temporal": ("the temporal prompt says the subject again", wellformed.repeated_subject(temporal_doc, result.subject)),
        "role_is_not_style": ("a style or picture word is taken as the role", wellformed.style_as_role(result.spatial, result.subject)),
        "no_caption_meta": ("the temporal prompt keeps caption meta", wellformed.caption_meta(result.temporal)),
        "temporal_role_is_not_style": ("a style word is the temporal prompt's role", wellformed.style_as_temporal_role(result.temporal, result.subject)),
        "temporal_sentences_have_verbs": ("a temporal sentence about the person has no finite verb", wellformed.verbless_sentences(temporal_doc, finite)),
        "no_stray_punctuation": ("stray punctuation before a full stop", wellformed.stray_punctuation(result.temporal)),
        "no_subject_label": ("the temporal prompt labels the subject with a colon", wellformed.subject_header(result.temporal, result.subject)),
        "no_stacked_verbs": ("a finite verb stands inside another verb's object", wellformed.stacked_verbs(temporal_doc)),
        "no_finite_verb_in_list": ("a finite verb stands in a list of noun phrases", wellformed.finite_in_list(temporal_doc)),
        "list_commas": ("a comma is missing between two items of a list", wellformed.missing_list_commas(temporal_doc)),
        "participles_kept": ("a participle that describes a noun is made a verb", wellformed.participles_made_finite(nlp(result.original), result.temporal)),
        "no_input_slips": ("a doubled word or 'a' before a vowel sound is left", slips_left(nlp, result.spatial) + slips_left(nlp, result.temporal)),
    }
    for name, (sentence, found) in form.items():
        checks[name] = not found
        if found:
            violations.append(f"{sentence}: {'; '.join(found[:5])}")

    if result.face_description:
        phrases = result.face_description.split(", ")
        absent = [f"{name}: {p}" for name in ("spatial", "temporal") for p in phrases if p not in getattr(result, name).lower()]
        checks["face_description_in_both"] = not absent
        if absent:
            violations.append(f"the face description is not in both prompts: {', '.join(absent)}")

    for name in ("spatial", "temporal"):
        text = getattr(result, name)
        checks[f"{name}_non_empty"] = bool(text.strip())
        checks[f"{name}_single_line"] = "\n" not in text
        if not text.strip():
            violations.append(f"{name} prompt is empty")
        if "\n" in text:
            violations.append(f"{name} prompt spans several lines")
    return coverage, violations, checks
