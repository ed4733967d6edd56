"""Tag-list items whose part of the sentence the whole list's parse does not show, sorted by their
own shape before tags.py's general reading: an age said as a decade ("thirties", "late twenties"
→ "in her late twenties") or a number word ("fifteen" → "fifteen-year-old"); a nationality alone
("Mexican": an adjective of the person, never a place or a second person); a camera move ("slow
push-in" → "The camera slowly pushes in.", a sentence of its own, never a thing the person has);
a thing with its own participle that the tagger read as a noun ("clay pot steaming": a phrase
of its own, "a clay pot steaming"); a sun or moon one is under; a sound one acts amid ("amid
birdsong"); a mood or look of the picture (a style term). Also here: an article for a bare
place noun after a preposition of an action ("leaning on fire truck" → "on a fire truck").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stdt2v.prompts import lexicon
from stdt2v.prompts.grammar import indefinite
from stdt2v.prompts.tagrole import lone_participle, words_of
from stdt2v.prompts.words import proper_adjective

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.language import Language
    from spacy.tokens import Span, Token

_DECADE = re.compile(r"(?:(?:early|mid|late)[- ]?)?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)")
# Manner adjectives of a camera move, said as the adverb of the camera's verb.
_MANNER = {
    "slow": "slowly",
    "gentle": "gently",
    "quick": "quickly",
    "fast": "quickly",
    "smooth": "smoothly",
    "steady": "steadily",
    "subtle": "subtly",
    "gradual": "gradually",
    "rapid": "rapidly",
    "sudden": "suddenly",
    "slight": "slightly",
}
# Camera moves named as nouns, and the camera's verb for each.
_MOVES = {"push": "pushes", "pull": "pulls", "dolly": "dollies", "zoom": "zooms", "pan": "pans", "tilt": "tilts", "orbit": "orbits", "crane": "cranes"}
_WAYS = "in|out|back|away|up|down|left|right|forward|backward|around|sideways"
_MOVE = re.compile(
    rf"(?:(?P<manner>{'|'.join(_MANNER)})\s+)?(?P<move>{'|'.join(_MOVES)})(?:\s*-\s*|\s+)?(?P<way>{_WAYS})?(?:\s+shot)?"
    r"(?P<tail>\s+(?:around|toward|towards|across|over|along|past|through|into|onto|to|from|above)\s+[\w' -]+)?"
)
# Words that say the mood or the look of the picture, never a thing in it.
_PICTURE = frozenset("mood atmosphere vibe vibes ambience ambiance aesthetic feel tone tones palette look".split())
# Worn things counted as a mass: "in turnout gear", never "in a turnout gear".
MASS_WORN = frozenset("gear clothing clothes attire apparel footwear jewelry jewellery makeup armor armour equipment lingerie denim leather".split())
# Words of a bare body said of the person ("a barefoot boy"); the tagger calls some of them nouns.
_BARE_STATES = frozenset("barefoot barefooted shirtless topless bareheaded bare-chested bare-legged clean-shaven".split())
# Kinds of a camera that name how it films, not a camera in the scene.
_CAMERA_KINDS = frozenset("static fixed locked locked-off handheld hand-held shaky steady moving".split())
# Light sources one stands under.
_OVERHEAD = frozenset("sun moon".split())


def item_slot(nlp: Language, doc: Span, possessive: str, place: Callable[[Token], bool]) -> tuple[str, str] | None:
    """(part, words) for an item read by its own shape, the part a field of tagsay.Parts; None where
    tags.py's general reading applies. `place` tells a place noun ("forest clearing": a place, not a thing doing something)."""
    text = re.sub(r"\s*-\s*", "-", doc.text.lower()).strip()
    if _DECADE.fullmatch(text):
        return "ages", f"in {possessive} {text}"  # "thirties" → "in his thirties", never "amid thirties"
    if len(doc) == 1 and doc[0].like_num and doc[0].is_alpha:
        return "looks", f"{doc[0].lower_}-year-old"  # "fifteen": the age, "a fifteen-year-old boy"
    if all(proper_adjective(t) for t in doc):
        return "looks", words_of(doc)  # "Mexican": said of the person ("a Mexican grandmother")
    if text in _BARE_STATES:
        return "looks", text  # "barefoot": "a barefoot boy", never "with a barefoot"
    if (camera := camera_sentence(text)) is not None:
        return "camera", camera
    head = doc[-1]
    if any(t.pos_ == "ADP" for t in doc):
        return None
    if {head.lemma_.lower(), head.lower_} & _OVERHEAD and head.tag_ not in ("NNS", "NNPS"):
        return "amid", f"under {text if doc[0].pos_ == 'DET' else indefinite(text)}"  # "under a blazing sun"
    if doc[0].tag_ == "VBG":
        return None
    if {t.lower_ for t in doc} & {"shot", "lens"} or (head.lower_ == "camera" and doc[0].lower_ in _CAMERA_KINDS):
        return "style", text  # "drone shot circling", "static camera": the camera's, said with the style
    if len(doc) > 1 and head.tag_ != "VBG" and head.lower_.endswith("ing") and not place(head) and lone_participle(nlp, head):
        thing = doc[-2]  # "radio playing": a thing and what it does, the tagger's noun "playing" a participle
        bare = doc[0].pos_ == "DET" or thing.tag_ == "NNS" or thing.lower_.endswith("s") or thing.lemma_.lower() in lexicon.MASS_NOUNS
        said = text if bare else indefinite(text)
        return "absolutes", said
    lemma = head.lemma_.lower()
    if lemma in _PICTURE and len(doc) > 1:
        return "style", text  # "serene mood": the picture's, said with the style
    if {lemma, head.lower_} & lexicon.SENSORY_NOUNS and head.tag_ != "NNS" and doc[0].pos_ != "DET":
        return "amid", f"amid {text}"  # "amid birdsong": heard, never held
    return None


def camera_sentence(text: str) -> str | None:
    """'slow push-in' → 'The camera slowly pushes in.'; None where `text` is no camera move. A move
    alone ("pan") is one only with its manner, its way or "shot" ("slow pan", "pan left", "dolly shot")."""
    match = _MOVE.fullmatch(text)
    if match is None or not (match["manner"] or match["way"] or text.endswith("shot")):
        return None
    way = f"to the {match['way']}" if match["way"] in ("left", "right") else match["way"] or ""  # "pans left" reads as a verb "left"
    words = ["The camera", _MANNER.get(match["manner"] or "", ""), _MOVES[match["move"]], way, (match["tail"] or "").strip()]
    return " ".join(w for w in words if w) + "."


def articled(tokens: list[Token]) -> str:
    """The words of an action with an article before a bare many-word place after its preposition
    ("leaning on fire truck" → "leaning on a fire truck"; "toward camera" → "toward the camera");
    one bare word stays ("on pointe", "at home"), as do plurals, mass nouns and names."""
    out: list[str] = []
    for k, t in enumerate(tokens):
        if k and tokens[k - 1].pos_ == "ADP" and t.pos_ in ("ADJ", "NOUN") and t.tag_ != "PRP$":
            run = _bare_run(tokens[k:])
            last = run[-1] if run else t
            if len(run) > 1 and last.tag_ == "NN" and last.lemma_.lower() not in lexicon.MASS_NOUNS:
                out.append(indefinite(t.text).split(" ")[0] + " ")
            elif len(run) == 1 and t.lower_ == "camera":
                out.append("the ")
        out.append(t.text_with_ws)
    return "".join(out).strip()


def _bare_run(tokens: list[Token]) -> list[Token]:
    """The noun phrase's words from its first: adjectives, nouns and hyphens, up to the next word of another kind."""
    run = []
    for t in tokens:
        if t.pos_ not in ("ADJ", "NOUN") and t.tag_ != "HYPH":
            break
        run.append(t)
    return run
