"""Exactly-once: a record goes into its input partition's transaction, and a commit never splits a batch."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from streams.batching import FirstDeliveries, send, transactional_id
from streams.faust_exactly_once_fixes import CommitGate


class FakeProducer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, int | None, str | None]] = []

    async def send(
        self, topic: str, key: Any, value: Any, partition: Any, timestamp: Any, headers: Any, **kw: Any
    ) -> Any:
        self.sent.append((topic, partition, kw.get("transactional_id")))
        return asyncio.get_running_loop().create_future()


def eos_app(producer: FakeProducer) -> Any:
    groups = {"in.updates": 0, "in.claims": 0}
    return SimpleNamespace(
        in_transaction=True,
        conf=SimpleNamespace(id="liveblog"),
        assignor=SimpleNamespace(group_for_topic=groups.__getitem__),
        consumer=SimpleNamespace(transactions=SimpleNamespace(producer=producer)),
    )


def event_from(topic: str, partition: int) -> Any:
    return SimpleNamespace(message=SimpleNamespace(tp=TP(topic, partition)))


async def test_a_record_goes_into_the_transaction_of_its_inputs_partition_whatever_its_destination() -> None:
    producer = FakeProducer()
    app = eos_app(producer)
    origin = event_from("in.updates", 3)
    await send(app, "out.unique", b"k", b"v", origin=origin)  # a topic the consumer does not subscribe to
    await send(app, "in.claims", b"k", b"v", origin=origin, partition=5)  # another partition than the input's
    assert producer.sent == [("out.unique", None, "liveblog-0-3"), ("in.claims", 5, "liveblog-0-3")]
    assert transactional_id(app, TP("in.claims", 1)) == "liveblog-0-1"


async def test_a_commit_waits_for_running_batches_and_holds_new_ones_back() -> None:
    gate, log = CommitGate(), []
    release = asyncio.Event()

    async def batch(name: str, wait: asyncio.Event | None = None) -> None:
        async with gate.batch():
            log.append(f"{name} start")
            if wait is not None:
                await wait.wait()
            log.append(f"{name} end")

    async def commit() -> None:
        async with gate.commit():
            log.append("commit")

    first = asyncio.create_task(batch("a", release))
    await asyncio.sleep(0)
    committing = asyncio.create_task(commit())
    await asyncio.sleep(0)
    second = asyncio.create_task(batch("b"))
    await asyncio.sleep(0.01)
    assert log == ["a start"]  # the commit waits for a; b waits for the commit
    release.set()
    await asyncio.gather(first, committing, second)
    assert log == ["a start", "a end", "commit", "b start", "b end"]


async def test_batches_run_side_by_side_when_no_commit_is_waiting() -> None:
    gate, release = CommitGate(), asyncio.Event()
    running: list[str] = []

    async def batch(name: str) -> None:
        async with gate.batch():
            running.append(name)
            await release.wait()

    tasks = [asyncio.create_task(batch(name)) for name in ("entries", "totals")]
    await asyncio.sleep(0.01)
    assert running == ["entries", "totals"]
    release.set()
    await asyncio.gather(*tasks)


def delivered(topic: str, partition: int, offset: int) -> Any:
    return SimpleNamespace(message=SimpleNamespace(tp=TP(topic, partition), offset=offset))


def test_an_offset_handed_to_a_batch_twice_is_let_in_once_until_its_partition_is_revoked() -> None:
    deliveries = FirstDeliveries()
    first = [delivered("in", 0, 4341), delivered("in", 0, 4342), delivered("in", 1, 7)]
    assert deliveries.fresh(first) == first
    again = [delivered("in", 0, 4341), delivered("in", 0, 4342), delivered("in", 0, 4343), delivered("in", 0, 4343)]
    assert [e.message.offset for e in deliveries.fresh(again)] == [4343]  # seen ones, and a repeat in one batch
    deliveries.forget([TP("in", 0)])
    assert [e.message.offset for e in deliveries.fresh([again[0], delivered("in", 1, 7)])] == [4341]
