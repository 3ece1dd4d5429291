"""Two workers in one consumer group on six partitions: one joins mid-replay, the other leaves later."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from streams.kafka.clients import client_options
from streams.settings import Settings
from tests.reliability import harness
from tests.reliability.conftest import Reference, Row

pytestmark = [pytest.mark.reliability, pytest.mark.kafka, pytest.mark.corpus]

PARTITIONS = 6


async def members(settings: Settings) -> int:
    """Members of the worker's consumer group that hold partitions."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        described = (await admin.describe_consumer_groups([settings.app_id]))[0].to_object()
        return sum(1 for group in described["groups"] for member in group["members"] if member["member_assignment"])
    finally:
        await admin.close()


def wait_members(settings: Settings, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while asyncio.run(members(settings)) != count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the group never had {count} members with partitions")
        time.sleep(0.5)


@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once"])
def test_a_second_worker_joins_and_the_first_leaves_mid_replay(
    apache_kafka: str, clean_run: Reference, report: Row, tmp_path: Path, guarantee: str
) -> None:
    """Exactly-once: the outputs as a read_committed consumer sees them, each input's once."""
    settings = harness.fresh_settings(apache_kafka, tmp_path, partitions=PARTITIONS, processing_guarantee=guarantee)
    asyncio.run(harness.publish(settings, harness.corpus_updates()))
    first = harness.worker(settings, tmp_path, "first")
    second = harness.worker(settings.model_copy(update={"data_dir": settings.data_dir + "-2"}), tmp_path, "second")
    work = clean_run.observed.work
    try:
        first.start()
        harness.wait_progress(settings, work // 4, [first])
        second.start()
        wait_members(settings, 2)
        report.faults["join"] = 1
        harness.wait_progress(settings, work * 3 // 5, [first, second])
        first.stop()
        report.faults["leave"] = 1
        harness.wait_done(settings, [second])
    finally:
        first.stop()
        second.stop()
    run = harness.observe(settings, committed=guarantee == "exactly_once")

    assert {r.partition for r in run.records["updates"]} == set(range(PARTITIONS)), "some partition got no data"
    result = harness.audit(run, clean_run.observed)
    report.record(result)
    if result.problems:  # keep the workers' logs: a loss after a rebalance is read from them
        kept = Path(__file__).resolve().parents[2] / "artifacts" / f"rebalance-loss-{settings.app_id}"
        kept.mkdir(parents=True, exist_ok=True)
        for log in tmp_path.glob("*.log"):
            shutil.copy(log, kept / log.name)
        pytest.fail(f"inputs lost or counted twice across the rebalance (workers' logs in {kept}): {result.problems}")
