"""Issue 4 on the seed, without a broker: its labelled claims come out as one series each (the Kafka run of the
same stages is `tests/integration/test_dedup_ledger.py`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemas import TotalsRow
from streams.extract.scoring import source_matches
from streams.ingest.archive import load_updates
from streams.offline import fold_totals
from tests.conftest import shared_file

#: Two labels name one reporter: "Irpin Mayor" (the servicemen killed) is Oleksandr Makrushin of the other label.
SAME_REPORTER = {"Irpin Mayor": "Irpin Mayor Oleksandr Markushyn (via Reuters)"}


def matches(row: TotalsRow, claim: dict[str, Any]) -> bool:
    value = (claim.get("value"), claim.get("value_low"), claim.get("value_high"))
    return (
        (row.metric, row.subject, row.place) == (claim["metric"], claim["subject"], claim["place"])
        and (row.value, row.value_low, row.value_high) == value
        and row.qualifier == claim["qualifier"]
        and source_matches(row.source, SAME_REPORTER.get(claim["source"], claim["source"]))
    )


@pytest.fixture(scope="module")
def seed_series() -> tuple[dict[str, TotalsRow], list[dict[str, Any]]]:
    path: Path = shared_file("seed/liveblog-2022-03-30.txt")
    rows = fold_totals(load_updates(path))
    gold = json.loads((path.parent / "figures.json").read_text(encoding="utf-8"))["claims"]
    return {k.split("|", 1)[1]: r for k, r in rows.items() if r.row == "series"}, gold


def test_every_labelled_claim_is_the_current_value_of_one_series(seed_series: Any) -> None:
    series, gold = seed_series
    # "nearly 3,000 civilian casualties" is, by its label, an older rounding of the 3,100 series: a claim of it.
    current = [c for c in gold if c["id"] != "un-casualties-3000"]
    for claim in current:
        found = [key for key, row in series.items() if matches(row, claim)]
        assert len(found) == 1, (claim["id"], found)
    assert series["casualties|civilians|Ukraine|UN"].claims == 2  # 3,000 then 3,100: two claims, one series


def test_the_seed_gives_no_other_series(seed_series: Any) -> None:
    series, gold = seed_series
    labelled = {key for key, row in series.items() if any(matches(row, c) for c in gold)}
    assert set(series) == labelled
    # 21 claims in 20 series: "nearly 3,000" is an older claim of the 3,100 series. The restatements ("the newly
    # announced $500 million President Biden promised", "the four million who have fled") are mentions.
    assert len(series) == 20


def test_restatements_are_mentions_and_sources_that_disagree_a_conflict(seed_series: Any) -> None:
    series, _ = seed_series
    refugees = series["refugees|people|Ukraine|UN"]
    assert refugees.claims == 1 and refugees.mentions >= 4  # bullet, two entries, a caption, headline
    killed = series["killed|civilians|Ukraine|OHCHR"]
    assert killed.claims == 1 and killed.mentions >= 3  # the breakdown, "nearly 1,200", "U.N. data shows"
    rows = fold_totals(load_updates(shared_file("seed/liveblog-2022-03-30.txt")))
    children = rows["blog/liveblog-2022-03-30|killed|children|Ukraine|*"]
    assert children.conflict and children.value == 108 and children.source == "OHCHR"
    assert {(s.source, s.value, s.agrees) for s in children.sources} == {
        ("OHCHR", 108, True),
        ("UNICEF", 100, True),
        ("Volodymyr Zelensky", 145, False),
    }
