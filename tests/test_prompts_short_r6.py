"""Short one-clause prompts (issue 28): the keyframe keeps the basics of "A <role> in <attire>
<verb>s <a thing> <place>.": the attire when the tagger read the verb into it, the place after a
verb of looking that has its object, a place named by an article alone after 'at'/'along', a
pan or a truck that is a thing, a garment held or worked on (not worn), and a thing set off
after the clause with where it lies. Prompts written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("prompt", "verb"),
    [
        ("A woman in a hijab paints a mural of flowers on a brick wall in an alley.", "paints"),
        ("A ballerina in a white tutu practices pirouettes in an empty rehearsal studio.", "practices"),
        ("A firefighter in a yellow helmet sprays water at a burning barn on a farm.", "sprays"),
        ("A baker in a flour-dusted apron kneads dough on a marble counter in a bakery.", "kneads"),
        ("A hiker with a blue backpack climbs a rocky trail in the mountains.", "climbs"),
    ],
)
def test_the_verb_after_the_attire_phrase_is_read_as_the_verb(rule, prompt, verb):
    doc = rule.nlp(prompt)
    root = next(t for t in doc if t.dep_ == "ROOT")
    assert (root.text, root.tag_) == (verb, "VBZ")
    assert doc[1].dep_ == "nsubj" and doc[1].head.i == root.i
    assert [t.text for t in doc] == [t.text for t in rule.nlp.make_doc(prompt)]  # the words and their offsets unchanged


def test_a_sentence_with_no_verb_is_left_as_parsed(rule):
    doc = rule.nlp("A woman in a red dress.")
    assert [(t.text, t.dep_) for t in doc][:2] == [("A", "det"), ("woman", "ROOT")]


@pytest.mark.parametrize(
    ("prompt", "subject", "seen", "unseen"),
    [
        (
            "A woman in a hijab paints a mural of flowers on a brick wall in an alley.",
            "A woman",
            ["hijab", "mural of flowers on a brick wall", "in an alley"],
            [],
        ),
        (
            "A ballerina in a white tutu practices pirouettes in an empty rehearsal studio.",
            "A woman",
            ["white tutu,", "in an empty rehearsal studio"],
            ["practices"],
        ),
        ("A firefighter in a yellow helmet sprays water at a burning barn on a farm.", "A man", ["yellow helmet", "at a burning barn on a farm"], ["sprays"]),
        (
            "A baker in a flour-dusted apron kneads dough on a marble counter in a bakery.",
            "A man",
            ["flour-dusted apron", "marble counter", "bakery"],
            ["kneads"],
        ),
        ("A hiker with a blue backpack climbs a rocky trail in the mountains.", "A woman", ["blue backpack", "rocky trail", "in the mountains"], ["climbs"]),
    ],
)
def test_the_attire_and_place_of_a_misread_verb_stay_in_the_keyframe(rule, prompt, subject, seen, unseen):
    spatial = rule(prompt, subject).spatial
    assert all(s in spatial for s in seen), spatial
    assert not any(u in spatial for u in unseen), spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("A nurse in blue scrubs checks a patient's chart in a brightly lit hospital corridor.", "A woman", "in a brightly lit hospital corridor"),
        ("A guard inspects a badge at a security gate.", "A man", "at a security gate"),
        ("A woman watches the news in a cosy living room.", "A woman", "in a cosy living room"),
        ("A mechanic examines an engine in a dusty garage.", "A man", "in a dusty garage"),
    ],
)
def test_a_verb_of_looking_with_its_object_keeps_the_place(rule, prompt, subject, place):
    assert place in rule(prompt, subject).spatial


def test_a_verb_of_looking_without_an_object_still_looks_at_its_phrase(rule):
    assert "rain" not in rule("A woman stands still and looks up at the falling rain.", "A woman").spatial.replace("in the rain", "")


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("A boy fishes at a pond.", "A man", "at a pond"),
        ("An old man dozes at a campsite.", "A man", "at a campsite"),
        ("An elderly man feeds ducks at a pond in a misty park.", "A man", "at a pond, in a misty park"),
        ("A woman in a yellow sundress walks barefoot along the shoreline.", "A woman", "by the shoreline"),
        ("A woman jogs along the riverbank at dawn.", "A woman", "by the riverbank"),
    ],
)
def test_a_place_named_by_its_article_alone_after_at_or_along(rule, prompt, subject, place):
    assert place in rule(prompt, subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "seen"),
    [
        ("A man cooks eggs in a frying pan at a campsite.", "A man", "eggs in a frying pan, at a campsite"),
        ("A man fries eggs in a pan at a campsite.", "A man", "eggs in a pan"),
        ("A cook flips a pancake in a frying pan.", "A man", "a pancake in a frying pan"),
        ("A mechanic lies under a pickup truck in a garage.", "A man", "under a pickup truck"),
    ],
)
def test_a_pan_or_a_truck_that_is_a_thing(rule, prompt, subject, seen):
    assert seen in rule(prompt, subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "seen", "worn"),
    [
        ("A woman walks along the shoreline, carrying her sandals in one hand.", "A woman", "sandals in one hand", ", sandals,"),
        ("A girl holds her hat in both hands on a windy pier.", "A woman", "hat in hand", ", hat,"),
        ("An old woman knits a scarf by the window of a cottage.", "A woman", "a scarf in hand", ", scarf,"),
        ("A girl sews a dress at a kitchen table.", "A woman", "a dress in hand", ", dress,"),
        ("A man folds a shirt on a bed.", "A man", "a shirt in hand", ", shirt,"),
    ],
)
def test_a_garment_held_or_worked_on_is_not_worn(rule, prompt, subject, seen, worn):
    spatial = rule(prompt, subject).spatial
    assert seen in spatial and worn not in spatial, spatial


def test_a_garment_put_on_is_still_worn(rule):
    assert "coat" in rule("A woman puts on a coat in the hallway.", "A woman").spatial
    assert "coat in hand" not in rule("A woman puts on a coat in the hallway.", "A woman").spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "seen"),
    [
        ("A man sings on a street corner, his guitar case at his feet.", "A man", "his guitar case at his feet"),
        ("A woman reads on a bench, her bag beside her.", "A woman", "her bag beside her"),
        ("A boy sits on a dock, his fishing rod against the railing.", "A man", "his fishing rod against the railing"),
        ("A woman waits at a bus stop, her suitcase beside her.", "A woman", "her suitcase beside her"),
        ("A man in a suit reads a newspaper, his briefcase at his feet.", "A man", "his briefcase at his feet"),
    ],
)
def test_a_thing_set_off_with_where_it_lies(rule, prompt, subject, seen):
    assert seen in rule(prompt, subject).spatial


@pytest.mark.parametrize(
    ("prompt", "verb"),
    [
        ("An elderly woman in a faded cotton sari roasts cumin seeds in a heavy iron pan over a gas stove.", "roasts"),
        ("A man in a grey wool coat feeds pigeons in a quiet square.", "feeds"),
        ("A girl in a denim jacket sketches birds in a notebook.", "sketches"),
        ("A fisherman in a yellow raincoat mends nets on a wooden dock.", "mends"),
    ],
)
def test_a_plural_verb_on_a_singular_subject_is_read_again(rule, prompt, verb):
    doc = rule.nlp(prompt)
    root = next(t for t in doc if t.dep_ == "ROOT")
    assert (root.text, root.tag_) == (verb, "VBZ")


@pytest.mark.parametrize(
    ("prompt", "subject", "seen"),
    [
        ("A girl in a red snowsuit sleds down a steep hill in Hokkaido.", "A woman", "on a steep hill"),
        ("A man climbs the icy ridge.", "A man", "on the icy ridge"),
        ("A woman in a blue jacket hikes up a rocky slope.", "A woman", "a rocky slope"),
    ],
)
def test_a_mount_and_a_slope_are_said_as_the_input_names_them(rule, prompt, subject, seen):
    assert seen in rule(prompt, subject).spatial
