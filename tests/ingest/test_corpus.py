"""The Guardian/BBC corpus reader: on blogs of our own in its format, then on the real corpus (../shared)."""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import RawUpdate
from streams.errors import DecodeError, ParseError
from streams.ingest.corpus import iter_corpus, iter_corpus_records, looks_like_corpus, parse_blog
from streams.ingest.records import Reject
from tests.conftest import shared_file


def post(block: str | None, when: Any, title: str = "", *text: str) -> dict[str, Any]:
    return {"block_id": block, "time": when, "author": None, "title": title, "text": list(text)}


def line(**blog: Any) -> bytes:
    base: dict[str, Any] = {
        "blog_id": "b" * 40,
        "outlet": "guardian",
        "title": "storm live",
        "url": "https://www.example.com/world/live/2026/jan/05/storm-live",
        "genre": "world",
        "summary": [],
        "posts": [],
    }
    return orjson.dumps({**base, **blog})


def write(path: Path, *lines: bytes) -> Path:
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    return path


def test_posts_become_entries_in_chronological_positions() -> None:
    updates = parse_blog(
        line(
            summary=["the river peaked at noon .", "two bridges closed ."],
            posts=[  # newest first
                post("block-3", [2026, 1, 5, 14, 30], "bridges shut", "the a1 bridge is closed .", "so is the b2 ."),
                post("block-2", [2026, 1, 5, 12, 0], "", "the river peaked ."),
                post("block-1", [2026, 1, 5, 9, 15], "good morning", "welcome to our coverage ."),
            ],
        )
    )
    assert [(u.kind, u.entry_id, u.position) for u in updates] == [
        ("summary", "s-1", 0),
        ("summary", "s-2", 1),
        ("entry", "block-1", 2),
        ("entry", "block-2", 3),
        ("entry", "block-3", 4),
    ]
    summary, entry = updates[0], updates[4]
    assert (summary.headline, summary.body) == (None, "the river peaked at noon .")
    assert summary.published == datetime(2026, 1, 5, 14, 30, tzinfo=UTC)  # as of the latest post
    assert (entry.headline, entry.body) == ("bridges shut", "the a1 bridge is closed . so is the b2 .")
    assert entry.published == datetime(2026, 1, 5, 14, 30, tzinfo=UTC)
    assert updates[3].headline is None
    assert {(u.blog_id, u.outlet, u.blog_title) for u in updates} == {("b" * 40, "guardian", "storm live")}


@pytest.mark.parametrize(
    ("url", "title", "day"),
    [
        ("https://www.example.com/world/live/2026/jan/05/storm", "storm live", (2026, 1, 5)),
        ("https://www.example.com/news/live/uk-123", "Storm: Monday 5th January 2026 - News", (2026, 1, 5)),
        ("https://www.example.com/news/live/uk-123", "Storm live: 5 Jan. 2026", (2026, 1, 5)),
        ("https://www.example.com/news/live/uk-123", "Storm live: Monday 5 January", (2000, 1, 1)),
        ("https://www.example.com/world/live/2026/feb/30/storm", "storm", (2000, 1, 1)),
    ],
)
def test_hh_mm_times_are_put_on_the_day_of_the_url_or_title_or_marked_undated(
    url: str, title: str, day: tuple[int, int, int]
) -> None:
    (update,) = parse_blog(line(outlet="bbc", url=url, title=title, posts=[post("p1", "09:05", "t", "x .")]))
    assert update.published == datetime(*day, 9, 5, tzinfo=UTC)
    assert update.day_known == (day != (2000, 1, 1))  # no day known: said, not invented


def test_a_blog_that_runs_past_midnight_rolls_over_but_pinned_posts_do_not() -> None:
    updates = parse_blog(
        line(
            outlet="bbc",
            url="https://www.example.com/news/live/uk-123",
            title="Storm live: 5 January 2026",
            posts=[  # newest first; the two 08:00 posts are pinned at the top
                post("pinned-1", "08:00"),
                post("pinned-2", "08:00"),
                post("after-midnight", "00:20"),
                post("late", "23:50"),
                post("evening", "18:00"),
            ],
        )
    )
    when = {u.entry_id: u.published for u in updates}
    assert when["evening"] == datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
    assert when["after-midnight"] == datetime(2026, 1, 6, 0, 20, tzinfo=UTC)
    assert when["pinned-1"] == datetime(2026, 1, 6, 8, 0, tzinfo=UTC)  # 16 hours later: not a rollover
    assert [u.entry_id for u in sorted(updates, key=lambda u: u.position)] == [
        "evening",
        "late",
        "after-midnight",
        "pinned-2",
        "pinned-1",
    ]


def oid(made: datetime, prefix: str = "post_") -> str:
    """A MongoDB ObjectId post id made at `made`: 8 hex digits of Unix seconds, then 16 of our own."""
    return f"{prefix}{int(made.timestamp()):08x}{'5e' * 8}"


def bbc(*posts: dict[str, Any], title: str = "Storm live") -> dict[str, datetime]:
    """An undated BBC page (no day in its URL) of `posts`, newest first → each entry's time."""
    updates = parse_blog(line(outlet="bbc", url="https://www.example.com/news/live/uk-123", title=title, posts=posts))
    assert all(u.day_known for u in updates)
    assert {u.entry_id for u in updates} == {p["block_id"] for p in posts}  # ids stay the block ids
    return {u.entry_id: u.published for u in updates}


def test_an_undated_page_takes_its_days_from_objectid_post_ids_and_keeps_its_times_of_day() -> None:
    late, after, cit, morning = (
        oid(datetime(2026, 7, 4, 21, 50, tzinfo=UTC)),
        oid(datetime(2026, 7, 4, 23, 10, tzinfo=UTC), "block-"),
        "cit_1",
        oid(datetime(2026, 7, 5, 8, 0, tzinfo=UTC)),
    )
    # stated UK summer time, an hour ahead of the ids' UTC clock
    when = bbc(post(morning, "09:00"), post(cit, "00:40"), post(after, "00:10"), post(late, "22:50"))
    assert when[late] == datetime(2026, 7, 4, 22, 50, tzinfo=UTC)
    assert when[after] == datetime(2026, 7, 5, 0, 10, tzinfo=UTC)  # past midnight by its id, not by rollover
    assert when[cit] == datetime(2026, 7, 5, 0, 40, tzinfo=UTC)  # no ObjectId: rolls on from the post before
    assert when[morning] == datetime(2026, 7, 5, 9, 0, tzinfo=UTC)


def test_the_pages_clock_offset_is_taken_out_before_the_nearest_day_is_chosen() -> None:
    ids = [oid(datetime(2026, 1, 5, hour, 0, tzinfo=UTC)) for hour in (1, 2, 3)]
    # the ids run 8 hours behind the stated times; the third post was drafted 13 hours before its time
    when = bbc(post(ids[2], "16:00"), post(ids[1], "10:00"), post(ids[0], "09:00"))
    assert [when[i] for i in ids] == [datetime(2026, 1, 5, h, 0, tzinfo=UTC) for h in (9, 10, 16)]


@pytest.mark.parametrize(
    ("title", "day"),
    [
        ("Storm live: Friday 9 January 2026", (2026, 1, 9)),  # within a week of the ids: the title's day stands
        ("Storm live: Friday 23 January 2026", (2026, 1, 5)),  # weeks away: the event's day, not the posts'
        ("Storm live: 5 January 1926", (2026, 1, 5)),
    ],
)
def test_a_title_day_far_from_the_objectids_gives_way_to_them(title: str, day: tuple[int, int, int]) -> None:
    made = oid(datetime(2026, 1, 5, 11, 58, tzinfo=UTC))
    assert bbc(post(made, "12:00"), title=title) == {made: datetime(*day, 12, 0, tzinfo=UTC)}


@pytest.mark.parametrize(
    ("block", "title"),
    [
        ("cit_12345", "Storm live: 28 June 1914"),  # a day before the web is an event's: undated, not 1914
        ("post_" + "0" * 24, "Storm live"),  # 24 hex digits, but no ObjectId of 1970
        ("post_" + "4" * 23, "Storm live"),  # 23 digits
    ],
)
def test_no_objectid_and_no_plausible_day_stays_undated(block: str, title: str) -> None:
    url = "https://www.example.com/news/live/uk-123"
    (update,) = parse_blog(line(outlet="bbc", url=url, title=title, posts=[post(block, "12:00")]))
    assert (update.published, update.day_known) == (datetime(2000, 1, 1, 12, 0, tzinfo=UTC), False)


def test_missing_and_repeated_block_ids() -> None:
    updates = parse_blog(
        line(
            summary=["key point ."],
            posts=[
                post(None, "10:00", "same", "same text ."),
                post("dup", "09:00"),
                post(None, "08:00", "same", "same text ."),
                post("dup", "07:00"),
                post("s-1", "06:00"),
                post("p", "not a time"),
            ],
        )
    )
    ids = {u.position: u.entry_id for u in updates}
    assert len(set(ids.values())) == len(updates) == 7
    by_time = [ids[p] for p in range(1, 7)]
    hashed = [i for i in by_time if i.startswith("post-")]
    assert len(hashed) == 2 and hashed[1] == hashed[0] + "-2"  # the oldest keeps the plain id
    assert by_time.index("dup") < by_time.index("dup-2")
    assert "s-1-2" in ids.values()  # a block id that looks like a summary id


def test_bad_lines_are_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.jsonl.gz",
        line(blog_id="a" * 40, posts=[post("p", "10:00")]),
        b"not json",
        b"",
        orjson.dumps({"blog_id": "", "posts": []}),
        b'{"blog_id": "x", "posts": "none"}',
        b"\xff\xfe",
        line(blog_id="c" * 40, posts=[post("q", "11:00")]),
    )
    items = list(iter_corpus_records(path))
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [(r.position, r.reason) for r in rejects] == [
        (2, "not_json"),
        (4, "invalid_shape"),
        (5, "invalid_shape"),
        (6, "not_utf8"),
    ]
    assert rejects[0].raw == b"not json"
    assert [u.blog_id[0] for u in iter_corpus(path)] == ["a", "c"]
    assert [u.blog_id[0] for u in iter_corpus(path, limit=2)] == ["a"]  # blogs counted, rejected or not


def test_looks_like_corpus(tmp_path: Path) -> None:
    assert looks_like_corpus(write(tmp_path / "c.jsonl.gz", b"", line()))
    assert not looks_like_corpus(write(tmp_path / "e.jsonl.gz", b'{"specversion": "1.0"}'))
    assert not looks_like_corpus(write(tmp_path / "n.jsonl.gz", b"not json"))
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip")
    assert not looks_like_corpus(tmp_path / "broken.jsonl.gz")


def test_an_unreadable_file_is_a_parse_error(tmp_path: Path) -> None:
    (tmp_path / "c.jsonl.gz").write_bytes(b"not gzip at all")
    with pytest.raises(ParseError, match="gzip"):
        list(iter_corpus(tmp_path / "c.jsonl.gz"))


_time = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["00:00", "23:59", "24:00", "9:5", "12:60"]),
    st.lists(st.integers(-5, 10000), max_size=6),
)
_post = st.fixed_dictionaries(
    {},
    optional={
        "block_id": st.none() | st.text(max_size=200),
        "time": _time,
        "title": st.none() | st.text(max_size=10),
        "text": st.lists(st.text(max_size=10), max_size=3) | st.text(max_size=5),
    },
)
_blog = st.fixed_dictionaries(
    {"blog_id": st.text(max_size=5), "posts": st.lists(_post, max_size=6)},
    optional={
        "summary": st.lists(st.text(max_size=10), max_size=3),
        "url": st.sampled_from(["https://x/2026/jan/05/x", "https://x/9999/dec/31/x", "https://x/0001/jan/01/"]),
        "title": st.sampled_from(["31 december 9999", "1 jan 0001", "30 feb 2026", "x"]),
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_blog.map(orjson.dumps) | st.binary(max_size=80), max_size=4))
def test_fuzz(tmp_path: Path, lines: list[bytes]) -> None:
    path = write(tmp_path / "fuzz.jsonl.gz", *lines)
    items = list(iter_corpus_records(path))
    for raw in lines:
        try:
            updates = parse_blog(raw)
        except DecodeError:
            continue
        assert len({u.entry_id for u in updates}) == len(updates)
        assert sorted(u.position for u in updates) == list(range(len(updates)))
    assert all(isinstance(i, RawUpdate | Reject) for i in items)


# --- the real corpus -------------------------------------------------------------------------

FIRST = 20


@pytest.mark.corpus
def test_first_blogs_of_the_real_corpus() -> None:
    path = shared_file("corpus/liveblogs-guardian-bbc.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        raw = [json.loads(text) for text in itertools.islice(stream, FIRST)]
    updates = list(iter_corpus(path, limit=FIRST))
    again = list(iter_corpus(path, limit=FIRST))
    assert updates == again  # stable: same ids, times and positions on every read
    by_blog: dict[str, list[RawUpdate]] = defaultdict(list)
    for update in updates:
        by_blog[update.blog_id].append(update)
    assert list(by_blog) == [blog["blog_id"] for blog in raw]
    for blog in raw:
        mine = by_blog[blog["blog_id"]]
        kinds = Counter(u.kind for u in mine)
        assert kinds["entry"] == len(blog["posts"])
        assert kinds["summary"] == len(blog["summary"])
        assert len({u.entry_id for u in mine}) == len(mine)
        assert sorted(u.position for u in mine) == list(range(len(mine)))
        entries = sorted((u for u in mine if u.kind == "entry"), key=lambda u: u.position)
        assert all(a.published <= b.published for a, b in itertools.pairwise(entries))
        block_ids = {p["block_id"] for p in blog["posts"] if p["block_id"]}
        assert block_ids <= {u.entry_id for u in mine}
