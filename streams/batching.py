"""Table writes from a batch of events: each touched key written once, under the event that last touched it.

Faust writes a table key through the *current event*: its partition picks the changelog partition and, with
RocksDB, the partition's store. `stream.take_events()` yields a batch with no current event, so a plain
`table[key] = value` there raises "Cannot modify table key from outside of stream iteration". `acting_as`
sets the current event the way Faust's own stream iteration does (the `faust.streams._current_event` context
variable holds a weak reference to it), and `TableBatch` keeps a batch's writes in a dict, read-through to the
table, until `flush`.

`flush` returns the changelog sends' futures and the agent awaits them (with its output sends) before its loop
body returns, which is when `Stream.take_events` acks the batch's events: so a batch's state and outputs are
on the broker before any of its offsets can be committed. Faust's own guard, the producer flush before a
commit, is not enough: `ProducerBuffer.flush_atmost` gives up after 0.1 s without a send and returns with
changelog records still queued, which a kill -9 then loses.

`send` hands a record straight to the producer Faust would use (its aiokafka producer, or in exactly-once mode
the transactional producer that commits the offsets of the record's input partition: `transactional_id`), and
`flush` sends changelog records the same way: Faust's `Topic.send` and `Table.send_changelog` go through a
`FutureMessage`, its producer buffer (one queued record per event-loop turn), sensors and a debug log call per
record, which cost more than the send itself at ~12 records per update. The bytes, partitions and ordering are
the same: keys and values are serialised by the changelog topic's own `prepare_key`/`prepare_value`, and the
table's `_on_changelog_sent` still records each write's offset (RocksDB's persisted offsets).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from faust.streams import _current_event


@contextlib.contextmanager
def acting_as(event: Any) -> Iterator[None]:
    """Make `event` Faust's current event for the block (as inside `async for event in stream`)."""
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)


class TableBatch:
    """One table as a batch sees it: reads fall through to the table, writes wait here until `flush`."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self._values: dict[str, Any] = {}
        self._events: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        return self.table.get(key)

    def set(self, key: str, value: Any, event: Any) -> None:
        """Stage a write; an empty value deletes the key (a tombstone in the changelog)."""
        self._values[key] = value
        self._events[key] = event

    def __len__(self) -> int:
        return len(self._values)

    async def flush(self) -> list[Any]:
        """Write each staged key once, under its own event; returns the futures of the changelog sends.

        What `table[key] = value` does (store, then changelog on the event's partition), but keeping the
        changelog send's future so the caller can wait for it.
        """
        table, sent = self.table, []
        changelog = table.changelog_topic
        name = changelog.get_topic_name()
        for key, value in self._values.items():
            event = self._events[key]
            partition = event.message.partition
            raw_key, _ = changelog.prepare_key(key, table.key_serializer)
            with acting_as(event):
                if value:
                    table.data[key] = value
                    raw_value, _ = changelog.prepare_value(value, table.value_serializer)
                elif key in table.data:
                    del table.data[key]
                    raw_value = None
                else:
                    continue
            future = await send(table.app, name, raw_key, raw_value, origin=event, partition=partition)
            future.add_done_callback(_persisted(table))
            sent.append(future)
        self._values.clear()
        self._events.clear()
        return sent


async def send(
    app: Any,
    topic: str,
    key: bytes | None,
    value: bytes | None,
    *,
    origin: Any,
    partition: int | None = None,
    headers: Any = None,
) -> asyncio.Future[Any]:
    """Hand one record to the producer Faust sends with; returns the future of its acknowledgement.

    `origin` is the input event the record comes from. In exactly-once mode the record goes into the open
    transaction of the producer that commits `origin`'s offsets (`transactional_id`), so the record and the
    offset become visible together or not at all.
    """
    if app.in_transaction:
        transactions = app.consumer.transactions
        tid = transactional_id(app, origin.message.tp)
        sent: asyncio.Future[Any] = await transactions.producer.send(
            topic, key, value, partition, None, headers, transactional_id=tid
        )
        return sent
    producer = await app.maybe_start_producer()
    track(producer, topic)
    future: asyncio.Future[Any] = await producer.send(topic, key, value, partition, None, headers)
    return future


def transactional_id(app: Any, tp: Any) -> str:
    """The transactional id whose transactions commit the offsets of input partition `tp`.

    Faust commits an input partition's offsets through the producer `<app id>-<partition group>-<partition>`
    (`TransactionManager.commit`), but `TransactionManager.send` picks the producer by the *destination*
    partition, and by none at all (a plain, non-transactional send) for a topic its consumer does not subscribe
    to, such as `liveblog.updates.unique`: visible at once, and sent again after a crash (faust-streaming
    0.15.3). So records are sent with the id of their input's partition, as Kafka's exactly-once model requires.
    """
    group = app.assignor.group_for_topic(tp.topic)
    return f"{app.conf.id}-{group}-{tp.partition}"


def track(producer: Any, topic: str) -> None:
    """Have the Kafka client ask for `topic`'s metadata on every refresh, before anything is sent to it.

    aiokafka 0.14 asks only for the topics it tracks, and tracks a topic only when a send finds it missing from
    the cluster view. A topic the view got from an earlier request for *all* topics (as at a fresh worker's
    start, where the changelogs are created) is sent to untracked; the next refresh for the tracked ones drops it
    from the view, and its batches wait for a leader that no refresh ever asks for (until they expire). Seen in
    the rebalance test: a fresh worker's first batch stuck for 30 s, the producer tracking only the activity
    changelog and holding unsent batches for `neardup.bands` and the entries and recent changelogs, each with no
    leader, until the stall watchdog restarted the worker.
    """
    client = getattr(getattr(producer, "_producer", None), "client", None)  # Faust's driver → aiokafka's client
    if client is not None and topic not in client._topics:
        client.add_topic(topic)


def _persisted(table: Any) -> Any:
    """A done-callback recording a changelog write's offset as the table's own sends do (for RocksDB)."""

    def done(future: asyncio.Future[Any]) -> None:
        if not future.cancelled() and future.exception() is None:
            table._on_changelog_sent(future)

    return done


class FirstDeliveries:
    """Lets each input offset into a batch once per assignment: Faust 0.15.3 can hand a stream the same offset twice.

    After a rebalance, Faust's recovery seeks the stream partitions to their committed offsets while the fetcher
    is already running: records fetched before the seek are delivered, then fetched and delivered again (the
    reliability suite saw it after a kill -9: the events were handled, their read offset was set back, and the
    partition's last event came through a second time). And `Consumer._drain_messages` lets a record through
    when `offset >= read_offset`, where the read offset is the last offset delivered, so the same offset twice
    in a row passes. The second delivery is `retry` to `streams.dedup` (the same input), which sends the
    outputs again: harmless with at-least-once, but in exactly-once mode the first outputs are in the open
    transaction, so a `read_committed` consumer would see them twice.

    An offset at or below the highest this process has handled for its partition is dropped (and acked with
    the batch). Handled means sent and settled, or in the open transaction of this partition's producer,
    which commits unless the partition is revoked: `forget` clears revoked partitions, whose events must be
    handled again by their next owner or after the recovery.
    """

    def __init__(self) -> None:
        self._handled: dict[Any, int] = {}

    def fresh(self, batch: Sequence[Any]) -> list[Any]:
        """The events of `batch` not handled yet, now counted as handled (a batch that fails ends the process)."""
        handled, out = self._handled, []
        for event in batch:
            tp, offset = event.message.tp, event.message.offset
            if offset > handled.get(tp, -1):
                handled[tp] = offset
                out.append(event)
        return out

    def forget(self, tps: Iterable[Any]) -> None:
        for tp in tps:
            self._handled.pop(tp, None)
