"""The API's pure parts: validation, pagination, history, the recent-entries ring, the change feed, the document."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import Claim, EnrichedUpdate, Figure, RawUpdate
from streams import ledger
from streams import totals as totals_of
from streams.api import feed as feed_mod
from streams.api import openapi, query, recent
from streams.api.feed import ChangeFeed, change_feed

NOW = datetime(2022, 3, 30, 12, tzinfo=UTC)
STORY = "conflict/ukraine/2022"


def claim(metric: str, subject: str, place: str, source: str, value: float, at: int, cid: str) -> Claim:
    figure = Figure(
        entry_id=f"e{at}",
        kind="entry",
        metric=metric,
        value=value,
        subject=subject,
        place=place,
        source=source,
        text="",
    )
    return Claim(
        claim_id=cid,
        series_key=ledger.series_key(STORY, figure),
        op="upsert",
        blog_id="b",
        entry_id=f"e{at}",
        published=NOW + timedelta(hours=at),
        figure=figure,
    )


def state(claims: list[Claim]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `series` and `heads` tables after these claims, as the totals agent builds them."""
    series: dict[str, Any] = {}
    heads: dict[str, Any] = {}
    for c in claims:
        series[c.series_key] = totals_of.apply(c.series_key, series.get(c.series_key, {}), c)
        row = totals_of.series_row(c.series_key, series[c.series_key], NOW)
        group = ledger.group_key(c.series_key)
        heads[group] = totals_of.with_head(heads.get(group, {}), c.series_key.rsplit("|", 1)[1], row)
    return series, heads


SEED = [
    claim("refugees", "people", "Ukraine", "UN", 3_900_000, 0, "c1"),
    claim("refugees", "people", "Ukraine", "UNICEF", 4_000_000, 1, "c2"),
    claim("refugees", "people", "Ukraine", "UN", 4_000_000, 2, "c3"),
    claim("killed", "children", "Ukraine", "OHCHR", 108, 0, "c4"),
    claim("killed", "children", "Ukraine", "Volodymyr Zelensky", 145, 1, "c5"),
    claim("refugees", "people", "Poland", "UNHCR", 2_300_000, 0, "c6"),
]


# -- validation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"limit": ["0"]},
        {"limit": ["501"]},
        {"limit": ["ten"]},
        {"limit": ["１"]},
        {"limit": ["5", "6"]},
        {"metric": ["deaths"]},
        {"subject": [""]},
        {"place": ["a|b"]},
        {"source": ["x" * 201]},
        {"row": ["both"]},
        {"conflict": ["yes"]},
        {"colour": ["red"]},
        {"cursor": [""]},
    ],
)
def test_bad_parameters_are_refused(params: dict[str, list[str]]) -> None:
    with pytest.raises(query.BadRequest):
        query.parse_totals_query(params)


def test_good_parameters_are_parsed() -> None:
    q = query.parse_totals_query({"metric": ["killed"], "limit": ["500"], "row": ["series"], "conflict": ["false"]})
    assert (q.metric, q.limit, q.row, q.conflict) == ("killed", 500, "series", False)
    assert query.parse_totals_query({}).limit == query.DEFAULT_LIMIT
    conflicts = query.parse_totals_query({}, conflicts_only=True)
    assert (conflicts.row, conflicts.conflict) == ("headline", True)
    with pytest.raises(query.BadRequest):
        query.parse_totals_query({"row": ["series"]}, conflicts_only=True)


def test_history_needs_all_four_parts_of_the_key() -> None:
    params = {"story": [STORY], "metric": ["killed"], "subject": ["children"], "place": ["Ukraine"]}
    assert query.parse_group(params) == "conflict/ukraine/2022|killed|children|Ukraine"
    with pytest.raises(query.BadRequest):
        query.parse_group({"metric": ["killed"], "subject": ["children"], "place": ["Ukraine"]})


# -- listing and pagination ---------------------------------------------------------------------------------


def test_totals_are_headlines_and_series_rows_filtered() -> None:
    _, heads = state(SEED)
    page = query.totals_page(heads.items(), query.TotalsQuery(), NOW)
    keys = [row.key for row in page.items]
    assert keys == sorted(keys) and len(keys) == 3 + 5  # three headlines, five series
    assert page.next_cursor is None
    refugees = query.totals_page(
        heads.items(), query.parse_totals_query({"place": ["Ukraine"], "row": ["headline"]}), NOW
    )
    assert [(r.metric, r.value, r.source) for r in refugees.items] == [
        ("killed", 108, "OHCHR"),
        ("refugees", 4_000_000, "UN"),
    ]
    conflicts = query.totals_page(heads.items(), query.parse_totals_query({}, conflicts_only=True), NOW)
    assert [r.key for r in conflicts.items] == ["conflict/ukraine/2022|killed|children|Ukraine|*"]
    by_source = query.totals_page(heads.items(), query.parse_totals_query({"source": ["UNICEF"]}), NOW)
    assert [r.key for r in by_source.items] == ["conflict/ukraine/2022|refugees|people|Ukraine|UNICEF"]


@given(limit=st.integers(min_value=1, max_value=10))
def test_pages_cover_every_row_once_in_order(limit: int) -> None:
    _, heads = state(SEED)
    everything = [r.key for r in query.totals_page(heads.items(), query.TotalsQuery(limit=500), NOW).items]
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": [str(limit)], **({"cursor": [cursor]} if cursor else {})}
        page = query.totals_page(heads.items(), query.parse_totals_query(params), NOW)
        assert len(page.items) <= limit
        seen += [r.key for r in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == everything


# -- history ------------------------------------------------------------------------------------------------


def test_history_replays_the_claims_and_ends_at_the_current_headline() -> None:
    series, heads = state(SEED)
    group = "conflict/ukraine/2022|refugees|people|Ukraine"
    series_of = {source: series[f"{group}|{source}"] for source in heads[group]}
    h = query.history(group, series_of, NOW)
    assert [(p.value, p.source) for p in h.headline] == [(3_900_000, "UN"), (4_000_000, "UNICEF"), (4_000_000, "UN")]
    assert [p.time for p in h.headline] == [NOW, NOW + timedelta(hours=1), NOW + timedelta(hours=2)]
    assert [p.value for p in h.sources["UN"]] == [3_900_000, 4_000_000]
    current = totals_of.headline_row(group, heads[group], NOW)
    assert current is not None and (h.headline[-1].value, h.headline[-1].source) == (current.value, current.source)
    with pytest.raises(query.NotFound):
        query.history("conflict/ukraine/2022|killed|people|Mars", {}, NOW)


# -- recent entries -----------------------------------------------------------------------------------------


def enriched(entry: str, at: int, body: str = "text", revision: int = 1) -> EnrichedUpdate:
    update = RawUpdate(
        blog_id="b", entry_id=entry, revision=revision, published=NOW + timedelta(minutes=at), body=body, blog_title="T"
    )
    return EnrichedUpdate(update=update, content_hash=f"{entry}-{revision}-{body}")


def test_the_ring_is_bounded_newest_first_and_a_revision_replaces_its_entry() -> None:
    ring: list[dict[str, Any]] = []
    for i in range(recent.KEEP + 5):
        ring = recent.with_entry(ring, recent.entry_of(enriched(f"e{i}", i)))
    assert len(ring) == recent.KEEP
    assert [e["entry_id"] for e in ring[:2]] == [f"e{recent.KEEP + 4}", f"e{recent.KEEP + 3}"]
    again = recent.with_entry(ring, recent.entry_of(enriched(f"e{recent.KEEP + 4}", recent.KEEP + 4)))
    assert again == ring  # idempotent
    revised = recent.with_entry(ring, recent.entry_of(enriched("e10", 10, body="corrected", revision=2)))
    assert len(revised) == recent.KEEP and [e["body"] for e in revised if e["entry_id"] == "e10"] == ["corrected"]
    old = recent.with_entry(ring, recent.entry_of(enriched("ancient", -100)))
    assert old == ring  # older than everything kept: not kept
    page = recent.entries_page("b", ring, 3)
    assert [e.entry_id for e in page.items] == [e["entry_id"] for e in ring[:3]]
    (blog,) = recent.blogs([("b", ring), ("empty", [])])
    assert (blog.title, blog.entries, blog.latest) == ("T", recent.KEEP, NOW + timedelta(minutes=recent.KEEP + 4))


# -- change feed --------------------------------------------------------------------------------------------


async def test_a_slow_client_gets_a_resync_instead_of_an_unbounded_backlog() -> None:
    feed = ChangeFeed(queue=3)
    slow, quick = feed.subscribe(), feed.subscribe()
    assert slow is not None and quick is not None
    for i in range(5):
        feed.publish("total", b"%d" % i)
        got = await quick.next(0.1)
        assert got is not None and got.data == b"%d" % i
    events = [await slow.next(0.1) for _ in range(3)]
    names = [e.event if e else None for e in events]
    assert "resync" in names and slow.queue.qsize() == 0 and slow.dropped > 0
    feed.close()
    bye = await quick.next(0.1)
    assert bye is not None and bye.event == "bye"
    assert feed.subscribe() is None


async def test_publishing_without_clients_is_free_and_clients_are_capped() -> None:
    feed = ChangeFeed(max_clients=1)
    feed.publish_total("k", None)  # nobody listening: nothing kept
    client = feed.subscribe()
    assert client is not None and feed.subscribe() is None
    feed.publish_total("conflict/ukraine/2022|refugees|people|Ukraine|*", None)
    event = await asyncio.wait_for(client.queue.get(), 1)
    assert event.encode().startswith(b"id: 1\nevent: total\ndata: ") and event.encode().endswith(b"\n\n")
    feed.unsubscribe(client)
    assert feed.subscribe() is not None


def test_one_feed_per_app() -> None:
    class App:
        pass

    a, b = App(), App()
    assert change_feed(a) is change_feed(a) and change_feed(a) is not change_feed(b)
    assert feed_mod.QUEUE > 0


# -- the OpenAPI document ------------------------------------------------------------------------------------


def test_the_document_is_openapi_3_1_and_its_references_resolve() -> None:
    doc = openapi.document()
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {
        "/api/totals",
        "/api/totals/history",
        "/api/stories",
        "/api/conflicts",
        "/api/blogs",
        "/api/blogs/{blog_id}/entries",
        "/api/blogs/{blog_id}/activity",
        "/api/stream",
        "/api/openapi.json",
    }
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    names = {ref.rsplit("/", 1)[1] for ref in refs}
    assert names <= set(doc["components"]["schemas"]) and "TotalsRow" in names
    for path in doc["paths"].values():
        for response in path["get"]["responses"].values():
            assert response["description"] and response["content"]
    assert "partitions only" in doc["paths"]["/api/totals"]["get"]["description"]


def test_stories_list_each_story_with_its_headlines_and_never_mix_them() -> None:
    paris = [
        c.model_copy(update={"series_key": c.series_key.replace(STORY, "attack/paris/2031-11")})
        for c in SEED
        if c.figure is not None and c.figure.metric == "killed"
    ]
    _, heads = state(SEED + paris)
    page = query.stories_page(heads.items(), {}, NOW)
    assert [s.story for s in page.items] == ["attack/paris/2031-11", STORY]
    assert all(h.story == s.story and h.row == "headline" for s in page.items for h in s.headlines)
    paris_killed = {h.key: h.value for h in page.items[0].headlines}
    ukraine_killed = {h.key.split("|", 1)[1]: h.value for h in page.items[1].headlines if h.metric == "killed"}
    assert {k.split("|", 1)[1]: v for k, v in paris_killed.items()} == ukraine_killed  # same claims, own totals
    assert [s.story for s in query.stories_page(heads.items(), {"kind": ["attack"]}, NOW).items] == [
        "attack/paris/2031-11"
    ]
    first = query.stories_page(heads.items(), {"limit": ["1"]}, NOW)
    assert first.next_cursor == "attack/paris/2031-11"
    rest = query.stories_page(heads.items(), {"cursor": [first.next_cursor]}, NOW)
    assert [s.story for s in rest.items] == [STORY] and rest.next_cursor is None
    with pytest.raises(query.BadRequest):
        query.stories_page(heads.items(), {"story": ["x"]}, NOW)
