"""Inputs with clear errors; outputs written atomically."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from stdt2v.errors import InputError
from stdt2v.io import (
    TMP_PREFIX,
    atomic_write_json,
    contact_sheet,
    evenly_spaced,
    load_image,
    read_video,
    write_video,
)


def test_missing_and_unreadable_images(tmp_path):
    with pytest.raises(InputError, match=r"--id-image: file not found: .*nope\.png"):
        load_image(tmp_path / "nope.png", what="--id-image")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image at all")
    with pytest.raises(InputError, match=r"cannot read .*bad\.png as an image"):
        load_image(bad)
    with pytest.raises(InputError, match="unknown builtin image"):
        load_image("builtin:nobody")


def test_transparent_pixels_become_white(tmp_path):
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 0] = 255  # red, fully transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    assert (np.asarray(load_image(tmp_path / "a.png")) == 255).all()


def test_builtin_face_is_a_real_photo():
    image = load_image("builtin:grace_hopper")
    assert image.mode == "RGB" and min(image.size) > 256


def test_video_round_trip_and_no_temp_files(tmp_path):
    frames = np.random.RandomState(0).randint(0, 255, (9, 32, 48, 3), dtype=np.uint8)
    path = write_video(frames, tmp_path / "v.mp4", fps=8)
    back = read_video(path)
    assert back.shape == frames.shape
    atomic_write_json(tmp_path / "r.json", {"a": 1})
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_contact_sheet_and_sampling():
    assert evenly_spaced(17, 8) == [0, 2, 4, 6, 9, 11, 13, 16]  # linspace(0, 16, 8) rounded down, as ConsisID samples
    assert evenly_spaced(3, 8) == [0, 1, 2]
    sheet = contact_sheet([np.zeros((10, 20, 3), np.uint8)] * 5, columns=4, gap=2)
    assert sheet.size == (4 * 20 + 5 * 2, 2 * 10 + 3 * 2)


def test_face_images_below_the_minimum_are_one_line(tmp_path):
    from stdt2v.errors import InputError
    from stdt2v.io import MIN_IMAGE_SIDE

    Image.new("RGB", (1, 1)).save(tmp_path / "dot.png")
    assert load_image(tmp_path / "dot.png").size == (1, 1)  # any image loads
    with pytest.raises(InputError, match=r"1x1, too small to hold a face; pass an image at least 32 px"):
        load_image(tmp_path / "dot.png", what="--id-image", min_side=MIN_IMAGE_SIDE)


def test_sixteen_bit_grey_is_scaled_not_saturated(tmp_path):
    ramp = np.linspace(0, 65535, 64 * 64).reshape(64, 64).astype(np.uint16)
    Image.fromarray(ramp).save(tmp_path / "ramp.png")
    pixels = np.asarray(load_image(tmp_path / "ramp.png"))
    assert pixels[0, 0, 0] == 0 and pixels[-1, -1, 0] == 255 and 120 < pixels.mean() < 135
