"""A worker whose consumer has stopped is a dead worker: notice it, say so, and exit so it is restarted.

Faust 0.15.3 can stop consuming a partition after a rebalance with no error at all (the faust-streaming#175
family: flow control left suspended, or an offset fetched and never acked so the committed offset cannot move).
Nothing inside the worker fails, so only an outside view notices: records are waiting on a partition (its high
watermark is past its committed offset) and the committed offset has not moved for `timeout` seconds, while no
rebalance or recovery is under way. The state is safe to lose (the tables are rebuilt from their changelogs,
and the ledger is idempotent), so the cure is a restart: `/healthz` fails and the worker exits with
`STALL_EXIT_CODE`, for a supervisor (Kubernetes, compose, `liveblog run`) to start it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

#: The worker's exit status when it stops itself because its consumer stalled (EX_SOFTWARE).
STALL_EXIT_CODE = 70
#: Its exit status when a batch could not be completed (EX_TEMPFAIL; `streams.agents`).
BATCH_FAILED_EXIT_CODE = 75
#: Exit statuses after which a supervisor should start the worker again.
RESTART_EXIT_CODES = frozenset({STALL_EXIT_CODE, BATCH_FAILED_EXIT_CODE})

Position = tuple[str, int, int, int]  # topic, partition, committed offset, high watermark


@dataclass
class StallWatch:
    """Which partitions have had records waiting, with no commit, for longer than `timeout` seconds."""

    timeout: float
    _since: dict[tuple[str, int], tuple[int, float]] = field(default_factory=dict)

    def observe(self, positions: Iterable[Position], now: float, busy: bool) -> list[str]:
        """The stalled partitions (as `topic[partition]`) given the current positions; `busy`: rebalancing or
        recovering, when nothing is expected to move (the clocks restart)."""
        if busy:
            self._since.clear()
            return []
        stalled, seen = [], set()
        for topic, partition, committed, highwater in positions:
            tp = (topic, partition)
            seen.add(tp)
            if highwater <= committed:
                self._since.pop(tp, None)
                continue
            last = self._since.get(tp)
            if last is None or last[0] != committed:
                self._since[tp] = (committed, now)
            elif now - last[1] >= self.timeout:
                stalled.append(f"{topic}[{partition}]")
        for gone in self._since.keys() - seen:  # revoked
            del self._since[gone]
        return sorted(stalled)


def positions(app: Any, topics: set[str]) -> Iterator[Position]:
    """(topic, partition, committed, high watermark) of each assigned partition of `topics`, from memory.

    `consumer.highwater(tp)` is aiokafka's high watermark from the last fetch (None before the first) and
    `consumer._committed_offset[tp]` the offset committed last (set on every commit and on the seek after an
    assignment): reading them costs no request.
    """
    consumer = app.consumer
    committed_by_tp = getattr(consumer, "_committed_offset", {})
    monitored = getattr(app.monitor, "tp_committed_offsets", {}) or {}
    for tp in sorted(consumer.assignment()):
        if tp.topic not in topics:
            continue
        with contextlib.suppress(Exception):  # revoked meanwhile, or the consumer is stopping
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            committed = committed_by_tp.get(tp)
            if committed is None:
                committed = monitored.get(tp)
            yield tp.topic, tp.partition, int(committed or 0), int(highwater)


@dataclass
class Watchdog:
    """Checks a running app every few seconds; `stalled` is what `/healthz` reports."""

    app: Any
    topics: Callable[[], set[str]]
    watch: StallWatch
    clock: Callable[[], float]
    exit: Callable[[int], None] = os._exit
    stalled: list[str] = field(default_factory=list)

    def check(self) -> list[str]:
        app = self.app
        busy = bool(app.rebalancing) or bool(app.in_recovery)
        self.stalled = self.watch.observe(positions(app, self.topics()), self.clock(), busy)
        if self.stalled:
            log.critical(
                "consumer stalled: records waiting and no commit for %.0fs on %s; exiting with status %d so the "
                "worker is restarted (state is rebuilt from the changelogs)",
                self.watch.timeout,
                ", ".join(self.stalled),
                STALL_EXIT_CODE,
            )
            log.critical("the consumer when it stalled: %s", consumer_state(app))
            log.critical("what each task was awaiting when the consumer stalled:\n%s", task_stacks())
            for handler in logging.getLogger().handlers:
                handler.flush()
            self.exit(STALL_EXIT_CODE)
        return self.stalled


def consumer_state(app: Any) -> str:
    """Faust's flow switches and partition sets, and the Kafka client's own pauses and positions: what decides
    whether a partition is fetched and delivered."""
    parts: list[str] = []
    consumer: Any = getattr(app, "consumer", None)

    def tps(value: Any) -> str:
        return "None" if value is None else ", ".join(sorted(f"{tp.topic}[{tp.partition}]" for tp in value))

    with contextlib.suppress(Exception):
        parts.append(f"flow_active={consumer.flow_active} flow_control.is_active={app.flow_control.is_active()}")
        parts.append(f"in_recovery={app.in_recovery} rebalancing={app.rebalancing}")
        parts.append(f"active=[{tps(consumer._active_partitions)}]")
        parts.append(f"paused=[{tps(consumer._paused_partitions)}] buffered=[{tps(consumer._buffered_partitions)}]")
        client = consumer._thread._ensure_consumer()
        parts.append(f"client paused=[{tps(client.paused())}]")
        assignment = client._subscription.subscription.assignment
        positions = []
        for tp in sorted(assignment.tps):
            state = assignment.state_value(tp)
            at = state.position if state.has_valid_position else f"reset:{state.awaiting_reset}"
            positions.append(f"{tp.topic}[{tp.partition}]:{at}")
        parts.append("client positions=" + ", ".join(positions))
    with contextlib.suppress(Exception):
        producer = app.producer._producer  # aiokafka's: batches not yet acknowledged, requests in flight
        batches = producer._message_accumulator._batches
        leader = producer.client.cluster.leader_for_partition
        waiting = {f"{tp.topic}[{tp.partition}]": (len(queue), leader(tp)) for tp, queue in batches.items() if queue}
        sender = producer._sender
        parts.append(f"producer metadata update pending={producer.client._md_update_fut is not None}")
        parts.append(f"producer metadata topics={sorted(producer.client._topics)}")
        parts.append(f"producer batches waiting (batches, leader)={waiting}")
        parts.append(f"producer requests in flight to nodes={sorted(sender._in_flight)}")
        parts.append(f"producer muted={tps(sender._muted_partitions)}")
    return "; ".join(parts)


def task_stacks() -> str:
    """Every asyncio task of the running loop and the chain of awaits it is suspended in: what a stalled worker
    waits for (`Task.print_stack` shows only a suspended task's outermost frame)."""
    try:
        tasks = asyncio.all_tasks()
    except RuntimeError:  # no running loop
        return "(no running event loop)"
    return "\n".join(
        f"{task.get_name()}: {_awaits(task.get_coro())}" for task in sorted(tasks, key=asyncio.Task.get_name)
    )


def _awaits(awaited: Any) -> str:
    """`coroutine > coroutine it awaits > ...`, through async generators (the agents' `take_events`)."""
    chain: list[str] = []
    while awaited is not None and len(chain) < 40:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "ag_frame", None)
        frame = frame or getattr(awaited, "gi_frame", None)
        if frame is not None:
            code = frame.f_code
            chain.append(f"{code.co_filename.rsplit('/', 1)[-1]}:{frame.f_lineno} {code.co_name}")
        following = getattr(awaited, "cr_await", None) or getattr(awaited, "ag_await", None)
        following = following or getattr(awaited, "gi_yieldfrom", None)
        if following is None and frame is None:  # an asend or a coroutine_wrapper: what it drives is a referent
            frames = ("ag_frame", "cr_frame", "gi_frame")
            following = next((r for r in gc.get_referents(awaited) if any(hasattr(r, f) for f in frames)), None)
            if following is None:
                chain.append(type(awaited).__name__)
        awaited = following
    return " > ".join(chain)
