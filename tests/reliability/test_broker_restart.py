"""Restarting the Apache Kafka broker (same data) while the worker is mid-stream."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.reliability import harness
from tests.reliability.conftest import Reference, Row

pytestmark = [pytest.mark.reliability, pytest.mark.kafka, pytest.mark.corpus]


def test_the_worker_rides_out_a_broker_restart(clean_run: Reference, report: Row, tmp_path: Path) -> None:
    broker = harness.KafkaBroker(tmp_path / "kafka")
    url = broker.start()
    worker = None
    try:
        settings = harness.fresh_settings(url, tmp_path)
        asyncio.run(harness.publish(settings, harness.corpus_updates()))
        worker = harness.worker(settings, tmp_path)
        worker.start()
        harness.wait_progress(settings, clean_run.observed.work * 2 // 5, [worker])
        broker.stop()
        time.sleep(3)
        assert broker.start() == url, "the broker came back on another port"
        report.faults["broker restart"] = 1
        harness.wait_done(settings, [worker])
        worker.stop()
        run = harness.observe(settings)
    finally:
        if worker is not None:
            worker.stop()
        broker.stop()

    result = harness.audit(run, clean_run.observed)
    report.record(result)
    assert result.problems == []
