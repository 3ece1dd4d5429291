"""What reading an archive gives: the updates, and the rejects that could not become updates.

A reject is not fatal: it keeps where it was (a line number, or an index in a list of entries), a
stable reason code (the `reason` of the matching error in `streams.errors`) and its original bytes,
so the caller can print it and send it to the dead-letter topic.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from schemas import DeadLetter, RawUpdate

__all__ = ["Archive", "Reject", "dead_letter_of", "updates_keeping_rejects"]


@dataclass(frozen=True, slots=True)
class Reject:
    """One piece of an archive that could not be read as an update."""

    position: int
    """1-based line number in a line-oriented file; 0-based index in a JSON-LD `liveBlogUpdate` list."""
    reason: str
    """A stable code: `not_utf8`, `not_json`, `invalid_shape`, `bad_envelope`, `oversized`, `parse_error`."""
    error: str
    """What is wrong, for a person."""
    raw: bytes = b""
    """The original bytes (a line without its line ending, or an entry re-serialised as JSON)."""


@dataclass(frozen=True, slots=True)
class Archive:
    """The updates of an archive in reading order, and what was rejected on the way."""

    updates: list[RawUpdate] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def dead_letter_of(reject: Reject, *, source: str, time: datetime) -> DeadLetter:
    """The dead letter of a reject from the archive `source` (a path), stage `ingest`."""
    return DeadLetter(
        reason=reject.reason,
        stage="ingest",
        error=f"{source}:{reject.position}: {reject.error}"[:2000],
        time=time,
        value_b64=base64.b64encode(reject.raw).decode("ascii"),
    )


def updates_keeping_rejects(items: Iterable[RawUpdate | Reject], rejects: list[Reject]) -> Iterator[RawUpdate]:
    """The updates among what an archive reader gives, in order; its rejects go to `rejects` as they are read."""
    for item in items:
        if isinstance(item, Reject):
            rejects.append(item)
        else:
            yield item
