"""A followed page's cursor, and what to publish given it and a fresh parse: pure logic, no I/O.

The cursor lives on a compacted topic (`<prefix>.follow.cursors`), one record per key:

| key                 | value        | what                                                          |
|---------------------|--------------|---------------------------------------------------------------|
| `<url>`             | `PageMark`   | the validators to send next time (ETag, Last-Modified) and the |
|                     |              | digests of the rejects already dead-lettered                  |
| `<url>\\|<entry id>` | `EntryMark`  | the content hash, revision and first publication time of the  |
|                     |              | version of the entry last published                           |

Reading the topic from the beginning and keeping the last record of each key (`fold`) gives back the
cursor after a restart; compaction keeps the topic as small as the number of entries followed.

`plan` compares a fresh parse with the cursor: an entry not in it is new (published as parsed); an
entry whose content hash (headline and body, `streams.extract.enrich.content_hash`, the hash dedup
compares) changed is a revision: `revision` = the previous one + 1, `published` the first version's,
`updated` the page's modification time of the entry, else the time of the fetch. Unchanged entries
are not published again. Entries that left the page are neither published nor forgotten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas import RawUpdate
from streams import codec
from streams.extract.enrich import content_hash
from streams.ingest.records import Reject

__all__ = ["Cursor", "EntryMark", "Mark", "PageMark", "Step", "decode_mark", "encode_mark", "fold", "plan"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class PageMark(_Frozen):
    """What the follower remembers of the page itself."""

    kind: Literal["page"] = "page"
    url: str
    etag: str | None = None
    last_modified: str | None = None
    rejects: tuple[str, ...] = Field(default=(), description="Digests of the rejects already dead-lettered.")


class EntryMark(_Frozen):
    """The version of an entry last published."""

    kind: Literal["entry"] = "entry"
    url: str
    entry_id: str
    content_hash: str
    revision: int = Field(ge=1)
    published: datetime


Mark = Annotated[PageMark | EntryMark, Field(discriminator="kind")]
_MARK: TypeAdapter[PageMark | EntryMark] = TypeAdapter(Mark)


@dataclass(frozen=True, slots=True)
class Cursor:
    """Everything the follower knows of one followed URL."""

    page: PageMark
    entries: Mapping[str, EntryMark] = field(default_factory=dict)

    @classmethod
    def empty(cls, url: str) -> Cursor:
        return cls(PageMark(url=url))

    def conditional_headers(self) -> dict[str, str]:
        """`If-None-Match` and `If-Modified-Since`, for the validators the page last sent."""
        headers: dict[str, str] = {}
        if self.page.etag:
            headers["If-None-Match"] = self.page.etag
        if self.page.last_modified:
            headers["If-Modified-Since"] = self.page.last_modified
        return headers

    def advanced(self, page: PageMark, marks: Iterable[EntryMark] = ()) -> Cursor:
        """The cursor once `page` and `marks` are written."""
        return Cursor(page, {**self.entries, **{mark.entry_id: mark for mark in marks}})


@dataclass(frozen=True, slots=True)
class Step:
    """What one fresh parse changes: the updates to publish and the entry marks to write after them."""

    publish: list[RawUpdate]
    marks: list[EntryMark]
    new: int = 0
    revised: int = 0
    unchanged: int = 0


def plan(cursor: Cursor, updates: Iterable[RawUpdate], *, fetched_at: datetime) -> Step:
    """The new entries and revisions among `updates` (page order kept), given what `cursor` published."""
    publish: list[RawUpdate] = []
    marks: list[EntryMark] = []
    new = revised = unchanged = 0
    for update in updates:
        digest = content_hash(update)
        previous = cursor.entries.get(update.entry_id)
        if previous is None:
            new += 1
            out = update
        elif previous.content_hash == digest:
            unchanged += 1
            continue
        else:
            revised += 1
            out = update.model_copy(
                update={
                    "revision": previous.revision + 1,
                    "published": previous.published,
                    "updated": update.updated if update.updated is not None else fetched_at,
                }
            )
        publish.append(out)
        marks.append(
            EntryMark(
                url=cursor.page.url,
                entry_id=out.entry_id,
                content_hash=digest,
                revision=out.revision,
                published=out.published,
            )
        )
    return Step(publish, marks, new=new, revised=revised, unchanged=unchanged)


def reject_digest(reject: Reject) -> str:
    """Recognises a reject seen at the previous poll (same reason, same bytes), wherever it moved."""
    return hashlib.sha256(reject.reason.encode() + b"\x1f" + reject.raw).hexdigest()[:32]


def fresh_rejects(page: PageMark, rejects: Sequence[Reject]) -> tuple[list[Reject], tuple[str, ...]]:
    """The rejects not dead-lettered yet, and the digests of all of the page's current rejects."""
    digests = [reject_digest(r) for r in rejects]
    fresh = [r for r, d in zip(rejects, digests, strict=True) if d not in page.rejects]
    return fresh, tuple(dict.fromkeys(digests))


def mark_key(mark: PageMark | EntryMark) -> bytes:
    """The compaction key: `<url>` for the page, `<url>|<entry id>` for an entry."""
    if isinstance(mark, PageMark):
        return mark.url.encode()
    return f"{mark.url}|{mark.entry_id}".encode()


def encode_mark(mark: PageMark | EntryMark) -> tuple[bytes, bytes]:
    """Key and value of a cursor record."""
    return mark_key(mark), codec.dumps(mark)


def decode_mark(value: bytes) -> PageMark | EntryMark:
    """A cursor record's value; `pydantic.ValidationError` when it is not one."""
    return _MARK.validate_json(value)


def fold(url: str, marks: Iterable[PageMark | EntryMark]) -> Cursor:
    """The cursor of `url` from its records in topic order (the last of each key wins; other URLs ignored)."""
    page = PageMark(url=url)
    entries: dict[str, EntryMark] = {}
    for mark in marks:
        if mark.url != url:
            continue
        if isinstance(mark, PageMark):
            page = mark
        else:
            entries[mark.entry_id] = mark
    return Cursor(page, entries)
