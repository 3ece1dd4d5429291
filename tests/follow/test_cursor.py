"""What to publish given the previous cursor and a fresh parse; the cursor's records and their fold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas import RawUpdate
from streams.follow.cursor import (
    Cursor,
    EntryMark,
    PageMark,
    decode_mark,
    encode_mark,
    fold,
    fresh_rejects,
    plan,
)
from streams.ingest.records import Reject

URL = "https://news.example/live/harbour-storm"
T0 = datetime(2027, 9, 1, 6, 0, tzinfo=UTC)
FETCHED = datetime(2027, 9, 1, 9, 30, tzinfo=UTC)


def update(entry_id: str, body: str, *, minutes: int = 0, updated: datetime | None = None) -> RawUpdate:
    return RawUpdate(
        blog_id="harbour-storm",
        entry_id=entry_id,
        published=T0 + timedelta(minutes=minutes),
        updated=updated,
        headline=f"Headline {entry_id}",
        body=body,
    )


def replay(cursor: Cursor, updates: list[RawUpdate]) -> tuple[Cursor, list[RawUpdate]]:
    step = plan(cursor, updates, fetched_at=FETCHED)
    return cursor.advanced(cursor.page, step.marks), step.publish


def test_a_first_parse_publishes_everything_as_it_is() -> None:
    page = [update("a", "Ferries halted."), update("b", "Two piers flooded.", minutes=5)]
    step = plan(Cursor.empty(URL), page, fetched_at=FETCHED)
    assert step.publish == page
    assert (step.new, step.revised, step.unchanged) == (2, 0, 0)
    assert [(m.entry_id, m.revision, m.url) for m in step.marks] == [("a", 1, URL), ("b", 1, URL)]


def test_the_same_page_again_publishes_nothing() -> None:
    page = [update("a", "Ferries halted."), update("b", "Two piers flooded.", minutes=5)]
    cursor, _ = replay(Cursor.empty(URL), page)
    step = plan(cursor, page, fetched_at=FETCHED + timedelta(minutes=1))
    assert step.publish == [] and step.marks == []
    assert step.unchanged == 2


def test_a_grown_page_publishes_only_the_new_entry() -> None:
    cursor, _ = replay(Cursor.empty(URL), [update("a", "Ferries halted.")])
    _, published = replay(cursor, [update("b", "Two piers flooded.", minutes=5), update("a", "Ferries halted.")])
    assert [u.entry_id for u in published] == ["b"]


def test_an_edited_entry_is_the_next_revision_with_its_first_publication_time() -> None:
    cursor, _ = replay(Cursor.empty(URL), [update("a", "Ferries halted.")])
    # a plain-text page has no times: the parse says "published now"
    edited = update("a", "Ferries halted until noon.", minutes=200)
    cursor, published = replay(cursor, [edited])
    [revision] = published
    assert (revision.entry_id, revision.revision) == ("a", 2)
    assert revision.published == T0 and revision.updated == FETCHED
    assert revision.body == "Ferries halted until noon."
    _, published = replay(cursor, [update("a", "Ferries resume at noon.")])
    assert [u.revision for u in published] == [3]


def test_a_revision_keeps_the_page_modification_time_when_there_is_one() -> None:
    cursor, _ = replay(Cursor.empty(URL), [update("a", "Ferries halted.")])
    modified = T0 + timedelta(minutes=40)
    _, [revision] = replay(cursor, [update("a", "Ferries halted until noon.", updated=modified)])
    assert revision.updated == modified


def test_only_headline_and_body_make_content() -> None:
    cursor, _ = replay(Cursor.empty(URL), [update("a", "Ferries halted.")])
    moved = update("a", "Ferries halted.").model_copy(update={"position": 7, "url": URL + "#a"})
    _, published = replay(cursor, [moved])
    assert published == []


def test_an_entry_that_left_the_page_is_remembered() -> None:
    cursor, _ = replay(Cursor.empty(URL), [update("a", "Ferries halted."), update("b", "Piers flooded.")])
    cursor, published = replay(cursor, [update("b", "Piers flooded.")])
    assert published == [] and set(cursor.entries) == {"a", "b"}
    _, published = replay(cursor, [update("a", "Ferries halted."), update("b", "Piers flooded.")])
    assert published == []


def test_the_cursor_survives_its_records() -> None:
    """Encode every record written, decode them in topic order, fold: the same cursor, so nothing is republished."""
    first = [update("a", "Ferries halted."), update("b", "Piers flooded.", minutes=5)]
    second = [update("a", "Ferries halted until noon."), update("b", "Piers flooded.", minutes=5)]
    records: list[tuple[bytes, bytes]] = []
    cursor = Cursor.empty(URL)
    for n, page in enumerate([first, second]):
        step = plan(cursor, page, fetched_at=FETCHED)
        mark = PageMark(url=URL, etag=f'"v{n}"', last_modified="Wed, 01 Sep 2027 09:30:00 GMT")
        written: list[PageMark | EntryMark] = [*step.marks, mark]
        records += [encode_mark(m) for m in written]
        cursor = cursor.advanced(mark, step.marks)
    other = EntryMark(url=URL + "/other", entry_id="a", content_hash="0" * 32, revision=9, published=T0)
    records.append(encode_mark(other))
    assert [k for k, _ in records[:3]] == [f"{URL}|a".encode(), f"{URL}|b".encode(), URL.encode()]
    restored = fold(URL, [decode_mark(value) for _, value in records])
    assert restored == cursor
    assert restored.entries["a"].revision == 2
    assert restored.conditional_headers() == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Wed, 01 Sep 2027 09:30:00 GMT",
    }
    assert plan(restored, second, fetched_at=FETCHED).publish == []


def test_an_empty_cursor_sends_no_validators() -> None:
    assert Cursor.empty(URL).conditional_headers() == {}
    assert fold(URL, []) == Cursor.empty(URL)


def test_a_reject_is_dead_lettered_once() -> None:
    bad = Reject(2, "invalid_shape", "no date", b'{"headline": "undated"}')
    fresh, digests = fresh_rejects(PageMark(url=URL), [bad])
    assert fresh == [bad]
    moved = Reject(5, "invalid_shape", "no date", b'{"headline": "undated"}')
    fresh, again = fresh_rejects(PageMark(url=URL, rejects=digests), [moved])
    assert fresh == [] and again == digests
