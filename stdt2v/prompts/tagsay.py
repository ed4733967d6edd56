"""How a tag list's sorted items are said as one sentence (tags.py sorts them): the person with
their looks and age, what they wear and carry, the verb, where and when, then the things around
them set off after a comma; a camera move named in the list is a sentence of its own after it
("The camera slowly pushes in."), and the style terms a verbless sentence last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stdt2v.prompts.grammar import indefinite


@dataclass
class Parts:
    """What the list says, sorted by what it is to the sentence."""

    person: str = ""
    trade: str = ""  # "a skateboarder": a child's trade, said beside the child
    looks: list[str] = field(default_factory=list)  # "bearded": before the person noun
    ages: list[str] = field(default_factory=list)  # "in her 30s": right after the person noun
    worn: list[str] = field(default_factory=list)
    withs: list[str] = field(default_factory=list)  # appearance and carried things
    actions: list[tuple[str, str]] = field(default_factory=list)  # ("feeds pigeons", "is feeding pigeons")
    places: list[str] = field(default_factory=list)
    amid: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    weather: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # "Warsaw", "Nazare", "Portugal"
    absolutes: list[str] = field(default_factory=list)
    style: list[str] = field(default_factory=list)
    camera: list[str] = field(default_factory=list)  # "The camera slowly pushes in.": sentences of their own


def _time(parts: Parts) -> str:
    """'sunset' → 'at sunset'; 'early morning' → 'in the early morning'; with the weather, 'on an overcast afternoon'."""
    weather = " and ".join(parts.weather)
    if not parts.times:
        return f"on {indefinite(weather + ' day')}" if weather else ""
    said = []
    for k, time in enumerate(parts.times):
        words = time.split()
        noun = words[-1]
        if noun == "hour":
            said.append(f"at {time}")  # "at golden hour", "at blue hour": never "on a golden hour"
        elif weather and k == 0:
            said.append(f"on {indefinite(weather + ' ' + time)}" if noun != "night" else f"on {indefinite(weather + ' night')}")
        elif len(words) > 1 and words[0] not in ("early", "late"):
            said.append(f"on {indefinite(time)}")  # "a sunny afternoon"
        elif noun in ("morning", "afternoon", "evening", "daytime"):
            said.append(f"in the {time}")
        else:
            said.append(f"at {time}")
    return " ".join(said)


def list_sentence(parts: Parts, progressive: bool) -> str:
    """A tag list's person, looks, clothes, actions, places, time and absolutes as one sentence
    ("A man, a fisherman in a wool sweater, mends nets on a harbour wall at dawn, gulls overhead.")."""
    person = parts.person
    if parts.looks:  # "bearded" said of the person: before the person's words, after the article
        article, _, noun = person.partition(" ")
        person = indefinite(f"{' '.join(parts.looks)} {noun}") if article.lower() in ("a", "an") else f"{' '.join(parts.looks)} {person}"
    person = " ".join([person, *parts.ages])
    # "a firefighter in her thirties wearing turnout gear": one "in" after the age
    worn = f" {'wearing' if parts.ages and not parts.trade else 'in'} {_joined(parts.worn)}" if parts.worn else ""
    who = person + (f", {parts.trade}" if parts.trade else "") + worn
    if parts.withs:
        who += f"{' ' if parts.trade else ', '}with {_joined(parts.withs)},"
    elif parts.trade:
        who += ","  # "A teenage boy, a skateboarder in a cap, does ...": the trade set off beside the child
    verb = " and ".join(a[1] if progressive else a[0] for a in parts.actions) if parts.actions else "is"
    verb = re.sub(r"(?<= and )is ", "", verb) if progressive else verb  # "is mending nets and smoking a pipe"
    where = " ".join([*parts.places, *parts.amid, _time(parts), *([f"in {', '.join(parts.named)}"] if parts.named else [])])
    text = f"{who} {verb} {where}".replace("  ", " ").strip()
    text = ", ".join([text, *parts.absolutes]) + "."
    return text[:1].upper() + text[1:]


def style_sentence(style: list[str]) -> str:
    """A tag list's style words as one closing sentence ("Film grain, muted tones."); "" when none."""
    if not style:
        return ""
    text = ", ".join(style)
    return text[:1].upper() + text[1:] + "."


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
