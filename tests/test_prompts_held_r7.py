"""The keyframe keeps how a pose sets the body and what the hands hold (issue 28, point 1): the
words right after a pose verb ("sits cross-legged", "leans back in a rocking chair"), a thing set
off after the clause with an article and a hand or arm ("..., a clipboard under her arm"), a tool
whose noun ends like a doer's ("with a screwdriver"), a vessel that stuff is poured or sipped from,
and a held thing whose noun also names a place ("holding a toy boat"). Prompts written for these tests."""

from __future__ import annotations

import pytest


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("An old woman with silver hair sits cross-legged on a woven rug, threading a needle.", "A woman", "sitting cross-legged on a woven rug"),
        ("A boy sitting cross-legged on the floor of his bedroom is reading a comic.", "A man", "sitting cross-legged on the floor of his bedroom"),
        ("A grandfather in a knitted vest leans back in a rocking chair on a porch.", "A man", "leaning back in a rocking chair on a porch"),
        ("A monk in an orange robe sits cross-legged, eyes closed, in a quiet temple.", "A man", "sitting cross-legged"),
        ("A fisherman stands barefoot on the wet rocks of a jetty at dawn.", "A man", "standing barefoot on the wet rocks of a jetty"),
    ],
)
def test_the_pose_keeps_how_the_body_is_set(rule, prompt, subject, expected):
    assert expected in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("A soldier stands up from a bench in a train station.", "A man"),
        ("A student sits down on the grass of a college lawn.", "A woman"),
        ("A runner kneels down on the track to tie a shoe.", "A woman"),
        ("A clerk leans over the counter of a post office.", "A man"),
    ],
)
def test_a_verb_of_motion_after_a_pose_is_never_kept_as_its_manner(rule, prompt, subject):
    out = spatial(rule, prompt, subject)
    assert " up " not in out and " down " not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        (
            "A tall woman in a camel coat crosses a stone plaza, pigeons around her feet, a leather briefcase in one hand.",
            "A woman",
            "a leather briefcase in one hand",
        ),
        ("A nurse walks down the corridor, a clipboard under her arm.", "A woman", "a clipboard under her arm"),
        ("A farmer stands in a field at dawn, a tin bucket in each hand, looking at the sky.", "A man", "a tin bucket in each hand"),
        ("A boy waits at the bus stop, a paper bag in his left hand.", "A man", "a paper bag in his left hand"),
    ],
)
def test_a_thing_set_off_in_a_hand_is_kept_with_its_article(rule, prompt, subject, expected):
    assert expected in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("A man waits at a bus stop, a woman in a red coat beside him.", "A man"),
        ("A girl sits on a bench, a pigeon at her feet.", "A woman"),
        ("A guard stands at the gate, a lantern on the wall.", "A man"),
        ("A man reads on a train, a newspaper on the seat.", "A man"),
    ],
)
def test_a_thing_set_off_with_an_article_away_from_the_body_is_not_held(rule, prompt, subject):
    out = spatial(rule, prompt, subject)
    assert "in one hand" not in out and "under her arm" not in out
    assert "a woman in a red coat beside" not in out and "a lantern on the wall in" not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("A scientist lies on her back under a telescope mount, reaching up to adjust a cable with a screwdriver.", "A woman", "screwdriver in hand"),
        ("A glazier cuts a pane of glass with a diamond cutter on a workbench.", "A man", "diamond cutter"),
        ("A cook peels a potato with a peeler at the sink.", "A man", "peeler in hand"),
        ("A decorator smooths the wallpaper with a plastic smoother in a bare room.", "A woman", "plastic smoother"),
    ],
)
def test_a_tool_whose_noun_ends_like_a_doers_is_still_a_tool(rule, prompt, subject, expected):
    assert expected in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("A chess player plays a game with a stranger in a park.", "A man"),
        ("A man shares a meal with his neighbor on a balcony.", "A man"),
        ("A woman walks with local diners through a market.", "A woman"),
        ("A teacher reads a story with a young learner in a classroom.", "A woman"),
    ],
)
def test_a_person_after_with_is_never_in_hand(rule, prompt, subject):
    out = spatial(rule, prompt, subject)
    for person in ("stranger", "neighbor", "diners", "learner"):
        assert f"{person} in hand" not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("A hiker sips water from a dented tin mug on a rocky ledge.", "A woman", "a dented tin mug in hand"),
        ("A monk pours tea from a clay teapot in a quiet courtyard.", "A man", "a clay teapot in hand"),
        ("A nomad pours water from a leather flask in the desert.", "A man", "a leather flask in hand"),
        ("A child drinks cocoa from a chipped mug by the fire.", "A woman", "a chipped mug in hand"),
    ],
)
def test_the_vessel_stuff_comes_from_is_in_hand(rule, prompt, subject, expected):
    assert expected in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        ("A boy takes a jar from the shelf in a pantry.", "A man", "shelf in hand"),
        ("A gardener pulls a large carrot from the dark soil.", "A woman", "soil in hand"),
        ("A clerk lifts a parcel from the counter of a post office.", "A man", "counter in hand"),
        ("A child picks an apple from a low branch in an orchard.", "A woman", "branch in hand"),
    ],
)
def test_the_place_one_thing_is_taken_from_is_not_in_hand(rule, prompt, subject, gone):
    assert gone not in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("A woman in a yellow raincoat crouches beside a puddle, holding a small paper boat.", "A woman", "holding a small paper boat"),
        ("A boy sits on the porch steps, holding a wooden toy boat.", "A man", "holding a wooden toy boat"),
        ("A girl in pajamas stands by the bed, holding a tiny dollhouse.", "A woman", "dollhouse"),
        ("A collector in a tweed jacket holds a model ship in a dusty shop.", "A man", "model ship"),
    ],
)
def test_a_held_thing_named_like_a_place_is_still_held(rule, prompt, subject, expected):
    assert expected in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        ("A man rides a gray mare along a beach. He leans forward and urges her into a gallop.", "A man", "leaning forward"),
        ("A woman paints a fence in her yard. She leans back and wipes her brow.", "A woman", "leaning back"),
        ("A boy kicks a ball against a wall. He stands still and listens to the rain.", "A man", "standing still"),
        ("A chef tastes a sauce at the stove. She leans back, satisfied.", "A woman", "leaning back"),
    ],
)
def test_a_pose_said_alone_after_an_action_is_not_the_first_frame(rule, prompt, subject, gone):
    assert gone not in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "expected", "gone"),
    [
        ("A woman wipes the table with a damp cloth by the window.", "A woman", "damp cloth in hand", "cloth by the window"),
        ("A boy cleans his bike with a sponge on the driveway.", "A man", "sponge in hand", "sponge on the driveway"),
        ("A man scrapes the ice with a plastic scraper on his windshield.", "A man", "plastic scraper in hand", "scraper on his windshield"),
        ("A welder cuts a steel pipe with a grinder on the floor of a garage.", "A man", "grinder in hand", "grinder on the floor"),
    ],
)
def test_a_tools_place_is_where_the_subject_works_and_the_tool_is_in_hand(rule, prompt, subject, expected, gone):
    out = spatial(rule, prompt, subject)
    assert expected in out and gone not in out


@pytest.mark.parametrize(
    ("prompt", "subject", "gone"),
    [
        ("A man walks his dog in the park he stops near a bench and drinks from a bottle then walks on", "A man", "bottle in hand"),
        ("A woman jogs along the river she pauses by a tree and drinks from a flask", "A woman", "flask in hand"),
        ("A courier cycles through the rain. He stops at a corner and sips from a thermos.", "A man", "thermos in hand"),
        ("A rider gallops across a field. She halts by a well and drinks from a tin cup.", "A woman", "cup in hand"),
    ],
)
def test_a_vessel_of_a_later_step_is_not_in_hand(rule, prompt, subject, gone):
    assert gone not in spatial(rule, prompt, subject)
