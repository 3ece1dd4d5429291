"""Fixes for faust-streaming 0.15.3 losing records after a rebalance, applied by the composition root.

Faust's at-least-once rests on one rule: after every rebalance each stream partition is read again from its
committed offset (`Consumer.perform_seek`), so whatever was fetched but not handled before is fetched again.
Three defects in 0.15.3 break the rule; each was seen in the rebalance test
(`tests/reliability/test_rebalance.py`) with Faust's consumer instrumented, and each can end in a commit past
records no agent handled (inputs with neither an output nor a dead letter) or in a partition that never
commits again (the stall `streams.watchdog` restarts):

1. **Stream partitions fetch while they are being sought.** `Recovery.on_recovery_completed` resumes them
   and only then awaits `perform_seek()`, with the flow already running (changelog recovery resumed it). Records
   fetched from the old position meanwhile are delivered; `flow_control.resume()` then clears the agents'
   queues, and the records still arriving after the seek make `Consumer._drain_messages` record a "gap" from
   the committed offset, which `Consumer._new_offset` counts as acked. Seen: `read offset 516, message 518:
   gap 517..518` on an `updates` partition, the entries agent's next batch `518..529`, the commit past 516 and
   517 (2 inputs lost). Fix: seek first, then resume them with no await before the flow resumes.
2. **An empty set of active partitions fetches every partition.** Faust hands its live set of active
   partitions to aiokafka's `Fetcher.fetched_records`, which reads an empty set as "all partitions". When the
   set empties while a fetch is waiting (recovery pausing the changelogs), the fetch returns records of paused
   stream partitions, aiokafka's positions move past them, and `Consumer.getmany` drops them unseen because
   the partitions are not active. Seen: a restarted worker dropping all 6,728 records of `updates` (and 6 of
   `neardup.bands`) that way during its seek. Fix: fetch with a snapshot of the set, and nothing when it is empty.
3. **A partition without a committed offset is not sought at all.** aiokafka's `seek_to_committed` skips
   partitions whose committed offset is empty (or 0), so records dropped as in 2 are never read again; and
   with no committed offset `_new_offset` has no guard against a hole at the head of the acked offsets, so the
   next commit jumps past them. Seen: `claims` partitions first committed at 9 and 11 after their records
   0..7 and 0..9 had been dropped (27 claims missing from the ledger), or never committed (a stall). Fix: such
   stream partitions go back to the beginning of the log (the app's `auto_offset_reset` is "earliest"), which
   is what "committed offset" means for them.

The methods below are copies of Faust 0.15.3's with those changes, so `apply` refuses any other version.
Upstream discussion of the first race (in `_resume_streams`, the tables-less path this app never takes):
faust-streaming/faust#216 and #217.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from faust.tables.recovery import Recovery
from faust.transport.consumer import Consumer, ensure_TP
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

#: The only Faust version these fixes were written for and measured on (pyproject pins it).
FAUST_VERSION = "0.15.3"

_ORIGINAL: dict[str, Any] = {
    "on_recovery_completed": Recovery.on_recovery_completed,
    "fetch_records": AIOKafkaConsumerThread._fetch_records,
    "perform_seek": Consumer.perform_seek,
}


async def on_recovery_completed(self: Any, generation_id: int = 0) -> None:
    """Faust 0.15.3's `Recovery.on_recovery_completed`, seeking stream partitions *before* resuming them (1)."""
    consumer = self.app.consumer
    self.log.info("Restore complete!")
    await self.app.on_rebalance_complete.send()
    self._set_recovery_ended()
    callback_coros = [
        asyncio.ensure_future(
            table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table])
        )
        for table in self.tables.values()
    ]
    if callback_coros:
        await asyncio.wait(callback_coros)
    assignment = consumer.assignment()
    if self.app.consumer_generation_id != generation_id:
        self.log.warning(f"Recovery rebalancing again app id {self.app.consumer_generation_id} param {generation_id}")
        return
    if assignment:
        self.log.info("Seek stream partitions to committed offsets.")
        await self._wait(consumer.perform_seek(), timeout=self.app.conf.broker_request_timeout)
    # Faust resumes these before the seek; here nothing awaits between this and resuming the flow.
    consumer.resume_partitions({tp for tp in assignment if not self._is_changelog_tp(tp)})
    self.completed.set()
    self.log.dev("Resume stream partitions")
    self.app.flow_control.resume()
    consumer.resume_flow()
    await self.app._fetcher.maybe_start()
    self.tables.on_actives_ready()
    if not self.app.assignor.assigned_standbys():
        self.tables.on_standbys_ready()
    self.app.on_rebalance_end()
    self.log.info("Worker ready")


async def _fetch_records(
    self: Any,
    consumer: Any,
    active_partitions: set[Any] | None,
    timeout: float | None = None,
    max_records: int | None = None,
) -> Any:
    """Faust's fetch, with a snapshot of the active partitions and no fetch at all when there are none (2).

    `None` (a client-only app) still means every partition, as in Faust.
    """
    if active_partitions is not None:
        active_partitions = set(active_partitions)
        if not active_partitions:
            return {}
    return await _ORIGINAL["fetch_records"](self, consumer, active_partitions, timeout=timeout, max_records=max_records)


async def perform_seek(self: Any) -> None:
    """Faust 0.15.3's `Consumer.perform_seek`, which also sends stream partitions that have no committed offset
    back to the beginning of the log (3)."""
    read_offset = self._read_offset
    committed = await self.seek_to_committed()
    never = [tp for tp, offset in committed.items() if not offset and not self._is_changelog_tp(tp)]
    thread = getattr(self, "_thread", None)  # the Kafka driver's consumer thread
    if never and thread is not None and self.app.conf.consumer_auto_offset_reset == "earliest":
        await thread.seek_to_beginning(*never)
    read_offset.update({tp: offset if offset is not None and offset >= 0 else None for tp, offset in committed.items()})
    self._committed_offset.update(
        {ensure_TP(tp): offset if offset else None for tp, offset in committed.items() if offset is not None}
    )


def apply() -> None:
    """Install the fixes (idempotent). Refuses any Faust but 0.15.3: the methods above are copies of its code."""
    if faust.__version__ != FAUST_VERSION:
        raise RuntimeError(
            f"streams.faust_rebalance_fixes was written for faust-streaming {FAUST_VERSION}, not {faust.__version__}:"
            " check whether its three defects are still there before changing the pin"
        )
    Recovery.on_recovery_completed = on_recovery_completed  # type: ignore[method-assign]
    AIOKafkaConsumerThread._fetch_records = _fetch_records  # type: ignore[method-assign]
    Consumer.perform_seek = perform_seek  # type: ignore[method-assign]


def original(name: str) -> Any:
    """Faust's own method (`on_recovery_completed`, `fetch_records`, `perform_seek`), for the tests that show
    the defects."""
    return _ORIGINAL[name]
