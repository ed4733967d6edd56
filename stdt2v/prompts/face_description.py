"""Face-aware prompts: a vision-language model describes the reference face, and the
description follows the subject in both prompts (the 2025 challenge winner's prompt
enhancement). Two modes (``prompts.face_description.mode``):

* ``phrase`` (the default), below: checked phrases inserted by the project;
* ``rewrite``, as the winner (TPIGE) released it: the model gets the whole reference image and
  the caption and returns the caption with a face description inserted where the person is
  mentioned. The answer is accepted only if it keeps every word of the caption in order
  (``missing_word``), else the model is asked once more, then the caption stays unchanged
  with a note.

The answer is trusted only as far as it can be checked: it is split into short phrases, and
a phrase is kept only when it names a feature of the face (hair, eyes, facial hair, glasses,
skin, apparent age) and nothing worn, no place, light, pose, pronoun or guess about who the
person is. Phrases about what the user's prompt already describes are left out: the prompt
decides. Without a usable answer (no server, a model that babbles) the offline fallback says
only what the face analyzer measured — an apparent age where the backend estimates one —
and never invents a look.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
from PIL import Image

from stdt2v.errors import StdT2VError
from stdt2v.face import Face
from stdt2v.io import atomic_write_json
from stdt2v.prompts import lexicon
from stdt2v.prompts.limits import TokenLimits
from stdt2v.prompts.result import DecoupledPrompt
from stdt2v.prompts.spatial import is_motion_word

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

# A kept phrase names one of these.
FACE_NOUNS = frozenset(
    """hair haircut hairstyle hairline head eyes eye eyebrows eyebrow brows brow lashes eyelashes beard mustache
    moustache stubble goatee sideburns glasses spectacles eyeglasses skin complexion freckles age years lips nose
    cheekbones cheeks jaw jawline chin forehead face bangs fringe curls ponytail braid braids bun dreadlocks
    wrinkles dimples makeup lipstick eyeliner""".split()
)
_WORN_ON_THE_FACE = {"glasses", "spectacles", "eyeglasses"}  # listed as clothing in the lexicon, asked for here
# Scenery and light nouns that also describe hair, eyes or skin ("light blue eyes", "soft waves").
_LOOKS_TOO = {"light", "wave", "waves", "snow", "glow"}
FORBIDDEN_WORDS = (
    (lexicon.CLOTHING_NOUNS - _WORN_ON_THE_FACE)
    | ((lexicon.PLACE_NOUNS | lexicon.LIGHT_NOUNS) - _LOOKS_TOO)
    | lexicon.GENERIC_PLACE
    | {"wearing", "wears", "wear", "background", "lighting", "expression", "pose", "posing", "ethnicity", "ethnic", "race", "name"}
    | {"he", "she", "they", "him", "her", "them", "his", "hers", "their", "i", "you", "person's"}
)
MAX_PHRASE_WORDS = 8
# rewrite: an answer adding more words than this is not a face description.
MAX_INSERTED_WORDS = 60
Ask = Callable[..., str]  # (image, instructions, question=...) → the model's answer


@dataclass(frozen=True)
class CaptionRewrite:
    caption: str  # the rewritten caption, or the original one when no answer was accepted
    notes: list[str]


@dataclass
class FaceDescription:
    features: list[str]  # short phrases, e.g. ["short grey hair", "blue eyes"]
    source: str  # "openai:URL|MODEL", "transformers:MODEL" or "analyzer"
    notes: list[str] = field(default_factory=list)
    # rewrite mode: caption → CaptionRewrite, bound to the reference image (features stay empty).
    rewrite: Callable[[str], CaptionRewrite] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return ", ".join(self.features)


def clean_features(answer: str, max_features: int) -> tuple[list[str], list[str]]:
    """(kept phrases, rejected phrases with why) from a model's answer."""
    text = re.sub(r"<think>.*?</think>", "", answer, flags=re.DOTALL).strip().strip("`\"'")
    text = re.sub(r"^\s*(?:description|answer|face)\s*:\s*", "", text, flags=re.IGNORECASE)
    kept, rejected = [], []
    for piece in re.split(r"[,;\n]|\.(?:\s|$)", text):
        phrase = " ".join(re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", piece).strip(" .:\"'").split())
        phrase = re.sub(r"^(?:and|with|has|having)\s+", "", phrase, flags=re.IGNORECASE).lower()
        if not phrase:
            continue
        words = set(re.findall(r"[a-z][a-z'-]*", phrase))
        if not re.fullmatch(r"[a-z0-9 '-]+", phrase) or len(phrase.split()) > MAX_PHRASE_WORDS:
            rejected.append(f"{phrase[:60]} (not a short phrase)")
        elif words & FORBIDDEN_WORDS:
            rejected.append(f"{phrase} (clothing, place, light, pose or person words)")
        elif not words & FACE_NOUNS:
            rejected.append(f"{phrase} (names no feature of the face)")
        elif phrase not in kept:
            kept.append(phrase)
    return kept[:max_features], rejected


def analyzer_features(face: Face) -> list[str]:
    """What the face analyzer measured that a prompt can say: the apparent age, when estimated."""
    return [f"an apparent age of about {round(float(face.age))}"] if face.age is not None else []


def description_crop(image: Image.Image, face: Face, margin: float = 0.5, max_side: int = 448) -> Image.Image:
    """The face with room for the hair (``margin`` × the box's longer side on each side), at
    most ``max_side`` pixels: what the model is shown, so that it sees no clothing or background."""
    x0, y0, x1, y1 = face.bbox
    side = max(x1 - x0, y1 - y0) * (1 + 2 * margin)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 - 0.1 * side  # hair sits above the box
    box = tuple(int(round(v)) for v in (max(0, cx - side / 2), max(0, cy - side / 2), min(image.width, cx + side / 2), min(image.height, cy + side / 2)))
    crop = image.convert("RGB").crop(box)
    crop.thumbnail((max_side, max_side), Image.LANCZOS)
    return crop


def caption_words(text: str) -> list[str]:
    """The words of a caption as the rewrite check compares them: case and punctuation aside."""
    return re.findall(r"[\w'’-]+", text.casefold())


def missing_word(original: str, answer: str) -> str | None:
    """The first word of ``original`` that ``answer`` does not keep in order (None: every word
    is kept: the original's words are a subsequence of the answer's)."""
    remaining = iter(caption_words(answer))
    for word in caption_words(original):
        if not any(word == other for other in remaining):
            return word
    return None


def clean_caption(answer: str) -> str:
    """The model's answer as one line: thinking, quotes and a leading label removed."""
    text = re.sub(r"<think>.*?</think>", "", answer, flags=re.DOTALL).strip().strip("`\"'“”").strip()
    text = re.sub(r"^\s*(?:new caption|rewritten caption|caption)\s*:\s*", "", text, flags=re.IGNORECASE)
    return " ".join(text.split()).strip('"“”')


def check_rewrite(original: str, answer: str) -> str | None:
    """Why the rewritten caption ``answer`` is refused (None: accepted)."""
    word = missing_word(original, answer)
    if word is not None:
        return f"the caption's word '{word}' is missing or out of order"
    added = len(caption_words(answer)) - len(caption_words(original))
    if added == 0:
        return "no face description was inserted"
    if added > MAX_INSERTED_WORDS:
        return f"{added} words were added (a face description takes at most {MAX_INSERTED_WORDS})"
    return None


class FaceDescriber:
    """``describer(id_image, face) -> FaceDescription``; ``ask`` None: the analyzer fallback
    only. Answers are cached under ``cache_folder/face_descriptions/`` by image content,
    source, instructions and phrase count (fallbacks are not cached: the next run asks again).
    ``mode="rewrite"``: the description is a caption rewriter bound to the image (see the
    module docstring); accepted rewrites are cached by image and caption."""

    def __init__(
        self,
        ask: Ask | None,
        *,
        instructions: str,
        version: str,
        source: str,
        max_features: int = 6,
        cache_folder: str | Path | None = None,
        mode: str = "phrase",
    ):
        self.ask = ask
        self.instructions = instructions
        self.version = version
        self.source = source
        self.max_features = max_features
        self.mode = mode
        self.folder = Path(cache_folder).expanduser() / "face_descriptions" if cache_folder is not None else None

    def _cache_path(self, image: Image.Image, *extra) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(json.dumps([self.source, self.version, self.max_features, image.size, *extra]).encode())
        digest.update(np.asarray(image.convert("RGB")).tobytes())
        return self.folder / f"{digest.hexdigest()}.json"

    def __call__(self, image: Image.Image, face: Face) -> FaceDescription:
        if self.mode == "rewrite":
            return FaceDescription(features=[], source=self.source, rewrite=lambda caption: self.rewrite_caption(image, caption))
        path = self._cache_path(image)
        cached = _read_cached(path, FaceDescription)
        if cached is not None:
            return cached
        if self.ask is None:
            return self.fallback(face, [])
        try:
            answer = self.ask(description_crop(image, face), self.instructions)
        except StdT2VError as err:
            logger.warning("face description: %s; using what the face analyzer measured", err)
            return self.fallback(face, [f"face description: {self.source} failed ({err}); fell back to the face analyzer"])
        features, rejected = clean_features(answer, self.max_features)
        notes = [f"face description: left out {'; '.join(rejected[:6])}"] if rejected else []
        if not features:
            logger.warning("face description: %s gave no usable phrase; using what the face analyzer measured", self.source)
            return self.fallback(face, notes + [f"face description: {self.source} gave no usable phrase; fell back to the face analyzer"])
        description = FaceDescription(features=features, source=self.source, notes=notes)
        if path is not None:
            atomic_write_json(path, {"features": features, "source": self.source, "notes": notes})
        return description

    def rewrite_caption(self, image: Image.Image, caption: str) -> CaptionRewrite:
        """``caption`` with a description of the face in ``image`` inserted, from the model's
        answer when it keeps every word of the caption in order (two tries), else ``caption``
        unchanged, with a note saying why."""
        path = self._cache_path(image, "rewrite", caption)
        cached = _read_cached(path, CaptionRewrite)
        if cached is not None:
            return cached
        if self.ask is None:
            return CaptionRewrite(caption, ["face description (rewrite): no vision-language model; the caption is unchanged"])
        question = f"Caption: {caption}"
        refused = []
        for attempt in range(2):
            if refused:
                question = f"Caption: {caption}\n\nYour previous answer was not accepted: {refused[-1]}. Keep every word of the caption, in order."
            try:
                answer = clean_caption(self.ask(image, self.instructions, question=question))
            except StdT2VError as err:
                refused.append(f"{self.source} failed ({err})")
                break
            why = check_rewrite(caption, answer)
            if why is None:
                notes = [f"face description ({self.source}, rewrite{', second try' if attempt else ''}): caption rewritten, every original word kept"]
                if path is not None:
                    atomic_write_json(path, {"caption": answer, "notes": notes})
                return CaptionRewrite(answer, notes)
            refused.append(why)
        why = "; ".join(dict.fromkeys(refused))  # each reason once
        logger.warning("face description: no rewrite of the caption accepted (%s); the caption is unchanged", why)
        return CaptionRewrite(
            caption,
            [f"face description (rewrite): caption unchanged, no answer accepted after {len(refused)} {'try' if len(refused) == 1 else 'tries'} ({why})"],
        )

    @staticmethod
    def fallback(face: Face, notes: list[str]) -> FaceDescription:
        features = analyzer_features(face)
        if not features:
            notes = notes + ["face description: the face analyzer estimates no age here; nothing is added"]
        return FaceDescription(features=features, source="analyzer", notes=notes)


def _head_nouns(phrase: str) -> set[str]:
    return {w for w in phrase.split() if w in FACE_NOUNS}


def _join_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def insert_face_description(result: DecoupledPrompt, description: FaceDescription, nlp: Language, limits: TokenLimits | None = None) -> None:
    """Put the description after the subject: as comma phrases in the spatial prompt ("A woman,
    short grey hair, blue eyes, ...") and as a with-phrase in the temporal prompt ("A woman with
    short grey hair and blue eyes walks ..."). Every word of the prompts stays; phrases the
    prompt already covers, or that would push a prompt past its token limit, are left out
    (and the notes say so)."""
    result.notes.extend(description.notes)
    said = {w.rstrip("s") for w in re.findall(r"[a-z]+", result.original.lower())}
    features = []
    for phrase in description.features:
        covered = sorted(n for n in _head_nouns(phrase) if n.rstrip("s") in said and n not in ("age", "years", "face", "head"))
        if covered:
            result.notes.append(f"face description: '{phrase}' left out: the prompt describes the {covered[0]}")
        elif any(is_motion_word(t) for t in nlp(phrase)):
            result.notes.append(f"face description: '{phrase}' left out: a motion word")
        else:
            features.append(phrase)
    spatial, temporal = result.spatial, result.temporal
    while features:
        spatial, temporal = _with_features(result, features)
        if limits is None or (limits.count_spatial(spatial) <= limits.spatial_max_tokens and limits.count_temporal(temporal) <= limits.temporal_max_tokens):
            break
        result.notes.append(f"face description: '{features.pop()}' left out to fit the text encoder's token limit")
        spatial, temporal = result.spatial, result.temporal
    result.spatial, result.temporal = spatial, temporal
    result.face_description = ", ".join(features)
    if features:
        result.notes.append(f"face description ({description.source}): {result.face_description}")


def _with_features(result: DecoupledPrompt, features: list[str]) -> tuple[str, str]:
    subject, spatial, temporal = result.subject, result.spatial, result.temporal
    listed = ", ".join(features)
    at = spatial.lower().find(subject.lower())
    if at >= 0:
        end = at + len(subject)
        spatial = f"{spatial[:end]}, {listed}{spatial[end:]}"
    else:  # a paraphrased subject: the description opens the prompt
        spatial = f"{listed}, {spatial}"
    if temporal.lower().startswith(subject.lower()):
        rest = temporal[len(subject) :]
        if rest.lower().startswith(" with "):  # "A woman with red hair walks": one with-phrase
            temporal = f"{temporal[: len(subject)]} with {', '.join(features)} and {rest[len(' with ') :]}"
        else:
            temporal = f"{temporal[: len(subject)]} with {_join_and(features)}{rest}"
    return spatial, temporal


def _read_cached(path, kind):
    """A cached answer as ``kind``, or None (no cache, not cached, or unreadable: then removed and asked again)."""
    if path is None or not path.is_file():
        return None
    try:
        return kind(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        path.unlink(missing_ok=True)
        return None
