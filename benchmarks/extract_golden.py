"""The extractor's whole output on a fixed input set, as JSON Lines: to check that a speed-up changes nothing.

    python benchmarks/extract_golden.py OUT.jsonl [--synthetic 3000] [--corpus 5000] [--spread 5000] [--every 37]
    cmp before.jsonl after.jsonl

One line per update: its `enrich_update` output (figures, places, entities, quotes, story), in this order: the
project's own blogs (tests/data/blogs, streams/data), then read at run time from ../shared (never copied) the seed,
the first --corpus updates of the real archive and --spread more from every --every'th blog after those, then the
synthetic blog of `extractor_bench.py` (its fixed seed) through `enrich` with its default place. The last line
counts the updates and figures. Write OUT outside the repository: it holds corpus text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from schemas.models import RawUpdate
from streams import codec
from streams.enrichment import enrich_update
from streams.extract import enrich, guess_default_place
from streams.ingest.archive import read_archive
from streams.ingest.compression import iter_lines
from streams.ingest.corpus import parse_blog

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extractor_bench import REPO, SHARED, synthetic_blog

ARCHIVES = [
    *sorted(
        p
        for p in (REPO / "tests" / "data" / "blogs").iterdir()
        if p.suffix in (".txt", ".json", ".html") and ".figures." not in p.name
    ),
    *sorted((REPO / "streams" / "data").glob("*.txt")),
    SHARED / "seed" / "liveblog-2022-03-30.txt",
]
CORPUS = SHARED / "corpus" / "liveblogs-guardian-bbc.jsonl.gz"


def corpus_updates(first: int, spread: int, every: int) -> Iterator[RawUpdate]:
    """The first `first` updates of the corpus, then `spread` more from every `every`th blog after those."""
    count = 0
    limit = first
    for index, (_, raw) in enumerate(iter_lines(CORPUS)):
        if count >= limit:
            if limit > first or not spread:
                return
            limit = first + spread
        if (count >= first and index % every) or not raw.strip():
            continue
        for update in parse_blog(raw)[: limit - count]:
            count += 1
            yield update


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--synthetic", type=int, default=3000)
    parser.add_argument("--corpus", type=int, default=5000)
    parser.add_argument("--spread", type=int, default=5000)
    parser.add_argument("--every", type=int, default=37)
    args = parser.parse_args()
    updates = figures = 0
    with args.out.open("wb") as out:

        def write(enriched: object) -> None:
            nonlocal updates, figures
            out.write(codec.dumps(enriched) + b"\n")
            updates += 1
            figures += len(enriched.figures)  # type: ignore[attr-defined]

        for path in ARCHIVES:
            if path.exists():
                for update in read_archive(path).updates:
                    write(enrich_update(update))
        if (args.corpus or args.spread) and CORPUS.exists():
            for update in corpus_updates(args.corpus, args.spread, args.every):
                write(enrich_update(update))
        batch = synthetic_blog(args.synthetic, 500, 3000)
        place = guess_default_place([batch[0].blog_title or ""])
        for update in batch:
            write(enrich(update, default_place=place))
        out.write(f'{{"updates": {updates}, "figures": {figures}}}\n'.encode())
    print(f"{updates} updates, {figures} figures -> {args.out}")


if __name__ == "__main__":
    main()
