"""Reading inputs with clear errors, and writing outputs atomically.

Every output is written to a temporary name in the destination folder and renamed into
place, so an interrupted run never leaves a half-written file under a final name.
Temporary names start with ``.tmp-``.
"""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from stdt2v.errors import InputError

TMP_PREFIX = ".tmp-"

# Real face photographs that ship inside installed packages, usable as `builtin:NAME`
# wherever an image path is taken (the demo uses one; no image is committed to the repo).
BUILTIN_IMAGES = {
    "grace_hopper": ("matplotlib", "mpl-data/sample_data/grace_hopper.jpg"),
}


def resolve_image_path(source: str | Path) -> Path:
    source = str(source)
    if source.startswith("builtin:"):
        name = source.split(":", 1)[1]
        if name not in BUILTIN_IMAGES:
            raise InputError(f"unknown builtin image '{name}': use one of {', '.join(BUILTIN_IMAGES)}")
        package, relative = BUILTIN_IMAGES[name]
        import importlib.util

        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise InputError(f"builtin image '{name}' needs the package '{package}': pip install {package}")
        return Path(spec.submodule_search_locations[0]) / relative
    return Path(source)


# Images are decoded only below this many pixels (a decompression bomb is refused, not decoded);
# STDT2V_MAX_IMAGE_PIXELS raises it. 100 MP holds any photograph a face comes from.
MAX_IMAGE_PIXELS = 100_000_000
MIN_IMAGE_SIDE = 32  # a face image needs at least this much: smaller ones are refused before detection
NAME_MAX = 255  # bytes in one path component (ext4, xfs, btrfs, APFS)
PATH_MAX = os.pathconf("/", "PC_PATH_MAX") if hasattr(os, "pathconf") else 4096


def max_image_pixels() -> int:
    """The pixel limit, read when an image is opened: a bad STDT2V_MAX_IMAGE_PIXELS is one line."""
    text = os.environ.get("STDT2V_MAX_IMAGE_PIXELS", "").strip()
    if not text:
        return MAX_IMAGE_PIXELS
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"STDT2V_MAX_IMAGE_PIXELS={text!r} is not a pixel count; set a positive integer (e.g. 200000000) or unset it")
    return value


def check_path_length(path: str | Path, what: str) -> Path:
    """Refuse, up front, a path the file system would refuse mid-run (ENAMETOOLONG)."""
    path = Path(path)
    too_long = [part for part in path.parts if len(os.fsencode(part)) > NAME_MAX]
    if too_long:
        raise InputError(f"{what}: a path component is {len(os.fsencode(too_long[0]))} bytes, over the {NAME_MAX}-byte limit of file names; use a shorter name")
    if len(os.fsencode(str(path.expanduser().absolute()))) >= PATH_MAX:
        raise InputError(f"{what}: the path is over {PATH_MAX} bytes (PATH_MAX); use a shorter path")
    return path


def regular_file(path: str | Path, what: str, hint: str = "pass a regular file") -> Path:
    """``path`` if ``stat`` says it is a regular file: a FIFO, socket or device would block or
    stream forever, a folder cannot be read as a file. One line otherwise."""
    path = check_path_length(path, what)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{what}: file not found: {path} ({hint})") from None
    except OSError as err:
        raise InputError(f"{what}: cannot read {path} ({err.strerror or type(err).__name__}); {hint}") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{what}: {path} is a folder; {hint}")
    if not stat.S_ISREG(mode):
        kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
        kind = next((name for test, name in kinds if test(mode)), "not a file")
        raise InputError(f"{what}: {path} is {kind}, not a regular file; {hint}")
    return path


def _to_rgb(image: Image.Image, alpha: str) -> Image.Image:
    """Every mode to 8-bit RGB: 16/32-bit integer images scaled (not saturated to white),
    CMYK and palettes converted, transparency composited on white or dropped."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        array = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or array.max() > 255 else 255.0
        image = Image.fromarray((np.clip(array, 0, top) * (255.0 / top)).round().astype(np.uint8), "L")
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if transparent and alpha == "white":
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(canvas, rgba).convert("RGB")
    return image.convert("RGB")


def load_image(source: str | Path, what: str = "image", alpha: str = "white", min_side: int = 1) -> Image.Image:
    """Open an image as 8-bit RGB. Transparent pixels are composited on white (background-
    removed crops), or with ``alpha="drop"`` the alpha channel is dropped (PIL's
    ``convert("RGB")``). Bad input is one line naming it: missing, a folder, not an image, too
    many pixels, under ``min_side`` (face images pass ``MIN_IMAGE_SIDE``)."""
    path = regular_file(resolve_image_path(source), what, "pass the path of a PNG or JPEG image")
    limit = max_image_pixels()
    try:
        with Image.open(path) as image:
            if image.width * image.height > limit:
                raise InputError(
                    f"{what}: {path} is {image.width}x{image.height} ({image.width * image.height / 1e6:.0f} MP), over the "
                    f"{limit / 1e6:.0f} MP limit; resize it, or raise STDT2V_MAX_IMAGE_PIXELS"
                )
            if min(image.size) < min_side:
                raise InputError(f"{what}: {path} is {image.width}x{image.height}, too small to hold a face; pass an image at least {min_side} px on each side")
            image.load()
            # A phone photo stored sideways carries its orientation in EXIF: upright it, or the
            # detector sees a sideways face (and the identity match falls).
            return _to_rgb(ImageOps.exif_transpose(image), alpha)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputError(f"{what}: cannot read {path} as an image ({reason}); pass a PNG or JPEG file") from None


def prepare_output(path: str | Path, what: str = "--output") -> Path:
    """An output folder that exists (created) and can be written: one line otherwise."""
    if not str(path).strip():
        raise InputError(f"{what}: empty; pass a folder (it is created if missing)")
    path = check_path_length(Path(path).expanduser(), what)
    if path.exists() and not path.is_dir():
        raise InputError(f"{what}: {path} is a file; pass a folder (it is created if missing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=TMP_PREFIX, delete=True)
        probe.close()
    except OSError as err:
        raise InputError(f"{what}: cannot write to {path} ({err.strerror or type(err).__name__}); pass a writable folder") from None
    return path


def prepare_output_file(path: str | Path, what: str = "--output") -> Path:
    """A file to write (atomically, beside itself): not empty, not a folder, its folder
    writable (created if missing). One line otherwise, before anything runs."""
    if not str(path).strip():
        raise InputError(f"{what}: empty; pass a file path")
    path = check_path_length(Path(path).expanduser(), what)
    if path.is_dir():
        raise InputError(f"{what}: {path} is a folder; pass a file path")
    if path.exists() and not path.is_file():
        raise InputError(f"{what}: {path} is not a regular file; pass a file path")
    prepare_output(path.parent, what=f"{what} {path}: its folder")
    return path


def first_line(err: BaseException) -> str:
    """An error's first line (tools such as ffmpeg put whole banners in their messages)."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def read_prompt_file(path: str | Path) -> str:
    """A prompt text file, which must be a regular file of UTF-8 (one line naming the file
    otherwise). A byte-order mark (Notepad's "UTF-8 with BOM") is dropped."""
    path = regular_file(path, str(path), "pass a UTF-8 text file")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (byte {err.start}); save the prompt as UTF-8") from None


def to_uint8_rgb(image: Image.Image | np.ndarray) -> np.ndarray:
    """PIL image or array (uint8, or float in [0, 1]) → contiguous uint8 [H, W, 3]."""
    if isinstance(image, Image.Image):
        return np.asarray(image.convert("RGB"))
    array = np.asarray(image)
    if array.dtype != np.uint8:
        array = (np.clip(array, 0.0, 1.0) * 255.0).round().astype(np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[..., None], 3, axis=-1)
    return np.ascontiguousarray(array[..., :3])


# ---------------------------------------------------------------- atomic writes


def _temp_path(path: Path, suffix: str = "") -> Path:
    fd, name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.stem}-", suffix=suffix or path.suffix, dir=path.parent)
    os.close(fd)
    os.chmod(name, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
    return Path(name)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_path(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | Path, obj: Any) -> Path:
    return atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def save_png(image: Image.Image | np.ndarray, path: str | Path) -> Path:
    if not isinstance(image, Image.Image):
        image = Image.fromarray(to_uint8_rgb(image))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return atomic_write_bytes(path, buffer.getvalue())


def write_video(frames: np.ndarray | Sequence[np.ndarray], path: str | Path, fps: int) -> Path:
    """Write uint8 RGB frames [F, H, W, 3] as an H.264 mp4 (yuv420p, plays everywhere)."""
    import imageio.v2 as imageio

    frames = [to_uint8_rgb(f) for f in frames]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_path(path, suffix=".mp4")
    try:
        # macro_block_size=1: sizes are already even multiples from the animator; don't resize.
        with imageio.get_writer(
            tmp,
            format="FFMPEG",
            mode="I",
            fps=fps,
            codec="libx264",
            pixelformat="yuv420p",
            quality=8,
            macro_block_size=1,
            ffmpeg_log_level="error",
        ) as writer:
            for frame in frames:
                writer.append_data(frame)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_video(path: str | Path) -> np.ndarray:
    """Read an mp4 back as uint8 [F, H, W, 3]."""
    import imageio.v2 as imageio

    with imageio.get_reader(path, format="FFMPEG") as reader:
        return np.stack([np.asarray(frame) for frame in reader])


def evenly_spaced(n_total: int, n_pick: int) -> list[int]:
    """Indices of ``n_pick`` evenly spaced items out of ``n_total`` (first and last included,
    rounded down as ``np.linspace(..., dtype=int)``; each item at most once). The run report,
    the identity guard and ``stdt2v evaluate`` all sample frames with it."""
    if n_total <= n_pick:
        return list(range(n_total))
    return np.linspace(0, n_total - 1, n_pick, dtype=int).tolist()


def contact_sheet(images: Sequence[Image.Image | np.ndarray], columns: int = 4, gap: int = 4, labels: Sequence[str] | None = None) -> Image.Image:
    """Grid of equally sized images on a white background, with an optional caption under each."""
    from PIL import ImageDraw, ImageFont

    tiles = [Image.fromarray(to_uint8_rgb(im)) for im in images]
    if not tiles:
        raise ValueError("contact_sheet needs at least one image")
    w, h = tiles[0].size
    columns = min(columns, len(tiles))
    rows = (len(tiles) + columns - 1) // columns
    caption = 14 if labels else 0
    sheet = Image.new("RGB", (columns * w + (columns + 1) * gap, rows * (h + caption) + (rows + 1) * gap), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for i, tile in enumerate(tiles):
        r, c = divmod(i, columns)
        x, y = gap + c * (w + gap), gap + r * (h + caption + gap)
        sheet.paste(tile.resize((w, h)), (x, y))
        if labels:
            draw.text((x, y + h + 1), labels[i], fill="black", font=font)
    return sheet


def fit_cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """``image`` scaled (aspect kept) to cover width × height, then centre-cropped to it."""
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    scaled = image.resize(size, Image.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return scaled.crop((left, top, left + width, top + height))
