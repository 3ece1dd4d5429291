"""The pipeline's metrics on a fresh registry per test, and the app reads done at scrape time, on fakes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from streams.metrics import AppCollector, Metrics, consumer_lag, readiness


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


def test_names_follow_prometheus_conventions(registry: CollectorRegistry) -> None:
    Metrics(registry)
    names = {family.name for family in text_string_to_metric_families(generate_latest(registry).decode())}
    assert {
        "liveblog_events_in",
        "liveblog_events_out",
        "liveblog_processing_latency_seconds",
        "liveblog_event_age_seconds",
        "liveblog_dedup_outcomes",
        "liveblog_dead_letters",
        "liveblog_figures_extracted",
        "liveblog_headline_value",
        "liveblog_worker_up",
        "liveblog_build_info",
    } <= names
    text = generate_latest(registry).decode()
    assert "liveblog_dedup_outcomes_total" in text and "liveblog_build_info{" in text
    assert value(registry, "liveblog_worker_up") == 1


def test_events_in_and_out_per_agent_and_topic(registry: CollectorRegistry) -> None:
    metrics = Metrics(registry)
    for _ in range(3):
        metrics.received("entries", "liveblog.updates")
    metrics.sent("entries", "liveblog.updates.unique", 2)
    metrics.sent("totals", "liveblog.totals", 0)
    assert value(registry, "liveblog_events_in_total", agent="entries", topic="liveblog.updates") == 3
    assert value(registry, "liveblog_events_out_total", agent="entries", topic="liveblog.updates.unique") == 2
    assert value(registry, "liveblog_events_out_total", agent="totals", topic="liveblog.totals") == 0


def test_labels_outside_the_vocabularies_become_other(registry: CollectorRegistry) -> None:
    metrics = Metrics(registry)
    metrics.received("entry-8f3a", "t")
    metrics.deduplicated("whatever")
    metrics.dead_lettered("entries", "free text from an exception")
    metrics.dead_lettered("entries", "not_json")
    metrics.extracted(["killed", "killed", "goats"])
    assert value(registry, "liveblog_events_in_total", agent="other", topic="t") == 1
    assert value(registry, "liveblog_dedup_outcomes_total", outcome="other") == 1
    assert value(registry, "liveblog_dead_letters_total", stage="entries", reason="other") == 1
    assert value(registry, "liveblog_dead_letters_total", stage="entries", reason="not_json") == 1
    assert value(registry, "liveblog_figures_extracted_total", metric="killed") == 2
    assert value(registry, "liveblog_figures_extracted_total", metric="other") == 1


def test_every_dedup_outcome_starts_at_zero(registry: CollectorRegistry) -> None:
    metrics = Metrics(registry)
    metrics.deduplicated("near_duplicate")
    outcomes = ("new", "redelivery", "revision", "stale")
    assert [value(registry, "liveblog_dedup_outcomes_total", outcome=o) for o in outcomes] == [0, 0, 0, 0]
    assert value(registry, "liveblog_dedup_outcomes_total", outcome="near_duplicate") == 1


def test_processing_latency_is_observed_in_seconds_from_the_record_timestamp(registry: CollectorRegistry) -> None:
    clock = Clock()
    metrics = Metrics(registry, clock=clock)
    assert value(registry, "liveblog_last_processed_timestamp_seconds", agent="totals") == clock.now
    clock.now += 10
    metrics.processed("totals", clock.now - 0.15)
    metrics.processed("totals", clock.now - 0.003)
    metrics.processed("totals", None)  # no timestamp: counts as done, not observed
    bucket = "liveblog_processing_latency_seconds_bucket"
    assert value(registry, bucket, agent="totals", le="0.005") == 1
    assert value(registry, bucket, agent="totals", le="0.2") == 2
    assert value(registry, "liveblog_processing_latency_seconds_count", agent="totals") == 2
    assert value(registry, "liveblog_last_processed_timestamp_seconds", agent="totals") == clock.now


def test_event_age_runs_from_ce_time_to_the_total(registry: CollectorRegistry) -> None:
    clock = Clock(datetime(2024, 5, 1, 10, tzinfo=UTC).timestamp())
    metrics = Metrics(registry, clock=clock)
    metrics.total_updated(datetime(2024, 5, 1, 9, 59, 30, tzinfo=UTC))
    metrics.total_updated(datetime(2024, 5, 1, 9, tzinfo=UTC), withdrawn=True)
    assert value(registry, "liveblog_event_age_seconds_bucket", le="60.0") == 1
    assert value(registry, "liveblog_event_age_seconds_sum") == 30 + 3600
    assert value(registry, "liveblog_totals_updates_total", kind="value") == 1
    assert value(registry, "liveblog_totals_updates_total", kind="tombstone") == 1


def test_headline_label_sets_are_capped_and_removable(registry: CollectorRegistry) -> None:
    metrics = Metrics(registry, headline_cap=2)
    assert metrics.set_headline("war/ukraine/2022-03", "killed", "civilians", "Ukraine", 1189)
    assert metrics.set_headline("war/ukraine/2022-03", "refugees", "people", "Ukraine", 4_000_000)
    assert not metrics.set_headline(
        "war/ukraine/2022-03", "injured", "civilians", "Ukraine", 1901
    )  # a third label set: refused
    assert metrics.set_headline(
        "war/ukraine/2022-03", "killed", "civilians", "Ukraine", 1200
    )  # an existing one still moves
    labels = {"story": "war/ukraine/2022-03", "metric": "killed", "subject": "civilians", "place": "Ukraine"}
    assert value(registry, "liveblog_headline_value", **labels) == 1200
    assert (
        value(
            registry,
            "liveblog_headline_value",
            story="war/ukraine/2022-03",
            metric="injured",
            subject="civilians",
            place="Ukraine",
        )
        is None
    )
    assert value(registry, "liveblog_headline_rejected_total") == 1
    metrics.set_headline("war/ukraine/2022-03", "killed", "civilians", "Ukraine", None)
    assert value(registry, "liveblog_headline_value", **labels) is None
    assert metrics.set_headline("war/ukraine/2022-03", "injured", "civilians", "Ukraine", 1901)  # room again


# -- scrape-time reads of a running app, on fakes shaped like Faust 0.15.3's objects ---------------------


@dataclass(frozen=True, order=True)
class TP:
    topic: str
    partition: int


class FakeConsumer:
    def __init__(self, highwaters: dict[TP, int | None], committed: dict[TP, int]) -> None:
        self.highwaters = highwaters
        self._committed_offset = committed

    def assignment(self) -> set[TP]:
        return set(self.highwaters)

    def highwater(self, tp: TP) -> int | None:
        return self.highwaters[tp]


class FakeEvent:
    def __init__(self, done: bool) -> None:
        self.done = done

    def is_set(self) -> bool:
        return self.done


@dataclass
class FakeApp:
    consumer: FakeConsumer
    agents: dict[str, Any]
    tables: Any
    monitor: Any = None
    rebalancing: bool = False
    in_recovery: bool = False
    rebalancing_count: int = 1


@dataclass
class Agent:
    channel: Any


@dataclass
class Channel:
    topics: list[str]


@dataclass
class Tables:
    recovery: Any
    items_: dict[str, Any] = field(default_factory=dict)

    def items(self) -> Any:
        return self.items_.items()


@dataclass
class Recovery:
    completed: FakeEvent


def fake_app(*, recovered: bool = True) -> FakeApp:
    updates0, updates1, changelog = TP("u", 0), TP("u", 1), TP("app-seen-changelog", 0)
    consumer = FakeConsumer({updates0: 120, updates1: None, changelog: 50}, {updates0: 100, changelog: 0})
    return FakeApp(
        consumer=consumer,
        agents={"enrich": Agent(Channel(["u"]))},
        tables=Tables(Recovery(FakeEvent(recovered)), {"seen": {"a": 1, "b": 2}}),
    )


def test_lag_is_the_high_watermark_minus_the_committed_offset_of_agent_topics_only() -> None:
    app = fake_app()
    assert list(consumer_lag(app)) == [("u", 0, 20)]  # no highwater yet for u/1; changelogs are not lag


def test_readiness_needs_assignment_and_recovery() -> None:
    assert readiness(fake_app())["ready"] is True
    assert readiness(fake_app(recovered=False))["ready"] is False
    rebalancing = fake_app()
    rebalancing.rebalancing = True
    assert readiness(rebalancing)["ready"] is False
    empty = fake_app()
    empty.consumer.highwaters.clear()
    assert readiness(empty) == {
        "assigned_partitions": 0,
        "rebalancing": False,
        "recovering": False,
        "recovered": True,
        "ready": False,
    }


def test_the_app_collector_exports_lag_tables_rebalances_and_readiness(registry: CollectorRegistry) -> None:
    app = fake_app()
    clock = Clock()
    Metrics(registry, clock=clock).watch(app, table_size_every=30)
    assert value(registry, "liveblog_consumer_lag_messages", topic="u", partition="0") == 20
    assert value(registry, "liveblog_table_keys", table="seen") == 2
    assert value(registry, "liveblog_rebalances_total") == 1
    assert value(registry, "liveblog_worker_ready") == 1
    assert value(registry, "liveblog_assigned_partitions") == 3
    # A dict is not an in-memory Faust store: its size is refreshed only every 30 s.
    app.tables.items_["seen"]["c"] = 3
    assert value(registry, "liveblog_table_keys", table="seen") == 2
    clock.now += 30
    assert value(registry, "liveblog_table_keys", table="seen") == 3


def test_the_app_collector_survives_an_app_that_has_not_started(registry: CollectorRegistry) -> None:
    class NotStarted:
        agents: dict[str, Any] = {}  # noqa: RUF012
        tables: dict[str, Any] = {}  # noqa: RUF012

        @property
        def consumer(self) -> Any:
            raise RuntimeError("Consumer thread not yet started")

    registry.register(AppCollector(NotStarted()))
    assert value(registry, "liveblog_worker_ready") == 0
    assert value(registry, "liveblog_consumer_lag_messages", topic="u", partition="0") is None
