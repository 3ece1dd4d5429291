"""kill -9 of the worker mid-archive: at-least-once in a loop, and exactly-once seen by a read_committed consumer."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import pytest

from streams.settings import Settings
from tests.reliability import harness
from tests.reliability.conftest import Reference, Row

pytestmark = [pytest.mark.reliability, pytest.mark.kafka, pytest.mark.corpus]


def crash_loop(settings: Settings, clean: Reference, kills: int, report: Row, logs: Path) -> harness.Observed:
    """Run the workload through one worker, killing it with SIGKILL `kills` times at spread-out points."""
    asyncio.run(harness.publish(settings, harness.corpus_updates()))
    worker = harness.worker(settings, logs)
    rng = random.Random(harness.SEED)
    worker.start()
    try:
        for n in range(1, kills + 1):
            harness.wait_progress(settings, clean.observed.work * n // (kills + 1), [worker])
            time.sleep(rng.uniform(0.0, settings.commit_interval))  # anywhere between two commits
            harness.kill9(worker)
            report.faults["kill -9"] = n
            worker.start()
        harness.wait_done(settings, [worker])
    finally:
        worker.stop()
    return harness.observe(settings, committed=settings.processing_guarantee == "exactly_once")


@pytest.mark.timeout(1800)
def test_kill_9_mid_archive_neither_loses_nor_double_counts(
    apache_kafka: str, clean_run: Reference, report: Row, tmp_path: Path
) -> None:
    settings = harness.fresh_settings(apache_kafka, tmp_path)
    run = crash_loop(settings, clean_run, harness.KILLS, report, tmp_path)

    result = harness.audit(run, clean_run.observed)
    report.note = f"{run.work - clean_run.observed.work} stage records redelivered (at-least-once)"
    report.record(result)
    assert result.problems == []


@pytest.mark.timeout(1800)
def test_exactly_once_outputs_each_input_once_through_a_crash(
    apache_kafka: str, clean_run: Reference, report: Row, tmp_path: Path
) -> None:
    settings = harness.fresh_settings(apache_kafka, tmp_path, processing_guarantee="exactly_once")
    run = crash_loop(settings, clean_run, harness.KILLS, report, tmp_path)

    result = harness.audit(run, clean_run.observed)
    for stage in harness.OUTPUTS:
        twice = harness.duplicates(run.records[stage])
        result.note(f"{stage}: outputs a read_committed consumer sees twice", set(twice), "double")
    report.record(result)
    assert result.problems == []
