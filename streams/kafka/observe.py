"""Watching the pipeline from outside, as a downstream service would: lag and the totals topic."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from schemas import TotalsRow
from streams import codec
from streams.kafka.clients import client_options
from streams.settings import Settings

#: The topics the worker consumes, in pipeline order.
STAGES = ("updates", "neardup.bands", "neardup.links", "claims")


async def partitions_of(settings: Settings, topic: str) -> list[TopicPartition]:
    """The partitions of a topic, asked of the cluster (a consumer only knows topics it tracks)."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        for _ in range(50):
            described = await admin.describe_topics([topic])
            parts = [p["partition"] for d in described if d.get("error_code", 0) == 0 for p in d["partitions"]]
            if parts:
                return [TopicPartition(topic, p) for p in sorted(parts)]
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
    raise TimeoutError(f"topic {topic} has no partitions")


async def wait_caught_up(settings: Settings, timeout: float = 120.0) -> None:
    """Return once the worker's group has committed every event of every stage.

    Faust flushes its producer before it commits offsets, so when a stage's input is fully committed
    all of its outputs are already in the next stage's topic; checking the stages in order is enough.
    """
    deadline = time.monotonic() + timeout
    async with _lag_clients(settings) as (group, reader):
        for stage in STAGES:
            tps = await partitions_of(settings, settings.topic(stage))
            while lag := await _uncommitted(group, reader, tps):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"worker did not catch up on {stage} within {timeout}s: lag {lag}")
                await asyncio.sleep(0.2)


async def pipeline_lag(settings: Settings) -> dict[str, int]:
    """Uncommitted records of the first stage that has any (empty when the worker has caught up)."""
    async with watch_pipeline(settings) as watch:
        return await watch.lag()


class PipelineWatch:
    """Progress and lag of the worker's group, polled with one pair of clients (see `watch_pipeline`)."""

    def __init__(self, settings: Settings, group: AIOKafkaConsumer, reader: AIOKafkaConsumer) -> None:
        self.settings, self.group, self.reader = settings, group, reader
        self._partitions: dict[str, list[TopicPartition]] = {}

    async def _tps(self, stage: str) -> list[TopicPartition]:
        if stage not in self._partitions:
            self._partitions[stage] = await partitions_of(self.settings, self.settings.topic(stage))
        return self._partitions[stage]

    async def committed(self, stage: str = "updates") -> int:
        """Records of a stage the group has committed (processed and acknowledged)."""
        return sum([(await self.group.committed(tp)) or 0 for tp in await self._tps(stage)])

    async def lag(self) -> dict[str, int]:
        """Uncommitted records of the first stage that has any (empty once the worker has caught up)."""
        for stage in STAGES:
            if lag := await _uncommitted(self.group, self.reader, await self._tps(stage)):
                return lag
        return {}


@contextlib.asynccontextmanager
async def watch_pipeline(settings: Settings) -> AsyncIterator[PipelineWatch]:
    """A `PipelineWatch` on the worker's group for the duration."""
    async with _lag_clients(settings) as (group, reader):
        yield PipelineWatch(settings, group, reader)


@contextlib.asynccontextmanager
async def _lag_clients(settings: Settings) -> AsyncIterator[tuple[AIOKafkaConsumer, AIOKafkaConsumer]]:
    """The worker's group (for its committed offsets) and a read_committed reader (to look past them)."""
    group = AIOKafkaConsumer(group_id=settings.group_id, enable_auto_commit=False, **client_options(settings))
    reader = AIOKafkaConsumer(enable_auto_commit=False, isolation_level="read_committed", **client_options(settings))
    await group.start()
    await reader.start()
    try:
        yield group, reader
    finally:
        await reader.stop()
        await group.stop()


async def _uncommitted(group: AIOKafkaConsumer, reader: AIOKafkaConsumer, tps: list[TopicPartition]) -> dict[str, int]:
    """Records the group has not committed yet, per partition that has any.

    A topic written in transactions (exactly-once) ends with a commit marker, not a record, so its committed
    offset never reaches the end offset: a partition short of its end is behind only if a read_committed
    reader still finds a record past the committed offset.
    """
    ends = await reader.end_offsets(tps)
    lag: dict[str, int] = {}
    for tp in tps:
        committed = (await group.committed(tp)) or 0
        if committed >= ends[tp]:
            continue
        reader.assign([tp])
        reader.seek(tp, committed)
        found = False
        for _ in range(25):  # until a record, or past the markers, or 5 s without either
            if await reader.position(tp) >= ends[tp]:
                break
            if (await reader.getmany(tp, timeout_ms=200, max_records=1)).get(tp):
                found = True
                break
        if found or await reader.position(tp) < ends[tp]:
            lag[str(tp)] = ends[tp] - committed
    return lag


async def read_topic(settings: Settings, name: str, timeout: float = 60.0) -> list[Any]:
    """Every message of a pipeline topic (short name) from the beginning to its current end (no consumer group)."""
    return await read_records(settings, settings.topic(name), timeout=timeout)


async def read_records(settings: Settings, topic: str, *, committed: bool = False, timeout: float = 60.0) -> list[Any]:
    """Every record of a topic (full name) to its current end; `committed`: as a read_committed consumer sees it."""
    records: list[Any] = []
    async for batch in _batches_to_end(settings, topic, committed=committed, timeout=timeout):
        records.extend(batch)
    return records


async def count_events(settings: Settings, name: str, timeout: float = 600.0) -> tuple[int, int]:
    """(records, distinct CloudEvents ids) of a pipeline topic, read to its end without keeping the records.

    Counted by reading, not from offsets: offsets are not record counts (transaction markers; Tansu numbers
    batches). A re-send after a crash is a second record with the same id.
    """
    records, ids = 0, set[bytes]()
    async for batch in _batches_to_end(settings, settings.topic(name), timeout=timeout):
        records += len(batch)
        ids.update(codec.header_map(r.headers).get("ce_id", b"") for r in batch)
    return records, len(ids)


async def _batches_to_end(
    settings: Settings, topic: str, *, committed: bool = False, timeout: float = 60.0
) -> AsyncIterator[list[Any]]:
    """A topic's records (full name) from the beginning to its end as it was when reading began, in batches
    (no consumer group); `committed`: as a read_committed consumer sees them."""
    consumer = AIOKafkaConsumer(
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed" if committed else "read_uncommitted",
        **client_options(settings),
    )
    await consumer.start()
    try:
        tps = await partitions_of(settings, topic)
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        await consumer.seek_to_beginning(*tps)
        pending = {tp for tp in tps if ends[tp] > 0}
        deadline = time.monotonic() + timeout
        while pending:
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end within {timeout}s")
            for batch in (await consumer.getmany(*pending, timeout_ms=500, max_records=10000)).values():
                yield batch
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()


async def read_totals(settings: Settings) -> dict[str, TotalsRow]:
    """The current totals, rebuilt from the compacted totals topic (tombstones remove a series)."""
    totals: dict[str, TotalsRow] = {}
    for record in await read_topic(settings, "totals"):
        key = record.key.decode()
        if record.value is None:
            totals.pop(key, None)
        else:
            totals[key] = codec.decode(record.value, TotalsRow)
    return totals
