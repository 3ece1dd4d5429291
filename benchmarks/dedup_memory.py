"""Dedup state stays flat over a long stream: exact/revision (`seen`), near-duplicate bands and activity.

    python benchmarks/dedup_memory.py [--updates 1000000] [--every 100000] [--window-hours 48] [--step 12]

A synthetic stream generated in-process (deterministic by `--seed`): live blogs that each run `--blog-hours` of
event time, several at once, entries of 3–7 sentences from the project's own blogs with their digits redrawn;
per update 80% a new entry, 7% a near-duplicate (a recent entry of another blog with a number changed or a
sentence added: the same wire story), 8% a revision of a recent entry, 5% a redelivery. Event time advances
`--step` seconds a update on average. Each update goes through the pure functions as the agents would, with
the state in plain dicts as the Faust tables and the neardup agent hold it: `dedup.classify_within` on `seen`
(entry key → SeenEntry); for new versions, per band key, `neardup.observe` on the band's state read from the
`bands` table's records (entry key → EntryBands, one record per entry, as `streams/agents.py` keeps them) through
the in-memory band → entries index, the changed records written back with `neardup.entry_changes`; and
`activity.fold` (blog id → Activity). A sweep every `--sweep` updates deletes what is past the window
(`dedup.expired_keys`, records older than the window with their index entries, `activity.is_expired`), as the
agents' sweeps do.

Printed every `--every` updates: keys and records in each state, their size as orjson (key + value bytes, what a
changelog or RocksDB would hold), the process RSS, near-duplicates found, and the rate.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from schemas import RawUpdate
from streams import activity, dedup, neardup
from streams.ingest.archive import load_updates

REPO = Path(__file__).resolve().parents[1]
OWN = [*sorted((REPO / "tests/data/blogs").glob("*.txt")), REPO / "streams/data/sample-liveblog-2027-08-25.txt"]
_SENTENCE = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“‘(])")
_DIGIT = re.compile(r"\d")
T0 = datetime(2027, 1, 1, tzinfo=UTC).timestamp()


@dataclass
class Version:
    blog: str
    entry: str
    revision: int
    published: float
    updated: float
    text: str


def sentences() -> list[str]:
    out = []
    for path in OWN:
        for update in load_updates(path):
            for para in update.body.split("\n"):
                out += [s.strip() for s in _SENTENCE.split(para) if len(s.strip()) > 30]
    return out


class Stream:
    """The synthetic updates, one at a time, with a bounded memory of recent versions to edit or repeat."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.rng = random.Random(args.seed)
        self.pool = sentences()
        self.vocabulary = sorted({w for s in self.pool for w in s.split()})
        self.step = args.step
        self.blog_seconds = args.blog_hours * 3600
        self.clock = T0
        self.blogs = [self._blog(i) for i in range(args.blogs)]
        self.recent: deque[Version] = deque(maxlen=2000)
        self.serial = 0

    def _blog(self, i: int) -> tuple[str, float]:
        return f"blog-{i:06d}", self.clock + self.rng.uniform(0.2, 1.0) * self.blog_seconds

    def _text(self, n: int) -> str:
        """n sentences of the pool, a third of their words swapped for others of the pool and digits redrawn:
        the pool has only ≈ 200 sentences, and unedited they would make every third entry a near-duplicate."""
        words = []
        for _ in range(n):
            for word in self.rng.choice(self.pool).split():
                words.append(self.rng.choice(self.vocabulary) if self.rng.random() < 0.33 else word)
        return _DIGIT.sub(lambda _: str(self.rng.randint(0, 9)), " ".join(words))

    def _edit(self, text: str) -> str:
        if self.rng.random() < 0.5 and (numbers := list(re.finditer(r"\d+", text))):
            m = self.rng.choice(numbers)
            return text[: m.start()] + str(int(m.group()) + self.rng.randint(1, 50)) + text[m.end() :]
        return text + " " + self.rng.choice(self.pool)

    def next(self) -> tuple[Version, str]:
        self.clock += self.rng.expovariate(1 / self.step)
        b = self.rng.randrange(len(self.blogs))
        if self.blogs[b][1] < self.clock:  # the blog has ended: another starts
            self.blogs[b] = self._blog(len(self.blogs) + self.serial)
        blog = self.blogs[b][0]
        roll = self.rng.random()
        if self.recent and roll < 0.05:
            return self.rng.choice(self.recent), "redelivery"
        if self.recent and roll < 0.13:
            old = self.rng.choice(self.recent)
            new = Version(old.blog, old.entry, old.revision + 1, old.published, self.clock, self._edit(old.text))
            self.recent.append(new)
            return new, "revision"
        self.serial += 1
        if self.recent and roll < 0.20:
            source = self.recent[-self.rng.randint(1, min(len(self.recent), 200))]
            text, kind = self._edit(source.text), "near-duplicate"
        else:
            text, kind = self._text(self.rng.randint(3, 7)), "new"
        version = Version(blog, f"e{self.serial:08d}", 1, self.clock, self.clock, text)
        self.recent.append(version)
        return version, kind


def seen_version(v: Version) -> dedup.SeenEntry:
    update = RawUpdate(
        blog_id=v.blog, entry_id=v.entry, revision=v.revision, published=datetime.fromtimestamp(v.published, UTC),
        updated=datetime.fromtimestamp(v.updated, UTC), body=v.text,
    )  # fmt: skip
    return dedup.version_of(update, hashlib.sha1(v.text.encode()).hexdigest()[:16])


def size(table: dict[str, Any]) -> tuple[int, int]:
    """Keys and bytes (key + orjson value) of a table."""
    return len(table), sum(len(k) + len(orjson.dumps(v)) for k, v in table.items())


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--every", type=int, default=100_000)
    parser.add_argument("--window-hours", type=float, default=48.0)
    parser.add_argument("--step", type=float, default=12.0, help="mean seconds of event time between updates")
    parser.add_argument("--blogs", type=int, default=40, help="blogs live at once")
    parser.add_argument("--blog-hours", type=float, default=72.0, help="event time a blog runs, at most")
    parser.add_argument("--sweep", type=int, default=1000, help="updates between sweeps")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    window = args.window_hours * 3600
    config = neardup.Config(window=window)
    stream = Stream(args)
    seen: dict[str, dedup.SeenEntry] = {}
    records: dict[str, neardup.EntryBands] = {}  # the `bands` table: entry key → its places in the bands
    members: dict[str, set[str]] = {}  # band key → entry keys (the agent's in-memory index, rebuilt on recovery)
    charts: dict[str, activity.Activity] = {}
    watermark = 0.0
    found = relinked = late = 0
    decisions: dict[str, int] = {}
    generated: dict[str, int] = {}
    flagged: dict[str, int] = {}
    started = last = time.perf_counter()
    print(
        f"{args.updates:,} updates, {args.step:g} s of event time each on average (a {args.window_hours:g} h window "
        f"holds ≈ {window / args.step:,.0f}), {args.blogs} blogs at once, {neardup.BANDS} band keys per entry, "
        f"sweep every {args.sweep:,} updates"
    )
    header = ["updates", "event days", "seen keys", "seen MiB", "band records", "band MiB", "index bands", "indexed"]
    header += ["activity keys", "activity KiB", "RSS MiB", "near-dups found", "relinked", "updates/s"]
    print("| " + " | ".join(header) + " |\n|" + "---:|" * len(header))
    for n in range(1, args.updates + 1):
        version, kind = stream.next()
        generated[kind] = generated.get(kind, 0) + 1
        key = f"{version.blog}|{version.entry}"
        current = seen_version(version)
        watermark = max(watermark, version.updated)
        decision = dedup.classify_within(seen.get(key), current, watermark, window)
        decisions[decision] = decisions.get(decision, 0) + 1
        if decision in ("new", "revision"):
            seen[key] = current
            signature = neardup.fingerprint(version.text)
            compact = signature.compact()
            duplicate = False
            for band in neardup.bands(signature):
                keys = {*members.get(band, ()), key}
                mine = {k: r for k in keys if (r := records.get(k))}
                state = neardup.band_state(band, mine)
                verdict = neardup.observe(state, key, compact, version.published, now=watermark, config=config)
                if verdict.state != state:
                    in_band = members.setdefault(band, set())
                    for changed, stored in neardup.entry_changes(band, state, verdict.state, mine).items():
                        if stored:
                            records[changed] = stored
                        else:
                            records.pop(changed, None)
                        (in_band.add if changed in verdict.state else in_band.discard)(changed)
                    if not in_band:
                        del members[band]
                duplicate |= verdict.decision == "duplicate"
                relinked += len(verdict.relinked)
                late += verdict.decision == "late"
            found += duplicate
            flagged[kind] = flagged.get(kind, 0) + duplicate
            if decision == "new":
                charts[version.blog] = activity.fold(charts.get(version.blog, {}), version.published, 1)
        if n % args.sweep == 0:
            for gone in dedup.expired_keys(seen.items(), watermark, window):
                del seen[gone]
            for gone in [k for k, r in records.items() if r["time"] < watermark - window]:
                for band in records.pop(gone)["bands"]:
                    if (in_band := members.get(band)) is not None:
                        in_band.discard(gone)
                        if not in_band:
                            del members[band]
            for blog in [b for b, state in charts.items() if activity.is_expired(state, watermark)]:
                del charts[blog]
        if n % args.every == 0:
            now = time.perf_counter()
            seen_keys, seen_bytes = size(seen)
            record_keys, record_bytes = size(records)
            chart_keys, chart_bytes = size(charts)
            indexed = sum(len(s) for s in members.values())
            row = [
                f"{n:,}", f"{(watermark - T0) / 86400:.1f}", f"{seen_keys:,}", f"{seen_bytes / 2**20:.1f}",
                f"{record_keys:,}", f"{record_bytes / 2**20:.1f}", f"{len(members):,}", f"{indexed:,}",
                f"{chart_keys:,}",
                f"{chart_bytes / 1024:.0f}", f"{rss_mib():.0f}", f"{found:,}", f"{relinked:,}",
                f"{args.every / (now - last):,.0f}",
            ]  # fmt: skip
            print("| " + " | ".join(row) + " |", flush=True)
            last = now
    print(f"dedup decisions: {dict(sorted(decisions.items()))}; band observations late: {late}")
    print(f"generated: {dict(sorted(generated.items()))}; flagged as near-duplicates: {dict(sorted(flagged.items()))}")
    print(f"wall {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
