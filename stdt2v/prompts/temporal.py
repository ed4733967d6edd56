"""The temporal prompt's assembly: the subject's sentence first, merged once with its role, attire
and face description ("A woman, a photographer with fair skin, holds ..."), its verbs in the
present tense; every later sentence in order, mentions of the subject as pronouns, those about the
subject or with an action before the background ones. A prompt that opens with a shot ("Wide
tracking shot of a cyclist ...") or names its person as an object ("The shot captures him ...") is
routed to ``shot_led`` / ``framed.object_subject``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.clauses import (
    attire_span,
    comma_before_auxiliary,
    end_sentence,
    fragment_verb,
    has_finite_verb,
    joined_last,
    main_verbs,
    mention_replacements,
    own_subject,
    showing_looks,
)
from stdt2v.prompts.dislocated import clause_before, close_aside, dislocated, set_off_look
from stdt2v.prompts.framed import in_view, object_subject, shot_name, shot_person
from stdt2v.prompts.grammar import indefinite, object_pronoun, past_lemma, present, pronoun_for, render, singular_they, tense_replacements
from stdt2v.prompts.latecomer import late_person
from stdt2v.prompts.opening import (
    described_then,
    face_phrase,
    framing_sentence,
    kind_role,
    looks_aside,
    looks_lead,
    role_after,
    seen_doing,
    subject_verb,
    verb_as_noun,
)
from stdt2v.prompts.relative import clause_role, is_age_copula, restated_person, who_clause
from stdt2v.prompts.slips import agreement_slips, verb_index
from stdt2v.prompts.spatial import as_text, is_motion_word
from stdt2v.prompts.story import inside_compound, someone_else, told_gender
from stdt2v.prompts.style import shot_sentence

if TYPE_CHECKING:
    from spacy.language import Language


def temporal_prompt(nlp: Language, doc, own, subject: str, role: str | None, gender: str | None, notes: list[str]) -> tuple[str, list[str]]:
    """The temporal prompt, and the later mentions of the subject it turned into pronouns."""
    framed = own is not None and own.root.dep_ in ("dobj", "pobj") and own.start > own.sent.start
    told = object_subject(doc, own, subject, gender, notes, subject_pronouns(doc, gender)) if framed else None
    if told:
        return told, []
    led = shot_led(nlp, doc, subject, gender, notes) if own is None or framed else None
    if led is not None:
        return led
    moved = (
        dislocated(doc, subject, notes, {**tense_replacements(doc, set()), **subject_pronouns(doc, gender), **seen_doing(doc, None)}) if not framed else None
    )
    if moved is not None:
        return moved, []
    if own is None or framed:
        notes += [] if framed else ["no subject noun phrase found; the subject phrase was put in front"]
        replace = {**agreement_slips(doc, verb_index(nlp)), **tense_replacements(doc, set()), **subject_pronouns(doc, gender)}
        opener = next(iter(doc.sents))
        if not framed and opener[0].tag_ == "VBG" and opener[0].pos_ == "VERB" and not has_finite_verb(opener):
            # "Dancing in the rain under a street lamp." → "A person dances in the rain ...": the participle is the verb
            replace[opener[0].i] = present(opener[0].lemma_, False)
            return end_sentence(f"{subject} {render(doc, replace)}"), []
        if not framed and opener[0].lower_ in ("he", "she") and opener[0].dep_ in ("nsubj", "nsubjpass"):
            # "She sits alone at a bar." → "A woman sits alone at a bar.": the pronoun is the subject
            replace[opener[0].i] = f"{subject}, {indefinite(role)}," if role else subject
            return end_sentence(render(doc, replace)), []
        late = late_person(doc, gender)
        if late is not None:  # "Close-up of hands carving ..., then tilting up to the face of an old carver": said once, first
            found, said, gone, act = late
            replace.update(said)
            role = found or (indefinite(role) if role else None)  # the child's word gets its article; the late person's words have theirs
            who, rest = f"{subject}, {role}," if role else subject, render(doc, replace, gone)
            if act:  # "A man, an Inuit elder in a parka, carves a seal. Close-up of his hands, then ...": his first action opens
                return end_sentence(f"{who} {act}. {rest[:1].upper()}{rest[1:]}"), []
            return end_sentence(in_view(who, rest)), []
        # "Now fourteen, she sits ...": a role found elsewhere (a child's age) is said with the subject
        return end_sentence(in_view(f"{subject}, {indefinite(role)}," if role else subject, render(doc, replace))), []
    return _subject_led(doc, own, subject, role, gender, agreement_slips(doc, verb_index(nlp)))


def _subject_led(doc, own, subject: str, role: str | None, gender: str | None, agreed: dict[int, str]) -> tuple[str, list[str]]:
    """The prompt opens with its person ("A young woman in a red coat walks ..."): that sentence
    first, merged with the role, attire and face description, then the later sentences."""
    sentences = list(doc.sents)
    first = own.sent
    attire_start, attire_end = attire_span(doc, own)
    looks = set_off_look(doc, own)
    verbs = main_verbs(doc, attire_end, first, own) - looks
    stray = comma_before_auxiliary(first)
    replace = {**agreed, **tense_replacements(doc, verbs), **subject_pronouns(doc, gender)} | {i: doc[i].text for i in looks}
    if own.end < len(doc) and doc[own.end].lower_ == "and":  # "A young boy and his dog run": the verb agrees with both
        replace.update({i: present(past_lemma(doc[i]) or doc[i].lemma_, True) for i in verbs})
    replace.update(joined_last(doc, verbs))
    mentions, mention_drop, mentioned = mention_replacements(doc, own, gender, first.end)
    replace.update(mentions)
    replace.update(who_clause(doc, own))  # "in a white hat who lifts": the 'who' goes from the worn things too

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
    named = None if role or kind else role_after(own)  # "a young Black woman photographer" → "a young Black photographer"
    kind = kind or named
    role = role or kind
    aside = "" if role else looks_aside(own, subject)
    worn = f" {attire}" if attire else ""
    who = f"{subject}, {indefinite(role)}{worn}," if role else f"{subject}, {aside},{worn}{',' if worn else ''}" if aside else f"{subject}{worn}"
    rest_start = attire_end + 1 if attire_end < first.end and doc[attire_end].text == "," else attire_end
    if rest_start == own.end and rest_start < first.end and doc[rest_start].text == ",":
        rest_start += 1
    if named and rest_start == own.end:
        rest_start += 1  # the role noun is said in the opening
    rest_start = _descent_said(doc, own, aside, rest_start)
    # "A man, in his early thirties, is seated": the aside's opening comma, skipped here
    bumped = attire_end == own.end and rest_start == own.end + 1 and doc[own.end].text == ","
    at = subject_verb(doc, own, first, verbs)
    if kind and at is None and rest_start < first.end and doc[rest_start].pos_ == "ADP":  # "A boy of about ten with a grin stands"
        at, rest_start, who = _kind_words(doc, first, rest_start, who, replace)
    if kind and at is not None and at > rest_start and doc[rest_start].pos_ == "ADP":  # "A woman, a girl in a yellow sundress, leans"
        aside = doc[rest_start - 1].text == "," and doc[rest_start].lower_ == "with"  # "in a denim jacket, with a skateboard,": its own aside
        who = f"{who[:-1]}{',' if aside else ''} {render(doc[rest_start:at], replace).strip(' ,')},"
        rest_start = at
    # no verb found for the opening: the first finite verb (or the tagger's plural noun for one) after the aside
    tagged = (k for k in range(rest_start + 1, first.end) if doc[k].tag_ in ("VBZ", "VBP") and doc[k].pos_ == "VERB")
    finite = sorted({*tagged, *(k for k in range(rest_start + 1, first.end) if verb_as_noun(doc[k]) and not _has_compound(doc[k]))})
    found = (k for k in finite if k + 1 not in finite and doc[k + 1].pos_ != "VERB")  # "rubber boots hauls": the noun before the verb
    verb_at = at if at is not None else min((v for v in verbs if rest_start < v < first.end), default=next(found, None))
    who, rest_start = close_aside(doc, who, rest_start, verb_at, replace)
    index = sentences.index(first)
    faces = [(s.start, f) for s in sentences[index + 1 : index + 4] if at is not None and (f := face_phrase(s, gender))]
    # "He was a stocky man in his forties, and when ... he ...": the looks join the opening, the clause after ', and' stays
    described = {s.start: d for s in sentences[index + 1 : index + 4] if at is not None and not faces and (d := described_then(s, gender))}
    faces += [(start, d[0]) for start, d in list(described.items())[:1]]
    who = _close_opening(doc, who, replace, rest_start, at, ", ".join(f for _, f in faces))
    shown = showing_looks(doc, verbs)
    replace.update(who_clause(doc, own) | restated_person(doc, own, rest_start) | stray | shown)
    mentioned_extra = [f"{doc[i].text} (caption meta)" for i in seen if doc[i].lemma_.lower() == "see"]
    mentioned_extra += [f"{doc[i].text} (said 'with')" for i in shown] + [f"{doc[i + 1].text} (said 'with')" for i, _ in faces]
    if at is None and who.endswith(",") and attire_end > attire_start and rest_start == attire_end:
        replace.update(_garment_participle_close(doc, rest_start, first.end, verbs))
    predicate = render(doc[rest_start : first.end], replace)
    prefix = render(doc[first.start : own.start], replace).strip(" ,:;")  # "Golden hour: a man runs" → "..., golden hour."
    clause = clause_before(doc[first.start : own.start], replace)
    if clause:  # "At a market, tourists haggle while a vendor arranges oranges": the other clause, a sentence after the person's
        prefix, later = "", [clause]
    else:
        later = []
    if prefix:  # "At dawn, a surfer paddles out" → "A man, a surfer, paddles out, at dawn."
        predicate = predicate.rstrip(".!? ") + ", " + prefix[:1].lower() + prefix[1:] + "."
    # "A woman with long black hair, wearing a light blue dress, stands": a participle keeps its comma.
    starts = doc[rest_start] if rest_start < first.end else None
    participle = starts is not None and starts.tag_ in ("VBG", "VBN") and rest_start not in verbs and not stray
    # "long braids wrapped in a headscarf": a participle the input joined with no comma describes the noun before it
    joined_participle = starts is not None and starts.tag_ == "VBN" and doc[rest_start - 1].pos_ in ("NOUN", "PROPN") and rest_start not in verbs
    participle = participle and not joined_participle
    # "with shoulder-length brown hair pinned back and ...", "in a denim jacket covered in pins": the noun's participle follows it
    if joined_participle and who.endswith(",") and (who.endswith(" hair,") or (attire_end > attire_start and rest_start == attire_end)):
        who = who[:-1]
    # "A woman, a photographer with fair skin, holds ...": an appositive keeps its comma too.
    appositive = starts is not None and starts.pos_ in ("DET", "NOUN", "PROPN") and doc[own.end].text == "," and rest_start > own.end
    aside_closed = bumped and at is not None and at > rest_start and (doc[at - 1].text == "," or str(replace.get(at - 1, "")).endswith(","))
    # "A woman in a red dress, her dog at her side, walks": an aside between two commas after the attire keeps both
    # the verb after the aside's closing comma ("..., stares at": the tagger may read it as a plural noun)
    verb_like = (k for k in range(rest_start + 2, first.end) if doc[k].tag_ in ("VBZ", "VBP", "VBD") or _plural_as_verb(doc[k]))
    finite = (k for k in verb_like if doc[k - 1].text == ",")
    close = at if at is not None else next(finite, None)
    set_off = starts is not None and doc[rest_start - 1].text == "," and close is not None and close > rest_start + 1 and doc[close - 1].text == ","
    set_off = set_off and (starts.tag_ == "PRP$" or starts.pos_ in ("ADJ", "ADV", "DET", "NOUN") or starts.lower_ == "with") and not participle
    joint = ", " if (participle or appositive or aside_closed or set_off) and not who.endswith(",") else " "
    lead = end_sentence(f"{who}{joint}{predicate}".replace(" ,", ","))

    # Sentences before the subject's ("The scene unfolds in a forest. The man ..."): background.
    main, background = [lead, *later], [end_sentence(render(doc[s.start : s.end], replace)) for s in sentences[: sentences.index(first)]]
    last_main = True  # where the previous sentence went: "This ..." sentences follow it
    for sent in sentences[sentences.index(first) + 1 :]:
        if sent.start in described and any(sent.start == start for start, _ in faces):
            text = render(doc[described[sent.start][1] : sent.end], replace, mention_drop)
            if doc[described[sent.start][1] - 2].text != ",":  # "She is in her twenties and holds ...": 'She holds ...'
                text = f"{replace.get(sent.start, sent[0].text)} {text}"
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
            text = framing_sentence(text, object_pronoun(gender))
        if sent[0].lower_ in ("this", "these", "it"):
            (main if last_main else background).append(text)
            continue
        about = any(t.lower_ in ("he", "she", "his", "her", "him", "they", "their") or t.i in mention_drop for t in sent)
        last_main = about or any(is_motion_word(t) for t in sent)
        (main if last_main else background).append(text)
    # "a man is seen kneeling ...": the participle became his verb, so the opening has one; no later verb joins it
    verbs = verbs | {i for i, word in seen.items() if word}
    main = looks_lead(_merge_verbless_lead(main, first, sentences, verbs, replace, own), first, own, replace, verbs, at)
    return " ".join(main + background), mentioned + mentioned_extra


def shot_led(nlp: Language, doc, subject: str, gender: str | None, notes: list[str]) -> tuple[str, list[str]] | None:
    """'Wide tracking shot of a young cyclist in a red jacket weaving through traffic. ...' →
    'A man, a young cyclist in a red jacket, weaves through traffic. The shot frames him in a
    wide tracking shot. ...': the text read from its person on, the shot a sentence of its own."""
    start = shot_person(doc)
    if start is None:
        return None
    text = doc[start:].text
    sdoc = nlp(text[:1].upper() + text[1:])
    sown = own_subject(sdoc)
    if sown is None or sown.start != 0 or sown.root.dep_ in ("dobj", "pobj"):
        return None
    plain = sown[-1].lemma_.lower() in lexicon.PLAIN_PERSON | lexicon.GENERIC_PERSON
    temporal, mentioned = temporal_prompt(nlp, sdoc, sown, subject, None if plain else as_text(list(sown)), gender, notes)
    frame = shot_sentence(object_pronoun(gender), "in " + shot_name(doc, start))
    lead = re.split(r"(?<=[.!?]) (?=[A-Z])", temporal, maxsplit=1)
    return " ".join([lead[0], frame, *lead[1:]]), mentioned


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
    if at > rest_start and doc[at - 1].text != "," and opened and not inside_compound(doc[at]):
        replace[at - 1] = replace.get(at - 1, doc[at - 1].text) + ","
    return who


def subject_pronouns(doc, gender: str | None) -> dict[int, str]:
    """The pronouns and gendered person nouns rewritten to agree with the subject's gender."""
    if gender is None:
        return {}
    plural_people = {
        t.i
        for t in doc
        if t.tag_ in ("NNS", "NNPS") and (t.lemma_.lower() in lexicon.PERSON_NOUNS or t.lower_ in lexicon.CROWD_NOUNS) or t.lower_ in lexicon.COLLECTIVE_NOUNS
    }
    out = singular_they(doc, gender, plural_people)
    told = told_gender(doc) == gender  # told of a woman already: a 'his' after a seller is his ("laughing at his reply")
    out.update({t.i: new for t in doc if (new := pronoun_for(t, gender)) and not _of_another(t) and not (told and someone_else(t, gender))})
    return out


# Someone named by their relation to the subject (a closed class).
_RELATIONS = frozenset(
    "opponent rival partner friend coach teammate colleague companion neighbor neighbour brother sister mother father son daughter wife husband"
    " boyfriend girlfriend grandson granddaughter grandfather grandmother uncle aunt cousin nephew niece child baby customer client boss".split()
)


def _of_another(token) -> bool:
    """'Her opponent had just moved his queen': a possessive in a clause whose subject is someone's
    relation ("her opponent", "his father") is that person's, not the subject's."""
    if token.tag_ != "PRP$":
        return False
    verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), None)
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb is not None else None
    person = subject is not None and (lexicon.is_person_noun(subject) or subject.lemma_.lower() in _RELATIONS)
    related = person and subject.i < token.i and any(c.tag_ == "PRP$" for c in subject.children)
    return related and token.i != next((c.i for c in subject.children if c.tag_ == "PRP$"), -1)


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


def _has_compound(token) -> bool:
    """'chicken skewers': a noun with a noun before it is a noun ('grills chicken skewers')."""
    return any(c.dep_ == "compound" for c in token.children)


def _plural_as_verb(token) -> bool:
    """'..., stares at the camera': a bare -s word before a preposition, article or adverb, the tagger's plural noun."""
    nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    bare = not any(c.dep_ in ("det", "poss", "amod", "compound") for c in token.children)
    return token.tag_ == "NNS" and token.lower_.endswith("s") and bare and nxt is not None and nxt.pos_ in ("ADP", "DET", "ADV")


def _merge_participle_lead(main: list[str], nxt) -> list[str]:
    """'A man, middle-aged, fair skin. Wearing a navy cardigan, he sits ...' → '..., fair skin,
    wearing a navy cardigan, sits ...': the verbless opening takes the next sentence's verb when
    that sentence opens with a participle phrase and then the subject's pronoun."""
    # the first 'he'/'she' subject: the parse may hang its verb under a later one ("she jogs ..., glances ...")
    pronoun = next((t for t in nxt if t.lower_ in ("he", "she")), None)
    pronoun = pronoun if pronoun is not None and pronoun.dep_ == "nsubj" and pronoun.head.pos_ in ("VERB", "AUX") else None
    if pronoun is None or pronoun.i == nxt.start or nxt.doc[pronoun.i - 1].text != ",":
        return main
    match = re.match(rf"^(\w+ing\b[^.;]*?), {pronoun.text} (.+)$", main[1])
    if match is None:
        return main
    return [f"{main[0].rstrip('. ')}, {match.group(1)[:1].lower()}{match.group(1)[1:]}, {match.group(2)}", *main[2:]]


def _garment_participle_close(doc, rest_start: int, end: int, verbs: set[int]) -> dict[int, str]:
    """'in a denim jacket covered in pins stands' (the parse gave the verb no subject): the opening's
    comma moves from the garment to the end of its participle, right before the finite verb."""
    participle = doc[rest_start]
    if participle.tag_ != "VBN" or doc[rest_start - 1].pos_ not in ("NOUN", "PROPN") or rest_start in verbs:
        return {}
    last = participle.right_edge.i
    verb = doc[last + 1] if last + 1 < end else None
    if verb is None or verb.tag_ not in ("VBZ", "VBP") or verb.pos_ not in ("VERB", "AUX"):
        return {}
    return {last: doc[last].text + ","}


def _descent_said(doc, own, aside: str, rest_start: int) -> int:
    """'An elderly man of West African descent, in his sixties, sits': the aside already says 'of
    West African descent'; the text goes on after it, so it is said once."""
    prep = doc[rest_start] if rest_start < len(doc) else None
    if not aside or prep is None or prep.lower_ != "of" or prep.head.i != own.root.i:
        return rest_start
    said = doc[prep.i : prep.right_edge.i + 1].text
    if said.lower() not in aside.lower():
        return rest_start
    end = prep.right_edge.i + 1
    return end + 1 if end < len(doc) and doc[end].text == "," else end
