"""When to poll again: the interval after a success, a jittered exponential backoff after a failure,
never earlier than the server's `Retry-After`. Pure functions; the random source is a parameter.

After the n-th failure in a row the delay is "equal jitter" (half fixed, half random) of
`min(cap, base * factor ** (n - 1))`, so followers that failed together do not come back together.
A `Retry-After` (seconds, or an HTTP-date) is a floor, itself capped at `max_retry_after` so a
misconfigured server cannot park the follower for days.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["Backoff", "parse_duration", "parse_retry_after"]

_DURATION = re.compile(r"^\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>ms|s|m|h)?\s*$", re.IGNORECASE)
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delays between polls, in seconds."""

    interval: float
    """Between successful polls."""
    base: float
    """The ceiling of the first retry (the delay is between half of it and all of it)."""
    cap: float
    """The largest ceiling, however many failures in a row."""
    factor: float = 2.0
    max_retry_after: float = 3600.0

    @classmethod
    def for_interval(cls, interval: float) -> Backoff:
        """The first retry comes within one interval; retries slow down to at most 15 minutes apart."""
        return cls(interval=interval, base=interval, cap=max(interval, 900.0))

    def delay(self, failures: int, retry_after: float | None = None, *, rand: Callable[[], float]) -> float:
        """Seconds to wait after `failures` failed polls in a row (0: the last poll succeeded).

        `rand()` returns a float in [0, 1), like `random.random`.
        """
        if failures <= 0:
            return self.interval
        ceiling = min(self.cap, self.base * self.factor ** min(failures - 1, 64))
        jittered = ceiling / 2 + rand() * ceiling / 2
        if retry_after is None:
            return jittered
        return max(min(retry_after, self.max_retry_after), jittered)


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """`Retry-After` as seconds from `now`: delay-seconds (`120`) or an HTTP-date; None when absent or bad.

    A date in the past gives 0.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" or an obsolete zone: HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def parse_duration(text: str) -> float:
    """`"30s"`, `"2m"`, `"1h"`, `"500ms"` or bare seconds (`"45"`) → seconds; `ValueError` otherwise."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 2m, 1h, 500ms)")
    seconds = float(match["value"]) * _UNITS[(match["unit"] or "s").lower()]
    if seconds <= 0:
        raise ValueError(f"a duration must be positive: {text!r}")
    return seconds
