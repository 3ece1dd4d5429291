"""The downstream API on a running worker: its answers on the seed, Schemathesis against its own OpenAPI document,
and the change feed (`/api/stream`) carrying a new figure as it goes through."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from streams.api import recent
from streams.ingest.archive import load_updates
from streams.settings import Settings
from tests.conftest import shared_file
from tests.integration.api_worker import HIGHER, SEED, serving_seed, wait_for


@pytest.mark.kafka
def test_the_api_answers_on_the_seed_and_keeps_to_its_openapi_document(settings: Settings, tmp_path: Path) -> None:
    with serving_seed(settings, tmp_path) as served:
        status, page = served.get("/api/totals?metric=refugees&subject=people&place=Ukraine&row=headline")
        assert status == 200
        (headline,) = page["items"]
        assert (headline["value"], headline["source"], headline["row"]) == (4_000_000, "UN", "headline")

        status, conflicts = served.get("/api/conflicts")
        keys = [row["key"] for row in conflicts["items"]]
        assert status == 200 and "blog/liveblog-2022-03-30|killed|children|Ukraine|*" in keys
        children = next(
            row for row in conflicts["items"] if row["key"] == "blog/liveblog-2022-03-30|killed|children|Ukraine|*"
        )
        assert {s["source"]: s["value"] for s in children["sources"]}["Volodymyr Zelensky"] == 145

        # Pages of 3 cover every row once.
        everything = served.get("/api/totals?limit=500")[1]["items"]
        seen: list[str] = []
        cursor = ""
        while True:
            status, body = served.get("/api/totals?limit=3" + (f"&cursor={cursor}" if cursor else ""))
            assert status == 200
            seen += [row["key"] for row in body["items"]]
            if body["next_cursor"] is None:
                break
            cursor = quote(body["next_cursor"])
        assert seen == [row["key"] for row in everything] and len(seen) > 20

        status, history = served.get(
            "/api/totals/history?story=blog/liveblog-2022-03-30&metric=refugees&subject=people&place=Ukraine"
        )
        assert status == 200 and history["headline"][-1]["value"] == 4_000_000
        assert (
            served.get("/api/totals/history?story=blog/liveblog-2022-03-30&metric=refugees&subject=people&place=Mars")[
                0
            ]
            == 404
        )

        status, blogs = served.get("/api/blogs")
        assert status == 200 and [b["blog_id"] for b in blogs["items"]] == [served.blog_id]
        status, entries = served.get(f"/api/blogs/{served.blog_id}/entries?limit={recent.KEEP}")
        assert status == 200 and len(entries["items"]) == recent.KEEP
        assert any(figure["metric"] == "refugees" for e in entries["items"] for figure in e["figures"])
        assert served.get("/api/blogs/nope/entries")[0] == 404

        # Updates and figures per hour of publication: every entry version counted once, in its own hour.
        seed = load_updates(shared_file(SEED))
        status, activity = served.get(f"/api/blogs/{served.blog_id}/activity")
        assert status == 200 and activity["window_seconds"] == 3600
        starts = [w["start"] for w in activity["items"]]
        assert starts == sorted(starts) and all(start.endswith(":00:00Z") for start in starts)
        hours = {u.published.astimezone(UTC).strftime("%Y-%m-%dT%H:00:00Z") for u in seed}
        assert set(starts) == hours
        assert sum(w["updates"] for w in activity["items"]) == len({(u.entry_id, u.body) for u in seed})
        assert sum(w["figures"] for w in activity["items"]) > 0
        assert served.get("/api/blogs/nope/activity")[0] == 404

        for bad in ("/api/totals?limit=0", "/api/totals?metric=deaths", "/api/totals?colour=red", "/api/blogs?x=1"):
            status, body = served.get(bad)
            assert status == 400 and body["error"] == "bad_request", bad

        # Schemathesis: every operation but the endless event stream, every check.
        st = Path(sys.executable).with_name("st")
        done = subprocess.run(
            [
                str(st),
                "run",
                f"{served.url}/api/openapi.json",
                "--checks",
                "all",
                "--exclude-path",
                "/api/stream",
                "--max-examples",
                "40",
                "--workers",
                "1",
                "--seed",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


async def _events(url: str, into: list[tuple[str, Any]], stop: asyncio.Event) -> None:
    async with aiohttp.ClientSession() as session, session.get(url + "/api/stream") as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/event-stream")
        event = None
        while not stop.is_set():
            line = (await response.content.readline()).decode().rstrip("\n")
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event:
                into.append((event, json.loads(line.removeprefix("data: "))))


@pytest.mark.kafka
def test_the_change_feed_carries_a_new_figure_and_its_entry(settings: Settings, tmp_path: Path) -> None:
    with serving_seed(settings, tmp_path) as served:
        events: list[tuple[str, Any]] = []

        async def scenario() -> None:
            stop = asyncio.Event()
            reader = asyncio.ensure_future(_events(served.url, events, stop))
            await asyncio.sleep(1.0)  # connected
            await asyncio.to_thread(served.publish, served.new_entry(HIGHER))
            for _ in range(200):
                if any(
                    e == "total" and d["key"] == "blog/liveblog-2022-03-30|refugees|people|Ukraine|*" for e, d in events
                ):
                    break
                await asyncio.sleep(0.2)
            stop.set()
            reader.cancel()

        asyncio.run(scenario())
        headline = next(
            d["row"]
            for e, d in events
            if e == "total" and d["key"] == "blog/liveblog-2022-03-30|refugees|people|Ukraine|*"
        )
        assert (round(headline["value"]), headline["source"]) == (4_100_000, "UN")
        entry = next(d for e, d in events if e == "entry")
        assert entry["entry_id"] == "e-later-refugees" and entry["figures"][0]["metric"] == "refugees"
        wait_for(
            lambda: (
                served.get(
                    "/api/totals/history?story=blog/liveblog-2022-03-30&metric=refugees&subject=people&place=Ukraine"
                )[1]["headline"][-1]["value"]
                > 4_000_000
            ),
            30,
        )
