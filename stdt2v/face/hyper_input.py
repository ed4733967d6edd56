"""The face input HyperLoRA was trained on (../shared/SEED-RECIPE.md §4).

- CLIP input: the face pasted through its outline mask (filled, blurred with radius 15 at 512
  px) on a mid-grey (#7f7f7f) canvas, then a square crop around the outline box's centre,
  half-side 0.75·max(w, h), the centre moved up by 0.125 of that half-side.
- ArcFace input: the face found in a crop twice that size of the ORIGINAL image (not the grey
  one); detection is retried at smaller sizes, and a tight crop is padded by the face backend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from stdt2v.errors import NoFaceError
from stdt2v.face.base import Face, FaceAnalyzer
from stdt2v.io import to_uint8_rgb

GREY = (127, 127, 127)
BLUR_RADIUS_AT_512 = 15
DETECT_SIZES = (640, 512, 384, 256)


@dataclass
class HyperFaceInput:
    clip_image: Image.Image  # the grey-background square face crop (CLIP's input, any size)
    embedding: np.ndarray  # the identity vector from the 2× crop of the original image
    box: tuple[int, int, int, int]  # the square crop in the original image (x0, y0, x1, y1)


def detect_with_retries(analyzer: FaceAnalyzer, image, what: str = "id image") -> Face:
    """The largest face, trying the detector at 640, 512, 384 and 256 px."""
    original = analyzer.detect_size
    try:
        for size in DETECT_SIZES:
            analyzer.detect_size = size
            faces = analyzer.detect(image)
            if faces:
                return faces[0]
    finally:
        analyzer.detect_size = original
    raise NoFaceError(f"{what}: no face found (tried the detector at {', '.join(map(str, DETECT_SIZES))} px); pass an image where the face is clearly visible")


def grey_background(rgb: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """The face through its filled, blurred outline mask on mid-grey."""
    h, w = rgb.shape[:2]
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).polygon([tuple(map(float, p)) for p in outline], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(BLUR_RADIUS_AT_512 * max(h, w) / 512))
    alpha = np.asarray(mask, np.float32)[..., None] / 255.0
    return (rgb * alpha + np.array(GREY, np.float32) * (1 - alpha)).round().astype(np.uint8)


def square_box(outline: np.ndarray, scale: float = 1.0) -> tuple[int, int, int, int]:
    """HyperLoRA's square crop around the outline: half-side 0.75·max(w, h)·scale, the centre
    moved up by 0.125 of the (unscaled) half-side."""
    x0, y0 = outline.min(0)
    x1, y1 = outline.max(0)
    half = 0.75 * max(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 - 0.125 * half
    half *= scale
    return int(round(cx - half)), int(round(cy - half)), int(round(cx + half)), int(round(cy + half))


def crop_padded(image: np.ndarray, box: tuple[int, int, int, int], fill=GREY) -> np.ndarray:
    """``image[box]``, padded with ``fill`` where the box leaves the image."""
    x0, y0, x1, y1 = box
    h, w = image.shape[:2]
    out = np.empty((y1 - y0, x1 - x0, 3), np.uint8)
    out[:] = fill
    sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = image[sy0:sy1, sx0:sx1]
    return out


def hyper_face_input(analyzer: FaceAnalyzer, image: Image.Image | np.ndarray, what: str = "id image") -> HyperFaceInput:
    rgb = to_uint8_rgb(image)
    face = detect_with_retries(analyzer, rgb, what)
    outline = analyzer.outline(rgb, face)
    box = square_box(outline)
    clip_image = Image.fromarray(crop_padded(grey_background(rgb, outline), box))
    wide = crop_padded(rgb, square_box(outline, scale=2.0), fill=(0, 0, 0))
    try:
        embedding = analyzer.embed(detect_with_retries(analyzer, wide, what))
    except NoFaceError:  # the 2× crop lost the face (a face at the image border): the whole image
        embedding = analyzer.embed(face)
    return HyperFaceInput(clip_image=clip_image, embedding=embedding, box=box)
