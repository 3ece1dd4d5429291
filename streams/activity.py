"""Activity of each blog in tumbling event-time windows (updates and figures per hour), for the charts.

One state per blog, a plain dict a Faust table keyed by blog id can hold (the updates topic is keyed by blog id,
so a blog's activity lives on the partition that reads its updates): window start, as a UTC ISO string that
sorts like time → counts. Windows follow event time (when an entry was published), not arrival, so a replay
draws the same chart. Only the latest `retain` windows are kept (the value stays small: ≈ 45 bytes a window);
an update older than them is not counted.

Counts are sums: the caller folds each entry version once (the dedup decision `new`, and `revision` if edits
should count as activity), never a redelivery, so a replay counts nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TypedDict

HOUR = 3600
RETAIN = 24 * 7
"""Windows kept per blog: a week of hours."""


class Counts(TypedDict):
    updates: int
    figures: int


Activity = dict[str, Counts]
"""Window start ("2027-08-25T10:00:00Z") → counts, for one blog."""


def window_start(ts: float, size: int = HOUR) -> int:
    """The start (epoch seconds) of the tumbling window of `size` seconds that holds `ts`."""
    return int(ts // size) * size


def window_key(ts: float, size: int = HOUR) -> str:
    """The window's start as a fixed-width UTC ISO string: keys sort like time, and a chart reads them as is."""
    return datetime.fromtimestamp(window_start(ts, size), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fold(
    state: Mapping[str, Counts], ts: float, figures: int, *, updates: int = 1, size: int = HOUR, retain: int = RETAIN
) -> Activity:
    """The blog's activity with one more update (and its figures) at event time `ts`; the oldest windows beyond
    `retain` dropped. An update older than every retained window changes nothing."""
    key = window_key(ts, size)
    newest = max([key, *state])
    oldest = window_key(datetime.fromisoformat(newest).timestamp() - (retain - 1) * size, size)
    if key < oldest:
        return dict(state)
    out = {k: v for k, v in state.items() if k >= oldest}
    before = out.get(key, Counts(updates=0, figures=0))
    out[key] = Counts(updates=before["updates"] + updates, figures=before["figures"] + figures)
    return out


def series(state: Mapping[str, Counts]) -> list[tuple[str, Counts]]:
    """The windows in time order, for a chart (windows without updates are absent)."""
    return sorted(state.items())


def is_expired(state: Mapping[str, Counts], now: float, *, size: int = HOUR, retain: int = RETAIN) -> bool:
    """Whether a blog's newest window is older than the retention at event time `now`: a sweep deletes the key
    (a blog that has ended is never folded into again, so `fold` alone would keep it forever)."""
    oldest = window_key(now - (retain - 1) * size, size)
    return all(k < oldest for k in state)
