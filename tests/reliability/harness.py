"""Fault injection for the reliability suite: a workload, the faults, and an audit of what came out.

The workload is the real Guardian/BBC corpus (the first `LIVEBLOG_RELIABILITY_BLOGS` blogs) plus a few
malformed events, so in = out + dead-lettered is checked on something. The audit reads the topics and the
tables' changelogs from outside, as a downstream service would, and compares them with a clean run.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from schemas import ClaimBatch, DeadLetter, EnrichedUpdate, RawUpdate, TotalsRow
from streams import codec
from streams.ingest.corpus import iter_corpus
from streams.kafka.clients import client_options
from streams.kafka.observe import STAGES, partitions_of, pipeline_lag, read_records
from streams.kafka.publish import publish_updates
from streams.kafka.topics import ensure_topics
from streams.runner import WorkerProcess
from streams.settings import Settings
from streams.watchdog import RESTART_EXIT_CODES
from tests.conftest import KAFKA_SH, shared_file

BLOGS = int(os.environ.get("LIVEBLOG_RELIABILITY_BLOGS", "60"))
KILLS = int(os.environ.get("LIVEBLOG_RELIABILITY_KILLS", "3"))
SEED = int(os.environ.get("LIVEBLOG_RELIABILITY_SEED", "0")) or random.randrange(1, 1 << 30)

#: The topics the worker writes one event per input to, with a deterministic CloudEvents id. (A claims record
#: is a batch, and a total the state after a batch: both depend on batching, so they are compared by content.)
OUTPUTS = ("updates.unique",)

#: Malformed events published before the corpus: each must come out as one dead letter.
GARBAGE = (b"{not json", b"\xff\xfe\x00", b'{"blog_id": "garbage"}')


@functools.cache
def corpus_updates() -> list[RawUpdate]:
    return list(iter_corpus(shared_file("corpus/liveblogs-guardian-bbc.jsonl.gz"), limit=BLOGS))


def fresh_settings(broker: str, data: Path, **changes: Any) -> Settings:
    """Settings with their own topics, consumer group and data dir on a shared broker."""
    unique = uuid.uuid4().hex[:8]
    return Settings(
        broker=broker,
        app_id=f"liveblog-rel-{unique}",
        topic_prefix=f"r{unique}.liveblog",
        data_dir=str(data / f"data-{unique}"),
        log_level="info",
        stall_timeout=30.0,
        **changes,
    )


async def publish(settings: Settings, updates: Sequence[RawUpdate]) -> None:
    """Create the topics; publish the malformed events, then the updates."""
    await ensure_topics(settings)
    producer = AIOKafkaProducer(**client_options(settings), acks="all")
    await producer.start()
    try:
        for n, value in enumerate(GARBAGE):
            headers = codec.ce_headers("update", source="liveblog-streams/reliability", id=f"garbage-{n}")
            await producer.send_and_wait(settings.topic("updates"), value, key=b"garbage", headers=headers)
    finally:
        await producer.stop()
    await publish_updates(settings, updates)


# ---- faults -----------------------------------------------------------------------------------------------------


def kill9(worker: WorkerProcess) -> None:
    """SIGKILL the worker's whole process group (a crash: no flush, no commit, no leave-group)."""
    proc = worker.proc
    assert proc is not None and proc.poll() is None, "the worker is not running"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


async def progress(settings: Settings) -> int:
    """Events the group has committed, summed over every stage and partition."""
    consumer = AIOKafkaConsumer(group_id=settings.app_id, enable_auto_commit=False, **client_options(settings))
    await consumer.start()
    try:
        done = 0
        for stage in STAGES:
            for tp in await partitions_of(settings, settings.topic(stage)):
                done += (await consumer.committed(tp)) or 0
        return done
    finally:
        await consumer.stop()


#: Workers that stopped themselves to be restarted (a stalled consumer, a batch that could not complete:
#: `streams.watchdog`) and were started again, as a supervisor would: why, per app id, shown in the summary.
RESTARTS: list[tuple[str, str]] = []


def supervise(workers: Sequence[WorkerProcess]) -> None:
    """Restart a worker that exited asking for it; any other exit is an error."""
    for worker in workers:
        if worker.proc is not None and worker.proc.poll() in RESTART_EXIT_CODES:
            critical = [line for line in worker.log_tail(20_000).splitlines() if "CRITICAL" in line]
            RESTARTS.append((worker.settings.app_id, critical[-1] if critical else f"exit {worker.proc.returncode}"))
            worker.start()
        worker.check()


def wait_progress(settings: Settings, target: int, workers: Sequence[WorkerProcess], timeout: float = 300) -> int:
    """Block until the group has committed `target` events (any live worker dying is an error)."""
    deadline = time.monotonic() + timeout
    while True:
        supervise(workers)
        done = asyncio.run(progress(settings))
        if done >= target:
            return done
        if time.monotonic() > deadline:
            raise TimeoutError(f"progress {done} < {target} after {timeout}s")
        time.sleep(0.3)


def wait_done(settings: Settings, workers: Sequence[WorkerProcess], timeout: float = 300) -> None:
    """Block until every stage is committed to its last record; a worker dying meanwhile is an error."""
    deadline = time.monotonic() + timeout
    while lag := asyncio.run(pipeline_lag(settings)):
        supervise(workers)
        if time.monotonic() > deadline:
            raise TimeoutError(f"the worker did not catch up within {timeout}s: lag {lag}")
        time.sleep(0.5)


class KafkaBroker:
    """An Apache Kafka of its own (deploy/kafka/kafka.sh) that a test may stop and start on the same data."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.bootstrap = ""

    def _run(self, *args: str) -> str:
        env = {**os.environ, "LIVEBLOG_PYTHON": sys.executable}
        done = subprocess.run(["bash", str(KAFKA_SH), *args], capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"kafka.sh {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout.strip()

    def start(self) -> str:
        port = ["--port", self.bootstrap.rpartition(":")[2]] if self.bootstrap else []
        self.bootstrap = self._run("start", "--data", str(self.data), *port).splitlines()[-1]
        return f"kafka://{self.bootstrap}"

    def stop(self) -> None:
        self._run("stop", "--data", str(self.data))


# ---- what came out ----------------------------------------------------------------------------------------------


def ce_id(headers: Sequence[tuple[str, bytes]]) -> str:
    return codec.header_map(headers).get("ce_id", b"").decode()


def last_values(records: Sequence[Any]) -> dict[str, Any]:
    """A compacted topic's (or changelog's) view: the last value per key, tombstones removing keys."""
    state: dict[str, Any] = {}
    for record in records:
        key = codec.loads(record.key)
        if record.value is None:
            state.pop(key, None)
        else:
            state[key] = codec.loads(record.value)
    return state


def changelog(settings: Settings, table: str) -> str:
    return f"{settings.app_id}-{table}-changelog"


@dataclass
class Observed:
    """What a run left on the broker, read from outside."""

    inputs: set[str]  # ce_id of every event on the updates topic
    outputs: set[str]  # ce_id of every update whose entry has a version on the unique topic
    dead: set[str]  # ce_id of the original of every dead letter
    totals: dict[str, dict[str, Any]]  # key → row without its timestamp
    series: dict[str, dict[str, Any]]  # series table: series key → {claim id: claim}
    entries: dict[str, dict[str, Any]]  # entries table: entry key → its EntryRecord
    claim_ops: set[str]  # "claim id:op" of every ledger operation sent to the claims topic
    records: dict[str, list[Any]]  # stage topic → its records
    work: int = 0  # records on the stage topics: the denominator of progress

    def ids(self, stage: str) -> set[str]:
        """The distinct CloudEvents ids on a topic: deterministic, so a redelivered output has its original's."""
        return {ce_id(r.headers) for r in self.records[stage]}


def observe(settings: Settings, *, committed: bool = False) -> Observed:
    async def read() -> dict[str, list[Any]]:
        names = [*STAGES, "updates.unique", "totals", "deadletter"]
        topics = {name: settings.topic(name) for name in names}
        topics |= {table: changelog(settings, table) for table in ("series", "entries")}
        return {
            name: await read_records(settings, topic, committed=committed, timeout=120)
            for name, topic in topics.items()
        }

    recs = asyncio.run(read())
    totals: dict[str, dict[str, Any]] = {}
    for record in recs["totals"]:
        if record.value is None:
            totals.pop(record.key.decode(), None)
        else:
            row = TotalsRow.model_validate_json(record.value)
            totals[row.key] = row.model_dump(mode="json", exclude={"updated_at"})
    letters = [DeadLetter.model_validate_json(r.value) for r in recs["deadletter"]]
    kept = {(e.update.blog_id, e.update.entry_id) for e in map(_enriched, recs["updates.unique"])}
    return Observed(
        inputs={ce_id(r.headers) for r in recs["updates"]},
        outputs={ce_id(r.headers) for r in recs["updates"] if _entry_of(r.value) in kept},
        dead={ce_id([(k, base64.b64decode(v)) for k, v in letter.headers]) for letter in letters},
        totals=totals,
        series=last_values(recs["series"]),
        entries=last_values(recs["entries"]),
        claim_ops={
            f"{claim.claim_id}:{claim.op}"
            for r in recs["claims"]
            for claim in ClaimBatch.model_validate_json(r.value).claims
        },
        records={name: recs[name] for name in (*STAGES, "updates.unique", "totals")},
        work=sum(len(recs[stage]) for stage in STAGES),
    )


@dataclass
class Audit:
    """A run compared with the clean one: what was lost, what was counted twice, and every difference."""

    events_in: int
    events_out: int
    dead_lettered: int
    lost: int = 0
    double_counted: int = 0
    problems: list[str] = field(default_factory=list)

    def note(self, what: str, items: Sequence[str] | set[str], kind: str = "") -> None:
        if items:
            listed = sorted(items)
            self.problems.append(f"{what}: {len(listed)} (e.g. {listed[:3]})")
            if kind == "lost":
                self.lost += len(listed)
            elif kind == "double":
                self.double_counted += len(listed)


def audit(run: Observed, clean: Observed) -> Audit:
    result = Audit(len(run.inputs), len(run.outputs), len(run.dead & run.inputs))
    result.note("inputs with neither an output nor a dead letter", run.inputs - run.outputs - run.dead, "lost")
    result.note("inputs both processed and dead-lettered", run.outputs & run.dead, "double")

    for stage in OUTPUTS:
        clean_ids, run_ids = clean.ids(stage), run.ids(stage)
        result.note(f"{stage}: outputs of the clean run missing", clean_ids - run_ids, "lost")
        result.note(f"{stage}: outputs the clean run does not have", run_ids - clean_ids, "double")
    result.note("claims: ledger operations of the clean run missing", clean.claim_ops - run.claim_ops, "lost")
    result.note("claims: ledger operations the clean run does not have", run.claim_ops - clean.claim_ops, "double")

    homes = Counter(cid for claims in run.series.values() for cid in claims)
    result.note("claims in more than one series", {cid for cid, n in homes.items() if n > 1}, "double")
    clean_claims = {cid for claims in clean.series.values() for cid in claims}
    result.note("claims of the clean run missing from the ledger", clean_claims - homes.keys(), "lost")
    result.note("claims not in the clean run's ledger", homes.keys() - clean_claims, "double")
    result.note(
        "series claims without their entry in the entries table",
        {
            cid
            for key, claims in run.series.items()
            for cid, claim in claims.items()
            if run.entries.get(f"{claim['blog']}|{claim['entry']}", {}).get("claims", {}).get(cid) != key
        },
    )

    result.note("totals missing", clean.totals.keys() - run.totals.keys(), "lost")
    result.note("totals not in the clean run", run.totals.keys() - clean.totals.keys(), "double")
    both = clean.totals.keys() & run.totals.keys()
    result.note(
        "totals with fewer claims", {k for k in both if run.totals[k]["claims"] < clean.totals[k]["claims"]}, "lost"
    )
    result.note(
        "totals with more claims", {k for k in both if run.totals[k]["claims"] > clean.totals[k]["claims"]}, "double"
    )
    result.note("totals whose value fields differ", {k for k in both if run.totals[k] != clean.totals[k]})
    return result


def _enriched(record: Any) -> EnrichedUpdate:
    return codec.decode(record.value, EnrichedUpdate)


def _entry_of(value: bytes | None) -> tuple[str, str] | None:
    """(blog id, entry id) of an update event, or None for a malformed one."""
    try:
        update = codec.decode(value, RawUpdate)
    except Exception:
        return None
    return (update.blog_id, update.entry_id)


def duplicates(records: Sequence[Any]) -> dict[str, int]:
    """ce_ids carried by more than one record (a deterministic id seen twice: an output produced twice)."""
    counts = Counter(ce_id(r.headers) for r in records)
    return {ident: n for ident, n in counts.items() if n > 1}


def worker(settings: Settings, logs: Path, name: str = "worker") -> WorkerProcess:
    return WorkerProcess(settings, logs / f"{name}-{settings.app_id}.log")


# ---- bad inputs and fuzz cases: what the summary reports beside the faults ------------------------------------

#: The bad-input classes published by `test_bad_input.py` (each must come out as one dead letter), in order.
BAD_INPUT_CLASSES: list[str] = []

#: Fuzz cases actually run, per target ("hypothesis: codec.decode(RawUpdate)", "atheris: ..."): `test_fuzz.py`.
FUZZ_CASES: Counter[str] = Counter()
