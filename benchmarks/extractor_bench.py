"""How many entries per second the figure extractor handles on one core.

    python benchmarks/extractor_bench.py [--n 20000] [--runs 5] [--min-size 500] [--max-size 3000]
                                         [--small] [--seed] [--corpus 2000]

Input: a large synthetic live blog of --n entries, each 0.5–3 KB (--min-size/--max-size characters), made by
drawing paragraphs at random (fixed seed) from the project's own blogs (tests/data/blogs and the bundled sample):
so it has their mix of figures, sources, places and number-free prose. With --small the entries are the test
blogs' own entries instead (about 350 characters each); --seed and --corpus add the seed blog and the first
posts of the real archive, both read at run time from ../shared (never copied).

Prints entries per CPU-second (one core) for `extract_figures` and for `enrich` for each of --runs runs, then
their medians.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from schemas.models import RawUpdate
from streams.extract import enrich, extract_figures, guess_default_place
from streams.ingest.plaintext import parse_plaintext

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
NOW = datetime(2027, 2, 9, 12, tzinfo=UTC)
_DIGIT_RE = re.compile(r"\d")
OWN_BLOGS = [
    *sorted((REPO / "tests" / "data" / "blogs").glob("*.txt")),
    REPO / "streams" / "data" / "sample-liveblog-2027-08-25.txt",
]


def own_updates() -> list[RawUpdate]:
    texts = [p.read_text(encoding="utf-8") for p in OWN_BLOGS]
    return [u for i, t in enumerate(texts) for u in parse_plaintext(t, blog_id=f"b{i}", published=NOW)]


def _vary(text: str, rng: random.Random) -> str:
    """The text with its digits redrawn, so that no two entries (nor their sentences) are the same."""
    return _DIGIT_RE.sub(lambda m: str(rng.randint(1, 9)), text)


def synthetic_blog(n: int, min_size: int, max_size: int, seed: int = 20270825) -> list[RawUpdate]:
    """`n` entries of `min_size`..`max_size` characters, paragraphs drawn from the project's own blogs."""
    rng = random.Random(seed)
    entries = [u for u in own_updates() if u.kind == "entry"]
    headlines = [u.headline for u in entries if u.headline]
    paragraphs = [p.strip() for u in entries for p in u.body.split("\n\n") if len(p.strip()) > 40]
    title = "Pakistan Floods: Death Toll Passes 260 as Indus Surges Through Sindh"
    updates = []
    for i in range(n):
        target = rng.randint(min_size, max_size)
        body: list[str] = []
        size = 0
        while size < target:
            paragraph = rng.choice(paragraphs)
            body.append(paragraph)
            size += len(paragraph) + 2
        headline = _vary(rng.choice(headlines), rng)
        updates.append(
            RawUpdate(blog_id="synthetic", entry_id=f"e{i}", published=NOW, headline=headline,
                      body=_vary("\n\n".join(body), rng), blog_title=title, position=i)
        )  # fmt: skip
    return updates


def small_updates(seed: bool, corpus: int) -> list[RawUpdate]:
    updates = own_updates()
    if seed and (SHARED / "seed").exists():
        text = (SHARED / "seed" / "liveblog-2022-03-30.txt").read_text(encoding="utf-8")
        updates += parse_plaintext(text, blog_id="seed", published=NOW)
    path = SHARED / "corpus" / "liveblogs-guardian-bbc.jsonl.gz"
    if corpus and path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                blog = json.loads(line)
                for post in blog["posts"]:
                    body = " ".join(post["text"])
                    updates.append(
                        RawUpdate(blog_id="c", entry_id=f"c{len(updates)}", published=NOW, headline=post.get("title")
                                  or None, body=body[:20_000], blog_title=blog["title"])
                    )  # fmt: skip
                if len(updates) >= corpus:
                    break
    return updates


def measure(fn: Callable[[RawUpdate], object], batch: list[RawUpdate]) -> float:
    """Entries per second of this process's CPU time: per core, and steadier than wall time on a busy machine."""
    start = time.process_time()
    for u in batch:
        fn(u)
    return len(batch) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000, help="entries per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--min-size", type=int, default=500)
    parser.add_argument("--max-size", type=int, default=3000)
    parser.add_argument("--small", action="store_true", help="the test blogs' own short entries instead")
    parser.add_argument("--seed", action="store_true", help="with --small: also ../shared/seed (read, never copied)")
    parser.add_argument("--corpus", type=int, default=0, help="with --small: also this many posts of the corpus")
    args = parser.parse_args()
    if args.small:
        updates = small_updates(args.seed, args.corpus)
        batch = [updates[i % len(updates)] for i in range(args.n)]
    else:
        batch = synthetic_blog(args.n, args.min_size, args.max_size)
    place = guess_default_place([batch[0].blog_title or ""])
    size = sum(len(u.body) + len(u.headline or "") for u in batch) / len(batch)
    print(f"{len(batch)} entries, mean {size:,.0f} characters, default place {place}")
    extract_figures(batch[0])  # build the gazetteer outside the timing
    results: dict[str, list[float]] = {"extract_figures": [], "enrich": []}
    for run in range(args.runs):
        for name, fn in (
            ("extract_figures", lambda u: extract_figures(u, default_place=place)),
            ("enrich", lambda u: enrich(u, default_place=place)),
        ):
            rate = measure(fn, batch)
            results[name].append(rate)
            print(f"run {run + 1}  {name:16} {rate:9,.0f} entries/s")
    for name, rates in results.items():
        print(f"median {name:16} {statistics.median(rates):9,.0f} entries/s  ({args.runs} runs)")


if __name__ == "__main__":
    main()
