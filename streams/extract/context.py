"""What an entry tells about all of its figures: its sentences, main place, sources and as-of date."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cached_property, lru_cache
from typing import Final, Literal, NamedTuple

from schemas.models import RawUpdate
from streams.extract.metrics import AID, CUE
from streams.extract.numbers import quantities_in
from streams.extract.orgs import OrgRegistry
from streams.extract.places import PlaceMention, dominant_country, find_places, home_regions, lookup, title_places
from streams.extract.sources import AGENCY_NAMES, WIRES, Attribution, agencies_in, find_attributions
from streams.extract.text import AS_OF, DATE_WORDS, Caseless, lowered, resolve_date, sentences, words_of

_AS_OF_CONTEXT: Final = Caseless(r"\b(?:figures|data|toll|casualties|recorded|count|tally|statistics|numbers)\b")
# "the civil defence agency", "the news agency": an agency named by its words, that "the agency" may refer back to.
_AGENCY_NP_RE: Final = re.compile(
    r"\bthe\s+((?:(?!the\b|same\b|other\b|agency\b)[^\W\d_][\w-]*\s+){1,3})agency\b", re.I
)
_BARE_AGENCY: Final = "Agency"  # the reporter "the agency" (`sources._org_name`), before it is resolved


class Sentence(NamedTuple):
    """One sentence of an entry (a named tuple: cheaper to build than a frozen dataclass)."""

    part: Literal["headline", "body"]
    ordinal: int  # position among the entry's sentences
    text: str
    start: int = 0  # offset in "headline\nbody"
    lower: str | None = None  # `lowered(text)`, for the case-insensitive regexes (`text.Caseless`)


@lru_cache(maxsize=4096)
def _trusted(title: str | None) -> frozenset[str]:
    return title_places(title)


@lru_cache(maxsize=4096)
def _home_regions(title: str | None) -> frozenset[tuple[str, str]]:
    return home_regions(title)


@lru_cache(maxsize=4096)
def _guess(title: str | None, headline: str | None) -> str | None:
    texts = [t for t in (title, headline) if t]
    return dominant_country(texts) if texts else None


# Words that say a figure is hearsay with no reporter named ("15 people were reportedly killed", "unconfirmed
# reports say"): the reporter of the sentence before is not this figure's.
_HEARSAY_RE: Final = re.compile(
    r"\b(?:reportedly|(?:unconfirmed|local|media|news|some|other|early|initial|first)\s+reports|reports\s+(?:say|said|"
    r"suggest|suggested|indicate|indicated)|according\s+to\s+(?:unconfirmed\s+|local\s+|media\s+)?reports|it\s+(?:is|was)"
    r"\s+reported|there\s+(?:are|were)\s+reports)\b",
    re.IGNORECASE,
)
CLAUSE_BREAK_RE: Final = re.compile(r"[;:()]|,(?!\d)|(?<!\d),|\s[-–—]+\s")  # not the comma of "1,300"


def _hearsay(text: str, pos: int) -> bool:
    """Whether the clause around `pos` tells its figure as hearsay (`_HEARSAY_RE`): "15 were killed when gunmen ,
    who reportedly belonged to a cartel , attacked" is not."""
    start = max((m.end() for m in CLAUSE_BREAK_RE.finditer(text, 0, pos)), default=0)
    end = CLAUSE_BREAK_RE.search(text, pos)
    return _HEARSAY_RE.search(text, start, len(text) if end is None else end.start()) is not None


_TRAILING: Final = " \t\n•·*-–"  # what may follow a sentence's colon before the list it introduces: "breakdown:\n\n• "


class EntryContext:
    """Per-update state shared by the figures of one update; attributions are computed on demand."""

    def __init__(self, update: RawUpdate, default_place: str | None) -> None:
        headline = update.headline or ""
        body = update.body
        self.cased = (headline + body) != (headline + body).lower()
        self.trusted = _trusted(update.blog_title)  # places the title names: taken in lower-case text
        self._update = update
        self._given_place = default_place
        self.sentences: list[Sentence] = []
        self._spans: list[tuple[int, int]] = []  # each sentence's span in `_text` ("headline\nbody")
        stripped = headline.strip()
        if stripped:
            self.sentences.append(Sentence("headline", 0, stripped, 0, lowered(stripped)))
            lead = len(headline) - len(headline.lstrip())
            self._spans.append((lead, lead + len(stripped)))
        offset = len(headline) + 1
        covered = 0  # how much of the body the sentences so far cover
        self._plain_gaps = True  # whether only whitespace lies between the sentences (see `entities`)
        for start, end in sentences(body):
            text = body[start:end]
            self.sentences.append(Sentence("body", len(self.sentences), text, offset + start, lowered(text)))
            self._spans.append((offset + start, offset + end))
            self._plain_gaps = self._plain_gaps and not body[covered:start].strip()
            covered = end
        self._plain_gaps = self._plain_gaps and not body[covered:].strip()
        # Each sentence's words, found once for its number and reporting-verb searches.
        self.words = [words_of(s.text.lower() if s.lower is None else s.lower) for s in self.sentences]
        self._agencies: list[tuple[int, int, str]] | None = None
        self._agency_starts: list[int] = []  # where each of `_agencies` starts, for `bisect`
        self._sentence_agencies: dict[int, list[tuple[int, int, str]] | None] = {}  # by ordinal (`_within`)
        self._attributions: dict[int, list[Attribution]] = {}
        self._people: dict[str, str | None] = {}  # surname -> full name (`_full_name`)
        self._orgs: OrgRegistry | None = None
        self._canonical: dict[tuple[str, str | None], str] = {}
        self._text = f"{headline}\n{body}"

    # The entry-wide fallbacks below are read only for a figure: most entries of a real archive have none, and
    # guessing a place from a whole body costs as much as the rest of the context together.

    @cached_property
    def default_place(self) -> str | None:
        """The blog's main place as given, else guessed from the title and headline, else from the body."""
        update = self._update
        return self._given_place or _guess(update.blog_title, update.headline) or _guess(None, update.body)

    @cached_property
    def entry_place(self) -> str | None:
        """The headline's city, else the default place."""
        return self._headline_place(self._update.headline or "") or self.default_place

    @cached_property
    def as_of(self) -> str | None:
        """The day the body says its figures are as of, if it says one."""
        return self._entry_as_of(self._update, self._update.body)

    @cached_property
    def country(self) -> str | None:
        """The default place's country."""
        place = lookup(self.default_place) if self.default_place else None
        return place.country if place is not None else None

    def places(self, text: str) -> list[PlaceMention]:
        """The places `text` (a part of this entry) names, read as the entry's places are: cased or not, the title's
        places trusted, shared city names the blog's country's."""
        return find_places(text, cased=self.cased, trusted=self.trusted, home=self.home)

    @cached_property
    def home(self) -> str | None:
        """The country of the blog's main place as given (none guessed): whose city a shared name means."""
        place = lookup(self._given_place) if self._given_place else None
        return place.country if place is not None else None

    @property
    def home_regions(self) -> frozenset[tuple[str, str]]:
        """The (country, region) pairs the blog's title names (`places.home_regions`)."""
        return _home_regions(self._update.blog_title)

    @property
    def orgs(self) -> OrgRegistry:
        if self._orgs is None:
            self._orgs = OrgRegistry(self._text, cased=self.cased)
            self._orgs.add([a for a in self.agencies() if a[2] not in WIRES])
        return self._orgs

    def agencies(self) -> list[tuple[int, int, str]]:
        """`agencies_in` the entry's text (headline, line break, body), searched once: the organisations, each
        sentence's attributions and the entities all read it (it used to be searched three times per entry)."""
        if self._agencies is None:
            # the text's runs of a-z are its sentences' (the letters between sentences are none)
            runs = None if self.cased else frozenset().union(*self.words)
            self._agencies = agencies_in(self._text, cased=self.cased, runs=runs)
            self._agency_starts = [a[0] for a in self._agencies]
        return self._agencies

    def _within(self, start: int, end: int) -> list[tuple[int, int, str]] | None:
        """The entry's agencies inside `_text[start:end]`, offsets in that slice: what `agencies_in` finds in the
        slice, since a sentence starts after whitespace and ends on it (or at the end of the text), no agency name
        starts or ends on whitespace, and the patterns look at most one character around a name. None when a
        name runs across `start` or `end` ("Red\\nCross" over a line break): then only a search of the slice can
        say.

        The agencies are in order and do not overlap (`agencies_in` goes on after each name's end), so only those
        from the last one starting before `start` to the first starting at `end` or later are looked at."""
        agencies = self.agencies()
        found = []
        for a_start, a_end, name in agencies[max(0, bisect_left(self._agency_starts, start) - 1) :]:
            if a_start >= end:
                break  # neither inside the slice nor across its ends, and so neither is any after it
            if a_start < start < a_end or a_start < end < a_end:
                return None
            if start <= a_start and a_end <= end:
                found.append((a_start - start, a_end - start, name))
        return found

    def sentence_agencies(self, sentence: Sentence) -> list[tuple[int, int, str]]:
        """`agencies_in(sentence.text)`, read off the entry's (per sentence, on first need)."""
        ordinal = sentence.ordinal
        if ordinal in self._sentence_agencies:
            found = self._sentence_agencies[ordinal]
        else:
            found = self._sentence_agencies[ordinal] = self._within(*self._spans[ordinal])
        return agencies_in(sentence.text, cased=self.cased) if found is None else found

    def canonical(self, name: str | None, place: str | None = None) -> str | None:
        """One name per reporter (see `orgs.py`); remembered per entry, whose figures mostly share a reporter (the
        registry's answer depends on the name and place only: what it learns on first need, it would learn anyway)."""
        if name is None or name in AGENCY_NAMES:
            return name
        key = (name, place)
        found = self._canonical.get(key)
        if found is None:
            found = self._canonical[key] = self.orgs.canonical(name, place=place, country=self.country)
        return found

    def _headline_place(self, headline: str) -> str | None:
        for mention in self.places(headline):
            place = mention.place
            in_country = self.default_place is None or place.country == self.default_place
            if mention.locative and place.kind == "city" and in_country:
                return place.name
        return None

    def _entry_as_of(self, update: RawUpdate, body: str) -> str | None:
        low = lowered(body)
        body_words = (words for s, words in zip(self.sentences, self.words, strict=True) if s.part == "body")
        if low is not None and all(DATE_WORDS.isdisjoint(words) for words in body_words):
            return None  # `AS_OF` names a day by a whole word (month, weekday, today): a set test spares the search
        for m in AS_OF.finditer(body, low):
            if _AS_OF_CONTEXT.search(body, low, max(0, m.start() - 120), m.end()):
                found = resolve_date(m.group("d") or m.group("d2"), update.published.date())
                if found is not None:
                    return found.isoformat()
        return None

    def attributions(self, sentence: Sentence) -> list[Attribution]:
        found = self._attributions.get(sentence.ordinal)
        if found is None:
            found = find_attributions(
                sentence.text,
                cased=self.cased,
                agencies=self.sentence_agencies(sentence),
                sentence_words=self.words[sentence.ordinal],
                lower=sentence.lower,  # `lowered(text)`: `text.lower()` when not None
            )
            self._attributions[sentence.ordinal] = found
        return found

    def _full_name(self, surname: str) -> str | None:
        """The entry's first named reporter whose name has more than one word and ends on `surname`, else None.

        Looked up per surname rather than by reading every sentence's attributions up front: almost every lookup
        misses, and building the registry was most of the extractor's attribution searches. A sentence in ASCII
        whose lower-cased text lacks the surname after whitespace is skipped unread: a reporter's name is made of
        the sentence's words (some capitalised, which in ASCII changes nothing lower-cased), and the last word of a
        name of two or more follows whitespace."""
        if surname in self._people:
            return self._people[surname]
        low = surname.lower()
        found = None
        for sentence in self.sentences:
            if sentence.lower is not None and sentence.text.isascii() and not _after_space(sentence.lower, low):
                continue
            found = next(
                (
                    att.name
                    for att in self.attributions(sentence)
                    if att.kind == "person" and " " in att.name and att.name.split()[-1] == surname
                ),
                None,
            )
            if found is not None:
                break
        self._people[surname] = found
        return found

    def person_name(self, name: str) -> str:
        """'Makrushin' -> 'Oleksandr Makrushin' when the entry names him in full; titles dropped."""
        words = [w for w in name.split() if w.lower() not in ("president", "mr", "mr.", "mrs.", "ms.")]
        if not words:
            return name.strip()
        if len(words) == 1:
            return self._full_name(words[0]) or words[0]
        return " ".join(words)

    def _resolve(self, att: Attribution, sentence: Sentence) -> str | None:
        found = self._resolve_kind(att, sentence)
        if found == _BARE_AGENCY:  # "according to the agency", "the head of the agency said"
            return self._agency_before(sentence.start + att.start) or found
        return found

    def _agency_before(self, pos: int) -> str | None:
        """The agency "the agency" at `pos` refers back to, when the entry names one before it by its words ("the
        civil defence agency has raised the toll ... the head of the agency said"): the last such phrase that is
        no known organisation's name (those `canonical` maps already: "the un children 's agency" is UNICEF).
        None when there is none."""
        known = [(start, end) for start, end, _ in self.agencies()]
        found = None
        for m in _AGENCY_NP_RE.finditer(self._text, 0, pos):
            if not any(start < m.end() and m.start() < end for start, end in known):
                found = _title(m.group(1)) + " Agency"
        return found

    def _resolve_kind(self, att: Attribution, sentence: Sentence) -> str | None:
        if att.kind == "pronoun":
            want_person = att.name in ("he", "she", "i")
            found = self._recent(sentence, att.start, person=want_person)
            if found is None and not want_person:  # "The United Nations launched ... It said": the last named
                found = self.orgs.latest(before=sentence.start + att.start)
            return found
        if att.kind == "person":
            return att.org or self.person_name(att.name)  # an official speaking for an agency is the agency
        return att.name

    def _recent(self, sentence: Sentence, pos: int, *, person: bool) -> str | None:
        """The latest reporter before `pos`: a person for "he"/"she", an organisation for "it"/"they"."""
        for s in reversed(self.sentences[: sentence.ordinal + 1]):
            for att in reversed(self.attributions(s)):
                if s is sentence and att.start >= pos:
                    continue
                if att.kind == "pronoun":
                    continue
                if (att.kind == "person") == person:
                    return self.person_name(att.name) if person else att.name
        return None

    def attribution_start(self, sentence: Sentence, pos: int) -> int:
        """Where the first attribution after `pos` starts (", police said"), else the sentence's end."""
        starts = [a.start for a in self.attributions(sentence) if a.start >= pos]
        return min(starts, default=len(sentence.text))

    def attribution_end(self, sentence: Sentence, pos: int) -> int:
        ends = [a.end for a in self.attributions(sentence) if a.end <= pos]
        return max(ends, default=0)

    def source_for(self, sentence: Sentence, pos: int, place: str | None = None) -> str | None:
        """Who reported the figure at `pos` (canonical, see `orgs.py`): the sentence's reporter, else the entry's."""
        return self.canonical(self._source_for(sentence, pos), place)

    def _source_for(self, sentence: Sentence, pos: int) -> str | None:
        atts = self.attributions(sentence)
        if atts:
            before = [a for a in atts if a.end <= pos]
            pick = before[-1] if before else next((a for a in atts if a.start >= pos), atts[-1])
            if pick.name in WIRES:
                pick = next((a for a in atts if a.name not in WIRES), pick)
            resolved = self._resolve(pick, sentence)
            if resolved:
                return resolved
        if sentence.part == "headline":
            return self._first_body_source()
        if _hearsay(sentence.text, pos):
            return None  # "15 people were reportedly killed": nobody named, not the sentence before's reporter
        for s in reversed(self.sentences[: sentence.ordinal]):
            if s.part == "headline":
                break
            found = self._preferred(s)
            if found:
                return found
            if self.attributions(s) or not self._tells_figures(s):
                break  # a reporter further back, past a sentence about something else, is not this one's
        headline = self.sentences[0] if self.sentences and self.sentences[0].part == "headline" else None
        if headline is not None:
            for att in self.attributions(headline):
                resolved = self._resolve(att, headline)
                if resolved:
                    return resolved
        return None

    def _tells_figures(self, sentence: Sentence) -> bool:
        """Whether a sentence tells of a count (a casualty word, a word for figures, a sum of aid) or introduces
        one (ends on a colon): a reporter's statement goes on into the next sentence, and further only through a
        run of such sentences ("police said five died . twelve more were hurt . 200 were evacuated ."), not past
        one about something else ("police said five died . the town hall was shut . 20 more were hurt .")."""
        text, low = sentence.text, sentence.lower
        if text.rstrip(_TRAILING).endswith(":") or CUE.search(text, low) or _AS_OF_CONTEXT.search(text, low):
            return True  # "the agency gave these figures by district :" introduces the lines after it
        return (
            AID.search(text, low) is not None
            and next(quantities_in(text, low, self.words[sentence.ordinal]), None) is not None
        )

    def _preferred(self, sentence: Sentence) -> str | None:
        """A sentence's reporter for the sentences after it: an agency (or a person's agency) first."""
        atts = self.attributions(sentence)
        for att in reversed(atts):
            if att.kind == "agency" and att.name not in WIRES:
                return att.name
            if att.org:
                return att.org
        for att in reversed(atts):
            resolved = self._resolve(att, sentence)
            if resolved:
                return resolved
        return None

    def _first_body_source(self) -> str | None:
        for s in self.sentences:
            if s.part == "body":
                for att in self.attributions(s):
                    resolved = self._resolve(att, s)
                    if resolved and resolved not in WIRES:
                        return resolved
        return None

    def donor_before(self, sentence: Sentence, pos: int) -> str | None:
        """The organisation or country giving money named before it ("the U.S. intends to provide $500m")."""
        agencies = self.sentence_agencies(sentence)
        if (pos == 0 or sentence.text[pos - 1].isspace()) and not any(a[0] < pos < a[1] for a in agencies):
            found = [a for a in agencies if a[1] <= pos]  # what a search of `text[:pos]` finds, then
        else:
            found = agencies_in(sentence.text[:pos], cased=self.cased)
        return found[-1][2] if found else None

    def entities(self) -> list[str]:
        """Agencies and named reporters in the entry, in order of first mention."""
        seen: dict[str, None] = {}
        if self._plain_gaps:  # the sentences joined differ from the entry's text in whitespace only
            agencies = self.agencies()
        else:
            agencies = agencies_in("\n".join(s.text for s in self.sentences), cased=self.cased)
        for _, _, name in agencies:
            seen.setdefault(name, None)
        for sentence in self.sentences:
            for att in self.attributions(sentence):
                if att.kind == "person":
                    seen.setdefault(self.person_name(att.name), None)
        return list(seen)


def _after_space(text: str, word: str) -> bool:
    """Whether `word` occurs in `text` right after a whitespace character."""
    at = text.find(word, 1)
    while at != -1:
        if text[at - 1].isspace():
            return True
        at = text.find(word, at + 1)
    return False


def _title(words: str) -> str:
    """'civil defence ' -> 'Civil Defence'."""
    return " ".join(w.capitalize() for w in words.split())
