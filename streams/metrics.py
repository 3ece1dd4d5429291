"""The pipeline's own Prometheus metrics: one `Metrics` object over an injected `CollectorRegistry`.

Faust's Prometheus sensor (`faust.sensors.prometheus`, installed by `streams.web`) already counts messages
per topic, table operations, sends, commits and rebalances in progress, under `liveblog_faust_*` with its own
(millisecond) units. This module adds what it lacks, in Prometheus' conventions (`_total`, `_seconds`, base
units, explicit buckets, bounded labels):

- events in and out per agent and topic, processing latency per agent, dedup outcomes, dead letters by stage
  and reason, figures extracted by metric, the age of the event behind each total update;
- read from the running app at scrape time (`AppCollector`, duck-typed, no Faust import): consumer lag per
  partition, table sizes, rebalances, whether partitions are assigned and tables recovered;
- worker up, build info, and a few business gauges (headline values by story, metric, subject and place only, with a
  hard cap on the number of label sets).

Every label value is checked against a closed vocabulary, so no entry id or free text can become a series.
"""

from __future__ import annotations

import contextlib
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, Final, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from schemas.models import Metric as FigureMetric
from streams import __version__
from streams.errors import LiveblogError
from streams.watchdog import positions

AGENTS: Final = ("entries", "neardup", "links", "totals")
STAGES: Final = ("ingest", *AGENTS)
DEDUP_OUTCOMES: Final = ("new", "redelivery", "revision", "stale", "retry", "near_duplicate")
FIGURE_METRICS: Final = frozenset(get_args(FigureMetric))
OTHER: Final = "other"

#: Seconds from a record's arrival on an agent's input topic to the agent being done with it.
LATENCY_BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
#: Seconds from an event's `ce_time` (when the entry was published or updated) to its total being updated.
AGE_BUCKETS: Final = (1.0, 10.0, 60.0, 300.0, 900.0, 3600.0, 6 * 3600.0, 86400.0, 7 * 86400.0, 30 * 86400.0)
#: At most this many (story, metric, subject, place) label sets in `liveblog_headline_value`.
HEADLINE_CAP: Final = 50


def _reasons() -> frozenset[str]:
    """Every dead-letter reason the project can produce: each error class's, and the catch-all."""
    found, todo = {"unexpected_error"}, [LiveblogError]
    while todo:
        cls = todo.pop()
        found.add(cls.reason)
        todo.extend(cls.__subclasses__())
    return frozenset(found)


def _bounded(value: str, allowed: Iterable[str]) -> str:
    return value if value in allowed else OTHER


class Metrics:
    """Every metric the pipeline records, registered on one registry (a fresh one per test)."""

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        headline_cap: int = HEADLINE_CAP,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.headline_cap = headline_cap
        self._clock = clock
        self._reasons = _reasons()
        self._headlines: set[tuple[str, str, str, str]] = set()
        self.events_in = Counter(
            "liveblog_events_in", "Events an agent took from its input topic.", ["agent", "topic"], registry=registry
        )
        self.events_out = Counter(
            "liveblog_events_out", "Events an agent sent to an output topic.", ["agent", "topic"], registry=registry
        )
        self.processing_latency = Histogram(
            "liveblog_processing_latency_seconds",
            "From a record's append to the agent's input topic (Kafka timestamp) to the agent being done with it; "
            "for agent=totals: to the total being updated.",
            ["agent"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.event_age = Histogram(
            "liveblog_event_age_seconds",
            "From an event's ce_time (the entry's publication or update) to its total being updated.",
            buckets=AGE_BUCKETS,
            registry=registry,
        )
        self.last_processed = Gauge(
            "liveblog_last_processed_timestamp_seconds",
            "Unix time an agent last finished an event (the worker's start until it has).",
            ["agent"],
            registry=registry,
        )
        self.dedup_outcomes = Counter(
            "liveblog_dedup_outcomes", "Dedup decisions by outcome.", ["outcome"], registry=registry
        )
        self.dead_letters = Counter(
            "liveblog_dead_letters",
            "Events dead-lettered, by stage and reason.",
            ["stage", "reason"],
            registry=registry,
        )
        self.figures = Counter(
            "liveblog_figures_extracted", "Figures extracted from updates, by metric.", ["metric"], registry=registry
        )
        self.totals_updates = Counter(
            "liveblog_totals_updates", "Totals rows written (a value or a tombstone).", ["kind"], registry=registry
        )
        self.headline = Gauge(
            "liveblog_headline_value",
            f"Headline totals by story, metric, subject and place (at most {headline_cap} label sets).",
            ["story", "metric", "subject", "place"],
            registry=registry,
        )
        self.headline_rejected = Counter(
            "liveblog_headline_rejected",
            "Headline values not exported because the label-set cap was reached.",
            registry=registry,
        )
        self.worker_up = Gauge("liveblog_worker_up", "1 while the worker process runs.", registry=registry)
        self.build = Info("liveblog_build", "Versions of the running worker.", registry=registry)
        self.build.info({"version": __version__, "python": platform.python_version(), "faust": _faust_version()})
        self.worker_up.set(1)
        started = clock()
        for agent in AGENTS:
            self.last_processed.labels(agent=agent).set(started)
        for outcome in DEDUP_OUTCOMES:
            self.dedup_outcomes.labels(outcome=outcome)
        for kind in ("value", "tombstone"):
            self.totals_updates.labels(kind=kind)

    # -- what the agents call -------------------------------------------------------------------------

    def received(self, agent: str, topic: str) -> None:
        self.events_in.labels(agent=_bounded(agent, AGENTS), topic=topic).inc()

    def sent(self, agent: str, topic: str, count: int = 1) -> None:
        self.events_out.labels(agent=_bounded(agent, AGENTS), topic=topic).inc(count)

    def processed(self, agent: str, appended_at: float | None) -> None:
        """An agent is done with a record appended to its input topic at `appended_at` (Unix seconds)."""
        agent, now = _bounded(agent, AGENTS), self._clock()
        if appended_at is not None and appended_at > 0:
            self.processing_latency.labels(agent=agent).observe(max(0.0, now - appended_at))
        self.last_processed.labels(agent=agent).set(now)

    def deduplicated(self, outcome: str) -> None:
        self.dedup_outcomes.labels(outcome=_bounded(outcome, DEDUP_OUTCOMES)).inc()

    def dead_lettered(self, stage: str, reason: str) -> None:
        self.dead_letters.labels(stage=_bounded(stage, STAGES), reason=_bounded(reason, self._reasons)).inc()

    def extracted(self, metrics: Iterable[str]) -> None:
        """The figures of one enriched update, by their `metric`."""
        for metric in metrics:
            self.figures.labels(metric=_bounded(metric, FIGURE_METRICS)).inc()

    def total_updated(self, ce_time: datetime | None, *, withdrawn: bool = False) -> None:
        """A totals row was written for a claim whose event has `ce_time`."""
        self.totals_updates.labels(kind="tombstone" if withdrawn else "value").inc()
        if ce_time is not None:
            self.event_age.observe(max(0.0, self._clock() - ce_time.timestamp()))

    def set_headline(self, story: str, metric: str, subject: str, place: str, value: float | None) -> bool:
        """Export a headline value (None removes it). False when the cap keeps a new label set out."""
        labels = (story[:80], _bounded(metric, FIGURE_METRICS), subject[:64], place[:64])
        if value is None:
            if labels in self._headlines:
                self._headlines.discard(labels)
                self.headline.remove(*labels)
            return True
        if labels not in self._headlines:
            if len(self._headlines) >= self.headline_cap:
                self.headline_rejected.inc()
                return False
            self._headlines.add(labels)
        self.headline.labels(*labels).set(value)
        return True

    def watch(self, app: Any, *, table_size_every: float = 30.0) -> AppCollector:
        """Read lag, table sizes, rebalances and readiness from `app` at each scrape."""
        collector = AppCollector(app, table_size_every=table_size_every, clock=self._clock)
        self.registry.register(collector)
        return collector


def _faust_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("faust-streaming")
    except PackageNotFoundError:  # pragma: no cover - faust is a dependency
        return "unknown"


# -- read from the running app at scrape time ---------------------------------------------------------


def source_topics(app: Any) -> set[str]:
    """The topics the app's agents consume (not the tables' changelogs)."""
    names: set[str] = set()
    for agent in app.agents.values():
        names.update(getattr(agent.channel, "topics", ()) or ())
    return names


def consumer_lag(app: Any) -> Iterator[tuple[str, int, int]]:
    """(topic, partition, lag) for each assigned partition of an agent's topic, without any request.

    lag = high watermark - committed offset (`streams.watchdog.positions`): what `kafka-consumer-groups
    --describe` shows.
    """
    for topic, partition, committed, highwater in positions(app, source_topics(app)):
        yield topic, partition, max(0, highwater - committed)


def readiness(app: Any) -> dict[str, Any]:
    """Faust's own signals: partitions assigned, no rebalance or recovery under way, recovery completed once."""
    recovery = app.tables.recovery
    try:
        assigned = len(app.consumer.assignment())
    except Exception:  # the consumer has not started yet
        assigned = 0
    state = {
        "assigned_partitions": assigned,
        "rebalancing": bool(app.rebalancing),
        "recovering": bool(app.in_recovery),
        "recovered": recovery.completed.is_set(),
    }
    state["ready"] = assigned > 0 and state["recovered"] and not state["rebalancing"] and not state["recovering"]
    return state


class AppCollector(Collector):
    """Gauges computed from a running Faust app when Prometheus scrapes (cheap reads of in-memory state)."""

    def __init__(self, app: Any, *, table_size_every: float = 30.0, clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.table_size_every = table_size_every
        self._clock = clock
        self._sizes: dict[str, int] = {}
        self._sized_at = float("-inf")

    def describe(self) -> list[Metric]:
        return []  # collected lazily: the app is not running at registration

    def collect(self) -> Iterator[Metric]:
        lag = GaugeMetricFamily(
            "liveblog_consumer_lag_messages",
            "High watermark minus committed offset, per assigned partition of an agent's topic.",
            labels=["topic", "partition"],
        )
        with contextlib.suppress(Exception):
            for topic, partition, value in consumer_lag(self.app):
                lag.add_metric([topic, str(partition)], value)
        yield lag

        sizes = GaugeMetricFamily(
            "liveblog_table_keys", "Keys in each table's active partitions on this worker.", labels=["table"]
        )
        for table, size in self.table_sizes().items():
            sizes.add_metric([table], size)
        yield sizes

        rebalances = CounterMetricFamily("liveblog_rebalances", "Rebalances this worker has taken part in.")
        rebalances.add_metric([], int(getattr(self.app, "rebalancing_count", 0)))
        yield rebalances

        state: dict[str, Any] = {}
        with contextlib.suppress(Exception):
            state = readiness(self.app)
        ready = GaugeMetricFamily("liveblog_worker_ready", "1 when partitions are assigned and tables recovered.")
        ready.add_metric([], 1 if state.get("ready") else 0)
        yield ready
        assigned = GaugeMetricFamily("liveblog_assigned_partitions", "Partitions assigned to this worker.")
        assigned.add_metric([], state.get("assigned_partitions", 0))
        yield assigned

    def table_sizes(self) -> dict[str, int]:
        """`len()` of each table. A RocksDB table counts by iterating, so sizes are refreshed at most every
        `table_size_every` seconds; an in-memory table is a dict and always exact."""
        now = self._clock()
        stale = now - self._sized_at >= self.table_size_every
        for name, table in list(self.app.tables.items()):
            if stale or _is_memory(table) or name not in self._sizes:
                with contextlib.suppress(Exception):
                    self._sizes[name] = len(table)
        if stale:
            self._sized_at = now
        return dict(self._sizes)


def _is_memory(table: Any) -> bool:
    return type(getattr(table, "data", None)).__module__.endswith("memory")
