"""What kind of event a figure's sentence tells of, against the kind the blog is about.

A live blog about a hurricane that says "the cholera epidemic that has killed almost 10,000 people", or a blog
about a crane collapse that lists "2006 : more than 360 pilgrims are killed in a stampede", gives another event's
toll: the sentence names an event of another kind than the blog's title, and nothing of the blog's own kind. Such a
figure is marked `other_event` (`figures.py`), whatever its dates say.

Kinds are families of words. A word may belong to several ("blast": an attack or an industrial fire; "landslide":
a quake's or a storm's), and a figure is another kind's only when its word shares no family with the title's. The
event word that counts is the nearest before the figure, and only when it is one more event ("a", "another", a
year, or a disease's name, which is never another name for the blog's own event: "the cholera epidemic"); else one
right after it ("killed in a stampede"), unless a word of the blog's own kind follows too. The test is off when
the title names no kind, or a migration crisis (whose blogs tell of shipwrecks, attacks and camps alike); "fire
broke out after the quake , killing 3" stays the quake's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

_FAMILIES: Final[dict[str, str]] = {
    "quake": """earthquake earthquakes quake quakes tremor tremors aftershock aftershocks tsunami tsunamis landslide
        landslides avalanche avalanches stampede stampedes""",
    "storm": """hurricane hurricanes storm storms cyclone cyclones typhoon typhoons tornado tornadoes tornados flood
        floods flooding floodwaters monsoon landslide landslides mudslide mudslides avalanche avalanches""",
    "violence": """attack attacks attacker attackers shooting shootings gunman gunmen bombing bombings bomb bombs
        bomber bombers gunfire blast blasts explosion explosions massacre siege stabbing stabbings rampage airstrike
        airstrikes shelling war fighting clashes insurgency uprising coup stampede stampedes""",
    "fire": """fire fires blaze blazes wildfire wildfires bushfire bushfires inferno explosion explosions blast blasts
        stampede stampedes""",
    "transport": "crash crashes derailment collision capsizing sinking shipwreck",
    "disease": "epidemic epidemics outbreak cholera ebola pandemic virus famine drought disease diseases",
    "crowd": "stampede stampedes crush",
    "collapse": "collapse collapsed",
}
_KINDS_OF: Final[dict[str, frozenset[str]]] = {}
for _family, _words in _FAMILIES.items():
    for _word in _words.split():
        _KINDS_OF[_word] = _KINDS_OF.get(_word, frozenset()) | {_family}
# What buildings do in quakes, storms, fires and attacks alike: a collapse blog's kind, no sign of another event.
_NEUTRAL: Final = frozenset({"collapse", "collapsed"})
_KIND_WORDS: Final = frozenset(_KINDS_OF)
_MIGRATION: Final = frozenset({"refugee", "refugees", "migrant", "migrants", "migration", "asylum"})
_WORD_RE: Final = re.compile(r"[a-z][a-z-]*")
# "fire" that is no blaze: a shooting's ("opened fire", "israeli fire", "under fire") or a service's ("the fire
# department", "fire & rescue").
_NOT_A_BLAZE_RE: Final = re.compile(
    r"\b(?:open(?:ed|s|ing)?|return(?:ed|ing)?|under|heavy|cross|sniper|live|rocket|tank|friendly|israeli|army|police"
    r"|machine-gun|gun|artillery|by)\s+fire\b"
    r"|\bfire\s+(?:department|dept|service|services|chief|chiefs|brigade|brigades|fighters?|rescue|&|and\s+rescue"
    r"|and\s+emergency|crews?|engines?|station|officials?|commissioner|authority|safety|alarms?|exits?|escape"
    r"|marshal|truck|trucks)\b"
)
# Between a figure and the event after it that is one more of its kind: "killed in a stampede", "in another fire".
_INSTANCE_RE: Final = re.compile(r"\b(?:in|by|during)\s+(?:an?|another)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# What makes an event word before a figure another event's, not a name for the blog's own: an indefinite or dated
# article ("a terrorist attack in tunisia", "another blast", "the 2008 bombing", "the 13 november attacks", "last
# year's quake", "2004 : a crush").
_ANOTHER_RE: Final = re.compile(
    r"(?:\b(?:an?|another)|\b(?:1[89]|20)\d\d\b|\blast\s+\w+\s*['’]s|\b\d{1,2}\s+(?:january|february|march|april"
    r"|may|june|july|august|september|october|november|december))\s+(?:[\w'’.-]+\s+){0,3}$",
    re.IGNORECASE,
)
# A disease is never another name for a storm, a quake, an attack or a crash: "the cholera epidemic that has
# killed 10,000" in a hurricane blog is another event's with no article that says so ("outbreak" excepted: "the
# outbreak of fighting").
_DISEASE_NAMES: Final = frozenset(_FAMILIES["disease"].split()) - {"outbreak"}
# Nor is a quake ever another name for a storm or an attack, nor a hurricane for a quake: "the quake , the strongest
# in 80 years , killed 61" in a hurricane blog is another event's.
_NEVER_RENAMED: Final = _DISEASE_NAMES | frozenset(
    """earthquake earthquakes quake quakes tremor tremors aftershock aftershocks hurricane hurricanes typhoon
    typhoons cyclone cyclones tornado tornadoes tornados""".split()  # noqa: SIM905
)
_REACH_BEFORE: Final = 120  # how far before a figure the event it belongs to is named
_REACH_AFTER: Final = 60  # "... were killed in a stampede at mina"
_ARTICLE_REACH: Final = 50  # how far before an event word its article is looked for

# Words of a title about something that lasts years, whose toll since an earlier year is its own ("the war has
# killed 250,000 since 2011"), unlike an attack's or a storm's.
_LASTING: Final = frozenset(
    "war wars conflict fighting clashes insurgency uprising siege offensive crisis battle unrest protests".split()  # noqa: SIM905
)


# A named storm: "Hurricane Harvey", "typhoon haiyan", "Cyclone Debbie"; the word after is a name unless it is one
# of the words that follow these nouns in news ("hurricane season", "cyclone warning").
_STORM_NAME_RE: Final = re.compile(r"\b(?:hurricane|cyclone|typhoon|superstorm)\s+([a-z]{3,})\b", re.IGNORECASE)
_NOT_A_NAME: Final = frozenset(
    """season seasons category warning warnings watch watches center centre hunters relief victims damage survivors
    shelter shelters winds wind strength eye landfall kit force appeal fund track path hits has had have is was were
    made makes and the that which who struck hit slams batters nears approaches passes hitting heading weakens
    strengthens""".split()  # noqa: SIM905
)


def storm_names(text: str) -> frozenset[str]:
    """The lower-case names of the storms a text names ("Hurricane Harvey" -> {"harvey"})."""
    low = text.lower()
    if "hurricane" not in low and "cyclone" not in low and "typhoon" not in low:
        return frozenset()
    return frozenset(n for n in (m.group(1).lower() for m in _STORM_NAME_RE.finditer(text)) if n not in _NOT_A_NAME)


@lru_cache(maxsize=4096)
def title_storms(title: str) -> frozenset[str]:
    """`storm_names` of a blog's title, once per title."""
    return storm_names(title)


@lru_cache(maxsize=4096)
def title_lasts(title: str) -> bool:
    """Whether a blog's title names something lasting (a war, a siege, a crisis) rather than one event."""
    return not _LASTING.isdisjoint(_WORD_RE.findall(title.lower()))


@lru_cache(maxsize=4096)
def title_kinds(title: str) -> frozenset[str]:
    """The kinds of event a blog's title names; empty when it names none, or a migration crisis."""
    found = _kind_words(title)
    if not _MIGRATION.isdisjoint(_WORD_RE.findall(title.lower())):
        return frozenset()
    return frozenset().union(*(kinds for _, _, kinds in found))


def _kind_words(text: str) -> list[tuple[int, str, frozenset[str]]]:
    """(where, word, its kinds) of each event word of `text` ("fire" only where it means a blaze)."""
    low = _NOT_A_BLAZE_RE.sub(lambda m: " " * len(m.group()), text.lower())
    return [
        (m.start(), m.group(), kinds) for m in _WORD_RE.finditer(low) if (kinds := _KINDS_OF.get(m.group())) is not None
    ]


def of_another_kind(sentence: str, start: int, end: int, blog: frozenset[str], words: frozenset[str]) -> bool:
    """Whether the figure at `sentence[start:end]` is told of an event of another kind than the blog's (`blog`,
    from `title_kinds`): the event word nearest before it in its sentence shares no kind with the blog and is
    one more event ("a terrorist attack in tunisia earlier this year which left 38 dead", "2004 : a crush of
    pilgrims kills 244"), or, with none before, one right after it is ("360 pilgrims are killed in a stampede");
    a word of the blog's own kind after it keeps it the blog's. "the crash" alone may be the blog's own event
    under another name; "the epidemic" or "the quake" in a storm blog never is (`_NEVER_RENAMED`). `words`: the
    sentence's words (`text.words_of`), to skip one without an event word."""
    if not blog or _KIND_WORDS.isdisjoint(words):
        return False
    found = [(at, word, kinds) for at, word, kinds in _kind_words(sentence) if word not in _NEUTRAL]
    before = [(at, word, kinds) for at, word, kinds in found if start - _REACH_BEFORE <= at < start]
    if before:
        at, word, kinds = before[-1]
        if kinds & blog:
            return False
        return word in _NEVER_RENAMED or _ANOTHER_RE.search(sentence, max(0, at - _ARTICLE_REACH), at) is not None
    after = [(at, kinds) for at, _, kinds in found if at >= end]
    if not after or any(kinds & blog for _, kinds in after):
        return False
    at, _ = after[0]
    return at - end <= _REACH_AFTER and _INSTANCE_RE.search(sentence, end, at) is not None
