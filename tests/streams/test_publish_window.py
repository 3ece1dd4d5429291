"""The window of unawaited send futures (`streams.kafka.publish.settle_older`): bounded, oldest awaited first, and
a failed send is never dropped unseen."""

from __future__ import annotations

import asyncio

import pytest

from streams.kafka.publish import settle_older


def test_all_but_the_newest_are_awaited_and_dropped_once_twice_as_many_are_pending() -> None:
    async def scenario() -> list[int]:
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[int]] = []
        sizes = []
        for n in range(25):
            future = loop.create_future()
            future.set_result(n)
            futures.append(future)
            await settle_older(futures, keep=5)
            sizes.append(len(futures))
        assert [f.result() for f in futures] == list(range(20, 25))  # the newest five, in order
        return sizes

    sizes = asyncio.run(scenario())
    assert max(sizes) == 9 and sizes[9] == 5  # never 2 * keep pending; at 10 the oldest 5 are settled


def test_a_failed_send_in_the_window_raises_when_settled() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[int]] = []
        for n in range(4):
            future = loop.create_future()
            if n == 0:
                future.set_exception(RuntimeError("broker said no"))
            else:
                future.set_result(n)
            futures.append(future)
        await settle_older(futures, keep=2)

    with pytest.raises(RuntimeError, match="broker said no"):
        asyncio.run(scenario())
