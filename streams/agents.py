"""The pipeline's Faust agents: enrich → deduplicate → ledger → totals.

Each agent decodes an event, calls pure functions (`streams.extract`, `streams.dedup`,
`streams.ledger`), writes its table and sends on. Anything it cannot decode or process becomes a
dead letter with the original bytes, and the stream goes on.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from schemas import Claim, EnrichedUpdate, RawUpdate
from streams import codec, deadletters, dedup, ledger
from streams import totals as totals_of
from streams.api import recent as recent_entries
from streams.api.feed import change_feed
from streams.enrichment import enrich_update
from streams.errors import DecodeError, ExtractionError

if TYPE_CHECKING:
    from streams.app import Pipeline

log = logging.getLogger(__name__)
SOURCE = "liveblog-streams"


def _origin(event: Any) -> tuple[bytes | None, bytes | None, list[tuple[str, bytes]], dict[str, Any]]:
    msg = event.message
    headers = list(codec.header_map(msg.headers).items())
    where = {"topic": msg.topic, "partition": msg.partition, "offset": msg.offset}
    return event.key, event.value, headers, where


async def _reject(pipeline: Pipeline, event: Any, exc: BaseException, stage: str) -> None:
    key, value, headers, where = _origin(event)
    letter = deadletters.dead_letter(exc, stage=stage, key=key, value=value, headers=headers, **where)
    log.warning("dead letter from %s: %s (%s)", stage, letter.reason, letter.error)
    pipeline.metrics.dead_lettered(stage, letter.reason)
    data, ce = deadletters.encode(letter, SOURCE + "/" + stage)
    await pipeline.topics.deadletter.send(key=key, value=data, headers=ce)


def _decode(pipeline: Pipeline, event: Any, kind: str, model: type[Any]) -> Any:
    headers = codec.header_map(event.message.headers)
    codec.check_envelope(headers, kind)
    return codec.decode(event.value, model, max_bytes=pipeline.settings.max_event_bytes)


def _ce_id(event: Any) -> str:
    return codec.header_map(event.message.headers).get("ce_id", b"").decode("utf-8", "replace")


def register_agents(pipeline: Pipeline) -> None:
    app, topics, tables, metrics = pipeline.app, pipeline.topics, pipeline.tables, pipeline.metrics
    feed = change_feed(app)  # the API's /api/stream

    @app.agent(topics.updates, name="enrich")
    async def enrich(stream: Any) -> None:
        async for event in stream.events():
            metrics.received("enrich", event.message.topic)
            try:
                update: RawUpdate = _decode(pipeline, event, "update", RawUpdate)
                try:
                    enriched = enrich_update(update)
                except Exception as exc:
                    raise ExtractionError(f"extractor raised on {update.entry_id}: {exc!r}") from exc
            except (DecodeError, ExtractionError) as exc:
                await _reject(pipeline, event, exc, "enrich")
                metrics.processed("enrich", event.message.timestamp)
                continue
            ident = codec.event_id("enriched", _ce_id(event), enriched.content_hash)
            await topics.enriched.send(
                key=update.blog_id.encode(),
                value=codec.dumps(enriched),
                headers=codec.ce_headers("enriched", source=SOURCE + "/enrich", id=ident, time=update.published),
            )
            metrics.extracted(figure.metric for figure in enriched.figures)
            metrics.sent("enrich", topics.enriched.get_topic_name())
            metrics.processed("enrich", event.message.timestamp)

    @app.agent(topics.enriched, name="dedup")
    async def deduplicate(stream: Any) -> None:
        async for event in stream.events():
            metrics.received("dedup", event.message.topic)
            try:
                enriched: EnrichedUpdate = _decode(pipeline, event, "enriched", EnrichedUpdate)
            except DecodeError as exc:
                await _reject(pipeline, event, exc, "dedup")
                metrics.processed("dedup", event.message.timestamp)
                continue
            update = enriched.update
            key = dedup.entry_key(update)
            origin = f"{event.message.partition}:{event.message.offset}"
            current = dedup.version_of(update, enriched.content_hash, origin)
            decision = dedup.classify(tables.seen.get(key), current)
            metrics.deduplicated(decision)
            if decision in ("redelivery", "stale"):
                metrics.processed("dedup", event.message.timestamp)
                continue
            if decision != "retry":
                tables.seen[key] = dict(current)
            await topics.unique.send(
                key=update.blog_id.encode(),
                value=event.value,
                headers=codec.ce_headers(
                    "unique",
                    source=SOURCE + "/dedup",
                    id=codec.event_id("unique", key, enriched.content_hash),
                    time=update.published,
                ),
            )
            metrics.sent("dedup", topics.unique.get_topic_name())
            metrics.processed("dedup", event.message.timestamp)

    @app.agent(topics.unique, name="ledger")
    async def record(stream: Any) -> None:
        async for event in stream.events():
            metrics.received("ledger", event.message.topic)
            try:
                enriched: EnrichedUpdate = _decode(pipeline, event, "unique", EnrichedUpdate)
            except DecodeError as exc:
                await _reject(pipeline, event, exc, "ledger")
                metrics.processed("ledger", event.message.timestamp)
                continue
            key = dedup.entry_key(enriched.update)
            current = ledger.claims_of(enriched)
            ops = ledger.replace_claims(tables.entries.get(key) or {}, current, enriched)
            tables.entries[key] = {cid: claim.series_key for cid, claim in current.items()}
            before_recent = tables.recent.get(enriched.update.blog_id) or []
            ring = recent_entries.with_entry(before_recent, enriched)
            if ring != before_recent:
                tables.recent[enriched.update.blog_id] = ring
                feed.publish_entry(recent_entries.entry_of(enriched))
            for op in ops:
                await topics.claims.send(
                    key=ledger.group_key(op.series_key).encode(),
                    value=codec.dumps(op),
                    headers=codec.ce_headers(
                        "claim",
                        source=SOURCE + "/ledger",
                        id=codec.event_id("claim", op.claim_id, op.op, enriched.content_hash),
                        time=op.published,
                    ),
                )
            metrics.sent("ledger", topics.claims.get_topic_name(), len(ops))
            metrics.processed("ledger", event.message.timestamp)

    @app.agent(topics.claims, name="totals")
    async def totals(stream: Any) -> None:
        async for event in stream.events():
            metrics.received("totals", event.message.topic)
            try:
                claim: Claim = _decode(pipeline, event, "claim", Claim)
            except DecodeError as exc:
                await _reject(pipeline, event, exc, "totals")
                metrics.processed("totals", event.message.timestamp)
                continue
            key = claim.series_key
            group_key = ledger.group_key(key)
            source = key.rsplit("|", 1)[1]
            now = datetime.now(UTC)
            before = tables.series.get(key) or {}
            series = totals_of.apply(key, before, claim)
            row = totals_of.series_row(key, series, now)
            if series != before:  # a redelivered claim changes no state: no changelog write
                _store(tables.series, key, series)
                before_heads = tables.heads.get(group_key) or {}
                heads = totals_of.with_head(before_heads, source, row)
                if heads != before_heads:
                    _store(tables.heads, group_key, heads)
            else:
                heads = tables.heads.get(group_key) or {}
            # The rows are sent even when nothing changed: after a crash between a table write and its send,
            # the redelivered claim finds the state already changed and must still publish it.
            headline = totals_of.headline_row(group_key, heads, now)
            for out_key, out in ((key, row), (f"{group_key}|{totals_of.HEADLINE_SOURCE}", headline)):
                await topics.totals.send(
                    key=out_key.encode(),
                    value=codec.dumps(out) if out is not None else None,
                    headers=codec.ce_headers(
                        "total",
                        source=SOURCE + "/totals",
                        id=codec.event_id("total", out_key, claim.claim_id, claim.op),
                        time=claim.published,
                    ),
                )
                feed.publish_total(out_key, out)
            metrics.sent("totals", topics.totals.get_topic_name(), 2)
            metrics.total_updated(claim.published, withdrawn=row is None)
            metric, subject, place = group_key.split("|")
            metrics.set_headline(metric, subject, place, headline.value if headline is not None else None)
            metrics.processed("totals", event.message.timestamp)


def _store(table: Any, key: str, value: dict[str, Any]) -> None:
    """Set a table key, or delete it when the value is empty (a tombstone in the changelog)."""
    if value:
        table[key] = value
    else:
        table.pop(key, None)
