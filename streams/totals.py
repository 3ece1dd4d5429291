"""Current values, derived from the set of claims: per series, and a headline per (story, metric, subject, place).

A series' state is its claims (claim id → compact claim), at most `MAX_CLAIMS` of them; a group's state is
the current row of each of its sources. Everything here is a function of that state, so the same claims in
any order, any number of times, give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from schemas import Claim, SourceValue, TotalsRow
from streams.authority import authority
from streams.ledger import UN_PARENT, UNKNOWN, parse_group, parse_series

Series = dict[str, dict[str, Any]]
Heads = dict[str, dict[str, Any]]

#: When two claims are equally recent, the more precise statement wins ("1,189" over "nearly 1,200").
PRECISION = {"exact": 4, "at_least": 3, "at_most": 2, "range": 1, "approx": 0}

#: Counts that only grow as reports come in (a later, smaller report is an older or partial one). The others
#: are stocks that can fall (people still trapped, people displaced): for those the latest report wins.
CUMULATIVE = frozenset({"killed", "injured", "casualties", "refugees", "evacuated", "aid"})

#: A rounded restatement ("nearly 1,200") within this fraction of a precise figure (1,189) is a mention of it.
ROUNDING = 0.05

#: A series keeps at most this many claims, the highest-ranked: state stays bounded on years-long stories.
#: A retired claim could only become current again if more than this many better claims were withdrawn.
MAX_CLAIMS = 50

HEADLINE_SOURCE = "*"

#: Metrics whose "source" is who gives, not who reports: the US pledging $25m and the EU €5m are two
#: pledges, not two reports of one quantity, so they never disagree.
DONOR_SERIES = frozenset({"aid"})


def compact(claim: Claim) -> dict[str, Any]:
    """What a series keeps of a claim (the series key already says story, metric, subject, place and source)."""
    figure = claim.figure
    assert figure is not None
    return {
        "v": figure.value,
        "lo": figure.value_low,
        "hi": figure.value_high,
        "q": figure.qualifier,
        "unit": figure.unit,
        "as_of": figure.as_of,
        "pub": claim.published.astimezone(UTC).isoformat(),
        "entry": claim.entry_id,
        "blog": claim.blog_id,
        "text": figure.text[:200],
        **({"down": True} if figure.revised_down else {}),
    }


def _value(c: Mapping[str, Any]) -> float:
    value = c.get("v")
    if value is None:
        value = c.get("hi") or c.get("lo") or 0.0
    return float(value)


def _recency(c: Mapping[str, Any]) -> tuple[str, str, int, float]:
    # "pub" is an ISO time in UTC, so strings compare like times and its first ten characters are the date.
    return (c.get("as_of") or c["pub"][:10], c["pub"], PRECISION[c["q"]], _value(c))


def _size(c: Mapping[str, Any]) -> tuple[float, int, tuple[str, str, int, float]]:
    return (_value(c), PRECISION[c["q"]], _recency(c))


def _rank(metric: str) -> Any:
    return _size if metric in CUMULATIVE else _recency


def _kept(c: Mapping[str, Any]) -> tuple[bool, Any]:
    """Which claims of a cumulative series to keep: downward revisions first (newest first), then the largest."""
    return (True, c["pub"]) if c.get("down") else (False, _size(c))


def apply(key: str, series: Series, claim: Claim) -> Series:
    """The series after one ledger operation (a new dict). Idempotent; keeps the `MAX_CLAIMS` best claims (for a
    cumulative metric the downward revisions, then the largest; for a stock the most recent), each ranked on its
    own, so the same claims in any order keep the same ones."""
    updated = dict(series)
    if claim.op == "withdraw":
        updated.pop(claim.claim_id, None)
        return updated
    updated[claim.claim_id] = compact(claim)
    if len(updated) > MAX_CLAIMS:
        metric = parse_series(key)[0].metric
        rank = _kept if metric in CUMULATIVE else _recency
        keep = sorted(updated, key=lambda cid: (rank(updated[cid]), cid), reverse=True)[:MAX_CLAIMS]
        updated = {cid: updated[cid] for cid in keep}
    return updated


def _precise_twin(best: Mapping[str, Any], claims: Iterable[Mapping[str, Any]]) -> Mapping[str, Any]:
    """A precise claim that `best`, a rounded or upper-bound statement, restates; else `best` itself."""
    if best["q"] not in ("approx", "at_most"):
        return best
    top = _value(best)
    claims = list(claims)
    twins = [c for c in claims if c["q"] in ("exact", "at_least") and top * (1 - ROUNDING) <= _value(c) <= top]
    if not twins and best["q"] == "at_most":  # "up to 300" in a headline, "between 200 and 300" in the body
        twins = [c for c in claims if c["q"] == "range" and top * (1 - ROUNDING) <= _value(c) <= top]
    return max(twins, key=_size) if twins else best


def _revision_cutoff(claims: Iterable[Mapping[str, Any]]) -> str | None:
    """When the newest downward revision among `claims` was published; None when none is one."""
    return max((c["pub"] for c in claims if c.get("down")), default=None)


def _stands(claim: Mapping[str, Any], cutoff: str | None) -> bool:
    """Whether a claim outlives the revision published at `cutoff`: the revision itself and what came after it.
    Larger claims published with or before it are what it corrects."""
    return cutoff is None or claim["pub"] > cutoff or (claim["pub"] == cutoff and bool(claim.get("down")))


def since_revision(claims: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The claims a downward revision leaves standing: the newest revision (by publication) and the claims
    published after it; every claim when none is a revision."""
    claims = list(claims)
    cutoff = _revision_cutoff(claims)
    return [c for c in claims if _stands(c, cutoff)]


def current_claim(metric: str, series: Mapping[str, Any]) -> Mapping[str, Any]:
    """The claim that is the series' current value.

    Cumulative metrics: the largest reported value (a smaller, older restatement never lowers it), counted from
    the newest downward revision ("revised down to 96", `Figure.revised_down`) on: that revision lowers it, a
    larger claim published later raises it again. An edited entry withdraws the claims it replaces, so its
    corrections move it down too. Stocks: the most recent report. Either way a rounded restatement gives way to
    the precise figure it rounds.
    """
    claims = since_revision(series.values()) if metric in CUMULATIVE else list(series.values())
    return _precise_twin(max(claims, key=_rank(metric)), claims)


def _interval(c: Mapping[str, Any]) -> tuple[float, float]:
    """The values a statement allows, with rounding slack."""
    qualifier, value = c["q"], _value(c)
    if qualifier == "range":
        low, high = float(c.get("lo") or 0.0), float(c.get("hi") or 0.0)
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
    """How many different claims a series holds: statements that agree and share an as-of are one claim
    (compared in value order with the last claim counted, so a chain of close roundings is one claim)."""
    count = 0
    last: Mapping[str, Any] | None = None
    for c in sorted(series.values(), key=lambda c: (c.get("as_of") or "", _value(c), PRECISION[c["q"]])):
        if last is None or c.get("as_of") != last.get("as_of") or not agree(c, last):
            count += 1
            last = c
    return count


def series_row(key: str, series: Mapping[str, Any], now: datetime) -> TotalsRow | None:
    """One source's series as a totals row; None when it has no claims (a tombstone)."""
    if not series:
        return None
    (story, metric, subject, place), source = parse_series(key)
    best = current_claim(metric, series)
    return TotalsRow(
        key=key,
        story=story,
        metric=metric,
        subject=subject,
        place=place,
        source=source,
        value=best["v"],
        value_low=best["lo"],
        value_high=best["hi"],
        qualifier=best["q"],
        unit=best["unit"],
        as_of=best["as_of"],
        claims=distinct_claims(series),
        mentions=len(series),
        entry_id=best["entry"],
        blog_id=best["blog"],
        published=datetime.fromisoformat(best["pub"]),
        text=best["text"],
        revised_down=bool(best.get("down")),
        updated_at=now,
    )


def with_head(heads: Heads, source: str, row: TotalsRow | None) -> Heads:
    """A group's heads (source → its series row as JSON) after one series changed."""
    updated = dict(heads)
    if row is None:
        updated.pop(source, None)
    else:
        updated[source] = row.model_dump(mode="json", exclude={"updated_at", "sources"})
    return updated


#: Whose figures "the UN" gives when a blog quotes it, by metric, first the likeliest: the agencies that count
#: them. (UNICEF also repeats the civilian tolls, but for children only; a UN agency quoted outside its remit,
#: "UNICEF said four million have fled", is its own source.)
UN_COUNTERS: dict[str, tuple[str, ...]] = {
    "killed": ("OHCHR", "WHO"),
    "injured": ("OHCHR", "WHO"),
    "casualties": ("OHCHR", "WHO"),
    "refugees": ("UNHCR", "IOM"),
    "internally_displaced": ("IOM", "UNHCR", "OCHA"),
    "remaining": ("OCHA",),
    "missing": ("OCHA",),
    "evacuated": ("OCHA", "IOM"),
    "aid": ("OCHA", "WFP"),
}


def counters(metric: str, subject: str) -> tuple[str, ...]:
    """The UN agencies whose figure of this kind "the UN" may be restating."""
    return UN_COUNTERS.get(metric, ()) + (("UNICEF",) if subject == "children" else ())


def restated_sources(heads: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Sources of a group that only restate another's figure → the source whose figure they give (within
    `ROUNDING`): "the UN" (any spelling) → the UN agency that counts such figures (`UN_COUNTERS`); no named
    source → the named source of the group with the closest figure (the most authoritative among equals).

    A blog writes "U.N. data shows at least 1,189 civilians have been killed" in one entry and "OHCHR reports
    1,189" in another, or a caption says "the four million who have fled": one claim each, not a second
    source. Decided on the group's current rows, never on arrival order, so the same claims in any order
    fold the same way. (The UN rule inside one entry is `streams.ledger.specific_sources`.)
    """
    values = {src: _value(_as_claim(row)) for src, row in heads.items()}

    def restates(src: str, candidates: Iterable[str]) -> str | None:
        value = values[src]
        return next((c for c in candidates if abs(value - values[c]) <= ROUNDING * max(abs(value), values[c])), None)

    restated: dict[str, str] = {}
    for src in sorted(src for src in heads if src in UN_PARENT):
        agency = restates(src, [a for a in counters(heads[src]["metric"], heads[src]["subject"]) if a in heads])
        if agency is not None:
            restated[src] = agency
    if UNKNOWN in heads:  # the closest figure it may restate, then the most authoritative source of it
        gap = {src: abs(values[src] - values[UNKNOWN]) for src in heads}
        named = sorted(
            (s for s in heads if s != UNKNOWN and s not in restated), key=lambda s: (gap[s], -authority(s), s)
        )
        target = restates(UNKNOWN, named)
        if target is not None and not _newer_count(values[UNKNOWN], values[target]):
            restated[UNKNOWN] = target
    return restated


def _newer_count(own: float, named: float) -> bool:
    """Whether the blog's own figure, close above a named source's, is a count of its own rather than that figure
    restated: a precise number ("at least 141" after officials' 140) is no rounding of a smaller one; a round one
    ("more than 1,200" after 1,189) may be."""
    return own > named and not _round(own)


def _round(value: float) -> bool:
    """Whether a number is written as rounded: at most two significant digits (1,200, 140, 3 million; not 141)."""
    whole = int(value)
    return whole == value and whole % 10 ** max(1, len(str(whole)) - 2) == 0


def restating_candidates(heads: Mapping[str, Any]) -> list[str]:
    """The sources of a group that may be restating another (whether they do depends on the others)."""
    return sorted(src for src in heads if src in UN_PARENT or src == UNKNOWN)


def visible_heads(heads: Mapping[str, Mapping[str, Any]]) -> Heads:
    """A group's heads with each restating source folded into the one it restates (its mentions added there)."""
    restated = restated_sources(heads)
    visible = {src: dict(row) for src, row in heads.items() if src not in restated}
    for src, agency in restated.items():
        visible[agency]["mentions"] += heads[src]["mentions"]
    return visible


def _as_claim(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "v": row["value"],
        "lo": row["value_low"],
        "hi": row["value_high"],
        "q": row["qualifier"],
        "as_of": row["as_of"],
        "pub": row.get("published") or "1970-01-01T00:00:00+00:00",
        **({"down": True} if row.get("revised_down") else {}),
    }


def choose_headline(
    metric: str,
    heads: Mapping[str, Mapping[str, Any]],
    claims: Mapping[str, Mapping[str, Any]],
    own: tuple[str, Mapping[str, Any]] | None = None,
) -> str:
    """The source whose value is the headline (see `headline_row`). `own` is the blog's own voice when it was folded
    into a source it restates: that source, and the blog's own claim."""
    if metric in CUMULATIVE:
        chosen = max(
            heads,
            key=lambda src: (authority(src), _value(claims[src]), heads[src]["mentions"], _recency(claims[src]), src),
        )
        voice, own_claim = own or (UNKNOWN, claims.get(UNKNOWN))
        if own_claim is not None and _later_higher(own_claim, claims[chosen]):
            return voice  # the blog's own later, higher toll: the newest knowledge, in its own voice
        if voice == UNKNOWN and own_claim is not None and _precise_over_rounded(own_claim, claims[chosen]):
            return voice
        return chosen
    return max(heads, key=lambda src: (authority(src), _recency(claims[src]), heads[src]["mentions"], src))


def _precise_over_rounded(own: Mapping[str, Any], chosen: Mapping[str, Any]) -> bool:
    """Whether the blog's own precise toll is what the chosen source's rounded lower bound rounds ("at least 141"
    beside officials' "more than 140"): as within a series (`_precise_twin`), the precise figure is the value."""
    low, top = _value(chosen), _value(own)
    return (
        chosen["q"] in ("at_least", "approx")
        and _round(low)
        and own["q"] in ("exact", "at_least")
        and not _round(top)
        and low < top <= low * (1 + ROUNDING)
    )


def _later_higher(own: Mapping[str, Any], chosen: Mapping[str, Any]) -> bool:
    """Whether the blog's own claim is a larger toll published after the chosen source's."""
    return _value(own) > _value(chosen) and own["pub"] > chosen["pub"]


def standing_heads(metric: str, heads: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The heads a headline may take its value from: for a cumulative metric, a source whose value is a downward
    revision outdates the values of every source published before it (`since_revision`); all heads otherwise."""
    if metric not in CUMULATIVE:
        return dict(heads)
    claims = {src: _as_claim(row) for src, row in heads.items()}
    cutoff = _revision_cutoff(claims.values())
    return {src: row for src, row in heads.items() if _stands(claims[src], cutoff)}


def headline_row(group_key: str, heads: Mapping[str, Mapping[str, Any]], now: datetime) -> TotalsRow | None:
    """The headline of a (story, metric, subject, place), every source's value beside it, flagged where it disagrees.

    The rule (`choose_headline`), over the sources left once restatements are folded in (`visible_heads`): the
    most authoritative kind of source (`streams.authority`); among equals, for cumulative metrics the largest
    value, for stocks the most recent report, then the source the blogs restate most; and for a cumulative
    metric the blog's own later, higher toll over the chosen one (when the blog's own figure
    restates a source's and is folded into it, that source's), and the blog's own precise toll over a chosen
    rounded lower bound it fits (`_precise_over_rounded`). For a cumulative metric the choice is made among
    the sources a downward revision leaves standing (`standing_heads`, before restatements are folded, so that the
    blog's own "death toll revised down to 96" counts); every source is still shown. None when no source has a
    claim.
    """
    metric = parse_group(group_key).metric
    every = {source: _as_claim(row) for source, row in heads.items()}  # folding adds mentions only: claims stay
    standing = standing_heads(metric, heads)
    eligible = visible_heads(standing)
    heads = visible_heads(heads)
    if not heads:
        return None
    echoed = restated_sources(standing).get(UNKNOWN)
    own = (echoed, every[UNKNOWN]) if echoed is not None else None
    chosen = choose_headline(metric, eligible, {source: every[source] for source in eligible}, own)
    head = eligible[chosen]
    claims = {source: every[source] for source in heads}
    best = every[chosen]
    sources = [
        SourceValue(
            source=src,
            value=row["value"],
            value_low=row["value_low"],
            value_high=row["value_high"],
            qualifier=row["qualifier"],
            as_of=row["as_of"],
            authority=authority(src),
            agrees=metric in DONOR_SERIES or agree(claims[src], best),
        )
        for src, row in sorted(heads.items(), key=lambda kv: (-authority(kv[0]), kv[0]))
    ]
    return TotalsRow.model_validate(
        {
            **head,
            "key": f"{group_key}|{HEADLINE_SOURCE}",
            "row": "headline",
            "claims": sum(row["claims"] for row in heads.values()),
            "mentions": sum(row["mentions"] for row in heads.values()),
            "conflict": not all(s.agrees for s in sources),
            "sources": sources,
            "updated_at": now,
        }
    )
