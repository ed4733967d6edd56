"""The temporal prompt's opening on shapes the first parse leaves apart (issue 28, point 2): a
person named after a shot's 'of', an opening of looks alone, a later sentence that describes the
person again, a 'who is a <role> doing' clause and the caption's 'is seen'. Prompts written for
these tests."""

from __future__ import annotations

from stdt2v.prompts.invariants import check_invariants


def temporal(rule, prompt: str, subject: str) -> str:
    return rule.decouple(prompt, subject=subject).temporal


def test_person_after_a_shot_opens_the_prompt_and_the_shot_is_its_own_sentence(rule):
    prompt = (
        "Wide tracking shot of a young cyclist in a red jacket weaving through evening traffic, car lights smearing into streaks on the wet road. "
        "He stops at a crossing and looks up."
    )
    out = temporal(rule, prompt, "A man")
    assert out == (
        "A man, a young cyclist in a red jacket, weaves through evening traffic, car lights smearing into streaks on the wet road. "
        "The camera frames him in a wide tracking shot. He stops at a crossing and looks up."
    )


def test_shot_of_a_person_with_no_participle_takes_the_next_sentence_verb(rule):
    prompt = "Low angle shot of an old street food vendor in a white apron, steam rising from the grill. He flips skewers and calls to the crowd."
    out = temporal(rule, prompt, "A man")
    assert out.startswith("A man, an old street food vendor in a white apron, steam rising from the grill, flips skewers and calls to the crowd."), out
    assert "in view" not in out and "steam, rises" not in out


def test_looks_only_opening_takes_the_verb_of_the_action_sentence(rule):
    prompt = (
        "A woman in her late thirties of South Asian descent, with warm brown skin, thick eyebrows, and long dark hair in a loose braid. "
        "Thin silver bangles glint on her wrist. She stands at a loom in a bright workshop, passing the shuttle through the threads."
    )
    result = rule.decouple(prompt, subject="A woman")
    assert result.temporal == (
        "A woman in her late thirties of South Asian descent, with warm brown skin, thick eyebrows, and long dark hair in a loose braid, "
        "stands at a loom in a bright workshop, passing the shuttle through the threads. Thin silver bangles glint on her wrist."
    )
    assert not any("no finite verb" in v for v in result.violations), result.violations


def test_description_sentence_joins_the_opening_and_its_and_clause_stays_a_sentence(rule):
    prompt = "The gardener knelt among the roses. She was a slender woman in her sixties with short gray hair, and at the fence she trimmed the hedge."
    out = temporal(rule, prompt, "A woman")
    assert out == "A woman, a gardener, slender, in her sixties with short gray hair, kneels among the roses. At the fence she trims the hedge."


def test_description_with_an_age_clause_drops_the_who_is(rule):
    prompt = "The video shows a woman painting a mural. She is a tall woman who is in her twenties, with long red hair, and she is wearing paint-splattered overalls."
    out = temporal(rule, prompt, "A woman")
    assert out.startswith("A woman, tall, in her twenties, with long red hair, paints a mural. She is wearing paint-splattered overalls."), out
    assert "who is" not in out and "She is a tall woman" not in out


def test_description_not_followed_by_and_clause_is_left_alone_by_this_rule(rule):
    prompt = "The potter shaped the clay. He was a quiet man. The wheel hummed."
    out = temporal(rule, prompt, "A man")
    assert "quiet" in out and out.startswith("A man, a potter,"), out


def test_who_is_a_role_doing_becomes_the_role_and_the_verb(rule):
    prompt = "The video depicts an elderly woman who appears to be a baker working in a tiny bakery in Lisbon. She kneads dough on a floured table."
    out = temporal(rule, prompt, "A woman")
    assert out == "A woman, an elderly baker, works in a tiny bakery in Lisbon. She kneads dough on a floured table."


def test_is_seen_doing_becomes_the_verb(rule, nlp):
    result = rule.decouple("In the video, a man is seen rowing a small boat across a calm lake at dawn. He pauses to look at the mist.", subject="A man")
    assert result.temporal == "A man rows a small boat across a calm lake at dawn. He pauses to look at the mist."
    _, violations, _ = check_invariants(nlp, result)
    assert not any("content words lost" in v for v in violations), violations


def test_is_seen_of_a_thing_keeps_its_words(rule):
    out = temporal(rule, "A woman waits on a platform while a train is seen arriving in the background.", "A woman")
    assert "a train is seen arriving" in out, out
