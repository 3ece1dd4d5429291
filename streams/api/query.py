"""The API's pure part: parameter validation, filtering, keyset pagination and history, over plain table values.

Nothing here touches Faust: the views hand in what they read from the tables (`heads`: story|metric|subject|place →
{source: series row JSON}; `series`: series key → {claim id: compact claim}) and get back response models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from schemas import Metric, TotalsRow
from streams import totals as totals_of
from streams.api.models import History, HistoryPoint, StoriesPage, StoryTotals, TotalsPage
from streams.ledger import parse_group as split_group

METRICS: tuple[str, ...] = get_args(Metric)
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_TEXT = 200
MAX_CURSOR = 4 * MAX_TEXT + 3
ROWS = ("headline", "series")


class BadRequest(ValueError):
    """A parameter is missing, repeated, unknown or out of range (HTTP 400)."""


class NotFound(LookupError):
    """The thing asked for is not held here (HTTP 404)."""


@dataclass(frozen=True)
class TotalsQuery:
    story: str | None = None
    metric: str | None = None
    subject: str | None = None
    place: str | None = None
    source: str | None = None
    row: str | None = None
    conflict: bool | None = None
    limit: int = DEFAULT_LIMIT
    after: str | None = None  # the last key of the previous page (decoded cursor)


def _single(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadRequest(f"{name} is given {len(values)} times; give it once")
    return values[0]


def _text(params: Mapping[str, list[str]], name: str) -> str | None:
    value = _single(params, name)
    if value is None:
        return None
    if not value or len(value) > MAX_TEXT or "|" in value:
        raise BadRequest(f"{name} must be 1 to {MAX_TEXT} characters without '|'")
    return value


def _choice(params: Mapping[str, list[str]], name: str, choices: Iterable[str]) -> str | None:
    value = _single(params, name)
    allowed = tuple(choices)
    if value is not None and value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}")
    return value


def check_known(params: Mapping[str, list[str]], known: Iterable[str]) -> None:
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise BadRequest(f"unknown parameter(s): {', '.join(unknown)}")


def parse_limit(params: Mapping[str, list[str]], default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    raw = _single(params, "limit")
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadRequest(f"limit must be an integer from 1 to {maximum}")
    return int(raw)


def encode_cursor(key: str) -> str:
    """A cursor is the key of the last row of a page: the next page is the rows after it in key order."""
    return key


def decode_cursor(cursor: str) -> str:
    if not cursor or len(cursor) > MAX_CURSOR:
        raise BadRequest(f"cursor must be 1 to {MAX_CURSOR} characters")
    return cursor


TOTALS_PARAMS = ("story", "metric", "subject", "place", "source", "row", "conflict", "limit", "cursor")


def parse_totals_query(params: Mapping[str, list[str]], *, conflicts_only: bool = False) -> TotalsQuery:
    """Validate `/api/totals` (or `/api/conflicts`) parameters; raises `BadRequest`."""
    allowed = [p for p in TOTALS_PARAMS if not conflicts_only or p not in ("row", "conflict")]
    check_known(params, allowed)
    conflict = _choice(params, "conflict", ("true", "false"))
    cursor = _single(params, "cursor")
    return TotalsQuery(
        story=_text(params, "story"),
        metric=_choice(params, "metric", METRICS),
        subject=_text(params, "subject"),
        place=_text(params, "place"),
        source=_text(params, "source"),
        row="headline" if conflicts_only else _choice(params, "row", ROWS),
        conflict=True if conflicts_only else (None if conflict is None else conflict == "true"),
        limit=parse_limit(params),
        after=decode_cursor(cursor) if cursor is not None else None,
    )


def parse_group(params: Mapping[str, list[str]]) -> str:
    """story|metric|subject|place from `/api/totals/history` parameters (all four required)."""
    check_known(params, ("story", "metric", "subject", "place"))
    metric = _choice(params, "metric", METRICS)
    story, subject, place = _text(params, "story"), _text(params, "subject"), _text(params, "place")
    if story is None or metric is None or subject is None or place is None:
        raise BadRequest("story, metric, subject and place are all required")
    return f"{story}|{metric}|{subject}|{place}"


def group_matches(group_key: str, query: TotalsQuery) -> bool:
    story, metric, subject, place = split_group(group_key)
    return (
        (query.story is None or story == query.story)
        and (query.metric is None or metric == query.metric)
        and (query.subject is None or subject == query.subject)
        and (query.place is None or place == query.place)
    )


def rows_of(group_key: str, heads: Mapping[str, Mapping[str, Any]], now: datetime) -> list[TotalsRow]:
    """A group's headline row and each source's series row (`updated_at` is `now`: when the API derived them)."""
    headline = totals_of.headline_row(group_key, heads, now)
    if headline is None:
        return []
    restated = totals_of.restated_sources(heads)
    series = [TotalsRow.model_validate({**row, "updated_at": now}) for src, row in heads.items() if src not in restated]
    return [headline, *series]


def row_matches(row: TotalsRow, query: TotalsQuery) -> bool:
    return (
        (query.row is None or row.row == query.row)
        and (query.source is None or row.source == query.source)
        and (query.conflict is None or row.conflict == query.conflict)
    )


def totals_page(
    groups: Iterable[tuple[str, Mapping[str, Mapping[str, Any]]]], query: TotalsQuery, now: datetime
) -> TotalsPage:
    """A page of rows in key order, after `query.after`; keyset pagination is stable while rows change."""
    rows = [
        row
        for group_key, heads in groups
        if heads and group_matches(group_key, query)
        for row in rows_of(group_key, heads, now)
        if row_matches(row, query) and (query.after is None or row.key > query.after)
    ]
    rows.sort(key=lambda r: r.key)
    page, more = rows[: query.limit], len(rows) > query.limit
    return TotalsPage(items=page, next_cursor=encode_cursor(page[-1].key) if more else None, limit=query.limit)


STORIES_PARAMS = ("kind", "limit", "cursor")


def stories_page(
    groups: Iterable[tuple[str, Mapping[str, Mapping[str, Any]]]], params: Mapping[str, list[str]], now: datetime
) -> StoriesPage:
    """A page of stories with their headlines, in story order after the cursor; `kind` keeps one kind of event
    (`attack`, `earthquake`, …; `blog` for unlinked blogs)."""
    check_known(params, STORIES_PARAMS)
    kind, limit, cursor = _text(params, "kind"), parse_limit(params), _single(params, "cursor")
    after = decode_cursor(cursor) if cursor is not None else None
    by_story: dict[str, list[TotalsRow]] = {}
    for group_key, heads in groups:
        story = split_group(group_key).story
        if not heads or (kind is not None and not story.startswith(f"{kind}/")) or (after and story <= after):
            continue
        headline = totals_of.headline_row(group_key, heads, now)
        if headline is not None:
            by_story.setdefault(story, []).append(headline)
    ordered = sorted(by_story)
    page, more = ordered[:limit], len(ordered) > limit
    items = [StoryTotals(story=s, headlines=sorted(by_story[s], key=lambda r: r.key)) for s in page]
    return StoriesPage(items=items, next_cursor=encode_cursor(page[-1]) if more else None, limit=limit)


def _point(row: TotalsRow, time: datetime) -> HistoryPoint:
    return HistoryPoint(
        time=time,
        value=row.value,
        value_low=row.value_low,
        value_high=row.value_high,
        qualifier=row.qualifier,
        source=row.source,
        entry_id=row.entry_id,
    )


def _same(a: HistoryPoint, b: HistoryPoint) -> bool:
    return (a.value, a.value_low, a.value_high, a.qualifier, a.source) == (
        b.value,
        b.value_low,
        b.value_high,
        b.qualifier,
        b.source,
    )


def history(group_key: str, series_of: Mapping[str, Mapping[str, Any]], now: datetime) -> History:
    """The headline and every source's value over publication time, replaying the current claims in order.

    `series_of` maps each source to its series (claim id → compact claim, from the `series` table). The same
    rules as the live totals (`streams.totals`) decide each step, so the last point is the current headline.
    What the history cannot show: claims since withdrawn by a revision (the history is today's knowledge,
    not what was displayed then) and claims a series dropped beyond `streams.totals.MAX_CLAIMS`.
    """
    if not any(series_of.values()):
        raise NotFound(f"no claims for {group_key}")
    story, metric, subject, place = split_group(group_key)
    steps = sorted(
        ((claim["pub"], cid, source, claim) for source, series in series_of.items() for cid, claim in series.items()),
        key=lambda step: (step[0], step[1]),
    )
    state: dict[str, dict[str, Any]] = {}
    heads: dict[str, dict[str, Any]] = {}
    headline: list[HistoryPoint] = []
    sources: dict[str, list[HistoryPoint]] = {}
    unit = "people"
    for pub, cid, source, claim in steps:
        time = datetime.fromisoformat(pub)
        state.setdefault(source, {})[cid] = claim
        unit = claim.get("unit") or unit
        row = totals_of.series_row(f"{group_key}|{source}", state[source], now)
        assert row is not None
        heads = totals_of.with_head(heads, source, row)
        _append(sources.setdefault(source, []), _point(row, time))
        head = totals_of.headline_row(group_key, heads, now)
        assert head is not None
        _append(headline, _point(head, time))
    return History(
        key=group_key,
        story=story,
        metric=metric,
        subject=subject,
        place=place,
        unit=unit,
        headline=headline,
        sources=sources,
    )


def _append(points: list[HistoryPoint], point: HistoryPoint) -> None:
    if not points or not _same(points[-1], point):
        points.append(point)


def local_only(keys: Iterable[str], owned: Callable[[str], bool]) -> list[str]:
    """The keys whose partition this worker owns (list endpoints serve the local partitions only)."""
    return [key for key in keys if owned(key)]
