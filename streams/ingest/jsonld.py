"""Parse a schema.org `LiveBlogPosting` (JSON-LD) into `RawUpdate`s: pure logic, no I/O.

The blog is the first node, breadth first, whose `@type` is or includes `LiveBlogPosting`: the
document itself, an element of a top-level list, a node of `@graph`, or an object nested deeper (a
`WebPage`'s `mainEntity`). Each of its `liveBlogUpdate` entries (`BlogPosting`, `NewsArticle`, any
type; one object or a list; a bare `{"@id": ...}` is looked up among the document's nodes) becomes
one `entry` update:

    entry_id   `@id`, else `url`, else `identifier`: the part after the blog's own url, else the
               URL fragment or last path segment (`...-live#block-u8` → `block-u8`); an entry with
               none of them gets `u-<datePublished>` (`u-20261119T061000Z`); repeats get -2, -3...
    headline   `headline`, else `name`
    body       `articleBody`, else `text`, else `description`
    published  `datePublished`, else `dateCreated`, else the blog's; ISO 8601, naive means UTC
    updated    `dateModified` when later than `published` (the revision stays 1)
    url        the entry's `url` (or an http(s) `@id`), else the blog's
    position   order by `published`, oldest first (live blogs list the newest first)

The blog's `headline` (or `name`) is every update's `blog_title`, its publisher's `name` the
`outlet`, and its `@id` (or `url`) the `blog_id`: `<last path segment>-<8 hex of a hash>`, stable
across http/https, fragments and trailing slashes; the caller's `default_blog_id` when it has none.

An entry that cannot be an update (not an object, a date that is not ISO 8601, no date at all) is a
`Reject` at its 0-based index in `liveBlogUpdate`; the others are read. A document without a
`LiveBlogPosting` raises `ParseError`.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import orjson
from pydantic import ValidationError

from schemas import RawUpdate
from streams.errors import InvalidShapeError, ParseError
from streams.ingest.records import Archive, Reject

__all__ = ["find_live_blog", "parse_jsonld", "parse_jsonld_bytes"]

_BLOG_TYPE = "LiveBlogPosting"
_VOCABULARIES = ("http://schema.org/", "https://schema.org/", "schema:")
_MAX_SLUG = 60
_MAX_KEY = 120


@dataclass(frozen=True, slots=True)
class _Entry:
    index: int
    key: str | None
    headline: str | None
    body: str
    published: datetime
    updated: datetime | None
    url: str | None


def parse_jsonld_bytes(data: bytes, *, default_blog_id: str) -> Archive:
    """Parse a JSON-LD file's bytes (UTF-8, with or without a byte-order mark)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8: {exc}") from exc
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ParseError(f"not JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from exc
    return parse_jsonld(doc, default_blog_id=default_blog_id)


def find_live_blog(doc: Any) -> dict[str, Any] | None:
    """The first `LiveBlogPosting` node of a parsed JSON-LD document, breadth first, or None."""
    return next((node for node in _walk(doc) if _has_type(node, _BLOG_TYPE)), None)


def parse_jsonld(doc: Any, *, default_blog_id: str) -> Archive:
    """The updates of the first `LiveBlogPosting` in a parsed JSON-LD document (see the module doc)."""
    blog = find_live_blog(doc)
    if blog is None:
        raise ParseError("no schema.org LiveBlogPosting found (looked in lists, @graph and nested objects)")
    nodes = _index(doc)
    blog_urls = [u for u in (_text(blog.get("url")), _text(blog.get("@id"))) if u and "://" in u]
    blog_published = _blog_date(blog)
    items = blog.get("liveBlogUpdate")
    items = items if isinstance(items, list) else [] if items is None else [items]
    entries: list[_Entry] = []
    rejects: list[Reject] = []
    for index, item in enumerate(items):
        try:
            entries.append(_entry(index, _resolve(item, nodes), blog_published))
        except InvalidShapeError as exc:
            rejects.append(Reject(index, exc.reason, str(exc), _raw(item)))
    newest_first = len(entries) > 1 and entries[0].published > entries[-1].published
    entries.sort(key=lambda e: (e.published, -e.index if newest_first else e.index))
    blog_id = _blog_id(blog) or default_blog_id
    title = _text(blog.get("headline")) or _text(blog.get("name"))
    outlet = _name(_resolve(blog.get("publisher"), nodes))
    updates: list[RawUpdate] = []
    for entry, entry_id in zip(entries, _entry_ids(entries, blog_urls), strict=True):
        try:
            updates.append(
                RawUpdate(
                    blog_id=blog_id,
                    entry_id=entry_id,
                    published=entry.published,
                    updated=entry.updated,
                    kind="entry",
                    headline=entry.headline,
                    body=entry.body,
                    url=entry.url or (blog_urls[0] if blog_urls else None),
                    outlet=outlet,
                    position=len(updates),
                    blog_title=title,
                )
            )
        except ValidationError as exc:
            rejects.append(Reject(entry.index, "invalid_shape", str(exc), _raw(items[entry.index])))
    return Archive(updates, sorted(rejects, key=lambda r: r.position))


def _walk(doc: Any) -> Iterator[dict[str, Any]]:
    """Every object of the document, breadth first (no recursion: nesting depth cannot hurt)."""
    queue: deque[Any] = deque([doc])
    while queue:
        value = queue.popleft()
        if isinstance(value, dict):
            yield value
            queue.extend(value.values())
        elif isinstance(value, list):
            queue.extend(value)


def _has_type(node: dict[str, Any], name: str) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and _local(t) == name for t in types)


def _local(term: str) -> str:
    for prefix in _VOCABULARIES:
        if term.startswith(prefix):
            return term[len(prefix) :]
    return term


def _index(doc: Any) -> dict[str, dict[str, Any]]:
    """Nodes by `@id`, the fullest one when an id is repeated (a reference and its node)."""
    nodes: dict[str, dict[str, Any]] = {}
    for node in _walk(doc):
        ident = node.get("@id")
        if isinstance(ident, str) and len(node) > len(nodes.get(ident, {})):
            nodes[ident] = node
    return nodes


def _resolve(value: Any, nodes: dict[str, dict[str, Any]]) -> Any:
    """The node a bare reference (`{"@id": ...}`) points at; anything else as it is."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
        ident = value.get("@id")
        if isinstance(ident, str):
            return nodes.get(ident, value)
    return value


def _entry(index: int, node: Any, blog_published: datetime | None) -> _Entry:
    if not isinstance(node, dict):
        raise InvalidShapeError(f"a liveBlogUpdate entry must be an object, not {type(node).__name__}")
    published = _date(node, "datePublished") or _date(node, "dateCreated") or blog_published
    if published is None:
        raise InvalidShapeError("entry has no datePublished and the blog has none either")
    modified = _date(node, "dateModified")
    url = _text(node.get("url")) or _text(node.get("@id"))
    return _Entry(
        index=index,
        key=_key(node),
        headline=_text(node.get("headline")) or _text(node.get("name")),
        body=_text(node.get("articleBody")) or _text(node.get("text")) or _text(node.get("description")) or "",
        published=published,
        updated=modified if modified is not None and modified > published else None,
        url=url if url and url.startswith(("http://", "https://")) else None,
    )


def _text(value: Any) -> str | None:
    """A string, a JSON-LD value object's `@value`, or a list of them (paragraphs); else None."""
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        parts = [p.strip() for p in value if isinstance(p, str) and p.strip()]
        return "\n\n".join(parts) or None
    return None


def _date(node: dict[str, Any], name: str) -> datetime | None:
    """The ISO 8601 date(-time) `node[name]` in UTC; None when absent; `InvalidShapeError` when bad."""
    value = node.get(name)
    if value is None:
        return None
    text = _text(value)
    try:
        if text is None:
            raise ValueError("not a string")
        when = datetime.fromisoformat(text)
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise InvalidShapeError(f"{name} {value!r:.60} is not an ISO 8601 date-time: {exc}") from exc


def _blog_date(blog: dict[str, Any]) -> datetime | None:
    for name in ("datePublished", "dateCreated", "coverageStartTime"):
        try:
            if (when := _date(blog, name)) is not None:
                return when
        except InvalidShapeError:
            continue
    return None


def _name(value: Any) -> str | None:
    """A publisher's name: `{"name": ...}`, a list of such (the first that has one), or a string."""
    for item in value if isinstance(value, list) else [value]:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name:
            return name
    return None


def _key(node: dict[str, Any]) -> str | None:
    for name in ("@id", "url", "identifier"):
        value = node.get(name)
        if isinstance(value, dict) and "value" in value:
            value = value["value"]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        text = _text(value)
        if text and not text.startswith("_:"):  # a blank node id is not stable
            return text
    return None


def _entry_ids(entries: list[_Entry], blog_urls: list[str]) -> list[str]:
    """Entry ids in `entries` order, each unique: repeats get -2, -3, ... (later entries)."""
    used: set[str] = set()
    out: list[str] = []
    for entry in entries:
        base = _entry_key(entry.key, blog_urls) if entry.key else None
        base = base or "u-" + entry.published.strftime("%Y%m%dT%H%M%SZ")
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out.append(candidate)
    return out


def _entry_key(key: str, blog_urls: list[str]) -> str | None:
    """The short id in an entry's `@id`/`url`/`identifier`; None when it is just the blog's own url."""
    rest = key
    for blog_url in blog_urls:
        if key.rstrip("/#") == blog_url.rstrip("/#"):
            return None
        if key.startswith(blog_url):
            rest = key[len(blog_url) :]
            break
    if "#" in rest and rest.rpartition("#")[2]:
        rest = rest.rpartition("#")[2]
    elif "://" in rest:
        try:
            parts = urlsplit(rest)
        except ValueError:
            parts = None
        if parts is not None:
            segments = [s for s in parts.path.split("/") if s]
            rest = "-".join(s for s in (segments[-1] if segments else parts.netloc, parts.query) if s)
    slug = re.sub(r"[^A-Za-z0-9._:-]+", "-", rest).strip("-._:")
    return slug if slug and len(slug) <= _MAX_KEY else "u-" + _digest(key, 16)


def _blog_id(blog: dict[str, Any]) -> str | None:
    for name in ("@id", "url"):
        iri = _text(blog.get(name))
        if iri and not iri.startswith("_:"):
            return _stable_id(iri)
    return None


def _stable_id(iri: str) -> str:
    """`<slug of the last path segment>-<hash>`, the same for http/https, a fragment or a trailing slash."""
    try:
        parts = urlsplit(iri)
        netloc, path, query = parts.netloc.lower(), parts.path.rstrip("/"), parts.query
    except ValueError:
        netloc, path, query = "", iri, ""
    canonical = f"{netloc}{path}?{query}" if netloc else iri.partition("#")[0] or iri
    segments = [s for s in path.split("/") if s] or [netloc]
    slug = re.sub(r"[^a-z0-9]+", "-", segments[-1].lower()).strip("-")[:_MAX_SLUG].rstrip("-")
    return f"{slug or 'blog'}-{_digest(canonical, 8)}"


def _digest(text: str, size: int) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:size]


def _raw(item: Any) -> bytes:
    try:
        return orjson.dumps(item)
    except TypeError:
        return repr(item).encode("utf-8", "backslashreplace")
