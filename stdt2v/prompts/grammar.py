"""Small English rewrites on a spaCy parse: present tense, pronouns that agree with the
subject, articles. Each works token by token and keeps the rest of the text as it was."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.participle import after_object, cc_before, ing_base, keeps_past, listed_after_comma, marked_clause_subject, narrates, silent_e, verb_as_noun
from stdt2v.prompts.worn import state_after_copula, styled_look, worn_before_state

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_IRREGULAR_3SG = {"be": "is", "have": "has", "do": "does", "go": "goes"}
# Irregular past forms the small English model often mis-tags ("leapt" as a base-form verb).
IRREGULAR_PAST = dict(
    pair.split(":")
    for pair in """
leapt:leap crept:creep knelt:kneel swept:sweep slept:sleep spun:spin sped:speed rode:ride drove:drive ran:run
swam:swim flew:fly threw:throw fell:fall rose:rise sat:sit stood:stand held:hold shook:shake wore:wear took:take
gave:give struck:strike dove:dive strode:stride began:begin caught:catch bent:bend went:go came:come saw:see
spoke:speak sang:sing drank:drink ate:eat wrote:write drew:draw grew:grow blew:blow broke:break chose:choose
dug:dig fought:fight hung:hang led:lead met:meet paid:pay slid:slide swung:swing taught:teach thought:think
told:tell won:win flung:fling clung:cling stuck:stick spat:spit wept:weep dealt:deal felt:feel kept:keep
""".split()
)


def past_lemma(token: Token) -> str | None:
    """The lemma of a past-tense verb form, or None when ``token`` is not one."""
    if token.lower_ in IRREGULAR_PAST:
        return IRREGULAR_PAST[token.lower_]
    if token.pos_ == "VERB" and token.tag_ in ("VBD", "VBN"):
        return silent_e(token.text, token.lemma_)  # "stared": 'stare', never 'star'
    return None


_IRREGULAR_PLURAL = {"be": "are"}
_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?![nr]i|s[eu]|ti)|hour|honest|heir)", re.IGNORECASE)

MALE = {"he": "he", "him": "him", "his": "his", "himself": "himself"}
FEMALE = {"she": "she", "her": "her", "hers": "hers", "herself": "herself"}
GENDERED_PRONOUNS = frozenset(MALE) | frozenset(FEMALE)


def indefinite(noun_phrase: str) -> str:
    """'astronaut' → 'an astronaut'; 'race car driver' → 'a race car driver'."""
    return ("an " if _VOWEL_SOUND.match(noun_phrase) else "a ") + noun_phrase


def present(lemma: str, plural: bool) -> str:
    """The present-tense form of a verb lemma: 3rd person singular or plural."""
    lemma = lemma.lower()
    if plural:
        return _IRREGULAR_PLURAL.get(lemma, lemma)
    if lemma in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[lemma]
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma + "es"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def match_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def gender_of(phrase: str | None) -> str | None:
    """'A young woman' → 'female'; 'A man' → 'male'; 'A person' → None."""
    words = set(re.findall(r"[a-z]+", (phrase or "").lower()))
    if words & lexicon.FEMALE_NOUNS:
        return "female"
    if words & lexicon.MALE_NOUNS:
        return "male"
    return None


def gender_from_text(doc: Doc) -> str | None:
    """The gender a prompt's own pronouns and gendered nouns give its subject, if one wins."""
    male = sum(t.lower_ in MALE or t.lemma_.lower() in lexicon.MALE_NOUNS for t in doc)
    female = sum(t.lower_ in FEMALE or t.lemma_.lower() in lexicon.FEMALE_NOUNS for t in doc)
    if male > female:
        return "male"
    if female > male:
        return "female"
    return None


def object_pronoun(gender: str | None) -> str:
    """'him', 'her', or 'them' when the gender is unknown."""
    return {"male": "him", "female": "her"}.get(gender or "", "them")


def pronoun_for(token: Token, gender: str) -> str | None:
    """The replacement of a singular gendered pronoun so that it agrees with ``gender``."""
    word = token.lower_
    if word not in GENDERED_PRONOUNS:
        return None
    possessive = token.tag_ == "PRP$" or word in ("his", "hers") and token.dep_ == "poss"
    if word == "his" and token.dep_ in ("pobj", "dobj", "nsubj") and gender == "male":  # "in front of his", "allowing his to": the source's typo
        return match_case("him", token.text)
    if gender == "male":
        table = {"she": "he", "her": "his" if possessive else "him", "hers": "his", "herself": "himself"}
    else:
        table = {"he": "she", "him": "her", "his": "her" if possessive else "hers", "himself": "herself"}
    new = table.get(word)
    return match_case(new, token.text) if new else None


def is_plural_subject(verb: Token) -> bool:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return False
    s = subjects[-1]  # the nearest, when the parse gave two
    if any(c.dep_ == "conj" for c in s.children):
        return True
    return s.tag_ in ("NNS", "NNPS") or s.lower_ in ("they", "we", "you", "these", "those")


def render(doc: Doc, replacements: dict[int, str], drop: set[int] = frozenset()) -> str:
    """The doc's text with tokens replaced or dropped, spacing kept."""
    out = []
    for t in doc:
        if t.i in drop:
            continue
        out.append(replacements.get(t.i, t.text) + t.whitespace_)
    text = "".join(out)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def tense_replacements(doc: Doc, main_verbs: set[int]) -> dict[int, str]:
    """Past forms → present: every VBD verb (agreeing with its own subject), auxiliaries 'was',
    'were', 'had', and the subject's main verbs in ``main_verbs`` (singular, even when the parse
    tagged them as participles)."""
    out: dict[int, str] = {}
    for t in doc:
        lemma = past_lemma(t) or t.lemma_.lower()
        if absolute_participle(t) or shot_noun(t) or styled_look(t) or (t.i + 1 < len(doc) and styled_look(doc[t.i + 1])) or worn_before_state(t):
            continue  # "..., his face smeared with soot", "Tracking shot from the side": not verbs of the story
        if keeps_past(t) or state_after_copula(t):
            continue  # "the boat he folded earlier"; "he is tired but determined"
        if listed_after_comma(t, out):
            out[t.i] = match_case(present(lemma, plural=False), t.text)  # "pushes the mask up, wiped soot away and squints"
            continue
        root = t
        while root.dep_ in ("conj", "dep") and root.head.i != root.i:
            root = root.head
        past = t.tag_ == "VBD" or (t.tag_ == "VBN" and t.head.i in out and not any(c.dep_ in ("aux", "auxpass") for c in t.children))
        if past and root is not t and (root.tag_ == "VBZ" or root.i in out) and _joined_past(t):
            out[t.i] = match_case(present(lemma, plural=False), t.text)  # "pours the milk, then stirred it and smiled"
            continue
        if root is not t and (root.tag_ == "VBZ" or root.i in out) and _listed_verb(t):
            out[t.i] = match_case(present(lemma, plural=False), t.text)  # "carried the board, slid it into place, and tapped it"
            continue
        third = t.lower_.endswith("s") and not t.lower_.endswith("ss")  # "boots hauls a net": already the singular form
        if t.dep_ == "ROOT" and t.tag_ == "VBP" and t.lower_ == lemma and not third and _singular_subject(t) and not (t.i > 0 and verb_as_noun(t.nbor(-1))):
            out[t.i] = match_case(present(lemma, plural=False), t.text)  # "It fit on the first try": a past form read as a plural present
            continue
        if root is not t and root.dep_ == "ROOT" and absolute_participle(root) and (t.tag_ == "VBD" or t.lower_ in IRREGULAR_PAST):
            out[t.i] = match_case(present(lemma, plural=False), t.text)  # "The firefighter, his face smeared ..., burst in": the story's verbs
            continue
        if t.i in main_verbs:
            lemma = (ing_base(t.text) or lemma) if t.tag_ == "NN" else lemma  # "weaving" read as a noun
            out[t.i] = match_case(present({"seat": "sit"}.get(lemma, lemma), plural=False), t.text)
        elif (subject := marked_clause_subject(t)) is not None:  # "as the forest around him buzzed", the subject parsed as an object
            joined = any(k.lower_ == "and" for k in doc[subject.i : t.i])  # "the clatter of keyboards and the murmur of calls filled"
            out[t.i] = match_case(present(lemma, plural=subject.tag_ in ("NNS", "NNPS") or joined), t.text)
        elif not has_subject(t):
            continue  # a participle: "deeply engrossed in", "adorned with", "faded blue jeans", "a red rose"
        elif (
            t.tag_ == "VBD"
            or (t.lower_ in IRREGULAR_PAST and t.pos_ == "VERB" and t.tag_ != "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in t.children))
            or (
                # "as the audience watched": a past form the parser took for a participle, with its own subject
                t.tag_ == "VBN"
                and not participle_before_finite(t)
                and any(c.dep_ == "nsubj" and "," not in doc[c.right_edge.i : t.i].text for c in t.children)
                and not any(c.dep_ in ("aux", "auxpass") for c in t.children)
            )
        ):
            head = t.head if t.dep_ in ("aux", "auxpass") else t
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children)
            # "... and seagulls circled": a subject the parser attached elsewhere stands right before the verb.
            before = t.nbor(-1) if t.i > 0 else None
            plural = (
                is_plural_subject(head)
                or (not own_subject and before is not None and before.tag_ in ("NNS", "NNPS"))
                or (not own_subject and head.dep_ == "conj" and is_plural_subject(head.head) and (before is None or before.tag_ not in ("NN", "NNP")))
            )
            if t.dep_ in ("aux", "auxpass") and lemma not in ("be", "have", "do"):
                continue  # modals stay
            out[t.i] = match_case(present(lemma, plural), t.text)
    return out


_SHOT_MODIFIERS = frozenset("tracking close-up closeup wide medium long establishing aerial drone handheld overhead static dolly crane reverse".split())


def _joined_past(verb: Token) -> bool:
    """A past verb joined by 'and'/'then' (not a comma alone) to the verb before it, and not an
    adjective before its noun ("a furrowed brow and focused gaze")."""
    before = [t for t in verb.doc[verb.head.i + 1 : verb.i] if t.pos_ != "ADV" or t.lower_ == "then"]
    adjective = verb.i + 1 < len(verb.doc) and verb.nbor(1).pos_ in ("NOUN", "PROPN")
    return verb.dep_ in ("conj", "dep") and not adjective and bool(before) and (before[-1].dep_ == "cc" or before[-1].lower_ == "then" or cc_before(verb))


def _listed_verb(verb: Token) -> bool:
    """'carried the board, slid it into place, and tapped it': a verb in a comma list of the
    story's verbs that a conjunction closes; a past form, or a base form the parse left as one
    ("eased the wheel to a stop, cut it free, and lifted it")."""
    if verb.dep_ != "conj" or verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VB") or any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.children):
        return False
    if verb.tag_ == "VB" and (verb.lower_ != verb.lemma_.lower() or verb.head.tag_ not in ("VBD", "VBZ")):
        return False
    if verb.i + 1 < len(verb.doc) and verb.nbor(1).pos_ in ("NOUN", "PROPN"):
        return False  # "a furrowed brow, tired eyes": an adjective before its noun
    if verb.i == 0 or verb.nbor(-1).text != ",":
        return False
    link = verb
    for _ in range(6):  # down the chain of joined verbs to the conjunction that closes it
        if any(c.dep_ == "cc" for c in link.children):
            return True
        link = next((c for c in link.children if c.dep_ == "conj" and c.i > link.i), None)
        if link is None:
            return False
    return False


def _singular_subject(verb: Token) -> bool:
    """A subject that takes a verb in -s: 'it', 'he', 'she', or a singular noun."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or any(c.dep_ == "conj" for x in (subject, *(c for c in subject.children if c.dep_ == "appos")) for c in x.children):
        return False  # "A mug of tea, a stack of books and a cactus sit": the parse may hang the list on an apposition
    return subject.lower_ in ("it", "he", "she") or subject.tag_ in ("NN", "NNP")


def _object_complement(verb: Token) -> bool:
    """'has her dark hair pulled up', 'keeps his sleeves rolled back': a past participle after a
    verb and its object, which the parse may read as a clause of its own; it describes the object."""
    if verb.tag_ not in ("VBD", "VBN") or verb.dep_ not in ("ccomp", "xcomp", "conj") or verb.head.i > verb.i:
        return False
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
    if subject is None or subject.lower_ in ("he", "she", "they", "i", "we", "it") or verb.head.lemma_.lower() not in ("have", "get", "keep", "leave", "wear"):
        return False
    return subject.left_edge.i == verb.head.i + 1 and subject.right_edge.i == verb.i - 1


def shot_noun(token: Token) -> bool:
    """'shot' as the camera's shot ("Tracking shot from the side"), which the parse may tag a verb."""
    return token.lower_ in ("shot", "shots") and token.i > 0 and (token.nbor(-1).lower_ in _SHOT_MODIFIERS or token.nbor(-1).lower_.endswith(("-up", "angle")))


def absolute_participle(token: Token) -> bool:
    """A past participle with its own noun subject after a comma, an absolute phrase describing a
    state ("..., his face smeared with soot", "..., the background softly blurred", "..., a clock
    heard in the room"); not a clause after an opening adverbial ("At dawn, the man walked")."""
    if token.tag_ not in ("VBD", "VBN") or any(c.dep_ in ("aux", "auxpass") for c in token.children):
        return False
    if narrates(token):
        return False  # "That morning, ..., the old man pulled on his veil, lit the smoker and walked": the story's own verbs
    # the subject nearest the verb: "The nurse, her sleeves rolled up, ..." gives the verb two
    subject = max((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i), key=lambda c: c.i, default=None)
    if subject is None or subject.tag_ == "PRP" or any(t.pos_ != "ADV" for t in token.doc[subject.right_edge.i + 1 : token.i]):
        return False  # the subject right before its participle: not "the roar of ... as cheers merge ... and ... filled"
    start = subject.left_edge.i
    sent = token.sent
    if start - 1 <= sent.start or token.doc[start - 1].text != ",":
        return False
    prefix = token.doc[sent.start : start - 1]
    possessed = any(c.tag_ == "PRP$" for c in subject.children)
    present_before = any(t.tag_ in ("VBZ", "VBP") for t in prefix)  # "..., as she opens the door, a bell heard in the hall"
    # "Shallow focus, the street blurred"; "An old man with a lined face, thin hair combed back, and ..." (a participle before its noun is no verb)
    verbless = not any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in prefix) and sent[0].pos_ not in ("ADP", "ADV", "SCONJ")
    return possessed or present_before or verbless


def has_subject(verb: Token, depth: int = 0) -> bool:
    """Is this verb form finite, with a subject of its own or shared with the finite verb it is
    coordinated with? A past form without one is a participle and keeps its form."""
    if verb.dep_ in ("aux", "auxpass"):
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return True  # "Her forearms were streaked gray": the parse hung the subject on the auxiliary
        return has_subject(verb.head, depth + 1) if depth < 6 else False
    if verb.dep_ in ("amod", "compound") or verb.pos_ not in ("VERB", "AUX"):
        return False
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    prev = verb.doc[verb.i - 1] if verb.i > 0 else None
    if prev is not None and nxt is not None and prev.pos_ in ("DET", "ADJ") and nxt.pos_ in ("NOUN", "PROPN"):
        return False  # "a red rose boutonniere", "a faded photo"
    if (
        nxt is not None
        and nxt.dep_ == "dobj"
        and nxt.head.i == verb.i
        and nxt.tag_ in ("NN", "NNS")
        and not any(c.dep_ in ("det", "poss") for c in nxt.children)
    ):
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return False  # "focused gaze", "faded jeans": an adjective before a bare noun
    if _absolute(verb) or participle_before_finite(verb) or _reduced_relative(verb) or _object_complement(verb) or after_object(verb):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for c in verb.children) or verb.dep_ == "ROOT":
        return True  # a subject, a clause opened by "as"/"while", or the sentence's own verb
    head = verb.head
    before = [t for t in verb.doc[head.i + 1 : verb.i] if t.pos_ != "ADV" or t.lower_ == "then"]
    joined = bool(before) and (before[-1].dep_ == "cc" or before[-1].lower_ == "then" or cc_before(verb))
    if verb.dep_ == "conj" and depth < 6 and head.tag_ in ("VBD", "VBZ", "VBP", "MD") and joined:
        return has_subject(head, depth + 1)  # ", focused as she explains": no conjunction, a participle
    return False


def _following_verbs(sent, verb) -> dict[int, str]:
    """'as they draw a face, carefully cut along the lines, then lift the lid': the base-form verbs
    that follow in a list ("," / "and" / "then" before them) share the subject and agree with it."""
    out = {}
    for t in sent.doc[verb.i + 1 : sent.end]:
        if t.dep_ in ("nsubj", "nsubjpass") or t.text in (";", ":"):
            break
        if t.pos_ != "VERB" or t.tag_ not in ("VB", "VBP", "VBN") or t.lower_ != t.lemma_.lower():
            continue
        before = [b for b in sent.doc[sent.start : t.i] if b.pos_ != "ADV" or b.lower_ == "then"]
        if before and (before[-1].text == "," or before[-1].lower_ in ("and", "then")) and not any(k.dep_ in ("nsubj", "aux") for k in t.children):
            out[t.i] = present(t.lemma_, plural=False)
    return out


def participle_before_finite(verb: Token) -> bool:
    """'A woman adorned with a flower crown, is standing': a past form whose coordinated verb has
    its own auxiliary, with no conjunction: the auxiliary carries the tense, the past form describes."""
    if verb.tag_ not in ("VBN", "VBD") or any(c.dep_ == "cc" for c in verb.children):
        return False
    return any(c.dep_ == "conj" and c.i > verb.i and any(k.dep_ in ("aux", "auxpass") for k in c.children) for c in verb.children)


def _reduced_relative(verb) -> bool:
    """'the sunlight dappled through the leaves creates patterns': a past form between a subject
    and a present verb that has none of its own describes the subject."""
    if verb.tag_ != "VBD" or not any(c.dep_ == "nsubj" for c in verb.children):
        return False
    doc = verb.doc
    for c in verb.head.children if verb.dep_ == "conj" else verb.children:
        base = c.tag_ == "VB" and c.lower_ == c.lemma_.lower()  # "Shelves lined with clocks fill the background"
        if c.dep_ == "conj" and c.i > verb.i and (c.tag_ in ("VBZ", "VBP") or base) and not any(k.dep_ == "nsubj" for k in c.children):
            between = doc[verb.i + 1 : c.i]
            return not any(t.dep_ == "cc" or t.text == "," for t in between)
    return False


def _absolute(verb) -> bool:
    """'..., his features transformed into a skull': a possessed noun and a past form after a comma,
    behind a finite verb of the same sentence, describe; they do not narrate."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.left_edge.i > 0 and verb.doc[subject.left_edge.i - 1].lower_ in ("with", "without"):
        return True  # "with his feet buried in the sand"
    if subject is None or not any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in subject.children) or verb.tag_ not in ("VBD", "VBN"):
        return False
    start = subject.left_edge.i
    sent = verb.sent
    if start == sent.start or verb.doc[start - 1].text != ",":
        return False
    return any(t.tag_ in ("VBZ", "VBD", "VBP", "VBN") and t.pos_ == "VERB" and t.i != verb.i for t in verb.doc[sent.start : start])


def singular_they(doc: Doc, gender: str, plural_people: set[int]) -> dict[int, str]:
    """'they' / 'their' / 'them' meaning the subject ("as they discuss", "their hands open")
    → he / his / him (she / her / her), the verb made singular; only in sentences that name no
    group of people the pronoun could mean instead."""
    words = {
        "male": {"they": "he", "them": "him", "their": "his", "theirs": "his", "themselves": "himself"},
        "female": {"they": "she", "them": "her", "their": "her", "theirs": "hers", "themselves": "herself"},
    }[gender]
    out: dict[int, str] = {}
    for sent in doc.sents:
        if any(t.i in plural_people for t in sent):
            continue
        for t in sent:
            if t.lower_ not in words or t.lower_ == "them":
                continue
            age = re.fullmatch(r"\d0s|(?:twen|thir|for|fif|six|seven|eigh)ties|age", t.head.lower_) is not None  # "in their 20s"
            plural_before = any(p.tag_ in ("NNS", "NNPS") for p in doc[sent.start : t.i])
            if t.lower_ == "their" and not age and t.head.lemma_.lower() not in lexicon.BODY_NOUNS and plural_before:
                continue  # "the amounts and their implications": the pronoun may mean the things just named
            out[t.i] = match_case(words[t.lower_], t.text)
            if t.lower_ == "they" and t.dep_ in ("nsubj", "nsubjpass"):
                verb = t.head
                aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i > t.i]
                target = aux[0] if aux else verb
                if target.tag_ == "VBP" or target.lower_ in ("are", "were"):
                    out[target.i] = present(target.lemma_, plural=False)
                out.update(_following_verbs(sent, verb))
    return out
