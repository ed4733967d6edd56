"""The keyframe prompt as a list: the framing said once and last, no full stop inside an item,
and the things the first action uses kept where the parse is certain."""

from __future__ import annotations

import pytest

from stdt2v.prompts.clausecut import attire_set_off
from stdt2v.prompts.clauses import own_subject
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
        (
            "a boy with red hair strums a ukulele on the porch steps then grins at a can of lemonade on the railing, medium shot, soft porch light",
            "medium shot",
        ),
        # a style header whose last sentence is the framing: one framing, last, and no full stop in the list
        (
            "Soft tones, 35mm lens, cinematic, 8K. Close-up, slightly low angle. An old baker with a grey beard shapes a loaf on a floured bench.",
            "low-angle close-up",
        ),
    ],
)
def test_framing_said_once_and_last(rule, prompt, framing):
    spatial = rule(prompt, "A man").spatial
    items = [p.strip() for p in spatial.split(",")]
    assert items[-1] == framing
    assert sum(framing_only(p) for p in items) == 1, spatial
    assert "." not in spatial, spatial


def test_a_garment_that_swallowed_the_verb(rule):
    # the parse reads "raincoat splashes" as one noun; set off by commas, "splashes" is the verb
    # (the pipeline's own re-read (verbread) now gives the right parse, which is left alone)
    doc = rule.nlp("A girl in a green raincoat splashes through puddles on a quiet street.")
    fixed = attire_set_off(rule.nlp, doc, own_subject(doc)) or doc
    assert next(t for t in fixed if t.lower_ == "splashes").dep_ == "ROOT"
    # a parse that was right is left alone
    doc = rule.nlp("A tall man in a navy wool coat reads a newspaper on a park bench.")
    assert attire_set_off(rule.nlp, doc, own_subject(doc)) is None


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        ("A small boy sleds down a snowy slope, laughing.", "on a sled"),
        ("A woman skateboarding along a seaside promenade at noon.", "on a skateboard"),
    ],
)
def test_the_thing_ridden_is_under_them(rule, prompt, kept):
    assert kept in rule(prompt, "A man").spatial
