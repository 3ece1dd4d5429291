"""`liveblog topics create|describe` on both real brokers: idempotent creation, configs as the settings want."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.kafka.clients import client_options
from streams.kafka.topic_specs import diff, wanted_topics
from streams.kafka.topics import describe_topics, ensure_topics
from streams.settings import Settings

pytestmark = pytest.mark.kafka


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}
    env |= {
        "LIVEBLOG_BROKER": settings.broker,
        "LIVEBLOG_TOPIC_PREFIX": settings.topic_prefix,
        "LIVEBLOG_PARTITIONS": str(settings.partitions),
    }
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_create_twice_is_idempotent_and_describe_shows_the_configs(settings: Settings) -> None:
    settings = settings.model_copy(update={"partitions": 3})
    names = [spec.name for spec in wanted_topics(settings)]
    assert asyncio.run(ensure_topics(settings)) == names
    assert asyncio.run(ensure_topics(settings)) == []

    actual = asyncio.run(describe_topics(settings))
    assert sorted(actual) == sorted(names)
    assert diff(wanted_topics(settings), actual) == []
    totals = actual[settings.topic("totals")]
    assert totals.configs["cleanup.policy"] == "compact"
    assert (totals.partitions, totals.replication_factor) == (3, 1)
    assert actual[settings.topic("follow.cursors")].configs["cleanup.policy"] == "compact"
    assert actual[settings.topic("updates")].configs["retention.ms"] == str(30 * 86_400_000)
    assert actual[settings.topic("deadletter")].configs["cleanup.policy"] == "delete"


def test_the_cli_creates_then_describes_and_flags_drift(settings: Settings) -> None:
    settings = settings.model_copy(update={"partitions": 2})
    first, second = cli(settings, "topics", "create"), cli(settings, "topics", "create")
    assert first.returncode == 0, first.stderr
    assert settings.topic("totals") in first.stdout
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "created: nothing (all exist)"

    described = cli(settings, "topics", "describe", "--check")
    assert described.returncode == 0, described.stderr
    line = next(x for x in described.stdout.splitlines() if x.startswith(settings.topic("totals") + " "))
    assert "partitions=2" in line and "replication=1" in line and "cleanup.policy=compact" in line
    assert described.stdout.strip().endswith("all topics match")

    wider = settings.model_copy(update={"partitions": 4})
    drifting = cli(wider, "topics", "describe", "--check")
    assert drifting.returncode == 1
    assert "DRIFT partitions: is 2, settings want 4" in drifting.stdout


def test_a_topic_made_by_hand_with_other_configs_is_left_alone_and_flagged(settings: Settings) -> None:
    async def make_totals_by_hand() -> None:
        admin = AIOKafkaAdminClient(**client_options(settings))
        await admin.start()
        try:
            await admin.create_topics(
                [NewTopic(settings.topic("totals"), 1, 1, topic_configs={"cleanup.policy": "delete"})]
            )
        finally:
            await admin.close()

    asyncio.run(make_totals_by_hand())
    created = asyncio.run(ensure_topics(settings))
    assert settings.topic("totals") not in created and len(created) == len(wanted_topics(settings)) - 1
    drift = diff(wanted_topics(settings), asyncio.run(describe_topics(settings)))
    assert [(d.topic, d.what, d.actual, d.wanted) for d in drift] == [
        (settings.topic("totals"), "cleanup.policy", "delete", "compact")
    ]
    out = cli(settings, "topics", "create")
    assert out.returncode == 0 and "cleanup.policy is delete, settings want compact" in out.stderr
