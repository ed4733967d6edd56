"""A prompt that opens on an article-less person ("Boy flying a red kite, windy beach") gets its article.

Users type captions like tags: without the article the parser reads the opening as a fragment, the
subject never merges with the person and the temporal prompt falls back to "A man is in view." plus the
input copied verbatim. With "A boy flying …" the usual opening logic applies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.words import proper_adjective

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

_MAX_MODIFIERS = 3
# Only singular person words take "a": "men", "kids" would need no article at all.
_PERSON_WORDS = (lexicon.PERSON_NOUNS | lexicon.PLAIN_PERSON | lexicon.ROLE_NOUNS) - lexicon.GENERIC_PERSON


def _modifier(token: Token) -> bool:
    """An adjective before the person word: "elderly", "teenage", "little", "Japanese"."""
    return token.tag_ == "JJ" or token.pos_ == "ADJ"


def _person_word(token: Token) -> bool:
    word = token.lower_
    return word in _PERSON_WORDS and token.lemma_.lower() == word and not word.endswith("s")


def with_article(nlp: Language, text: str) -> str:
    """`text` with "a"/"an" before an opening article-less person noun phrase; else unchanged."""
    doc = nlp(text)
    head = next((t for t in doc[: _MAX_MODIFIERS + 1] if not _modifier(t)), None)
    if head is None or not _person_word(head) or head.i + 1 >= len(doc) or doc[head.i + 1].is_punct and doc[head.i + 1].text != ",":
        return text
    if doc[head.i + 1].tag_ == "POS":  # "Man's best friend": a possessive, not the subject
        return text
    after = doc[head.i + 1]
    if after.pos_ == "PROPN" and after.text[:1].isupper() and head.text[:1].isupper() and after.dep_ in ("nsubj", "nsubjpass"):
        return text  # "Grandpa Lucas had ...", "Uncle Marco bakes": a title before a name, no article
    first = doc[0]
    lead = first.text
    if lead[:1].isupper() and lead[1:].islower() and not proper_adjective(first):  # "Boy" → "boy", "Japanese" kept
        lead = lead.lower()
    phrase = indefinite(lead + text[len(first.text) :])
    phrase = phrase[0].upper() + phrase[1:]  # a sentence start
    # Kept only where the parse now reads the person as a head: "A woman ice skating" still makes
    # "woman" a compound of "skating", and the input's own words beat a half-repaired opening.
    return text if nlp(phrase)[head.i + 1].dep_ == "compound" else phrase
