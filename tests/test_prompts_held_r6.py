"""What the person holds or uses in the first frame, the pose, and nothing of a later step
(issue 28, point 1): the object of the first action said with its article and where the input
puts it, in hand before it goes somewhere, held while it is lifted or turned, a placed thing left
where it stands, the second hand's thing, a pose after an adverb of order, and no object of a
step said to come later. Prompts written for these tests."""

from __future__ import annotations

import pytest


def spatial(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).spatial


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("A seamstress guides a length of blue cotton under the needle of her sewing machine.", "A woman", "a length of blue cotton under the needle"),
        ("A baker holds a round loaf between his palms in a warm kitchen.", "A man", "a round loaf between his palms"),
        ("A potter presses a lump of grey clay between his palms in a dim workshop.", "A man", "a lump of grey clay between his palms"),
        ("A gardener balances a clay pot on her knee while sitting on a low step.", "A woman", "a clay pot on her knee"),
        ("A locksmith turns a small brass key in an old wooden door.", "A man", "a small brass key in an old wooden door"),
    ],
)
def test_the_first_actions_object_is_said_where_the_input_puts_it(rule, prompt, subject, expected):
    assert expected in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("A boy drops a copper coin into a fountain in a busy square.", "A man", "a copper coin in hand"),
        ("An old man tucks a folded letter into a red postbox on a quiet street.", "A man", "a folded letter in hand"),
        ("A farmer presses young cabbage seedlings into the wet soil of a terraced field.", "A woman", "young cabbage seedlings in hand"),
        ("A girl slips a small seashell into the pocket of her coat on a windy beach.", "A woman", "a small seashell in hand"),
    ],
)
def test_a_thing_the_hands_take_somewhere_is_in_hand_first(rule, prompt, subject, expected):
    out = spatial(rule, prompt, subject)
    assert expected in out and " into " not in out, out


def test_a_pushed_thing_is_not_in_hand(rule):
    out = spatial(rule, "A farmer pushes a rusty wheelbarrow into a wooden shed.", "A man")
    assert "a rusty wheelbarrow" in out and "in hand" not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("A welder in a scorched apron lifts a steel beam in a busy shipyard.", "A man", "holding a steel beam"),
        ("An old man raises a silver trophy above his head in a crowded stadium.", "A man", "holding a silver trophy"),
        ("A glassblower turns a long iron rod in the glow of a furnace.", "A man", "holding a long iron rod"),
        ("A porter lifts a battered leather suitcase at a railway station.", "A man", "holding a battered leather suitcase"),
    ],
)
def test_one_thing_lifted_or_turned_is_held(rule, prompt, subject, expected):
    assert expected in spatial(rule, prompt, subject)


def test_turned_pages_are_not_held(rule):
    out = spatial(rule, "A librarian turns the yellowed pages of an old atlas at a long table.", "A woman")
    assert "holding" not in out and "yellowed pages of an old atlas" in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("A man reads the news with a tablet resting on his knees in a train carriage.", "A man", "a tablet resting on his knees"),
        ("A student sits on her bed with a laptop propped against a pile of pillows.", "A woman", "a laptop propped against a pile of pillows"),
        (
            "A young man is video-calling his mother with a tablet propped against a coffee mug on the kitchen table.",
            "A man",
            "a tablet propped against a coffee mug on the kitchen table",
        ),
        ("She sits on the floor recording herself with a phone propped up on a stack of books.", "A woman", "a phone propped up on a stack of books"),
    ],
)
def test_a_thing_set_down_stays_where_it_stands(rule, prompt, subject, expected):
    out = spatial(rule, prompt, subject)
    assert expected in out and "in hand" not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "first", "second"),
    [
        ("A nurse in blue scrubs holds a clipboard in one hand and a pen in the other, standing in a bright hallway.", "A woman", "a clipboard", "a pen"),
        ("A painter holds a wooden palette in one hand and a thin brush in the other in his studio.", "A man", "a wooden palette", "a thin brush"),
        ("He is holding a thin brush in one hand and a tin of blue paint in the other.", "A man", "a thin brush", "a tin of blue paint"),
    ],
)
def test_the_second_hands_thing_is_kept(rule, prompt, subject, first, second):
    out = spatial(rule, prompt, subject)
    assert f"{first} in one hand" in out and f"{second} in the other hand" in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "later"),
    [
        ("A man sits on a sofa playing a ukulele. At one point he fumbles a chord and laughs.", "A man", "chord"),
        ("A woman sits on a park bench feeding pigeons. At one point she drops a paper bag.", "A woman", "bag"),
        ("A woman stands at a bus stop in the rain. Suddenly she opens a yellow umbrella.", "A woman", "umbrella"),
        ("A boy waits on the steps of a school. At some point he pulls a red ball from his backpack.", "A man", "ball"),
    ],
)
def test_a_step_said_to_come_later_shows_nothing_in_the_first_frame(rule, prompt, subject, later):
    assert later not in spatial(rule, prompt, subject)


@pytest.mark.parametrize(
    ("prompt", "subject", "pose", "worn"),
    [
        ("A little girl in a red coat first crouches on the pavement to tie her shoe, then runs to the gate.", "A woman", "crouching on the pavement", "shoe"),
        ("A boy kneels on the dock to lace his boot, then jumps into the boat.", "A man", "kneeling on the dock", "boot"),
        (
            "A little Korean girl of about six in a pink jacket first crouches on the sidewalk to tie her sneaker, then waves.",
            "A woman",
            "crouching on the sidewalk",
            "sneaker",
        ),
        ("A woman in a long coat first sits on a stone wall to fasten her sandal, then opens a letter.", "A woman", "sitting on a stone wall", "sandal"),
    ],
)
def test_the_first_pose_stays_and_an_own_garment_is_no_thing_nearby(rule, prompt, subject, pose, worn):
    out = spatial(rule, prompt, subject)
    assert pose in out and f"{worn} nearby" not in out, out


@pytest.mark.parametrize(
    ("prompt", "subject", "held", "other"),
    [
        ("An old shepherd, with a flock of sheep and a wooden staff, stands on a windy hill.", "A man", "a wooden staff in hand", "flock of sheep"),
        ("A girl, with a small dog and a red umbrella, waits at a crossing.", "A woman", "a red umbrella in hand", "a small dog"),
        ("A busker, with a crowd of tourists and a battered guitar, plays on a bridge.", "A man", "a battered guitar in hand", None),
        ("shepherd boy, flock of goats, rocky mountain trail, wooden staff, red scarf", "A man", "a wooden staff in hand", None),
    ],
)
def test_a_held_thing_in_a_with_list_is_said_on_its_own(rule, prompt, subject, held, other):
    out = spatial(rule, prompt, subject)
    assert held in out and (other is None or f"{other} and" not in out), out
    if other is not None:
        assert other in out, out
