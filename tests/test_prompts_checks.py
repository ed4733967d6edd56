"""The checks a rater makes (stdt2v/prompts/wellformed.py, invariants.py), the framing and style
header reading (style.py), and the rule decoupler on the failure kinds issue 28 lists: objects of
an action in the keyframe, style words never the role, participles left alone, meta gone."""

from __future__ import annotations

import json

import pytest
from omegaconf import OmegaConf

from stdt2v.config.schema import PromptsConfig
from stdt2v.prompts import build_decoupler, wellformed
from stdt2v.prompts.invariants import check_invariants
from stdt2v.prompts.result import DecoupledPrompt
from stdt2v.prompts.style import framing_of
from tests.openai_stub import StubServer


def assert_keeps(text: str, kept: list[str], gone: list[str]) -> None:
    """Every phrase of ``kept`` is in ``text`` and none of ``gone``."""
    for phrase in kept:
        assert phrase in text, text
    for phrase in gone:
        assert phrase not in text, text


def test_fragment_phrases(nlp):
    spatial = "A man, light jacket to, and he is, in front of his, pen in hand, long, wavy hair, medium shot"
    assert wellformed.fragment_phrases(nlp, spatial) == ["light jacket to", "and he is", "in front of his"]


def test_dangling_endings_and_bare_pronouns(nlp):
    assert wellformed.dangling_endings(nlp("The sun sets, casting an orange glow across the sky and.")) == ["the sky and"]
    assert wellformed.dangling_endings(nlp("He looks up. She walks in.")) == []
    assert wellformed.bare_pronoun_openings(nlp("Him from the waist up, he adjusts his tie.")) == ["Him"]
    assert wellformed.bare_pronoun_openings(nlp("Her eyes are closed. He smiles.")) == []


def test_disagreements(nlp):
    assert wellformed.disagreements(nlp("He lift the lid with both hands.")) == ["He lift"]
    assert wellformed.disagreements(nlp("He draws a face and lifts the lid. They walk home.")) == []


def test_repeated_subject_style_role_and_meta(nlp):
    assert wellformed.repeated_subject(nlp("A woman, a zookeeper, appearing to be a woman in her 30s, feeds the birds."), "A woman") == ["woman"]
    assert wellformed.repeated_subject(nlp("A woman, a zookeeper, feeds the birds. A man waves."), "A woman") == []
    assert wellformed.style_as_role("A woman as a realistic, High-quality, medium shot", "A woman") == ["realistic"]
    assert wellformed.style_as_role("A woman as a right-heavy composition, medium shot", "A woman") == ["right-heavy composition"]
    assert wellformed.style_as_role("A man as a firefighter, full turnout gear, medium shot", "A man") == []
    assert wellformed.caption_meta("She smiles. The overall atmosphere of the video is warm.") == ["overall atmosphere", "the video"]


def test_motion_check_false_positives_are_gone(nlp):
    fine = DecoupledPrompt(
        original="A woman with her hands in soapy water smiles faintly, a walking stick beside her.",
        subject="A woman",
        spatial="A woman, her hands in soapy water, a faint smile, a walking stick in hand, eyes closed, hair pulled back, medium shot",
        temporal="A woman smiles faintly, her hands in soapy water.",
    )
    _, violations, checks = check_invariants(nlp, fine)
    assert checks["spatial_motion_free"], violations
    moving = DecoupledPrompt(original=fine.original, subject="A woman", spatial="A woman, twirling in the air, medium shot", temporal=fine.temporal)
    assert not check_invariants(nlp, moving)[2]["spatial_motion_free"]


def test_static_recall_reads_the_parse(nlp):
    result = DecoupledPrompt(
        original="A person is riding or walking with a horse near an old barn.",
        subject="A man",
        spatial="A man, medium shot",
        temporal="A man is riding or walking with a horse near an old barn.",
    )
    _, violations, checks = check_invariants(nlp, result)
    assert checks["static_recall"] == 0.0 and "horse, barn" in " ".join(violations).replace("barn, horse", "horse, barn")


@pytest.mark.parametrize(
    "text, framing",
    [
        ("A close-up of someone measuring with a ruler.", ("close-up", None)),
        ("Low-angle view, focusing on his leg. Close-up shot emphasizing his face.", ("low-angle close-up", None)),
        ("The camera moves from a medium shot to a close-up.", ("medium shot", None)),
        ("The shot is framed from the waist up.", ("medium shot", "from the waist up")),
        ("A man walks along a river.", (None, None)),
    ],
)
def test_framing_of(text, framing):
    assert framing_of(text) == framing


# (prompt, subject, spatial must contain, spatial must not, temporal must contain, temporal must not)
ISSUE_CASES = [
    (
        "Realistic, High-quality. A woman is drinking coffee at a café.",
        "A woman",
        ["A woman, ", "coffee in hand", "realistic, high-quality"],
        ["as a realistic", "drink"],
        ["A woman is drinking coffee at a café.", "Realistic, High-quality."],
        [],
    ),
    (
        "Right-heavy composition, a woman reads a book in a garden with cherry blossoms.",
        "A woman",
        ["book in hand", "garden with cherry blossoms", "right-heavy composition"],
        ["as a right-heavy", "read"],
        ["A woman reads a book in a garden with cherry blossoms."],
        [],
    ),
    (
        "A man in a leather jacket is riding a vintage motorcycle along a coastal road at sunset.",
        "A man",
        ["leather jacket", "on a vintage motorcycle", "coastal road", "sunset"],
        ["riding", "rid"],
        ["riding a vintage motorcycle"],
        ["rids"],
    ),
    (
        "A young man sits on a bench, deeply engrossed in his smartphone.",
        "A man",
        ["smartphone in hand", "sitting on a bench"],
        ["engross"],
        ["deeply engrossed in his smartphone"],
        ["engrosses"],
    ),
    (
        "An eye-level close-up of a woman holding a cup of coffee in a courtyard with cherry blossoms, smiling softly.",
        "A woman",
        ["cup of coffee in hand", "courtyard with cherry blossoms", "eye-level close-up"],
        ["medium shot", "smil"],
        ["A woman holds a cup of coffee"],
        [],
    ),
    (
        "The shot captures him from the waist up as he adjusts his tie in front of a mirror.",
        "A man",
        ["tie", "mirror", "from the waist up"],
        ["as a him", "adjust"],
        ["captures him from the waist up"],
        ["Him from"],
    ),
    (
        "A man is playing the guitar on a beach at sunset, with his feet buried in the warm sand.",
        "A man",
        ["guitar in hand", "beach at sunset"],
        ["play"],
        ["with his feet buried in the warm sand"],
        ["feet bury"],
    ),
    (
        "The video features a woman in a red dress, standing on a balcony. She smiles and waves at the camera. The overall atmosphere of the video is cheerful.",
        "A woman",
        ["red dress", "standing on a balcony"],
        ["wave", "smile"],
        ["A woman in a red dress stands on a balcony. She smiles and waves at the camera."],
        ["overall", "video"],
    ),
    (
        "The photographer, presenting as a woman with fair skin and light-coloured hair, adjusted her camera lens as people passed by.",
        "A woman",
        ["A woman as a photographer", "fair skin and light-coloured hair", "camera lens"],
        ["adjust", "people"],
        ["A woman, a photographer with fair skin and light-coloured hair, adjusts her camera lens as people pass by."],
        ["presenting"],
    ),
]


@pytest.mark.parametrize("prompt, subject, sp_in, sp_out, te_in, te_out", ISSUE_CASES, ids=[c[0][:28] for c in ISSUE_CASES])
def test_issue_failure_kinds(rule, prompt, subject, sp_in, sp_out, te_in, te_out):
    result = rule(prompt, subject)
    assert_keeps(result.spatial.lower(), [s.lower() for s in sp_in], [s.lower() for s in sp_out])
    assert_keeps(result.temporal, te_in, te_out)
    assert result.violations == [], result.violations


def test_llm_answers_get_the_same_checks():
    """An OpenAI-compatible backend's answer is kept (the required checks pass) and every check of
    form is reported in ``violations``, as for the rule backend."""
    answer = {"spatial": "A woman as a realistic, light jacket to, medium shot", "temporal": "A woman walks. Them from the waist up, she lift the lid and."}
    server = StubServer([json.dumps(answer)])
    try:
        cfg = OmegaConf.merge(
            OmegaConf.structured(PromptsConfig),
            {"backend": "openai", "cache": False, "llm": {"model": "served-model"}, "openai": {"base_url": server.url, "retries": 1, "timeout": 5}},
        )
        result = build_decoupler(cfg)("Realistic. A woman in a light jacket walks.", subject="A woman")
    finally:
        server.close()
    assert result.spatial == answer["spatial"]
    failed = {name for name, ok in result.checks.items() if ok is False}
    assert {"spatial_phrases_well_formed", "temporal_no_dangling_words", "verbs_agree", "no_bare_pronoun_openings", "role_is_not_style"} <= failed


# Defect classes an expert rater found in the rule backend's temporal prompts on the dev set,
# on prompts written here (the hidden set has other words): (prompt, subject, temporal must contain, must not contain).
TEMPORAL_RATER_CASES = [
    (  # a caption that restarts: the echo goes, the one place it adds joins the first telling
        "The video features a man sitting at a bench, repairing a clock with a tiny screwdriver. His brow is furrowed. "
        "The video features a man sitting at a bench in a cluttered workshop, repairing a clock with a tiny screwdriver.",
        "A man",
        ["A man, with a furrowed brow, sits at a bench in a cluttered workshop, repairing a clock with a tiny screwdriver."],
        ["workshop, repairing a clock with a tiny screwdriver. His brow is furrowed. A man"],
    ),
    (  # CSV-doubled quotes; an interpreting sentence about text on screen
        'A woman holds up a sign reading ""Open Late"" in a bakery window. The letters suggest that the shop is busy.',
        "A woman",
        ['reading "Open Late" in a bakery window.'],
        ['""', "suggest"],
    ),
    (  # what a thing is for; where in the image; across all frames
        "A man sits in an office chair, which is designed to provide lumbar support. A laptop is visible in the corner of the frame. "
        "The lighting remains steady across all frames.",
        "A man",
        ["A man sits in an office chair.", "in the corner.", "The lighting remains steady."],
        ["designed", "of the frame", "frames"],
    ),
    (  # the setting judged: the judgement goes, what it has stays
        "A woman kneads dough at a wooden table. The setting appears warm and homely, with copper pots hanging on the wall.",
        "A woman",
        ["The setting has copper pots hanging on the wall."],
        ["appears", "homely"],
    ),
    (  # a place clause with no main verb: without 'where' it is a sentence
        "A man stands by a lake. In a quiet valley, where the mountains rise behind him.",
        "A man",
        ["In a quiet valley, the mountains rise behind him."],
        ["where"],
    ),
    (  # judging participles and relative clauses
        "A woman paints a canvas, while the scent of turpentine fills the air, enhancing the creative scene. A lamp casts a glow that highlights the texture of the paint.",
        "A woman",
        ["fills the air.", "A lamp casts a glow."],
        ["enhancing", "highlights"],
    ),
]


@pytest.mark.parametrize("prompt, subject, te_in, te_out", TEMPORAL_RATER_CASES, ids=[c[0][:28] for c in TEMPORAL_RATER_CASES])
def test_temporal_rater_defects(rule, prompt, subject, te_in, te_out):
    result = rule(prompt, subject)
    assert_keeps(result.temporal, te_in, te_out)
    assert result.violations == [], result.violations


@pytest.mark.parametrize(
    "prompt, spatial_in, spatial_out",
    [
        ("A man in a long cloak or robe stands with a notebook or ledger in hand.", ["long cloak", "notebook"], ["robe", "ledger", " or "]),
        ("A woman sits at a desk with a plasma or LCD screen, reading a letter or piece of paper.", ["plasma screen"], ["LCD", " or "]),
    ],
)
def test_hedge_or_keeps_the_first(rule, prompt, spatial_in, spatial_out):
    """'X or Y' (the caption could not decide): one thing, the first, in both prompts."""
    result = rule(prompt, "A man" if prompt.startswith("A man") else "A woman")
    for s in spatial_in:
        assert s in result.spatial, result.spatial
    for s in spatial_out:
        assert s not in result.spatial and s not in result.temporal, (result.spatial, result.temporal)


@pytest.mark.parametrize(
    "prompt, subject, spatial_in, spatial_out",
    [
        (  # a phrase on a fixture says where something else is: said with that thing
            "A man stands in a garage, wearing a denim shirt, his arms submerged in cold water, with tools scattered on the floor.",
            "A man",
            ["his arms in cold water", "tools on the floor"],
            [", in cold water", ", on the floor", "denim shirt, his arms"],
        ),
        (  # what the shadows fall on; each thing once, in its fullest phrase
            "A woman reads in a quiet library, a lamp casting long shadows on the wall beside her chair.",
            "A woman",
            ["long shadows on the wall"],
            [", on the wall", ", shadows,"],
        ),
    ],
)
def test_spatial_fragments_attach_to_their_noun(rule, prompt, subject, spatial_in, spatial_out):
    result = rule(prompt, subject)
    assert_keeps(result.spatial, spatial_in, spatial_out)


@pytest.mark.parametrize(
    "prompt, subject, spatial_in, spatial_out",
    [
        (  # a path is motion: the place it crosses; a vessel is stood on
            "A fisherman hauls a net aboard, guiding the boat through choppy waters.",
            "A man",
            ["on the boat", "in choppy waters"],
            ["through", "in the boat"],
        ),
        (  # what the sentence says the light is, never the bare word; 'room' alone names nothing
            "A woman reads at a desk in a small room. The lighting is warm and low.",
            "A woman",
            ["warm and low lighting"],
            [", lighting,", ", room,"],
        ),
        (  # 'rose' parsed as a verb after 'with': the input's own words, not a cut phrase
            "A man stands on a stage. He wears a white suit with a black rose boutonniere.",
            "A man",
            ["white suit with a black rose boutonniere"],
            ["with a black,"],
        ),
    ],
)
def test_spatial_paths_light_and_cut_tails(rule, prompt, subject, spatial_in, spatial_out):
    result = rule(prompt, subject)
    assert_keeps(result.spatial, spatial_in, spatial_out)


def test_phrase_cut_inside_its_noun_phrase_is_mended(nlp):
    from stdt2v.prompts.phrasing import phrase_tokens

    doc = nlp("He wears a black suit with a red rose boutonniere.")
    assert [t.text for t in phrase_tokens(doc[1])][1:] == ["a", "black", "suit", "with", "a", "red", "rose", "boutonniere"]


@pytest.mark.parametrize(
    "prompt, subject, te_in, te_out",
    [
        (
            "A woman jogs along the river as the city around her woke with the hum of traffic.",
            "A woman",
            ["as the city around her wakes with"],
            ["woke"],
        ),
        (
            "A person in their 40s with grey hair reads at a desk with two lamps and several books.",
            "A man",
            ["in his 40s"],
            ["their"],
        ),
    ],
)
def test_temporal_tense_and_pronoun(rule, prompt, subject, te_in, te_out):
    """A past form after 'as' + a noun is the clause's verb (present, agreeing); 'their' in an age is the subject's."""
    result = rule(prompt, subject)
    assert_keeps(result.temporal, te_in, te_out)


def test_verbless_opening_takes_the_next_verb(rule):
    """'A man ... by his side. He stands ...': an opening with no verb becomes the next sentence's subject."""
    result = rule("A woman in her early 20s with a red scarf and a camera around her neck. She walks along the harbour at dawn.", "A woman")
    assert result.temporal.startswith("A woman in her early 20s with a red scarf and a camera around her neck walks along the harbour at dawn."), (
        result.temporal
    )


@pytest.mark.parametrize(
    "prompt, subject, spatial_in, spatial_out",
    [
        # one phrase, no comma a reader could take for a break (issue 28 r4, spatial class 5)
        ("A hiker wears a backpack, hiking boots, and a cap.", "A man", ["backpack, hiking boots and a cap"], [", and", "boots, backpack"]),
        ("A girl with long, wavy hair reads a letter by the window.", "A woman", ["long wavy hair"], ["long, wavy"]),
        ("A man with a calm, focused expression sits on a bench.", "A man", ["calm, focused expression"], []),
        ("He is wearing a white coat and a blue tie, and he appears to be tired.", "A man", ["white coat and a blue tie, medium shot"], ["and he"]),
        # a place said twice is one phrase; a predicate becomes a noun phrase
        ("A man is working in a garden, pulling weeds. The garden is full of roses.", "A man", ["in a garden full of roses"], ["garden, garden"]),
        ("A woman swims in a lagoon. The water is clear and turquoise.", "A woman", ["clear turquoise water"], ["water clear"]),
        ("A firefighter walks through the ruins. The air is thick with smoke.", "A man", ["thick smoke"], ["air"]),
        ("A boy plays chess outdoors on a rainy afternoon.", "A man", ["outdoors, on a rainy afternoon"], ["chess on"]),
        # looks and what is worn before the place, style after light and decor
        ("A woman adorned with a silver necklace stands in a marble hall.", "A woman", ["silver necklace, standing in a marble hall"], []),
        ("CG animation concept art, a woman stands on a beach. The lighting is soft and golden.", "A woman", ["golden lighting, CG animation concept art"], []),
        ("A woman dances with animated expressions in a studio.", "A woman", ["studio"], ["expressions"]),
        # a worked-on thing lies before the subject; what the subject works on is where it lies
        ("A man sharpens a knife in his workshop.", "A man", ["a knife in front of him"], ["in hand"]),
        ("A woman peels potatoes in a rustic kitchen.", "A woman", ["potatoes in front of her"], ["in hand"]),
        ("A smith hammered the red-hot iron on the anvil.", "A man", ["red-hot iron on the anvil"], [", on the anvil", "red hot"]),
        # a guess is not a second thing; a bare part said again is a fragment
        ("He sits at a desk with a large monitor, likely a gaming display, and a lamp.", "A man", ["large monitor"], ["display", "likely"]),
        ("A knight in armor holds a sword. The blade gleams in the sun.", "A man", ["a sword in hand"], ["blade"]),
        # the face, however the prompt says it: a participle, a mood, an absolute phrase, a shown look
        ("A man reads a newspaper on a bench, smiling warmly.", "A man", ["a smile", "on a bench"], ["newspaper on a bench"]),
        ("A man walks into the room, then smiles at the camera.", "A man", [], ["smile"]),
        ("She looks tired as she leans against the wall.", "A woman", ["tired expression", "leaning against the wall"], []),
        ("A man stands on a cliff, his eyes narrow, his coat long.", "A man", ["narrow eyes"], ["his eyes"]),
        ("The camera pans left, capturing her joyful expression.", "A woman", ["joyful expression"], ["camera"]),
        ("A woman stands in a hallway where the walls shimmer like glass.", "A woman", ["walls like glass"], []),
        # a still pose of the body, and a pose on the body
        ("He leans on the railing with his chin resting on his hand.", "A man", ["chin resting on his hand", "leaning on the railing"], ["railing with"]),
        ("She sits at the piano, her hands resting on the keys.", "A woman", ["A woman, hands resting on the keys"], ["as a her"]),
        ("A man floats on his back in the lake.", "A man", ["floating on his back in the lake"], []),
        ("A clerk is seated in front of a counter, leaning against a shelf.", "A man", ["seated in front of a counter, leaning against a shelf"], []),
        # a word the parse took for a verb inside an object stays ('rose' as 'rise')
        ("He wears a grey coat with a red rose boutonniere.", "A man", ["grey coat with a red rose boutonniere"], []),
        # what a thing makes is there from the start, what is heard is not; a time said in passing; a listed object whole
        ("He stands in a meadow as birds sing in the trees. The oaks around him form a canopy of leaves.", "A man", ["canopy of leaves"], ["bird", "as a"]),
        ("A man walks home in the quiet of the evening.", "A man", ["in the evening"], []),
        ("A woman applies foundation, concealer, and blush.", "A woman", ["foundation, concealer and blush"], []),
        ("A carpenter sawed the plank on his workbench.", "A man", ["a saw in hand"], []),
        ("A dancer turns, with her long skirt swirling around her.", "A woman", ["long skirt"], ["swirl"]),
        ("A boy is walking with dog.", "A man", ["a dog beside him"], ["A man, dog"]),
        ("A man sits by the fire. His face shows exhaustion and relief.", "A man", ["face of exhaustion and relief"], []),
        ("A woman runs home. Her heels click against the wet pavement.", "A woman", ["wet pavement"], ["click", "heels"]),
        ("A woman stands at the window. The woman's expression is one of quiet joy.", "A woman", ["expression of quiet joy"], ["'s expression"]),
        ("She wears a red dress, which is decorated with golden stars.", "A woman", ["red dress decorated with golden stars"], ["A woman, golden stars"]),
        ("A man sits on a bench. A few pigeons peck at crumbs on the path.", "A man", ["a few pigeons"], [", few"]),
        ("She smiles. An old lamp and a worn armchair glow into the corner.", "A woman", ["old lamp and a worn armchair"], ["glow"]),
    ],
    ids=lambda v: v[:24] if isinstance(v, str) else None,
)
def test_spatial_phrases_are_tidy_and_ordered(rule, prompt, subject, spatial_in, spatial_out):
    assert_keeps(rule(prompt, subject).spatial, spatial_in, spatial_out)


# Outputs a rater found fine that a check flagged: (what it reads wrong, input, spatial, temporal, the check that must pass)
FALSE_FLAGS = {
    # 'half-body standing' (tagged as a noun) is a framing and a posture, not motion
    "posture noun": (
        "A man in a grey coat, half-body standing.",
        "A man",
        "A man, grey coat, half-body standing, medium shot",
        "A man stands.",
        "spatial_motion_free",
    ),
    # 'rows of empty seats': 'rows' could be a verb; before 'of' it is a noun
    "noun before of": (
        "A woman stands at a lectern; rows of empty seats behind her.",
        "A woman",
        "A woman, standing at a lectern, bright lighting, rows of empty seats, medium shot",
        "A woman stands at a lectern.",
        "spatial_motion_free",
    ),
    # the re-parse takes 'whisks' for a noun; the input's own parse reads it as the verb, so the sentence is not verbless
    "input verb read as a noun": (
        "A middle-aged Japanese woman whisks matcha.",
        "A woman",
        "A woman, middle-aged, Japanese, a whisk in hand, matcha, medium shot",
        "A woman, middle-aged and Japanese, whisks matcha.",
        "temporal_sentences_have_verbs",
    ),
}


@pytest.mark.parametrize("case", FALSE_FLAGS)
def test_no_false_flag(nlp, case):
    original, subject, spatial, temporal, check = FALSE_FLAGS[case]
    result = DecoupledPrompt(original=original, subject=subject, spatial=spatial, temporal=temporal)
    assert check_invariants(nlp, result)[2][check]


def test_ing_word_read_as_noun_counts_as_its_verb(nlp):
    """'a vest weaving through the harbor': the parse takes 'weaving' for a noun; said 'weaves', it is kept, not lost."""
    result = DecoupledPrompt(
        original="Tracking shot of an old sailor in a wool cap and yellow vest weaving through the busy harbor.",
        subject="A man",
        spatial="A man as an old sailor, wool cap and yellow vest, in the busy harbor, medium shot",
        temporal="A man, an old sailor in a wool cap and yellow vest, weaves through the busy harbor. Tracking shot.",
    )
    coverage, violations, _ = check_invariants(nlp, result)
    assert coverage == 1.0 and not [v for v in violations if v.startswith("content words lost")]
