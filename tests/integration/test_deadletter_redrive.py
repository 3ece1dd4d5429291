"""Dead letters can be listed by reason and redriven after a fix; a redriven event is processed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from schemas import RawUpdate
from streams.kafka.deadletter_ops import dead_letters, format_dead_letters, redrive
from streams.kafka.observe import read_topic, read_totals
from streams.runner import run_pipeline
from streams.settings import Settings

pytestmark = pytest.mark.kafka

LONG = RawUpdate(
    blog_id="quake",
    entry_id="e1",
    published=datetime(2027, 3, 2, 9, tzinfo=UTC),
    blog_title="Earthquake in Peru live",
    headline="Death toll rises",
    body="At least 81 people have been killed in Peru, the civil defence institute said. " + "Rescue goes on. " * 120,
)


def test_an_oversized_event_is_redriven_once_after_the_limit_is_raised(settings: Settings) -> None:
    strict = settings.model_copy(update={"max_event_bytes": 1024})
    assert len(LONG.body) > 1024
    run_pipeline(strict, [LONG], timeout=180)
    letters = asyncio.run(dead_letters(settings))
    assert [(d.stage, d.reason) for d in letters] == [("entries", "oversized")]
    assert "oversized" in format_dead_letters(letters)
    assert not any(row.value == 81 for row in asyncio.run(read_totals(settings)).values())

    # The fix: a limit that fits. Redrive sends the original bytes back; the worker now processes them.
    assert asyncio.run(redrive(settings)) == (1, 0)
    assert asyncio.run(redrive(settings)) == (0, 0)  # each letter is redriven once
    run_pipeline(settings, [], timeout=180)
    totals = asyncio.run(read_totals(settings))
    assert any(row.value == 81 and row.metric == "killed" for row in totals.values())
    assert len(asyncio.run(read_topic(settings, "updates.unique"))) == 1  # processed once
