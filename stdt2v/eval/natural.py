"""NaturalScore: a vision-language model rates how real a video looks, 1 to 5, as OpenS2V-Eval's
``get_naturalscore.py`` asks GPT-4o (``gpt-4o-2024-11-20``).

Its frames: OpenCV ``VideoCapture``, 16 indices ``i · max(N // 16, 1)``, each BGR frame resized
to a long side of 512 (``INTER_AREA``, the short side truncated), JPEG-encoded by OpenCV and sent
as ``data:image/jpeg;base64`` URLs: one user message, the 16 images, then the rating
instructions. Three runs; merge_result.py averages the runs whose answer parses as a number.
The instructions are read from the user's checkout of the benchmark, never retyped here.
"""

from __future__ import annotations

import ast
import base64
import logging
from pathlib import Path
from typing import Callable

import numpy as np

from stdt2v.errors import ConfigError, StdT2VError
from stdt2v.eval.frames import interval_indices
from stdt2v.seeds import derive_seed

logger = logging.getLogger(__name__)

NUM_FRAMES, LONG_SIDE = 16, 512


def read_instructions(path: str | Path) -> str:
    """The rating instructions: the ``prompt`` string of OpenS2V's ``eval/get_naturalscore.py``
    (read as a literal, the script is not run), or a text file's whole content."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ConfigError(f"eval.opens2v.natural_prompt_file: file not found: {path} (pass OpenS2V-Nexus/eval/get_naturalscore.py)")
    text = path.read_text()
    if path.suffix != ".py":
        return text
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "prompt" for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    raise ConfigError(f'eval.opens2v.natural_prompt_file: {path} has no `prompt = """..."""` string (OpenS2V\'s get_naturalscore.py has one)')


def resize_long_side(bgr: np.ndarray, target: int = LONG_SIDE) -> np.ndarray:
    import cv2

    h, w = bgr.shape[:2]
    size = (int(w * target / h), target) if h >= w else (target, int(h * target / w))
    return cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)


def video_frames(path: str | Path) -> list[np.ndarray]:
    """The 16 BGR frames the script sends, resized (unreadable indices skipped, as there)."""
    import cv2

    capture = cv2.VideoCapture(str(path))
    frames = []
    try:
        for index in interval_indices(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), NUM_FRAMES):
            capture.set(cv2.CAP_PROP_POS_FRAMES, index)
            ok, bgr = capture.read()
            if ok:
                frames.append(resize_long_side(bgr))
    finally:
        capture.release()
    return frames


def request_messages(frames: list[np.ndarray], instructions: str) -> list[dict]:
    import cv2

    content = []
    for bgr in frames:
        _, jpeg = cv2.imencode(".jpg", bgr)
        content.append({"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode("utf-8")}})
    content.append({"type": "text", "text": instructions})
    return [{"role": "user", "content": content}]


def parse_rating(answer: str) -> float | None:
    try:
        return float(answer.strip())
    except ValueError:
        return None


class NaturalScorer:
    """``chat(messages, seed=..., json_mode=False) -> str``: an OpenAI-compatible client
    (``stdt2v.prompts.chat.OpenAIChat``, built by the caller)."""

    def __init__(self, chat: Callable[..., str], instructions: str, runs: int = 3, seed: int = 0):
        self.chat, self.instructions, self.runs, self.seed = chat, instructions, runs, seed

    def __call__(self, video: str | Path) -> tuple[float | None, list[float | None]]:
        """(mean of the runs that gave a number, each run's rating)."""
        messages = request_messages(video_frames(video), self.instructions)
        ratings = []
        for run in range(self.runs):
            try:
                ratings.append(parse_rating(self.chat(messages, seed=derive_seed(self.seed, run), json_mode=False)))
            except StdT2VError as err:  # the script records "error" for the run and goes on
                logger.warning("NaturalScore: %s: run %d: %s", Path(video).name, run + 1, err)
                ratings.append(None)
        kept = [r for r in ratings if r is not None]
        return (sum(kept) / len(kept) if kept else None), ratings
