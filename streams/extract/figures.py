"""The figure extractor: from one update's headline and body, every figure about people or aid.

For each quantity (`numbers.py`) in each sentence, in order:

1. the words after it must make it a count of people ("1,189 civilians", "1,900 have been injured") or
   money; anything else ("146 countries", "Larysa Kolesnyk, 82", "16-meter") is dropped;
2. the metric comes from the head noun ("casualties"), a cue after it ("have been killed"), "including"
   (the figure it breaks down), or a verb before it ("killing 20", "the death toll is now 970"; "the figure
   now stands at 217" takes the casualty word before it); a list after a colon ("killed 41 : 20 in ...") is
   dropped;
3. place, source and as-of come from the sentence, else from the entry (headline city, earlier
   sentences), else from `default_place`; a place that belongs to another number of the sentence ("711 have
   died , 467 in kathmandu", "34 in india and ... 1,700 injured") is not this figure's;
4. a figure about another time or event ("the 2005 bombings killed 52"), or a forecast, is kept but marked
   `other_event` (`other_event.py`), so that it never enters the story's current total; so are the figures of
   the sentences that go on telling of an earlier event ("a fire took place in 2009 . six people were killed ."),
   and a figure of an event of another kind than the blog's ("2004 : a crush of pilgrims kills 244" in a blog about
   a crane collapse, `event_kind.py`);
5. a figure stated as a correction ("the death toll has been revised down to 96") is marked `revised_down`
   (`revisions.py`), so that it lowers a cumulative total; so are the other casualty counts its source gives
   after it in the entry (its new bulletin).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, NamedTuple

from schemas.models import Figure, Metric, RawUpdate
from streams.extract import metrics
from streams.extract.context import CLAUSE_BREAK_RE, EntryContext, Sentence
from streams.extract.event_kind import of_another_kind, storm_names, title_kinds, title_lasts, title_storms
from streams.extract.home import local_section
from streams.extract.numbers import Quantity, parse_quantity, quantities_in
from streams.extract.other_event import (
    bare_events_toll,
    continues_earlier,
    dates_earlier,
    event_country,
    event_elsewhere,
    is_other_event,
    over_years,
    planned_admission,
    recounts_events,
    year_to_date,
)
from streams.extract.places import PlaceMention, lookup
from streams.extract.revisions import revised_down, with_bulletin
from streams.extract.text import Caseless, as_of_in, lowered

_TOKEN_RE: Final = re.compile(r"[\w'’-]+|[^\w\s]")
_REJECT_BEFORE: Final = frozenset(
    """aged age day days no. number page tier level category phase route flight article chapter resolution
    minute minutes hour hours year week weeks month months size grade class section room gate terminal
    platform line highway interstate km miles ftse nikkei dax cac dow nasdaq index""".split()  # noqa: SIM905
)
# A number that names a flight or an aircraft ("flight 4u 9525", "a boeing 777"), no count: dropped before the
# counts are read, so that the count before it finds its verb ("150 people on board flight 4u 9525 were killed").
_CODE_BEFORE_RE: Final = re.compile(
    r"(?:\bflight\s+[a-z\d]{1,3}|\b(?:boeing|airbus|antonov|tupolev|ilyushin|embraer|bombardier|cessna))\s+$",
    re.IGNORECASE,
)


def _a_code(text: str, q: Quantity) -> bool:
    """Whether the number at `q` is a flight's or an aircraft's name ("flight 4u 9525", "boeing 777")."""
    return not q.currency and _CODE_BEFORE_RE.search(text, max(0, q.start - 20), q.start) is not None


# A number a verb takes, then the clause ends, or the words for where the people were ("killing all 62 on board").
_BARE_END_RE: Final = re.compile(r"\s*(?:[.,;]|and\b|$|on\s+board\b|aboard\b|onboard\b)", re.IGNORECASE)
_RATE_RE: Final = re.compile(r"\s*(?:per|a\s+head|for\s+every)\b", re.IGNORECASE)
# A count per span of time is a rate, no event's toll ("33,000 americans a year"; not "a day after the blast").
_PER_TIME_RE: Final = re.compile(
    r"\s*(?:(?:a|per|each|every)\s+(?:year|day|week|month)|annually|yearly)\b"
    r"(?!\s+(?:after|before|later|earlier|ago|when|since)\b)",
    re.IGNORECASE,
)
# A toll over a span of a month or more is a period's statistic, no event's toll ("six hundred people have been
# killed in just one year", "over the past two years"; not "a month-long siege" nor "last year's floods").
_PERIOD_RE: Final = re.compile(
    r"\s*(?:in|over|during|within)\s+(?:(?:just|only)\s+)?(?:(?:the|this|that)\s+)?"
    r"(?:(?:past|last|previous|first|single|same)\s+)?(?:(?:one|a|two|three|four|five|six|ten|\d+)\s+)?"
    r"(?:years?|decades?|months?)(?![\w'’-])",
    re.IGNORECASE,
)
# Tolls, not stocks: "more than a million refugees over the past year" is how a refugee count is told.
_PERIOD_METRICS: Final = frozenset({"killed", "injured", "casualties", "evacuated"})
_UK: Final = "United Kingdom"
_SURELY_ABROAD: Final = 1_000_000  # a city abroad this large is no English town's namesake (`_abroad`)
_FEWEST_REFUGEES: Final = 10  # fewer refugees than this are people in a story, not a count of refugees
_PERCENT_RE: Final = re.compile(r"\s*(?:%|per\s*cent\b|percent\b)")
_INCLUDING: Final = Caseless(r"\b(?:including|among\s+them|of\s+whom|among\s+whom|of\s+them)\s*$")
_ORIGIN_WORDS: Final = frozenset({"from", "fled", "flee", "fleeing", "left", "leave", "of"})
_LABEL_RE: Final = re.compile(r"\s*([A-ZÀ-ÖØ-Þ][\w'’ -]{1,30}):\s")
_SUPERSEDED: Final = Caseless(r"\b(?:an?|the)\s+(?:earlier|previous)\s+version\b")
_TOLL_RE: Final = re.compile(r"toll|number\s+of|figure|total|tally", re.IGNORECASE)
# A blog that follows an event up, weeks or years later ("7/7 bombings: 10th anniversary", "Sydney siege inquest",
# "Boston bomb sentence", "memorial ceremony", "MH17 crash report", "Grenfell Tower public inquiry begins"): a
# casualty count there is the earlier event's, however it is told ("the 52 who lost their lives"). Not "inquiry"
# alone nor "verdict": a live attack's blog may open one ("terror inquiry launched"), and unrest may follow a
# verdict; not a BBC local roundup ("Oxfordshire Live: Didcot anniversary; Storm Doris"), whose anniversary item
# sits beside today's news.
_FOLLOW_UP_TITLE: Final = re.compile(
    r"\b(?:anniversary|inquests?|sentenc(?:e|ed|ing)|trial|memorial(?!\s+day)|commemorat\w*|remembrance|remembers"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+|a)\s+years?\s+on|public\s+inquiry"
    r"|(?:crash|final|investigation|inquest|inquiry)\s+report)\b",
    re.IGNORECASE,
)
_ROUNDUP_TITLE: Final = re.compile(r"\blive\s*:|;", re.IGNORECASE)
_RECALLED: Final = frozenset({"killed", "injured", "missing", "casualties"})
# Kinds of event that happen in one spot, and words that tell of another incident beside the blog's.
_POINT_KINDS: Final = frozenset({"violence", "transport", "fire", "collapse", "crowd"})
_SEPARATE: Final = Caseless(
    r"\b(?:elsewhere\s+in|in\s+(?:a|another)\s+separate\s+(?:incident|attack|shooting|bombing|blast|crash)"
    r"|in\s+an\s+unrelated\s+(?:incident|attack|shooting|bombing|blast|crash))\b"
)
# A blog about an evacuation or a camp's clearance ("Operation to evacuate people from Aleppo begins", "Calais
# 'Jungle' camp clearance"): there, people who leave a place ("951 leave eastern aleppo", "716 migrants have left
# the jungle") are the evacuated, not refugees nor anything else "left" tells ("left behind", "left dead").
_EVACUATION_TITLE: Final = re.compile(r"\b(?:evacuat\w*|clearances?|cleared|exodus)\b", re.IGNORECASE)
_DEPARTED_RE: Final = re.compile(
    r"\s+(?:(?:have|has|had)\s+(?:now\s+|already\s+|so\s+far\s+)?)?(?:left|leave|leaving)\s+"
    r"(?!behind\b|dead\b|injured\b|wounded\b|homeless\b|stranded\b|without\b|with\b|in\s+(?:critical|a\s+critical)\b"
    r"|(?:the|their)\s+country\b)(?=[a-z])",
    re.IGNORECASE,
)
# What leads into a number that breaks the one before down ("711 have died , 467 in kathmandu", "970 , with 539
# in the valley", "63 , including 35 in amatrice"): a place after that number is the part's, not the whole's.
_BREAKDOWN_NEXT_RE: Final = re.compile(
    r"(?:[,;(:]|\b(?:including|with|of\s+whom|among\s+them|among\s+whom|of\s+them|another|and\s+another))\s*"
    r"(?:(?:at\s+least|more\s+than|over|about|around|nearly|some|up\s+to)\s+)?\Z"
)
_TOLD_SENTENCES: Final = 2  # sentences after one about an earlier time that can go on telling of it
_PEOPLE_NOUN_LEN: Final = 6  # a longer word in -ans after a number names people ("palestinians", "gazans")
_NOT_PEOPLE_ANS: Final = frozenset({"caravans", "minivans", "sedans", "titans"})  # ... but these do not
# "the 27 remaining member states", "five remaining candidates": "remaining" as an adjective counts what is left of
# a set, people in a crisis only where its noun is people ("the 300 remaining residents") ...
_REMAINING_ADJ_RE: Final = re.compile(r"\s+remaining\s+([a-z]+)", re.IGNORECASE)
# ... and after these words "remaining" is the verb, not the adjective ("tens of thousands remaining in mariupol").
_AFTER_REMAINING_VERB: Final = frozenset(
    """in at on inside there behind under near within across outside trapped stranded alive missing unaccounted and
    or to with without as after""".split()  # noqa: SIM905
)
# Between a number and a place that is that number's own: "34 in northern india", "876 people in nepal".
_PART_OF_RE: Final = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:in|at)\s+(?:(?:the|northern|southern|eastern|western|central)\s+)?", re.IGNORECASE
)
_PART_REACH: Final = 30
#: "killed in the country": the country the sentence named before the figure, even in its attribution ("officials in
#: india say that at least 20 people have been killed in the country"), not the blog's.
_IN_THE_COUNTRY_RE: Final = re.compile(r"\b(?:in|across|throughout) the country\b(?!\s*'s)", re.IGNORECASE)
_BREAKDOWN_REACH: Final = 30  # how far before the next number its lead-in ("including", ",") is looked for
_PERPETRATOR_ADJECTIVES: Final = frozenset({"suspected", "alleged", "armed"})
# An object after a casualty verb ("killed at least four people", "killed seven"): the verb is active.
_OBJECT_RE: Final = re.compile(
    r"\s+(?:at\s+least|more\s+than|up\s+to|about|around|some|\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|dozens|hundreds|scores|people|innocent|civilians|[a-z]+\s+people)\b",
    re.IGNORECASE,
)
_SHARE_WORDS: Final = frozenset("one two three four five six seven eight nine".split())  # noqa: SIM905
_LIST_REACH: Final = 30  # a breakdown's first number follows its colon closely ("killed : 20 in ...")
_CUE_REACH: Final = 70  # a cue further than this from the noun phrase is about something else
# An aside between commas after a count ("20 people , including a dutchman who works for the un , were wounded"):
# the verb after it is the count's (the aside's own words are no cue).
_ASIDE_RE: Final = re.compile(
    r"\s*,\s*(?:including|among\s+them|among\s+whom|mostly|many\s+of\s+them)\b[^,;.:]{3,100}\s,"
)
_NOT_INHERITED: Final = frozenset({"children", "attackers"})  # a part of a toll: not what the next bare number counts
_REFERRED: Final = frozenset({"killed", "injured", "casualties"})  # what "the total" can refer back to
_REFER_BACK: Final = 2  # how many sentences back "the figure" may find the count it names
_FAMILY: Final[dict[str, str]] = {"killed": "toll", "injured": "toll", "casualties": "toll"}
_DONOR_AFTER_RE: Final = re.compile(
    r"\s*(?:that\s+)?(?P<who>(?:[A-Z][\w.'’-]*\s+){1,4})(?:has\s+|had\s+)?(?:promised|pledged|committed|announced)\b"
)


class _Noun(NamedTuple):
    """What the words after a quantity say it counts (a named tuple: cheaper to build than a dataclass)."""

    subject: str | None
    metric: str | None
    origin: str | None
    end: int  # sentence offset after the noun phrase
    valid: bool
    group: bool = False  # a people noun read off its ending ("palestinians"): a toll's, never a stock's


def _noun_phrase(text: str, q: Quantity) -> _Noun:
    """What the words after a quantity say it counts."""
    subject = metric = origin = None
    end = q.end
    valid = plural = False
    for m in _TOKEN_RE.finditer(text, q.end, min(len(text), q.end + 80)):
        low = m.group().lower()
        if low in ("civilian", "child", "migrant", "refugee", "displaced", "internally"):
            if low == "refugee" or low == "displaced":
                metric = metrics.METRIC_NOUNS[low]
            elif low != "internally":
                subject = metrics.SUBJECT_NOUNS[low]
            end = m.end()
            continue
        if low in metrics.SUBJECT_NOUNS:
            subject, end, valid = metrics.SUBJECT_NOUNS[low], m.end(), True
            break
        if low in metrics.METRIC_NOUNS:
            metric, end, valid = metrics.METRIC_NOUNS[low], m.end(), True
            break
        place = lookup(low)
        if place is not None and place.kind == "demonym":
            origin = place.name
            end = m.end()
            if low.endswith("s"):
                subject, valid = "people", True
                break
            continue
        if low in _PERPETRATOR_ADJECTIVES:  # "four suspected attackers", not "18 suspected refugee traffickers"
            after_adjective = _TOKEN_RE.match(text, m.end() + 1)
            if after_adjective is None or metrics.SUBJECT_NOUNS.get(after_adjective.group().lower()) != "attackers":
                break
            continue
        if low in metrics.SKIP_WORDS:
            continue
        if len(low) >= _PEOPLE_NOUN_LEN and low.endswith("ans") and low not in _NOT_PEOPLE_ANS:  # "797 palestinians"
            subject, end, valid, plural = "people", m.end(), True, True
            break
        valid = low in metrics.FOLLOWERS
        break
    return _Noun(subject, metric, origin, end, valid or subject is not None or metric is not None, plural)


def _headlines_as_told(figures: list[Figure], headline: int) -> list[Figure]:
    """The figures with each of the headline's (the first `headline`) marked `other_event` where the body tells the
    same count as another event's and never as the story's: "132 killed in turkey so far this year" heads "... brings
    to 132 the number of people killed in attacks in turkey so far this year"."""
    body = figures[headline:]
    out = figures[:headline]
    for i, figure in enumerate(out):
        same = [f for f in body if f.metric == figure.metric and f.value == figure.value and f.value is not None]
        if not figure.other_event and same and all(f.other_event for f in same):
            out[i] = figure.model_copy(update={"other_event": True})
    return out + body


def _superseded(sentence: Sentence) -> bool:
    """Whether the sentence speaks of "an earlier version" (a corrected figure); no regex without "version"."""
    if sentence.lower is not None and "version" not in sentence.lower:
        return False
    return _SUPERSEDED.search(sentence.text, sentence.lower) is not None


def _locative(mentions: list[PlaceMention]) -> PlaceMention | None:
    return next((p for p in mentions if p.locative and p.place.kind != "demonym"), None)


_JOINED_RE: Final = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)(?:the\s+)?$")


def _joint_countries(text: str, first: PlaceMention, mentions: list[PlaceMention]) -> str | None:
    """The countries of a toll told for several at once ("killed in afghanistan and pakistan", "in syria , iraq and
    turkey"), as one place ("Afghanistan and Pakistan", names sorted): the whole region's toll is neither country's,
    and each country's own toll is a series apart. None when the first place is not a country joined to another."""
    if first.place.kind != "country":
        return None
    names, end = [first.place.name], first.end
    for mention in mentions:
        if mention.start < end:
            continue
        if mention.place.kind != "country" or not _JOINED_RE.match(text[end : mention.start]):
            break
        names.append(mention.place.name)
        end = mention.end
    if len(set(names)) < 2:
        return None
    *head, last = sorted(set(names))
    return f"{', '.join(head)} and {last}"


# People counted part by part in one noun phrase: "28 men and 10 women were killed", "a mother and three children
# died", "two police officers and a civilian were killed". The parts are one toll, their sum.
_PERSON = (
    r"(?:people|persons?|men|man|women|woman|children|child|boys?|girls?|bab(?:y|ies)|adults?|teenagers?|infants?"
    r"|mothers?|fathers?|sons?|daughters?|wives|wife|husbands?|brothers?|sisters?|relatives|civilians?|soldiers?"
    r"|officers?|policem[ae]n|police\s+officers?|firefighters?|students?|pupils?|tourists?|workers?|passengers?"
    r"|drivers?|pilots?|guards?|journalists?|doctors?|nurses?|residents?|pilgrims?|victims?|others?)"
)
_PART = rf"(?P<n>\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+(?:[a-z'-]+\s+){{0,2}}?{_PERSON}"
_AND = r"\s*(?:,\s*and|,|and|&)\s+"
_PARTS_BEFORE_RE: Final = re.compile(rf"(?:{_PART}{_AND})+$", re.IGNORECASE)
_PART_BEFORE_RE: Final = re.compile(rf"{_PART}{_AND}", re.IGNORECASE)
_ONE_AFTER_RE: Final = re.compile(
    rf"(?:\s+{_PERSON})?{_AND}(?:an?|one)\s+(?:[a-z'-]+\s+){{0,2}}?{_PERSON}\b", re.IGNORECASE
)
_GOVERNED_RE: Final = re.compile(r"\b[a-z]+ed\s+$", re.IGNORECASE)  # a verb whose object the first part may be
_SUMMED: Final = frozenset({"killed", "injured", "casualties", "missing"})
_SUMMED_REACH: Final = 90


def _remainder_of_a_set(text: str, end: int) -> bool:
    """Whether "remaining" right after a count is an adjective of no people noun ("27 remaining member states")."""
    adjective = _REMAINING_ADJ_RE.match(text, end)
    if adjective is None:
        return False
    word = adjective.group(1).lower()
    return word not in metrics.SUBJECT_NOUNS and word not in _AFTER_REMAINING_VERB


def _part_count(word: str) -> float | None:
    """The count a part names: "a", "an" and "one" are one, else a number in digits or words."""
    if word.lower() in ("a", "an", "one"):
        return 1.0
    q = parse_quantity(word)
    return q.value if q is not None and q.low is None and not q.vague else None


def _coordinated(text: str, start: int, end: int) -> tuple[float, int, int] | None:
    """(the parts' sum besides the figure's own count, where the phrase starts, where it ends) for a count whose
    noun phrase (`text[start:end]`) is one part of several joined by "and": "28 men and [10 women]", "[two police
    officers] and a civilian". Parts after it are only the uncounted "a"/"an" ones (a numbered part after it is
    that number's own figure, which sums this one in turn). None when it is no such phrase."""
    extra, first, last = 0.0, start, end
    window = text[max(0, start - _SUMMED_REACH) : start]
    # Most counts follow no "and": a string test spares the regex's search from every position of the window.
    joined = window.rstrip().lower().endswith((",", " and", "&"))
    before = _PARTS_BEFORE_RE.search(window) if joined else None
    if before is not None:
        for part in _PART_BEFORE_RE.finditer(window, before.start()):
            count = _part_count(part.group("n"))
            if count is None:
                return None
            extra += count
        first = start - len(window) + before.start()
        governed = _GOVERNED_RE.search(text, max(0, first - 20), first)
        if governed is not None and metrics.CUE.search(governed.group(), None) is None:
            return None  # "has infected 61 people and one person has died": the first part is another verb's object
    while (one := _ONE_AFTER_RE.match(text, last)) is not None:
        extra, last = extra + 1, one.end()
    return (extra, first, last) if extra else None


class _Extractor:
    def __init__(self, update: RawUpdate, default_place: str | None) -> None:
        self.update = update
        self.ctx = EntryContext(update, default_place)
        self.published: date = update.published.date()
        self.year: int | None = update.published.year if update.day_known else None
        self.month: int | None = update.published.month if update.day_known else None
        self.day: date | None = self.published if update.day_known else None  # the entry's day, when known
        self.earlier = False  # whether the sentence read continues an account of an earlier time
        self.elsewhere = False  # whether it tells, in an account of earlier events, of one in another country
        self.q_ends: list[int] = []  # where the quantities of the sentence read end
        self.figures: list[tuple[Figure, bool]] = []  # (figure, is a breakdown of the previous one)
        self.breakdowns: set[int] = set()  # ids of "including N children" figures
        self.blog_kinds = title_kinds(update.blog_title or "")  # the kinds of event the blog is about
        self.lasting = title_lasts(update.blog_title or "")  # a war's or a crisis's blog, not one event's
        self.evacuation_blog = _EVACUATION_TITLE.search(update.blog_title or "") is not None
        self.local_blog = local_section(update.url)  # a BBC local live page: about one region of the UK
        # A blog that follows an event up (its anniversary, inquest, trial): its tolls recall that earlier time.
        self.follow_up = _FOLLOW_UP_TITLE.search(update.blog_title or "") is not None and not (
            self.local_blog and _ROUNDUP_TITLE.search(update.blog_title or "") is not None
        )
        self.placed: dict[int, int] = {}  # id of a figure whose place its own sentence names -> where its number ends
        # Named storms: the title's ("Cyclone Debbie") and the others the entry names ("typhoon haiyan").
        self.own_storms = title_storms(update.blog_title or "")
        entry_text = f"{update.headline or ''}\n{update.body}"
        self.other_storms = storm_names(entry_text) - self.own_storms if self.own_storms else frozenset()

    def run(self) -> list[Figure]:
        told = 0  # how many sentences more continue an account of an earlier time (`dates_earlier`)
        dated = False  # whether that time is a date (a weekday after it is then this week's)
        recounted = False  # whether the entry has announced an account of earlier events (`recounts_events`)
        headline: int | None = None  # how many figures the headline has (the first ones), once the body starts
        for sentence in self.ctx.sentences:
            if sentence.part != "headline" and headline is None:
                headline = len(self.figures)
            words = self.ctx.words[sentence.ordinal]
            if sentence.part == "headline":
                told = 0
            else:
                recounted = recounted or (
                    recounts_events(sentence.text, sentence.lower, words) and self.ctx.country is not None
                )
                if recounted and self._recounted_at_home(sentence):
                    told = 0  # the account's next event is the blog's own, whatever came before it
                self.earlier = bool(told) and continues_earlier(
                    sentence.text, sentence.lower, weekdays=dated, published=self.day
                )
                told = told - 1 if self.earlier else 0
                if dates_earlier(sentence.text, sentence.lower, words, self.year, self.month, self.day):
                    told, dated = _TOLD_SENTENCES, True
            if _superseded(sentence):
                continue  # "An earlier version said about 1,400": a corrected figure, not a claim
            found = quantities_in(sentence.text, sentence.lower, words)
            quantities = [q for q in found if (not q.is_year_like or q.currency) and not _a_code(sentence.text, q)]
            if quantities:
                figures = len(self.figures)
                self._sentence(sentence, quantities)
                told_of = any(f.other_event and not f.vague for f, _ in self.figures[figures:])
                if told_of and not told and continues_earlier(sentence.text, sentence.lower):
                    told, dated = (
                        _TOLD_SENTENCES,
                        False,
                    )  # "a quake struck japan , killing 32 . the first killed nine ."
            self.earlier = self.elsewhere = False
        # A sentence told twice in one entry (an embedded tweet that repeats the text) is one claim, not two.
        extracted = list(dict.fromkeys(f for f, _ in self.figures))
        if headline is not None:
            headline = len(set(f for f, _ in self.figures[:headline]))
        return with_bulletin(_headlines_as_told(extracted, len(extracted) if headline is None else headline))

    def _recounted_at_home(self, sentence: Sentence) -> bool:
        """In an account of earlier events ("a list of attacks on airports over the past five years . - a bomb hit
        moscow 's airport , killing 37"), whether the sentence names a place in the blog's country; one that names
        a place in another sets `elsewhere` (its figures are another event's; "another 13 were hurt" after it is
        that event's too, `_another_of_other`)."""
        country = event_country(sentence.text, self.ctx.cased)
        self.elsewhere = country is not None and country != self.ctx.country
        return country is not None and not self.elsewhere

    def _sentence(self, sentence: Sentence, quantities: list[Quantity]) -> None:
        text = sentence.text
        breakdown_from: int | None = None
        in_sentence: list[Figure] = []
        self.q_ends = [q.end for q in quantities]
        for i, q in enumerate(quantities):
            if breakdown_from is not None and q.start > breakdown_from:
                continue
            limit = quantities[i + 1].start if i + 1 < len(quantities) else len(text)
            before_words = text[max(0, q.start - 20) : q.start].lower().split()
            if before_words and before_words[-1] in _REJECT_BEFORE:
                continue
            if _PERCENT_RE.match(text, q.end) or _share(before_words):
                continue  # "40 %", "one in 10", "eight in 10": a share, not a count
            if q.currency and i and quantities[i - 1].currency and before_words[-1:] == ["("]:
                continue  # "£2m ($2.6m)": a conversion, not a second sum
            figure = (
                self._money(sentence, q, limit)
                if q.currency
                else self._people(sentence, q, quantities[i + 1 :], in_sentence)
            )
            if figure is None:
                continue
            in_sentence.append(figure)
            self.figures.append((figure, False))
            colon = text.find(":", q.end, limit)
            if colon != -1 and not text[q.end : colon].strip(" \"”'").count(" ") > 3 and limit - colon < _LIST_REACH:
                breakdown_from = colon  # "41 people : 20 children , ...": a list after the colon breaks it down

    def _people(self, s: Sentence, q: Quantity, following: list[Quantity], previous: list[Figure]) -> Figure | None:
        text, low = s.text, s.lower
        limit = following[0].start if following else len(text)
        noun = _noun_phrase(text, q)
        joint = None
        if noun.valid and noun.metric is None and q.low is None and not q.vague and q.value:
            joint = _coordinated(text, q.start, noun.end)
            if joint is not None:
                noun = noun._replace(end=joint[2])  # the verb after the last part governs every part
        toll = None
        if not noun.valid:  # "the death toll rose to sixty-seven at midday", "killing 41 and injuring 250 ."
            toll = metrics.cue_before(text, low, q.start)
            if toll is None or not (_TOLL_RE.search(toll.group()) or _BARE_END_RE.match(text, q.end)):
                return None
        if q.value == 1 and noun.subject is None and not noun.metric:
            return None  # "one of the victims", but "one fatality", "one death" are a toll
        if q.value is not None and not q.value.is_integer():
            return None  # "a magnitude of 6.8 killed", "at 10.30 , police": no count of people has a fraction
        after = text[noun.end : min(limit, noun.end + _CUE_REACH)].split(";")[0]
        low_after = None if low is None else low[noun.end : noun.end + len(after)]
        after_places: list[PlaceMention] | None = None  # found on first need: most numbers are no figure
        metric: str | None = noun.metric
        span_start, span_end = q.start, noun.end
        destination: PlaceMention | None = None
        verb = None if metric else toll or metrics.cue_before(text, low, q.start)
        if verb is not None:  # "killed 41 people and injured 250": the verb before governs, not the next cue
            metric, span_start = metrics.cue_metric(verb), verb.start()
            if metric == "ref":  # "the figure now stands at 217": the count the sentence or the one before names
                metric = self._referred_metric(s, verb.start())
        if not metric:
            cue_text, cue_low = after, low_after
            reach = _joined_reach(text, q.start, noun.end, following)
            if reach is not None:  # "22 hostages and two gunmen were killed": the cue after the next number is both's
                cue_text = text[noun.end : reach].split(";")[0]
                cue_low = None if low is None else low[noun.end : noun.end + len(cue_text)]
            elif (aside := _ASIDE_RE.match(text, noun.end)) is not None and aside.end() < limit:
                # "20 people , including a dutchman who works for the un , were wounded": the verb after the aside
                end = min(limit, aside.end() + _CUE_REACH)
                cue_text = " " * (aside.end() - noun.end) + text[aside.end() : end].split(";")[0]
                cue_low = None if low is None else cue_text.lower()
            cue = metrics.CUE.search(cue_text, cue_low)
            if cue is not None and _OTHERS_RE.search(cue_text, 0, cue.start()) and not cue.group().endswith("ies"):
                cue = None  # "1,500 people who gave blood for those wounded": the cue counts other people
            if cue is not None and _not_the_victims(text, noun.end, cue, q.start):
                cue = None  # "two men arrested over the death of ...", "eight attackers who killed 127 people"
            if cue is not None:
                metric = metrics.cue_metric(cue)
                span_end = noun.end + cue.end()
                if metric == "arrived":
                    after_places = self.ctx.places(after)
                    destination = _locative(after_places)
                    ok = destination is not None and (
                        destination.place.kind == "country" or noun.subject in ("migrants", "refugees")
                    )
                    metric = "refugees" if ok else None
                    if destination is not None and ok:
                        span_end = noun.end + destination.end
        if not metric and self.evacuation_blog and (gone := _DEPARTED_RE.match(text, noun.end)) is not None:
            metric, span_end = "evacuated", gone.end()  # "951 leave eastern aleppo" in a blog of the evacuation
        including = bool(_INCLUDING.search(text, low, 0, q.start))
        if not metric and including and previous:
            metric = previous[-1].metric
        if not metric or metric == "arrived" or not self._plausible(metric, q, text, noun.end, span_end):
            return None
        if metric == "remaining" and _remainder_of_a_set(text, q.end):
            return None
        if metric == "remaining" and (noun.group or noun.subject == "attackers"):
            return None  # "1m americans ... remain close partners", "three attackers still on the loose"
        if noun.subject == "attackers" and span_end > noun.end and _OBJECT_RE.match(text, span_end):
            return None  # "three attackers who killed seven people": what they did, not what befell them
        subject = noun.subject or self._inherited_subject(metric, including, previous)
        if metric == "refugees" and subject == "refugees":
            subject = "people"
        value = q.value
        if joint is not None and metric in _SUMMED and value is not None and not including:
            value, subject, span_start = value + joint[0], "people", min(span_start, joint[1])
        if after_places is None:
            after_places = self.ctx.places(after)
        place = self._place(s, q, metric, noun, after, after_places, destination, limit)
        own_place = place is not None and metric != "refugees"
        if place is None and metric != "refugees":
            place = self._carried_place(s, q, previous) or self.ctx.entry_place
        restated = _back_reference(text, q)
        source = None if restated else self.ctx.source_for(s, q.start, place)
        as_of = as_of_in(after, self.published, low=low_after) or self.ctx.as_of
        figure = Figure(
            entry_id=self.update.entry_id,
            kind=self.update.kind,
            metric=_as_metric(metric),
            value=value,
            value_low=q.low,
            value_high=q.high,
            qualifier=q.qualifier,
            vague=q.vague,
            subject=subject,
            unit="people",
            place=place,
            source=source,
            as_of=as_of,
            other_event=(including and bool(previous) and previous[-1].other_event)  # a part of another event's toll
            or self._other_event(s, span_start, span_end)
            or self._another_of_other(s, q)
            or (self.follow_up and metric in _RECALLED)
            or (metric in _RECALLED and self._separate_incident(text, low))
            or (own_place and self._abroad(place))
            or (metric in _PERIOD_METRICS and self._sum_of_more(text, low, q.start, span_end))
            or (metric == "refugees" and planned_admission(text, low, span_start, span_end)),
            restated=restated,
            revised_down=revised_down(text, low, q.start, q.end, q.value),
            text=text[span_start:span_end].strip(" ,"),
        )
        if including:
            self.breakdowns.add(id(figure))
        if own_place:
            self.placed[id(figure)] = q.end
        return figure

    def _part_place(self, text: str, at: int) -> bool:
        """Whether the place named at `at` is an earlier number's own ("34 in northern india"), not the sentence's."""
        return any(0 <= at - end <= _PART_REACH and _PART_OF_RE.fullmatch(text, end, at) for end in self.q_ends)

    def _referred_metric(self, s: Sentence, pos: int) -> str | None:
        """The metric "the figure", "the total" or "put it at" refers to: the last casualty cue before it in the
        sentence, else in the nearest of the `_REFER_BACK` sentences before (same entry part) that names one ("the
        number of people killed may be lower . the agency put it at 248 . it has since revised the figure down to
        216"); None when none names one."""
        candidates = [(s.text[:pos], None if s.lower is None else s.lower[:pos])]
        for ordinal in range(s.ordinal - 1, max(-1, s.ordinal - 1 - _REFER_BACK), -1):
            prev = self.ctx.sentences[ordinal]
            if prev.part != s.part:
                break
            candidates.append((prev.text, prev.lower))
        for text, low in candidates:
            cues = [metrics.cue_metric(m) for m in metrics.CUE.finditer(text, low)]
            cues = [c for c in cues if c in _REFERRED]
            if cues:
                return cues[-1]
        return None

    @staticmethod
    def _plausible(metric: str, q: Quantity, text: str, noun_end: int, span_end: int) -> bool:
        """Whether a count can be a figure for a total: not zero ("zero fatalities" is a target), not a rate ("six
        refugees per constituency", "guns kill 33,000 americans a year", "12 people are killed every day") nor a
        period's count ("600 people have been killed in just one year"), and a
        count of refugees not a handful of people in an anecdote ("two refugee children", "three asylum
        seekers")."""
        if q.value == 0 or _RATE_RE.match(text, noun_end):
            return False
        if _PER_TIME_RE.match(text, noun_end) or _PER_TIME_RE.match(text, span_end):
            return False
        if metric in _PERIOD_METRICS and _PERIOD_RE.match(text, span_end):
            return False
        return metric != "refugees" or q.vague or q.value is None or q.value >= _FEWEST_REFUGEES

    def _crisis_blog(self) -> bool:
        """Whether the blog's title or the entry's headline names a crisis ("Nepal earthquake", "refugee crisis")."""
        context = f"{self.update.blog_title or ''}\n{self.update.headline or ''}"
        return metrics.CRISIS.search(context, lowered(context)) is not None

    def _other_event(self, s: Sentence, start: int, end: int, *, forecasts: bool = True) -> bool:
        """Whether the figure at `s.text[start:end]` is about another time or event (see `other_event.py`); a sum
        of aid is a pledge by nature, so `forecasts` is False for it ("pledged $1m and said it would send ...")."""
        if self.earlier or self.elsewhere:  # "a quake hit the region in 2009 . more than 300 people were killed ."
            return True
        words = self.ctx.words[s.ordinal]
        if self.other_storms and not self.other_storms.isdisjoint(words) and self.own_storms.isdisjoint(words):
            return True  # "haiyan killed more than 6,000" in a blog about Cyclone Debbie
        if of_another_kind(s.text, start, end, self.blog_kinds, words):  # "the cholera epidemic has killed 10,000"
            return True
        if is_other_event(
            s.text, s.lower, words, start, end, self.year, self.month, forecasts=forecasts, published=self.day
        ):
            return True
        return event_elsewhere(
            s.text, s.lower, words, (start, end), self.ctx.country, self.ctx.cased, self.ctx.home_regions
        )

    def _abroad(self, place: str | None) -> bool:
        """Whether a figure a local blog's sentence places in another country is another story's: a page about one
        region of the UK tells of events abroad only in passing ("irma , responsible for more than 30 deaths",
        "charlottesville , where a woman died"), never as its own count. (A national section may cover an event
        abroad for its own readers: the Sinai crash in UK news.)"""
        found = lookup(place) if self.local_blog and place else None
        if found is None or found.kind == "demonym" or found.country == _UK:
            return False
        # A town's name abroad is as often an English town's the gazetteer lacks ("halifax", "weymouth"): only a
        # country, or a city too large for an English namesake to be meant, is surely abroad.
        return found.kind != "city" or found.population >= _SURELY_ABROAD

    def _separate_incident(self, text: str, low: str | None) -> bool:
        """Whether a toll's sentence tells of a separate incident ("elsewhere in iraq , a car bomb killed 25", "in a
        separate attack") in a blog about one event in one spot (not a storm's, a quake's or a war's, where
        "elsewhere" is the same event's reach)."""
        if self.lasting or not self.blog_kinds or not self.blog_kinds <= _POINT_KINDS:
            return False
        probe = low if low is not None else text.lower()
        if "elsewhere" not in probe and "separate" not in probe and "unrelated" not in probe:
            return False  # most sentences have none of these words: the regex need not scan them
        return _SEPARATE.search(text, low) is not None

    def _sum_of_more(self, text: str, low: str | None, start: int, end: int) -> bool:
        """Whether a toll (number at `start`, span ending at `end`) sums more than the story's event: told as a sum
        since the year began ("132 killed in turkey so far this year") or, unless the blog is a war's, since an
        earlier year ("killed in the us since 1992") in a blog about one event (its title names one, not an
        epidemic), or over years ("killed by landmines in the last 20 years", not in a war's or a crisis's blog,
        whose own toll runs over years), or as many events' with no article ("coalition airstrikes killed 1,707")."""
        one_event = bool(self.blog_kinds) and "disease" not in self.blog_kinds
        since = None if self.lasting else self.year  # "killed since 1992" sums many events, unless a war's
        if one_event and (
            year_to_date(text, low, end, since) or (not self.lasting and over_years(text, low, start, end))
        ):
            return True
        return bare_events_toll(text, low, start, self.update.blog_title or "")

    def _another_of_other(self, s: Sentence, q: Quantity) -> bool:
        """Whether "another 35 people are hurt" adds to a figure just told of another event ("a bomb explodes in
        burgas , killing five . another 35 people are hurt ."): the same other event's when the entry's last figure
        is another event's (the count "another" adds to need not be a figure: "killing five of the tourists")."""
        if not self.figures or not self.figures[-1][0].other_event:
            return False
        return _ANOTHER_RE.search(s.text, max(0, q.start - 12), q.start) is not None

    def _inherited_subject(self, metric: str, including: bool, previous: list[Figure]) -> str:
        """A bare number ("Another 1,900 have been injured") counts what the last such figure counted.

        Within a sentence ("100 children have been killed, and 134 injured") the subject carries over;
        across sentences a breakdown's subject (children) does not.
        """
        family = _FAMILY.get(metric, metric)
        last = previous[-1] if previous else None
        if last is not None and id(last) not in self.breakdowns and _FAMILY.get(last.metric, last.metric) == family:
            return last.subject
        for figure, _ in reversed(self.figures):
            same = _FAMILY.get(figure.metric, figure.metric) == family and figure.unit == "people"
            if same and (figure.subject not in _NOT_INHERITED or including):
                return figure.subject
        return "people"

    def _place(
        self,
        s: Sentence,
        q: Quantity,
        metric: str,
        noun: _Noun,
        after: str,
        after_places: list[PlaceMention],
        destination: PlaceMention | None,
        limit: int,
    ) -> str | None:
        """The place the figure's sentence names for it; None when it names none. A refugee figure's is its own
        question: where they went, else came from, else the blog's place (None for a destination in a list)."""
        if metric == "refugees":
            if destination is None:
                destination = next(
                    (
                        p
                        for p in after_places
                        if p.locative and p.place.kind != "demonym" and _word_before(after, p) not in _ORIGIN_WORDS
                    ),
                    None,
                )
            if destination is not None:
                listed = after[destination.end : destination.end + 3].startswith(",") and any(
                    p.start > destination.end and p.start - destination.end < 6 for p in after_places
                )
                return None if listed else destination.place.name
            origin = _locative(after_places)
            if origin is not None:
                return origin.place.name
            if noun.origin:
                return noun.origin
            return self.ctx.default_place
        found = _locative(after_places)
        if found is not None:
            return _joint_countries(after, found, after_places) or found.place.name
        country = _IN_THE_COUNTRY_RE.search(after)
        if country is not None and CLAUSE_BREAK_RE.search(after, 0, country.start()) is None:
            named = self._country_before(s, q.start)
            if named is not None:
                return named
        label = _LABEL_RE.match(s.text)
        if label is not None:  # "Dadu: 63 killed, 214 injured"
            place = lookup(label.group(1))
            if place is not None and place.kind != "demonym":
                return place.name
        rest_end = self.ctx.attribution_start(s, noun.end)
        if limit < rest_end and _BREAKDOWN_NEXT_RE.search(s.text, max(noun.end, limit - _BREAKDOWN_REACH), limit):
            rest_end = limit  # "711 have died , 467 in kathmandu": the place after the next number is its own
        rest_start = noun.end + len(after)
        rest = s.text[rest_start:rest_end]
        later = _locative(self.ctx.places(rest)) if rest.strip() else None
        if later is not None and self._same_clause(s.text, noun.end, rest_start + later.start):
            return later.place.name  # "... were injured when a crowd surged at a camp in Shikarpur, police said"
        begin = self.ctx.attribution_end(s, q.start)
        before = self.ctx.places(s.text[begin : q.start])
        found = next(
            (
                p
                for p in reversed(before)
                if p.locative and p.place.kind != "demonym" and not self._part_place(s.text, begin + p.start)
            ),
            None,
        )
        if found is not None:
            return found.place.name
        # "killed 40 in the capital , and nine more in cusco": a place in a later clause, when none came before
        return later.place.name if later is not None else None

    def _country_before(self, s: Sentence, pos: int) -> str | None:
        """The last country the sentence names "in" before `pos`, attribution included ("officials in india say");
        not a city's country ("speaking in geneva , a un spokesman said": where the speaker was)."""
        for mention in reversed(self.ctx.places(s.text[:pos])):
            if mention.locative and mention.place.kind == "country":
                return mention.place.name
        return None

    @staticmethod
    def _same_clause(text: str, start: int, end: int) -> bool:
        """Whether `text[start:end]` (from a figure's words to a place after them) crosses no clause break: "the toll
        in nepal stands at 3,218 , and 20 died in tibet" names nepal for 3,218 before it, tibet is the 20's; but
        "killed five and injured 13 in tibet" shares its place. A place in a later clause is a figure's only when
        none comes before it."""
        return CLAUSE_BREAK_RE.search(text, start, end) is None

    def _carried_place(self, s: Sentence, q: Quantity, previous: list[Figure]) -> str | None:
        """The place of the sentence's figure before this one, where an attribution stands between them and this
        figure names none: "the toll in las vegas rose to 59 , the sheriff said ; 527 people were hurt". (The
        search of the words before a figure stops at an attribution, which may name the reporter's own place:
        "police in kabul said".) Not a breakdown's part's place ("including 35 in amatrice"), nor another event's,
        nor a refugee figure's (where refugees come from or go to is its own question)."""
        last = previous[-1] if previous else None
        if last is None or id(last) in self.breakdowns or last.other_event or last.metric == "refugees":
            return None
        end = self.placed.get(id(last))
        return last.place if end is not None and self.ctx.attribution_end(s, q.start) > end else None

    def _money(self, s: Sentence, q: Quantity, limit: int) -> Figure | None:
        if not q.value or not self._aid_context(s, q):
            return None
        text = s.text
        phrase = metrics.AID_PHRASE_RE.match(text, q.end)
        subject = phrase.group("phrase").lower() if phrase else "aid"
        span_end = phrase.end() if phrase else q.end
        fund = metrics.FUND_RE.match(text, q.end)
        if fund is not None:
            subject, span_end = f"{fund.group('acr')} allocation", fund.end()
        after = text[q.end :]
        recipients = [p for p in self.ctx.places(after) if p.locative]
        place = recipients[0].place.name if recipients else self.ctx.default_place
        source = self.ctx.donor_before(s, q.start)
        if source is None:
            donor = _DONOR_AFTER_RE.match(text, q.end) if self.ctx.cased else None
            source = self.ctx.person_name(donor.group("who")) if donor else None
        source = self.ctx.source_for(s, q.start, place) if source is None else self.ctx.canonical(source, place)
        return Figure(
            entry_id=self.update.entry_id,
            kind=self.update.kind,
            metric="aid",
            value=q.value if q.low is None else None,
            value_low=q.low,
            value_high=q.high,
            qualifier=q.qualifier,
            subject=subject,
            unit=q.currency or "USD",
            place=place,
            source=source,
            as_of=as_of_in(after, self.published),
            other_event=self._other_event(s, q.start, span_end, forecasts=False),
            restated=bool(_THE_SUM_BEFORE_RE.search(text, max(0, q.start - 40), q.start)),
            text=text[q.start : span_end].strip(" ,"),
        )

    def _aid_context(self, s: Sentence, q: Quantity) -> bool:
        """Whether the words around a sum make it aid ("pledged", "relief") and not a price, a fine or an appeal.
        The windows end at word ends: a window cut inside "said" would read "aid"."""
        text, low = s.text, s.lower
        window = _whole_words(text, q.start - 60, q.end + 60)
        near = _whole_words(text, q.start - 40, q.end + 40)
        if not metrics.AID.search(text, low, *window):
            return False
        strong = metrics.STRONG_AID.search(text, low, *window)
        if strong is None and metrics.CRISIS.search(text, low) is None and not self._crisis_blog():
            return False  # "a £50m fund", "pledges $ 20m": a budget line or a promise, unless about a crisis
        if metrics.NOT_AID.search(text, low, *near) is not None:
            return False
        if metrics.POLITICS.search(text, low, *window) is None:
            return True
        return metrics.HUMANITARIAN.search(text, low, *window) is not None


_QUALIFIER = r"(?:(?:at\s+least|more\s+than|over|about|around|nearly|some|up\s+to)\s+)?"
# Between a count's noun phrase and the next number, a coordination ("22 hostages and two gunmen") or an apposition
# ("seven people , including one police officer ,"): the words after both tell what befell them.
_COORDINATED_RE: Final = re.compile(rf"\s*(?:and|or)\s+{_QUALIFIER}\Z", re.IGNORECASE)
_APPOSED_RE: Final = re.compile(rf"\s*,\s*(?:including|among\s+them)\s+{_QUALIFIER}\Z", re.IGNORECASE)
_APPOSITION_END_RE: Final = re.compile(r"(?:\s+[\w'’-]+){0,2}\s*,")  # "one police officer ,"


def _joined_reach(text: str, start: int, noun_end: int, following: list[Quantity]) -> int | None:
    """Where the words that may name a count's metric end when its noun phrase is joined to the next count's, a
    people noun with no cue of its own ("22 hostages and two gunmen had been killed", "seven people , including one
    police officer , were injured": 22 killed, seven injured); None when it is not. An apposition must close with
    a comma ("five people , including two children who died" tells of the two only); a coordinated count that is a
    verb's object heads no clause ("it has infected 61 people and one person has died")."""
    if not following:
        return None
    nxt = following[0]
    coordinated = _COORDINATED_RE.match(text, noun_end, nxt.start) is not None and not _object_of_verb(text, start)
    if not coordinated and _APPOSED_RE.match(text, noun_end, nxt.start) is None:
        return None
    noun = _noun_phrase(text, nxt)
    if noun.subject is None or noun.metric is not None:
        return None
    if coordinated and _coordinated(text, nxt.start, noun.end) is not None:
        return None  # "28 men and 10 women were killed": one toll, the next count's figure sums this one
    if not coordinated:
        end = _APPOSITION_END_RE.match(text, noun.end)
        if end is None or metrics.CUE_RE.search(end.group()) is not None:
            return None
    return min(following[1].start if len(following) > 1 else len(text), noun.end + _CUE_REACH)


_VERB_BEFORE_RE: Final = re.compile(rf"\b(?!(?:said|reported|confirmed|added|stated)\b)\w+(?:ed|ing)\s+{_QUALIFIER}\Z")


def _object_of_verb(text: str, start: int) -> bool:
    """Whether the count at `start` follows a verb in -ed or -ing ("infected 61 people"), other than one of saying."""
    return _VERB_BEFORE_RE.search(text, max(0, start - 40), start) is not None


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span `text[start:end]` (clipped to the text) widened to whole words at both ends."""
    start, end = max(0, start), min(len(text), end)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


_ANOTHER_RE: Final = re.compile(r"\b(?:another|a\s+further)\s+$", re.IGNORECASE)
# Before a casualty cue after a number: the cue names the people the counted ones serve ("1,500 people gave blood
# for those wounded", "200 volunteers caring for the injured"), not what befell them ("among the injured" does; so
# does "treated for the injuries", a cue that is no people noun).
# What the people counted did, or had done to them, that is not the casualty after it: "two men have been arrested
# by police investigating the death", "five others convicted of the bombings which killed 21".
_NOT_VICTIMS_RE: Final = re.compile(
    r"\b(?:arrest(?:ed|s)?|charged|convicted|detained|jailed|sentenced|questioned|accused|investigat\w+|held\s+over)\b",
    re.IGNORECASE,
)


_SURVIVED_RE: Final = re.compile(r"\b(?:survived|survive|unharmed|unhurt)\b", re.IGNORECASE)
_DENIED_RE: Final = re.compile(
    r"\bno\s+(?:(?:serious|major|other|further|reported)\s+)?$", re.IGNORECASE
)  # "no injuries"
_ARRESTED_BEFORE_RE: Final = re.compile(
    r"\b(?:arrested|detained|charged|questioned|held)\s+(?:(?:a\s+)?(?:further|more|another|other)\s+)?$",
    re.IGNORECASE,
)
_ARRESTED_REACH: Final = 30
_DENIED_REACH: Final = 25  # "no serious " before the cue


def _not_the_victims(text: str, start: int, cue: re.Match[str], number: int) -> bool:
    """Whether the casualty cue found in `text[start:]` after a count of people (its number at `number`) is not
    about them: an arrest or a charge between ("two men have been arrested over the death of a teenager") or right
    before ("police have arrested four more people over the murder of ..."), people who survived or a denial
    between ("all 108 on board survived , and there were no serious injuries"), or a verb with a count of its own
    ("the eight attackers who killed 127 people": its victims are the 127)."""
    if _NOT_VICTIMS_RE.search(text, start, start + cue.start()) is not None:
        return True
    at = start + cue.start()
    if _SURVIVED_RE.search(text, start, at) is not None or _DENIED_RE.search(text, max(0, at - _DENIED_REACH), at):
        return True
    if _ARRESTED_BEFORE_RE.search(text, max(0, number - _ARRESTED_REACH), number) is not None:
        return True
    word = cue.group().lower()
    transitive = word.endswith(("ed", "ing")) and word not in ("died", "dying")  # "died five months earlier"
    return transitive and _OBJECT_RE.match(text, start + cue.end()) is not None


_OTHERS_RE: Final = re.compile(
    r"\b(?:for|to|treating|treated|treat|helping|helped|help|visiting|visited|visit|mourning|mourned|mourn)"
    r"\s+(?:the|those)\s+$",
    re.IGNORECASE,
)
_THE_BEFORE_RE: Final = re.compile(r"(?:^|\W)the\s+$", re.IGNORECASE)
_RELATIVE_AFTER_RE: Final = re.compile(r"\s+(?:who|that|which)\b", re.IGNORECASE)


#: "the $500 million", "the newly announced $500 million": a sum named as already known. (Not "the additional
#: $500 million" or "the first $500 million": those are new money.)
_THE_SUM_BEFORE_RE: Final = re.compile(
    r"(?:^|\W)the\s+(?:(?:newly|recently|already|previously)\s+)?(?:(?:announced|promised|pledged|committed"
    r"|approved|agreed)\s+)?$",
    re.IGNORECASE,
)


def _back_reference(text: str, q: Quantity) -> bool:
    """ "two million children are among the four million who have fled": a count named as already known (the
    definite article, then a relative clause) restates someone's figure: a mention, not a claim, and not the
    sentence's speaker's (so it takes no source)."""
    return bool(_THE_BEFORE_RE.search(text, max(0, q.start - 5), q.start)) and bool(
        _RELATIVE_AFTER_RE.match(text, q.end)
    )


def _share(before: list[str]) -> bool:
    """Whether the words before a number make it the base of a share: "one in 10", "eight in 10"."""
    if len(before) < 2 or before[-1] != "in":
        return False
    word = before[-2]
    return word.isdigit() or word in _SHARE_WORDS


def _word_before(text: str, mention: PlaceMention) -> str:
    words = text[max(0, mention.start - 14) : mention.start].split()
    return words[-1].lower() if words else ""


_METRICS: Final[dict[str, Metric]] = {
    m: m
    for m in (
        "killed",
        "injured",
        "casualties",
        "refugees",
        "internally_displaced",
        "remaining",
        "missing",
        "evacuated",
        "aid",
    )
}


def _as_metric(name: str) -> Metric:
    return _METRICS[name]


def extract_figures(update: RawUpdate, *, default_place: str | None = None) -> list[Figure]:
    """Every figure about people or aid in `update` (headline and body), in reading order.

    `default_place` is the blog's main place (see `guess_default_place`), used when neither the sentence
    nor the entry names one.
    """
    return _Extractor(update, default_place).run()


def extract_with_context(update: RawUpdate, default_place: str | None) -> tuple[list[Figure], EntryContext]:
    """The figures and the entry context they were read with (so `enrich` reuses its attributions)."""
    extractor = _Extractor(update, default_place)
    return extractor.run(), extractor.ctx
