"""Quantities as newsrooms write them: "1,189", "4 million", "four million", "£2m", "half a million", "hundreds".

`find_quantities(text)` yields every candidate quantity with its span; whether it is a *figure* (about people
or aid) is decided later by `figures.py`. Word numbers are read by `text2num` (Allo-Media's parser); the few
idioms it does not know ("a dozen", "half a million") and vague quantities are handled here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Literal, NamedTuple

from text_to_num import text2num

from streams.extract.text import lowered

QualifierKind = Literal["exact", "at_least", "at_most", "approx", "range"]

_QUALIFIERS: dict[str, QualifierKind] = {
    "more than": "at_least",
    "over": "at_least",
    "at least": "at_least",
    "in excess of": "at_least",
    "upwards of": "at_least",
    "just over": "at_least",
    "well over": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "up to": "at_most",
    "less than": "at_most",
    "fewer than": "at_most",
    "as many as": "at_most",
    "at most": "at_most",
    "no more than": "at_most",
    "just under": "at_most",
    "under": "at_most",
    "nearly": "approx",
    "almost": "approx",
    "about": "approx",
    "around": "approx",
    "some": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "an estimated": "approx",
    "estimated": "approx",
    "close to": "approx",
    "approx.": "approx",
    "circa": "approx",
}

_UNITS = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety""".split()  # noqa: SIM905
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX_SCALES = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Vague quantities and the lower bound they imply ("hundreds" means at least two hundred).
VAGUE: dict[str, int] = {
    "hundreds of thousands": 200_000,
    "tens of thousands": 20_000,
    "tens of millions": 20_000_000,
    "hundreds": 200,
    "thousands": 2_000,
    "millions": 2_000_000,
    "dozens": 24,
    "scores": 40,
}
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "usd": "USD", "gbp": "GBP", "eur": "EUR"}
_CURRENCY_WORDS = {"dollars": "USD", "pounds": "GBP", "sterling": "GBP", "euros": "EUR"}

_QUAL_RE = "|".join(re.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True))
_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
_WORDS_RE = rf"(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*"
_DIGITS_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SUFFIX_RE = "|".join(sorted(_SUFFIX_SCALES, key=len, reverse=True))
_VAGUE_RE = "|".join(re.escape(v) for v in VAGUE)
_NUMBER_RE = (
    rf"(?:(?P<cur>us\$|[$£€]|(?:usd|gbp|eur)(?=\s?\d))\s?)?"
    rf"(?:(?P<digits>{_DIGITS_RE})(?:\s?(?P<suffix>{_SUFFIX_RE})\b)?(?![\w%]|-(?!\d)|\.\d|,\d)"
    rf"|(?P<half>half\s+a\s+(?:million|billion))\b"
    rf"|(?P<dozen>a\s+dozen|(?:{_WORD})\s+dozen)\b"
    rf"|(?P<vague>{_VAGUE_RE})\b"
    rf"|(?P<words>(?:a\s+(?:hundred|thousand|million|billion)(?:\s+and\s+a\s+half)?|{_WORDS_RE}))\b)"
)
QUANTITY_RE = re.compile(
    rf"(?<![\w.,$£€-])(?=[^\W_]|[$£€])(?:(?P<qual>{_QUAL_RE})\s+)?"
    rf"(?:between\s+(?P<lo>{_NUMBER_RE.replace('?P<', '?P<lo_')})\s+and\s+)?"
    rf"(?P<num>{_NUMBER_RE})"
    rf"(?:\s*(?:-|–|to)\s*(?P<hi>{_NUMBER_RE.replace('?P<', '?P<hi_')}))?"
    rf"(?:\s+(?P<curword>dollars|pounds|sterling|euros)\b)?",
    re.IGNORECASE,
)


class Quantity(NamedTuple):
    """A quantity found in text; `value` is the lower bound for vague ones, None for a range.

    A named tuple: a dozen are built per entry, and a frozen dataclass costs twice as much to build.
    """

    start: int
    end: int
    num_start: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: QualifierKind
    vague: bool
    currency: str | None
    is_year_like: bool


def _value(groups: dict[str, str | None], prefix: str = "") -> tuple[float | None, bool]:
    """The numeric value of one matched number (named groups with `prefix`), and whether it is vague."""
    digits = groups[prefix + "digits"]
    if digits is not None:
        suffix = groups[prefix + "suffix"]
        return _scaled(digits, _SUFFIX_SCALES[suffix.lower()] if suffix else 1), False
    if groups[prefix + "half"] is not None:
        return 0.5 * _SCALES[groups[prefix + "half"].split()[-1].lower()], False  # type: ignore[union-attr]
    dozen = groups[prefix + "dozen"]
    if dozen is not None:
        head = dozen.split()[0].lower()
        return 12.0 * (1 if head == "a" else parse_words(head) or 0), False
    vague = groups[prefix + "vague"]
    if vague is not None:
        return float(VAGUE[" ".join(vague.lower().split())]), True
    words = groups[prefix + "words"]
    return (parse_words(words) if words else None), False


def _scaled(digits: str, scale: int) -> float:
    """ "4.1" x 1,000,000 -> 4100000.0 exactly: scaled in decimal, since 4.1 * 1e6 in binary is 4099999.999..."""
    plain = digits.replace(",", "")
    if "." not in plain:
        return float(int(plain) * scale)
    return float(Decimal(plain) * scale)


@lru_cache(maxsize=4096)
def parse_words(text: str) -> float | None:
    """ "four million" -> 4e6, "a hundred" -> 100, "one hundred and forty-two" -> 142; None if not a number.

    Remembered: news text spells the same few numbers again and again, and `text2num` reads each word by word."""
    norm = " ".join(text.lower().replace("-", " ").split())
    half = norm.endswith(" and a half")
    if half:
        norm = norm.removesuffix(" and a half")
    if norm.startswith("a "):
        norm = "one " + norm[2:]
    try:
        value = float(text2num(norm, "en"))
    except ValueError:
        return None
    if half:
        value *= 1.5
    return value


def parse_quantity(text: str) -> Quantity | None:
    """The quantity that `text` starts with (a convenience for tests and callers)."""
    match = QUANTITY_RE.match(text.strip())
    return _build(match) if match else None


_NUMBER_TOKENS = frozenset(
    [*_UNITS, *_SCALES, "dozen", "dozens", "half", "hundreds", "thousands", "millions", "scores", "tens"]
)
# `QUANTITY_RE` without IGNORECASE, for lower-cased text: twice as fast (the engine dispatches alternatives on
# their first character only when matching case-sensitively), and `_build` lower-cases every group it reads.
_QUANTITY_LOWER_RE = re.compile(QUANTITY_RE.pattern)
_DIGITS_FIND_RE = re.compile(r"\d+")
_LETTERS_RE = re.compile(r"[a-z]+")
_WORD_START_RE = re.compile(r"[^\W_]+")
_QUALIFIER_WORDS = 3  # "no fewer than", "in excess of": how far before a number a match may start
_CURRENCY_BEFORE_RE = re.compile(r"(?:us\$|[$£€]|usd|gbp|eur)\s?$")  # on lower-cased text
_CURRENCY_BEFORE_ANY_CASE_RE = re.compile(_CURRENCY_BEFORE_RE.pattern, re.IGNORECASE)
# The words a `QUANTITY_RE` match can start with: a qualifier's first word, "between", a currency code, a number
# word or vague quantity, "a" ("a dozen") and "half". Each regex alternative ends its first word at a non-word
# character, so a word outside this set (and not starting with a digit or a currency code) cannot start a match.
_STARTERS = frozenset(
    {q.split()[0].rstrip(".") for q in _QUALIFIERS}
    | {v.split()[0] for v in VAGUE}
    | _NUMBER_TOKENS
    | {"between", "a", "us"}
)
_CODES = ("usd", "gbp", "eur")  # "USD500": the code and the digits are one word


def _may_start(word: str) -> bool:
    """Whether a quantity can start at `word` (a lower-cased run of letters and digits): a set lookup that spares
    most of the words before a number a `QUANTITY_RE` match attempt (non-ASCII words are always tried)."""
    return word in _STARTERS or word.startswith(_CODES) or word[0].isdigit() or not word.isascii()


def _anchors(lowered: str, words: frozenset[str] | None = None) -> list[int]:
    """Where a number starts in lower-cased text: each run of digits and each number word ("four", "dozens");
    `words` is `words_of(lowered)` when the caller has it."""
    found = [m.start() for m in _DIGITS_FIND_RE.finditer(lowered)]
    for word in _NUMBER_TOKENS.intersection(_LETTERS_RE.findall(lowered) if words is None else words):
        size = len(word)
        at = lowered.find(word)
        while at != -1:
            end = at + size
            if (at == 0 or not lowered[at - 1].isalpha()) and (end == len(lowered) or not lowered[end].isalpha()):
                found.append(at)
            at = lowered.find(word, end)
    found.sort()
    return found


def find_quantities(text: str) -> Iterator[Quantity]:
    """Every quantity in `text`, in order.

    `QUANTITY_RE` is only tried where a quantity can start: at a digit or a number word, or up to three words
    (a qualifier, "between") or a currency before one; tried at every position it would cost more than the rest
    of the extractor together. It runs case-sensitively on the lower-cased text, unless lower-casing would
    move offsets or lose a case-insensitive match (then on the text, anchored where the full regex finds one).
    """
    return quantities_in(text, lowered(text))


def quantities_in(text: str, low: str | None, words: frozenset[str] | None = None) -> Iterator[Quantity]:
    """`find_quantities(text)`, given `low = lowered(text)` and, optionally, `words = words_of(low)` (a sentence
    has both already)."""
    if low is not None:
        return _quantities_at(low, _anchors(low, words), _QUANTITY_LOWER_RE, _CURRENCY_BEFORE_RE)
    anchors = {m.start("num") for m in QUANTITY_RE.finditer(text)}
    anchors.update(m.start() for m in _DIGITS_FIND_RE.finditer(text))
    return _quantities_at(text, sorted(anchors), QUANTITY_RE, _CURRENCY_BEFORE_ANY_CASE_RE)


def _quantities_at(
    text: str, anchors: list[int], regex: re.Pattern[str], currency_re: re.Pattern[str]
) -> Iterator[Quantity]:
    done = 0  # end of the last quantity found
    for pos in anchors:
        if pos < done:
            continue
        low = max(done, pos - 40)
        words = list(_WORD_START_RE.finditer(text, low, pos))[-_QUALIFIER_WORDS:]
        candidates = [m.start() for m in words if _may_start(m.group().lower())]
        currency = currency_re.search(text, max(done, pos - 5), pos)
        if currency is not None:
            candidates.append(currency.start())
        candidates.append(pos)
        for start in sorted(candidates):
            match = regex.match(text, start)
            if match is not None and match.end() > pos:
                quantity = _build(match)
                done = match.end()
                if quantity is not None:
                    yield quantity
                break


#: The most digits a figure can have: no count of people or money runs past 999 trillion. A longer run is an id,
#: a hash or garbage, and would overflow a float (309+ digits) or Python's int parsing (4,301+).
MAX_DIGITS = 15


def _too_long(groups: dict[str, str | None]) -> bool:
    """Whether a number has more than `MAX_DIGITS` digits (its digits counted only when it has as many characters)."""
    return any(
        (digits := groups[name]) is not None
        and len(digits) > MAX_DIGITS
        and sum(c.isdigit() for c in digits) > MAX_DIGITS
        for name in ("digits", "lo_digits", "hi_digits")
    )


def _build(match: re.Match[str]) -> Quantity | None:
    groups = match.groupdict()
    if _too_long(groups):
        return None
    value, vague = _value(groups)
    if value is None:
        return None
    qual_text = groups["qual"]
    qualifier: QualifierKind = _QUALIFIERS[" ".join(qual_text.lower().split())] if qual_text else "exact"
    low = high = None
    if groups["lo_digits"] or groups["lo_words"] or groups["lo_half"] or groups["lo_dozen"]:
        low, _ = _value(groups, "lo_")
        high, value, qualifier = value, None, "range"
    elif groups["hi_digits"] or groups["hi_words"]:
        hi_value, _ = _value(groups, "hi_")
        if hi_value is not None and hi_value > value and not vague:
            if groups["suffix"] is None and groups["hi_suffix"] is not None:  # "2 to 3 million"
                scale = _SUFFIX_SCALES[groups["hi_suffix"].lower()]
                value = value * scale if groups["digits"] is None else _scaled(groups["digits"], scale)
            low, high, value, qualifier = value, hi_value, None, "range"
    if vague:
        qualifier = "at_least"
    currency = None
    if groups["cur"]:
        currency = _CURRENCY_SYMBOLS[groups["cur"].lower()]
    elif groups["curword"]:
        currency = _CURRENCY_WORDS[groups["curword"].lower()]
    digits = groups["digits"]
    year_like = bool(digits and len(digits) == 4 and digits[:2] in ("19", "20") and not groups["suffix"])
    end = match.end() if (low is not None or groups["curword"]) else match.end("num")
    return Quantity(
        start=match.start(),
        end=end,
        num_start=match.start("num") if low is None else match.start("lo"),
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        vague=vague,
        currency=currency,
        is_year_like=year_like,
    )
