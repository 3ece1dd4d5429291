"""Current values, derived from the set of claims: per series, and a headline per (metric, subject, place).

State for one (metric, subject, place) group: series key → claim id → claim (as JSON). Everything here is
a function of that state, so the same claims in any order, any number of times, give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from schemas import Claim, SourceValue, TotalsRow
from streams import ledger
from streams.authority import authority

Group = dict[str, dict[str, Any]]

#: When two claims are equally recent, the more precise statement wins ("1,189" over "nearly 1,200").
PRECISION = {"exact": 4, "at_least": 3, "at_most": 2, "range": 1, "approx": 0}

#: Counts that only grow as reports come in (a later, smaller report is an older or partial one). The others
#: are stocks that can fall (people still trapped, people displaced): for those the latest report wins.
CUMULATIVE = frozenset({"killed", "injured", "casualties", "refugees", "evacuated", "aid"})

#: A rounded restatement ("nearly 1,200") within this fraction of a precise figure (1,189) is a mention of it.
ROUNDING = 0.05

HEADLINE_SOURCE = "*"


def apply(group: Group, claim: Claim) -> Group:
    """The group after one ledger operation (a new dict; empty series are dropped). Idempotent."""
    updated = dict(group)
    series = ledger.apply(group.get(claim.series_key, {}), claim)
    if series:
        updated[claim.series_key] = series
    else:
        updated.pop(claim.series_key, None)
    return updated


def _value(figure: Mapping[str, Any]) -> float:
    value = figure.get("value")
    if value is None:
        value = figure.get("value_high") or figure.get("value_low") or 0.0
    return float(value)


def _recency(claim: Mapping[str, Any]) -> tuple[str, str, int, float]:
    figure = claim["figure"]
    published = datetime.fromisoformat(claim["published"])
    as_of = figure.get("as_of") or published.date().isoformat()
    return (as_of, published.isoformat(), PRECISION[figure["qualifier"]], _value(figure))


def _size(claim: Mapping[str, Any]) -> tuple[float, int, tuple[str, str, int, float]]:
    figure = claim["figure"]
    return (_value(figure), PRECISION[figure["qualifier"]], _recency(claim))


def _precise_twin(best: Mapping[str, Any], claims: Iterable[Mapping[str, Any]]) -> Mapping[str, Any]:
    """A precise claim that `best`, a rounded or upper-bound statement, restates; else `best` itself."""
    if best["figure"]["qualifier"] not in ("approx", "at_most"):
        return best
    top = _value(best["figure"])
    twins = [
        c
        for c in claims
        if c["figure"]["qualifier"] in ("exact", "at_least") and top * (1 - ROUNDING) <= _value(c["figure"]) <= top
    ]
    return max(twins, key=_size) if twins else best


def current_claim(metric: str, series: Mapping[str, Any]) -> Mapping[str, Any]:
    """The claim that is the series' current value.

    Cumulative metrics: the largest reported value (a smaller, older restatement never lowers it; a revision
    withdraws the claim it replaces, so corrections still move it down). Stocks: the most recent report.
    Either way a rounded restatement gives way to the precise figure it rounds.
    """
    claims = list(series.values())
    best = max(claims, key=_size) if metric in CUMULATIVE else max(claims, key=_recency)
    return _precise_twin(best, claims)


def _interval(figure: Mapping[str, Any]) -> tuple[float, float]:
    """The values a statement allows, with rounding slack."""
    qualifier, value = figure["qualifier"], _value(figure)
    if qualifier == "range":
        low, high = float(figure.get("value_low") or 0.0), float(figure.get("value_high") or 0.0)
    elif qualifier == "at_least":
        low, high = value, float("inf")
    elif qualifier == "at_most":
        low, high = 0.0, value
    else:
        low = high = value
    return (low * (1 - ROUNDING), high * (1 + ROUNDING))


def agree(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two statements can both be true (their intervals, with rounding slack, overlap)."""
    (a_low, a_high), (b_low, b_high) = _interval(a), _interval(b)
    return a_low <= b_high and b_low <= a_high


def distinct_claims(series: Mapping[str, Any]) -> int:
    """How many different claims a series holds: statements that agree with each other are one claim."""
    kept: list[Mapping[str, Any]] = []
    for claim in sorted(series.values(), key=lambda c: (_size(c), c["claim_id"])):
        figure = claim["figure"]
        if not any(agree(figure, k["figure"]) and figure.get("as_of") == k["figure"].get("as_of") for k in kept):
            kept.append(claim)
    return len(kept)


def series_row(key: str, series: Mapping[str, Any], now: datetime) -> TotalsRow | None:
    """One source's series as a totals row; None when it has no claims (a tombstone)."""
    if not series:
        return None
    metric, source = key.split("|")[0], key.split("|")[3]
    best = current_claim(metric, series)
    return _row(key, "series", source, best, now, claims=distinct_claims(series), mentions=len(series))


def headline_row(group_key: str, group: Mapping[str, Mapping[str, Any]], now: datetime) -> TotalsRow | None:
    """The headline of a (metric, subject, place), with every source's value beside it, flagged where it disagrees.

    The rule: the most authoritative kind of source (`streams.authority`); among equals, the source the blogs
    restate most (its figure is the one the story leans on), then the most recent, most precise, largest.
    None when the group is empty.
    """
    metric = group_key.split("|")[0]
    current = {key.rsplit("|", 1)[1]: current_claim(metric, s) for key, s in group.items() if s}
    if not current:
        return None
    mentions = {key.rsplit("|", 1)[1]: len(s) for key, s in group.items()}
    chosen = max(current, key=lambda src: (authority(src), mentions[src], _recency(current[src])))
    head = current[chosen]
    sources = [
        SourceValue(
            source=src,
            value=claim["figure"].get("value"),
            value_low=claim["figure"].get("value_low"),
            value_high=claim["figure"].get("value_high"),
            qualifier=claim["figure"]["qualifier"],
            as_of=claim["figure"].get("as_of"),
            authority=authority(src),
            agrees=agree(claim["figure"], head["figure"]),
        )
        for src, claim in sorted(current.items(), key=lambda kv: (-authority(kv[0]), kv[0]))
    ]
    return _row(
        f"{group_key}|{HEADLINE_SOURCE}",
        "headline",
        chosen,
        head,
        now,
        claims=sum(distinct_claims(s) for s in group.values()),
        mentions=sum(len(s) for s in group.values()),
        conflict=not all(s.agrees for s in sources),
        sources=sources,
    )


def _row(key: str, row: str, source: str, best: Mapping[str, Any], now: datetime, **extra: Any) -> TotalsRow:
    figure = best["figure"]
    metric, subject, place = key.split("|")[:3]
    return TotalsRow.model_validate(
        {
            "key": key,
            "row": row,
            "metric": metric,
            "subject": subject,
            "place": place,
            "source": source,
            "value": figure.get("value"),
            "value_low": figure.get("value_low"),
            "value_high": figure.get("value_high"),
            "qualifier": figure["qualifier"],
            "unit": figure.get("unit", "people"),
            "as_of": figure.get("as_of"),
            "entry_id": best["entry_id"],
            "blog_id": best["blog_id"],
            "text": figure.get("text", ""),
            "updated_at": now,
            **extra,
        }
    )
