"""The face input of the HyperLoRA release (../shared/RECIPES.md §4), from its published facts.

- Detection at input size 640, then 512, 384, 256 until a face is found; the FIRST face the
  detector returns (its score order) is used, not the largest.
- Mask: a polygon through fixed landmarks of the 106-point set (jaw 0–32, then 43, 48–51,
  101–105: 43 points; RECIPES.md calls them 41, its own list has 43, and the list is followed),
  filled white. A square around the mean of those points, half-side 0.8·max(w, h) of
  their box, is cut from the mask, resized to 512×512, blurred with radius 15 and resized back:
  the blur is relative to the face, not to the image. The image goes through that mask onto a
  full-size #7f7f7f canvas.
- CLIP crop: the box of ALL dense landmarks; half-side l = 0.75·max(w, h); the centre moved up
  by 0.125·l; cut from the grey canvas, BLACK outside the image (PIL's crop).
- ArcFace crop: half-side 2·l around the same centre, from the ORIGINAL image (black outside),
  detected at 640 only, the first face; a reference without a face there is left out.

The offline dlib backend has 68 points, not 106: its jaw (0–16) and brows (26…17, so that the
outline closes over the forehead) stand in for the release's polygon, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from stdt2v.errors import NoFaceError
from stdt2v.face.base import Face, FaceAnalyzer
from stdt2v.io import to_uint8_rgb

GREY = (127, 127, 127)  # #7f7f7f
BLUR_RADIUS = 15  # on the 512-px mask square
BLUR_SIZE = 512
MASK_SQUARE_HALF = 0.8  # × max(w, h) of the polygon's box
CLIP_HALF = 0.75  # × max(w, h) of the landmarks' box
CLIP_CENTRE_UP = 0.125  # × the CLIP half-side
ARCFACE_HALF = 2.0  # × the CLIP half-side
DETECT_SIZES = (640, 512, 384, 256)
ARCFACE_DETECT_SIZE = 640
MASK_POINTS_106 = (*range(33), 43, 48, 49, 50, 51, 101, 102, 103, 104, 105)
MASK_POINTS_68 = (*range(17), *range(26, 16, -1))  # jaw left → right, then the brows right → left


@dataclass
class HyperFaceInput:
    clip_image: Image.Image  # the grey-background square face crop (CLIP's input, any size)
    embedding: np.ndarray | None  # the identity vector from the ArcFace crop; None: left out
    box: tuple[float, float, float, float]  # the CLIP crop in the original image (x0, y0, x1, y1)
    detect_size: int  # the detector input size that found the face
    polygon: str  # which landmarks outline the mask


def first_face(analyzer: FaceAnalyzer, rgb: np.ndarray, sizes: tuple[int, ...] = DETECT_SIZES) -> tuple[Face, int] | None:
    """The first face the detector returns at the first of ``sizes`` that finds one."""
    for size in sizes:
        faces = analyzer.detect_in_order(rgb, size)
        if faces:
            return faces[0], size
    return None


def mask_polygon(dense: np.ndarray | None, face: Face, analyzer: FaceAnalyzer, rgb: np.ndarray) -> tuple[np.ndarray, str]:
    """The mask outline and a phrase saying which points made it."""
    if dense is not None and len(dense) == 106:
        return dense[list(MASK_POINTS_106)], "106-point landmarks: the release's polygon (jaw and brows, 43 points)"
    if dense is not None and len(dense) == 68:
        return dense[list(MASK_POINTS_68)], "68-point landmarks (dlib): jaw and brows, 27 points, stand in for the release's 106-point polygon"
    return analyzer.outline(rgb, face), "no dense landmarks: an ellipse in the face box stands in for the release's polygon"


def blurred_mask(size: tuple[int, int], polygon: np.ndarray) -> Image.Image:
    """The filled polygon, blurred at radius 15 on a 512-px square around the polygon's mean."""
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon([tuple(map(float, p)) for p in polygon], fill=255)
    (cx, cy), (w, h) = polygon.mean(0), polygon.max(0) - polygon.min(0)
    half = MASK_SQUARE_HALF * float(max(w, h))
    square = mask.crop((cx - half, cy - half, cx + half, cy + half))  # PIL rounds the box; 0 outside
    blurred = square.resize((BLUR_SIZE, BLUR_SIZE)).filter(ImageFilter.GaussianBlur(BLUR_RADIUS)).resize(square.size)
    mask.paste(blurred, (int(round(cx - half)), int(round(cy - half))))
    return mask


def clip_box(points: np.ndarray) -> tuple[tuple[float, float, float, float], float, tuple[float, float]]:
    """The CLIP crop (x0, y0, x1, y1), its half-side and centre, from all dense landmarks."""
    (x0, y0), (x1, y1) = points.min(0), points.max(0)
    half = CLIP_HALF * float(max(x1 - x0, y1 - y0))
    cx, cy = float(x0 + x1) / 2, float(y0 + y1) / 2 - CLIP_CENTRE_UP * half
    return (cx - half, cy - half, cx + half, cy + half), half, (cx, cy)


def hyper_face_input(analyzer: FaceAnalyzer, image: Image.Image | np.ndarray, what: str = "id image") -> HyperFaceInput:
    rgb = to_uint8_rgb(image)
    found = first_face(analyzer, rgb)
    if found is None:
        tried = ", ".join(map(str, DETECT_SIZES))
        raise NoFaceError(f"{what}: no face found (tried the detector at {tried} px); pass an image where the face is clearly visible")
    face, detect_size = found
    dense = analyzer.dense_landmarks(rgb, face)
    polygon, rule = mask_polygon(dense, face, analyzer, rgb)
    original = Image.fromarray(rgb)
    canvas = Image.composite(original, Image.new("RGB", original.size, GREY), blurred_mask(original.size, polygon))
    box, half, (cx, cy) = clip_box(np.asarray(dense if dense is not None else polygon, np.float32))
    wide = ARCFACE_HALF * half
    arcface_crop = original.crop((cx - wide, cy - wide, cx + wide, cy + wide))  # black outside the image
    faces = analyzer.detect_in_order(arcface_crop, ARCFACE_DETECT_SIZE)
    embedding = analyzer.embed(faces[0]) if faces else None
    return HyperFaceInput(clip_image=canvas.crop(box), embedding=embedding, box=box, detect_size=detect_size, polygon=rule)
