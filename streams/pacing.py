"""Replay pacing, as pure functions: when each event of an archive is due, and how a progress line reads."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

_SPEED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*x\s*$", re.IGNORECASE)


def parse_speed(text: str) -> float | None:
    """'1x', '10x', '0.5x' → a factor; 'max' → None (as fast as possible)."""
    if text.strip().lower() == "max":
        return None
    match = _SPEED.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"speed must look like 1x, 10x or max, not {text!r}")
    return float(match.group(1))


def due_offsets(times: Sequence[datetime], speed: float | None) -> list[float]:
    """Seconds after the start at which each event is due: its distance from the first event's time, divided by
    the speed. Events out of order are due at once (never before one already sent)."""
    if speed is None or not times:
        return [0.0] * len(times)
    start = times[0]
    offsets: list[float] = []
    latest = 0.0
    for when in times:
        latest = max(latest, (when - start).total_seconds() / speed)
        offsets.append(latest)
    return offsets


def progress_line(done: int, total: int, elapsed: float) -> str:
    """'1,234/5,000 events  410/s  ETA 9s'."""
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate > 0 else 0.0
    eta = f"{left:.0f}s" if done < total else "done"
    return f"{done:,}/{total:,} events  {rate:,.0f}/s  ETA {eta}"


def run_progress(blogs: tuple[int, int], published: int, processed: int, total: int, elapsed: float) -> str:
    """'blogs 1,234/4,659  published 80,000/325,972  processed 40,000  1,234/s  ETA 3m20s' (`liveblog run`)."""
    rate = processed / elapsed if elapsed > 0 else 0.0
    if processed >= total:
        eta = "done"
    elif rate > 0:
        minutes, seconds = divmod(int((total - processed) / rate), 60)
        eta = f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"
    else:
        eta = "?"
    return (
        f"blogs {blogs[0]:,}/{blogs[1]:,}  published {published:,}/{total:,}  processed {processed:,}"
        f"  {rate:,.0f}/s  ETA {eta}"
    )
