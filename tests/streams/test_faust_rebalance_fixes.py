"""The three faust-streaming 0.15.3 defects `streams.faust_rebalance_fixes` patches, each shown on Faust's (and
aiokafka's) own code without a broker, and each fix shown to close it.

1. Stream partitions resumed before their seek: records delivered meanwhile become a "gap" Faust commits past.
2. An empty set of active partitions makes aiokafka return every partition's records, which Faust then drops.
3. Partitions without a committed offset are not sought back after a rebalance.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from aiokafka.consumer.fetcher import Fetcher, FetchResult
from aiokafka.consumer.subscription_state import SubscriptionState
from aiokafka.structs import TopicPartition as KafkaTP
from faust.tables.recovery import Recovery
from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.transport.drivers.aiokafka import Consumer as KafkaConsumer
from faust.types import TP
from intervaltree import IntervalTree

from streams import faust_rebalance_fixes

UPDATES = TP("updates", 3)
CHANGELOG = TP("app-entries-changelog", 3)


def bare_consumer(committed: int) -> Any:
    """Just the state Faust's `Consumer._add_gap` and `_new_offset` use, as a perform_seek leaves it."""
    consumer: Any = object.__new__(KafkaConsumer)
    consumer._acked = defaultdict(list)
    consumer._acked_index = defaultdict(set)
    consumer._gap = defaultdict(IntervalTree)
    consumer._committed_offset = defaultdict(lambda: None)
    consumer._committed_offset[UPDATES] = committed
    return consumer


def test_fausts_bookkeeping_commits_past_records_delivered_during_the_seek_and_cleared() -> None:
    """The measured case: committed 516; 516 and 517 were delivered while the seek was in flight and then cleared
    from the agent's queue by `flow_control.resume()`; 518, fetched before the seek, arrives after it."""
    consumer = bare_consumer(committed=516)
    read_offset = 516  # perform_seek sets the read offset to the committed offset
    # Consumer._drain_messages, on 518 after read offset 516: a "gap" it counts as acked.
    asyncio.run(consumer._add_gap(UPDATES, read_offset + 1, 518))
    for offset in range(518, 530):  # the agent's next batch from the partition, acked by take_events
        consumer._acked[UPDATES].append(offset)
        consumer._acked_index[UPDATES].add(offset)
    commits = []  # what Consumer.commit does every commit interval
    while (offset := consumer._new_offset(UPDATES)) is not None:
        commits.append(offset)
        consumer._committed_offset[UPDATES] = offset
    assert commits == [519, 530]  # past 516 and 517, which no agent ever handled


def test_a_missing_head_of_two_or_more_is_a_stall_not_a_loss() -> None:
    """The other outcome: when the read offset ends past the records sent again after the seek, nothing fills
    the hole, and Faust refuses to commit for ever (the stall the watchdog restarts)."""
    consumer = bare_consumer(committed=1230)
    for offset in range(1239, 1300):
        consumer._acked[UPDATES].append(offset)
        consumer._acked_index[UPDATES].add(offset)
    assert consumer._new_offset(UPDATES) is None


class Recorder:
    """A stand-in for what `on_recovery_completed` touches: the order of calls, and which stream partitions
    could fetch while the seek was in flight."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.active: set[TP] = set()
        self.fetchable_during_seek: set[TP] = set()

    def consumer(self) -> Any:
        async def perform_seek() -> None:
            self.calls.append("seek starts")
            self.fetchable_during_seek |= {tp for tp in self.active if tp != CHANGELOG}
            await asyncio.sleep(0)  # the round trip to the broker: the fetcher runs meanwhile
            self.calls.append("seek ends")

        def resume_partitions(tps: set[TP]) -> None:
            self.active |= set(tps)
            self.calls.append("resume stream partitions")

        return SimpleNamespace(
            assignment=lambda: {UPDATES, CHANGELOG},
            perform_seek=perform_seek,
            resume_partitions=resume_partitions,
            resume_flow=lambda: self.calls.append("resume flow"),
        )

    def recovery(self) -> Any:
        async def nothing(*args: Any, **kwargs: Any) -> None:
            return None

        async def wait(coro: Any, timeout: float | None = None) -> None:
            await coro

        app = SimpleNamespace(
            consumer=self.consumer(),
            on_rebalance_complete=SimpleNamespace(send=nothing),
            consumer_generation_id=7,
            conf=SimpleNamespace(broker_request_timeout=30.0),
            flow_control=SimpleNamespace(resume=lambda: self.calls.append("flow_control.resume (clears queues)")),
            _fetcher=SimpleNamespace(maybe_start=nothing),
            assignor=SimpleNamespace(assigned_standbys=set),
            on_rebalance_end=lambda: None,
        )
        quiet = SimpleNamespace(info=lambda *a: None, dev=lambda *a: None, warning=lambda *a: None)
        return SimpleNamespace(
            app=app,
            log=quiet,
            _set_recovery_ended=lambda: None,
            tables=SimpleNamespace(values=list, on_actives_ready=lambda: None, on_standbys_ready=lambda: None),
            actives_for_table={},
            standbys_for_table={},
            _is_changelog_tp=lambda tp: tp == CHANGELOG,
            _wait=wait,
            completed=asyncio.Event(),
        )


def complete_recovery(method: Any) -> Recorder:
    recorder = Recorder()
    recorder.active.add(CHANGELOG)  # changelog recovery left its partitions fetching, and the flow running
    asyncio.run(method(recorder.recovery(), 7))
    return recorder


def test_fausts_own_method_lets_stream_partitions_fetch_while_the_seek_is_in_flight() -> None:
    """The race itself, in faust-streaming 0.15.3 (if a later version fixes it, this test says so)."""
    recorder = complete_recovery(faust_rebalance_fixes.original("on_recovery_completed"))
    assert recorder.calls.index("resume stream partitions") < recorder.calls.index("seek starts")
    assert recorder.fetchable_during_seek == {UPDATES}


def test_the_fixed_method_resumes_stream_partitions_only_after_the_seek_and_before_any_await() -> None:
    recorder = complete_recovery(faust_rebalance_fixes.on_recovery_completed)
    assert recorder.fetchable_during_seek == set()
    assert recorder.calls == [
        "seek starts",
        "seek ends",
        "resume stream partitions",
        "flow_control.resume (clears queues)",
        "resume flow",
    ]


# ---- 2: an empty set of active partitions ------------------------------------------------------------------

STREAM, LOG = KafkaTP("updates", 0), KafkaTP("app-entries-changelog", 0)


class Records:
    """aiokafka's partition records: an iterator that knows the next offset to fetch."""

    def __init__(self, offsets: range) -> None:
        self._it = iter(offsets)
        self.next_fetch_offset = offsets.start

    def __iter__(self) -> Records:
        return self

    def __next__(self) -> SimpleNamespace:
        offset = next(self._it)
        self.next_fetch_offset = offset + 1
        return SimpleNamespace(offset=offset)


def prefetched() -> tuple[Any, SubscriptionState]:
    """aiokafka's fetcher holding fetched records of a stream partition and a changelog, both at position 0."""
    subscriptions = SubscriptionState()
    subscriptions.subscribe({STREAM.topic, LOG.topic})
    subscriptions.assign_from_subscribed({STREAM, LOG})
    assignment = subscriptions.subscription.assignment
    fetcher: Any = object.__new__(Fetcher)
    fetcher._subscriptions, fetcher._closed, fetcher._wait_consume_future = subscriptions, False, None
    fetcher._notify = lambda future: None
    fetcher._records = {}
    for tp, offsets in ((STREAM, range(0, 5)), (LOG, range(0, 3))):
        assignment.state_value(tp).reset_to(0)
        fetcher._records[tp] = FetchResult(tp, assignment=assignment, partition_records=Records(offsets), backoff=0)
    return fetcher, subscriptions


def fetch(method: Any, active: set[Any]) -> tuple[dict[Any, list[Any]], int]:
    """Faust's fetch of the active partitions; returns what it got and the stream partition's position after."""

    async def scenario() -> tuple[dict[Any, list[Any]], int]:
        fetcher, subscriptions = prefetched()
        thread = SimpleNamespace(consumer=SimpleNamespace(flow_active=True))
        client = SimpleNamespace(_fetcher=fetcher, _closed=False)
        records = await method(thread, client, active, timeout=0, max_records=None)
        return records, subscriptions.subscription.assignment.state_value(STREAM).position

    return asyncio.run(scenario())


def test_aiokafka_reads_an_empty_set_of_partitions_as_all_of_them() -> None:
    """Faust's own fetch with no active partition (recovery just paused the changelogs, the stream partitions
    are paused until their seek): the stream partition's records come back and its position moves past them,
    though `Consumer.getmany` drops records of partitions that are not active."""
    records, position = fetch(faust_rebalance_fixes.original("fetch_records"), set())
    assert [r.offset for r in records[STREAM]] == [0, 1, 2, 3, 4]
    assert position == 5


def test_the_fixed_fetch_returns_nothing_without_active_partitions_and_leaves_positions_alone() -> None:
    records, position = fetch(faust_rebalance_fixes._fetch_records, set())
    assert records == {} and position == 0
    records, position = fetch(faust_rebalance_fixes._fetch_records, {LOG})
    assert set(records) == {LOG} and position == 0


def test_the_fixed_fetch_works_on_a_snapshot_of_the_live_set() -> None:
    """Faust passes its live set, which the event loop changes while the consumer thread waits for records."""
    seen: list[set[Any]] = []

    async def fake_original(self: Any, consumer: Any, active: Any, **kwargs: Any) -> dict[Any, Any]:
        seen.append(active)
        return {}

    live = {LOG}
    original = faust_rebalance_fixes._ORIGINAL["fetch_records"]
    faust_rebalance_fixes._ORIGINAL["fetch_records"] = fake_original
    try:
        asyncio.run(faust_rebalance_fixes._fetch_records(None, None, live))
    finally:
        faust_rebalance_fixes._ORIGINAL["fetch_records"] = original
    assert seen == [{LOG}] and seen[0] is not live


# ---- 3: partitions without a committed offset --------------------------------------------------------------


class Seeker:
    """The consumer state `perform_seek` reads and writes; aiokafka's committed offsets as given."""

    def __init__(self, committed: dict[TP, int | None]) -> None:
        self.committed = committed
        self._read_offset: dict[TP, int | None] = {}
        self._committed_offset: dict[TP, int | None] = defaultdict(lambda: None)
        self.to_beginning: list[TP] = []
        self.app = SimpleNamespace(conf=SimpleNamespace(consumer_auto_offset_reset="earliest"))

        async def seek_to_beginning(*tps: TP) -> None:
            self.to_beginning.extend(tps)

        self._thread = SimpleNamespace(seek_to_beginning=seek_to_beginning)

    async def seek_to_committed(self) -> dict[TP, int | None]:  # aiokafka seeks only offsets > 0
        return self.committed

    def _is_changelog_tp(self, tp: TP) -> bool:
        return tp.topic.endswith("-changelog")


COMMITTED = {TP("claims", 0): 11, TP("claims", 1): None, TP("claims", 2): 0, CHANGELOG: None}


def test_fausts_seek_leaves_partitions_without_a_committed_offset_where_they_are() -> None:
    seeker = Seeker(COMMITTED)
    asyncio.run(faust_rebalance_fixes.original("perform_seek")(seeker))
    assert seeker.to_beginning == []
    assert seeker._committed_offset[TP("claims", 1)] is None  # and `_new_offset` then has no head guard


def test_the_fixed_seek_sends_stream_partitions_without_a_committed_offset_to_the_beginning() -> None:
    seeker = Seeker(COMMITTED)
    asyncio.run(faust_rebalance_fixes.perform_seek(seeker))
    assert sorted(seeker.to_beginning) == [TP("claims", 1), TP("claims", 2)]  # not the changelog
    reference = Seeker(COMMITTED)
    asyncio.run(faust_rebalance_fixes.original("perform_seek")(reference))
    assert seeker._read_offset == reference._read_offset
    assert dict(seeker._committed_offset) == dict(reference._committed_offset)


def test_the_app_runs_with_the_fixes_installed() -> None:
    from streams.app import build_app
    from streams.settings import Settings

    build_app(Settings(broker="kafka://localhost:9092", app_id="fix-check", store="memory://"))
    assert Recovery.on_recovery_completed is faust_rebalance_fixes.on_recovery_completed
    assert AIOKafkaConsumerThread._fetch_records is faust_rebalance_fixes._fetch_records
    assert Consumer.perform_seek is faust_rebalance_fixes.perform_seek
