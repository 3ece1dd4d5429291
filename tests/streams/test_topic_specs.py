"""The wanted topics from the settings, and the drift of a cluster's topics from them (pure, no broker)."""

from __future__ import annotations

from dataclasses import replace

from streams.app import TOPICS
from streams.follow.follower import CURSOR_TOPIC
from streams.kafka.topic_specs import (
    COMPACTED,
    Drift,
    TopicSpec,
    diff,
    format_topic,
    missing,
    topic_drift,
    wanted_topics,
)
from streams.settings import Settings


def by_short_name(settings: Settings) -> dict[str, TopicSpec]:
    return {spec.name.removeprefix(settings.topic_prefix + "."): spec for spec in wanted_topics(settings)}


def test_every_pipeline_topic_and_the_cursor_topic_are_wanted_with_the_settings_prefix() -> None:
    settings = Settings(topic_prefix="news")
    specs = by_short_name(settings)
    assert set(specs) == {*TOPICS, CURSOR_TOPIC}
    assert all(spec.name.startswith("news.") for spec in specs.values())


def test_compaction_matches_the_app_and_the_follower() -> None:
    specs = by_short_name(Settings())
    compacted = {name for name, spec in specs.items() if spec.configs["cleanup.policy"] == "compact"}
    assert compacted == {name for name, c in TOPICS.items() if c} | {CURSOR_TOPIC} == set(COMPACTED)
    assert all("retention.ms" not in specs[name].configs for name in compacted)


def test_logs_are_deleted_after_a_retention_updates_and_dead_letters_longest() -> None:
    specs = by_short_name(Settings())
    days = {
        name: int(spec.configs["retention.ms"]) / 86_400_000
        for name, spec in specs.items()
        if spec.configs["cleanup.policy"] == "delete"
    }
    derived = {"updates.unique": 7, "neardup.bands": 7, "neardup.links": 7, "claims": 7}
    assert days == {"updates": 30, **derived, "deadletter": 30}


def test_partitions_and_replication_come_from_the_settings() -> None:
    specs = wanted_topics(Settings(partitions=6, replication_factor=3))
    assert {(s.partitions, s.replication_factor) for s in specs} == {(6, 3)}
    assert {s.configs["min.insync.replicas"] for s in specs} == {"2"}
    assert all("min.insync.replicas" not in s.configs for s in wanted_topics(Settings(replication_factor=1)))


def test_a_cluster_exactly_as_wanted_has_no_drift() -> None:
    wanted = wanted_topics(Settings(partitions=3))
    actual = {s.name: replace(s, configs={**s.configs, "segment.ms": "1000"}) for s in wanted}
    assert diff(wanted, actual) == []  # configs the settings do not set are not drift
    assert diff(wanted, {**actual, "other.topic": TopicSpec("other.topic", 1, 1)}) == []


def test_missing_topics_partitions_replication_and_configs_drift() -> None:
    wanted = TopicSpec("liveblog.totals", 6, 3, {"cleanup.policy": "compact", "min.insync.replicas": "2"})
    actual = TopicSpec("liveblog.totals", 3, 1, {"cleanup.policy": "delete"})
    assert topic_drift(wanted, None) == [Drift("liveblog.totals", "missing", "present", "absent")]
    drift = topic_drift(wanted, actual)
    assert [(d.what, d.actual, d.wanted) for d in drift] == [
        ("partitions", "3", "6"),
        ("replication_factor", "1", "3"),
        ("cleanup.policy", "delete", "compact"),
        ("min.insync.replicas", "(unset)", "2"),
    ]
    assert str(drift[2]) == "liveblog.totals: cleanup.policy is delete, settings want compact"
    assert diff([wanted], {}) == [topic_drift(wanted, None)[0]]


def test_missing_keeps_the_wanted_order() -> None:
    wanted = wanted_topics(Settings())
    absent = missing(wanted, [wanted[0].name, wanted[4].name, "unrelated"])
    assert absent == [spec for i, spec in enumerate(wanted) if i not in (0, 4)]
    assert missing(wanted, [s.name for s in wanted]) == []


def test_format_topic_lists_configs_and_flags_drift() -> None:
    spec = TopicSpec("liveblog.totals", 3, 1, {"cleanup.policy": "delete"})
    wanted = TopicSpec("liveblog.totals", 3, 1, {"cleanup.policy": "compact"})
    text = format_topic(spec, topic_drift(wanted, spec))
    assert text.splitlines() == [
        "liveblog.totals  partitions=3  replication=1  cleanup.policy=delete",
        "  DRIFT cleanup.policy: is delete, settings want compact",
    ]
