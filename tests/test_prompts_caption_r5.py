"""Caption habits and looks lists in the video prompt (issue 28, point 2): a summary hedged with
'seems to', an interpretation whatever names it, 'at the beginning', a guess that is seen, 'in
what appears to be' before a name, 'a studio that is located in', an abbreviation's full stop,
and a list of looks after 'with' kept whole. Prompts written for these tests."""

from __future__ import annotations

import pytest


def temporal(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).temporal


@pytest.mark.parametrize(
    "closing",
    [
        "Overall, the video seems to capture a moment of patience and the small joys of craft.",
        "The clip appears to capture the calm of a slow morning.",
        "The golden light and busy street convey the energy of market day.",
        "Her quiet smile evokes a sense of nostalgia.",
    ],
)
def test_closing_interpretation_leaves_the_video_prompt(rule, closing):
    prompt = f"A woman in a green apron arranges tulips in a bucket outside a flower shop. She ties a ribbon around a bouquet. {closing}"
    out = temporal(rule, prompt, "A woman")
    assert "ties a ribbon around a bouquet." in out and closing.split()[-1] not in out, out


def test_a_seen_activity_behind_a_hedge_is_kept_with_the_one_after_it(rule):
    prompt = "The video shows a man at a kitchen counter. He appears to be chopping onions on a cutting board, occasionally wiping his eyes."
    out = temporal(rule, prompt, "A man")
    assert "chopping onions on a cutting board" in out and "wiping his eyes" in out, out
    assert "appears" not in out, out


def test_a_guessed_intention_still_goes(rule):
    prompt = "In the video, a man stands at a bus stop. He appears to be waiting for someone, occasionally glancing down the street."
    out = temporal(rule, prompt, "A man")
    assert "waiting for someone" not in out and "glancing down the street" in out, out


def test_what_appears_to_be_before_a_place_name(rule):
    out = temporal(rule, "In the video, a woman is seen sweeping a courtyard in what appears to be Lisbon. She hums.", "A woman")
    assert "in Lisbon" in out and "what" not in out, out


def test_a_relative_that_only_says_where(rule):
    out = temporal(rule, "The video shows a man repairing nets in a shed that seems to be located near a harbor. He pulls the net taut.", "A man")
    assert "in a shed near a harbor" in out and "located" not in out, out


def test_at_the_beginning_is_caption_meta(rule):
    out = temporal(rule, "A woman kneads dough at a table. At the beginning, she dusts the table with flour, then shapes a loaf.", "A woman")
    assert "beginning" not in out.lower() and "She dusts the table with flour" in out, out


def test_an_abbreviation_ending_a_sentence_keeps_one_full_stop(rule):
    out = temporal(rule, "A young cook stands alone in a closed kitchen at 2 a.m. She wipes the steel counter.", "A woman")
    assert "a.m.." not in out and "at 2 a.m. She wipes" in out, out


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "A man with cropped gray hair, pale blue eyes, a crooked nose and sunburned skin with deep creases leans on a fence.",
            "A man with cropped gray hair, pale blue eyes, a crooked nose and sunburned skin with deep creases leans on a fence.",
        ),
        (
            "A man with thick eyebrows, a wide jaw and a scar fixes a bicycle chain.",
            "A man with thick eyebrows, a wide jaw and a scar fixes a bicycle chain.",
        ),
        (
            "An old man with a narrow face, long hair tied back, and small round spectacles reads a letter.",
            "A man, old, with a narrow face, long hair tied back, and small round spectacles, reads a letter.",
        ),
    ],
)
def test_a_list_of_looks_after_with_keeps_its_commas_and_adjectives(rule, prompt, expected):
    assert temporal(rule, prompt, "A man") == expected


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "A woman in a yellow raincoat, her bag over one shoulder, waits at a crossing.",
            "A woman in a yellow raincoat, her bag over one shoulder, waits at a crossing.",
        ),
        ("A man in a wool coat, umbrella in hand, crosses a bridge.", "A man in a wool coat, umbrella in hand, crosses a bridge."),
    ],
)
def test_an_aside_after_the_attire_keeps_both_commas(rule, prompt, expected):
    assert temporal(rule, prompt, expected.split(" in ")[0]) == expected


@pytest.mark.parametrize(
    ("prompt", "subject", "expected"),
    [
        ("She sits alone at 3 a.m. in a diner, stirring her coffee.", "A woman", "A woman sits alone at 3 a.m. in a diner, stirring her coffee."),
        ("He pushes a cart of melons through a crowded market.", "A man", "A man pushes a cart of melons through a crowded market."),
    ],
)
def test_a_prompt_that_opens_with_a_pronoun_opens_with_the_subject(rule, prompt, subject, expected):
    assert temporal(rule, prompt, subject) == expected


def test_a_looks_only_opening_with_an_age_in_decades_takes_the_next_verb(rule):
    prompt = "A man in his mid-fifties with cropped gray hair, a broken nose and a faded tattoo. He wears a denim shirt. He unloads crates from a van."
    out = temporal(rule, prompt, "A man")
    assert out.startswith("A man in his mid-fifties with cropped gray hair, a broken nose and a faded tattoo, wears a denim shirt."), out


def test_a_looks_only_opening_takes_a_participle_lead_with_several_verbs(rule):
    prompt = (
        "A woman in her early sixties with silver hair, deep laugh lines and small pearl earrings. "
        "Carrying a canvas tote, she crosses a cobbled square in the rain, stops at a kiosk, and then buys a newspaper."
    )
    out = temporal(rule, prompt, "A woman")
    assert out.startswith(
        "A woman in her early sixties with silver hair, deep laugh lines and small pearl earrings, carrying a canvas tote, crosses a cobbled square"
    ), out
