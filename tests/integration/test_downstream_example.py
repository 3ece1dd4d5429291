"""`examples/downstream_totals.py`: a downstream copy of the totals, rebuilt from the compacted topic on restart."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from streams.kafka.observe import read_totals, wait_caught_up
from streams.settings import Settings
from tests.conftest import REPO
from tests.integration.api_worker import HIGHER, serving_seed

EXAMPLE = REPO / "examples" / "downstream_totals.py"


def copy_of(settings: Settings) -> dict[str, Any]:
    """Start the example, let it rebuild its copy, and read it (each call is a fresh start: a restart)."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--broker", settings.broker, "--topic", settings.topic("totals"), "--once"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout))


@pytest.mark.kafka
def test_the_example_keeps_a_copy_equal_to_the_totals_across_restarts(settings: Settings, tmp_path: Path) -> None:
    with serving_seed(settings, tmp_path) as served:
        first = copy_of(served.settings)
        assert first["blog/liveblog-2022-03-30|refugees|people|Ukraine|*"]["value"] == 4_000_000

        served.publish(served.new_entry(HIGHER))
        asyncio.run(wait_caught_up(served.settings, timeout=120))
        again = copy_of(served.settings)  # restarted: rebuilt from the compacted topic
        assert round(again["blog/liveblog-2022-03-30|refugees|people|Ukraine|*"]["value"]) == 4_100_000
        expected = {key: row.model_dump(mode="json") for key, row in asyncio.run(read_totals(served.settings)).items()}
        assert again == expected
