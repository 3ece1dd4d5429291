"""A batch that cannot complete ends the worker before Faust can commit its acked events."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from streams import agents
from streams.watchdog import BATCH_FAILED_EXIT_CODE


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls of `os._exit` (raising SystemExit instead, so the test process goes on)."""
    codes: list[int] = []

    def fake_exit(code: int) -> None:
        codes.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(agents.os, "_exit", fake_exit)
    return codes


def run_batch(work: Callable[[asyncio.Event], Awaitable[None]], cancel: bool) -> None:
    async def scenario() -> None:
        started = asyncio.Event()
        task = asyncio.ensure_future(agents._complete("entries", work(started)))
        await started.wait()
        if cancel:
            task.cancel()
        await task

    asyncio.run(scenario())


async def slow(started: asyncio.Event) -> None:
    started.set()
    await asyncio.sleep(30)


async def failing(started: asyncio.Event) -> None:
    started.set()
    await asyncio.sleep(0)
    raise ConnectionError("the broker went away mid-batch")


async def fine(started: asyncio.Event) -> None:
    started.set()
    await asyncio.sleep(0)


def test_a_batch_cancelled_mid_way_exits_before_take_events_acks_it(exits: list[int]) -> None:
    """Faust stops an agent by cancelling it; take_events' `finally` would then ack the whole batch."""
    with pytest.raises(SystemExit):
        run_batch(slow, cancel=True)
    assert exits == [BATCH_FAILED_EXIT_CODE]


def test_a_failed_batch_exits_and_a_completed_one_does_not(exits: list[int]) -> None:
    with pytest.raises(SystemExit):
        run_batch(failing, cancel=False)
    run_batch(fine, cancel=False)
    assert exits == [BATCH_FAILED_EXIT_CODE]
