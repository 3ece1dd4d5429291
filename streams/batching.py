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
its transaction manager, which picks the partition's transactional producer), and `flush` sends changelog
records the same way: Faust's `Topic.send` and `Table.send_changelog` go through a `FutureMessage`, its
producer buffer (one queued record per event-loop turn), sensors and a debug log call per record, which cost
more than the send itself at ~12 records per update. The bytes, partitions and ordering are the same: keys and
values are serialised by the changelog topic's own `prepare_key`/`prepare_value`, and the table's
`_on_changelog_sent` still records each write's offset (RocksDB's persisted offsets).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Iterator
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
            future = await send(table.app, name, raw_key, raw_value, partition=partition)
            future.add_done_callback(_persisted(table))
            sent.append(future)
        self._values.clear()
        self._events.clear()
        return sent


async def send(
    app: Any, topic: str, key: bytes | None, value: bytes | None, *, partition: int | None = None, headers: Any = None
) -> asyncio.Future[Any]:
    """Hand one record to the producer Faust sends with; returns the future of its acknowledgement."""
    producer = await app.maybe_start_producer()
    track(producer, topic)
    future: asyncio.Future[Any] = await producer.send(topic, key, value, partition, None, headers)
    return future


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
