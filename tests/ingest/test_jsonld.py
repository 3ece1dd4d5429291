"""The schema.org LiveBlogPosting (JSON-LD) parser, on our flood blog and on small documents."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.errors import ParseError
from streams.ingest.jsonld import find_live_blog, parse_jsonld, parse_jsonld_bytes
from streams.ingest.records import Archive

BLOGS = Path(__file__).resolve().parents[1] / "data" / "blogs"
FLOOD = BLOGS / "flood-jsonld.json"
BLOG_URL = "https://news.example.com/uk-news/live/2026/nov/19/yorkshire-floods-ouse-aire-live"


def flood() -> Archive:
    return parse_jsonld_bytes(FLOOD.read_bytes(), default_blog_id="unused")


def entry(n: int, published: str, **extra: Any) -> dict[str, Any]:
    return {
        "@type": "BlogPosting",
        "@id": f"https://x.example/live/blog#u{n}",
        "headline": f"Update {n}",
        "articleBody": f"Body {n}.",
        "datePublished": published,
        **extra,
    }


def blog(*entries: Any, **extra: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": "https://x.example/live/blog",
        "headline": "A blog",
        "liveBlogUpdate": list(entries),
        **extra,
    }


def test_flood_blog_gives_one_entry_per_update_oldest_first() -> None:
    archive = flood()
    assert archive.rejects == []
    assert [u.entry_id for u in archive.updates] == [f"block-u{n}" for n in range(1, 12)]
    assert [u.position for u in archive.updates] == list(range(11))
    assert all(a.published < b.published for a, b in zip(archive.updates, archive.updates[1:], strict=False))
    first = archive.updates[0]
    assert first.kind == "entry"
    assert first.headline == "Severe flood warnings in place across Yorkshire"
    assert first.body.startswith("Hello and welcome.")
    assert first.body.count("\n\n") == 2
    assert first.published == datetime(2026, 11, 19, 6, 10, tzinfo=UTC)
    assert first.url == f"{BLOG_URL}#block-u1"


def test_flood_blog_level_fields() -> None:
    updates = flood().updates
    assert {u.blog_title for u in updates} == {
        "Yorkshire floods: third death confirmed as Ouse and Aire burst their banks – live"
    }
    assert {u.outlet for u in updates} == {"The Northern Ledger"}
    (blog_id,) = {u.blog_id for u in updates}
    assert re.fullmatch(r"yorkshire-floods-ouse-aire-live-[0-9a-f]{8}", blog_id)


def test_a_revised_update_keeps_revision_1_and_sets_updated() -> None:
    by_id = {u.entry_id: u for u in flood().updates}
    revised = by_id["block-u8"]
    assert revised.revision == 1
    assert revised.published == datetime(2026, 11, 19, 15, 5, tzinfo=UTC)
    assert revised.updated == datetime(2026, 11, 19, 16, 40, tzinfo=UTC)
    # dateModified equal to datePublished is not an update
    assert all(u.updated is None for u in by_id.values() if u.entry_id != "block-u8")


def test_every_update_named_by_the_gold_file_exists() -> None:
    gold = json.loads((BLOGS / "flood-jsonld.figures.json").read_text(encoding="utf-8"))
    named = {m for c in gold["claims"] for s in c["stated_in"] for m in re.findall(r"update (block-u\d+)", s)}
    assert named <= {u.entry_id for u in flood().updates}


def test_blog_id_is_stable_across_scheme_fragment_and_trailing_slash() -> None:
    ids = {
        parse_jsonld(blog(entry(1, "2026-01-01T00:00:00Z"), **{"@id": iri}), default_blog_id="x").updates[0].blog_id
        for iri in (
            "https://x.example/live/blog",
            "http://x.example/live/blog/",
            "https://X.EXAMPLE/live/blog#liveblog",
        )
    }
    assert len(ids) == 1
    other = parse_jsonld(
        blog(entry(1, "2026-01-01T00:00:00Z"), **{"@id": "https://x.example/live/other"}), default_blog_id="x"
    )
    assert other.updates[0].blog_id not in ids


def test_blog_id_falls_back_to_url_then_to_the_default() -> None:
    doc = blog(entry(1, "2026-01-01T00:00:00Z"))
    del doc["@id"]
    assert (
        parse_jsonld({**doc, "url": "https://x.example/a/b"}, default_blog_id="x").updates[0].blog_id.startswith("b-")
    )
    assert parse_jsonld({**doc, "@id": "_:b0"}, default_blog_id="file-stem").updates[0].blog_id == "file-stem"


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param(lambda b: b, id="top-level"),
        pytest.param(lambda b: [{"@type": "Organization", "name": "o"}, b], id="in-a-list"),
        pytest.param(lambda b: {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, b]}, id="in-@graph"),
        pytest.param(lambda b: {"@type": "WebPage", "mainEntity": b}, id="nested"),
        pytest.param(lambda b: {**b, "@type": ["NewsArticle", "LiveBlogPosting"]}, id="type-list"),
        pytest.param(lambda b: {**b, "@type": "https://schema.org/LiveBlogPosting"}, id="full-iri"),
    ],
)
def test_the_blog_is_found_wherever_it_is(wrap: Any) -> None:
    doc = wrap(blog(entry(2, "2026-01-01T10:00:00Z"), entry(1, "2026-01-01T09:00:00Z")))
    assert find_live_blog(doc) is not None
    assert [u.entry_id for u in parse_jsonld(doc, default_blog_id="x").updates] == ["u1", "u2"]


def test_graph_references_are_resolved() -> None:
    full = entry(1, "2026-01-01T09:00:00Z")
    doc = {
        "@graph": [
            blog({"@id": full["@id"]}, publisher={"@id": "#org"}),
            {"@id": "#org", "@type": "Organization", "name": "The Courier"},
            full,
        ]
    }
    (update,) = parse_jsonld(doc, default_blog_id="x").updates
    assert (update.entry_id, update.headline, update.outlet) == ("u1", "Update 1", "The Courier")


def test_no_live_blog_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"no schema\.org LiveBlogPosting"):
        parse_jsonld({"@type": "NewsArticle", "headline": "x"}, default_blog_id="x")
    with pytest.raises(ParseError, match="not JSON"):
        parse_jsonld_bytes(b'{"@type": "LiveBlogPosting",', default_blog_id="x")
    with pytest.raises(ParseError, match="not UTF-8"):
        parse_jsonld_bytes(b'{"headline": "\xff"}', default_blog_id="x")


def test_byte_order_mark_and_empty_blog() -> None:
    data = b"\xef\xbb\xbf" + orjson.dumps(blog())
    assert parse_jsonld_bytes(data, default_blog_id="x") == Archive([], [])


def test_bad_entries_are_rejected_by_index_and_the_rest_read() -> None:
    doc = blog(
        entry(1, "2026-01-01T09:00:00Z"),
        "just a string",
        entry(3, "yesterday"),
        entry(4, "2026-01-01T11:00:00Z", dateModified=5),
        {"@type": "BlogPosting", "headline": "no date anywhere"},
        entry(6, "2026-01-01T12:00:00Z"),
    )
    archive = parse_jsonld(doc, default_blog_id="x")
    assert [u.entry_id for u in archive.updates] == ["u1", "u6"]
    assert [(r.position, r.reason) for r in archive.rejects] == [(i, "invalid_shape") for i in (1, 2, 3, 4)]
    assert orjson.loads(archive.rejects[1].raw)["datePublished"] == "yesterday"
    assert "ISO 8601" in archive.rejects[1].error


def test_dates_fall_back_and_are_normalised_to_utc() -> None:
    doc = blog(
        entry(1, "2026-07-14T09:15:00+01:00"),
        {"@id": "https://x.example/live/blog#u2", "headline": "dated by the blog", "articleBody": "b"},
        entry(3, "2026-07-14T10:00:00"),  # naive: UTC
        datePublished="2026-07-14T06:00:00Z",
    )
    by_id = {u.entry_id: u.published for u in parse_jsonld(doc, default_blog_id="x").updates}
    assert by_id == {
        "u1": datetime(2026, 7, 14, 8, 15, tzinfo=UTC),
        "u2": datetime(2026, 7, 14, 6, 0, tzinfo=UTC),
        "u3": datetime(2026, 7, 14, 10, 0, tzinfo=UTC),
    }


def test_entry_ids_from_url_identifier_or_time_and_never_repeated() -> None:
    plain = {"@type": "BlogPosting", "headline": "h", "articleBody": "b"}
    doc = blog(
        {
            **plain,
            "url": "https://x.example/live/blog?page=with:block-abc#block-abc",
            "datePublished": "2026-01-01T01:00Z",
        },
        {**plain, "identifier": {"@type": "PropertyValue", "value": 4711}, "datePublished": "2026-01-01T02:00Z"},
        {**plain, "datePublished": "2026-01-01T03:00Z"},
        {**plain, "datePublished": "2026-01-01T03:00Z"},
        {**plain, "@id": "https://x.example/live/blog", "datePublished": "2026-01-01T04:00Z"},  # the blog's own url
        {**plain, "@id": "https://elsewhere.example/posts/99", "datePublished": "2026-01-01T05:00Z"},
        {**plain, "@id": "https://x.example/live/blog#block-abc", "datePublished": "2026-01-01T06:00Z"},
    )
    ids = [u.entry_id for u in parse_jsonld(doc, default_blog_id="x").updates]
    assert ids == [
        "block-abc",
        "4711",
        "u-20260101T030000Z",
        "u-20260101T030000Z-2",
        "u-20260101T040000Z",
        "99",
        "block-abc-2",
    ]


def test_ties_keep_the_feed_order_whichever_way_it_runs() -> None:
    same = "2026-01-01T09:00:00Z"
    newest_first = blog(entry(3, "2026-01-01T10:00:00Z"), entry(2, same), entry(1, same))
    oldest_first = blog(entry(1, same), entry(2, same), entry(3, "2026-01-01T10:00:00Z"))
    for doc in (newest_first, oldest_first):
        assert [u.entry_id for u in parse_jsonld(doc, default_blog_id="x").updates] == ["u1", "u2", "u3"]


def test_text_variants() -> None:
    doc = blog(
        {
            "@id": "https://x.example/live/blog#a",
            "name": "Named, not headlined",
            "text": ["First paragraph.", "  ", "Second paragraph."],
            "datePublished": "2026-01-01T09:00:00Z",
        },
        {
            "@id": "https://x.example/live/blog#b",
            "headline": {"@value": "A value object"},
            "datePublished": "2026-01-01T10:00:00Z",
        },
        publisher=[{"@type": "Organization"}, {"name": "Second Publisher"}],
    )
    first, second = parse_jsonld(doc, default_blog_id="x").updates
    assert (first.headline, first.body) == ("Named, not headlined", "First paragraph.\n\nSecond paragraph.")
    assert (second.headline, second.body, second.outlet) == ("A value object", "", "Second Publisher")


# --- fuzz: anything either parses or raises ParseError ---------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_fields = st.sampled_from(
    [
        *("@id", "@type", "url", "identifier", "headline", "name", "articleBody", "text", "description"),
        *("datePublished", "dateModified", "dateCreated", "publisher", "liveBlogUpdate", "@graph", "@value", "value"),
    ]
)
_values = _json | st.sampled_from(
    [
        *("LiveBlogPosting", "BlogPosting", "2026-11-19T06:10:00Z", "2026-13-01", "0001-01-01T00:00+05:00"),
        *("https://x.example/a#b", "_:b0", "#", "https://[::1", "9999-12-31T23:59:59-05:00"),
    ]
)
_nodes = st.recursive(
    st.dictionaries(_fields, _values, max_size=6),
    lambda inner: st.dictionaries(_fields, inner | st.lists(inner, max_size=3) | _values, max_size=6),
    max_leaves=12,
)


def _parses_or_parse_error(doc: Any) -> None:
    try:
        archive = parse_jsonld(doc, default_blog_id="fuzz")
    except ParseError:
        return
    assert [u.position for u in archive.updates] == list(range(len(archive.updates)))
    assert len({u.entry_id for u in archive.updates}) == len(archive.updates)


@settings(max_examples=300, deadline=None)
@given(_nodes)
def test_fuzz_structured(node: dict[str, Any]) -> None:
    _parses_or_parse_error({**node, "@type": "LiveBlogPosting"})
    _parses_or_parse_error([node])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | _json.map(orjson.dumps))
def test_fuzz_bytes(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_jsonld_bytes(data, default_blog_id="fuzz")
