"""Whether a figure is about another time or event, given for context: "the 2005 bombings killed 52", "last
year's quake killed 9,000", "the worst since 1934, when 10,000 died".

Such figures are kept (they are reported) but marked `other_event`, so that they never enter the story's current
total. The test is the clause the figure sits in: a year before the entry's publication, or words that place it
before ("last year", "years ago", "previous attacks", "anniversary"). A "since 2011" in the figure's own clause
starts a running total that includes today, so it does not count; a "when" clause tied to an earlier one
("since 1934, when 10,000 died") is read with that clause.
"""

from __future__ import annotations

import re
from typing import Final

from streams.extract.text import Caseless

# Clause breaks: a comma, semicolon, colon, parenthesis or a dash between spaces (tokenised text has " , ").
_BREAK_RE: Final = re.compile(r"[,;:()]|\s[-–—]+\s")
# A clause that starts with one of these continues the one before it ("..., killing three", "..., when 52 died").
_CONTINUES_RE: Final = re.compile(r"\s*(?:killing|leaving|injuring|wounding|when|which|in\s+which|where|who)\b")
_MAX_LINKS: Final = 3  # continuing clauses followed back
# A year, after a word that introduces one ("in 2005", "the 2005 bombings", "may 2012", "( 2005 ,"): "the toll
# rose to 1953" is a count, not a year.
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_YEAR_RE: Final = re.compile(
    rf"(?:\b(?:in|since|from|until|till|of|by|during|between|the|a|an|early|late|mid|before|after|spring|summer"
    rf"|autumn|winter|day|{_MONTHS})\s+|\(\s*)(?P<year>(?:19|20)\d\d)(?:s|'s|’s)?(?![\w,]|\.\d)",
    re.IGNORECASE,
)
_SINCE_REACH: Final = 25  # "since march 2011", "since it began in 1984", "since september 11 , 2001"
# "In September 1997, ..." / "In the 1970s, when ...": a year that opens the sentence dates all of it.
_LEAD_YEAR_RE: Final = re.compile(r"\s*(?:in|during|by|on)\s+(?:[a-z]+\s+){0,3}(?P<year>(?:19|20)\d\d)s?\s*,", re.I)
# Words that bring a clause back to the present ("in 2010 ... and are now", "refugees currently stranded").
_NOW_RE: Final = re.compile(r"\b(?:now|currently|this\s+year|so\s+far)\b", re.I)
# Between a "since" year and a figure after it: the figure is that earlier event's ("since the 2010 quake that
# killed 500", "since a 1985 one ... killed thousands"), not a running total ("since 2001 , there have been").
_RELATIVE_RE: Final = re.compile(r"\b(?:that|which|when|where|one)\b")
_TIE_REACH: Final = 20  # the relative word follows the year's noun ("since the 2010 quake that")
_YEAR_REACH: Final = 80  # a year further from the figure than this dates something else in the clause
_PAST: Final = Caseless(
    r"\b(?:(?<!the\s)last\s+year|(?:a|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:years|decades)\s+"
    r"(?:ago|after|earlier|before)|decade\s+ago"
    r"|anniversary|(?:previous|earlier|past|former|last)\s+(?:attacks|bombings|earthquakes|quakes|disasters"
    r"|hurricanes|storms|floods|shootings|atrocities|massacres|tragedies|wars)"
    r"|(?:previous|last|former)\s+(?:attack|bombing|earthquake|quake|disaster|hurricane|shooting|massacre|war)"
    r"|in\s+the\s+(?:19|20)\d\ds)\b"
)
# Words without which `_PAST` cannot match: the sentence's words are known, a set test spares the regex.
_PAST_WORDS: Final = frozenset(
    "last ago anniversary previous earlier former decade years".split()  # noqa: SIM905
)


def _clause(text: str, start: int, end: int) -> tuple[int, int, bool, int]:
    """The clause around `text[start:end]`: (start, end, whether it was extended to the clauses before it that it
    continues, where its own part starts)."""
    paren = text.rfind("(", 0, start)
    if paren != -1 and text.rfind(")", paren, start) == -1:
        close = text.find(")", end)
        return paren, len(text) if close == -1 else close, False, paren
    breaks = [m.span() for m in _BREAK_RE.finditer(text)]
    left = max((b for _, b in breaks if b <= start), default=0)
    right = min((a for a, _ in breaks if a >= end), default=len(text))
    own, extended = left, False
    for _ in range(_MAX_LINKS):  # "..., killing 295 , injuring more than 1,000": back to the clause both continue
        if not left or not _CONTINUES_RE.match(text, left):
            break
        left, extended = max((b for _, b in breaks if b < left - 1), default=0), True
    return left, right, extended, own


def _earlier_year(text: str, span: tuple[int, int], figure: tuple[int, int], year: int, extended: bool) -> bool:
    """Whether the clause `text[span]` names a year before `year` near the figure, with no "now" between them. A
    "since" year starts a running total ("killed since 2011"), unless the figure is that year's own event."""
    for m in _YEAR_RE.finditer(text, *span):
        if int(m["year"]) >= year:
            continue
        gap = (m.end(), figure[0]) if m.end() <= figure[0] else (figure[1], m.start())
        if gap[1] - gap[0] > _YEAR_REACH or _NOW_RE.search(text, *gap):
            continue
        since = "since" in text[max(0, m.start("year") - _SINCE_REACH) : m.start("year")]
        tied = gap[0] == m.end() and _RELATIVE_RE.search(text, m.end(), min(gap[1], m.end() + _TIE_REACH))
        if not since or extended or tied:
            return True
    return False


def is_other_event(text: str, low: str | None, words: frozenset[str], start: int, end: int, year: int | None) -> bool:
    """Whether the figure at `text[start:end]` is about another time or event; `low` is `lowered(text)`, `words`
    the sentence's words, `year` the entry's publication year when its day is known (else None: then only words
    such as "last year" count)."""
    has_digits = year is not None and ("19" in text or "20" in text)
    if not has_digits and _PAST_WORDS.isdisjoint(words):
        return False
    left, right, extended, own = _clause(text, start, end)
    if _NOW_RE.search(text, own, right):
        return False  # "up to 1,250 refugees currently stranded": the figure is about today
    if has_digits and year is not None:
        if _earlier_year(text, (left, right), (start, end), year, extended):
            return True
        lead = _LEAD_YEAR_RE.match(text)
        if lead is not None and int(lead["year"]) < year and ";" not in text[lead.end() : start]:
            return _NOW_RE.search(text, lead.end(), right) is None
    if _PAST_WORDS.isdisjoint(words):
        return False
    return _PAST.search(text, low, left, right) is not None
