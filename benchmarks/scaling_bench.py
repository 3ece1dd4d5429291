"""How the pipeline scales with worker processes and partitions: N workers in one consumer group, P partitions.

    python benchmarks/scaling_bench.py [--broker kafka|embedded] [--updates 2000] [--workers 1,2]
                                       [--partitions 1,2,6,12] [--runs 1] [--blogs 48]
                                       [synthetic-archive flags: see synth.py]

Same input and same figure as `pipeline_bench.py` (whose functions it reuses): the synthetic archive of `synth.py`,
published pre-encoded with acks=all; updates/s = updates ÷ wall time from the first publish to "caught up" (the
group has committed the end offset of every stage topic, every partition, polled every 50 ms). Only the pipeline
(`streams.runner.WorkerProcess`, default settings except `partitions=P`) is measured.

Per configuration (workers W × partitions P) and run: fresh topics (a unique `topic_prefix`) and a fresh app id
(consumer group and changelogs); W workers started at once, each with its own data_dir; then the benchmark waits
until the group has W members holding partitions, publishes one warm-up update to *every* partition of the input
topic (so every worker has loaded the extractor's gazetteer and every partition's tables exist) and waits until
it is processed, checks the group again, and only then starts the clock. Worker CPU s is the sum over the W
workers (/proc/<pid>/stat) in the timed window; "worker cores busy" = that ÷ wall; "machine CPUs busy" = the
whole machine's busy CPU time in the window ÷ wall (/proc/stat: workers, broker, this process and anyone else's
jobs; 2.00 on a 2-CPU box means saturated); load avg = the 1-minute load average before → after the timed phase.
Peak RSS is each worker's VmHWM at the end.

Input is keyed by blog id, so a partition only gets data if some blog hashes to it (murmur2, as every producer
here): the scaling runs default to --blogs 48 rather than synth's one blog per 200 updates (10 for 2,000), with
which 5 of 12 partitions would stay empty. The updates per partition, and per worker as the group assigned
them, are printed. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import harness
import pipeline_bench
import synth
from aiokafka.errors import KafkaError

from schemas import RawUpdate
from streams.kafka.observe import STAGES
from streams.kafka.topics import ensure_topics
from streams.runner import WorkerProcess
from streams.settings import Settings


class BenchWorker(WorkerProcess):
    """A pipeline worker, with Faust's own `TABLE_STANDBY_REPLICAS` in its environment when asked (Faust reads it
    from there and it overrides the app's setting; the pipeline's settings leave it at Faust's default, 1)."""

    def __init__(self, settings: Settings, log_path: Path, standby: int | None) -> None:
        super().__init__(settings, log_path)
        self.standby = standby

    def env(self) -> dict[str, str]:
        env = super().env()
        env.pop("TABLE_STANDBY_REPLICAS", None)
        if self.standby is not None:
            env["TABLE_STANDBY_REPLICAS"] = str(self.standby)
        return env


class SetupFailed(Exception):
    """The workers did not get through start-up, group join and the warm-up (nothing was timed yet)."""


@dataclass
class Result:
    workers: int
    partitions: int
    rate: float
    wall: float
    cpu: float  # summed over the workers
    cpus: list[float]  # per worker
    broker_cpu: float
    rss: list[float]  # per worker, MiB
    held: list[list[int]]  # input partitions per worker (group members, in the group's order)
    load: tuple[float, float]  # 1-minute load average before and after
    machine: float  # CPUs busy, whole machine (every process: workers, broker, this one, other users), timed window


def per_partition(updates: list[RawUpdate], partitions: int) -> list[int]:
    counts = Counter(harness.default_partition(u.blog_id.encode(), partitions) for u in updates)
    return [counts.get(p, 0) for p in range(partitions)]


def wait_members(bootstrap: str, group: str, topic: str, partitions: int, count: int, workers: list[BenchWorker],
                 timeout: float = 180.0) -> list[list[int]]:  # fmt: skip
    """Wait until `count` members of `group` have an assignment, together hold every partition of `topic` and,
    when there are enough partitions, each hold some."""
    deadline = time.monotonic() + timeout
    while True:
        for w in workers:
            w.check()
        try:
            held: list[list[int]] | str = asyncio.run(harness.group_assignments(bootstrap, group, topic))
        except KafkaError as exc:  # a fresh broker has no group coordinator for a few seconds
            held = repr(exc)
        if isinstance(held, list):
            covered = sorted(p for h in held for p in h) == list(range(partitions))
            if len(held) == count and covered and (all(held) or partitions < count):
                return held
        if time.monotonic() > deadline:
            raise TimeoutError(f"{group}: never {count} members holding {topic} partitions (last: {held})")
        time.sleep(0.5)


def check_all(workers: list[BenchWorker]) -> None:
    for w in workers:
        w.check()


async def _timed(bootstrap: str, settings: Settings, workers: list[BenchWorker], broker_pid: int,
                 messages: list[harness.Message]) -> tuple[float, list[float], float, float]:  # fmt: skip
    stages = [settings.topic(s) for s in STAGES]
    pids = [w.proc.pid for w in workers if w.proc is not None]
    cpu0, bcpu0 = [harness.cpu_seconds(p) for p in pids], harness.cpu_seconds(broker_pid)
    busy0, total0 = harness.machine_cpu_seconds()
    t0 = time.perf_counter()
    await harness.publish(bootstrap, settings.topic("updates"), messages)
    caught_up = harness.committed_all(bootstrap, settings.app_id, stages, 120.0 + len(messages) / 10)
    await harness.watched(caught_up, lambda: check_all(workers))
    wall = time.perf_counter() - t0
    cpus = [harness.cpu_seconds(p) - c for p, c in zip(pids, cpu0, strict=True)]
    busy1, total1 = harness.machine_cpu_seconds()
    machine = (busy1 - busy0) / (total1 - total0) * (os.cpu_count() or 1)
    return wall, cpus, harness.cpu_seconds(broker_pid) - bcpu0, machine


async def _warm(bootstrap: str, settings: Settings, workers: list[BenchWorker], tag: str) -> None:
    warm = [pipeline_bench.warmup_update(f"{tag}-{p}") for p in range(settings.partitions)]
    await harness.publish_to_partitions(bootstrap, settings.topic("updates"), harness.encode(warm))
    stages = [settings.topic(s) for s in STAGES]
    await harness.watched(harness.committed_all(bootstrap, settings.app_id, stages, 300.0), lambda: check_all(workers))


def measure(bootstrap: str, broker_pid: int, n_workers: int, partitions: int, messages: list[harness.Message],
            tmp: Path, standby: int | None) -> Result:  # fmt: skip
    tag = f"scale-w{n_workers}p{partitions}-{uuid.uuid4().hex[:8]}"
    settings = Settings(
        broker=f"kafka://{bootstrap}", app_id=f"bench-{tag}", topic_prefix=f"bench-{tag}", partitions=partitions,
        data_dir=str(tmp / "data-0"), log_level="warn", web_enabled=False,
    )  # fmt: skip
    asyncio.run(ensure_topics(settings))
    workers = [
        BenchWorker(settings.model_copy(update={"data_dir": str(tmp / f"data-{i}")}), tmp / f"worker-{i}.log", standby)
        for i in range(n_workers)
    ]
    source = settings.topic("updates")
    try:
        try:
            for w in workers:
                w.start()
            wait_members(bootstrap, settings.app_id, source, partitions, n_workers, workers)
            asyncio.run(_warm(bootstrap, settings, workers, tag))
            held = wait_members(bootstrap, settings.app_id, source, partitions, n_workers, workers, timeout=60.0)
        except Exception as exc:
            raise SetupFailed(f"{type(exc).__name__}: {str(exc)[:300]}") from exc
        load0 = os.getloadavg()[0]
        wall, cpus, bcpu, machine = asyncio.run(_timed(bootstrap, settings, workers, broker_pid, messages))
        after = asyncio.run(harness.group_assignments(bootstrap, settings.app_id, source))
        if sorted(after) != sorted(held):
            print(f"  warning: the assignment changed during the timed phase: {held} -> {after}", file=sys.stderr)
        rss = [harness.peak_rss_mib(w.proc.pid) for w in workers if w.proc is not None]
        return Result(n_workers, partitions, len(messages) / wall, wall, sum(cpus), cpus, bcpu, rss, held,
                      (load0, os.getloadavg()[0]), machine)  # fmt: skip
    except Exception:
        for i, w in enumerate(workers):
            print(f"worker {i} log tail:\n{w.log_tail(3000)}", file=sys.stderr)
        raise
    finally:
        for w in workers:
            w.stop()


def _shares(result: Result, counts: list[int]) -> str:
    """Timed updates per worker, from the partitions each held."""
    return " / ".join(f"{sum(counts[p] for p in held):,}" for held in result.held)


def format_table(results: dict[tuple[int, int], list[Result]], counts: dict[int, list[int]], n: int,
                 broker: str, runs: int) -> str:  # fmt: skip
    lines = [
        f"broker: {broker}   updates: {n}   runs: {runs}   (medians over runs; per-worker columns: the median run's)",
        "| workers | partitions | updates/s | wall s | worker CPU s (sum) | CPU ms/update | worker cores busy "
        "| broker CPU s | machine CPUs busy | peak RSS MiB per worker | updates per worker | load avg 1m |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for (w, p), rs in results.items():
        if not rs:
            lines.append(f"| {w} | {p} | failed |" + " |" * 9)
            continue
        med = sorted(rs, key=lambda r: r.rate)[(len(rs) - 1) // 2]
        rate, wall = statistics.median(r.rate for r in rs), statistics.median(r.wall for r in rs)
        cpu = statistics.median(r.cpu for r in rs)
        busy = statistics.median(r.cpu / r.wall for r in rs)
        lines.append(
            f"| {w} | {p} | {rate:,.0f} | {wall:.1f} | {cpu:.1f} | {cpu / n * 1000:.2f} | {busy:.2f} "
            f"| {statistics.median(r.broker_cpu for r in rs):.1f} | {statistics.median(r.machine for r in rs):.2f} "
            f"| {' / '.join(f'{x:.0f}' for x in med.rss)} "
            f"| {_shares(med, counts[p])} | {med.load[0]:.1f}→{med.load[1]:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--broker", choices=("embedded", "kafka"), default="kafka")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--partitions", default="1,2,6,12", help="partition counts, comma-separated")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cells", default="", help="only these WxP cells (e.g. 1x1,2x6); default: all")
    parser.add_argument(
        "--standby", type=int, default=None, help="Faust table_standby_replicas for the workers (default: Faust's, 1)"
    )
    synth.add_arguments(parser)
    parser.set_defaults(blogs=48)
    args = parser.parse_args()
    worker_counts = [int(x) for x in args.workers.split(",") if x]
    partition_counts = [int(x) for x in args.partitions.split(",") if x]
    cells = [(w, p) for w in worker_counts for p in partition_counts]
    if args.cells:
        wanted = {tuple(int(v) for v in c.split("x")) for c in args.cells.split(",") if c}
        cells = [c for c in cells if c in wanted]
    spec = synth.spec_of(args)
    updates = synth.load(spec)
    messages = harness.encode(updates)
    counts = {p: per_partition(updates, p) for p in partition_counts}
    print(f"input: {spec.path().name}\n  {synth.describe(updates)}")
    for p in partition_counts:
        empty = sum(1 for c in counts[p] if c == 0)
        print(f"  {p:2} partitions: updates per partition {counts[p]}" + (f"  ({empty} empty)" if empty else ""))
    standby = "Faust's default (1)" if args.standby is None else args.standby
    print(f"  machine: {os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.1f}; "
          f"table standby replicas: {standby}", flush=True)  # fmt: skip
    results: dict[tuple[int, int], list[Result]] = {c: [] for c in cells}
    failures: dict[tuple[int, int], list[str]] = {c: [] for c in cells}
    with pipeline_bench.broker(args.broker) as (bootstrap, broker_pid):
        for run in range(args.runs):
            for w, p in cells:
                r = None
                for attempt in (1, 2):  # a set-up failure (nothing timed yet) is retried once, on fresh topics
                    try:
                        with tempfile.TemporaryDirectory(prefix=f"bench-scale-w{w}p{p}-") as tmp:
                            r = measure(bootstrap, broker_pid, w, p, messages, Path(tmp), args.standby)
                        break
                    except SetupFailed as exc:
                        failures[(w, p)].append(f"set-up (attempt {attempt}): {exc}")
                    except Exception as exc:
                        failures[(w, p)].append(f"timed phase: {type(exc).__name__}: {str(exc)[:300]}")
                        break
                    finally:
                        if failures[(w, p)]:
                            print(f"[run {run + 1}] {w} workers × {p:2} partitions FAILED: {failures[(w, p)][-1]}",
                                  file=sys.stderr, flush=True)  # fmt: skip
                if r is None:
                    continue
                results[(w, p)].append(r)
                print(f"[run {run + 1}] {w} workers × {p:2} partitions: {r.rate:6,.0f} updates/s  wall {r.wall:6.1f}s  "
                      f"cpu {' + '.join(f'{c:.1f}' for c in r.cpus)} s  broker {r.broker_cpu:.1f} s  "
                      f"rss {' / '.join(f'{x:.0f}' for x in r.rss)} MiB  partitions held {r.held}\n    "
                      f"load {r.load[0]:.1f}→{r.load[1]:.1f}  machine CPUs busy {r.machine:.2f}",
                      file=sys.stderr, flush=True)  # fmt: skip
    print()
    print(format_table(results, counts, len(updates), args.broker, args.runs))
    for (w, p), reasons in failures.items():
        for reason in reasons:
            print(f"failure, {w} workers × {p} partitions: {reason}")
    print(f"\ncommand: python benchmarks/scaling_bench.py {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
