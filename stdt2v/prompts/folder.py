"""Decouple every prompt of a challenge-layout folder (``idNNN/promptK.txt``).

Writes ``spatial/idNNN/promptK.txt`` and ``temporal/idNNN/promptK.txt`` under the output
folder, and ``decoupled.jsonl`` with one result (or error) per prompt. A bad prompt fails
alone; the others go on.
"""

from __future__ import annotations

import json
from pathlib import Path

from tqdm import tqdm

from stdt2v.errors import StdT2VError
from stdt2v.io import MIN_IMAGE_SIDE, atomic_write_text, load_image, read_prompt_file
from stdt2v.layout import prompt_files, reference_image
from stdt2v.prompts.base import PromptDecoupler, subject_phrase
from stdt2v.prompts.face_description import FaceDescriber, FaceDescription


def decouple_folder(
    decoupler: PromptDecoupler,
    input_dir: Path,
    output_dir: Path,
    *,
    face_cache=None,
    subject: str | None = None,
    describer: FaceDescriber | None = None,
    progress: bool = True,
    subject_with_age: bool = True,
) -> tuple[int, int]:
    """(done, failed). ``face_cache``: a ReferenceCache giving each identity's subject phrase
    (and, with ``describer``, its face description)."""
    prompts = prompt_files(input_dir)
    if not prompts:
        raise StdT2VError(f"--input: no idNNN/promptK.txt files in {input_dir} (the challenge layout)")
    identities: dict[str, tuple[str | None, FaceDescription | None]] = {}
    lines, failed = [], 0
    for path in tqdm(prompts, desc="decouple", disable=not progress):
        identity, name = path.parent.name, path.stem
        record: dict = {"id": identity, "prompt": name}
        try:
            if identity not in identities:
                identities[identity] = _identity_subject(reference_image(input_dir, identity), face_cache, subject, describer, subject_with_age)
            identity_subject, description = identities[identity]
            result = decoupler(read_prompt_file(path), subject=identity_subject, face_description=description)
            atomic_write_text(output_dir / "spatial" / identity / f"{name}.txt", result.spatial + "\n")
            atomic_write_text(output_dir / "temporal" / identity / f"{name}.txt", result.temporal + "\n")
            record.update(result.to_dict())
        except StdT2VError as err:
            failed += 1
            record["error"] = f"{path}: {err}"
        lines.append(json.dumps(record, ensure_ascii=False))
    atomic_write_text(output_dir / "decoupled.jsonl", "\n".join(lines) + "\n")
    return len(prompts) - failed, failed


def _identity_subject(
    image: Path | None, face_cache, override: str | None, describer: FaceDescriber | None, with_age: bool = True
) -> tuple[str | None, FaceDescription | None]:
    if face_cache is None or image is None or (override and describer is None):
        return subject_phrase(None, None, override), None
    picture = load_image(image, what=str(image), min_side=MIN_IMAGE_SIDE)
    face, _ = face_cache(picture, what=str(image))
    return subject_phrase(face.gender, face.age, override, with_age=with_age), describer(picture, face) if describer is not None else None
