"""Face refinement: re-render the face region at a higher resolution and blend it back.

At keyframe sizes (e.g. 1280×704) a medium-shot face covers a few thousand pixels, too few
for the identity adapter to place an identity. We crop a square around the detected face
(with margin), upscale it to the model's working size, run img2img at a moderate strength
with the same prompt and identity conditioning, downscale, and paste it back through a
feathered mask so no seam shows.
"""

from __future__ import annotations

from typing import Callable, Sequence

from PIL import Image, ImageFilter

from stdt2v.config.schema import RefineConfig


def face_crop_box(bbox: Sequence[float], image_size: tuple[int, int], margin: float) -> tuple[int, int, int, int]:
    """A square (x0, y0, x1, y1) around ``bbox`` grown by ``margin``, shifted to lie inside
    the image and shrunk only when the image is smaller than the square."""
    width, height = image_size
    x0, y0, x1, y1 = bbox
    side = max(x1 - x0, y1 - y0) * (1 + 2 * margin)
    side = int(round(min(side, width, height)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = int(round(min(max(cx - side / 2, 0), width - side)))
    top = int(round(min(max(cy - side / 2, 0), height - side)))
    return left, top, left + side, top + side


def feather_mask(side: int, feather: float) -> Image.Image:
    """An L-mode mask: 255 inside, falling smoothly to 0 at the border over ``feather``·side."""
    ramp = max(1, int(round(side * feather)))
    mask = Image.new("L", (side, side), 0)
    inner = Image.new("L", (max(1, side - 2 * ramp), max(1, side - 2 * ramp)), 255)
    mask.paste(inner, (ramp, ramp))
    return mask.filter(ImageFilter.GaussianBlur(ramp / 2))


def snap(value: int, multiple: int) -> int:
    return max(multiple, int(round(value / multiple)) * multiple)


def refine_face(
    image: Image.Image,
    bbox: Sequence[float],
    img2img: Callable[[Image.Image], Image.Image],
    settings: RefineConfig,
    size_multiple: int = 8,
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Return (the image with its face region re-rendered by ``img2img`` and blended back,
    the crop box used)."""
    box = face_crop_box(bbox, image.size, settings.margin)
    side = box[2] - box[0]
    work = snap(settings.work_size, size_multiple)
    crop = image.crop(box).resize((work, work), Image.LANCZOS)
    rendered = img2img(crop).convert("RGB").resize((side, side), Image.LANCZOS)
    out = image.copy()
    out.paste(rendered, box[:2], feather_mask(side, settings.feather))
    return out, box
