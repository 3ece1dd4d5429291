"""Each blog's latest entries with their figures: a bounded ring, the value of the `recent` table (key: blog id).

Written by the entries agent after deduplication (so redeliveries and stale versions never reach it; a
revision replaces its entry). Pure functions over plain JSON values, so the table's changelog recovers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC
from typing import Any

from schemas import EnrichedUpdate
from streams.api.models import Blog, EntriesPage, Entry

#: Entries kept per blog, newest by publication time (then position on the page).
KEEP = 20
#: An entry's text is cut here: the ring stays small (a changelog write carries the whole ring).
BODY_CHARS = 800

Ring = list[dict[str, Any]]


def entry_of(enriched: EnrichedUpdate) -> dict[str, Any]:
    """What the ring keeps of an entry (JSON, in the shape of `streams.api.models.Entry`)."""
    update = enriched.update
    entry = Entry(
        blog_id=update.blog_id,
        entry_id=update.entry_id,
        revision=update.revision,
        kind=update.kind,
        published=update.published,
        updated=update.updated,
        headline=update.headline,
        body=update.body[:BODY_CHARS],
        url=update.url,
        outlet=update.outlet,
        figures=list(enriched.figures),
    )
    data = entry.model_dump(mode="json")
    data["_title"] = update.blog_title  # the blog's, not the entry's: kept for /api/blogs
    data["_position"] = update.position
    data["_at"] = update.published.astimezone(UTC).isoformat()  # comparable as a string
    return data


def _order(entry: Mapping[str, Any]) -> tuple[str, int, str]:
    # Newest first: by publication time in UTC, then position (an earlier position on the page is newer).
    return (str(entry["_at"]), -int(entry.get("_position") or 0), str(entry["entry_id"]))


def with_entry(ring: Sequence[dict[str, Any]], entry: dict[str, Any], keep: int = KEEP) -> Ring:
    """The ring after an entry (`entry_of` a new update or a revision) arrived: newest first, at most `keep`.
    Idempotent. The ring's entries are shared, never changed: a table value is replaced, not edited."""
    others = [e for e in ring if e["entry_id"] != entry["entry_id"]]
    return sorted([*others, entry], key=_order, reverse=True)[:keep]


def _public(entry: Mapping[str, Any]) -> Entry:
    return Entry.model_validate({k: v for k, v in entry.items() if not k.startswith("_")})


def entries_page(blog_id: str, ring: Sequence[Mapping[str, Any]], limit: int) -> EntriesPage:
    return EntriesPage(blog_id=blog_id, items=[_public(e) for e in ring[:limit]])


def blogs(rings: Iterable[tuple[str, Sequence[Mapping[str, Any]]]]) -> list[Blog]:
    out = []
    for blog_id, ring in sorted(rings, key=lambda kv: kv[0]):
        if not ring:
            continue
        newest = _public(ring[0])
        title = next((e.get("_title") for e in ring if e.get("_title")), None)
        outlet = next((e.get("outlet") for e in ring if e.get("outlet")), None)
        out.append(Blog(blog_id=blog_id, title=title, outlet=outlet, entries=len(ring), latest=newest.published))
    return out
