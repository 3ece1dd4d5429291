"""Whether a figure is about another time or event, given for context: "the 2005 bombings killed 52", "last
year's quake killed 9,000", "the worst since 1934, when 10,000 died"; or about a time to come: "could rise to
300", "800,000 are expected this year" (a forecast, an expectation or a pledge is no current total either).

Such figures are kept (they are reported) but marked `other_event`, so that they never enter the story's current
total. The test is the clause the figure sits in: a year before the entry's publication (an older one such as
"in 1703 ," only where it cannot be a count), a month other than the entry's ("in december , a truck ..." in a
March entry), or words that place it before ("last year", "last july", "years ago", "previous attacks",
"anniversary"). A "since 2011" in the figure's own clause starts a running total that includes today, so it does
not count; a "when" clause tied to an earlier one ("since 1934, when 10,000 died") is read with that clause.

A sum of many events since the year began ("132 killed in attacks so far this year") is no story's toll either, nor
is a toll of many events told with no article ("coalition airstrikes killed 1,707 civilians") unless the blog's
title names those events ("Paris attacks").
With no known day (a page that gives only times), a bare year dates nothing; one the sentence itself places
before does ("in 2010 that has since killed", "the deadliest since 2008 , when", "in recent years ... in
september 2012").

Several tests look past the clause:
- a time gone by that opens the sentence or its main clause after a semicolon or colon ("three months ago ,
  bombers attacked the airport , killing 32"; "... ; in 2013 , 119 died"; "in april this year , ..."), or a
  timeline's line ("1997 : at least 340 pilgrims are killed"; the next sentences go on telling of it), a year or a
  month gone by that opens a "when" or "where" clause going on to the figure ("in 2012 , when he walked into a
  school ... and killed 28"; "the massacre in nice in july , where a man drove a truck ..., killing 86"; "a 1991
  attack in which a man ... opened fire , killing 23"), or a time gone by in the clauses after it ("killed 38
  people , mostly tourists , on a beach a year ago");
- `dates_earlier`: a sentence about an event at an earlier time ("the worst fire took place in july 2009 .") dates
  the next two sentences too when they do not speak of today ("six people were killed ." is that fire's), see
  `figures.py`;
- `event_elsewhere`: an event told as one of many ("a 7.3-magnitude tremor struck japan , killing 32"; "chile
  suffered its worst quake , with 500 killed") in a country other than those of the blog, or in a city of another
  first-level region (state) than those the blog's title names, is another event;
- `recounts_events`: after a sentence announcing an account of earlier events ("a list of the major attacks on
  airports over the past five years"), a sentence naming a place in another country tells of another event
  (`event_country`, `figures.py`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from streams.extract.places import Place, find_places
from streams.extract.text import MONTHS, Caseless, resolve_date

# Clause breaks: a comma, semicolon, colon, parenthesis or a dash between spaces (tokenised text has " , ").
_BREAK_RE: Final = re.compile(r"[,;:()]|\s[-–—]+\s")
# A clause that starts with one of these continues the one before it ("..., killing three", "..., when 52 died",
# "an attack on a bank in helmand , killed 10", "..., and left more than 100 injured", "the attack in san
# bernardino , california which left 14 dead").
_CONTINUES_RE: Final = re.compile(
    r"\s*(?:killing|leaving|injuring|wounding|destroying|causing|including|when|which|in\s+which|where|who"
    r"|(?:and\s+)?(?:killed|left|injured|wounded)|[a-z]+(?:\s+[a-z]+)?\s+which)\b"
)
_MAX_LINKS: Final = 3  # continuing clauses followed back
# A year, after a word that introduces one ("in 2005", "the 2005 bombings", "may 2012", "( 2005 ,"): "the toll
# rose to 1953" is a count, not a year.
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_NAMES = "january|february|march|april|june|july|august|september|october|november|december"  # no "may"
_YEAR_RE: Final = re.compile(
    rf"(?:\b(?:in|since|from|until|till|of|by|during|between|the|a|an|early|late|mid|before|after|spring|summer"
    rf"|autumn|winter|day|{_MONTHS})\s+|\(\s*)(?P<year>(?:19|20)\d\d)(?:s|'s|’s)?(?![\w,]|\.\d)"
    # An older year only where it cannot be a count: "in 1703 ,", "january 1915 .", "in 1908 , when"
    rf"|(?:\b(?:in|during|until|{_MONTHS})\s+)(?P<old>1[5-8]\d\d)(?=\s*[,.;)]|\s+when\b)",
    re.IGNORECASE,
)
# The nouns of an event a year can be told with ("the 2008 bombing", "a 1991 attack in which").
_EVENT_NOUNS = (
    "earthquakes?|quakes?|tremors?|attacks?|bombings?|shootings?|hurricanes?|storms?|typhoons?|cyclones?|blasts?"
    "|explosions?|massacres?|tsunamis?|fires?|blaze|floods?|disasters?|tragedy|atrocity|crash|siege|riots?"
)
_SINCE_REACH: Final = 25  # "since march 2011", "since it began in 1984", "since september 11 , 2001"
# "In September 1997, ..." / "In the 1970s, when ...": a year that opens the sentence dates all of it.
# A full date opens it as well ("on december 24 , 2000 , a series of attacks ...").
_LEAD_YEAR_RE: Final = re.compile(
    r"\s*(?:in|during|by|on)\s+(?:(?:[a-z]+|\d{1,2}(?:st|nd|rd|th)?)\s*,?\s+){0,3}(?P<year>(?:1[5-9]|20)\d\d)s?\s*,",
    re.I,
)
# A timeline's line that opens with a year ("2006 : a stampede kills 360 pilgrims", "- 1997 - a fire ..."): the
# sentence is that year's, and the ones after it go on telling of it (`dates_earlier`).
# A day may follow the year ("2009 28 october : a car bomb ..."), a month precede it ("september 2005 : ...").
_LEAD_YEAR_LINE_RE: Final = re.compile(
    rf"\s*(?:[-–—•*]\s*)?(?:(?:{_MONTHS})\s+)?(?P<year>(?:1[5-9]|20)\d\d)\s*(?:\d{{1,2}}\s+(?:{_MONTHS})\s*)?"
    r"(?::|[-–—]+\s)",
    re.I,
)
# Where a main clause starts: after a semicolon or a colon ("... is poor : last year a blast killed 70 ; in 2013 ,
# 119 died"), each opens with its own time as a sentence does.
_MAIN_BREAK_RE: Final = re.compile(r"\s[;:](?=\s)")
# Any year a `_YEAR_RE` or `_LEAD_YEAR_RE` match could hold ("in 1703", "in 2009"): when none, neither is tried.
_ANY_YEAR_RE: Final = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")
# A sentence that opens with a day, as a timeline's lines do ("19 march 2016 : a bombing ...", "- march 7 2016 -
# a bomb explodes ..."): the sentence is that day's. A day this long before the entry is another event's.
_LEAD_DATE_RE: Final = re.compile(
    rf"\s*(?:[-–—•*]\s*)?(?P<day>(?:\d{{1,2}}\s+(?:{_MONTHS})|(?:{_MONTHS})\s+\d{{1,2}})(?:st|nd|rd|th)?)"
    rf"(?:\s*,?\s*(?P<year>(?:19|20)\d\d))?\s*[:–—-]\s",
    re.IGNORECASE,
)
# "On" a day, opening the sentence: "on december 10 , 44 people were killed ...".
_LEAD_ON_DAY_RE: Final = re.compile(
    rf"\s*on\s+(?P<day>(?:\d{{1,2}}\s+(?:{_MONTHS})|(?:{_MONTHS})\s+\d{{1,2}})(?:st|nd|rd|th)?)"
    rf"(?:\s*,?\s*(?P<year>(?:19|20)\d\d))?\s*,",
    re.IGNORECASE,
)
# A day in the figure's clause ("the quake on 24 august that killed 300", "the attack on 13 july in which three
# died"): a day this long before the entry is another event's; "since 24 august" starts a running total.
_DAY_RE: Final = re.compile(
    rf"\b(?P<day>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})|(?:{_MONTH_NAMES})\s+\d{{1,2}}(?:st|nd|rd|th)?)"
    rf"\b(?:\s*,?\s*(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_LEAD_DATE_DAYS: Final = timedelta(days=7)  # a story's own days: a timeline's line about today's event is not older
_FUTURE_DAYS: Final = timedelta(days=120)  # a day without a year read as last year's further back is one to come
_STILL_RE: Final = re.compile(r"\bstill\b", re.I)
# A count of many events ("372 mass shootings in the us in 2015 , killing 475", "dozens of attacks this year"): a
# figure in the same clause is their sum, a statistic, not one event's toll. Two or three attacks may be the story's.
_EVENT_PLURAL_WORDS: Final = ("attacks", "shootings", "bombings", "incidents", "explosions", "airstrikes", "massacres")
_EVENT_PLURALS: Final = frozenset(_EVENT_PLURAL_WORDS)
_EVENT_COUNT: Final = Caseless(
    rf"(?P<month>\b(?:{_MONTHS})\s+)?(?:(?<![\d,./])(?!(?:19|20)\d\d\b)\d{{2}}[\d,]*|\b(?:dozens|hundreds|scores)\s+of)\s+"
    rf"(?:(?!(?:{_MONTHS})\b)[a-z-]+\s+)?"
    rf"(?:{'|'.join(_EVENT_PLURAL_WORDS)})\b"
)
_EVENTS_IN: Final = Caseless(rf"\b(?:{'|'.join(_EVENT_PLURAL_WORDS)})\b")
# Words that bring a clause back to the present ("in 2010 ... and are now", "refugees currently stranded").
# "Earlier this year" is a time gone by, not today.
_NOW_RE: Final = re.compile(r"\b(?:now|currently|(?<!earlier\s)this\s+year|so\s+far)\b", re.I)
# A sum of many events since the year began ("132 killed in attacks so far this year", "in shootings this year
# alone"): not the story's toll. Without a plural event it can be the story's own ("1,750 migrants have died at
# sea so far this year", "31 have died of the fever since the start of the year").
_YEAR_TO_DATE: Final = Caseless(
    r"\b(?:so\s+far\s+this\s+year|this\s+year\s+alone|so\s+far\s+in\s+(?:19|20)\d\d|since\s+the\s+(?:start|beginning)"
    r"\s+of\s+(?:the|this)\s+year)\b"
)
# Between a "since" year and a figure after it: the figure is that earlier event's ("since the 2010 quake that
# killed 500", "since a 1985 one ... killed thousands"), not a running total ("since 2001 , there have been").
_RELATIVE_RE: Final = re.compile(r"\b(?:that|which|when|where|one)\b")
_TIE_REACH: Final = 20  # the relative word follows the year's noun ("since the 2010 quake that")
_YEAR_REACH: Final = 80  # a year further from the figure than this dates something else in the clause
# A term of years ("during your eight years", "in his ten years"): a time gone by, someone's term in office.
_TERM = r"(?:during|in|over)\s+(?:your|his|her|their)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+years"
_PAST: Final = Caseless(
    r"\b(?:(?<!the\s)last\s+year|(?:a|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:years|decades)\s+"
    r"(?:ago|after|earlier|before)|decade\s+ago|(?:a|one)\s+(?:year|month)\s+ago"
    r"|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|several|few|\d+)\s+(?:months|weeks)\s+ago"
    r"|anniversary|(?:previous|earlier|past|former|last)\s+(?:attacks|bombings|earthquakes|quakes|disasters"
    r"|hurricanes|storms|floods|shootings|atrocities|massacres|tragedies|wars)"
    r"|(?:previous|last|former)\s+(?:attack|bombing|earthquake|quake|disaster|hurricane|shooting|massacre|war)"
    r"|(?<!the\s)last\s+month|earlier\s+this\s+(?:month|year)"
    r"|in\s+the\s+(?:19|20)\d\ds"
    rf"|{_TERM})\b"
)
# A month without a day ("in december", "last july", "since march"): "may" only after "last", or after "in" at a
# clause's end ("the bombing which killed 22 people in may ."; else a verb).
# Or a month's own event ("november 's attacks"), "may 's" excepted (a name as often as a month).
_MONTH_RE: Final = Caseless(
    rf"(?:\b(?P<word>in|last|since|during|early|late|mid|until|by"
    rf"|the(?=\s+(?:{_MONTH_NAMES})\s+(?:[a-z]+\s+)?(?:{_EVENT_NOUNS})\b))\s+|\b(?=(?:{_MONTH_NAMES})\s+['’]s\b))"
    rf"(?P<month>{_MONTH_NAMES}|(?<=last\s)may|(?<=\bin\s)may(?=\s*[.,;]))\b(?!\s*\d|\s+of\b)"
)
_LEAD_MONTH_RE: Final = re.compile(
    rf"\s*(?:in|last|during|early|late)\s+(?P<month>{_MONTH_NAMES}|(?<=last\s)may)(?:\s+(?:of\s+)?this\s+year)?\s*,",
    re.I,
)  # "in april this year , nepal suffered ..." in October: April's
# An event told as one of many ("a 7.3-magnitude tremor", "another attack"), not the blog's own ("the quake").
_EVENT_RE: Final = Caseless(
    r"\b(?:a|an|another|(?:its|their)\s+(?:worst|deadliest|strongest|biggest|bloodiest))\s+(?:[\w.-]+\s+){0,3}?(?:earthquake|quake|tremor|attack|bombing|shooting|hurricane|storm"
    r"|typhoon|cyclone|blast|explosion|massacre|tsunami)\b|\bthe\s+one\s+(?:which|that)\b"
)
# A definite event named by where it was ("the terror attacks in paris", "the bombing at the airport"): the place
# must follow at once (`event_elsewhere`).
_EVENT_IN: Final = Caseless(
    r"\bthe\s+(?:[\w.-]+\s+){0,3}?(?:earthquakes?|quakes?|attacks?|bombings?|shootings?|massacres?|blasts?"
    r"|explosions?|atrocit(?:y|ies))\s+(?:in|at)\s+(?:the\s+)?"
)
# ... or by its place before it ("the paris attacks in which 130 people died" in a Brussels blog).
_PLACE_EVENT: Final = Caseless(
    r"\bthe\s+(?P<place>[a-z][\w.-]*(?:\s+[a-z][\w.-]*)?)\s+(?:terror\s+|terrorist\s+)?(?:attacks?|bombings?"
    r"|shootings?|massacres?|earthquakes?|quakes?|blasts?)\b"
)
# "since a gunman killed 26 people in sandy hook": the toll of the earlier event a count starts from.
_SINCE_AN_EVENT: Final = Caseless(r"\bsince\s+(?:a|an)\s+(?:[\w-]+\s+){1,3}$")
_PLACE_REACH: Final = 40
_EVENT_WORDS: Final = frozenset(
    "earthquake quake tremor attack bombing shooting hurricane storm typhoon cyclone blast explosion massacre "  # noqa: SIM905
    "tsunami atrocity atrocities".split()
)
# Words that make a dated clause an event's ("the quake hit in 2009", "the fire in july 2009 killed six", "in 2009 ,
# a bomb exploded .").
_HAPPENED: Final = Caseless(
    r"\b(?:earthquakes?|quakes?|tremors?|attacks?|bombings?|shootings?|hurricanes?|storms?|typhoons?|cyclones?"
    r"|blasts?|explosions?|massacres?|tsunamis?|fires?|blaze|floods?|disasters?|tragedy|atrocity|crash|war"
    r"|killed|killing|died|dead|deaths?|struck|hit|took\s+place|occurred|happened|bombs?|exploded|detonated|crashed"
    r"|erupted|sank|capsized)\b"
)
# The words without which `_HAPPENED` cannot match.
_HAPPENED_WORDS: Final = frozenset(
    """earthquake earthquakes quake quakes tremor tremors attack attacks bombing bombings shooting shootings hurricane
    hurricanes storm storms typhoon typhoons cyclone cyclones blast blasts explosion explosions massacre massacres
    tsunami tsunamis fire fires blaze flood floods disaster disasters tragedy atrocity crash war killed killing died
    dead death deaths struck hit took occurred happened bomb bombs exploded detonated crashed erupted sank
    capsized""".split()  # noqa: SIM905
)
_EVENT_REACH: Final = 45
# A date that is a life's or a stay's, not an event's: "born in 1980", "until 2008".
_NOT_EVENT_DATE: Final = Caseless(r"\b(?:born|until|till|aged|since)\b")
_NOT_EVENT_REACH: Final = 25
_MONTH_WORDS: Final = frozenset(_MONTH_NAMES.split("|")) | {"may"}
# Forecasts, expectations and pledges: a word before the figure that governs it ("expecting up to 10,000", "could
# reach 150", "is expected to rise to 300", "pledges evacuation of 1,000 people"; not across "that" or "why": "would
# look into claims that 81 were killed"),
# or after it ("800,000 are expected", "2,000 refugees could"); "expected to rise" alone is the toll growing.
_FORECAST_BEFORE: Final = Caseless(
    r"\b(?:expect(?:s|ed|ing)?|forecasts?|forecast(?:ed|ing)|predict(?:s|ed|ing)?|projected|could|would|might"
    r"|pledge[sd]?|pledging|promise[sd]?|promising"
    r"|(?:may|will)\s+(?:rise|reach|top|exceed|climb|increase|grow))\b"
    r"(?:(?!\b(?:that|why|whether|how|if|when|which|who)\b)(?:[^,;:()]|(?<=\d),(?=\d)))*$"
)
_FORECAST_AFTER: Final = Caseless(
    r"(?:(?:[^,;:()]|(?<=\d),(?=\d)){0,40}?\b(?:are|is|were|was|be)\s+expected\b"
    r"(?!\s+to\s+(?:rise|climb|increase|grow|go\s+up))|\s+(?:could|would|might)\b)"
)
_TO_RISE: Final = re.compile(r"[^,;:()]{0,30}?\bto\s+(?:rise|climb|increase|grow|go\s+up)\b", re.I)
_FORECAST_REACH: Final = 45  # a forecast word further back than this governs something else
_FORECAST_WORDS: Final = frozenset(
    "expect expects expected expecting forecast forecasts forecasted forecasting predict predicts predicted "  # noqa: SIM905
    "predicting projected could would might pledge pledges pledged pledging promise promises promised promising".split()
)
# Present tense and today's words: a sentence with them is not a continued account of a past event.
_PRESENT: Final = Caseless(
    r"\b(?:has|have|is|are|now|currently|so\s+far|today|tonight|this\s+(?:morning|afternoon|evening|week)"
    r"|latest|still|reaches|rises|climbs|stands|says|tells|confirms)\b"
)
_WEEKDAY: Final = Caseless(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
# A sentence that opens with a time gone by ("three months ago , bombers attacked the airport , killing 32"):
# all of it is that time's.
_AGO = (
    r"(?:(?:just|only)\s+)?(?:(?:over|about|almost|nearly|around|some|more\s+than|less\s+than)\s+)?"
    r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|\d+)\s+"
    r"(?:years?|months?|weeks?|decades?)\s+ago|a\s+decade\s+ago)"
)
_LEAD_PAST: Final = Caseless(rf"\s*(?:{_AGO}|last\s+(?:year|month))\s*,")
# A time gone by after the figure, in the clauses that go on describing its event ("a gunman killed 38 people ,
# mostly tourists , on a beach a year ago"): none of these words, no number and no "now" between.
_AGO_AFTER: Final = Caseless(rf"\b(?:{_AGO}|{_TERM}\b)")
_AGO_REACH: Final = 60
_NOT_SAME_EVENT: Final = Caseless(
    r"\b(?:since|than|compared|after|before|while|but|whereas|unlike|that|which|who|when|where|and)\b|\d|;"
)
# With no known day, a year is an earlier one only where the sentence says so: "in 2010 that has since killed",
# "in 2012 , when ...", "the deadliest since 2005 , when", "ten years since", "in recent years ... in september
# 2012" (a month and a year: rarely a live blog's own).
_RETROSPECTIVE: Final = Caseless(
    rf"\b(?:has|have|had)\s+since\b|\bsince\s+then\b|\bin\s+recent\s+years\b|\b(?:years|decades)\s+since\b"
    rf"|\b(?:worst|deadliest|biggest|largest|strongest|bloodiest)\s+(?:[\w-]+\s+){{0,3}}?since\b"
    rf"|\b(?:in|during)\s+(?:early\s+|late\s+|mid-?)?(?:{_MONTHS})\s+(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d\s*,?\s*when\b"
    # "the 2008 bombing of the hotel killed 53": an event told by its year is an earlier one (of the corpus's 222
    # such phrases on pages with a known day, 220 name an earlier year, and the other two are a cricket cup's)
    rf"|\bthe\s+(?:19|20)\d\d\s+(?:[\w-]+\s+)?(?:{_EVENT_NOUNS})\b"
)
_UNDATED: Final = 10_000  # the year an undated entry is read in when its sentence dates a year as past
# A year that opens a "when" clause dates what that clause tells ("in 2012 , when he walked into a school in the
# town , and killed 28 people"), up to this far; so does a year's event that a relative clause goes on to tell of
# ("a 1991 attack in which a man drove a truck into a cafe and opened fire , killing 23").
_WHEN_RE: Final = re.compile(
    rf"s?\s*,?\s*when\b|(?:s|'s|’s)?\s+(?:[\w-]+\s+)?(?:{_EVENT_NOUNS})\s*,?\s*(?:when|where|in\s+which|which|that)\b",
    re.I,
)
_WHEN_REACH: Final = 150
# A month gone by tied to a place by "where" or "when" ("the massacre in nice in july , where a man drove a truck
# into a crowd , killing 86"): what the sentence goes on to tell is that month's, however far.
_TIED_RE: Final = re.compile(r"\s*,?\s*(?:where|when|in\s+which)\b", re.I)
_TIED_REACH: Final = 250
# A sentence that announces an account of earlier events ("below is a list of the major attacks on airports
# over the past five years", "there have been a number of air disasters in recent years"): the events it goes on
# to tell of in other countries are not the blog's (`figures.py`).
_RECOUNT_WORD_LIST: Final = ("list", "timeline", "chronology", "history", "number", "series", "string", "catalogue")
_RECOUNT_EVENT_LIST: Final = (
    "attacks bombings shootings massacres disasters crashes earthquakes quakes hurricanes storms floods atrocities "  # noqa: SIM905
    "tragedies".split()
)
_RECOUNT: Final = Caseless(
    rf"\b(?:{'|'.join(_RECOUNT_WORD_LIST)})\b[^.;]{{0,30}}?\bof\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:{'|'.join(_RECOUNT_EVENT_LIST)})\b"
)
_RECOUNT_PERIOD: Final = Caseless(
    r"\b(?:over|in|during|for)\s+(?:the\s+)?(?:past|last|recent)\s+(?:[\w-]+\s+){0,3}?(?:years|decades?)\b"
    r"|\bsince\s+(?:19|20)\d\d\b"
)
_RECOUNT_WORDS: Final = frozenset(_RECOUNT_WORD_LIST)
_RECOUNT_EVENTS: Final = frozenset(_RECOUNT_EVENT_LIST)
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
        if close != -1 and not text[paren + 1 : start].strip():  # "on 24 march 2015 ( 150 deaths )": the count
            before = max((m.end() for m in _BREAK_RE.finditer(text, 0, paren)), default=0)  # of the clause before
            return before, close, True, paren
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


def _has_year(text: str) -> bool:
    """Whether `text` has a four-digit run a year can be (`in` scans first: most sentences have none)."""
    return ("1" in text or "20" in text) and _ANY_YEAR_RE.search(text) is not None


def _year_of(m: re.Match[str]) -> tuple[int, int]:
    """The year a `_YEAR_RE` match names, and where it starts."""
    group = "year" if m["year"] is not None else "old"
    return int(m[group]), m.start(group)


def _earlier_year(text: str, span: tuple[int, int], figure: tuple[int, int], year: int, extended: bool) -> bool:
    """Whether the clause `text[span]` names a year before `year` near the figure, with no "now" between them. A
    "since" year starts a running total ("killed since 2011"), unless the figure is that year's own event."""
    for m in _YEAR_RE.finditer(text, *span):
        named, at = _year_of(m)
        if named >= year:
            continue
        gap = (m.end(), figure[0]) if m.end() <= figure[0] else (figure[1], m.start())
        if gap[1] - gap[0] > _YEAR_REACH or _NOW_RE.search(text, *gap):
            continue
        since = "since" in text[max(0, at - _SINCE_REACH) : at]
        tied = gap[0] == m.end() and _RELATIVE_RE.search(text, m.end(), min(gap[1], m.end() + _TIE_REACH))
        if not since or extended or tied:
            return True
    return False


def _other_month(text: str, low: str | None, span: tuple[int, int], figure: tuple[int, int], month: int) -> bool:
    """Whether the clause `text[span]` names, near the figure, a month other than the entry's ("in december , a
    truck ... killing 12" in March; "100,000 entered in august" in September): another time. "since march"
    starts a running total, and so does a month after "since" ("61 have died since ebola struck in may")."""
    found = _MONTH_RE.any_case.finditer(text, *span) if low is None else _MONTH_RE.lower.finditer(low, *span)
    for m in found:
        if (m["word"] or "").lower() == "since" or MONTHS[m["month"].lower()] == month:
            continue
        gap = (m.end(), figure[0]) if m.end() <= figure[0] else (figure[1], m.start())
        if figure[1] <= m.start() and "since" in text[gap[0] : gap[1]]:
            continue  # "61 have died since ebola struck in may": a running total from that month
        if gap[1] - gap[0] <= _YEAR_REACH and _NOW_RE.search(text, *gap) is None:
            return True
    return False


def _forecast(text: str, low: str | None, own: int, right: int, figure: tuple[int, int]) -> bool:
    """Whether the figure is a forecast or an expectation ("expecting up to 10,000", "the toll could rise to 150",
    "800,000 are expected"): a figure of a time to come, never a current total. The figure's span starts at a cue
    before its number ("death toll could rise to 150"), so the words up to its end are read too."""
    if _FORECAST_BEFORE.search(text, low, max(own, figure[0] - _FORECAST_REACH), figure[1]) is not None:
        return _TO_RISE.match(text if low is None else low, figure[1], right) is None  # "expects the 12 dead to rise"
    after = _FORECAST_AFTER.any_case if low is None else _FORECAST_AFTER.lower
    return after.match(text if low is None else low, figure[1], right) is not None


# A plan, a pledge, a quota or a call to let people in ("agreed to take 4,000 more refugees", "urged the government
# to take in an extra 10,000", "will accept 10,000 in the next fiscal year", "a quota of 160,000"; "350 child
# refugees will be brought to britain", "the extra 12,000 refugees should arrive before christmas", "20,000
# refugees ... over the next five years"): people a state means to admit, not people who have come. The verb must
# govern the figure's clause (not across "that", "who": "plans to help the 3,000 who arrived"). "to take" alone
# may be a bus's trip ("buses were sent to take 500 refugees to the border"), so it needs no destination after.
_MODAL = r"(?:will|would|should|shall|must|could|can|might|'ll)"
_ADVERB = r"(?:(?:also|now|only|then|initially|still)\s+)?"
_ADMIT = (
    r"(?:take\s+in|accept|admit|resettle|bring\s+in|let\s+in|grant\s+(?:asylum|refuge|sanctuary)\s+to"
    r"|(?:give|offer)\s+(?:asylum|refuge|sanctuary|homes?|places?)\s+to)"
)
_PLAN_BEFORE: Final = Caseless(
    rf"(?:\b(?:to|{_MODAL})\s+{_ADVERB}(?:(?P<take>take)(?!\s+in\b)|{_ADMIT})"
    rf"|\b{_MODAL}\s+{_ADVERB}(?:receive|welcome|house|host|send)"
    r"|\b(?:to|for)\s+(?:taking\s+in|accepting|admitting|resettling|(?P<taking>taking)(?!\s+in\b))"
    r"|\b(?:quotas?|pledges?|targets?|commitment|offer|proposals?|plans?|resettlement)\s+(?:of|for|to))\b"
    r"(?:(?!\b(?:that|who|which|whom|whose|when|while|where|because|but)\b)[^\d,;:()%]){0,30}\d"
)
_PLAN_AFTER: Final = Caseless(
    r"(?:[^,;:()]|(?<=\d),(?=\d)){0,40}?\b(?:(?:will|would|should|shall|could|might|may|are\s+to|are\s+due\s+to"
    r"|are\s+set\s+to|(?<!waiting\s)(?<!hoping\s)(?<!trying\s)(?<!wanting\s)(?<!seeking\s)to)\s+(?:have\s+)?"
    r"(?:be(?:en)?\s+)?(?:brought|resettled|taken\s+in|admitted|accepted|let\s+in|welcomed|granted|given|arrive|come)\b|(?:over|in|during|within)\s+the\s+(?:next|coming)\s+"
    r"(?:(?:few|two|three|four|five|six|ten|\d+)\s+)?(?:days|weeks|months|years|fiscal\s+year|year|decade)\b"
    r"|next\s+(?:fiscal\s+)?year\b)"
)
_TAKEN_SOMEWHERE: Final = Caseless(r"(?:[^,;:()]|(?<=\d),(?=\d)){0,40}?\b(?:to|towards|into|across|from)\s")
_PLAN_REACH: Final = 60  # a plan's verb further back than this governs something else
_CURRENTLY_RE: Final = re.compile(r"[^,;:()]{0,30}?\b(?:now|currently)\b(?!\s+(?:be|to)\b)", re.I)


# A toll over years ("killed by landmines in the last 20 years", "in the valley every year"): many events' sum, or
# a rate; in a blog about one event never its toll. A period right after the figure's words is `figures._PERIOD_RE`
# (the figure is dropped); this is the one a few words on, or the sentence's opening phrase ("in the past decade ,
# 300 people have been killed"). Not "the worst floods in the past 50 years": a comparison, the story's own toll.
_OVER_YEARS: Final = Caseless(
    r"\b(?:(?:in|over|during)\s+the\s+(?:last|past|previous)\s+(?:(?:few|two|three|four|five|six|seven|eight|nine"
    r"|ten|twenty|\d+)\s+)?(?:years|decades|decade)|in\s+recent\s+(?:years|decades)|(?:every|each)\s+year"
    r"|since\s+records\s+began)\b"
)
_OVER_YEARS_REACH: Final = 40  # "by landmines in the last 20 years": at most a few words after the figure's
_OVER_YEARS_GAP_WORDS: Final = 3
_OPENING_REACH: Final = 45  # "in the last 20 years , more than 500 ...": the sentence's opening phrase
# Words between a figure and a period that make the period another thing's: a comparison ("the worst floods in the
# past 50 years", "the heaviest rain since records began") or a clause about something else ("the airport which").
_NOT_THE_FIGURES_SPAN: Final = Caseless(
    r"\b(?:worst|deadliest|biggest|largest|heaviest|highest|lowest|strongest|most|first|than|which|that|who|where"
    r"|when)\b"
)


def over_years(text: str, low: str | None, start: int, end: int) -> bool:
    """Whether the figure at `text[start:end]` is told as a toll over years (`_OVER_YEARS`): the period a few words
    after it in its clause, or opening the sentence before a comma that starts the figure's clause."""
    after = _OVER_YEARS.search(text, low, end, min(len(text), end + _OVER_YEARS_REACH))
    if after is not None:
        gap = text[end : after.start()]
        if (
            _CLAUSE_BREAK.search(gap) is None
            and len(gap.split()) <= _OVER_YEARS_GAP_WORDS
            and _NOT_THE_FIGURES_SPAN.search(gap, None) is None
        ):
            return True
    opening = _OVER_YEARS.search(text, low, 0, min(start, _OPENING_REACH))
    if opening is None or text[: opening.start()].strip():
        return False
    rest = text[opening.end() : start].lstrip()
    return rest.startswith(",") and _CLAUSE_BREAK.search(rest, 1) is None


_SINCE_YEAR_RE: Final = re.compile(r"\bsince\s+(?P<year>(?:19|20)\d\d)\b(?!\s*[-–,]?\s*\d)")
_TO_DATE_REACH: Final = 70  # "killed in attacks in turkey so far this year": the clause's own span
_CLAUSE_BREAK: Final = re.compile(r"[,;:()]")


def year_to_date(text: str, low: str | None, end: int, year: int | None = None) -> bool:
    """Whether the clause after a figure ending at `end` sums since the year began ("132 killed in turkey so far
    this year", "this year alone") or since a year before the entry's `year` ("five journalists have been killed
    in the us since 1992"); whether that is the story's toll is the caller's question (`figures.py`)."""
    stop = min(len(text), end + _TO_DATE_REACH)
    match = _YEAR_TO_DATE.search(text, low, end, stop)
    if match is None and year is not None:
        match = next((m for m in _SINCE_YEAR_RE.finditer(text, end, stop) if int(m["year"]) < year), None)
    return match is not None and _CLAUSE_BREAK.search(text, end, match.start()) is None


# Many events with no article as the subject of a toll ("coalition airstrikes killed 1,707 civilians", "suicide
# bombings have killed more than 300"): a sum over a campaign, no one event's toll. "the attacks killed 129", "both
# bombings killed 30", "friday 's attacks left 40 dead" are the story's own.
_BARE_EVENTS: Final = Caseless(
    rf"\b(?P<events>{'|'.join(_EVENT_PLURAL_WORDS)})\s+(?:have\s+|had\s+)?(?:killed|left)\s+"
    r"(?:(?:at\s+least|more\s+than|over|some|nearly|almost|about|around|up\s+to)\s+)?$"
)
_BARE_REACH: Final = 50
_DETERMINERS: Final = frozenset(
    """the these those both twin two three four five six seven its their his her our this that such
    's ’s""".split()  # noqa: SIM905
)


def bare_events_toll(text: str, low: str | None, start: int, title: str) -> bool:
    """Whether the figure whose number starts at `start` is the toll of many events told with no article ("coalition
    airstrikes killed 1,707 civilians"): a campaign's sum. Not when the blog's `title` names those events itself
    ("Paris attacks"): they are then the story's."""
    m = _BARE_EVENTS.search(text, low, max(0, start - _BARE_REACH), start)
    if m is None or m["events"].lower() in title.lower():
        return False
    before = text[max(0, m.start() - 30) : m.start()].lower().split()[-2:]
    return not any(w in _DETERMINERS or w.isdigit() for w in before)


def planned_admission(text: str, low: str | None, start: int, end: int) -> bool:
    """Whether the figure at `text[start:end]` counts people a state plans, pledges, is asked or is due to admit
    (see `_PLAN_BEFORE`): a promise, not a count of people who came; never a current total. People said to be
    there now are counted ("would resettle 1,250 refugees currently stranded")."""
    if _CURRENTLY_RE.match(text, end) is not None:
        return False
    pos = max(0, start - _PLAN_REACH)
    while (before := _PLAN_BEFORE.search(text, low, pos, end)) is not None and before.start() < start:
        if before.end() > start and before["take"] is None and before["taking"] is None:
            return True
        somewhere = _TAKEN_SOMEWHERE.any_case if low is None else _TAKEN_SOMEWHERE.lower
        if before.end() > start and somewhere.match(text if low is None else low, end) is None:
            return True
        pos = before.end()
    after = _PLAN_AFTER.any_case if low is None else _PLAN_AFTER.lower
    return after.match(text if low is None else low, end) is not None


def is_other_event(
    text: str,
    low: str | None,
    words: frozenset[str],
    start: int,
    end: int,
    year: int | None,
    month: int | None = None,
    *,
    forecasts: bool = True,
    published: date | None = None,
) -> bool:
    """Whether the figure at `text[start:end]` is about another time or event; `low` is `lowered(text)`, `words`
    the sentence's words, `year` and `month` the entry's publication year and month when its day is known (else
    None: then only words such as "last year" count), `published` its day; with `forecasts` False a forecast is no
    other time."""
    if published is not None and (_lead_date_earlier(text, published) or _on_day_earlier(text, low, start, published)):
        return True
    if "since" in words and _SINCE_AN_EVENT.search(text, low, max(0, start - _SINCE_REACH - 15), start) is not None:
        return True  # "since a gunman killed 26 people"
    if year is not None and _lead_year_line(text, year):
        return True  # "1997 : at least 340 pilgrims are killed in a fire": a timeline's line about that year
    if year is None and _has_year(text) and _RETROSPECTIVE.search(text, low) is not None:
        year = _UNDATED  # "the outbreak in 2010 that has since killed 10,000": the sentence places its year before
    has_digits = year is not None and _has_year(text)
    months = month is not None and not _MONTH_WORDS.isdisjoint(words)
    forecast = forecasts and not _FORECAST_WORDS.isdisjoint(words)
    events = not _EVENT_PLURALS.isdisjoint(words)
    to_date = events and "year" in words and _YEAR_TO_DATE.search(text, low) is not None
    if not has_digits and not months and not forecast and not events and _PAST_WORDS.isdisjoint(words):
        return False
    left, right, extended, own = _clause(text, start, end)
    if events and any(m["month"] is None for m in _EVENT_COUNT.finditer(text[left:right], low and low[left:right])):
        return True  # "there were 372 mass shootings in 2015 , killing 475": a sum over many events ("13 november
        # attacks" is a day's)
    if has_digits and year is not None and _earlier_year(text, (end, right), (start, end), year, extended):
        return True  # "the toll now surpasses the 67 who were killed in september 2013": that year's own figure
    if to_date and _YEAR_TO_DATE.search(text, low, left, right) and _EVENTS_IN.search(text, low, left, right):
        return True  # "132 killed in attacks so far this year": a sum over the year's attacks
    now = _NOW_RE.search(text, own, right)
    if now is not None and " ".join(now.group().lower().split()) != "this year":
        return False  # "up to 1,250 refugees currently stranded": the figure is about today
    if forecast and _forecast(text, low, own, right, (start, end)):
        return True  # "800,000 are expected this year": a forecast, even for this year
    if now is not None:
        return False
    if has_digits and year is not None:
        if _earlier_year(text, (left, right), (start, end), year, extended) or _when_earlier(text, low, start, year):
            return True
        lead = _lead(_LEAD_YEAR_RE, text, start)
        if lead is not None and int(lead["year"]) < year:
            return _NOW_RE.search(text, lead.end(), right) is None
    if months and month is not None:
        if _other_month(text, low, (left, right), (start, end), month) or _tied_month(text, low, start, month):
            return True
        if published is not None and _earlier_day(text, (left, right), (start, end), published):
            return True
        lead_month = _lead(_LEAD_MONTH_RE, text, start)
        if lead_month is not None and MONTHS[lead_month["month"].lower()] != month:
            return _NOW_RE.search(text, lead_month.end(), right) is None  # "in december , a truck ... killing 12"
    if _PAST_WORDS.isdisjoint(words):
        return False
    if _PAST.search(text, low, left, right) is not None:
        return True
    return _lead_past(text, low, start, right) or _ago_after(text, low, end)


def _lead(lead_re: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    """A time (`lead_re`) that opens the main clause the figure at `start` is in: at the sentence's start with no
    semicolon before the figure, or right after the last semicolon or colon before it ("... is poor : last year a
    blast killed 70 ; in 2013 , 119 people died")."""
    breaks = [m.end() for m in _MAIN_BREAK_RE.finditer(text, 0, start)]
    if breaks and (m := lead_re.match(text, breaks[-1])) is not None:
        return m
    m = lead_re.match(text)
    return None if m is None or ";" in text[m.end() : start] else m


def _lead_year_line(text: str, year: int) -> bool:
    """Whether the sentence is a timeline's line about a year before `year` ("2006 : more than 360 pilgrims are
    killed in a stampede")."""
    m = _LEAD_YEAR_LINE_RE.match(text)
    return m is not None and int(m["year"]) < year


def _when_earlier(text: str, low: str | None, start: int, year: int) -> bool:
    """Whether a year before `year` opens a "when" clause that goes on to the figure ("in 2012 , when he walked
    into a school in the town , and killed 28 people"), with nothing of today between them."""
    for m in _YEAR_RE.finditer(text, 0, start):
        named, _ = _year_of(m)
        when = _WHEN_RE.match(text, m.end())
        if named >= year or when is None or start - when.end() > _WHEN_REACH or ";" in text[when.end() : start]:
            continue
        if _nothing_of_today(text, low, when.end(), start):
            return True
    return False


def _nothing_of_today(text: str, low: str | None, start: int, end: int) -> bool:
    """Whether `text[start:end]` has no word of today ("now", "so far", a present tense) to bring a clause back."""
    return _NOW_RE.search(text, start, end) is None and _PRESENT.search(text, low, start, end) is None


def _tied_month(text: str, low: str | None, start: int, month: int) -> bool:
    """Whether a month other than the entry's opens a "where" or "when" clause that goes on to the figure ("the
    massacre in nice in july , where a man drove a truck into a crowd , killing 86"), nothing of today between."""
    found = _MONTH_RE.any_case.finditer(text, 0, start) if low is None else _MONTH_RE.lower.finditer(low, 0, start)
    for m in found:
        if (m["word"] or "").lower() == "since" or MONTHS[m["month"].lower()] == month:
            continue
        tied = _TIED_RE.match(text, m.end())
        if tied is None or start - tied.end() > _TIED_REACH or ";" in text[tied.end() : start]:
            continue
        if _nothing_of_today(text, low, tied.end(), start):
            return True
    return False


def _lead_past(text: str, low: str | None, start: int, right: int) -> bool:
    """Whether the sentence opens with a time gone by ("three months ago , bombers attacked the airport , killing
    32 people") that nothing brings back to today before the figure's clause ends."""
    m = _LEAD_PAST.any_case.match(text) if low is None else _LEAD_PAST.lower.match(low)
    if m is None or ";" in text[m.end() : start] or _PRESENT.search(text, low, m.end(), start) is not None:
        return False  # "last month , police arrested two men , and raids have been increasing since ..."
    return _NOW_RE.search(text, m.end(), right) is None


def _ago_after(text: str, low: str | None, end: int) -> bool:
    """Whether a time gone by follows the figure in the clauses that describe its event ("a gunman killed 38
    people , mostly tourists , on a beach a year ago"), with no number, link word or "now" between."""
    m = _AGO_AFTER.search(text, low, end, end + _AGO_REACH)
    if m is None:
        return False
    gap = (end, m.start())
    return _NOT_SAME_EVENT.search(text, low, *gap) is None and _PRESENT.search(text, low, *gap) is None


def _lead_day(text: str, published: date) -> date | None:
    """The day the sentence opens with ("12 january 2016 : a suicide bomber ..."), read against `published`."""
    m = _LEAD_DATE_RE.match(text)
    return None if m is None else _day_of(m["day"], m["year"], published)


def _earlier_day(text: str, span: tuple[int, int], figure: tuple[int, int], published: date) -> bool:
    """Whether the clause `text[span]` names, near the figure, a day more than a week before `published` with no
    "now" between them ("the earlier quake on 24 august that killed 300" in an October entry)."""
    for m in _DAY_RE.finditer(text, *span):
        if m.start() < figure[1] and m.end() > figure[0]:
            continue  # the figure itself ("killing 12 june ...")
        if not _weeks_before(m, published):
            continue
        gap = (m.end(), figure[0]) if m.end() <= figure[0] else (figure[1], m.start())
        if gap[1] - gap[0] > _YEAR_REACH or _NOW_RE.search(text, *gap) is not None:
            continue
        if "since" in text[min(gap[0], max(0, m.start() - _SINCE_REACH)) : m.start()]:
            continue  # "killed since fighting began on 8 july": a running total
        if _STILL_RE.search(text, *span) is None:  # "69 are still in hospital after the 13 november attacks"
            return True
    return False


def _weeks_before(m: re.Match[str], published: date) -> bool:
    """Whether the day a match names (its "day" and "year" groups) is more than a week before `published`, and
    not a day to come read as last year's ("may meet on march 27" in a March 20 entry)."""
    day = _day_of(m["day"], m["year"], published)
    if day is None or day >= published - _LEAD_DATE_DAYS:
        return False
    return m["year"] is not None or day.year >= published.year or published - day <= _FUTURE_DAYS


def _day_of(phrase: str, year: str | None, published: date) -> date | None:
    """The day a "24 august" or "march 7 , 2016" phrase names, read against `published`."""
    day = resolve_date(phrase, published)
    if day is not None and year is not None:
        try:
            return day.replace(year=int(year))
        except ValueError:
            return None
    return day


def _on_day_earlier(text: str, low: str | None, start: int, published: date) -> bool:
    """Whether the sentence opens with "on" a day well before `published` ("on december 10 , 44 people were killed
    in a double bombing" in a January entry) and nothing of today or "since" comes before the figure at `start`."""
    m = _LEAD_ON_DAY_RE.match(text)
    if m is None or ";" in text[m.end() : start] or "since" in text[m.end() : start]:
        return False
    return _weeks_before(m, published) and _nothing_of_today(text, low, m.end(), start)


def _lead_date_earlier(text: str, published: date) -> bool:
    """Whether the sentence opens with a day well before `published` (a timeline's line about an older event)."""
    day = _lead_day(text, published)
    return day is not None and day < published - _LEAD_DATE_DAYS


def event_elsewhere(
    text: str,
    low: str | None,
    words: frozenset[str],
    span: tuple[int, int],
    home: str | None,
    cased: bool,
    regions: frozenset[tuple[str, str]] = frozenset(),
) -> bool:
    """Whether the figure's clause (`span`) tells of another event in another place: "a 7.3-magnitude tremor that
    struck japan , killing 32" in a blog about Ecuador. An indefinite event ("a quake", "another attack") and the
    first place after it in a country not the blog's (`home`), or a city of the blog's country in a first-level
    region (a state) other than those the blog's title names (`regions`): "after a shooting in las vegas that saw
    58 people killed" in a blog about a Texas church. "a quake hit nepal , killing 36 in india" is the blog's."""
    if home is None:
        return False
    if (
        _EVENT_WORDS.isdisjoint(words)
        and _EVENT_PLURALS.isdisjoint(words)
        and not ("one" in words and ("which" in words or "that" in words))
    ):
        return False
    start, end = span
    left, _, _, _ = _clause(text, start, end)
    found = (
        _EVENT_RE.any_case.finditer(text, left, start) if low is None else _EVENT_RE.lower.finditer(low, left, start)
    )
    for m in found:
        mentions = [p for p in find_places(text[m.end() : start], cased=cased, home=home) if p.place.kind != "demonym"]
        if mentions:
            return _elsewhere(mentions[0].place, home, regions)
        # "nepal suffered its worst earthquake on record with 9,000 killed": the place the clause opens with
        owners = [p for p in find_places(text[left : m.start()], cased=cased, home=home) if p.place.kind != "demonym"]
        if owners and not owners[-1].locative and owners[-1].place.kind == "country":
            return _elsewhere(owners[-1].place, home, regions)
    # "the terror attacks in paris in january , which killed 17" in a blog about Tunis: a known event by its place
    events = (
        _EVENT_IN.any_case.finditer(text, left, start) if low is None else _EVENT_IN.lower.finditer(low, left, start)
    )
    for m in events:
        mentions = find_places(text[m.end() : min(start, m.end() + _PLACE_REACH)], cased=cased, home=home)
        if mentions and mentions[0].start == 0 and mentions[0].place.kind != "demonym":
            return _elsewhere(mentions[0].place, home, regions)
    named = (
        _PLACE_EVENT.any_case.finditer(text, left, start)
        if low is None
        else _PLACE_EVENT.lower.finditer(low, left, start)
    )
    for m in named:
        name = text[m.start("place") : m.end("place")]
        mentions = [p for p in find_places(name, cased=cased, home=home) if p.place.kind != "demonym"]
        if mentions and mentions[0].start == 0 and mentions[0].end == len(name):
            return _elsewhere(mentions[0].place, home, regions)
    return False


def _elsewhere(place: Place, home: str, regions: frozenset[tuple[str, str]]) -> bool:
    """Whether `place` is outside the blog's country, or in a region of it other than the title's: a region is
    only known of a city, and of the blog only when its title names a city or a state of that country."""
    if place.country != home:
        return (place.country, "") not in regions  # "Pakistan and Afghanistan rocked by quake": both the blog's
    if not place.region:
        return False
    known = {region for country, region in regions if country == place.country and region}
    return bool(known) and place.region not in known


def dates_earlier(
    text: str,
    low: str | None,
    words: frozenset[str],
    year: int | None,
    month: int | None,
    published: date | None = None,
) -> bool:
    """Whether a sentence is about an earlier time as a whole ("london 's worst tower fire took place in july
    2009 .", "a quake hit the region in 2009 .", "the tragedy , which occurred on 20 january , 2017 ." in a
    December entry) with no word bringing it back to today: the figures of the sentences right after it that name
    no time of their own are about that time too (`figures.py`)."""
    if year is not None and _lead_year_line(text, year):
        return True  # "1997 : at least 340 pilgrims are killed in a fire . more than 1,500 were injured ."
    if _HAPPENED_WORDS.isdisjoint(words):
        return False  # no event word: `_of_event` holds for no date (a set test spares the regexes)
    has_digits = year is not None and _has_year(text)
    months = month is not None and not _MONTH_WORDS.isdisjoint(words)
    if not has_digits and not months and _PAST_WORDS.isdisjoint(words):
        return False
    if _NOW_RE.search(text) is not None:
        return False
    if has_digits and year is not None:
        for m in _YEAR_RE.finditer(text):
            named, at = _year_of(m)
            if named < year and "since" not in text[max(0, at - _SINCE_REACH) : at] and _of_event(text, low, m):
                return True
    if months and month is not None:
        found = _MONTH_RE.any_case.finditer(text) if low is None else _MONTH_RE.lower.finditer(low)
        for m in found:
            if (m["word"] or "").lower() != "since" and MONTHS[m["month"].lower()] != month and _of_event(text, low, m):
                return True
        if published is not None and _event_day_before(text, low, published):
            return True
    if _PAST_WORDS.isdisjoint(words):
        return False
    past = _PAST.search(text, low)
    return past is not None and _of_event(text, low, past)


def _event_day_before(text: str, low: str | None, published: date) -> bool:
    """Whether the sentence names a day more than a week before `published` on which an event happened ("which
    occurred on 20 january , 2017"), not one to come nor a running total's start ("since 8 july")."""
    return any(_weeks_before(m, published) and _of_event(text, low, m) for m in _DAY_RE.finditer(text))


def _of_event(text: str, low: str | None, m: re.Match[str]) -> bool:
    """Whether a date (`m`) is an event's: "a fire took place in camberwell , in july 2009", not "a violinist born
    in 1980" or "he lived there until 2008" (an event word near it, and no "born" or "until" before it)."""
    if _NOT_EVENT_DATE.search(text, low, max(0, m.start() - _NOT_EVENT_REACH), m.start() + 1) is not None:
        return False
    start, end = max(0, m.start() - _EVENT_REACH), min(len(text), m.end() + _EVENT_REACH)
    return _HAPPENED.search(text, low, start, end) is not None


def continues_earlier(text: str, low: str | None, *, weekdays: bool = False, published: date | None = None) -> bool:
    """Whether a sentence after one that `dates_earlier` can be about that time: nothing in it speaks of today
    ("now", "so far", "has", "are", "rises": a past event is told in the past tense); with `weekdays`, no weekday
    either (after a year or a month, "on saturday" is this week). A sentence opening with a day of the entry's
    own week (`published`; "14 july 2016 : ...", a timeline's line about today's event) is that day's."""
    if _NOW_RE.search(text) is not None or _PRESENT.search(text, low) is not None:
        return False
    if published is not None:
        day = _lead_day(text, published)
        if day is not None and day >= published - _LEAD_DATE_DAYS:
            return False
    return not weekdays or _WEEKDAY.search(text, low) is None


def recounts_events(text: str, low: str | None, words: frozenset[str]) -> bool:
    """Whether a sentence announces an account of earlier events: a list, a timeline or a number of attacks or
    disasters over a past span ("over the past five years", "in recent years", "since 1998")."""
    if _RECOUNT_WORDS.isdisjoint(words) or _RECOUNT_EVENTS.isdisjoint(words):
        return False
    return _RECOUNT.search(text, low) is not None and _RECOUNT_PERIOD.search(text, low) is not None


def event_country(text: str, cased: bool) -> str | None:
    """The country of the first place a sentence names, a demonym aside: where the event it tells of happened."""
    mentions = [p for p in find_places(text, cased=cased) if p.place.kind != "demonym"]
    return mentions[0].place.country if mentions else None
