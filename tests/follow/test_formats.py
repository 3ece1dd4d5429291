"""A fetched body's format from Content-Type, URL and first bytes; the blog id of a followed URL."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from streams.errors import ParseError
from streams.follow.formats import blog_id_for_url, detect_format, parse_page

NOW = datetime(2027, 9, 1, 9, 30, tzinfo=UTC)
BLOG = {
    "@context": "https://schema.org",
    "@type": "LiveBlogPosting",
    "@id": "https://news.example/live/harbour-storm",
    "headline": "Harbour storm – live",
    "liveBlogUpdate": [
        {
            "@id": "#u1",
            "headline": "Ferries halted",
            "articleBody": "All crossings stopped.",
            "datePublished": "2027-09-01T06:00Z",
        }
    ],
}
JSON = orjson.dumps(BLOG)
HTML = b'<html><head><script type="application/ld+json">' + JSON + b"</script></head><body>x</body></html>"
TEXT = b"Harbour storm\n\nFerries halted\n\nAll crossings stopped at dawn, the port authority said.\n"


@pytest.mark.parametrize(
    ("content_type", "url", "body", "expected"),
    [
        ("application/ld+json", "https://x.example/live", b"{}", "jsonld"),
        ("application/json; charset=utf-8", "https://x.example/live.html", b"<", "jsonld"),
        ("application/activity+json", "https://x.example/live", b"{}", "jsonld"),
        ("text/html; charset=utf-8", "https://x.example/live.json", b"{", "html"),
        ("text/plain", "https://raw.example/blog.json", b"{", "jsonld"),
        ("text/plain", "https://raw.example/blog.htm", b"x", "html"),
        ("application/octet-stream", "https://x.example/live.txt", b"{", "plaintext"),
        (None, "https://x.example/live", b"\xef\xbb\xbf  [ {}", "jsonld"),
        (None, "https://x.example/live", b"\n<!doctype html>", "html"),
        ("text/plain", "https://x.example/live", b"Harbour storm", "plaintext"),
    ],
)
def test_detect_format(content_type: str | None, url: str, body: bytes, expected: str) -> None:
    assert detect_format(content_type, url, body) == expected


def test_json_and_html_give_the_same_updates() -> None:
    url = "https://news.example/live/harbour-storm"
    from_json = parse_page(JSON, content_type="application/ld+json", url=url, fetched_at=NOW)
    from_html = parse_page(HTML, content_type="text/html", url=url, fetched_at=NOW)
    assert from_json == from_html
    [entry] = from_json.updates
    assert (entry.entry_id, entry.blog_id) == ("u1", blog_id_for_url(url))


def test_plain_text_is_published_when_fetched() -> None:
    url = "https://news.example/live/harbour-storm.txt"
    [entry] = parse_page(TEXT, content_type="text/plain; charset=utf-8", url=url, fetched_at=NOW).updates
    assert (entry.headline, entry.published, entry.url) == ("Ferries halted", NOW, url)
    assert entry.blog_id == blog_id_for_url(url)


def test_a_given_blog_id_wins() -> None:
    for body, content_type in ((JSON, "application/ld+json"), (TEXT, "text/plain")):
        archive = parse_page(body, content_type=content_type, url="https://n.example/x", fetched_at=NOW, blog_id="mine")
        assert {u.blog_id for u in archive.updates} == {"mine"}


def test_the_charset_of_the_content_type_decodes_plain_text() -> None:
    body = "Tempête au port\n\nFerries à l'arrêt\n\nAucune traversée depuis l'aube, selon le port.\n".encode("latin-1")
    [entry] = parse_page(
        body, content_type="text/plain; charset=ISO-8859-1", url="https://n.example/x", fetched_at=NOW
    ).updates
    assert entry.headline == "Ferries à l'arrêt"


def test_the_url_id_is_stable() -> None:
    a = blog_id_for_url("https://news.example/live/harbour-storm/")
    assert a == blog_id_for_url("http://news.example/live/harbour-storm#latest")
    assert a.startswith("harbour-storm-") and a != blog_id_for_url("https://news.example/live/other")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><body>No blog here</body></html>", "text/html"),
        (b'{"@type": "NewsArticle"}', "application/json"),
        (b"\xff\xfe bad", "text/plain"),
        (b"text", "text/plain; charset=no-such-charset"),
    ],
)
def test_a_page_without_a_blog_is_a_parse_error(body: bytes, content_type: str) -> None:
    with pytest.raises(ParseError):
        parse_page(body, content_type=content_type, url="https://n.example/live", fetched_at=NOW)
