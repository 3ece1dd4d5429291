"""Sentences and dates: splitting an update into sentences, resolving "as of Tuesday" to an ISO date."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Final

# IGNORECASE matches two characters to an ASCII letter that lower-casing does not turn into it: dotless i
# (\u0131) and long s (\u017f); `lowered` refuses text that has them.
_ESCAPES_RE: Final = re.compile(r"\\.|\(\?P<\w+>")


_WORDS_RE: Final = re.compile(r"[a-z]+")


def words_of(low: str) -> frozenset[str]:
    """The words (runs of a-z) of lower-cased text: a sentence's, found once for the searches that start from a
    few words (numbers, reporting verbs)."""
    return frozenset(_WORDS_RE.findall(low))


def lowered(text: str) -> str | None:
    """`text` lower-cased, if that keeps every offset and every case-insensitive match of a lower-case pattern;
    else None (a few characters grow when lower-cased: "İ")."""
    low = text.lower()
    # `in` scans in C; `frozenset.isdisjoint(text)` builds a string per character (4% of the extractor's time)
    return low if len(low) == len(text) and "\u0131" not in text and "\u017f" not in text else None


class Caseless:
    """A case-insensitive regex that runs case-sensitively on the lower-cased text when the caller has it
    (`lowered`): the engine only skips alternatives on their first character when matching case-sensitively,
    so this is about twice as fast. Matches have the same spans; their groups are lower-cased."""

    __slots__ = ("any_case", "lower")

    def __init__(self, pattern: str) -> None:
        if re.search("[A-Z]", _ESCAPES_RE.sub("", pattern)):
            raise ValueError(f"not a lower-case pattern: {pattern!r}")
        self.any_case = re.compile(pattern, re.IGNORECASE)
        self.lower = re.compile(pattern)

    def search(self, text: str, low: str | None, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """`any_case.search(text, pos, endpos)`, on `low` (`lowered(text)`) when it is not None."""
        if low is None:
            return self.any_case.search(text, pos, endpos)
        return self.lower.search(low, pos, endpos)

    def finditer(self, text: str, low: str | None) -> Iterator[re.Match[str]]:
        """`any_case.finditer(text)`, on `low` (`lowered(text)`) when it is not None."""
        return self.any_case.finditer(text) if low is None else self.lower.finditer(low)


# A sentence ends at . ! ? (and closing quotes) before whitespace, unless the period closes an abbreviation, or
# at a line break (and a bullet). This is `[.!?]+[\"”’')\]]*\s+|\n+\s*(?:[•*-]\s+)?` starting with a character
# class, which lets the engine skip to the next candidate in C: five times faster.
_BOUNDARY_RE: Final = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*[\"”’')\]]*\s+|(?<=\n)\n*\s*(?:[•*-]\s+)?)")
_ABBREV_RE: Final = re.compile(
    r"(?:\b[A-Za-z]\.[A-Za-z](?:\s?\.)?|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sgt|Rep|Sen|Gov|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|"
    r"Sept|Oct|Nov|Dec|approx|vs|Inc|Ltd|Co)\.)$"
)
MONTHS: Final = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: The words one of which every `AS_OF` match has, each a whole run of a-z (a month, a weekday, yesterday, today).
DATE_WORDS: Final = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december", *WEEKDAYS, "yesterday", "today"]
)  # fmt: skip
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = rf"(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH}|{'|'.join(WEEKDAYS)}|yesterday|today)"
# "as of Tuesday", "by 6pm on March 29", "between Monday and Wednesday" (d2: the later day). Written as
#   \b(?:as\s+(?:of|at)|by|until|up\s+to|through)\s+(?:TIME\s+(?:on\s+)?)?(?:on\s+)?(?P<d>DATE)\b
#   |\bbetween\s+DATE\s+and\s+(?P<d2>DATE)\b
# but starting with the first letter ([abtu], then `(?<!\w.)` for the `\b` before it and `(?<=a)` for which one it
# was): a pattern that starts with a character class is searched several times faster, in the same order.
_AS_OF_TIME = r"(?:\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?|noon|midnight|\w+\s+(?:morning|evening|night))"
AS_OF: Final = Caseless(
    rf"[abtu](?<!\w.)(?:(?:(?<=a)s\s+(?:of|at)|(?<=b)y|(?<=u)ntil|(?<=u)p\s+to|(?<=t)hrough)\s+"
    rf"(?:{_AS_OF_TIME}\s+(?:on\s+)?)?(?:on\s+)?(?P<d>{_DATE})\b"
    rf"|(?<=b)etween\s+{_DATE}\s+and\s+(?P<d2>{_DATE})\b)"
)
AS_OF_RE: Final = AS_OF.any_case


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in `text`; copes with "U.N." and tokenised "u.n said ." text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.group()[0] == "." and _ABBREV_RE.search(text, max(0, m.start() - 8), m.start() + 1):
            continue  # "U.N. said", "Mr. Putin": an abbreviation, not the end of a sentence
        if text[start : m.start()].strip():
            spans.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def resolve_date(phrase: str, published: date) -> date | None:
    """'Tuesday' -> the last Tuesday on or before `published`; 'March 29' / '29 March' -> that day."""
    low = phrase.lower().strip()
    if low == "today":
        return published
    if low == "yesterday":
        return published - timedelta(days=1)
    if low in WEEKDAYS:
        return published - timedelta(days=(published.weekday() - WEEKDAYS.index(low)) % 7)
    parts = low.replace(",", " ").split()
    month = next((MONTHS[p] for p in parts if p in MONTHS), None)
    day = next((int(re.sub(r"\D", "", p)) for p in parts if p[:1].isdigit()), None)
    if month is None or day is None:
        return None
    try:
        found = date(published.year, month, day)
    except ValueError:
        return None
    return found if found <= published + timedelta(days=1) else found.replace(year=found.year - 1)


def as_of_in(text: str, published: date, *, low: str | None = None) -> str | None:
    """The ISO date a stretch of text says its figures refer to ("as of Tuesday", "between X and Y"); `low` is
    `lowered(text)` when the caller has it (faster)."""
    m = AS_OF.search(text, low)
    if m is None:
        return None
    resolved = resolve_date(m.group("d") or m.group("d2"), published)
    return resolved.isoformat() if resolved else None
