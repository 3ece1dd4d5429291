"""The pipeline's pure stages in one process, no broker: updates in, totals rows out.

The agents (`streams.agents`) run exactly these functions (dedup, enrich, ledger, totals) spread over topics
and tables. This in-memory fold is what the labelled checks and `liveblog eval stories` use to score the
extraction and the ledger on whole blogs quickly; the Kafka tests check the distributed run gives the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from schemas import RawUpdate, TotalsRow
from streams import dedup, ledger
from streams import totals as totals_of
from streams.enrichment import enrich_update
from streams.extract import content_hash


def fold_totals(updates: Iterable[RawUpdate], now: datetime | None = None) -> dict[str, TotalsRow]:
    """Every series and headline row (by key) after these updates, in order, as the pipeline derives them."""
    now = now or datetime.now(UTC)
    records: dict[str, ledger.EntryRecord] = {}
    series: dict[str, totals_of.Series] = {}
    for update in updates:
        key = dedup.entry_key(update)
        record = records.get(key)
        version, decision = dedup.step(record["seen"] if record else None, update, content_hash(update))
        if decision in dedup.DROPPED:
            continue
        enriched = enrich_update(update)
        current = ledger.claims_of(enriched)
        before = ledger.claims_before(record, decision)
        records[key] = ledger.entry_record(version, current, before)
        for op in ledger.replace_claims(before, current, enriched):
            series[op.series_key] = totals_of.apply(op.series_key, series.get(op.series_key, {}), op)
    rows: dict[str, TotalsRow] = {}
    heads: dict[str, totals_of.Heads] = {}
    for key, claims in sorted(series.items()):
        row = totals_of.series_row(key, claims, now)
        if row is None:
            continue
        rows[key] = row
        group, source = key.rsplit("|", 1)
        heads[group] = totals_of.with_head(heads.get(group, {}), source, row)
    for group, group_heads in heads.items():
        for source in totals_of.restated_sources(group_heads):
            del rows[f"{group}|{source}"]
        headline = totals_of.headline_row(group, group_heads, now)
        if headline is not None:
            rows[headline.key] = headline
    return rows
