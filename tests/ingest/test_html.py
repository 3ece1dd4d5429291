"""Saved HTML pages: the LiveBlogPosting in their JSON-LD blocks, whatever else is on the page."""

from __future__ import annotations

import contextlib
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.errors import ParseError
from streams.ingest.html import jsonld_blocks, parse_html
from streams.ingest.jsonld import parse_jsonld_bytes

BLOGS = Path(__file__).resolve().parents[1] / "data" / "blogs"

LIVE_BLOG = {
    "@context": "https://schema.org",
    "@type": "LiveBlogPosting",
    "@id": "https://x.example/live/blog",
    "headline": "Café fire – live",
    "liveBlogUpdate": [
        {"@id": "https://x.example/live/blog#a", "headline": "Fire at the café", "datePublished": "2026-01-01T09:00Z"}
    ],
}


def test_the_page_gives_the_updates_of_its_json_twin() -> None:
    page = parse_html((BLOGS / "flood-jsonld.html").read_bytes(), default_blog_id="page")
    twin = parse_jsonld_bytes((BLOGS / "flood-jsonld.json").read_bytes(), default_blog_id="twin")
    assert page.rejects == []
    assert len(page.updates) == 11
    assert page.updates == twin.updates


def test_only_real_json_ld_scripts_are_read() -> None:
    blocks = jsonld_blocks((BLOGS / "flood-jsonld.html").read_bytes())
    # breadcrumbs (upper-case TYPE), the broken Organization block, the blog; not the commented-out
    # draft, the text/x-template script or the JS string that mention LiveBlogPosting
    assert len(blocks) == 3
    assert "BreadcrumbList" in blocks[0]
    assert "old-draft" not in "".join(blocks)
    assert "from a JS string" not in "".join(blocks)


def test_encoding_is_sniffed_from_the_page() -> None:
    html = (
        '<html><head><meta charset="windows-1252"><script type="application/ld+json">'
        + orjson.dumps(LIVE_BLOG).decode()
        + "</script></head><body><p>caf\u00e9</p></body></html>"
    )
    (update,) = parse_html(html.encode("windows-1252"), default_blog_id="x").updates
    assert update.headline == "Fire at the café"
    assert update.blog_title == "Café fire – live"
    (same,) = parse_html(html, default_blog_id="x").updates  # a str is not decoded again
    assert same == update


def test_type_with_parameters_and_escaped_script_end() -> None:
    body = orjson.dumps({**LIVE_BLOG, "headline": "a </script> in a string"}).decode().replace("</", "<\\/")
    html = f'<script type=" application/ld+json; charset=utf-8 ">{body}</script>'
    (update,) = parse_html(html, default_blog_id="x").updates
    assert update.blog_title == "a </script> in a string"


def test_a_page_without_a_live_blog_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no <script type=application/ld"):
        parse_html("<html><body><p>Nothing here</p></body></html>", default_blog_id="x")
    broken = '<script type="application/ld+json">{"@type": "LiveBlogPosting",}</script>'
    with pytest.raises(ParseError, match="1 of them not JSON"):
        parse_html(broken, default_blog_id="x")
    with pytest.raises(ParseError, match="not valid Unicode"):
        parse_html("\ud800", default_blog_id="x")


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=400)
    | st.text(max_size=400)
    | st.text(max_size=200).map(lambda t: f'<script type="application/ld+json">{t}</script>')
    | st.text(max_size=200).map(
        lambda t: (
            '<script type="application/ld+json">{"@type": "LiveBlogPosting", "liveBlogUpdate": [' + t + "]}</script>"
        )
    )
)
def test_fuzz(html: bytes | str) -> None:
    with contextlib.suppress(ParseError):
        parse_html(html, default_blog_id="fuzz")
