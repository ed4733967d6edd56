"""The keyframe prompt as a list: the framing said once and last, no full stop inside an item,
and the things the first action uses kept where the parse is certain."""

from __future__ import annotations

import pytest

from stdt2v.prompts.phrasing import framing_only, without_framing


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("medium shot", True),
        ("Close-up", True),
        ("slightly high angle", True),
        ("low-angle wide shot", True),
        ("50mm lens", False),
        ("a shot of espresso", False),
        ("right-heavy composition", False),
        ("a view of the harbour", False),
        ("warm lamp light", False),
    ],
)
def test_framing_only(text, only):
    assert framing_only(text) is only


@pytest.mark.parametrize(
    ("phrase", "out"),
    [
        ("a mug on the counter, medium shot", "a mug on the counter"),
        ("8K. Close-up", "8K"),
        ("dusty boots", "dusty boots"),
        ("near St. Mark's Square", "near St. Mark's Square"),
        ("bananas, kiwis and plums", "bananas, kiwis and plums"),
        ("wide shot", ""),
    ],
)
def test_without_framing(phrase, out):
    assert without_framing(phrase) == out


@pytest.mark.parametrize(
    ("prompt", "framing"),
    [
        # the input's framing at the end of a run-on list, and the same framing as the keyframe's own
        ("a boy with red hair strums a ukulele on the porch steps then grins at a can of lemonade on the railing, medium shot, soft porch light", "medium shot"),
        # a style header whose last sentence is the framing: one framing, last, and no full stop in the list
        ("Soft tones, 35mm lens, cinematic, 8K. Close-up, slightly low angle. An old baker with a grey beard shapes a loaf on a floured bench.", "low-angle close-up"),
    ],
)
def test_framing_said_once_and_last(rule, prompt, framing):
    spatial = rule(prompt, "A man").spatial
    items = [p.strip() for p in spatial.split(",")]
    assert items[-1] == framing
    assert sum(framing_only(p) for p in items) == 1, spatial
    assert "." not in spatial, spatial
