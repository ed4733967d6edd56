"""The keyframe prompt shows the first frame only, in well-formed phrases (issue 28): what a
later step brings (a pose, a prop, a place, a smile) stays out, and so do sounds, camera moves,
bare words and clauses kept inside the list. Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.firstframe import _ing, first_frame_end


def spatial_of(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # a pose and a prop that come after "then": not in the first frame
        (
            "A mechanic wipes his hands on a rag, then sits down on an upturned crate and opens a thermos.",
            "A man",
            ["A man as a mechanic"],
            ["sitting", "crate", "thermos"],
        ),
        # a thing bought in a later sentence
        ("A woman unlocks her bicycle outside a bakery. Afterwards she buys a baguette and tucks it under her arm.", "A woman", [], ["baguette"]),
        # the place a later step walks into
        ("A waitress wipes down the diner counter, takes off her apron and steps out into the rainy street.", "A woman", [], ["into", "rainy street"]),
        # where a later step puts a thing is not where the subject stands
        (
            "A man in a knitted sweater carries a stack of firewood to the cabin and stacks it against the wall.",
            "A man",
            ["knitted sweater"],
            ["against the wall"],
        ),
    ],
)
def test_later_steps_stay_out(rule, prompt, subject, kept, gone):
    spatial = spatial_of(rule, prompt, subject)
    assert all(k in spatial for k in kept), spatial
    assert not any(g in spatial for g in gone), spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # a thing named by its sound, and a camera move
        ("A man repairs a wooden fence post in a green meadow while church bells ring in the distance.", "A man", ["in a green meadow"], ["bells"]),
        ("A boxer in red trunks raises his fists in a dim gym. Slow push in on his face.", "A man", ["red trunks", "in a dim gym"], ["push", "fists"]),
        # a verb the parse read as a noun after a garment ends the garment phrase ("apron kneads dough")
        (
            "A woman in a blue apron kneads dough on a floured table, and later slides the loaf into a brick oven.",
            "A woman",
            ["blue apron"],
            ["kneads", "loaf"],
        ),
        # "with a basket" after the bicycle is the bicycle's, not in her hand
        (
            "A woman in a yellow raincoat rides a bicycle with a wicker basket along a canal.",
            "A woman",
            ["on a bicycle", "yellow raincoat"],
            ["basket in hand"],
        ),
        # a body part the hands work with is no thing nearby
        ("A potter presses her thumbs into the wet clay on the wheel.", "A woman", [], ["thumbs nearby", "thumbs,"]),
    ],
)
def test_every_phrase_is_a_visible_thing(rule, prompt, subject, kept, gone):
    spatial = spatial_of(rule, prompt, subject)
    assert all(k in spatial for k in kept), spatial
    assert not any(g in spatial for g in gone), spatial


def test_a_child_stays_a_child(rule):
    assert spatial_of(rule, "A boy of about nine flies a red kite on a windy beach.", "A man").startswith("A man, a boy of about nine, ")
    spatial = spatial_of(rule, "A girl in a green hoodie is skateboarding across an empty plaza at dusk.", "A woman")
    assert spatial.startswith("A woman, a girl, green hoodie"), spatial
    assert "on a skateboard" in spatial  # the board the verb names


def test_first_frame_ends_at_the_second_step(nlp):
    doc = nlp("A man measures the plank twice, marks it with a pencil, and cuts it on the saw.")
    end = first_frame_end(doc, doc[0:2])
    assert doc[end].text in ("marks", ",")
    assert end < [t.i for t in doc if t.text == "marks"][0] + 1
    # a time after "after" is no later step; a step at the same time ("as") is none either
    doc = nlp("After a rainstorm, a boy stands on the sidewalk as he zips his raincoat.")
    assert first_frame_end(doc, doc[4:6]) == len(doc)


@pytest.mark.parametrize(
    ("verb", "participle"), [("forms", "forming"), ("casts", "casting"), ("glides", "gliding"), ("reaches", "reaching"), ("sees", "seeing")]
)
def test_participle(verb, participle):
    assert _ing(verb) == participle


@pytest.mark.parametrize(
    ("prompt", "subject", "kept", "gone"),
    [
        # a shot named first: the person after "of" is the subject, and no camera word is the role
        (
            "Slow tracking shot of a middle-aged Nigerian woman in a green headwrap walking through a spice market.",
            "A woman",
            ["A woman, middle-aged Nigerian", "green headwrap"],
            [" as a", "tracking"],
        ),
        # the input's capitals stay with the person's looks
        ("A young Peruvian man in a wool poncho stands on a mountain pass at dawn.", "A man", ["young Peruvian", "wool poncho"], ["peruvian"]),
        # a verb the parse took into the garment phrase ends it; the place after it stays
        (
            "A little girl in red wellies splashes in a puddle by the garden gate.",
            "A woman",
            ["a little girl", "by the garden gate", "red wellies"],
            ["splashes"],
        ),
        # a thing a tool holds is in the tool, not in hand
        (
            "A jeweler grips a pair of pliers holding a tiny silver ring over his workbench.",
            "A man",
            ["a pair of pliers in hand", "a tiny silver ring in the pliers"],
            ["ring in hand"],
        ),
        # the person's descent is part of who they are
        ("The fisherman, a wiry old man of Portuguese descent, mends a net on the quay.", "A man", ["A man as a fisherman", "of Portuguese descent"], []),
        # a look the parse hung on the subject as an appositive is still a look
        (
            "An old woman with thin lips, a silver bun and pale gray eyes, wearing a black shawl. She sits on a porch.",
            "A woman",
            ["thin lips", "silver bun", "pale gray eyes", "black shawl", "sitting on a porch"],
            [],
        ),
    ],
)
def test_the_person_and_their_things_are_kept(rule, prompt, subject, kept, gone):
    spatial = spatial_of(rule, prompt, subject)
    assert all(k in spatial for k in kept), spatial
    assert not any(g in spatial for g in gone), spatial
