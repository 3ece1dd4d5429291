"""A worker with its web server on a free port that has processed the seed blog: for the API and page tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from schemas import RawUpdate
from streams.ingest.archive import load_updates
from streams.kafka.observe import wait_caught_up
from streams.kafka.ports import free_port
from streams.kafka.publish import publish_updates
from streams.kafka.topics import ensure_topics
from streams.runner import WorkerProcess
from streams.settings import Settings
from tests.conftest import shared_file

SEED = "seed/liveblog-2022-03-30.txt"
#: The extractor reads "the UN said" as source UN: the UN series (the refugees headline) moves to 4.1 million.
#: ("the UN refugee agency said" would be UNHCR: a new source beside the headline, which stays UN's 4 million.)
HIGHER = "More than 4.1 million people have fled Ukraine, the UN said on Thursday."


@dataclass
class Served:
    settings: Settings
    worker: WorkerProcess
    url: str
    blog_id: str
    blog_title: str | None

    def get(self, path: str) -> tuple[int, Any]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return int(response.status), json.loads(response.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    def publish(self, *updates: RawUpdate) -> None:
        asyncio.run(publish_updates(self.settings, updates))

    def new_entry(self, body: str, entry_id: str = "e-later-refugees") -> RawUpdate:
        return RawUpdate(
            blog_id=self.blog_id,
            entry_id=entry_id,
            published=datetime(2022, 3, 31, 9, 0, tzinfo=UTC),
            headline="Refugee count rises",
            body=body,
            blog_title=self.blog_title,
        )


def wait_for(condition: Any, timeout: float, explain: Any = lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s\n{explain()}"[-4000:])
        time.sleep(0.3)


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def serving_seed(settings: Settings, tmp_path: Path) -> Iterator[Served]:
    """A worker (web enabled) that has processed the seed blog; skips when ../shared is absent."""
    updates = load_updates(shared_file(SEED))
    live = settings.model_copy(update={"web_enabled": True, "web_port": free_port()})
    asyncio.run(ensure_topics(live))
    worker = WorkerProcess(live, tmp_path / "worker.log")
    worker.start()
    try:
        url = f"http://127.0.0.1:{live.web_port}"
        wait_for(lambda: _ready(url), 90, worker.log_tail)
        asyncio.run(publish_updates(live, updates))
        asyncio.run(wait_caught_up(live, timeout=180))
        worker.check()
        yield Served(live, worker, url, updates[0].blog_id, updates[0].blog_title)
        worker.check()
    finally:
        worker.stop()
