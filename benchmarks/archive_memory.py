"""Peak memory and time of preparing an archive to publish, as `liveblog run` and `liveblog replay` do, no broker.

    python benchmarks/archive_memory.py [PATH] [--way encoded|models]

PATH defaults to the corpus, read in place from ../shared. One way a process, since the peak (`ru_maxrss`) is the
process's. `encoded` is what `run` does now (`EncodedArchive`: the encoded events in a temporary file, ordered by
their event times); `models` what it did before (every update a pydantic model, `in_event_time_order`, then
`update_event` per update as the publisher encoded it). Both go through everything the publishing process needs
before and while it sends: the ordered events, the progress line's blog marks and the duplicates the accounting
expects. Printed: updates, rejects, duplicates, a SHA-256 of the ordered stream of keys, values and headers (equal
for both ways: the same records in the same order), the peak RSS and the wall time.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported at run time, so `--way models` also runs on the code from before the spool
    from streams.ingest.spool import Event

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "liveblogs-guardian-bbc.jsonl.gz"


def digest(events: Iterable[Event]) -> tuple[int, str]:
    """How many events, and a SHA-256 of each one's key, value and headers in order."""
    sha = hashlib.sha256()
    count = 0
    for key, value, headers in events:
        count += 1
        for part in (key, value, *(name.encode() + b"=" + data for name, data in headers)):
            sha.update(len(part).to_bytes(4, "little") + part)
    return count, sha.hexdigest()


def by_models(path: Path) -> tuple[int, int, int, str, Sequence[int]]:
    from streams.ingest.archive import read_archive
    from streams.ingest.encoded import distinct_so_far
    from streams.ingest.events import update_event
    from streams.kafka.replay import in_event_time_order
    from streams.runner import expected_duplicates

    archive = read_archive(path)
    ordered = in_event_time_order(archive.updates)
    marks = distinct_so_far(u.blog_id for u in ordered)
    count, sha = digest(update_event(update) for update in ordered)
    return count, len(archive.rejects), expected_duplicates(ordered), sha, marks


def by_encoded(path: Path) -> tuple[int, int, int, str, Sequence[int]]:
    from streams.ingest.archive import iter_archive
    from streams.ingest.encoded import EncodedArchive
    from streams.runner import Feed

    with EncodedArchive.read(iter_archive(path)) as archive:
        feed = Feed.of_archive(archive.in_event_time_order())
        count, sha = digest(feed.events())
        return count, len(archive.rejects), feed.duplicates, sha, feed.blog_marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--way", choices=("encoded", "models"), default="encoded")
    args = parser.parse_args()
    started = time.monotonic()
    count, rejects, duplicates, sha, marks = (by_encoded if args.way == "encoded" else by_models)(args.path)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    blogs = marks[-1] if marks else 0
    print(
        f"{args.way}: {count:,} updates of {blogs:,} blogs, {rejects:,} rejects, {duplicates:,} duplicates; "
        f"sha256 {sha}; peak RSS {peak:,.0f} MB; {seconds:,.1f}s"
    )


if __name__ == "__main__":
    main()
