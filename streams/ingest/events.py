"""The CloudEvents of a raw update, in both content modes, computed without any Kafka client.

- binary mode (Kafka): `update_event(update)` → key, value, `ce_*` headers (what the publisher sends);
- structured mode (JSON Lines archives): `structured_event(update)` → one JSON object holding the
  same attributes and the same value under `data`.

Both derive from one computation, so an update written to an archive and read back gets the id it
would get on the topic: the id is stable across replays (`codec.event_id` of blog, entry, revision
and the value bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import orjson

from schemas import RawUpdate
from streams import codec

__all__ = ["SOURCE", "attributes_of", "event_time", "structured_event", "update_attributes", "update_event"]

SOURCE = "liveblog-streams/ingest"


def event_time(update: RawUpdate) -> datetime:
    """When an update happened, for ordering and pacing a replay: when it was last revised, else published."""
    return update.updated or update.published


def update_event(update: RawUpdate) -> tuple[bytes, bytes, codec.Headers]:
    """Key, value and CloudEvents headers of a raw update; the id is stable across replays."""
    value = codec.dumps(update)
    ident = codec.event_id(update.blog_id, update.entry_id, str(update.revision), value.hex())
    headers = codec.ce_headers(
        "update",
        source=update.url or f"{SOURCE}/{update.blog_id}",
        id=ident,
        time=event_time(update),
    )
    return update.blog_id.encode(), value, headers


def attributes_of(headers: Iterable[tuple[str, bytes]]) -> dict[str, str]:
    """CloudEvents attributes from binary-mode headers (`ce_id` → `id`, `content-type` → `datacontenttype`)."""
    attributes: dict[str, str] = {}
    for name, value in headers:
        if name.startswith("ce_"):
            attributes[name.removeprefix("ce_")] = value.decode("utf-8")
        elif name == "content-type":
            attributes["datacontenttype"] = value.decode("utf-8")
    return attributes


def update_attributes(update: RawUpdate) -> dict[str, str]:
    """specversion, id, source, type, time and datacontenttype of a raw update's event."""
    return attributes_of(update_event(update)[2])


def structured_event(update: RawUpdate) -> bytes:
    """The update as one CloudEvents JSON object (structured content mode), without a line ending."""
    _, value, headers = update_event(update)
    return codec.dumps({**attributes_of(headers), "data": orjson.Fragment(value)})
