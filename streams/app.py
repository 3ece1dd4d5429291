"""The composition root: builds the Faust app, its topics and tables from `Settings`.

Nothing else in the project constructs Faust objects; agents live in `streams.agents` and only move
events between a topic, a pure function and a table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import faust
from prometheus_client import CollectorRegistry

from streams import faust_codec, faust_exactly_once_fixes, faust_rebalance_fixes
from streams.metrics import Metrics, source_topics
from streams.settings import Settings
from streams.watchdog import StallWatch, Watchdog

#: Topic short names → whether the topic is compacted.
TOPICS = {
    "updates": False,
    "updates.unique": False,
    "claims": False,
    "neardup.bands": False,
    "neardup.links": False,
    "neardup": True,
    "totals": True,
    "deadletter": False,
}


#: Changelog writes Faust may hold before it throttles the fetcher (its default is 100).
PRODUCER_BUFFER = 20_000

#: Bytes fetched ahead per input partition (Faust's default is 1 MiB). A worker behind its input holds a whole fetch
#: as aiokafka records, about 3x the bytes (16 MiB: 16,500 corpus updates, 35 MiB of records and 16 MiB of response
#: by tracemalloc). 4 MiB is still 8 agent batches of corpus updates ahead (corpus, 60,000 updates, rocksdb://: peak
#: RSS 234/243 -> 197 MiB at 704/645 -> 698 updates/s; memory://: 269/271 -> 223 MiB at 758 -> 741 updates/s).
FETCH_BYTES = 4 * 1024 * 1024

#: RocksDB options of each table (`LIVEBLOG_STORE=rocksdb://`). Faust's defaults are sized for a machine of its
#: own: a 64 MiB memtable, up to 3 of them, and a 2 GiB block cache, per table and partition. Every write sits in
#: the memtable until it is flushed to disk, so with them the worker's memory grew with every update it wrote: the
#: `entries` and `recent` memtables took 18 and 13 MiB in 60,000 corpus updates (a blog's whole ring is written
#: again on each of its updates), headed for 64 MiB each, then the block caches would fill with what is read back.
#: Small memtables flushed early and a small block cache keep a table's memory bounded; the data is the same.
ROCKSDB_OPTIONS: dict[str, int] = {
    "write_buffer_size": 4 * 1024 * 1024,
    "max_write_buffer_number": 2,
    "block_cache_size": 8 * 1024 * 1024,
    "block_cache_compressed_size": 8 * 1024 * 1024,  # python-rocksdb only; rocksdict has no compressed cache
}
#: Keys per table in the RocksDB store's key → partition cache (Faust's default is 1,000). Each cached key is the
#: `orjson.dumps` output Faust encoded it with, which keeps orjson's 4 KiB buffer (orjson 3.13: 100,000 short keys
#: held, 393 MiB): 1,000 keys cost 4 MiB per table, 28 MiB for the 7. Only reads and deletes outside an event use
#: it (a batch's reads); a miss asks each assigned partition's bloom filter instead, for the same value.
TABLE_KEY_INDEX = 100


def table_options(store: str) -> dict[str, Any] | None:
    """The `options` of a table on `store`: bounded memory for RocksDB (`ROCKSDB_OPTIONS`), Faust's own otherwise.

    A fresh dict per table: Faust's RocksDB store pops keys from the dict it is given.
    """
    return dict(ROCKSDB_OPTIONS) if store.startswith("rocksdb") else None


@dataclass(frozen=True)
class Topics:
    updates: Any
    unique: Any
    claims: Any
    bands: Any  # LSH band notes, keyed (and partitioned) by band key
    links: Any  # near-duplicate links, keyed by blog id (the entries' partitioning)
    neardup: Any  # the links downstream, compacted, keyed by entry
    totals: Any
    deadletter: Any


@dataclass(frozen=True)
class Tables:
    entries: Any  # entry key → EntryRecord: the version seen last and its claims (dedup, ledger)
    series: Any  # series key → {claim id: compact claim} (totals)
    heads: Any  # metric|subject|place → {source: its series row} (headlines)
    recent: Any  # blog id → its latest entries with their figures (API)
    bands: Any  # partition/entry key → EntryBands: its signature and LSH bands (near-duplicates)
    links: Any  # entry key → its near-duplicate link, the earliest canonical any band reported
    activity: Any  # blog id → updates and figures per hour of event time (streams.activity)


@dataclass(frozen=True)
class Pipeline:
    app: Any
    settings: Settings
    topics: Topics
    tables: Tables
    metrics: Metrics
    watchdog: Watchdog | None = None
    gate: faust_exactly_once_fixes.CommitGate = field(
        default_factory=faust_exactly_once_fixes.CommitGate
    )  # batches vs EOS commits


def faust_broker_url(settings: Settings) -> str:
    return "kafka://" + settings.bootstrap_servers.replace(",", ";")


def _credentials(settings: Settings) -> Any:
    if settings.security_protocol == "PLAINTEXT":
        return None
    ssl_context = None
    if settings.security_protocol.endswith("SSL"):
        import ssl

        ssl_context = ssl.create_default_context(cafile=settings.ssl_cafile)
    if settings.security_protocol.startswith("SASL"):
        password = settings.sasl_password.get_secret_value() if settings.sasl_password else ""
        return faust.SASLCredentials(
            username=settings.sasl_username or "",
            password=password,
            mechanism=settings.sasl_mechanism or "PLAIN",
            ssl_context=ssl_context,
        )
    return faust.SSLCredentials(ssl_context)


def _watchdog(app: Any, settings: Settings) -> Watchdog | None:
    """Checks every few seconds that the consumer moves while records wait (`streams.watchdog`)."""
    if not settings.stall_timeout:
        return None
    watchdog = Watchdog(
        app, topics=lambda: source_topics(app), watch=StallWatch(settings.stall_timeout), clock=time.monotonic
    )

    async def check_consumer_moves() -> None:
        watchdog.check()

    app.timer(interval=min(5.0, settings.stall_timeout / 4))(check_consumer_moves)  # untyped decorator, as a call
    return watchdog


def build_app(settings: Settings, registry: CollectorRegistry | None = None) -> Pipeline:
    """A Faust app with the pipeline's topics, tables and agents; metrics on `registry` (a fresh one if None)."""
    serializer = faust_codec.register()
    faust_rebalance_fixes.apply()  # three faust-streaming 0.15.3 defects that lose records after a rebalance
    app = faust.App(
        settings.app_id,
        version=settings.generation,  # Faust's way to start afresh: group and changelogs become `<id>-v<N>`
        broker=faust_broker_url(settings),
        broker_credentials=_credentials(settings),
        store=settings.store,
        datadir=settings.data_dir,
        autodiscover=False,
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        processing_guarantee=settings.processing_guarantee,
        broker_commit_interval=settings.commit_interval,
        broker_session_timeout=settings.session_timeout,
        broker_rebalance_timeout=settings.rebalance_timeout,
        broker_request_timeout=settings.request_timeout,
        broker_heartbeat_interval=min(3.0, settings.session_timeout / 3),
        consumer_auto_offset_reset="earliest",
        # Throughput (issue 6): bigger fetches and producer batches, a short linger so a batch's sends travel
        # together; a stream buffer of two agent batches keeps little in flight at a rebalance.
        consumer_max_fetch_size=FETCH_BYTES,
        producer_linger=0.005,
        producer_max_batch_size=256 * 1024,
        producer_max_request_size=max(1_000_000, 2 * settings.max_event_bytes),
        stream_buffer_maxsize=2 * settings.batch_max,
        table_key_index_size=TABLE_KEY_INDEX,
        web_enabled=settings.web_enabled,
        web_host=settings.web_host,
        web_port=settings.web_port,
    )

    def topic(name: str) -> Any:
        return app.topic(
            settings.topic(name),
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=settings.partitions,
            compacting=TOPICS[name] or None,
        )

    topics = Topics(
        updates=topic("updates"),
        unique=topic("updates.unique"),
        claims=topic("claims"),
        bands=topic("neardup.bands"),
        links=topic("neardup.links"),
        neardup=topic("neardup"),
        totals=topic("totals"),
        deadletter=topic("deadletter"),
    )

    def table(name: str, help: str) -> Any:
        return app.Table(
            name,
            default=None,
            partitions=settings.partitions,
            schema=faust.Schema(key_type=str, key_serializer=serializer, value_serializer=serializer),
            help=help,
            options=table_options(settings.store),
        )

    tables = Tables(
        entries=table("entries", "Dedup and ledger: each entry's version seen last and the claims it makes."),
        series=table("series", "Totals: the claims of each source's series."),
        heads=table("heads", "Headlines: each source's current row, per metric, subject and place."),
        recent=table("recent", "API: each blog's latest entries with their figures."),
        bands=table("bands", "Near-duplicates: each entry within the window, its signature and its LSH bands."),
        links=table("links", "Near-duplicates: each duplicate entry's canonical entry."),
        activity=table("activity", "Charts: each blog's updates and figures per hour of publication."),
    )
    # Faust holds table changelog writes in a buffer of at most 100 messages (a class attribute, no setting) and
    # throttles the fetcher while it is fuller, logging "producer buffer full": a batch writes up to a few
    # hundred keys at once, and waits for them itself (`streams.batching`).
    app.producer.buffer.max_messages = PRODUCER_BUFFER
    metrics = Metrics(registry if registry is not None else CollectorRegistry())
    watchdog = _watchdog(app, settings)
    pipeline = Pipeline(app=app, settings=settings, topics=topics, tables=tables, metrics=metrics, watchdog=watchdog)
    # Exactly-once: recovery reads the changelogs' real end, and no commit splits a batch
    # (`streams.faust_exactly_once_fixes`).
    faust_exactly_once_fixes.gate_commits(app, pipeline.gate)

    from streams.agents import register_agents

    register_agents(pipeline)
    if settings.web_enabled:
        from streams.web import register_web

        register_web(app, metrics, watchdog)
        from streams.api.views import register_api

        register_api(pipeline)
    return pipeline
