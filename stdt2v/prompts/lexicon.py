"""Word lists the rule decoupler and the invariant checks share (lemmas, lower case)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs whose lemma describes motion or change: never in the spatial prompt.
MOTION_VERBS = frozenset(
    """
walk run jog sprint jump leap dance spin twirl turn twist nod shake wave raise lift lower move step
climb swim fly float ride drive sit stand rise lean bend kneel crawl roll slide fall drop throw catch
kick push pull carry hold grab reach point look glance gaze stare blink smile laugh cry frown talk
speak sing shout whisper eat drink chew sip bite open close play type write draw paint cook stir pour
wash brush comb adjust tilt pan zoom track follow approach enter leave exit cross pass chase hug kiss
clap bow stretch breathe sway bounce swing flip wipe touch tap rub scratch pick put place lay hand
give take show pose gesture swerve speed rush scribble repair chop dodge hit demonstrate prepare
engage discuss use introduce explain gallop paddle skate ski surf hop skip dive land spin bounce
emphasize illustrate interact shift progress transition change begin start stop continue fold
unfold shrug wink grin nod sneeze cough yawn stride march hurry race wander stroll dash
haul drag tug heave row reel punch kick swirl glide flutter flip spray splash crash circle watch
cling stomp kickflip ollie ripple scurry bubble scatter
""".split()
)

# Camera and pace words: motion cues that belong to the temporal prompt.
CAMERA_WORDS = frozenset("camera pan pans panning zoom zooms zooming tracking dolly tilt slowly quickly gradually suddenly".split())

# Sounds and smells cannot be drawn.
SENSORY_NOUNS = frozenset(
    """
sound noise roar hum buzz echo music song voice cheer cheers applause whistle siren ringing chime birdsong screech ticking
smell scent aroma odor odour fragrance stench whiff taste silence melody rhythm beat clapping
speech clang clatter murmur chirp chirping squawk squawking rustle rustling clink clinking crackle sizzle sizzling
clicking breathing hiss hissing
""".split()
)

# Nouns for people: the subject's own noun, or background people the keyframe must not draw.
PERSON_NOUNS = frozenset(
    """
person people man men woman women girl boy lady gentleman child children kid kids guy individual
figure teenager adult student crowd audience fan spectator viewer player players presenter speaker
host teacher chef astronaut gymnast driver cyclist athlete dancer singer worker doctor nurse officer
soldier pilot farmer artist musician reporter anchor meteorologist passenger pedestrian customer
friend family couple group team colleague stranger blacksmith florist sailor journalist
zookeeper ranger photographer reporter someone somebody
""".split()
)

# Plain words for a person: "A woman smiles" → the subject phrase replaces them outright.
PLAIN_PERSON = frozenset("person man woman girl boy lady gentleman guy individual figure child kid adult".split())

CLOTHING_NOUNS = frozenset(
    """
suit shirt jacket dress coat blazer apron hat helmet jersey leotard uniform attire glasses sunglasses
scarf tie hoodie sweater t-shirt tshirt jeans trousers pants skirt shoes boots gloves cap polo vest
robe gown outfit clothes clothing costume top blouse cardigan overalls shorts sneakers sandals
necklace earrings earring bracelet watch ring headband bandana mask goggles goggle beanie hijab turban
gear wetsuit coveralls armor armour kimono snowsuit sari tuxedo jumpsuit harness backpack lanyard badge apron
raincoat parka poncho leggings tracksuit swimsuit bikini trunks visor cloak cape shawl fedora hoop tunic headset headphones earbuds earphones
headwrap kerchief sarong kaftan caftan dungarees anorak waistcoat dupatta abaya smock pinafore scrubs lehenga djellaba kilt
""".split()
)
APPEARANCE_NOUNS = frozenset(
    """hair face eyes eye beard mustache moustache skin smile freckles makeup lips cheeks forehead ponytail braid bun curls brow
gaze expression jawline features physique complexion tattoo tattoos wrinkles eyebrows stubble paint scar scars dimples""".split()
)
DRESSING_VERBS = frozenset("wear don dress clad clothe sport".split())

# Places and scenery: a locative phrase goes to the spatial prompt when its object is one of
# these (or a proper name), so "in the bustling kitchen" stays and "at one point" does not.
PLACE_NOUNS = frozenset(
    """
room office kitchen classroom studio station park lot street road river beach forest woods trail track
court arena stadium stage field mountain hill city town village garden house home building bridge
lake sea ocean sky desert snow rain background setting library cafe restaurant bar hall gym mat
floor wall window screen screens podium desk table bench sofa couch bed car train bus boat ship
plane space sunset sunrise night morning evening shore coast pool lobby corridor hallway balcony
rooftop roof terrace market shop store mall square plaza alley meadow valley cliff cave waterfall
island jungle farm barn church temple museum gallery theater theatre cinema concert club airport
subway platform harbor harbour dock pier field lawn yard porch kitchen bathroom bedroom living
prairie backyard vineyard orchard savanna tundra glacier workshop forge bakery greenhouse
environment landscape scene cityscape skyline countryside campus school hospital lab laboratory
board blackboard whiteboard chalkboard counter stove sink kitchen workshop garage tent cockpit
station waves wave surf water ring pitch slope ridge peak summit glacier deck hull dock
ramp runway sidewalk crosswalk highway tunnel greenhouse orchard vineyard
alley alleyway corridor enclosure newsroom breakwater path porch courtyard home
underbrush trees tree grass wildflowers greenery canopy window countertop anvil forge vanity stool chair armchair
table desk steps stairs staircase doorway gate fence path pavement cobblestones sand dune waves hillside riverbank
""".split()
)

LIGHT_NOUNS = frozenset(
    """
light lights lighting sunlight sunset sunrise shadow shadows glow daylight moonlight lamp lamps dusk dawn twilight neon
spotlight
spotlights candlelight lamplight streetlight streetlights firelight starlight
""".split()
)

LOCATIVE_PREPS = frozenset(
    "in at on inside near beside behind under along across through over by around within atop amid among against outside down up onto into".split()
    + "amidst amongst beneath underneath alongside thru".split()
)

# Prepositions of a path: after a motion verb ("rushed across the classroom") the keyframe
# gets the place, not the path ("in the classroom"; "on" for surfaces).
PATH_PREPS = frozenset("across through along over toward towards into onto past around down up thru".split())
SURFACE_NOUNS = frozenset(
    "track road street trail path mat floor field court stage beach bridge ice snow grass lawn runway deck ridge peak summit slope roof rooftop".split()
    + "highway freeway avenue lane sidewalk pavement promenade boardwalk pier dock platform driveway".split()
    + "ship boat yacht ferry raft sailboat canoe kayak".split()  # one is on a ship, not in it
    + "hill hills hillside mountainside staircase stairs stairway steps".split()  # one climbs on stairs, not in them
)

# Gendered words: the subject's gender when the face gives none, and pronoun agreement.
MALE_NOUNS = frozenset(
    "man men boy boys gentleman gentlemen guy guys male father dad son husband brother king prince actor waiter boyfriend grandfather uncle nephew sir".split()
)
FEMALE_NOUNS = frozenset(
    "woman women girl girls lady ladies female mother mom daughter wife sister queen princess actress waitress girlfriend grandmother aunt niece madam".split()
)

# Times of day and light conditions that set the scene ("at dawn", "at night").
TIME_NOUNS = frozenset("dawn dusk sunrise sunset night midnight noon morning afternoon evening twilight daybreak nightfall daytime day".split())

# Verbs whose object the subject holds: in the keyframe it is "{object} in hand".
HOLD_VERBS = frozenset("hold carry grip clutch wield grasp cradle".split())

# Crowds and background people: never in the keyframe.
CROWD_NOUNS = frozenset("crowd crowds audience audiences fans spectators onlookers people bystanders passersby students players viewers".split())

# Verbs of decoration: "adorned with flags" describes the place.
DECOR_VERBS = frozenset("adorn decorate cover line hang fill surround clutter litter scatter".split())

# Role nouns that mean nothing beyond "a person": they add no role to the subject phrase.
GENERIC_PERSON = frozenset("person individual figure someone somebody human subject character".split())

# Groups: never a mention of the (single) main character.
COLLECTIVE_NOUNS = frozenset("audience crowd team group family couple class people friends colleagues".split())
COLORS = frozenset("black white red blue green yellow gray grey brown pink purple orange beige navy gold silver khaki".split())
BODY_NOUNS = frozenset(
    """hand hands arm arms head face eyes eye hair leg legs foot feet body shoulder shoulders fingers finger mouth lips back chest
chin neck wrist knee knees lap waist hip hips fingertip fingertips ear ears forearm forearms cheek cheeks forehead nose thumb palm palms
ankle ankles wrists elbow elbows""".split()
)
# Things in the scene that a keyframe shows ("with a blue curtain and the tennis net").
DECOR_NOUNS = frozenset(
    """
curtain curtains net flag flags banner banners sign signs poster posters screen screens monitor
monitors plant plants painting paintings decoration decorations lantern lanterns candle candles
shelf shelves bookshelf bookshelves logo logos map maps chalkboard trophy trophies balloon balloons
""".split()
)
# Objects a person holds: "with a racket" → "racket in hand".
PROP_NOUNS = frozenset(
    """
racket bat ball microphone mic camera phone smartphone book umbrella cup mug glass bottle guitar cellphone
coffee cake marker ruler shears scissors hammer stick notebook mirror headset controller remote plate bowl
pumpkin knives knife sword trimmer razor wand cane staff bouquet letter newspaper magazine tray basket
violin bag briefcase pen pencil brush paintbrush sword shield torch lantern flashlight hose rifle
tablet laptop bouquet flower flowers knife spoon ladder skateboard surfboard leash fan map chalk
""".split()
)
# Words that name the scene in general, not something to draw.
# Things in a place rather than places: a phrase on one ("on the countertop", "in soapy water")
# says where something else is, and means nothing without that thing.
FIXTURE_NOUNS = frozenset(
    "floor wall ceiling countertop counter worktop anvil table desk stool shelf windowsill sill bench water surface ground bed sofa couch chair".split()
)
GENERIC_PLACE = frozenset("background setting environment scene stage landscape".split())

# Head nouns of an opening phrase that is about the picture or a thing, never the main
# character ("The camera moves ...", "A close-up of ...", "The scene unfolds ...").
NON_ROLE_NOUNS = frozenset(
    """
camera scene video clip shot close-up closeup view composition image footage frame frames picture photo still film art
time style lighting atmosphere background setting wall walls
""".split()
)


# Occupations and roles beyond PERSON_NOUNS: a person noun may open a prompt as its main character.
ROLE_NOUNS = frozenset(
    """firefighter scientist engineer mechanic carpenter baker barista waiter waitress cashier clerk librarian lawyer judge
detective policeman policewoman guard painter sculptor potter tailor surgeon dentist chemist researcher programmer
fisherman fishermen climber hiker runner swimmer surfer skater skier boxer wrestler archer knight warrior monk priest nun
bride groom mother father grandmother grandfather grandma grandpa daughter son sister brother wife husband
businessman businesswoman entrepreneur executive manager vendor merchant shopkeeper gardener janitor butler maid
violinist guitarist pianist drummer cellist conductor magician clown actor actress model teen toddler baby elder
courier messenger postman mailman welder plumber electrician roofer bricklayer mason builder miner lumberjack rancher cowboy
cowgirl shepherd herder beekeeper keeper vet veterinarian pharmacist paramedic medic therapist midwife nanny professor lecturer
tutor coach referee trainer instructor lifeguard captain diver cook sommelier bartender server hostess receptionist secretary
accountant banker architect designer tattooist barber hairdresser stylist jeweler jeweller watchmaker cobbler shoemaker weaver
knitter seamstress dressmaker glassblower goldsmith silversmith woodworker carver ceramicist calligrapher filmmaker director
writer author poet novelist editor scholar botanist biologist physicist astronomer geologist archaeologist explorer traveler
traveller tourist backpacker commuter pilgrim imam rabbi dj rapper vocalist saxophonist trumpeter flutist harpist accordionist
bassist busker performer ballerina acrobat juggler skateboarder snowboarder biker motorcyclist rider jockey fencer sprinter
jogger mountaineer kayaker rower angler hunter golfer fighter samurai king queen prince princess butcher fishmonger grocer
seller hawker trader technician developer gamer streamer vlogger comedian puppeteer illustrator muralist chauffeur trucker
guide schoolgirl schoolboy youngster toddler infant grandson granddaughter uncle aunt nephew niece widow orphan
patient pupil client guest visitor cousin neighbor neighbour""".split()
)


def is_person_noun(token: Token) -> bool:
    """A noun naming a person: a listed person or role noun, a named person, or an agent noun
    ("-ist", "-ian": a scientist, a librarian); never a thing ("a ticking clock")."""
    lemma, word = token.lemma_.lower(), token.lower_
    if {lemma, word} & (PERSON_NOUNS | PLAIN_PERSON | GENERIC_PERSON | ROLE_NOUNS) or token.ent_type_ == "PERSON":
        return True
    if token.pos_ == "NOUN" and word.endswith(("smith", "keeper", "maker", "blower", "monger")) and len(word) > 7:
        return True  # a trade compound: a goldsmith, a lighthouse keeper's "keeper", a watchmaker, a glassblower
    if token.pos_ == "NOUN" and word.endswith(("man", "woman", "men", "women")) and len(word) > 6:
        return True  # a fisherman, a postwoman, craftsmen
    return word.endswith(("ist", "ists", "ian", "ians")) and len(word) > 5 and not is_non_role(token)


def is_non_role(token: Token) -> bool:
    """A head noun that cannot be the main character: the picture, a place, a light or a time."""
    lemma, word = token.lemma_.lower(), token.lower_
    if lemma in PERSON_NOUNS | PLAIN_PERSON | GENERIC_PERSON:
        return False
    return bool({lemma, word} & (NON_ROLE_NOUNS | PLACE_NOUNS | LIGHT_NOUNS | TIME_NOUNS)) or "close" in word


# Postures: "sitting at a desk" is what the first frame shows, not a motion (unless "sits down").
POSE_VERBS = frozenset("sit stand lean kneel seat lie crouch perch recline float".split())
POSE_PARTICIPLES = {"sit": "sitting", "stand": "standing", "lean": "leaning", "kneel": "kneeling", "seat": "seated", "lie": "lying", "crouch": "crouching"}
POSE_PARTICIPLES |= {"perch": "perched", "recline": "reclining", "float": "floating"}

# Verbs whose object the subject rides or sits on: "riding a vintage motorcycle" → "on a vintage motorcycle".
RIDE_VERBS = frozenset("ride mount straddle".split())
# Verbs whose object is in the subject's hands in the first frame ("playing an acoustic guitar").
HANDLING_VERBS = frozenset("play use wield hold carry grip clutch grasp cradle strum draw brandish swing light".split())
# Verbs that work on a thing lying before the subject ("carves a pumpkin", "sharpening knives"): it is
# "in front of him", not in hand (the tool in hand is said by its 'with': "carves it with a knife").
WORKED_ON_VERBS = frozenset("carve sharpen peel chop slice dice knead whittle sculpt sand polish frost mold mould shell".split())
# Verbs whose object comes to exist only later ("creating ripples", "causing circles"): an end state, not in the first frame.
RESULT_VERBS = frozenset("create cause make produce form leave reveal build shape exhale".split())

# Nouns that name no thing to draw: the object of "engaged in an intense gaming session",
# "takes in the scenery", "enjoys the peacefulness" stays out of the keyframe.
ABSTRACT_NOUNS = frozenset(
    """
work session time moment scenery view sense feeling thought thoughts way step steps attention look glance turn part role
game point points topic information expression expressions gesture gestures movement movements motion motions break rest
performance peacefulness peace beauty wonder mood atmosphere air breath life experience journey story discussion
conversation presentation explanation demonstration technique form mechanic mechanics stroke strokes strike swing
focus concentration determination contentment excitement joy emotion emotions passion energy lead detail
details depth side right left direction distance something anything everything nothing surroundings area space limit limits
interest engagement communication interaction news economy trend trends shape image thing things kind sort  bit one
challenge challenges task tasks insight insights support interface illumination pattern patterns presence touch tranquility
product products item items crossover celebrity workload pressure stress volume sequence frames
comfort design age action actions wind breeze foreground content language
ease skill care grace precision confidence effort speed haste patience talk lecture interview
""".split()
)
# Heads of places that the list above does not name, by their ending ("alleyway", "newsroom", "courtyard").
PLACE_SUFFIXES = ("room", "way", "yard", "house", "side", "scape", "field", "walk", "shop", "store", "place", "park", "water", "wood", "woods")

# Nouns that name a motion: "hand gestures", "fluid movements" stay out of the keyframe.
MOTION_NOUNS = frozenset("gesture movement motion stride step footstep swing stroke jump leap spin twirl nod shift".split())
# Verbs of interpretation: their subjects and objects are a reading of the picture, not in it.
HEDGE_LEMMAS = frozenset("suggest indicate imply hint signify reflect reinforce convey emphasize highlight evoke symbolize".split())

# Verbs whose object is a look of the subject ("has long hair", "sports a beard", "trimming beard").
LOOK_VERBS = frozenset("have sport show display reveal trim shave grow wear boast bear".split())

# Moods a face shows: "appearing focused" → "focused expression".
MOOD_ADJECTIVES = frozenset(
    """focused calm relaxed serious tired weary angry joyful cheerful content contented thoughtful pensive determined nervous
anxious worried curious surprised confident serene excited happy sad sleepy bored puzzled confused shocked stern melancholic""".split()
)
# Fixtures one sits or lies on: "reads a newspaper on a bench" puts the reader there, not the paper.
SEAT_NOUNS = frozenset("bench chair stool sofa couch bed floor ground mat seat armchair".split())
# Mass nouns and stuff: never "a dust nearby" nor "sand in hand" (no single thing to hold or place).
MASS_NOUNS = frozenset(
    "dust dirt sand snow water smoke steam mist fog haze rain air wind soot ash mud ice flour sugar salt powder foam grass light food soil gravel".split()
)
# Penn tags of a finite verb (a modal "MD" is added where a clause needs one).
FINITE_TAGS = frozenset(("VBZ", "VBP", "VBD"))

# Irregular past forms of motion verbs ("leapt" is often parsed as a noun): never in a still.
MOTION_PAST_FORMS = frozenset(
    # not "rose" nor "dove": a flower and a bird far more often
    "ran leapt leaped sprang sprung swam swum flew flown rode ridden drove driven threw thrown caught fell fallen risen dived strode swung slid".split()
)
# Nationality, ethnicity and religion adjectives: always capitalised ("an Inuit woman", "a young
# Indian boy"). Not "polish" (the verb), "china" (the porcelain), "turkey" (the bird), "black" /
# "white" (colours first), "catholic" / "aboriginal" (common adjectives too).
DEMONYMS = frozenset(
    """african american arab arabian argentine argentinian armenian asian australian austrian bangladeshi belgian bolivian brazilian
british bulgarian burmese cambodian canadian caribbean caucasian chilean chinese colombian congolese croatian cuban czech danish dutch
ecuadorian egyptian english eritrean estonian ethiopian european filipino filipina finnish french german ghanaian greek guatemalan haitian
hawaiian hispanic hungarian icelandic indian indonesian iranian iraqi irish israeli italian jamaican japanese jordanian kenyan korean
kurdish latina latino latvian lebanese lithuanian malaysian mexican mongolian moroccan nepalese nepali nigerian norwegian pakistani
palestinian persian peruvian portuguese romanian russian samoan saudi scandinavian scottish senegalese serbian slovak somali spanish
sudanese swedish swiss syrian taiwanese tamil thai tibetan turkish ugandan ukrainian uzbek venezuelan vietnamese welsh yemeni zimbabwean
inuit maasai masai maori navajo cherokee zulu xhosa yoruba igbo berber bedouin polynesian quechua sikh hindu muslim jewish buddhist amish""".split()
)
