"""Following a live page on real brokers: a local server plays a live blog that grows, is edited, fails
now and then and answers 304 to a matching ETag; the follower is stopped and restarted in between.

The blog (a storm in a harbour town) is invented for this test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson
import pytest

from schemas import RawUpdate
from streams import codec
from streams.follow.follower import CURSOR_TOPIC, follow
from streams.kafka.observe import read_topic
from streams.kafka.topics import ensure_topics
from streams.settings import Settings

pytestmark = pytest.mark.kafka

NOW = datetime(2027, 9, 1, 12, 0, tzinfo=UTC)  # the follower's (fake) clock
BLOG = "https://news.example/live/harbour-storm"


def entry(n: int, minute: int, headline: str, body: str, modified: int | None = None) -> dict[str, Any]:
    node = {
        "@type": "BlogPosting",
        "@id": f"{BLOG}#e{n}",
        "headline": headline,
        "articleBody": body,
        "datePublished": f"2027-09-01T06:{minute:02d}:00Z",
    }
    if modified is not None:
        node["dateModified"] = f"2027-09-01T07:{modified:02d}:00Z"
    return node


E1 = entry(1, 0, "Ferries halted", "All crossings to the islands stopped at dawn, the port office said.")
E1_EDITED = entry(1, 0, "Ferries halted", "All crossings stopped at dawn; 240 passengers wait in the terminal.")
E2 = entry(2, 10, "Piers flooded", "Water covers two piers; 30 boats were moved to the inner basin.")
E2_EDITED = entry(2, 10, "Piers flooded", "Water covers three piers; 45 boats were moved.", modified=50)
E3 = entry(3, 20, "School closed", "The harbour school sent its 180 pupils home before noon.")
E4 = entry(4, 30, "Shelter opens", "The sports hall now shelters 60 people from the lower streets.")
E5 = entry(5, 40, "Wind easing", "Gusts dropped below 90 km/h, the weather office said.")
UNDATED = {"@type": "BlogPosting", "@id": f"{BLOG}#bad", "headline": "Undated", "datePublished": "around noon"}

#: The page over time, newest entry first, as live blogs list them.
VERSIONS = {
    "v1": [E2, E1],
    "v2": [E3, UNDATED, E2, E1],
    "v3": [E4, E3, UNDATED, E2, E1_EDITED],
    "v4": [E5, E4, E3, UNDATED, E2_EDITED, E1_EDITED],
}


def page(version: str) -> bytes:
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": BLOG,
        "headline": "Harbour storm – live",
    }
    doc["liveBlogUpdate"] = VERSIONS[version.split("-")[0]]
    return (
        b"<!doctype html><html><head><title>Harbour storm</title>"
        b'<script type="application/ld+json">' + orjson.dumps(doc) + b"</script></head>"
        b"<body><h1>Harbour storm</h1><p>Updates below.</p></body></html>"
    )


def last_modified(version: str) -> str:
    minutes = {"v1": 10, "v2": 20, "v3": 30, "v4": 40}[version.split("-")[0]]
    return format_datetime(NOW - timedelta(hours=4) + timedelta(minutes=minutes), usegmt=True)


@dataclass
class LiveBlogServer:
    """Answers each request with the next action of a script: ("page", version), ("status", code,
    retry-after) or ("drop",); records the conditional headers each request carried."""

    script: list[tuple[str, ...]]
    seen: list[dict[str, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self, headers: dict[str, str | None]) -> tuple[str, ...]:
        with self.lock:
            self.seen.append(headers)
            return self.script[len(self.seen) - 1] if len(self.seen) <= len(self.script) else ("status", "500", "")


def handler_for(server: LiveBlogServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            etag_sent = self.headers.get("If-None-Match")
            action = server.next_action(
                {"If-None-Match": etag_sent, "If-Modified-Since": self.headers.get("If-Modified-Since")}
            )
            if action[0] == "drop":
                self.close_connection = True
                return
            if action[0] == "status":
                self.send_response(int(action[1]))
                if action[2]:
                    self.send_header("Retry-After", action[2])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            version = action[1]
            etag = f'"{version}"'
            if etag_sent == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            body = page(version)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified(version))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def live_blog() -> Iterator[tuple[str, LiveBlogServer]]:
    script: list[tuple[str, ...]] = [
        # first run
        ("page", "v1"),  # 1: e1, e2
        ("page", "v1"),  # 2: same ETag → 304
        ("status", "503", "2"),  # 3: overloaded, retry in 2 s
        ("drop",),  # 4: connection closed without a response
        ("page", "v2"),  # 5: e3 (and a broken entry: dead-lettered)
        ("page", "v3"),  # 6: e1 edited → revision 2; e4
        # second run, after a restart
        ("page", "v3"),  # 7: the ETag from before the restart → 304
        ("page", "v3-cdn"),  # 8: same page, another ETag: nothing to publish
        ("status", "429", format_datetime(NOW + timedelta(seconds=5), usegmt=True)),  # 9
        ("page", "v4"),  # 10: e2 edited → revision 2; e5
    ]
    state = LiveBlogServer(script)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/live/harbour-storm", state
    finally:
        httpd.shutdown()
        httpd.server_close()


async def test_follow_publishes_new_entries_and_revisions_once_across_a_restart(
    settings: Settings, live_blog: tuple[str, LiveBlogServer]
) -> None:
    url, server = live_blog
    await ensure_topics(settings)
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    def run(polls: int) -> Any:
        return follow(settings, url, interval=0.05, max_polls=polls, sleep=sleep, clock=lambda: NOW, rand=lambda: 0.5)

    first = await run(6)
    assert [p.outcome for p in first] == ["published", "not_modified", "failed", "failed", "published", "published"]
    assert [p.status for p in first[2:4]] == [503, None]
    assert delays[2] == 2.0, "Retry-After (seconds) is respected"
    assert delays[3] > delays[1], "a second failure in a row backs off further"

    second = await run(4)  # a restart: a new follower, the cursor read back from Kafka
    assert [p.outcome for p in second] == ["not_modified", "unchanged", "failed", "published"]
    assert delays[-1] == 5.0, "Retry-After (HTTP-date) is respected"

    assert server.seen[0] == {"If-None-Match": None, "If-Modified-Since": None}
    assert server.seen[1] == {"If-None-Match": '"v1"', "If-Modified-Since": last_modified("v1")}
    assert server.seen[6] == {"If-None-Match": '"v3"', "If-Modified-Since": last_modified("v3")}, "after the restart"
    assert server.seen[9]["If-None-Match"] == '"v3-cdn"'

    updates = [codec.decode(r.value, RawUpdate) for r in await read_topic(settings, "updates")]
    versions = [(u.entry_id, u.revision) for u in updates]
    assert versions == [("e1", 1), ("e2", 1), ("e3", 1), ("e1", 2), ("e4", 1), ("e2", 2), ("e5", 1)]
    assert len(set(versions)) == len(versions), "no (entry, revision) twice"
    by_version = {(u.entry_id, u.revision): u for u in updates}
    e1, e1_edited = by_version["e1", 1], by_version["e1", 2]
    assert e1_edited.published == e1.published and e1.updated is None
    assert e1_edited.updated == datetime(2027, 9, 1, 8, 30, tzinfo=UTC), "no dateModified: the page's Last-Modified"
    assert "240 passengers" in e1_edited.body
    assert by_version["e2", 2].updated == datetime(2027, 9, 1, 7, 50, tzinfo=UTC), "the entry's dateModified"

    dead = await read_topic(settings, "deadletter")
    assert len(dead) == 1, "the broken entry is dead-lettered once, though it stays on the page"
    cursor = await read_topic(settings, CURSOR_TOPIC)
    assert {r.key.decode() for r in cursor} == {url} | {f"{url}|e{n}" for n in range(1, 6)}


def test_the_follow_command_resumes_where_it_stopped(settings: Settings, tmp_path: Path) -> None:
    server = LiveBlogServer([("page", "v2"), ("page", "v3"), ("page", "v3")])
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(server))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/live/harbour-storm"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}
    env |= {"LIVEBLOG_BROKER": settings.broker, "LIVEBLOG_TOPIC_PREFIX": settings.topic_prefix}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "streams.cli", "follow", url, "--interval", "10ms", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)

    try:
        first, second = cli("--max-polls", "2"), cli("--max-polls", "1", "--blog-id", "harbour")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert first.returncode == 0, first.stderr
    assert "2 polls, 4 new entries, 1 revisions, 0 failed" in first.stdout
    assert "poll 2: 1 new, 1 revised, 0 rejected" in first.stderr
    assert second.returncode == 0, second.stderr
    assert "poll 1: not modified" in second.stderr
    assert "1 polls, 0 new entries, 0 revisions" in second.stdout
