"""How many updates per second the figure extractor handles on one core.

    python benchmarks/extractor_bench.py [--n 20000] [--seed] [--corpus 2000]

Input: the project's own test blogs (tests/data/blogs/*.txt), repeated to --n updates; with --seed also the seed
blog and with --corpus the first posts of the real archive, both read at run time from ../shared (never copied).
Prints entries/s for `extract_figures` and for `enrich`.
"""

from __future__ import annotations

import argparse
import gzip
import json
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


def sample_updates(seed: bool, corpus: int) -> list[RawUpdate]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "data" / "blogs").glob("*.txt"))]
    if seed and (SHARED / "seed").exists():
        texts.append((SHARED / "seed" / "liveblog-2022-03-30.txt").read_text(encoding="utf-8"))
    updates = [u for i, t in enumerate(texts) for u in parse_plaintext(t, blog_id=f"b{i}", published=NOW)]
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


def measure(name: str, fn: Callable[[RawUpdate], object], updates: list[RawUpdate], n: int) -> None:
    batch = [updates[i % len(updates)] for i in range(n)]
    size = sum(len(u.body) + len(u.headline or "") for u in batch) / n
    start = time.perf_counter()
    for u in batch:
        fn(u)
    elapsed = time.perf_counter() - start
    print(f"{name:16} {n / elapsed:9,.0f} entries/s  ({n} entries, mean {size:,.0f} chars, {elapsed:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--seed", action="store_true", help="also use ../shared/seed (read, never copied)")
    parser.add_argument("--corpus", type=int, default=0, help="also use this many posts of ../shared/corpus")
    args = parser.parse_args()
    updates = sample_updates(args.seed, args.corpus)
    place = guess_default_place(u.blog_title or "" for u in updates[:1])
    extract_figures(updates[0])  # build the gazetteer outside the timing
    measure("extract_figures", lambda u: extract_figures(u, default_place=place), updates, args.n)
    measure("enrich", lambda u: enrich(u, default_place=place), updates, args.n)


if __name__ == "__main__":
    main()
