"""`liveblog reprocess`: rebuild every table from the updates topic, the Faust way (a new app version).

When to use it: after upgrading the extractor or changing how values are chosen, so that the totals reflect
what the new code makes of everything already published. The next generation gets its own consumer group,
changelog topics and internal topics, and reads `liveblog.updates` from the beginning; it writes the same
totals topic, and when it has caught up, every totals key it did not rewrite (a series the new code no
longer finds) gets a tombstone. Stop the old generation's workers first; afterwards run workers with
`LIVEBLOG_GENERATION` set to the new generation.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer

from schemas import TotalsRow
from streams import codec
from streams.kafka.clients import client_options
from streams.kafka.observe import read_totals, wait_caught_up
from streams.kafka.topics import ensure_topics
from streams.runner import WorkerProcess, with_private_data_dir
from streams.settings import Settings


def stale_keys(totals: dict[str, TotalsRow], since: datetime) -> list[str]:
    """Totals the new generation did not rewrite after it started."""
    return sorted(key for key, row in totals.items() if row.updated_at < since)


async def _tombstone(settings: Settings, keys: list[str]) -> None:
    producer = AIOKafkaProducer(**client_options(settings), acks="all")
    await producer.start()
    try:
        for key in keys:
            headers = codec.ce_headers(
                "total",
                source="liveblog-streams/reprocess",
                id=codec.event_id("tombstone", key, str(settings.generation)),
            )
            await producer.send_and_wait(settings.topic("totals"), value=None, key=key.encode(), headers=headers)
    finally:
        await producer.stop()


def reprocess(settings: Settings, timeout: float = 900.0) -> tuple[Settings, dict[str, TotalsRow], list[str]]:
    """Run the next generation until it has caught up; returns its settings, the totals and the keys retired."""
    nxt = settings.model_copy(update={"generation": settings.generation + 1})
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="liveblog-reprocess-") as tmp:
        nxt = with_private_data_dir(nxt, Path(tmp))
        asyncio.run(ensure_topics(nxt))
        worker = WorkerProcess(nxt, Path(tmp) / "worker.log")
        worker.start()
        try:
            asyncio.run(wait_caught_up(nxt, timeout=timeout))
            worker.check()
        finally:
            worker.stop()
    retired = stale_keys(asyncio.run(read_totals(nxt)), started)
    asyncio.run(_tombstone(nxt, retired))
    return nxt, asyncio.run(read_totals(nxt)), retired
