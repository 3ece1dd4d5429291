"""Publishing an archive: one event per update, keyed by blog so a blog's entries stay in order,
and one dead letter per record the archive could not turn into an update (in = out + dead-lettered)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from schemas import RawUpdate
from streams import deadletters
from streams.ingest.events import update_event
from streams.ingest.records import Reject, dead_letter_of
from streams.ingest.spool import Record
from streams.kafka.clients import client_options
from streams.settings import Settings


async def send_rejects(
    producer: AIOKafkaProducer, settings: Settings, rejects: Iterable[Reject], origin: str
) -> list[Any]:
    """One dead letter per archive record that could not be read (its line, reason and bytes); the send futures."""
    now = datetime.now(UTC)
    futures = []
    for reject in rejects:
        data, headers = deadletters.encode(dead_letter_of(reject, source=origin, time=now), "liveblog-streams/ingest")
        futures.append(await producer.send(settings.topic("deadletter"), value=data, headers=headers))
    return futures


async def publish_updates(
    settings: Settings,
    updates: Iterable[RawUpdate],
    rejects: Iterable[Reject] = (),
    *,
    origin: str = "archive",
    sent_so_far: Callable[[int], None] | None = None,
) -> int:
    """Publish updates in order, and the rejects as dead letters; wait for every acknowledgement.

    Returns how many updates were sent; `sent_so_far` hears the count after each send.
    """
    events = (update_event(update) for update in updates)
    return await publish_events(settings, events, rejects, origin=origin, sent_so_far=sent_so_far)


async def publish_events(
    settings: Settings,
    events: Iterable[Record],
    rejects: Iterable[Reject] = (),
    *,
    origin: str = "archive",
    sent_so_far: Callable[[int], None] | None = None,
    before_each: Callable[[int], Awaitable[None]] | None = None,
) -> int:
    """`publish_updates` for updates already encoded (`update_event`'s key, value and headers); `before_each` is
    awaited before each send with how many went before it (a replay's pacing)."""
    producer = AIOKafkaProducer(**client_options(settings), acks="all", linger_ms=5, enable_idempotence=False)
    await producer.start()
    sent = 0
    try:
        futures: list[Any] = []
        for key, value, headers in events:
            if before_each is not None:
                await before_each(sent)
            futures.append(await producer.send(settings.topic("updates"), value=value, key=key, headers=headers))
            await settle_older(futures)
            sent += 1
            if sent_so_far is not None:
                sent_so_far(sent)
        futures.extend(await send_rejects(producer, settings, rejects, origin))
        for future in futures:
            await future
    finally:
        await producer.stop()
    return sent


#: Send futures kept unawaited: long done by the time they are awaited, and a window of them, not one per update.
UNAWAITED = 10_000


async def settle_older(futures: list[Any], keep: int = UNAWAITED) -> None:
    """Await and drop all but the newest `keep` send futures once there are twice as many. A resolved future and
    its record metadata cost about 290 bytes: kept to the end, the corpus's took 94 MB of `liveblog replay`'s peak
    (183 MB, 89 MB without them)."""
    if len(futures) >= 2 * keep:
        for future in futures[:-keep]:
            await future
        del futures[:-keep]
