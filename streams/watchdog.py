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

import contextlib
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
            for handler in logging.getLogger().handlers:
                handler.flush()
            self.exit(STALL_EXIT_CODE)
        return self.stalled
