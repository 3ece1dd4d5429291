"""`liveblog ingest`'s streamed reading, without a broker: updates in order, rejects kept as read, and an error
part-way stops the reading but keeps what came before it (so those updates and rejects still go out)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from schemas import RawUpdate
from streams.cli import _StreamedArchive
from streams.errors import ParseError
from streams.ingest.records import Reject

WHEN = datetime(2027, 8, 25, 12, tzinfo=UTC)


def update(n: int) -> RawUpdate:
    return RawUpdate(blog_id="b", entry_id=f"e{n}", published=WHEN, body=f"entry {n}")


def reject(n: int) -> Reject:
    return Reject(position=n, reason="not_json", error=f"line {n}: not JSON", raw=b"{oops")


def items(*, fail_after: int | None = None) -> Iterator[RawUpdate | Reject]:
    for n, item in enumerate([update(1), reject(2), update(3), update(4)]):
        if fail_after is not None and n == fail_after:
            raise ParseError("cannot read the file: disk gone", path="archive.jsonl")
        yield item


def test_updates_come_in_archive_order_and_rejects_are_kept_as_read() -> None:
    reading = _StreamedArchive(items())
    reading.peek()
    assert [u.entry_id for u in reading.updates()] == ["e1", "e3", "e4"]
    assert [r.position for r in reading.rejects] == [2] and reading.error is None


def test_an_error_part_way_keeps_what_was_read_before_it() -> None:
    reading = _StreamedArchive(items(fail_after=3))
    reading.peek()
    assert [u.entry_id for u in reading.updates()] == ["e1", "e3"]
    assert [r.position for r in reading.rejects] == [2]
    assert reading.error is not None and "disk gone" in str(reading.error)


def test_an_archive_that_cannot_be_opened_fails_before_anything_is_published() -> None:
    reading = _StreamedArchive(items(fail_after=0))
    with pytest.raises(ParseError):
        reading.peek()
