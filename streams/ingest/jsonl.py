"""Our own archive: JSON Lines of raw-update CloudEvents (JSON structured format), plain, .gz or .zst.

One event per line: the `liveblog.updates` value under `data`, its CloudEvents attributes beside it::

    {"specversion":"1.0","id":"…","source":"…","type":"org.liveblog-streams.update.v1",
     "time":"2026-11-19T06:10:00Z","datacontenttype":"application/json","data":{…RawUpdate…}}

The ids are those the publisher puts in `ce_id` (`events.update_event`): an update written here and
published later, or twice, is recognisable as the same event. Compression follows the file name.

Reading never stops at a bad line: it becomes a `Reject` with its line number, a reason (`not_utf8`,
`not_json`, `invalid_shape`, `bad_envelope`, `oversized`) and its bytes, and reading goes on. Blank
lines are skipped. Only a file that cannot be opened or decompressed at all raises `ParseError`; a
compressed stream that breaks off later ends with a `parse_error` reject.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas import RawUpdate
from streams import codec
from streams.errors import (
    BadEnvelopeError,
    DecodeError,
    InvalidShapeError,
    ParseError,
)
from streams.ingest.compression import compression_of, iter_lines, open_write
from streams.ingest.events import structured_event
from streams.ingest.records import Reject

__all__ = ["Event", "iter_jsonl", "parse_event", "read_jsonl", "write_jsonl"]

MAX_LINE_BYTES = 1 << 20
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Event:
    """One line of an archive: the event's CloudEvents id, source and time, and its update."""

    id: str
    source: str
    time: datetime | None
    update: RawUpdate


class _Envelope(BaseModel):
    """A raw-update CloudEvent; extension attributes are allowed (and ignored), as the spec says."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: str
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str
    time: datetime | None = None
    datacontenttype: str | None = None
    data: RawUpdate


def parse_event(raw: bytes, *, max_bytes: int = MAX_LINE_BYTES) -> Event:
    """One line → an `Event`, or the `DecodeError` subclass that says what is wrong with it."""
    obj = codec.parse_json(raw, max_bytes=max_bytes, what="line")
    if not isinstance(obj, dict):
        raise InvalidShapeError(f"a line must be a JSON object (a CloudEvent), not {type(obj).__name__}")
    if obj.get("specversion") != codec.SPEC_VERSION:
        raise BadEnvelopeError(f"unsupported CloudEvents specversion {obj.get('specversion')!r:.40}")
    if obj.get("type") != codec.EVENT_TYPES["update"]:
        raise BadEnvelopeError(
            f"unexpected CloudEvents type {obj.get('type')!r:.80}, wanted {codec.EVENT_TYPES['update']}"
        )
    content_type = obj.get("datacontenttype")
    if content_type is not None and content_type != codec.CONTENT_TYPE:
        raise BadEnvelopeError(f"unsupported datacontenttype {content_type!r:.80}, wanted {codec.CONTENT_TYPE}")
    try:
        envelope = _Envelope.model_validate(obj)
    except ValidationError as exc:
        raise InvalidShapeError(_describe(exc)) from exc
    return Event(envelope.id, envelope.source, envelope.time, envelope.data)


def iter_jsonl(path: Path, *, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Event | Reject]:
    """Each line's `Event`, or its `Reject`, in file order (streamed: memory stays flat)."""
    try:
        for number, raw in iter_lines(path):
            line = raw.removeprefix(_BOM) if number == 1 else raw
            if not line.strip():
                continue
            item: Event | Reject
            try:
                item = parse_event(line, max_bytes=max_line_bytes)
            except DecodeError as exc:
                item = Reject(number, exc.reason, str(exc), raw)
            yield item
    except ParseError as exc:
        if exc.line is None or exc.line <= 1:
            raise
        yield Reject(exc.line, exc.reason, str(exc))


def read_jsonl(path: Path) -> tuple[list[Event], list[Reject]]:
    """All events and rejects of an archive."""
    events: list[Event] = []
    rejects: list[Reject] = []
    for item in iter_jsonl(path):
        if isinstance(item, Event):
            events.append(item)
        else:
            rejects.append(item)
    return events, rejects


def write_jsonl(updates: Iterable[RawUpdate], path: Path) -> int:
    """Write updates as one CloudEvent a line (compressed by the file name); returns how many.

    Written to a temporary file beside `path`, then renamed: a reader never sees half an archive.
    """
    partial = path.with_name(f".{path.name}.partial")
    count = 0
    try:
        with open_write(partial, compression_of(path)) as out:
            for update in updates:
                out.write(structured_event(update) + b"\n")
                count += 1
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _describe(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in errors[:5]]
    more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
    return "invalid event: " + "; ".join(parts) + more
