"""The pipeline's Faust agents: entries (deduplicate, enrich, ledger) → totals, and neardup → links beside them.

Each takes its input in batches (`stream.take_events`, registered by `batched`), calls pure functions
(`streams.extract`, `streams.dedup`, `streams.ledger`, `streams.totals`, `streams.neardup`) event by event, and
then writes each table key the batch touched once and sends each output once (`streams.batching`). The entries
agent is keyed like its input (by blog); it sends each batch's claims to the `liveblog.claims` partition of their
(metric, subject, place), and each band note to its band's partition, as one record per partition, so the next
agent reads one record per batch, not one per claim. Anything that cannot be decoded or processed becomes a dead
letter with the original bytes, and the stream goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from schemas import BandBatch, BandNote, Claim, ClaimBatch, NearDuplicate, RawUpdate, TotalsRow
from streams import activity as hours
from streams import codec, deadletters, dedup, ledger
from streams import neardup as near
from streams import totals as totals_of
from streams.api import recent as recent_entries
from streams.api.feed import change_feed
from streams.batching import FirstDeliveries, TableBatch, send
from streams.enrichment import enrich_update
from streams.errors import DecodeError, ExtractionError
from streams.extract import content_hash
from streams.plausibility import check_times
from streams.routing import partition_of
from streams.watchdog import BATCH_FAILED_EXIT_CODE

if TYPE_CHECKING:
    from streams.app import Pipeline

log = logging.getLogger(__name__)
SOURCE = "liveblog-streams"
T = TypeVar("T")
#: Events handled between two yields to the event loop, so a large batch never starves the web server.
YIELD_EVERY = 64
#: Claims or band notes per record sent: a few hundred KB at most, whatever the batch size.
CHUNK = 200
#: Size limit of the pipeline's own records (claims and band batches, links): far above what `CHUNK` allows.
INTERNAL_MAX_BYTES = 16 * 1024 * 1024
#: Seconds of event time between two sweeps of a partition's expired near-duplicate bands.
SWEEP_EVERY = 3600.0


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
    # Awaited until the broker has it (dead letters are rare): the batch is acked after this returns.
    topic = pipeline.topics.deadletter.get_topic_name()
    await (await send(pipeline.app, topic, event.key, data, origin=event, headers=ce))


def _decode(pipeline: Pipeline, event: Any, kind: str, model: type[Any]) -> Any:
    """The event as `model`. `LIVEBLOG_MAX_EVENT_BYTES` limits what comes in from outside (updates); the
    pipeline's own batch records are bounded by `CHUNK` and only checked against the broker-sized limit."""
    codec.check_envelope(codec.header_map(event.message.headers), kind)
    if kind == "update":
        return codec.decode(event.value, model, max_bytes=pipeline.settings.max_event_bytes)
    return codec.decode_own(event.value, model, max_bytes=INTERNAL_MAX_BYTES)


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
    unique_topic, links_topic = topics.unique.get_topic_name(), topics.links.get_topic_name()
    neardup_topic, totals_topic = topics.neardup.get_topic_name(), topics.totals.get_topic_name()
    partitions = settings.partitions
    deliveries = FirstDeliveries()  # each input offset into a batch once (`streams.batching.FirstDeliveries`)

    @app.on_partitions_revoked.connect
    async def _revoked(sender: Any, revoked: Any, **kwargs: Any) -> None:
        deliveries.forget(revoked)

    def _partition(key: str) -> int:
        """The partition `key` hashes to (murmur2 in pure Python, ≈ 3 µs a key: not computed for one partition)."""
        return 0 if partitions == 1 else partition_of(key.encode(), partitions)

    def batched(topic: Any, name: str, handle: Callable[[Sequence[Any]], Awaitable[None]]) -> None:
        """Register agent `name` on `topic`: each batch of events handled whole by `handle` (`_complete`), never
        while an exactly-once commit is under way (`streams.faust_exactly_once_fixes.CommitGate`)."""

        async def agent(stream: Any) -> None:
            async for batch in stream.take_events(settings.batch_max, within=settings.batch_within):
                async with pipeline.gate.batch():
                    fresh = deliveries.fresh(batch)
                    if len(fresh) < len(batch):
                        offsets = sorted({_origin(e) for e in batch} - {_origin(e) for e in fresh})
                        log.info("%s: %d events delivered again, dropped: %s", name, len(offsets), offsets[:5])
                    if fresh:
                        await _complete(name, handle(fresh))

        agent.__name__ = agent.__qualname__ = name  # what Faust shows in its logs and sensors
        app.agent(topic, name=name)(agent)

    async def _entries_batch(batch: Sequence[Any]) -> None:
        records, rings, activity = TableBatch(tables.entries), TableBatch(tables.recent), TableBatch(tables.activity)
        # Keyed by (input partition, output partition): a record carries what one input partition's events made,
        # so in exactly-once mode it commits with that partition's offsets (`streams.batching.send`).
        outbox: dict[tuple[int, int], list[Claim]] = defaultdict(list)
        notes: dict[tuple[int, int], list[BandNote]] = defaultdict(list)  # (input, output partition) → notes
        origins: dict[int, Any] = {}  # input partition → the batch's last event from it
        sent: list[Any] = []
        for n, event in enumerate(batch, 1):
            source = event.message.partition
            origins[source] = event
            ops = await _guarded(event, "entries", _entry(event, records, rings, activity, sent, notes))
            for op in ops or ():
                outbox[source, _partition(ledger.group_key(op.series_key))].append(op)
            if n % YIELD_EVERY == 0:
                await asyncio.sleep(0)
        for (source, partition), all_ops in sorted(outbox.items()):
            for ops in _chunks(all_ops):
                ids = (f"{op.claim_id}:{op.op}" for op in ops)
                claims = ClaimBatch(claims=ops)
                sent.append(await _batch(topics.claims, "claims", partition, claims, ids, origins[source]))
        for (source, partition), all_notes in sorted(notes.items()):
            for chunk in _chunks(all_notes):
                ids = (f"{','.join(n.bands)}:{n.entry_key}:{n.sig}" for n in chunk)
                band_batch = BandBatch(notes=chunk)
                sent.append(await _batch(topics.bands, "bands", partition, band_batch, ids, origins[source]))
        await _settle(sent + await records.flush() + await rings.flush() + await activity.flush())

    async def _batch(topic: Any, kind: str, partition: int, value: BaseModel, ids: Iterable[str], origin: Any) -> Any:
        """One record of a batch's output bound for one partition; its id is derived from what it carries."""
        name = topic.get_topic_name()
        metrics.sent("entries", name, 1)
        return await send(
            app,
            name,
            f"{kind}-{partition}".encode(),
            codec.dumps(value),
            origin=origin,
            partition=partition,
            headers=codec.ce_headers(kind, source=SOURCE + "/entries", id=codec.event_id(kind, *ids)),
        )

    async def _entry(
        event: Any,
        records: TableBatch,
        rings: TableBatch,
        activity: TableBatch,
        sent: list[Any],
        notes: dict[tuple[int, int], list[BandNote]],
    ) -> list[Claim]:
        """One update: decoded, deduplicated, enriched, its claims replaced. Returns its ledger operations."""
        try:
            update: RawUpdate = _decode(pipeline, event, "update", RawUpdate)
            check_times(update, datetime.now(UTC), timedelta(seconds=settings.max_clock_ahead))
        except DecodeError as exc:
            await _reject(pipeline, event, exc, "entries")
            return []
        key = dedup.entry_key(update)
        record: ledger.EntryRecord | None = records.get(key)
        version, decision = dedup.step(record["seen"] if record else None, update, content_hash(update), _origin(event))
        metrics.deduplicated(decision)
        if decision in dedup.DROPPED:
            return []
        try:
            if settings.fault_extractor_marker and settings.fault_extractor_marker in update.body:
                raise RuntimeError("injected extractor fault (LIVEBLOG_FAULT_EXTRACTOR_MARKER)")
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
        if decision in ("new", "revision"):  # each version once (a retry may undercount by one: charts only)
            counts = activity.get(update.blog_id) or {}
            activity.set(update.blog_id, hours.fold(counts, update.published.timestamp(), len(enriched.figures)), event)
        ring = rings.get(update.blog_id) or []
        entry = recent_entries.entry_of(enriched)
        new_ring = recent_entries.with_entry(ring, entry)
        if new_ring != ring:
            rings.set(update.blog_id, new_ring, event)
            feed.publish_entry(entry)
        sent.append(
            await send(
                app,
                unique_topic,
                update.blog_id.encode(),
                codec.dumps(enriched),
                origin=event,
                headers=codec.ce_headers(
                    "unique",
                    source=SOURCE + "/entries",
                    id=codec.event_id("unique", key, enriched.content_hash),
                    time=update.published,
                ),
            )
        )
        metrics.sent("entries", unique_topic)
        signature = near.fingerprint(f"{update.headline or ''}\n{update.body}")
        by_partition: dict[int, list[str]] = defaultdict(list)
        for band in near.bands(signature):
            by_partition[_partition(band)].append(band)
        compact, published = signature.compact(), update.published.timestamp()
        for partition, keys in by_partition.items():  # the signature once per partition, with its bands there
            note = BandNote(bands=keys, entry_key=key, blog_id=update.blog_id, sig=compact, time=published)
            notes[event.message.partition, partition].append(note)
        return ledger.replace_claims(before, current, enriched)

    config = near.Config(threshold=settings.neardup_threshold, window=settings.neardup_window)
    watermarks: dict[int, float] = {}  # partition of the bands topic → the latest event time read from it
    swept_at: dict[int, float] = {}
    # The `bands` table keeps one record per entry and partition (`near.EntryBands`, key "<partition>/<entry>");
    # which entries are in a band is derived: band key → entry keys, rebuilt from the table after each recovery.
    members: dict[str, set[str]] = {}
    recovered = [True]

    async def _members_stale() -> None:
        recovered[0] = True

    tables.bands.on_recover(_members_stale)  # after every rebalance's recovery, before the stream resumes

    def _members_rebuilt() -> None:
        members.clear()
        for table_key, record in tables.bands.items():
            partition, slash, entry = str(table_key).partition("/")
            if slash and partition.isdigit() and isinstance(record, dict) and "bands" in record:
                for band in record["bands"]:
                    members.setdefault(band, set()).add(entry)
        recovered[0] = False

    async def _neardup_batch(batch: Sequence[Any]) -> None:
        if recovered[0]:
            _members_rebuilt()
        bands = TableBatch(tables.bands)
        found: dict[str, tuple[NearDuplicate, Any]] = {}  # entry key → its link, and the event it comes from
        for event in batch:
            await _guarded(event, "neardup", _notes(event, bands, found))
        last_of = {event.message.partition: event for event in batch}  # partition → the batch's last event from it
        for partition, event in last_of.items():
            _sweep(bands, partition, event)
        sent = [await _link(topics.links, link.blog_id, link, origin) for link, origin in found.values()]
        metrics.sent("neardup", links_topic, len(sent))
        await _settle(sent + await bands.flush())

    async def _notes(event: Any, bands: TableBatch, found: dict[str, tuple[NearDuplicate, Any]]) -> None:
        """One batch of band notes: each compared with the entries already in its band."""
        partition = event.message.partition
        for note in _decode(pipeline, event, "bands", BandBatch).notes:
            watermarks[partition] = now = max(watermarks.get(partition, note.time), note.time)
            for band in note.band_keys():
                _band(band, note, partition, now, bands, found, event)

    def _band(
        band: str,
        note: BandNote,
        partition: int,
        now: float,
        bands: TableBatch,
        found: dict[str, tuple[NearDuplicate, Any]],
        event: Any,
    ) -> None:
        """One band of a note: the entry compared with the entries already in that band."""
        keys = {*members.get(band, ()), note.entry_key}  # with the entry's own record: its other bands
        records = {k: r for k in keys if (r := bands.get(f"{partition}/{k}"))}
        state = near.band_state(band, records)
        verdict = near.observe(state, note.entry_key, note.sig, note.time, now=now, config=config)
        if verdict.state != state:
            in_band = members.setdefault(band, set())
            for key, stored in near.entry_changes(band, state, verdict.state, records).items():
                bands.set(f"{partition}/{key}", stored or {}, event)
                (in_band.add if key in verdict.state else in_band.discard)(key)
            if not in_band:
                del members[band]
        if verdict.decision == "duplicate":
            _offer(found, note.entry_key, verdict.canonical, verdict.canonical_time, verdict.similarity, event)
        for other, canonical in verdict.relinked.items():  # an earlier entry arrived late: it takes over
            record = verdict.state[other]
            similarity = near.similarity(record["sig"], note.sig) if canonical == note.entry_key else 0.0
            _offer(found, other, canonical, record["canonical_time"], similarity, event)

    def _offer(
        found: dict[str, tuple[NearDuplicate, Any]],
        key: str,
        canonical: str,
        when: float,
        similarity: float,
        event: Any,
    ) -> None:
        """Keep, per entry, the earliest canonical any band reported (bands may disagree), and its event."""
        best = found.get(key)
        if best is None or (when, canonical) < (best[0].canonical_time, best[0].canonical):
            blog_id = key.split("|", 1)[0]
            link = NearDuplicate(
                entry_key=key, blog_id=blog_id, canonical=canonical, canonical_time=when, similarity=similarity
            )
            found[key] = (link, event)

    def _sweep(bands: TableBatch, partition: int, event: Any) -> None:
        """Delete this partition's entries older than the window, once per hour of event time (and the band-keyed
        records of the `bands` table's earlier layout, whose keys no note names any more)."""
        mark = watermarks.get(partition)
        if mark is None or mark - swept_at.get(partition, float("-inf")) < SWEEP_EVERY:
            return
        swept_at[partition] = mark
        prefix = f"{partition}/"
        for table_key in list(tables.bands.keys()):
            table_key = str(table_key)
            if not table_key.startswith(prefix):
                if "/" not in table_key and _partition(table_key) == partition:
                    bands.set(table_key, {}, event)
                continue
            record = bands.get(table_key)
            if record and record["time"] < mark - config.window:
                bands.set(table_key, {}, event)
                entry = table_key.removeprefix(prefix)
                for band in record["bands"]:
                    if (in_band := members.get(band)) is not None:
                        in_band.discard(entry)
                        if not in_band:
                            del members[band]

    async def _links_batch(batch: Sequence[Any]) -> None:
        best = TableBatch(tables.links)
        touched: dict[str, Any] = {}  # entry key → the last event about it
        for event in batch:
            await _guarded(event, "links", _keep_earliest(event, best, touched))
        # Sent for every entry touched, changed or not: a redelivered link must publish what a crash lost.
        sent = [
            await _link(topics.neardup, key, NearDuplicate.model_validate(best.get(key)), origin)
            for key, origin in touched.items()
        ]
        metrics.sent("links", neardup_topic, len(sent))
        await _settle(sent + await best.flush())

    async def _keep_earliest(event: Any, best: TableBatch, touched: dict[str, Any]) -> None:
        link: NearDuplicate = _decode(pipeline, event, "link", NearDuplicate)
        before = best.get(link.entry_key)
        if before is None or (link.canonical_time, link.canonical) < (before["canonical_time"], before["canonical"]):
            if before is None:
                metrics.deduplicated("near_duplicate")
            best.set(link.entry_key, link.model_dump(mode="json"), event)
        touched[link.entry_key] = event

    async def _link(topic: Any, key: str, link: NearDuplicate, origin: Any) -> Any:
        return await send(
            app,
            topic.get_topic_name(),
            key.encode(),
            codec.dumps(link),
            origin=origin,
            headers=codec.ce_headers(
                "link",
                source=SOURCE + "/neardup",
                id=codec.event_id("link", link.entry_key, link.canonical),
            ),
        )

    async def _totals_batch(batch: Sequence[Any]) -> None:
        series, heads = TableBatch(tables.series), TableBatch(tables.heads)
        touched: dict[str, tuple[Claim, Any]] = {}  # series key → the last claim on it, and its event
        sent: list[Any] = []
        for event in batch:
            await _guarded(event, "totals", _claims(event, series, touched))
        # Rows are sent for every series a batch touched, changed or not: after a crash between a table
        # write and its send, the redelivered claim finds the state already changed and must still publish.
        now = datetime.now(UTC)
        # group → source → its row, and the claim and input event that last touched it
        groups: dict[str, dict[str, tuple[TotalsRow | None, Claim, Any]]] = {}
        for key, (claim, event) in touched.items():
            row = totals_of.series_row(key, series.get(key) or {}, now)
            group, source = key.rsplit("|", 1)
            before_heads = heads.get(group) or {}
            after_heads = totals_of.with_head(before_heads, source, row)
            if after_heads != before_heads:
                heads.set(group, after_heads, event)
            groups.setdefault(group, {})[source] = (row, claim, event)
        for group, changed in groups.items():
            _, claim, event = next(reversed(changed.values()))
            group_heads = heads.get(group) or {}
            # A source that only restates another ("the UN" giving OHCHR's figure) is sent as a tombstone; it
            # comes back when what it restated is withdrawn, so every such source of a touched group is re-sent.
            for source in totals_of.restating_candidates(group_heads):
                key = f"{group}|{source}"
                changed.setdefault(source, (totals_of.series_row(key, series.get(key) or {}, now), claim, event))
            restated = totals_of.restated_sources(group_heads)
            for source, (row, by, origin) in changed.items():
                shown = None if source in restated else row
                sent.append(await _publish(f"{group}|{source}", shown, by, origin))
                metrics.total_updated(by.published, withdrawn=shown is None)
            headline = totals_of.headline_row(group, group_heads, now)
            sent.append(await _publish(f"{group}|{totals_of.HEADLINE_SOURCE}", headline, claim, event))
            metrics.set_headline(*ledger.parse_group(group), headline.value if headline is not None else None)
        metrics.sent("totals", totals_topic, sum(len(c) for c in groups.values()) + len(groups))
        await _settle(sent + await series.flush() + await heads.flush())

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
        """One event's work, counted in and out: its result, or None once the event is dead-lettered, so one bad
        event never fails a batch.

        A batch's events are acked when the loop body ends, even by an exception, so nothing may escape it.
        """
        metrics.received(stage, event.message.topic)
        try:
            return await work
        except DecodeError as exc:
            await _reject(pipeline, event, exc, stage)
        except Exception as exc:
            log.exception("%s failed on %s", stage, _origin(event))
            await _reject(pipeline, event, exc, stage)
        finally:
            metrics.processed(stage, event.message.timestamp)
        return None

    async def _publish(key: str, row: TotalsRow | None, claim: Claim, origin: Any) -> Any:
        """A row on the compacted totals topic (a tombstone when the series is withdrawn), and to the live page."""
        feed.publish_total(key, row)
        return await send(
            app,
            totals_topic,
            key.encode(),
            codec.dumps(row) if row is not None else None,
            origin=origin,
            headers=codec.ce_headers(
                "total",
                source=SOURCE + "/totals",
                id=codec.event_id("total", key, claim.claim_id, claim.op),
                time=claim.published,
            ),
        )

    batched(topics.updates, "entries", _entries_batch)
    batched(topics.bands, "neardup", _neardup_batch)
    batched(topics.links, "links", _links_batch)
    batched(topics.claims, "totals", _totals_batch)


async def _complete(agent: str, work: Awaitable[None]) -> None:
    """Run one batch's work; if it cannot complete, exit the process before the batch is acked.

    `Stream.take_events` acks a batch's events when the loop body ends, exceptions and cancellation included,
    and a later commit would then skip events whose outputs were never sent. Cancellation is how Faust stops an
    agent (a worker told to stop, by SIGTERM or a rebalance's shutdown, cancels the agent mid-batch and then
    commits what is acked): measured as 100 inputs lost when a worker left a group mid-replay. So a batch that
    is failed or cancelled ends the process at once: a worker that exits commits nothing further, and its
    successor (or the partition's new owner) reads the batch again. Bad events never get here: they are
    dead-lettered one by one.
    """
    try:
        await work
    except BaseException as exc:
        why = "was cancelled (the worker is stopping)" if isinstance(exc, asyncio.CancelledError) else "failed"
        log.critical(
            "%s: a batch %s before it completed; exiting so that no offset is committed past it",
            agent,
            why,
            exc_info=not isinstance(exc, asyncio.CancelledError),
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(BATCH_FAILED_EXIT_CODE)


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    """`items` in lists of at most `size`: a batch's records stay far below the broker's 1 MB message limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _settle(futures: list[Any]) -> None:
    """Wait until every send of a batch (outputs and changelog writes) is on the broker."""
    if futures:
        await asyncio.gather(*futures)
