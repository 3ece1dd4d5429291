"""The topics the pipeline wants, from `Settings`, and how a cluster's actual topics differ: pure, no I/O.

`wanted_topics` is the one place that says which topics exist and how each is configured; the admin calls
that create and describe them are in `streams.kafka.topics`.

- The totals and the follower's cursors are tables of state (one current record per key): compacted.
- Updates and dead letters are logs: deleted after a retention period. Updates are kept longest, since
  a replay from them rebuilds everything downstream; the derived topics (unique, claims) can be
  recomputed from the updates, so a week is enough for any consumer to catch up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from streams.settings import Settings

DAY_MS = 24 * 3600 * 1000

#: Retention of the topics that are logs, in milliseconds.
RETENTION_MS = {
    "updates": 30 * DAY_MS,
    "updates.unique": 7 * DAY_MS,
    "claims": 7 * DAY_MS,
    "neardup.bands": 7 * DAY_MS,
    "neardup.links": 7 * DAY_MS,
    "deadletter": 30 * DAY_MS,
}

#: Topics holding one current record per key: compacted, never deleted by age.
COMPACTED = ("totals", "neardup", "follow.cursors")

#: Every topic short name, in the order they are created and described (the pipeline's order).
SHORT_NAMES = (
    "updates",
    "updates.unique",
    "neardup.bands",
    "neardup.links",
    "claims",
    "totals",
    "neardup",
    "deadletter",
    "follow.cursors",
)


@dataclass(frozen=True)
class TopicSpec:
    """A topic as the settings want it (or as a cluster has it: `configs` then holds what it reported)."""

    name: str
    partitions: int
    replication_factor: int
    configs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Drift:
    """One way an actual topic differs from the wanted one."""

    topic: str
    what: str  # "missing", "partitions", "replication_factor", or a config name
    wanted: str
    actual: str

    def __str__(self) -> str:
        if self.what == "missing":
            return f"{self.topic}: missing"
        return f"{self.topic}: {self.what} is {self.actual}, settings want {self.wanted}"


def configs_for(short_name: str, settings: Settings) -> dict[str, str]:
    """The topic-level configs of one of the pipeline's topics."""
    if short_name in COMPACTED:
        configs = {"cleanup.policy": "compact"}
    else:
        configs = {"cleanup.policy": "delete", "retention.ms": str(RETENTION_MS[short_name])}
    if settings.replication_factor >= 3:
        # With three copies a write survives one broker down; acks=all then needs two in sync.
        configs["min.insync.replicas"] = "2"
    return configs


def wanted_topics(settings: Settings) -> list[TopicSpec]:
    """Every topic the pipeline needs, named with the settings' prefix, with partitions, replication, configs."""
    return [
        TopicSpec(
            name=settings.topic(short),
            partitions=settings.partitions,
            replication_factor=settings.replication_factor,
            configs=configs_for(short, settings),
        )
        for short in SHORT_NAMES
    ]


def topic_drift(wanted: TopicSpec, actual: TopicSpec | None) -> list[Drift]:
    """How `actual` differs from `wanted`: partitions, replication factor, and each wanted config.

    Configs the settings do not set are the operator's business and never drift; a wanted config the
    broker does not report (some brokers list only what was set) is reported as `(unset)`.
    """
    if actual is None:
        return [Drift(wanted.name, "missing", "present", "absent")]
    drift = []
    if actual.partitions != wanted.partitions:
        drift.append(Drift(wanted.name, "partitions", str(wanted.partitions), str(actual.partitions)))
    if actual.replication_factor != wanted.replication_factor:
        drift.append(
            Drift(wanted.name, "replication_factor", str(wanted.replication_factor), str(actual.replication_factor))
        )
    for name, value in wanted.configs.items():
        have = actual.configs.get(name)
        if have != value:
            drift.append(Drift(wanted.name, name, value, "(unset)" if have is None else have))
    return drift


def diff(wanted: Iterable[TopicSpec], actual: Mapping[str, TopicSpec]) -> list[Drift]:
    """Every drift of the cluster's topics (`actual`, by name) from the wanted ones; extra topics are ignored."""
    return [drift for spec in wanted for drift in topic_drift(spec, actual.get(spec.name))]


def missing(wanted: Iterable[TopicSpec], existing: Iterable[str]) -> list[TopicSpec]:
    """The wanted topics a cluster with topics `existing` lacks, in the wanted order."""
    present = set(existing)
    return [spec for spec in wanted if spec.name not in present]


def format_topic(spec: TopicSpec, drift: Iterable[Drift] = ()) -> str:
    """A topic's lines for `liveblog topics describe`: name, partitions, replication, configs, then its drift."""
    configs = " ".join(f"{k}={v}" for k, v in sorted(spec.configs.items())) or "(none reported)"
    lines = [f"{spec.name}  partitions={spec.partitions}  replication={spec.replication_factor}  {configs}"]
    lines.extend(f"  DRIFT {d.what}: is {d.actual}, settings want {d.wanted}" for d in drift)
    return "\n".join(lines)
