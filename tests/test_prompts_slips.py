"""The input's own slips an expert fixes when the fix is certain (issue 28, point 2): proper
adjectives keep or get their capital, a doubled function word is said once, 'a' before a vowel
sound becomes 'an', a sentence opens with a capital, and a verb agrees with its pronoun subject.
Prompts written for these tests."""

from __future__ import annotations

import pytest

from stdt2v.prompts.slips import capitalize_sentences, fix_slips


def temporal(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).temporal


# --- nationality and ethnicity adjectives ------------------------------------------------------


def test_nationality_in_the_kind_keeps_its_capital(rule):
    out = temporal(rule, "A Ghanaian boy kicks a worn football across a dusty field.", "A man")
    assert out.startswith("A man, a Ghanaian boy, kicks a worn football"), out


def test_nationality_after_an_age_word_keeps_its_capital_in_both_prompts(rule):
    result = rule.decouple("A shy Peruvian girl in a wool poncho feeds a llama beside a stone wall.", subject="A woman")
    assert "a shy Peruvian girl" in result.temporal and "peruvian" not in result.temporal, result.temporal
    assert "peruvian" not in result.spatial, result.spatial


def test_lower_case_nationality_is_capitalised(rule):
    result = rule.decouple("young kenyan woman jogs along a red dirt road at dawn", subject="A woman")
    assert "Kenyan" in result.temporal and "kenyan" not in result.temporal, result.temporal
    assert "Kenyan" in result.spatial and "Young" not in result.spatial, result.spatial
    assert any("capitalised" in n for n in result.notes), result.notes


def test_nationality_word_used_otherwise_is_left_alone(nlp):
    assert fix_slips(nlp, "He slides the pad thai onto a plate.")[0] == "He slides the pad thai onto a plate."
    assert fix_slips(nlp, "She buffs the table with polish and sets out china cups.")[0] == "She buffs the table with polish and sets out china cups."


def test_compass_word_of_a_nationality_is_capitalised_with_it(nlp):
    fixed, _ = fix_slips(nlp, "A man talks with an east asian tourist and a middle eastern chef.")
    assert "an East Asian tourist" in fixed and "a Middle Eastern chef" in fixed, fixed


# --- doubled words -----------------------------------------------------------------------------


def test_doubled_function_words_are_said_once(rule):
    out = temporal(rule, "A man carries a ladder to to the barn and and leans it against the the wall.", "A man")
    assert "to to" not in out and "and and" not in out and "the the" not in out, out
    assert "carries a ladder to the barn and leans it against the wall" in out, out


@pytest.mark.parametrize(
    "text",
    [
        "He had had enough of the rain.",  # a past perfect
        "She says that that lamp is new.",  # a conjunction, then a determiner
        "He switches the lamp on on the side table.",  # a particle, then a preposition
    ],
)
def test_doubled_words_that_are_grammar_stay(nlp, text):
    assert fix_slips(nlp, text)[0] == text


# --- 'a' / 'an' --------------------------------------------------------------------------------


def test_a_before_a_vowel_sound_becomes_an(rule):
    out = temporal(rule, "A cook in a apron cracks a egg into a iron skillet.", "A man")
    assert "an apron" in out and "an egg" in out and "an iron skillet" in out, out


def test_an_old_starts_the_kind(rule):
    out = temporal(rule, "a elderly farmer in a umbrella hat waters his tomatoes", "A man")
    assert out.startswith("A man, an elderly farmer in an umbrella hat, waters his tomatoes"), out


@pytest.mark.parametrize(
    "text",
    [
        "a university lecturer",
        "a one-way street",
        "a European tourist",
        "a unicorn kite",
        "a user manual",
        "a X-ray",
        "Plan A or B",
        "a Ukrainian folk song",
    ],
)
def test_a_before_a_consonant_sound_stays(nlp, text):
    assert fix_slips(nlp, text)[0] == text


def test_silent_h_takes_an(nlp):
    assert fix_slips(nlp, "He waits for a hour by the door.")[0] == "He waits for an hour by the door."


# --- sentence starts ---------------------------------------------------------------------------


def test_lower_case_sentence_start_is_capitalised():
    assert capitalize_sentences('A man waves! then he sits. "the end." he smiles.') == 'A man waves! Then he sits. "The end." He smiles.'


def test_abbreviation_does_not_start_a_sentence():
    assert capitalize_sentences("She buys approx. ten apples. then she leaves.") == "She buys approx. ten apples. Then she leaves."


# --- a verb that disagrees with its one-person subject -----------------------------------------


def test_bare_verb_in_a_list_after_a_bare_verb_agrees(rule):
    out = temporal(rule, "A woman sits on the pier. she glance at the boats and grin and waves, gulls circling above her.", "A woman")
    assert "She glances at the boats and grins and waves" in out, out


def test_verb_joined_to_the_subjects_verb_agrees(rule):
    out = temporal(rule, "A man in a cap turn around and walk away from the stall.", "A man")
    assert out.startswith("A man in a cap turns around and walks away from the stall"), out


def test_verb_after_a_purpose_infinitive_and_then_agrees(rule):
    out = temporal(rule, "A boy jogs along the river, he pauses to tie his shoe and then keep jogging.", "A man")
    assert "pauses to tie his shoe and then keeps jogging" in out, out


@pytest.mark.parametrize(
    ("prompt", "kept"),
    [
        ("A woman wants to paint the fence and then sleep.", "wants to paint the fence and then sleep"),  # one infinitive, two verbs
        ("A man watches his son jump and laugh in the yard.", "jump and laugh"),  # the son's verbs
        ("A woman looks at the camera and crew and lights, then nods.", "the camera and crew and lights"),  # nouns
        ("A man and his son turn around and walk away.", "turn around and walk away"),  # two subjects
    ],
)
def test_verbs_that_already_agree_stay(rule, prompt, kept):
    assert kept in temporal(rule, prompt, "A man"), prompt


# --- run-on tails and asides -------------------------------------------------------------------


def test_style_phrases_run_on_at_a_sentence_end_close_the_prompt(rule):
    out = temporal(rule, "a woman hangs washing on a line in her yard then waves to a neighbour, handheld camera, soft morning light", "A woman")
    assert "waves to a neighbour. Handheld camera, soft morning light." in out, out


def test_absolute_phrase_run_on_after_a_place_gets_its_comma(rule):
    out = temporal(rule, "A man reads a letter at his desk in the study the clock ticking, a cat asleep by the fire.", "A man")
    assert "in the study, the clock ticking, a cat asleep by the fire" in out, out


def test_thru_is_spelt_out(rule):
    result = rule.decouple("A woman cycles thru a pine forest on a gravel track.", subject="A woman")
    assert "cycles through a pine forest" in result.temporal and "thru" not in result.spatial, result


# --- the self-check ----------------------------------------------------------------------------


def test_self_check_flags_slips_an_output_keeps(nlp):
    from stdt2v.prompts.base import DecoupledPrompt
    from stdt2v.prompts.invariants import check_invariants

    bad = DecoupledPrompt(
        original="A man in an apron bakes bread.",
        spatial="A man, a apron, medium shot",
        temporal="A man in a apron bakes bread and and sings.",
        subject="A man",
    )
    _, violations, checks = check_invariants(nlp, bad)
    assert not checks["no_input_slips"], checks
    assert any("a apron" in v and "and and" in v for v in violations), violations


def test_self_check_passes_the_rule_output_of_a_sloppy_prompt(rule, nlp):
    from stdt2v.prompts.invariants import check_invariants

    result = rule.decouple("a old man in a orange scarf sweeps the the porch and and hums", subject="A man")
    _, violations, checks = check_invariants(nlp, result)
    assert checks["no_input_slips"], violations


@pytest.mark.parametrize("text", ["Take plan a or plan b to the harbor.", "Tablets of vitamin a and zinc sit on the shelf."])
def test_a_letter_a_is_no_article(nlp, text):
    assert fix_slips(nlp, text)[0] == text
