"""Which story a blog belongs to: one event, told by one blog or by several (days, outlets).

A story id is a pure function of the blog's own metadata (title, URL, day), so every entry of a blog gets
the same story on any worker, in any order, on any replay, with no state to keep:

    <kind>/<anchor>/<period>      e.g. attack/paris/2015-11, earthquake/nepal/2015-04, storm/irma/2017-09

- kind: the event named at the front of the title or the URL slug (attack, earthquake, storm, flood, fire,
  crash, refugees, conflict, outbreak), from a closed vocabulary;
- anchor: a storm's name, else the first place the title (or the slug) names, else the words before the
  event word ("grenfell tower");
- period: the blog's month (its URL's day when given, else its entries' day), the year for long crises
  (refugees, conflict).

Anything else is a story of its own, `blog/<blog id>`: a blog whose title names no event, a politics or
business blog that merely mentions one, a blog whose day is unknown. Linking is deliberately cautious:
two events merged would add one event's figures to another's, while a story split in two only shows two
totals. Known splits: a story that crosses a month boundary, a title that names only a street or a
building. `tests/data/corpus_gold/stories.json` measures it on labelled corpus blogs.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Final

from schemas import RawUpdate
from streams.extract.places import places_in

__all__ = ["blog_story", "story_of"]


def _words(text: str) -> list[str]:
    return text.split()


#: Event words → kind. Matched on whole words of the title's front or the URL slug.
_KINDS: Final = {
    "attack": "attack attacks attacker attackers attacked bombing bombings bomber bombers bomb bombs blast blasts "
    "explosion explosions shooting shootings gunman gunmen stabbing stabbings siege hostage hostages terror",
    "earthquake": "earthquake earthquakes quake quakes tremor aftershock aftershocks",
    "storm": "hurricane typhoon cyclone superstorm storm",
    "flood": "flood floods flooding",
    "fire": "fire fires blaze wildfire wildfires bushfire bushfires",
    "crash": "crash crashes derailment",
    "refugees": "refugee refugees migrant migrants",
    "conflict": "gaza war ceasefire offensive airstrikes",
    "outbreak": "ebola outbreak epidemic cholera",
}
_KIND_OF: Final = {word: kind for kind, words in _KINDS.items() for word in _words(words)}
#: Kinds whose stories run for months: one story per year.
_LONG: Final = frozenset({"refugees", "conflict", "outbreak"})
#: Storm words followed by the storm's name.
_NAMED: Final = frozenset({"hurricane", "typhoon", "cyclone", "storm"})
#: Sections and series whose blogs only mention events (their own figures are polls, markets, scores).
_NOT_NEWS: Final = frozenset(
    _words(
        "politics business sport football music books culture film stage tv-and-radio commentisfree lifeandstyle "
        "fashion technology media money education travel society"
    )
)
_NOT_NEWS_TITLE: Final = re.compile(r"\b(politics|business|election|debate|davos|telethon|budget|campaign)\b")
#: How far into a title (words) the event must be named to be the blog's subject, not a passing mention.
_FRONT: Final = 5
_SLUG_FRONT: Final = 6
_STOP: Final = frozenset(_words("the a an of in on at to as and for by with after over new more latest live day"))
#: Words that describe an event rather than name it: dropped from a named anchor, so "Charlie Hebdo magazine
#: attack" and "Charlie Hebdo shooting" both anchor on "charlie-hebdo".
_GENERIC: Final = frozenset(
    _words(
        "magazine tower tube train plane flight jet airliner airbus mosque church concert arena nightclub university "
        "museum market christmas terrorist deadly mass suicide truck van knife gun crisis updates one two three "
        "russian french british american"
    )
)
_MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_URL_DAY: Final = re.compile(rf"/(\d{{4}})/({'|'.join(_MONTHS)})/(\d{{1,2}})/")
_WORD: Final = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
#: Title tails that are page furniture, not subject: "| World news | The Guardian", "- BBC News", "as it happened".
_TAIL: Final = re.compile(r"\s+[|]\s.*$|\s+-\s+bbc news\s*$|\bas it happened\b|\blive updates?\b|\brolling report\b")


def story_of(update: RawUpdate) -> str:
    """The story of an update's blog (see the module doc)."""
    day = url_day(update.url) or (update.published.date() if update.day_known else None)
    return blog_story(update.blog_id, update.blog_title, update.url, day)


@lru_cache(maxsize=8192)
def blog_story(blog_id: str, title: str | None, url: str | None, day: date | None) -> str:
    """The story of a blog from its id, title, URL and day."""
    own = f"blog/{blog_id}"
    if day is None:
        return own
    title_text = clean_title(title or "")
    lead, _, _ = title_text.partition(":")
    slug = _slug(url)
    topic_led = ":" in title_text and _event(_WORD.findall(lead), len(lead)) is not None
    if _not_news(title_text, url) and not topic_led:
        return own
    found = _event(_WORD.findall(title_text), _FRONT) or _event(slug, _SLUG_FRONT)
    if found is None:
        return own
    kind, word, words = found
    anchor = _storm_name(word, words, title or "") or (
        _lead_anchor(lead) if topic_led else _anchor(word, words, title_text, slug)
    )
    if anchor is None:
        return own
    period = str(day.year) if kind in _LONG else f"{day.year}-{day.month:02d}"
    return f"{kind}/{anchor}/{period}"


def clean_title(title: str) -> str:
    """A title in lower case without mojibake and page furniture ("â as it happened | World news | …")."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = re.sub(r"[\u00c2\u00e2\u0080-\u009f]+", " ", text)
    text = _TAIL.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip(" -\u2013\u2014")


def url_day(url: str | None) -> date | None:
    """The day in a Guardian-style URL (`/2015/nov/13/`)."""
    match = _URL_DAY.search(url or "")
    if match is None:
        return None
    try:
        return date(int(match[1]), _MONTHS.index(match[2]) + 1, int(match[3]))
    except ValueError:
        return None


def _slug(url: str | None) -> list[str]:
    """The words of a URL's last path part ("shootings-reported-in-eastern-paris-live")."""
    if not url:
        return []
    last = url.rstrip("/").rsplit("/", 1)[-1]
    return [] if last.isdigit() or re.fullmatch(r"[a-z-]*\d+", last) else _WORD.findall(last.replace("-", " "))


def _not_news(title: str, url: str | None) -> bool:
    section = re.search(r"theguardian\.com/([a-z-]+)/", url or "")
    slug = (url or "").rsplit("/", 1)[-1]
    return (
        (section is not None and section[1] in _NOT_NEWS)
        or _NOT_NEWS_TITLE.search(title) is not None
        or re.search(r"(politics|business)-live", slug) is not None
    )


def _event(words: list[str], front: int) -> tuple[str, str, list[str]] | None:
    """The first event word within the first `front` words: (kind, the word, the words)."""
    for word in words[:front]:
        if word in _KIND_OF:
            return _KIND_OF[word], word, words
    return None


def _lead_anchor(lead: str) -> str | None:
    """A topic-led title ("Refugee crisis: …", "Grenfell Tower fire: …"): the place the topic names, else the
    topic itself, so every blog of the series links."""
    places = places_in(lead, cased=False)
    if places:
        return _norm(places[0])
    words = _WORD.findall(lead)
    return _named(words) or "-".join(w for w in words if w not in _STOP and not w.isdigit()) or None


def _storm_name(word: str, words: list[str], raw_title: str) -> str | None:
    """ "Hurricane Irma", "Storm Desmond": the name after the storm word (capitalised, when the title has
    capitals at all, so "storm builds" names no storm)."""
    at = words.index(word) + 1
    if word not in _NAMED or at >= len(words) or words[at] in _STOP or words[at].isdigit():
        return None
    name = words[at]
    if raw_title != raw_title.lower() and not re.search(rf"\b{name[0].upper()}{re.escape(name[1:])}\b", raw_title):
        return None
    return name


def _anchor(word: str, words: list[str], title: str, slug: list[str]) -> str | None:
    """What tells this event from others of its kind: a place, or the words naming it."""
    at = words.index(word)
    for text in (title, " ".join(slug)):
        places = places_in(text, cased=False)
        if places:
            return _norm(places[0])
    return _named(words[max(0, at - 3) : at])


def _named(words: list[str]) -> str | None:
    """The words that name an event, without event words, furniture or description."""
    kept = [w for w in words if w not in _STOP and w not in _KIND_OF and w not in _GENERIC and not w.isdigit()]
    return "-".join(kept) or None


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
