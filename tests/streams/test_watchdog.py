"""The stall watchdog: records waiting and no commit for `timeout` seconds, outside rebalances, is a stall."""

from collections.abc import AsyncIterator

from hypothesis import given
from hypothesis import strategies as st

from streams.watchdog import STALL_EXIT_CODE, StallWatch, Watchdog
from tests.streams.test_metrics import TP, fake_app


def test_a_partition_with_records_waiting_and_no_commit_stalls_after_the_timeout() -> None:
    watch = StallWatch(timeout=60)
    assert watch.observe([("u", 0, 100, 120)], now=0, busy=False) == []
    assert watch.observe([("u", 0, 100, 130)], now=59, busy=False) == []
    assert watch.observe([("u", 0, 100, 130)], now=60, busy=False) == ["u[0]"]


def test_a_commit_or_an_empty_partition_restarts_the_clock() -> None:
    watch = StallWatch(timeout=60)
    watch.observe([("u", 0, 100, 120)], now=0, busy=False)
    assert watch.observe([("u", 0, 101, 120)], now=50, busy=False) == []  # moved
    assert watch.observe([("u", 0, 101, 120)], now=100, busy=False) == []  # 50 s since it moved
    assert watch.observe([("u", 0, 120, 120)], now=200, busy=False) == []  # caught up: idle is not stalled
    assert watch.observe([("u", 0, 120, 121)], now=201, busy=False) == []
    assert watch.observe([("u", 0, 120, 121)], now=261, busy=False) == ["u[0]"]


def test_nothing_is_a_stall_during_a_rebalance_or_recovery() -> None:
    watch = StallWatch(timeout=60)
    watch.observe([("u", 0, 100, 120)], now=0, busy=False)
    assert watch.observe([("u", 0, 100, 120)], now=100, busy=True) == []
    assert watch.observe([("u", 0, 100, 120)], now=150, busy=False) == []  # the clock restarted after it
    assert watch.observe([("u", 0, 100, 120)], now=210, busy=False) == ["u[0]"]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 1000)), max_size=50))
def test_a_consumer_that_keeps_committing_never_stalls(steps: list[tuple[int, int]]) -> None:
    watch, now = StallWatch(timeout=10), 0.0
    for committed, (advance, backlog) in enumerate(steps, 1):  # a commit at least every 5 s
        now += advance
        assert watch.observe([("u", 0, committed, committed + backlog)], now=now, busy=False) == []


def test_the_watchdog_reads_the_app_and_exits_with_its_status_on_a_stall() -> None:
    app = fake_app()  # u/0: high watermark 120, committed 100; u/1 no fetch yet; a changelog
    exits: list[int] = []
    clock = iter([0.0, 30.0, 61.0])
    dog = Watchdog(app, topics=lambda: {"u"}, watch=StallWatch(60), clock=lambda: next(clock), exit=exits.append)
    assert dog.check() == [] and dog.check() == [] and exits == []
    assert dog.check() == ["u[0]"] and exits == [STALL_EXIT_CODE]
    assert dog.stalled == ["u[0]"]
    app.consumer._committed_offset[TP("u", 0)] = 120  # caught up
    dog.clock = lambda: 200.0
    assert dog.check() == [] and dog.stalled == []


def test_a_stall_report_names_what_each_task_awaits_through_async_generators() -> None:
    """`Task.print_stack` shows a suspended task's outer frame only; the agents wait inside `take_events`."""
    import asyncio

    from streams.watchdog import task_stacks

    async def take_events() -> AsyncIterator[int]:
        await asyncio.Event().wait()
        yield 1

    async def agent() -> None:
        async for _ in take_events():
            pass

    async def scenario() -> str:
        task = asyncio.create_task(agent(), name="an-agent")
        await asyncio.sleep(0.01)
        try:
            return task_stacks()
        finally:
            task.cancel()

    line = next(x for x in asyncio.run(scenario()).splitlines() if x.startswith("an-agent:"))
    assert " agent > " in line and " take_events > " in line and " wait" in line


def test_a_stall_report_of_the_consumer_never_raises() -> None:
    """It reads Faust's and aiokafka's private state, which another version may not have: it must not turn a
    stall exit into a crash."""
    from streams.watchdog import consumer_state

    assert consumer_state(object()) == ""
