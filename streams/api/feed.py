"""The change feed behind `GET /api/stream`: the totals agent publishes, each connected client reads.

In-process and per worker: a client sees the changes of the partitions this worker processes. Publishing never
waits: each client has a bounded queue, and a client that falls `QUEUE` events behind has its backlog replaced
by one `resync` event (the page then reloads what it shows from `/api/totals`), so a slow reader costs bounded
memory and never slows the pipeline.
"""

from __future__ import annotations

import asyncio
import itertools
import weakref
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from streams import codec

#: Events a client may fall behind before its backlog is dropped for a `resync`.
QUEUE = 1000
#: Clients at most per worker (more are refused with 503).
MAX_CLIENTS = 200


@dataclass(frozen=True)
class Event:
    """One server-sent event: `event` names it (total, entry, resync, bye), `data` is JSON."""

    event: str
    data: bytes
    id: int = 0

    def encode(self) -> bytes:
        head = f"id: {self.id}\nevent: {self.event}\n".encode() if self.id else f"event: {self.event}\n".encode()
        return head + b"data: " + self.data + b"\n\n"


RESYNC = Event("resync", b"{}")
BYE = Event("bye", b"{}")


class Client:
    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=size)
        self.dropped = 0

    def offer(self, event: Event) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped += self.queue.qsize()
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)

    async def next(self, timeout: float) -> Event | None:
        """The next event, or None after `timeout` seconds without one (time for a keep-alive)."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None


class ChangeFeed:
    """Fan-out of totals changes and new entries to the connected `/api/stream` clients."""

    def __init__(self, queue: int = QUEUE, max_clients: int = MAX_CLIENTS) -> None:
        self.queue = queue
        self.max_clients = max_clients
        self.clients: set[Client] = set()
        self.closed = False
        self._ids = itertools.count(1)

    def subscribe(self) -> Client | None:
        """A new client, or None when the feed is full or closed."""
        if self.closed or len(self.clients) >= self.max_clients:
            return None
        client = Client(self.queue)
        self.clients.add(client)
        return client

    def unsubscribe(self, client: Client) -> None:
        self.clients.discard(client)

    def publish(self, event: str, data: bytes) -> None:
        if not self.clients:
            return
        message = Event(event, data, next(self._ids))
        for client in list(self.clients):
            client.offer(message)

    def publish_total(self, key: str, row: BaseModel | None) -> None:
        """A totals row changed (`row` is None when withdrawn): the same key and value as on the totals topic."""
        if self.clients:
            value = row.model_dump(mode="json") if row is not None else None
            self.publish("total", codec.dumps({"key": key, "row": value}))

    def publish_entry(self, entry: dict[str, Any]) -> None:
        """An entry arrived (as kept by `streams.api.recent`)."""
        if self.clients:
            self.publish("entry", codec.dumps({k: v for k, v in entry.items() if not k.startswith("_")}))

    def close(self) -> None:
        """Tell every client goodbye (the worker is stopping); later subscriptions are refused."""
        self.closed = True
        for client in list(self.clients):
            client.offer(BYE)


_FEEDS: weakref.WeakKeyDictionary[Any, ChangeFeed] = weakref.WeakKeyDictionary()


def change_feed(app: Any) -> ChangeFeed:
    """The feed of a Faust app (one per app; made on first use, by the agents or by the API)."""
    feed = _FEEDS.get(app)
    if feed is None:
        feed = _FEEDS[app] = ChangeFeed()
    return feed
