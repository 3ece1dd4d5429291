"""The benchmark's plumbing: topics, publishing, catch-up, process figures, arrival times, topic census.

Plain aiokafka on a loopback PLAINTEXT broker (the benchmark never needs credentials); the pipeline's own
`Settings`-based helpers are used where the pipeline is measured (`pipeline_bench.py`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from schemas import RawUpdate
from streams.ingest.events import update_event
from streams.kafka.observe import partitions_of
from streams.settings import Settings

Message = tuple[bytes, bytes, list[tuple[str, bytes]]]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def encode(updates: Sequence[RawUpdate]) -> list[Message]:
    """Key, value and CloudEvents headers of each update, as the publisher sends them (done before timing)."""
    return [update_event(u) for u in updates]


async def create_topics(bootstrap: str, names: Sequence[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name=n, num_partitions=1, replication_factor=1) for n in names])
    finally:
        await admin.close()


async def changelogs(bootstrap: str, app_id: str) -> list[str]:
    """The changelog topics of a Faust app, whatever tables it has."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return sorted(t for t in await admin.list_topics() if t.startswith(f"{app_id}-") and t.endswith("-changelog"))
    finally:
        await admin.close()


def producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=256 * 1024)


async def publish(bootstrap: str, topic: str, messages: Sequence[Message]) -> None:
    """Send every message and wait for every acknowledgement."""
    prod = producer(bootstrap)
    await prod.start()
    try:
        futures = [await prod.send(topic, value=v, key=k, headers=h) for k, v, h in messages]
        await asyncio.gather(*futures)
    finally:
        await prod.stop()


async def committed_all(bootstrap: str, group: str, topics: Sequence[str], timeout: float) -> None:
    """Return once `group` has committed the end offset of every partition of `topics`, checked in order (a
    worker flushes its producer before it commits, so a stage committed means its output is in the next topic).
    Like `streams.kafka.observe.wait_caught_up`, but polling every 50 ms instead of 200 ms."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    deadline = time.monotonic() + timeout
    try:
        for topic in topics:
            tps = await _partitions(bootstrap, topic)
            ends = await consumer.end_offsets(tps)
            while not all([((await consumer.committed(tp)) or 0) >= ends[tp] for tp in tps]):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{group} did not catch up on {topic} within {timeout}s")
                await asyncio.sleep(0.05)
    finally:
        await consumer.stop()


async def _partitions(bootstrap: str, topic: str) -> list[TopicPartition]:
    return await partitions_of(Settings(broker=f"kafka://{bootstrap}"), topic)


class Child:
    """A benchmark worker subprocess in its own session, stopped by its pid only."""

    def __init__(self, cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.log = log

    @property
    def pid(self) -> int:
        return self.proc.pid

    def check(self) -> None:
        if self.proc.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"worker exited with {self.proc.returncode}; log tail:\n{tail}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)


async def watched(work: Awaitable[None], check: Callable[[], None]) -> None:
    """Await `work`, failing early when `check` raises (the worker died)."""
    task = asyncio.ensure_future(work)
    while not task.done():
        try:
            check()
        except Exception:
            task.cancel()
            raise
        await asyncio.sleep(0.1)
    task.result()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def peak_rss_mib(pid: int) -> float:
    """Peak resident set size (VmHWM) of a running process, MiB (psutil reports only the current RSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Arrivals:
    """Records, per `ce_time` header value, when the last message carrying it arrived on a topic."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        # fetch_max_wait_ms: Tansu answers a fetch only after the full wait (about +250 ms a hop on average, the
        # default being 500 ms); the observer asks often so that its own share of a latency stays small.
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=10)
        self.topic = topic
        self.bootstrap = bootstrap
        self.last: dict[bytes, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.consumer.start()
        tps = await _partitions(self.bootstrap, self.topic)
        self.consumer.assign(tps)
        await self.consumer.seek_to_end(*tps)
        for tp in tps:
            await self.consumer.position(tp)
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            batch = await self.consumer.getmany(timeout_ms=50, max_records=10000)
            now = time.time()
            for records in batch.values():
                for record in records:
                    stamp = dict(record.headers or ()).get("ce_time")
                    if stamp is not None:
                        self.last[stamp] = now

    async def stop(self, drain_timeout: float = 30.0) -> None:
        """Read up to the topic's current end, then stop."""
        tps = list(self.consumer.assignment())
        ends = await self.consumer.end_offsets(tps)
        deadline = time.monotonic() + drain_timeout
        while any([await self.consumer.position(tp) < ends[tp] for tp in tps]) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if self._task is not None:
            if self._task.done():
                self._task.result()  # the observer failed: say why
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.consumer.stop()

    def latencies(self, since: float, until: float) -> list[float]:
        """Seconds from each update's send (its `ce_time`) to the arrival of its last output, for sends in range."""
        out = []
        for stamp, arrived in self.last.items():
            sent = datetime.fromisoformat(stamp.decode()).timestamp()
            if since <= sent <= until:
                out.append(arrived - sent)
        return out


async def paced_publish(bootstrap: str, topic: str, templates: Sequence[RawUpdate], rate: float, seconds: float) -> int:
    """Publish new entries at `rate` a second for `seconds`, each stamped with its send time as `published`
    (hence as `ce_time`), cycling through `templates` with fresh entry ids. Returns how many were sent."""
    prod = producer(bootstrap)
    await prod.start()
    count = int(rate * seconds)
    futures = []
    try:
        start = time.monotonic()
        for i in range(count):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            template = templates[i % len(templates)]
            update = template.model_copy(
                update={"blog_id": "lat-" + template.blog_id, "entry_id": f"lat{i:06d}", "revision": 1,
                        "updated": None, "published": datetime.now(UTC)}
            )  # fmt: skip
            key, value, headers = update_event(update)
            futures.append(await prod.send(topic, value=value, key=key, headers=headers))
        await asyncio.gather(*futures)
    finally:
        await prod.stop()
    return count


async def census(bootstrap: str, topics: Sequence[str], timeout: float = 120.0) -> dict[str, tuple[int, int]]:
    """Messages and bytes (key + value + headers) of each topic, read from the beginning to its end."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    result: dict[str, tuple[int, int]] = {}
    try:
        for topic in topics:
            tps = await _partitions(bootstrap, topic)
            consumer.assign(tps)
            ends = await consumer.end_offsets(tps)
            await consumer.seek_to_beginning(*tps)
            count = size = 0
            deadline = time.monotonic() + timeout
            while any([await consumer.position(tp) < ends[tp] for tp in tps]) and time.monotonic() < deadline:
                for records in (await consumer.getmany(timeout_ms=200, max_records=10000)).values():
                    for r in records:
                        count += 1
                        size += len(r.key or b"") + len(r.value or b"") + sum(len(k) + len(v) for k, v in r.headers)
            result[topic] = (count, size)
    finally:
        await consumer.stop()
    return result


async def group_assignments(bootstrap: str, group: str, topic: str) -> list[list[int]]:
    """For each member of `group` that has an assignment: the partitions of `topic` it holds (sorted; empty when
    it holds none of them, e.g. a second worker on a one-partition topic, which holds at most standby changelogs)."""
    from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = (await admin.describe_consumer_groups([group]))[0].to_object()
    finally:
        await admin.close()
    held = []
    for g in described["groups"]:
        for member in g["members"]:
            if not member["member_assignment"]:
                continue  # joined, not yet assigned
            assignment = ConsumerProtocolMemberAssignment.decode(member["member_assignment"])
            held.append(sorted(p for t, parts in assignment.assignment if t == topic for p in parts))
    return held


async def publish_to_partitions(bootstrap: str, topic: str, messages: Sequence[Message]) -> None:
    """Send message i to partition i of `topic` (warm-ups that reach every partition), waiting for every ack."""
    prod = producer(bootstrap)
    await prod.start()
    try:
        futures = [
            await prod.send(topic, value=v, key=k, headers=h, partition=i) for i, (k, v, h) in enumerate(messages)
        ]
        await asyncio.gather(*futures)
    finally:
        await prod.stop()


def default_partition(key: bytes, partitions: int) -> int:
    """The partition the producers' default partitioner (murmur2 of the key) picks for a keyed record."""
    from aiokafka.partitioner import DefaultPartitioner

    return int(DefaultPartitioner()(key, list(range(partitions)), list(range(partitions))))


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all CPUs (/proc/stat; idle and iowait are not busy)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal (guest is inside user)
    return (total - fields[3] - fields[4]) / CLK_TCK, total / CLK_TCK
