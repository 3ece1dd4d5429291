"""Delays between polls: the interval, jittered exponential backoff, Retry-After as a floor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.follow.backoff import Backoff, parse_duration, parse_retry_after

NOW = datetime(2027, 9, 1, 12, 0, tzinfo=UTC)
BACKOFF = Backoff(interval=30.0, base=10.0, cap=100.0)


def test_a_success_waits_the_interval() -> None:
    assert BACKOFF.delay(0, rand=lambda: 0.99) == 30.0


def test_failures_double_the_ceiling_up_to_the_cap() -> None:
    top = [BACKOFF.delay(n, rand=lambda: 0.999999) for n in range(1, 7)]
    assert [round(d) for d in top] == [10, 20, 40, 80, 100, 100]


def test_jitter_spreads_the_delay_over_the_upper_half() -> None:
    assert BACKOFF.delay(3, rand=lambda: 0.0) == 20.0
    assert BACKOFF.delay(3, rand=lambda: 0.5) == 30.0


def test_retry_after_is_a_floor() -> None:
    assert BACKOFF.delay(1, 45.0, rand=lambda: 0.0) == 45.0
    assert BACKOFF.delay(1, 1.0, rand=lambda: 0.0) == 5.0  # the backoff is longer: it wins


def test_an_absurd_retry_after_is_capped() -> None:
    assert BACKOFF.delay(1, 10 * 86400.0, rand=lambda: 0.0) == 3600.0


def test_for_interval() -> None:
    backoff = Backoff.for_interval(30.0)
    assert backoff.delay(1, rand=lambda: 0.0) == 15.0
    assert backoff.delay(50, rand=lambda: 0.999999) == pytest.approx(900.0)


@given(st.integers(min_value=1, max_value=10_000), st.floats(min_value=0, max_value=0.999999))
def test_a_retry_delay_is_always_within_bounds(failures: int, r: float) -> None:
    assert 5.0 <= BACKOFF.delay(failures, rand=lambda: r) <= 100.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("Wed, 01 Sep 2027 12:01:30 GMT", 90.0),
        ("Wednesday, 01-Sep-27 12:00:10 GMT", 10.0),  # RFC 850, obsolete but allowed
        ("Wed Sep  1 12:00:05 2027", 5.0),  # asctime
        ("Wed, 01 Sep 2027 11:00:00 GMT", 0.0),  # in the past
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30.0), ("2m", 120.0), ("1h", 3600.0), ("500ms", 0.5), ("45", 45.0), ("1.5M", 90.0)]
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "0s", "-3s", "3 days", "s"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
