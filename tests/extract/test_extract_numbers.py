"""Number parsing: digits, words, currency, idioms and vague quantities."""

from __future__ import annotations

import pytest

from streams.extract.numbers import find_quantities, parse_quantity, parse_words


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "currency"),
    [
        ("1,189", 1189, "exact", None),
        ("4 million", 4_000_000, "exact", None),
        ("four million", 4_000_000, "exact", None),
        ("1.1 million", 1_100_000, "exact", None),
        ("two million", 2_000_000, "exact", None),
        ("£2m", 2_000_000, "exact", "GBP"),
        ("$500 million", 500_000_000, "exact", "USD"),
        ("€ 3m", 3_000_000, "exact", "EUR"),
        ("two million euros", 2_000_000, "exact", "EUR"),
        ("half a million", 500_000, "exact", None),
        ("a dozen", 12, "exact", None),
        ("eighty-one", 81, "exact", None),
        ("one hundred and twenty", 120, "exact", None),
        ("over 387,000", 387_000, "at_least", None),
        ("more than four million", 4_000_000, "at_least", None),
        ("at least 1,189", 1189, "at_least", None),
        ("up to 100,000", 100_000, "at_most", None),
        ("less than 300", 300, "at_most", None),
        ("nearly 3,100", 3100, "approx", None),
        ("about 364,000", 364_000, "approx", None),
        ("some twelve thousand", 12_000, "approx", None),
    ],
)
def test_parse_quantity(text: str, value: float, qualifier: str, currency: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.qualifier, q.currency, q.vague) == (value, qualifier, currency, False)


@pytest.mark.parametrize(
    ("text", "value"),
    [("hundreds", 200), ("thousands", 2000), ("tens of thousands", 20_000), ("millions", 2_000_000), ("dozens", 24)],
)
def test_vague_quantities_are_lower_bounds(text: str, value: float) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.vague, q.qualifier) == (value, True, "at_least")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("between 200 and 300", 200, 300),
        ("3,000-4,000", 3000, 4000),
        ("15 to 20", 15, 20),
        ("2 to 3 million", 2e6, 3e6),
    ],
)
def test_ranges(text: str, low: float, high: float) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.low, q.high, q.qualifier) == (None, low, high, "range")


@pytest.mark.parametrize("text", ["20% of the forces", "a 16-meter range", "POM-3", "the 19th brigade", "its 35th day"])
def test_not_quantities(text: str) -> None:
    assert list(find_quantities(text)) == []


def test_years_are_flagged() -> None:
    (q,) = list(find_quantities("signed in 1996 ."))
    assert q.is_year_like


def test_parse_words() -> None:
    assert parse_words("a hundred") == 100
    assert parse_words("forty-two") == 42
    assert parse_words("not a number") is None


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("4.1 million", 4_100_000, None, None),
        ("8.3 million", 8_300_000, None, None),
        ("£2.35bn", 2_350_000_000, None, None),
        ("0.7m", 700_000, None, None),
        ("1.1 to 1.3 million", None, 1_100_000, 1_300_000),
        ("2.5 to 3 million", None, 2_500_000, 3_000_000),
    ],
)
def test_scaled_decimals_are_exact(text: str, value: float | None, low: float | None, high: float | None) -> None:
    """4.1 x 1e6 in binary floating point is 4099999.9999999995: the scaling must not show."""
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.low, q.high) == (value, low, high)


@pytest.mark.parametrize("number", ["9" * 16, "9" * 400, "9" * 5000, "9" * 400 + ".5", "1,000,000,000,000,000"])
def test_a_run_of_more_digits_than_any_count_is_not_a_figure(number: str) -> None:
    """Ids, hashes and garbage: no float overflow, no int-parsing limit, no infinite value."""
    assert parse_quantity(f"{number} people") is None
    assert parse_quantity("999,999,999,999,999 people") is not None  # 15 digits: the largest figure
