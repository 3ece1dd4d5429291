"""The pipeline's two Faust agents: entries (enrich, deduplicate, ledger) → totals.

Both take their input in batches (`stream.take_events`), call pure functions (`streams.extract`,
`streams.dedup`, `streams.ledger`, `streams.totals`) event by event, and then write each table key the batch
touched once and send each output once (`streams.batching`). The entries agent is keyed like its input (by
blog); it sends each batch's claims to the `liveblog.claims` partition of their (metric, subject, place) as one
record per partition, so the totals agent reads one record per batch, not one per claim. Anything that cannot
be decoded or processed becomes a dead letter with the original bytes, and the stream goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from schemas import Claim, ClaimBatch, RawUpdate, TotalsRow
from streams import codec, deadletters, dedup, ledger
from streams import totals as totals_of
from streams.api import recent as recent_entries
from streams.api.feed import change_feed
from streams.batching import TableBatch
from streams.enrichment import enrich_update
from streams.errors import DecodeError, ExtractionError
from streams.extract import content_hash
from streams.plausibility import check_times
from streams.routing import partition_of

if TYPE_CHECKING:
    from streams.app import Pipeline

log = logging.getLogger(__name__)
SOURCE = "liveblog-streams"
T = TypeVar("T")
#: Events handled between two yields to the event loop, so a large batch never starves the web server.
YIELD_EVERY = 64


async def _reject(pipeline: Pipeline, event: Any, exc: BaseException, stage: str) -> None:
    msg = event.message
    letter = deadletters.dead_letter(
        exc,
        stage=stage,
        key=event.key,
        value=event.value,
        headers=list(codec.header_map(msg.headers).items()),
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
    )
    log.warning("dead letter from %s: %s (%s)", stage, letter.reason, letter.error)
    pipeline.metrics.dead_lettered(stage, letter.reason)
    data, ce = deadletters.encode(letter, SOURCE + "/" + stage)
    await pipeline.topics.deadletter.send(key=event.key, value=data, headers=ce)


def _decode(pipeline: Pipeline, event: Any, kind: str, model: type[Any]) -> Any:
    codec.check_envelope(codec.header_map(event.message.headers), kind)
    return codec.decode(event.value, model, max_bytes=pipeline.settings.max_event_bytes)


def _origin(event: Any) -> str:
    return f"{event.message.partition}:{event.message.offset}"


def register_agents(pipeline: Pipeline) -> None:
    app, settings, topics, tables, metrics = (
        pipeline.app,
        pipeline.settings,
        pipeline.topics,
        pipeline.tables,
        pipeline.metrics,
    )
    feed = change_feed(app)  # the API's /api/stream
    claims_topic, unique_topic = topics.claims.get_topic_name(), topics.unique.get_topic_name()

    @app.agent(topics.updates, name="entries")
    async def entries(stream: Any) -> None:
        async for batch in stream.take_events(settings.batch_max, within=settings.batch_within):
            records, rings = TableBatch(tables.entries), TableBatch(tables.recent)
            outbox: dict[int, list[Claim]] = defaultdict(list)
            sent: list[Any] = []
            for n, event in enumerate(batch, 1):
                metrics.received("entries", event.message.topic)
                ops = await _guarded(event, "entries", _entry(event, records, rings, sent))
                for op in ops or ():
                    outbox[partition_of(ledger.group_key(op.series_key).encode(), settings.partitions)].append(op)
                metrics.processed("entries", event.message.timestamp)
                if n % YIELD_EVERY == 0:
                    await asyncio.sleep(0)
            for partition, ops in sorted(outbox.items()):
                sent.append(
                    await topics.claims.send(
                        key=f"claims-{partition}".encode(),
                        value=codec.dumps(ClaimBatch(claims=ops)),
                        partition=partition,
                        headers=codec.ce_headers(
                            "claims",
                            source=SOURCE + "/entries",
                            id=codec.event_id("claims", *(f"{op.claim_id}:{op.op}" for op in ops)),
                            time=ops[-1].published,
                        ),
                    )
                )
                metrics.sent("entries", claims_topic, 1)
            await _settle(sent + records.flush() + rings.flush())

    async def _entry(event: Any, records: TableBatch, rings: TableBatch, sent: list[Any]) -> list[Claim]:
        """One update: decoded, deduplicated, enriched, its claims replaced. Returns its ledger operations."""
        try:
            update: RawUpdate = _decode(pipeline, event, "update", RawUpdate)
            check_times(update, datetime.now(UTC), timedelta(seconds=settings.max_clock_ahead))
        except DecodeError as exc:
            await _reject(pipeline, event, exc, "entries")
            return []
        key = dedup.entry_key(update)
        record: ledger.EntryRecord | None = records.get(key)
        version = dedup.version_of(update, content_hash(update), _origin(event))
        decision = dedup.classify(record["seen"] if record else None, version)
        metrics.deduplicated(decision)
        if decision in ("redelivery", "stale"):
            return []
        try:
            enriched = enrich_update(update)
        except Exception as exc:
            await _reject(
                pipeline, event, ExtractionError(f"extractor raised on {update.entry_id}: {exc!r}"), "entries"
            )
            return []
        metrics.extracted(figure.metric for figure in enriched.figures)
        current = ledger.claims_of(enriched)
        before = ledger.claims_before(record, decision)
        new_record = ledger.entry_record(version, current, before)
        if new_record != record:
            records.set(key, new_record, event)
        ring = rings.get(update.blog_id) or []
        new_ring = recent_entries.with_entry(ring, enriched)
        if new_ring != ring:
            rings.set(update.blog_id, new_ring, event)
            feed.publish_entry(recent_entries.entry_of(enriched))
        sent.append(
            await topics.unique.send(
                key=update.blog_id.encode(),
                value=codec.dumps(enriched),
                headers=codec.ce_headers(
                    "unique",
                    source=SOURCE + "/entries",
                    id=codec.event_id("unique", key, enriched.content_hash),
                    time=update.published,
                ),
            )
        )
        metrics.sent("entries", unique_topic)
        return ledger.replace_claims(before, current, enriched)

    @app.agent(topics.claims, name="totals")
    async def totals(stream: Any) -> None:
        async for batch in stream.take_events(settings.batch_max, within=settings.batch_within):
            series, heads = TableBatch(tables.series), TableBatch(tables.heads)
            touched: dict[str, tuple[Claim, Any]] = {}  # series key → the last claim on it, and its event
            sent: list[Any] = []
            for event in batch:
                metrics.received("totals", event.message.topic)
                await _guarded(event, "totals", _claims(event, series, touched))
                metrics.processed("totals", event.message.timestamp)
            # Rows are sent for every series a batch touched, changed or not: after a crash between a table
            # write and its send, the redelivered claim finds the state already changed and must still publish.
            now = datetime.now(UTC)
            groups: dict[str, Claim] = {}
            for key, (claim, event) in touched.items():
                row = totals_of.series_row(key, series.get(key) or {}, now)
                group, source = key.rsplit("|", 1)
                before_heads = heads.get(group) or {}
                after_heads = totals_of.with_head(before_heads, source, row)
                if after_heads != before_heads:
                    heads.set(group, after_heads, event)
                groups[group] = claim
                sent.append(await _publish(key, row, claim))
                metrics.total_updated(claim.published, withdrawn=row is None)
            for group, claim in groups.items():
                headline = totals_of.headline_row(group, heads.get(group) or {}, now)
                sent.append(await _publish(f"{group}|{totals_of.HEADLINE_SOURCE}", headline, claim))
                metric, subject, place = group.split("|")
                metrics.set_headline(metric, subject, place, headline.value if headline is not None else None)
            metrics.sent("totals", topics.totals.get_topic_name(), len(touched) + len(groups))
            await _settle(sent + series.flush() + heads.flush())

    async def _claims(event: Any, series: TableBatch, touched: dict[str, tuple[Claim, Any]]) -> None:
        """One batch of claims folded into the series they belong to."""
        claims: ClaimBatch = _decode(pipeline, event, "claims", ClaimBatch)
        for claim in claims.claims:
            before = series.get(claim.series_key) or {}
            after = totals_of.apply(claim.series_key, before, claim)
            if after != before:  # a redelivered claim changes no state: no changelog write
                series.set(claim.series_key, after, event)
            touched[claim.series_key] = (claim, event)

    async def _guarded(event: Any, stage: str, work: Awaitable[T]) -> T | None:
        """The work's result, or None once the event is dead-lettered: one bad event never fails a batch.

        A batch's events are acked when the loop body ends, even by an exception, so nothing may escape it.
        """
        try:
            return await work
        except DecodeError as exc:
            await _reject(pipeline, event, exc, stage)
        except Exception as exc:
            log.exception("%s failed on %s", stage, _origin(event))
            await _reject(pipeline, event, exc, stage)
        return None

    async def _publish(key: str, row: TotalsRow | None, claim: Claim) -> Any:
        """A row on the compacted totals topic (a tombstone when the series is withdrawn), and to the live page."""
        feed.publish_total(key, row)
        return await topics.totals.send(
            key=key.encode(),
            value=codec.dumps(row) if row is not None else None,
            headers=codec.ce_headers(
                "total",
                source=SOURCE + "/totals",
                id=codec.event_id("total", key, claim.claim_id, claim.op),
                time=claim.published,
            ),
        )


async def _settle(futures: list[Any]) -> None:
    """Wait until every send of a batch (outputs and changelog writes) is on the broker."""
    if futures:
        await asyncio.gather(*futures)
