"""Read a saved live-blog page: its `<script type="application/ld+json">` blocks, then `jsonld`.

The HTML parser is selectolax (its Lexbor engine), chosen over beautifulsoup4 + lxml because:

- it implements the WHATWG HTML parsing algorithm, so the text of a `<script>` is exactly what a
  browser would hand to `JSON.parse`, however broken the rest of the page (libxml2, under lxml,
  is an HTML 4 parser with its own recovery rules, and bs4 is one more layer over it);
- bytes are decoded by the HTML Standard's encoding sniffing (byte-order mark, `<meta charset>`),
  so a page saved in windows-1252 reads as well as a UTF-8 one;
- one package with binary wheels (no libxml2 to build), typed (`py.typed`), maintained, and fast
  (no tree of Python objects: a large page takes milliseconds).

Never regular expressions: a `<script>` inside a comment, attributes in any order, case or quoting,
and the page's encoding are the parser's business.
"""

from __future__ import annotations

from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser

from streams.errors import ParseError
from streams.ingest.jsonld import find_live_blog, parse_jsonld
from streams.ingest.records import Archive

__all__ = ["jsonld_blocks", "parse_html"]

_JSONLD = "application/ld+json"


def jsonld_blocks(html: bytes | str) -> list[str]:
    """The text of each `<script type="application/ld+json">` of a page, in page order.

    Bytes are decoded as the HTML Standard says (BOM, then `<meta charset>`, else UTF-8); a `str`
    is taken as it is.
    """
    if isinstance(html, str):  # already decoded: a <meta charset> must not re-decode it
        try:
            html.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError("not valid Unicode (lone surrogate code point)") from exc
    tree = LexborHTMLParser(html, encoding=isinstance(html, bytes))
    return [
        script.text(deep=True)
        for script in tree.css("script")
        if (script.attributes.get("type") or "").split(";")[0].strip().lower() == _JSONLD
    ]


def parse_html(html: bytes | str, *, default_blog_id: str) -> Archive:
    """The updates of the `LiveBlogPosting` in a page's JSON-LD blocks (see `jsonld.parse_jsonld`).

    A block that is not JSON is skipped; `ParseError` when no block holds a `LiveBlogPosting`
    (naming the broken blocks, in case the blog was in one of them).
    """
    blocks = jsonld_blocks(html)
    docs: list[Any] = []
    broken: list[str] = []
    for number, text in enumerate(blocks, start=1):
        try:
            docs.append(orjson.loads(text))
        except orjson.JSONDecodeError as exc:
            broken.append(f"block {number}: {exc}")
    if find_live_blog(docs) is None:
        found = f"{len(blocks)} JSON-LD block(s)" if blocks else "no <script type=application/ld+json> block"
        detail = f"; {len(broken)} of them not JSON ({broken[0]})" if broken else ""
        raise ParseError(f"no schema.org LiveBlogPosting in the page: {found}{detail}")
    return parse_jsonld(docs, default_blog_id=default_blog_id)
