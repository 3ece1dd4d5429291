"""Timestamps no live blog can have: refused before they reach the ledger, where "latest" decides totals.

A figure's series value is the latest claim by publication time, so one entry stamped 2099 (a typo, a broken
feed, a clock set wrong) would hold a total forever, and one stamped 1970 (a zero epoch) would never count.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas import RawUpdate
from streams.errors import AbsurdTimeError

#: Nothing was published on the web before it existed.
EARLIEST = datetime(1991, 1, 1, tzinfo=UTC)


def check_times(update: RawUpdate, now: datetime, max_ahead: timedelta) -> None:
    """Raise `AbsurdTimeError` when `published` or `updated` is before 1991, or more than `max_ahead` after now."""
    latest = now + max_ahead
    for name, when in (("published", update.published), ("updated", update.updated)):
        if when is None:
            continue
        if when < EARLIEST:
            raise AbsurdTimeError(f"{name} {when.isoformat()} is before {EARLIEST.year}: not a live-blog time")
        if when > latest:
            raise AbsurdTimeError(f"{name} {when.isoformat()} is more than {max_ahead} after now ({now.isoformat()})")
    if update.updated is not None and update.updated < update.published - max_ahead:
        raise AbsurdTimeError(
            f"updated {update.updated.isoformat()} is long before published {update.published.isoformat()}"
        )
