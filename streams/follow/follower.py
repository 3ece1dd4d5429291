"""The follow loop: fetch a page with conditional requests, publish what changed, then move the cursor.

Each poll sends the validators of the cursor (`If-None-Match`, `If-Modified-Since`). A 304 publishes
nothing. A 200 is parsed (`formats`), compared with the cursor (`cursor.plan`), its new entries and
revisions published to the updates topic (new rejects to the dead-letter topic) and acknowledged,
and only then are the entry marks and the page's validators written to the cursor topic, so a crash
in between republishes the same versions (same revision, same content: redeliveries that dedup
drops) rather than losing any. A failure (network error, timeout, a status other than 200 and 304,
a page that holds no live blog) publishes nothing, moves nothing, and backs off (`backoff.Backoff`),
never sooner than a `Retry-After`. Broker errors are not retried here: they end the loop, and a
restart resumes from the cursor.

The clock, the sleep, the random source and the HTTP fetch are parameters, so tests run in
milliseconds; by default the fetch is `urllib` in a worker thread (no extra dependency).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import http.client
import logging
import random
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Literal

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from pydantic import ValidationError

from streams import __version__
from streams.errors import ParseError
from streams.follow.backoff import Backoff, parse_retry_after
from streams.follow.cursor import Cursor, EntryMark, PageMark, decode_mark, encode_mark, fold, fresh_rejects, plan
from streams.follow.formats import parse_page
from streams.kafka.clients import client_options
from streams.kafka.observe import read_topic
from streams.kafka.publish import publish_updates
from streams.settings import Settings

__all__ = ["CURSOR_TOPIC", "CursorStore", "Poll", "Response", "fetch_url", "follow", "format_poll", "format_summary"]

log = logging.getLogger(__name__)

CURSOR_TOPIC = "follow.cursors"
MAX_BODY_BYTES = 32 * 1024 * 1024
_ACCEPT = "application/ld+json, application/json;q=0.9, text/html;q=0.9, text/plain;q=0.8, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class Response:
    """An HTTP response: status, headers (names lower-cased) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes = b""


Fetch = Callable[[str, Mapping[str, str]], Awaitable[Response]]
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Poll:
    """What one poll did."""

    number: int
    outcome: Literal["published", "unchanged", "not_modified", "failed"]
    status: int | None = None
    new: int = 0
    revised: int = 0
    rejects: int = 0
    error: str | None = None
    retry_after: float | None = None
    delay: float | None = None
    """Seconds until the next poll (None after the last one)."""


def format_poll(poll: Poll) -> str:
    """One line for a person: `poll 3: 1 new, 1 revised, 0 rejected; next in 30.0s`."""
    what = {
        "published": f"{poll.new} new, {poll.revised} revised, {poll.rejects} rejected",
        "unchanged": "no change",
        "not_modified": "not modified",
        "failed": f"failed: {poll.error}",
    }[poll.outcome]
    after = f"; next in {poll.delay:.1f}s" if poll.delay is not None else ""
    return f"poll {poll.number}: {what}{after}"


def format_summary(url: str, polls: Iterable[Poll]) -> str:
    """The totals of a run: polls, new entries, revisions, failures."""
    done = list(polls)
    new, revised = sum(p.new for p in done), sum(p.revised for p in done)
    failed = sum(p.outcome == "failed" for p in done)
    return f"followed {url}: {len(done)} polls, {new} new entries, {revised} revisions, {failed} failed"


async def fetch_url(url: str, headers: Mapping[str, str], *, timeout: float = 30.0) -> Response:
    """GET `url` with `headers` (urllib in a thread); any status is a `Response`, network errors raise."""
    return await asyncio.to_thread(_fetch_blocking, url, dict(headers), timeout)


def _fetch_blocking(url: str, headers: dict[str, str], timeout: float) -> Response:
    request = urllib.request.Request(
        url, headers={"User-Agent": f"liveblog-streams/{__version__} (follow)", "Accept": _ACCEPT, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Response(response.status, _lower(response.headers), _read(response))
    except urllib.error.HTTPError as exc:  # 304, 4xx, 5xx: a response all the same
        with contextlib.closing(exc):
            return Response(exc.code, _lower(exc.headers), _read(exc))


def _read(response: http.client.HTTPResponse | urllib.error.HTTPError) -> bytes:
    body = response.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"response larger than {MAX_BODY_BYTES} bytes")
    return body


def _lower(headers: Message) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


class CursorStore:
    """The compacted cursor topic: read back whole at start, appended to after each publishing poll."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topic = settings.topic(CURSOR_TOPIC)
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        await self._ensure_topic()
        producer = AIOKafkaProducer(**client_options(self.settings), acks="all", enable_idempotence=False)
        await producer.start()
        self._producer = producer

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def load(self, url: str) -> Cursor:
        """The cursor of `url`: its records, last of each key winning (unreadable records skipped)."""
        marks: list[PageMark | EntryMark] = []
        for record in await read_topic(self.settings, CURSOR_TOPIC):
            if record.value is None:
                continue
            try:
                marks.append(decode_mark(record.value))
            except ValidationError as exc:
                log.warning("skipping unreadable cursor record at offset %s: %s", record.offset, exc)
        return fold(url, marks)

    async def write(self, marks: Iterable[PageMark | EntryMark]) -> None:
        """Write cursor records in order and wait for every acknowledgement."""
        if self._producer is None:
            raise RuntimeError("CursorStore.write before start")
        futures = []
        for mark in marks:
            key, value = encode_mark(mark)
            futures.append(await self._producer.send(self.topic, key=key, value=value))
        for future in futures:
            await future

    async def _ensure_topic(self) -> None:
        admin = AIOKafkaAdminClient(**client_options(self.settings))
        await admin.start()
        try:
            if self.topic in set(await admin.list_topics()):
                return
            topic = NewTopic(
                name=self.topic,
                num_partitions=self.settings.partitions,
                replication_factor=self.settings.replication_factor,
                topic_configs={"cleanup.policy": "compact"},
            )
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([topic])
        finally:
            await admin.close()


def _utcnow() -> datetime:
    return datetime.now(UTC)


async def follow(
    settings: Settings,
    url: str,
    *,
    interval: float = 30.0,
    max_polls: int | None = None,
    blog_id: str | None = None,
    backoff: Backoff | None = None,
    fetch: Fetch = fetch_url,
    sleep: Sleep = asyncio.sleep,
    clock: Clock = _utcnow,
    rand: Callable[[], float] = random.random,
    on_poll: Callable[[Poll], None] | None = None,
) -> list[Poll]:
    """Poll `url` until `max_polls` polls are done (forever when None); returns what each poll did.

    The topics the updates go to must exist (`streams.kafka.topics.ensure_topics`); the cursor topic
    is created when missing.
    """
    delays = backoff or Backoff.for_interval(interval)
    store = CursorStore(settings)
    await store.start()
    polls: list[Poll] = []
    try:
        cursor = await store.load(url)
        failures = 0
        while max_polls is None or len(polls) < max_polls:
            cursor, poll = await _poll(settings, store, cursor, len(polls) + 1, fetch, clock, blog_id)
            failures = failures + 1 if poll.outcome == "failed" else 0
            last = max_polls is not None and len(polls) + 1 >= max_polls
            delay = None if last else delays.delay(failures, poll.retry_after, rand=rand)
            poll = dataclasses.replace(poll, delay=delay)
            polls.append(poll)
            if on_poll is not None:
                on_poll(poll)
            if delay is not None:
                await sleep(delay)
    finally:
        await store.stop()
    return polls


async def _poll(
    settings: Settings, store: CursorStore, cursor: Cursor, number: int, fetch: Fetch, clock: Clock, blog_id: str | None
) -> tuple[Cursor, Poll]:
    url = cursor.page.url
    try:
        response = await fetch(url, cursor.conditional_headers())
    except (OSError, TimeoutError, ValueError, http.client.HTTPException) as exc:
        return cursor, Poll(number, "failed", error=f"{type(exc).__name__}: {exc}")
    now = clock()
    etag, last_modified = response.headers.get("etag"), response.headers.get("last-modified")
    if response.status == 304:
        page = cursor.page.model_copy(
            update={"etag": etag or cursor.page.etag, "last_modified": last_modified or cursor.page.last_modified}
        )
        if page != cursor.page:
            await store.write([page])
        return cursor.advanced(page), Poll(number, "not_modified", 304)
    if response.status != 200:
        retry_after = parse_retry_after(response.headers.get("retry-after"), now=now)
        error = f"HTTP {response.status}"
        return cursor, Poll(number, "failed", response.status, error=error, retry_after=retry_after)
    fetched_at = _page_time(last_modified, now)
    try:
        archive = parse_page(
            response.body,
            content_type=response.headers.get("content-type"),
            url=url,
            fetched_at=fetched_at,
            blog_id=blog_id,
        )
    except ParseError as exc:
        return cursor, Poll(number, "failed", 200, error=f"unreadable page: {exc}")
    step = plan(cursor, archive.updates, fetched_at=fetched_at)
    rejects, digests = fresh_rejects(cursor.page, archive.rejects)
    if step.publish or rejects:
        await publish_updates(settings, step.publish, rejects, origin=url)
    page = PageMark(url=url, etag=etag, last_modified=last_modified, rejects=digests)
    written: list[PageMark | EntryMark] = [*step.marks, *([page] if page != cursor.page else [])]
    if written:
        await store.write(written)
    outcome: Literal["published", "unchanged"] = "published" if step.publish or rejects else "unchanged"
    return cursor.advanced(page, step.marks), Poll(
        number, outcome, 200, new=step.new, revised=step.revised, rejects=len(rejects)
    )


def _page_time(last_modified: str | None, now: datetime) -> datetime:
    """When the page last changed: its `Last-Modified` when sane (not in the future), else now."""
    if last_modified:
        try:
            when = parsedate_to_datetime(last_modified)
        except (TypeError, ValueError, IndexError):
            return now
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        if when <= now:
            return when.astimezone(UTC)
    return now
