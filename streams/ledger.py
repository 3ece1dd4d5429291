"""The claims ledger: figures become claims in series, and a series' current value is derived from them.

A series is (metric, subject, place, source). Every figure of an entry's current version is a claim
with a stable id; a new version of the entry replaces its claims (upserts for what it states, withdrawals
for what it no longer states). A series' value is *derived* from the set of its claims, never
accumulated with `+=`, so applying the same claim twice, or replaying a whole archive, changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from schemas import Claim, EnrichedUpdate, Figure, TotalsRow

UNKNOWN = "unknown"

#: When two claims are equally recent, the more precise statement wins ("1,189" over "nearly 1,200").
PRECISION = {"exact": 4, "at_least": 3, "at_most": 2, "range": 1, "approx": 0}


def series_key(figure: Figure) -> str:
    parts = (figure.metric, figure.subject, figure.place or UNKNOWN, figure.source or UNKNOWN)
    return "|".join(p.replace("|", "/") for p in parts)


def claim_id(blog_id: str, entry_id: str, key: str, ordinal: int) -> str:
    return f"{blog_id}|{entry_id}|{key}|{ordinal}"


def claims_of(enriched: EnrichedUpdate) -> dict[str, Claim]:
    """The claims an entry's current version makes, by claim id. Vague figures are not claims."""
    update = enriched.update
    out: dict[str, Claim] = {}
    seen_in_series: dict[str, int] = {}
    for figure in enriched.figures:
        if figure.vague:
            continue
        key = series_key(figure)
        ordinal = seen_in_series.get(key, 0)
        seen_in_series[key] = ordinal + 1
        cid = claim_id(update.blog_id, update.entry_id, key, ordinal)
        out[cid] = Claim(
            claim_id=cid,
            series_key=key,
            op="upsert",
            blog_id=update.blog_id,
            entry_id=update.entry_id,
            published=update.published,
            figure=figure,
        )
    return out


def replace_claims(previous: Mapping[str, str], current: Mapping[str, Claim], enriched: EnrichedUpdate) -> list[Claim]:
    """Ledger operations turning an entry's previous claims (claim id → series key) into its current ones."""
    update = enriched.update
    ops = list(current.values())
    for cid in sorted(previous.keys() - current.keys()):
        ops.append(
            Claim(
                claim_id=cid,
                series_key=previous[cid],
                op="withdraw",
                blog_id=update.blog_id,
                entry_id=update.entry_id,
                published=update.published,
            )
        )
    return ops


def apply(series: dict[str, Any], claim: Claim) -> dict[str, Any]:
    """A series state (claim id → claim as JSON-able dict) after one ledger operation. Idempotent."""
    updated = dict(series)
    if claim.op == "withdraw":
        updated.pop(claim.claim_id, None)
    else:
        updated[claim.claim_id] = claim.model_dump(mode="json")
    return updated


#: Counts that only grow as reports come in (a later, smaller report is an older or partial one). The others
#: are stocks that can fall (people still trapped, people displaced): for those the latest report wins.
CUMULATIVE = frozenset({"killed", "injured", "casualties", "refugees", "evacuated", "aid"})

#: A rounded restatement ("nearly 1,200") within this fraction of a precise figure (1,189) is a mention of it.
ROUNDING = 0.05


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


def current_total(key: str, series: Mapping[str, Any], now: datetime) -> TotalsRow | None:
    """The series' current value: as a totals row (see `current_claim`); None when it has no claims."""
    if not series:
        return None
    metric, subject, place, source = key.split("|")
    best = current_claim(metric, series)
    figure = best["figure"]
    return TotalsRow(
        key=key,
        metric=metric,
        subject=subject,
        place=place,
        source=source,
        value=figure.get("value"),
        value_low=figure.get("value_low"),
        value_high=figure.get("value_high"),
        qualifier=figure["qualifier"],
        unit=figure.get("unit", "people"),
        as_of=figure.get("as_of"),
        claims=len(series),
        entry_id=best["entry_id"],
        blog_id=best["blog_id"],
        text=figure.get("text", ""),
        updated_at=now,
    )
