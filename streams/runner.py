"""`liveblog run`: broker (embedded or given), worker process, publish an archive, wait, report totals."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemas import DeadLetter, RawUpdate, TotalsRow
from streams import dedup
from streams.errors import BrokerError
from streams.extract import content_hash
from streams.ingest.encoded import OrderedEvents, distinct_so_far
from streams.ingest.events import update_event
from streams.ingest.records import Reject
from streams.ingest.spool import Record
from streams.kafka.embedded import EmbeddedBroker
from streams.kafka.observe import count_events, read_topic, read_totals, watch_pipeline
from streams.kafka.publish import publish_events
from streams.kafka.topics import ensure_topics
from streams.pacing import run_progress
from streams.settings import Settings
from streams.watchdog import RESTART_EXIT_CODES


@contextlib.contextmanager
def broker_for(settings: Settings) -> Iterator[Settings]:
    """Settings pointing at a running broker: the given one, or an embedded one for the duration."""
    if settings.broker != "embedded":
        yield settings
        return
    with EmbeddedBroker() as broker:
        yield settings.model_copy(update={"broker": broker.url})


def with_private_data_dir(settings: Settings, tmp: Path) -> Settings:
    """A one-off worker keeps its local state in `tmp` unless a data directory was configured."""
    if settings.data_dir == Settings.model_fields["data_dir"].default:
        return settings.model_copy(update={"data_dir": str(tmp / "data")})
    return settings


class WorkerProcess:
    """A `liveblog worker` subprocess configured through the environment, like in production."""

    def __init__(self, settings: Settings, log_path: Path) -> None:
        self.settings = settings
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name, value in self.settings.model_dump().items():
            if value is None:
                continue
            if hasattr(value, "get_secret_value"):
                value = value.get_secret_value()
            env[f"LIVEBLOG_{name.upper()}"] = str(value)
        return env

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streams.worker"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env(),
                start_new_session=True,
            )

    def check(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            kept = Path(tempfile.mkstemp(prefix="liveblog-worker-", suffix=".log")[1])
            if self.log_path.exists():
                kept.write_bytes(self.log_path.read_bytes())
            raise BrokerError(f"the worker exited (whole log: {kept}); its first error:\n{self.first_error()}")

    def first_error(self, size: int = 4000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        starts = [i for i in (text.find("Traceback"), text.find("[ERROR]")) if i >= 0]
        return text[min(starts) : min(starts) + size] if starts else text[-size:]

    def peak_rss_mb(self) -> float | None:
        """The worker's peak resident memory so far (Linux `VmHWM`), None when not running or not known."""
        if self.proc is None:
            return None
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        line = next((ln for ln in status.splitlines() if ln.startswith("VmHWM:")), None)
        return int(line.split()[1]) / 1024 if line else None

    def log_tail(self, size: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-size:] if self.log_path.exists() else ""

    def wait(self) -> int:
        assert self.proc is not None
        return self.proc.wait()

    def stop(self, timeout: float = 20.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)


#: Restarts of a worker that stopped itself to be restarted (a stalled consumer, a batch that could not complete:
#: `streams.watchdog`) before giving up.
STALL_RESTARTS = 3


@dataclass(frozen=True)
class Accounting:
    """What a run took in and what became of it: in = out + duplicates + dead-lettered, checked on the topics."""

    updates_in: int
    rejected_at_ingest: int
    out: int  # distinct events on the unique-updates topic
    resent: int  # records sent again after a worker restart (same event id): not counted twice
    duplicates: int  # inputs the dedup stage drops (the same version of an entry again), known from the inputs
    dead_lettered: Counter[str]  # by reason, the worker's (the edge's rejects are counted apart)

    @property
    def balanced(self) -> bool:
        return self.updates_in == self.out + self.duplicates + sum(self.dead_lettered.values())

    def line(self) -> str:
        dead = sum(self.dead_lettered.values())
        reasons = ", ".join(f"{reason} {n:,}" for reason, n in self.dead_lettered.most_common()) or "none"
        verdict = "balanced" if self.balanced else "NOT BALANCED"
        return (
            f"in {self.updates_in:,} = out {self.out:,} + duplicates {self.duplicates:,} + dead-lettered {dead:,}"
            f" ({reasons}): {verdict}; {self.rejected_at_ingest:,} archive records rejected at ingest"
            + (f"; {self.resent:,} outputs re-sent after a restart" if self.resent else "")
        )


@dataclass(frozen=True)
class RunResult:
    totals: dict[str, TotalsRow]
    accounting: Accounting
    seconds: float  # from the worker's start to every stage caught up
    worker_peak_rss_mb: float | None  # of the last worker process (a restart starts a new one)


def expected_duplicates(updates: Iterable[RawUpdate]) -> int:
    """Inputs the dedup stage will drop: an entry version seen before (the same pure rule the agent applies)."""
    seen: dict[str, dedup.SeenEntry] = {}
    dropped = 0
    for update in updates:
        key = dedup.entry_key(update)
        version, decision = dedup.step(seen.get(key), update, content_hash(update))
        if decision in dedup.DROPPED:
            dropped += 1
        else:
            seen[key] = version
    return dropped


@dataclass(frozen=True)
class Feed:
    """What a run publishes, in order, and what its progress line and accounting need of it, without the updates
    themselves (the corpus as pydantic models took the publishing process to 960 MB): the encoded events, how many,
    how many blogs they have reached at each position, and how many the dedup stage will drop."""

    events: Callable[[], Iterator[Record]]  # each call reads them afresh from the start
    count: int
    blog_marks: Sequence[int]
    duplicates: int
    release: Callable[[], None] = lambda: None  # frees what holds the events once they are all published

    @classmethod
    def of_updates(cls, updates: Sequence[RawUpdate]) -> Feed:
        """Updates in the order given."""
        return cls(
            lambda: (update_event(update) for update in updates),
            len(updates),
            distinct_so_far(update.blog_id for update in updates),
            expected_duplicates(updates),
        )

    @classmethod
    def of_archive(cls, ordered: OrderedEvents) -> Feed:
        """An encoded archive's updates in the order given (`EncodedArchive.in_event_time_order`)."""
        duplicates = expected_duplicates(ordered.updates_sharing_keys())
        return cls(ordered.events, len(ordered), ordered.blog_marks(), duplicates, ordered.archive.close)


async def _drive(
    settings: Settings,
    worker: WorkerProcess,
    feed: Feed,
    rejects: Sequence[Reject],
    *,
    origin: str,
    stall: float,
    progress: Callable[[str], None] | None,
) -> Accounting:
    """Publish while the worker runs; report progress; return once every stage is caught up.

    Fails when nothing moves for `stall` seconds; restarts a worker that stopped itself to be restarted.
    """
    published = 0

    def count(n: int) -> None:
        nonlocal published
        published = n

    marks = feed.blog_marks
    publishing = asyncio.ensure_future(
        publish_events(settings, feed.events(), rejects, origin=origin, sent_so_far=count)
    )
    # Once all is published the spooled archive (447 MB for the corpus) goes: not kept while `--serve` serves.
    publishing.add_done_callback(lambda _: feed.release())
    started = last_move = time.monotonic()
    last_seen, restarts = (-1, -1), 0
    async with watch_pipeline(settings) as watch:
        while True:
            if worker.proc is not None and worker.proc.poll() in RESTART_EXIT_CODES and restarts < STALL_RESTARTS:
                restarts += 1
                print(
                    f"the worker stopped itself to be restarted; restarting it ({restarts}/{STALL_RESTARTS})\n"
                    f"{worker.first_error(800)}",
                    file=sys.stderr,
                )
                worker.start()
            worker.check()
            if publishing.done():
                published = publishing.result()
            processed = await watch.committed("updates")
            now = time.monotonic()
            if progress is not None:
                blogs = (marks[min(processed, len(marks)) - 1] if processed else 0, marks[-1] if marks else 0)
                progress(run_progress(blogs, published, processed, feed.count, now - started))
            if publishing.done() and not await watch.lag():
                break
            if (published, processed) != last_seen:
                last_seen, last_move = (published, processed), now
            elif now - last_move > stall:
                raise TimeoutError(
                    f"nothing moved for {stall:.0f}s (lag {await watch.lag()})\nthe worker's log ends:\n"
                    f"{worker.log_tail(3000)}"
                )
            await asyncio.sleep(1.0)
    records, out = await count_events(settings, "updates.unique")
    letters = [DeadLetter.model_validate_json(r.value) for r in await read_topic(settings, "deadletter")]
    return Accounting(
        updates_in=feed.count,
        rejected_at_ingest=len(rejects),
        out=out,
        resent=records - out,
        duplicates=feed.duplicates,
        dead_lettered=Counter(letter.reason for letter in letters if letter.stage != "ingest"),
    )


def run_archive(
    settings: Settings,
    updates: Sequence[RawUpdate],
    rejects: Sequence[Reject] = (),
    *,
    origin: str = "archive",
    serve: bool = False,
    timeout: float = 300.0,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Publish `updates` (and `rejects` as dead letters) through a fresh worker; the totals once caught up, and
    the accounting of what went in and came out. `timeout`: seconds with no progress before giving up."""
    feed = Feed.of_updates(updates)
    return run_feed(settings, feed, rejects, origin=origin, serve=serve, timeout=timeout, progress=progress)


def run_feed(
    settings: Settings,
    feed: Feed,
    rejects: Sequence[Reject] = (),
    *,
    origin: str = "archive",
    serve: bool = False,
    timeout: float = 300.0,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """`run_archive` for a `Feed`: updates already encoded and counted."""
    with broker_for(settings) as live, tempfile.TemporaryDirectory(prefix="liveblog-") as tmp:
        live = with_private_data_dir(live, Path(tmp))
        asyncio.run(ensure_topics(live))
        worker = WorkerProcess(live, Path(tmp) / "worker.log")
        worker.start()
        started = time.monotonic()
        try:
            accounting = asyncio.run(
                _drive(live, worker, feed, rejects, origin=origin, stall=timeout, progress=progress)
            )
            seconds = time.monotonic() - started
            peak = worker.peak_rss_mb()
            totals = asyncio.run(read_totals(live))
            if serve:
                print_totals(totals)
                page = f"http://{live.web_host}:{live.web_port}/" if live.web_enabled else "(web server off)"
                print(f"worker running on {live.broker}; live page {page}; Ctrl-C to stop", file=sys.stderr)
                with contextlib.suppress(KeyboardInterrupt):
                    worker.wait()
            return RunResult(totals, accounting, seconds, peak)
        finally:
            worker.stop()


def run_pipeline(
    settings: Settings,
    updates: Sequence[RawUpdate],
    rejects: Sequence[Reject] = (),
    *,
    origin: str = "archive",
    serve: bool = False,
    timeout: float = 300.0,
) -> dict[str, TotalsRow]:
    """`run_archive`'s totals."""
    return run_archive(settings, updates, rejects, origin=origin, serve=serve, timeout=timeout).totals


def print_totals(totals: dict[str, TotalsRow]) -> None:
    from streams.report import format_totals

    print(format_totals(totals.values()))
