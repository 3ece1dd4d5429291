"""Two fixes to faust-streaming 0.15.3's exactly-once mode, applied by the composition root (`streams.app`).

Found with the reliability suite's kill -9 test (`tests/reliability/test_crashes.py`), which a `read_committed`
consumer audits; with both, and with every send of ours inside the right transaction (`streams.batching.send`),
it sees each output once through the crashes. Neither changes anything in at-least-once mode.

1. **Recovery skipped a table's changelog** (`faust/transport/drivers/aiokafka.py`,
   `AIOKafkaConsumerThread._highwaters`). In exactly-once mode it returns `consumer.last_stable_offset(tp)`, the
   last stable offset the consumer has *cached from a fetch*: `None` right after an assignment, before any fetch
   of the changelog. Recovery (`faust/tables/recovery.py::_build_highwaters`) turns `None` into -1, believes the
   changelog empty and starts the agents with an empty table (`../shared/notes/kafka.md`: 3 of 11 kill -9 runs
   lost the whole table). Fixed by asking the broker: `end_offsets` sends a ListOffsets request at the consumer's
   isolation level, and under `read_committed` the broker answers with the last stable offset.

2. **A commit could split a batch** (`faust/transport/consumer.py`, `Consumer.force_commit`). Faust commits on a
   timer: per transactional producer it sends the acked offsets to the open transaction, commits it and begins
   the next. A batch in progress has some of its records in that transaction and its events not yet acked, so
   the commit makes part of its outputs visible while its offsets stay behind; a kill -9 before the next commit
   then processes the batch again and its outputs are seen twice. Fixed with a `CommitGate`: a commit (offsets
   chosen *and* transactions committed) waits until no batch is between its first send and its acks, and holds
   new batches back meanwhile. (Faust's transactional producer ids are per *partition group and partition*, not
   per topic: one transaction holds every topic's partition 0, so the offsets must be taken for all topics at
   once, as `force_commit` does when given no `topics`.)
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from faust.transport import consumer as faust_consumer
from faust.transport.drivers import aiokafka as faust_aiokafka


class CommitGate:
    """Batches in, commits out: a reader-writer lock where a batch reads and a transaction commit writes.

    A batch holds the gate from before its first send until its loop body returns; `Stream.take_events` acks its
    events when the body returns, before the generator next awaits (nothing can run in between), so a commit
    that gets the gate sees every running batch either not started or sent and acked.
    """

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._open = asyncio.Event()
        self._open.set()

    @contextlib.asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        while not self._open.is_set():
            await self._open.wait()
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if not self._running:
                self._idle.set()

    @contextlib.asynccontextmanager
    async def commit(self) -> AsyncIterator[None]:
        self._open.clear()
        try:
            await self._idle.wait()
            yield
        finally:
            self._open.set()


#: App → the gate its commits go through (set by `gate_commits`; apps without one commit as Faust does).
_GATES: weakref.WeakKeyDictionary[Any, CommitGate] = weakref.WeakKeyDictionary()


def gate_commits(app: Any, gate: CommitGate) -> None:
    """Make `app`'s exactly-once commits wait for `gate` (fix 2)."""
    apply()
    _GATES[app] = gate


async def _highwaters(self: Any, partitions: list[Any]) -> Mapping[Any, int]:
    """Fix 1: the end offsets from the broker (the last stable offsets under `read_committed`), never a cache."""
    offsets: Mapping[Any, int] = await self._ensure_consumer().end_offsets(partitions)
    return offsets


def _gated_force_commit(original: Callable[..., Any]) -> Callable[..., Any]:
    async def force_commit(self: Any, topics: Any = None, start_new_transaction: bool = True) -> bool:
        gate = _GATES.get(self.app)
        if gate is None or not self.in_transaction:
            return bool(await original(self, topics, start_new_transaction=start_new_transaction))
        async with gate.commit():
            # Every acked offset, whatever `topics` asked: a transaction spans all topics of a partition.
            return bool(await original(self, None, start_new_transaction=start_new_transaction))

    force_commit.liveblog_gated = True  # type: ignore[attr-defined]
    return force_commit


def apply() -> None:
    """Install both fixes (idempotent)."""
    thread = faust_aiokafka.AIOKafkaConsumerThread
    if thread._highwaters is not _highwaters:
        thread._highwaters = _highwaters  # type: ignore[method-assign]
    base = faust_consumer.Consumer
    if not getattr(base.force_commit, "liveblog_gated", False):
        base.force_commit = _gated_force_commit(base.force_commit)  # type: ignore[method-assign]
