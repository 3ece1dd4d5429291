"""Archives written for the tests from the project's own blogs (never from ../shared)."""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

from streams.ingest.archive import load_updates
from streams.ingest.compression import open_write
from streams.ingest.events import structured_event

BLOGS = Path(__file__).resolve().parents[1] / "data" / "blogs"
PLUS_ONE = timezone(timedelta(hours=1))
SAMPLE = Path(__file__).resolve().parents[2] / "streams" / "data" / "sample-liveblog-2027-08-25.txt"


def multi_blog_archive(tmp_path: Path) -> Path:
    """A JSON Lines archive of several blogs, blog after blog and the latest first (as the corpus lists them), with
    a second blog at the very same times as another (ties), one of them given in +01:00, a redelivery, a revision,
    a stale version and a line that is not an update."""
    blogs = [load_updates(p) for p in (SAMPLE, BLOGS / "wildfire-twin.json", BLOGS / "flood-jsonld.json")]
    blogs += [load_updates(p) for p in sorted(BLOGS.glob("*.txt"))]
    flood = blogs[2]
    twin = [u.model_copy(update={"blog_id": "flood-twin"}) for u in flood]
    twin[3] = twin[3].model_copy(update={"published": twin[3].published.astimezone(PLUS_ONE)})
    first = flood[0]
    revised = first.model_copy(update={"revision": 2, "body": first.body + " Updated.", "updated": first.published})
    stale = first.model_copy(update={"body": first.body + " Older."})
    updates = [u for blog in sorted(blogs, key=lambda b: b[0].published, reverse=True) for u in blog]
    updates += [*twin, flood[1], revised, stale]
    lines = [structured_event(u) for u in updates]
    lines.insert(7, b'{"specversion": "1.0", "type": "not an update"}')
    path = tmp_path / "blogs.jsonl.gz"
    with open_write(path) as out:
        out.write(b"\n".join(lines) + b"\n")
    return path
