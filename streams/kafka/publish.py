"""Publishing raw updates: one event per entry, keyed by blog so a blog's entries stay in order."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka import AIOKafkaProducer

from schemas import RawUpdate
from streams import codec
from streams.kafka.clients import client_options
from streams.settings import Settings

SOURCE = "liveblog-streams/ingest"


def update_event(update: RawUpdate) -> tuple[bytes, bytes, codec.Headers]:
    """Key, value and CloudEvents headers of a raw update; the id is stable across replays."""
    value = codec.dumps(update)
    ident = codec.event_id(update.blog_id, update.entry_id, str(update.revision), value.hex())
    headers = codec.ce_headers(
        "update",
        source=update.url or f"{SOURCE}/{update.blog_id}",
        id=ident,
        time=update.updated or update.published,
    )
    return update.blog_id.encode(), value, headers


async def publish_updates(settings: Settings, updates: Iterable[RawUpdate]) -> int:
    """Publish updates in order and wait for every acknowledgement; returns how many were sent."""
    producer = AIOKafkaProducer(**client_options(settings), acks="all", linger_ms=5, enable_idempotence=False)
    await producer.start()
    sent = 0
    try:
        futures = []
        for update in updates:
            key, value, headers = update_event(update)
            futures.append(await producer.send(settings.topic("updates"), value=value, key=key, headers=headers))
            sent += 1
        for future in futures:
            await future
    finally:
        await producer.stop()
    return sent
