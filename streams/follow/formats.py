"""A fetched body to updates: its format chosen by Content-Type, else the URL, else its first bytes.

| Content-Type                                | URL ends with   | body starts with | format      |
|---------------------------------------------|-----------------|------------------|-------------|
| `application/ld+json`, `application/json`,  | `.json`         | `{` or `[`       | `jsonld`    |
| `*+json`                                    |                 |                  |             |
| `text/html`, `application/xhtml+xml`        | `.html`, `.htm` | `<`              | `html`      |
| anything else (`text/plain`, none, ...)     | `.txt`          | anything else    | `plaintext` |

The Content-Type decides when it names JSON or HTML; a vaguer one (`text/plain` from a raw file
host, `application/octet-stream`, none) leaves it to the URL, then to sniffing.

The blog id is the `--blog-id` given, else the page's own (JSON-LD `@id`/`url`), else one derived from
the URL the way `jsonld` derives it from an `@id`: `<last path segment>-<8 hex of a hash>`. A plain
text page has no times: its entries are `published` when the follower first sees them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from streams.errors import ParseError
from streams.ingest.html import parse_html
from streams.ingest.jsonld import _stable_id, parse_jsonld_bytes
from streams.ingest.plaintext import parse_plaintext
from streams.ingest.records import Archive

__all__ = ["Format", "blog_id_for_url", "detect_format", "parse_page"]

Format = Literal["jsonld", "html", "plaintext"]

_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_BOM = b"\xef\xbb\xbf"


def detect_format(content_type: str | None, url: str, body: bytes) -> Format:
    """The format of a response (see the module doc)."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in ("application/ld+json", "application/json") or mime.endswith("+json"):
        return "jsonld"
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    path = urlsplit(url).path.lower()
    if path.endswith(".json"):
        return "jsonld"
    if path.endswith((".html", ".htm")):
        return "html"
    if path.endswith((".txt", ".text")):
        return "plaintext"
    head = body.removeprefix(_BOM).lstrip()[:1]
    if head in (b"{", b"["):
        return "jsonld"
    if head == b"<":
        return "html"
    return "plaintext"


def blog_id_for_url(url: str) -> str:
    """A stable blog id for a followed URL (the same for http/https, a fragment or a trailing slash)."""
    return _stable_id(url)


def parse_page(
    body: bytes, *, content_type: str | None, url: str, fetched_at: datetime, blog_id: str | None = None
) -> Archive:
    """The updates and rejects of a fetched page; `ParseError` when it holds no live blog."""
    kind = detect_format(content_type, url, body)
    default_id = blog_id or blog_id_for_url(url)
    charset = _charset(content_type)
    if kind == "jsonld":
        archive = parse_jsonld_bytes(body, default_blog_id=default_id)
    elif kind == "html":
        archive = parse_html(_decode(body, charset) if charset else body, default_blog_id=default_id)
    else:
        text = _decode(body, charset or "utf-8-sig")
        archive = Archive(parse_plaintext(text, blog_id=default_id, published=fetched_at, url=url))
    if blog_id is None:
        return archive
    return Archive([u.model_copy(update={"blog_id": blog_id}) for u in archive.updates], archive.rejects)


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match[1] if match else None


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode("utf-8-sig" if charset.lower() in ("utf-8", "utf8") else charset)
    except LookupError as exc:
        raise ParseError(f"unknown charset {charset!r}") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(f"not {charset} text: {exc}") from exc
