"""Throughput and latency of the pipeline beside a naive Faust baseline and a plain-aiokafka ceiling.

    python benchmarks/pipeline_bench.py [--broker embedded|kafka|both] [--updates 5000] [--runs 3]
                                        [--rate 200] [--duration 20] [--only ceiling,naive,pipeline]
                                        [--profile DIR] [--store memory://|rocksdb://] [--corpus [--passes N]]
                                        [synthetic-archive flags: see synth.py]

Input: the synthetic archive of `synth.py` (written once under benchmarks/.cache/, then reused), or with --corpus
the first --updates updates of the real corpus (../shared/corpus, read in place, never copied), --passes times
over with the blog ids of pass p suffixed `~p` (so that every pass's entries are new ones: 3 passes of the whole
corpus are about a million updates). Each run, on one
broker, measures three systems one after the other, each on fresh topics and a fresh consumer group / app id:

- ceiling:  `ceiling.py`, plain aiokafka consume + orjson parse + produce (no work: the I/O bound);
- naive:    `naive_app.py`, enrich + dedup table + aggregate table in one Faust agent, one event at a time;
- pipeline: `liveblog worker` (`streams.runner.WorkerProcess`), the real four-stage pipeline.

Throughput: the worker is started and must first process one warm-up update (so start-up, group join and the
extractor's gazetteer are excluded); then the clock starts, the whole archive is published (pre-encoded) and the
clock stops when the worker's group has committed the end offset of every input topic (for the pipeline, every
stage, as `wait_caught_up` does; the worker flushes its producer before it commits, so committed means output written).
updates/s = updates published ÷ that wall time; it includes up to one commit interval (1 s) plus 0.2 s of polling.
CPU s is the worker's user+system CPU in that window (/proc/<pid>/stat), broker CPU s the broker's; peak RSS the
worker's VmHWM at the end of the run.

Latency: then new entries are published at a fixed rate (--rate for --duration seconds), each with `published` =
its send time, which the publisher also puts in the `ce_time` header. Every output the systems write because of an
update carries that time in its own `ce_time` header: the pipeline's totals rows carry their claim's `published`,
which is the update's; the baseline copies it; the ceiling forwards the headers. A consumer on the output topic
(the pipeline: `liveblog.totals`), started at its end before publishing, notes when the last message bearing each
stamp arrives; latency = that arrival − the stamp, both from this process's clock. So it is exact per update with no
lookup table, and it measures "every total this update changes is visible to a subscriber". Updates that change no
total (no figures) have no latency sample; n says how many did.

Medians over --runs are printed as one table per broker, with the ratios pipeline/naive and pipeline/ceiling, the
pipeline's messages and bytes per update per topic (changelogs included), and enrich_update's own rate in this
process for reference. With --profile DIR, py-spy records the pipeline worker during the first run's throughput
phase (raw folded stacks in DIR; sampling slows it a little).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import harness
import synth

from schemas import RawUpdate
from streams.enrichment import enrich_update
from streams.ingest.corpus import iter_corpus
from streams.kafka.embedded import EmbeddedBroker
from streams.kafka.observe import STAGES
from streams.kafka.topics import ensure_topics
from streams.runner import WorkerProcess
from streams.settings import Settings

HERE = Path(__file__).resolve().parent
KAFKA_SH = HERE.parent / "deploy" / "kafka" / "kafka.sh"
CORPUS = HERE.parent.parent / "shared" / "corpus" / "liveblogs-guardian-bbc.jsonl.gz"
SYSTEMS = ("ceiling", "naive", "pipeline")


@dataclass
class Target:
    """A started system: where its input goes, where its outputs appear, how to tell it has caught up."""

    source: str
    sink: str
    pid: int
    check: Callable[[], None]
    stop: Callable[[], None]
    caught_up: Callable[[float], Awaitable[None]]
    log: Path
    topics: list[str] = field(default_factory=list)  # counted after the throughput phase (pipeline only)
    app_id: str = ""  # with its changelogs


@dataclass
class Result:
    rate: float
    wall: float
    cpu: float
    broker_cpu: float
    rss: float
    latencies: list[float]
    census: dict[str, tuple[int, int]]


def start(system: str, bootstrap: str, tmp: Path, store: str = "memory://") -> Target:
    tag = f"{system}-{uuid.uuid4().hex[:8]}"
    if system == "pipeline":
        settings = Settings(
            broker=f"kafka://{bootstrap}", app_id=f"bench-{tag}", topic_prefix=f"bench-{tag}",
            data_dir=str(tmp / "data"), log_level="warn", web_enabled=False, store=store,
        )  # fmt: skip
        asyncio.run(ensure_topics(settings))
        worker = WorkerProcess(settings, tmp / "worker.log")
        worker.start()
        assert worker.proc is not None
        stages = [settings.topic(s) for s in STAGES]
        return Target(
            source=settings.topic("updates"), sink=settings.topic("totals"), pid=worker.proc.pid,
            check=worker.check, stop=worker.stop, log=worker.log_path,
            caught_up=lambda t: harness.committed_all(bootstrap, settings.app_id, stages, t),
            topics=[*stages, settings.topic("totals")], app_id=settings.app_id,
        )  # fmt: skip
    source, sink, group = f"bench-{tag}.in", f"bench-{tag}.out", f"bench-{tag}"
    asyncio.run(harness.create_topics(bootstrap, [source, sink]))
    script = [str(HERE / f"{system}.py") if system == "ceiling" else str(HERE / "naive_app.py")]
    extra = [str(tmp / "data")] if system == "naive" else []
    child = harness.Child([sys.executable, *script, bootstrap, source, sink, group, *extra], _env(), tmp, tmp / "w.log")
    return Target(
        source=source, sink=sink, pid=child.pid, check=child.check, stop=child.stop, log=child.log,
        caught_up=lambda t: harness.committed_all(bootstrap, group, [source], t),
    )  # fmt: skip


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}


def warmup_update(tag: str, published: datetime | None = None) -> RawUpdate:
    """One update the worker must process before the clock starts. `published` should be no later than the input's
    first update: the near-duplicate agent's event-time watermark starts from it, and an input older than 48 h
    behind it (the corpus, against a warm-up stamped now) would make every band note `late`."""
    body = "At least 12 people were killed and 40 injured in floods in Sindh, the provincial authority said."
    return RawUpdate(
        blog_id=f"warmup-{tag}", entry_id="w1", published=published or datetime.now(UTC), headline="Warm-up",
        body=body,
        blog_title="Pakistan Floods: Death Toll Passes 260 as Indus Surges Through Sindh",
    )  # fmt: skip


async def measure(
    target: Target,
    bootstrap: str,
    broker_pid: int,
    args: argparse.Namespace,
    messages: list[harness.Message],
    templates: list[RawUpdate],
    profile: Path | None,
) -> Result:
    watch = harness.watched
    first = min((u.published for u in templates), default=None)
    await harness.publish(bootstrap, target.source, harness.encode([warmup_update(uuid.uuid4().hex[:6], first)]))
    await watch(target.caught_up(240.0), target.check)
    spy = _py_spy(target.pid, profile) if profile else None
    cpu0, bcpu0, t0 = harness.cpu_seconds(target.pid), harness.cpu_seconds(broker_pid), time.perf_counter()
    await harness.publish(bootstrap, target.source, messages)
    await watch(target.caught_up(120.0 + len(messages) / 20), target.check)
    wall = time.perf_counter() - t0
    cpu, bcpu = harness.cpu_seconds(target.pid) - cpu0, harness.cpu_seconds(broker_pid) - bcpu0
    if spy is not None:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
    counted = target.topics + (await harness.changelogs(bootstrap, target.app_id) if target.app_id else [])
    census = await harness.census(bootstrap, counted) if counted else {}
    latencies: list[float] = []
    if args.duration > 0:
        arrivals = harness.Arrivals(bootstrap, target.sink)
        await arrivals.start()
        since = time.time()
        await harness.paced_publish(bootstrap, target.source, templates, args.rate, args.duration)
        until = time.time()
        await watch(target.caught_up(120.0 + args.rate * args.duration / 20), target.check)
        await arrivals.stop()
        latencies = arrivals.latencies(since, until)
    rss = harness.peak_rss_mib(target.pid)
    return Result(len(messages) / wall, wall, cpu, bcpu, rss, latencies, census)


def _py_spy(pid: int, path: Path) -> subprocess.Popen[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    spy = Path(sys.executable).with_name("py-spy")
    cmd = [str(spy), "record", "-p", str(pid), "-f", "raw", "-r", "100", "-o", str(path), "--nonblocking"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def broker(kind: str) -> Iterator[tuple[str, int]]:
    """(bootstrap, broker pid) of a fresh broker of `kind`, stopped afterwards."""
    if kind == "embedded":
        with EmbeddedBroker() as embedded:
            assert embedded._proc is not None  # the pid, for the broker's CPU seconds
            yield embedded.bootstrap, embedded._proc.pid
        return
    with tempfile.TemporaryDirectory(prefix="bench-kafka-") as data:
        out = subprocess.run(["bash", str(KAFKA_SH), "start", "--data", data], check=True, capture_output=True)
        try:
            yield out.stdout.decode().strip().splitlines()[-1], int(Path(data, "kafka.pid").read_text())
        finally:
            subprocess.run(["bash", str(KAFKA_SH), "stop", "--data", data], check=False, capture_output=True)


def enrich_rate(updates: list[RawUpdate], n: int = 500) -> float:
    """enrich_update's updates per CPU-second in this process: the extractor's own cost, without Kafka."""
    enrich_update(updates[0])
    sample = updates[:n]
    start = time.process_time()
    for update in sample:
        enrich_update(update)
    return len(sample) / (time.process_time() - start)


def run_broker(kind: str, args: argparse.Namespace, updates: list[RawUpdate]) -> dict[str, list[Result]]:
    messages = harness.encode(updates)
    templates = list({(u.blog_id, u.entry_id): u for u in updates if u.revision == 1}.values())
    results: dict[str, list[Result]] = {s: [] for s in args.only}
    with broker(kind) as (bootstrap, broker_pid):
        for run in range(args.runs):
            for system in args.only:
                with tempfile.TemporaryDirectory(prefix=f"bench-{system}-") as tmp:
                    target = start(system, bootstrap, Path(tmp), args.store)
                    profile = None
                    if args.profile and system == "pipeline" and run == 0:
                        profile = Path(args.profile) / f"pipeline-{kind}.txt"
                    try:
                        r = asyncio.run(measure(target, bootstrap, broker_pid, args, messages, templates, profile))
                    except Exception:
                        print(
                            f"{system} worker log tail:\n{target.log.read_text(errors='replace')[-3000:]}",
                            file=sys.stderr,
                        )
                        raise
                    finally:
                        target.stop()
                results[system].append(r)
                p50, p99 = _pct(r.latencies, 50), _pct(r.latencies, 99)
                print(f"[{kind} run {run + 1}] {system:8} {r.rate:8,.0f} updates/s  wall {r.wall:6.1f}s  "
                      f"cpu {r.cpu:6.1f}s  rss {r.rss:5.0f} MiB  p50 {p50:7.0f} ms  p99 {p99:7.0f} ms "
                      f"(n={len(r.latencies)})", file=sys.stderr, flush=True)  # fmt: skip
    return results


def _pct(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _med(results: list[Result], get: Callable[[Result], float]) -> float:
    return statistics.median(get(r) for r in results)


def format_table(kind: str, results: dict[str, list[Result]], n: int) -> str:
    lines = [
        f"broker: {kind}   updates: {n}   runs: {len(next(iter(results.values())))}   (medians)",
        "| system | updates/s | wall s | worker CPU s | CPU ms/update | broker CPU s | peak RSS MiB "
        "| latency p50 ms | p99 ms | n |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for system, rs in results.items():
        lines.append(
            f"| {system} | {_med(rs, lambda r: r.rate):,.0f} | {_med(rs, lambda r: r.wall):.1f} "
            f"| {_med(rs, lambda r: r.cpu):.1f} | {_med(rs, lambda r: r.cpu) / n * 1000:.2f} "
            f"| {_med(rs, lambda r: r.broker_cpu):.1f} | {_med(rs, lambda r: r.rss):.0f} "
            f"| {_med(rs, lambda r: _pct(r.latencies, 50)):,.0f} | {_med(rs, lambda r: _pct(r.latencies, 99)):,.0f} "
            f"| {_med(rs, lambda r: len(r.latencies)):.0f} |"
        )
    rates = {s: _med(rs, lambda r: r.rate) for s, rs in results.items()}
    if "pipeline" in rates:
        ratios = [f"pipeline/{o} = {rates['pipeline'] / rates[o]:.2f}" for o in ("naive", "ceiling") if o in rates]
        lines.extend(["ratios (updates/s): " + ", ".join(ratios)] if ratios else [])
    return "\n".join(lines)


def format_census(results: list[Result], n: int) -> str:
    if not results or not results[-1].census:
        return ""
    lines = [
        "pipeline topics, last run (+1 warm-up update):",
        "| topic | messages | per update | MiB | bytes per update |",
        "|---|---:|---:|---:|---:|",
    ]
    for topic, (count, size) in results[-1].census.items():
        lines.append(f"| {re.sub(r'^bench-pipeline-[0-9a-f]{8}[.-]', '', topic)} "
                     f"| {count:,} | {count / n:.2f} | {size / 2**20:.1f} | {size / n:,.0f} |")  # fmt: skip
    return "\n".join(lines)


def _renamed(update: RawUpdate, copy: int) -> RawUpdate:
    """The update as an entry of copy `copy` of its blog (blog id `<id>~<copy>`): new to the pipeline."""
    return update.model_copy(update={"blog_id": f"{update.blog_id}~{copy}"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--broker", choices=("embedded", "kafka", "both"), default="embedded")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=200.0, help="latency phase: updates per second offered")
    parser.add_argument("--duration", type=float, default=20.0, help="latency phase: seconds (0: skip)")
    parser.add_argument("--only", default=",".join(SYSTEMS), help="systems to run, comma-separated")
    parser.add_argument("--profile", default=None, help="py-spy the pipeline's first throughput phase into DIR")
    parser.add_argument("--store", default="memory://", help="the pipeline's table store: memory:// or rocksdb://")
    parser.add_argument(
        "--corpus",
        action="store_true",
        help=f"input: the first --updates updates of the real corpus ({CORPUS.name}, read in place) instead of synth",
    )
    parser.add_argument(
        "--passes", type=int, default=1, help="with --corpus: that many copies of it, each with its own blog ids"
    )
    synth.add_arguments(parser)
    args = parser.parse_args()
    args.only = [s for s in args.only.split(",") if s]
    if bad := set(args.only) - set(SYSTEMS):
        parser.error(f"unknown systems {sorted(bad)}")
    if args.corpus:
        first = list(itertools.islice(iter_corpus(CORPUS), args.updates))
        updates = [*first, *(_renamed(u, p) for p in range(2, args.passes + 1) for u in first)]
        passes = f", {args.passes} times over" if args.passes > 1 else ""
        print(f"input: the first {len(first):,} updates of {CORPUS.name}{passes}\n  {synth.describe(updates)}")
    else:
        spec = synth.spec_of(args)
        updates = synth.load(spec)
        print(f"input: {spec.path().name}\n  {synth.describe(updates)}")
    print(f"enrich_update alone, in-process, no Kafka: {enrich_rate(updates):,.0f} updates per CPU-second")
    kinds = ["embedded", "kafka"] if args.broker == "both" else [args.broker]
    for kind in kinds:
        results = run_broker(kind, args, updates)
        print()
        print(format_table(kind, results, len(updates)))
        if census := format_census(results.get("pipeline", []), len(updates)):
            print(census)
    print(f"\ncommand: python benchmarks/pipeline_bench.py {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
