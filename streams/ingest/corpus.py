"""The Guardian/BBC live-blog corpus (`liveblogs-guardian-bbc.jsonl.gz`): one blog a line → updates.

A line (see `shared/corpus/README.md`)::

    {"blog_id": "<sha1>", "outlet": "guardian" | "bbc", "title": …, "url": …, "genre": …,
     "summary": ["key point sentence", …],
     "posts": [{"block_id": …, "time": "HH:MM" | [Y, M, D, h, m], "author": …, "title": …, "text": ["sentence", …]}, …]}

Each summary sentence is a `summary` update (`s-1`, `s-2`, … from the top); each post an `entry`:
title → headline, sentences joined by a space → body, `block_id` → entry_id (a post without one gets
`post-<hash of its text>`; repeats get -2, -3, … counted from the bottom, the oldest end).

Times: Guardian posts carry [Y, M, D, h, m]; BBC posts only "HH:MM", put on the day in the URL
(`/2015/apr/25/`) or the title ("Wednesday 15th November 2017"). A title day before 1991 (the web's start,
`streams.plausibility`) is the day of the event a page retells (a live blog "of" 28 June 1914), never its posts'.
Where no day is known the update says so (`day_known=False`) and carries its time of day on 2000-01-01 (a fixed
placeholder, so ids stay stable, that sorts before every dated blog of the corpus and is still a plausible
live-blog time: `streams.plausibility` dead-letters 1970). Such a blog is never linked into a multi-blog story.
Times are taken as UTC (the corpus gives no zone). Walking the posts from the oldest (the page bottom), an
"HH:MM" more than 12 hours before the previous post's starts the next day (a blog that runs past midnight).
Summaries get the latest post time (they describe the page as archived).

ObjectId days: most post ids are MongoDB ObjectIds ("post_<24 hex>", "block-<24 hex>"; every Guardian post, 3 in 4
BBC posts), whose first 8 hex digits are the Unix second the post was made (one before 2009 is not taken as one).
On Guardian posts, whose full time is given, that time is within an hour of the stated one for 98% of posts
(median 2 minutes before it). On BBC pages the ids' clock runs a steady offset behind the stated "HH:MM" (0 h
in winter and 1 h in summer in 2015: the "HH:MM" is UK time; about 8 h on most pages from 2016), so a page's
offset is the median over its posts of (stated time of day - id time of day), taken mod 24 h into [-12 h, 12 h).
A BBC page with no day, or whose title day is more than 7 days from its posts' median id day (the title names
the event's day), is dated by its ids instead (`day_known=True`): each post with an ObjectId keeps its "HH:MM"
on the day (of the id's, the one before or after) that puts it nearest its id time plus the page's offset;
a post without one rolls on from the post before as above. With that rule the day of a Guardian post is
its stated day for 99.7% of posts. Ids never change: only times, positions and `day_known` do.

Positions: summaries first, then the posts in chronological order (by time, then from the page
bottom up, since posts are newest first), so pinned posts at the top of a page fall into place.

The file is streamed a line at a time (never the whole 180 MB of text). A line that is not a blog
(not UTF-8, not JSON, wrong shape) is a `Reject` in `iter_corpus_records`; `iter_corpus` skips it.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import orjson
from pydantic import BaseModel, ConfigDict, Field

from schemas import RawUpdate
from streams import codec
from streams.errors import DecodeError, ParseError
from streams.ingest.compression import iter_lines
from streams.ingest.records import Reject

__all__ = ["CORPUS_NAME", "iter_corpus", "iter_corpus_records", "looks_like_corpus", "parse_blog"]

CORPUS_NAME = "liveblogs-guardian-bbc.jsonl.gz"
UNDATED_DAY = date(2000, 1, 1)
MAX_LINE_BYTES = 16 << 20

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_URL_DAY = re.compile(rf"/(\d{{4}})/({'|'.join(_MONTHS)})/(\d{{1,2}})/")
_TITLE_DAY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({'|'.join(_MONTHS)})[a-z]*\.?,?\s+(\d{{4}})\b", re.I)
_HHMM = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")
_ROLLOVER = timedelta(hours=12)
_MAX_ID = 180
_OBJECTID = re.compile(r"(?:post_|block-)?([0-9a-f]{24})")
_OBJECTID_EPOCH = datetime(2009, 1, 1, tzinfo=UTC)  # MongoDB's first release: an earlier "time" is not one
_TITLE_DAY_SLACK = timedelta(days=7)
_EARLIEST_DAY = date(1991, 1, 1)  # the web's start (`streams.plausibility`): an earlier title day is an event's


class _Post(BaseModel):
    model_config = ConfigDict(extra="ignore")

    block_id: str | None = None
    time: str | list[int] | None = None
    title: str | None = None
    text: list[str] | str = Field(default_factory=list)


class _Blog(BaseModel):
    model_config = ConfigDict(extra="ignore")

    blog_id: str = Field(min_length=1, max_length=200)
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    summary: list[str] = Field(default_factory=list)
    posts: list[_Post]


def iter_corpus(path: Path, limit: int | None = None) -> Iterator[RawUpdate]:
    """The updates of the first `limit` blogs (all when None), blog by blog; bad lines skipped."""
    for item in iter_corpus_records(path, limit):
        if isinstance(item, RawUpdate):
            yield item


def iter_corpus_records(path: Path, limit: int | None = None) -> Iterator[RawUpdate | Reject]:
    """The updates of the first `limit` blogs, and a `Reject` (line number, reason, bytes) for each bad line."""
    blogs = 0
    try:
        with contextlib.closing(iter_lines(path)) as lines:
            for number, raw in lines:
                if limit is not None and blogs >= limit:
                    break
                if not raw.strip():
                    continue
                blogs += 1
                try:
                    updates = parse_blog(raw)
                except DecodeError as exc:
                    yield Reject(number, exc.reason, str(exc), raw)
                    continue
                yield from updates
    except ParseError as exc:
        if exc.line is None or exc.line <= 1:
            raise
        yield Reject(exc.line, exc.reason, str(exc))


def looks_like_corpus(path: Path) -> bool:
    """Whether the first line of a JSON Lines file is a corpus blog (an object with `posts`)."""
    try:
        with contextlib.closing(iter_lines(path)) as lines:
            first = next((raw for _, raw in lines if raw.strip()), b"")
        return isinstance(blog := orjson.loads(first), dict) and "posts" in blog
    except (ParseError, orjson.JSONDecodeError):
        return False


def parse_blog(raw: bytes) -> list[RawUpdate]:
    """One corpus line → its updates; a `DecodeError` subclass when the line is not a blog."""
    return _blog_updates(codec.decode(raw, _Blog, max_bytes=MAX_LINE_BYTES))


def _blog_updates(blog: _Blog) -> list[RawUpdate]:
    """A parsed blog's summary and post updates, by position (see the module doc)."""
    oldest_first = blog.posts[::-1]
    day = _day(blog)
    made = [_objectid_time(p.block_id) for p in oldest_first]
    anchors = _anchors(oldest_first, made) if _prefer_objectids(day, made) else None
    times = _times(oldest_first, None if anchors else day, anchors)
    dated = (
        day is not None or anchors is not None or any(isinstance(p.time, list) and _full(p.time) for p in oldest_first)
    )
    order = sorted(range(len(oldest_first)), key=lambda i: (times[i], i))
    summary_time = max(times, default=datetime.combine(day or UNDATED_DAY, time(), UTC))
    ids = _disambiguate([f"s-{n}" for n in range(1, len(blog.summary) + 1)] + [_post_id(p) for p in blog.posts])
    summary_ids, post_ids = ids[: len(blog.summary)], ids[len(blog.summary) :][::-1]
    common = {
        "blog_id": blog.blog_id,
        "url": blog.url,
        "outlet": blog.outlet,
        "blog_title": blog.title,
        "day_known": dated,
    }
    updates = [
        RawUpdate(
            entry_id=entry_id, published=summary_time, kind="summary", body=sentence.strip(), position=n, **common
        )
        for n, (entry_id, sentence) in enumerate(zip(summary_ids, blog.summary, strict=True))
    ]
    for position, i in enumerate(order, start=len(updates)):
        post = oldest_first[i]
        updates.append(
            RawUpdate(
                entry_id=post_ids[i],
                published=times[i],
                kind="entry",
                headline=(post.title or "").strip() or None,
                body=_body(post),
                position=position,
                **common,
            )
        )
    return updates


def _day(blog: _Blog) -> date | None:
    """The blog's day, from its URL (`/2015/apr/25/`) or its title ("25th April 2015")."""
    for pattern, text in ((_URL_DAY, blog.url or ""), (_TITLE_DAY, blog.title or "")):
        if match := pattern.search(text):
            year, month, day = match.groups() if pattern is _URL_DAY else match.group(3, 2, 1)
            try:
                found = date(int(year), _MONTHS.index(month[:3].lower()) + 1, int(day))
            except ValueError:
                continue
            if found >= _EARLIEST_DAY:
                return found
    return None


def _objectid_time(block_id: str | None) -> datetime | None:
    """When a MongoDB ObjectId post id ("post_<24 hex>", "block-<24 hex>") was made: its first 8 hex digits."""
    if block_id and (match := _OBJECTID.fullmatch(block_id.strip())):
        made = datetime.fromtimestamp(int(match[1][:8], 16), UTC)
        return made if made >= _OBJECTID_EPOCH else None
    return None


def _prefer_objectids(day: date | None, made: list[datetime | None]) -> bool:
    """Whether the posts' ObjectIds date the blog: it has no day, or one far from when its posts were made."""
    stamps = sorted(m for m in made if m is not None)
    if not stamps:
        return False
    return day is None or abs(stamps[len(stamps) // 2].date() - day) > _TITLE_DAY_SLACK


def _anchors(oldest_first: list[_Post], made: list[datetime | None]) -> list[datetime | None]:
    """Each post's ObjectId time moved onto the clock of its "HH:MM" by the blog's median offset (mod 24 h)."""
    offsets = sorted(
        (_minutes(post.time) - (m.hour * 60 + m.minute) + 720) % 1440 - 720
        for post, m in zip(oldest_first, made, strict=True)
        if m is not None and isinstance(post.time, str) and _minutes(post.time) >= 0
    )
    shift = timedelta(minutes=offsets[len(offsets) // 2] if offsets else 0)
    return [None if m is None else m + shift for m in made]


def _minutes(hhmm: str) -> int:
    """Minutes into the day of a valid "HH:MM", else -1."""
    match = _HHMM.fullmatch(hhmm)
    hour, minute = (int(match[1]), int(match[2])) if match else (24, 0)
    return hour * 60 + minute if hour < 24 and minute < 60 else -1


def _times(oldest_first: list[_Post], day: date | None, anchors: list[datetime | None] | None = None) -> list[datetime]:
    """Each post's time, oldest first; "HH:MM" on the current day, rolling over past midnight, or on the day
    nearest its anchor (its ObjectId time) when it has one."""
    first = next((a for a in anchors or [] if a is not None), None)
    current = day or (first.date() if first else UNDATED_DAY)
    previous: datetime | None = None
    out: list[datetime] = []
    for i, post in enumerate(oldest_first):
        when = _full(post.time) if isinstance(post.time, list) else None
        anchor = anchors[i] if anchors else None
        if isinstance(post.time, str) and (hhmm := _HHMM.fullmatch(post.time)):
            hour, minute = int(hhmm[1]), int(hhmm[2])
            if hour < 24 and minute < 60 and anchor is not None:
                when = _nearest(time(hour, minute), anchor)
            elif hour < 24 and minute < 60:
                when = datetime.combine(current, time(hour, minute), UTC)
                if previous is not None and previous - when > _ROLLOVER:
                    with contextlib.suppress(OverflowError):
                        when, current = when + timedelta(days=1), current + timedelta(days=1)
        if when is None:
            when = previous or datetime.combine(current, time(), UTC)
        current = when.date()
        previous = when
        out.append(when)
    return out


def _nearest(of_day: time, anchor: datetime) -> datetime:
    """`of_day` on the day (the anchor's, the one before or after) that puts it nearest the anchor."""
    days = (anchor.date() + timedelta(days=k) for k in (-1, 0, 1))
    return min((datetime.combine(d, of_day, UTC) for d in days), key=lambda when: abs(when - anchor))


def _full(parts: list[int]) -> datetime | None:
    if len(parts) < 5:
        return None
    year, month, day, hour, minute = parts[:5]
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except (ValueError, OverflowError, TypeError):
        return None


def _body(post: _Post) -> str:
    sentences = [post.text] if isinstance(post.text, str) else post.text
    return " ".join(s.strip() for s in sentences if s.strip())


def _post_id(post: _Post) -> str:
    block = (post.block_id or "").strip()
    if block and len(block) <= _MAX_ID:
        return block
    content = "\x1f".join([block, post.title or "", _body(post)])
    return "post-" + hashlib.sha1(content.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _disambiguate(bases: list[str]) -> list[str]:
    """Suffix repeats with -2, -3, ... counting from the last one (the oldest on a newest-first page)."""
    used: set[str] = set()
    out: list[str] = []
    for base in reversed(bases):
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out.append(candidate)
    return out[::-1]
