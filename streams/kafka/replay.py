"""Replaying an archive into the updates topic at a chosen speed, and exporting a topic to an archive."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from schemas import RawUpdate
from streams import codec
from streams.ingest.compression import compression_of, open_write
from streams.ingest.events import attributes_of, event_time, update_event
from streams.ingest.records import Reject
from streams.ingest.spool import Record
from streams.kafka.observe import read_topic
from streams.kafka.publish import publish_events
from streams.pacing import due_offsets, progress_line
from streams.settings import Settings


def in_event_time_order(updates: Sequence[RawUpdate]) -> list[RawUpdate]:
    """An archive of many blogs as it happened: every blog's updates interleaved by event time.

    Archives list blog after blog (the corpus: 2015, then 2012, then 2017...). Published that way, a replay at 1x
    would wait years between blogs, and the near-duplicate stage, whose window follows the latest event time it
    has read, would call every older blog's entries late and never compare them. The sort is stable, so updates
    with the same time keep their archive order (a blog's own order, as its reader gave it).
    """
    return sorted(updates, key=event_time)


def within(updates: Sequence[RawUpdate], since: datetime | None, until: datetime | None) -> list[RawUpdate]:
    """The updates whose event time is in [since, until)."""
    return [
        u for u in updates if (since is None or event_time(u) >= since) and (until is None or event_time(u) < until)
    ]


async def replay(
    settings: Settings,
    updates: Sequence[RawUpdate],
    speed: float | None,
    *,
    rejects: Sequence[Reject] = (),
    origin: str = "archive",
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], Any] = asyncio.sleep,
) -> float:
    """Publish updates with their original ids and times, paced by their event times, and a dead letter per record
    the archive could not read (so a corrupt line is reported and kept, never stops the replay); returns the
    seconds taken."""
    events = (update_event(u) for u in updates)
    times = [event_time(u) for u in updates]
    return await replay_events(
        settings, events, times, speed, rejects=rejects, origin=origin, progress=progress, sleep=sleep
    )


async def replay_events(
    settings: Settings,
    events: Iterable[Record],
    times: Sequence[datetime],
    speed: float | None,
    *,
    rejects: Sequence[Reject] = (),
    origin: str = "archive",
    progress: Callable[[str], None] | None = None,
    sleep: Callable[[float], Any] = asyncio.sleep,
) -> float:
    """`replay` for updates already encoded (`update_event`'s key, value and headers), each with its event time:
    `publish_events`, each send waiting for its due time."""
    offsets = due_offsets(times, speed)
    started = time.monotonic()
    last_report = 0.0

    async def pace(sent: int) -> None:
        wait = offsets[sent] - (time.monotonic() - started)
        if wait > 0:
            await sleep(wait)

    def report(done: int) -> None:
        nonlocal last_report
        now = time.monotonic()
        if progress and (now - last_report >= 0.5 or done == len(times)):
            progress(progress_line(done, len(times), now - started))
            last_report = now

    sent = await publish_events(settings, events, rejects, origin=origin, sent_so_far=report, before_each=pace)
    if sent != len(times):
        raise ValueError(f"{sent} updates published for {len(times)} event times")
    return time.monotonic() - started


async def export_topic(
    settings: Settings, name: str, path: Path, since: datetime | None = None, until: datetime | None = None
) -> tuple[int, int]:
    """Write a topic (or the part of it whose `ce_time` is in [since, until)) to a JSON Lines archive of
    CloudEvents in structured mode: the attributes from the headers and the value, byte for byte, as `data`.
    Compressed when the name ends in .gz or .zst. Values that are not JSON (they were dead-lettered when they
    arrived) are left out. Returns how many events were written and how many were left out."""
    records = await read_topic(settings, name)
    partial = path.with_name(f".{path.name}.partial")
    written = skipped = 0
    try:
        with open_write(partial, compression_of(path)) as out:
            for record in records:
                attributes = attributes_of(record.headers or ())
                if not _in_range(attributes.get("time"), since, until) or record.value is None:
                    continue
                try:
                    orjson.loads(record.value)
                except orjson.JSONDecodeError:
                    skipped += 1
                    continue
                data = orjson.Fragment(record.value)
                out.write(codec.dumps({**attributes, "data": data}) + b"\n")
                written += 1
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return written, skipped


def _in_range(ce_time: str | None, since: datetime | None, until: datetime | None) -> bool:
    if since is None and until is None:
        return True
    if ce_time is None:
        return False
    when = datetime.fromisoformat(ce_time.replace("Z", "+00:00"))
    return (since is None or when >= since) and (until is None or when < until)


def print_progress(line: str) -> None:
    sys.stderr.write("\r" + line.ljust(60))
    sys.stderr.flush()
