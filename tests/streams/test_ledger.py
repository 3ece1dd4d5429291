"""Totals are derived from the set of claims: replays, duplicates and order change nothing."""

from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from schemas import EnrichedUpdate, Figure, RawUpdate
from streams import ledger

T0 = datetime(2022, 3, 30, 12, tzinfo=UTC)


def enriched(entry: str, *values: tuple[float, str], source: str = "OHCHR") -> EnrichedUpdate:
    update = RawUpdate(blog_id="b", entry_id=entry, published=T0, body="...")
    figures = [
        Figure(
            entry_id=entry,
            kind="entry",
            metric="killed",
            value=value,
            qualifier=qualifier,  # type: ignore[arg-type]
            subject="civilians",
            place="Ukraine",
            source=source,
            text=f"{value} killed",
        )
        for value, qualifier in values
    ]
    return EnrichedUpdate(update=update, content_hash=entry, figures=figures)


def fold(claims: list[Any]) -> dict[str, dict[str, Any]]:
    state: dict[str, dict[str, Any]] = {}
    for claim in claims:
        state[claim.series_key] = ledger.apply(state.get(claim.series_key, {}), claim)
    return state


def value_of(state: dict[str, dict[str, Any]], key: str) -> float | None:
    row = ledger.current_total(key, state[key], T0)
    assert row is not None
    return row.value


KEY = "killed|civilians|Ukraine|OHCHR"


def test_exact_beats_a_rounded_restatement_and_sources_stay_apart() -> None:
    ops = list(ledger.claims_of(enriched("e1", (1189, "exact"), (1200, "approx"))).values())
    ops += list(ledger.claims_of(enriched("e2", (145, "exact"), source="Zelensky")).values())
    state = fold(ops)
    assert value_of(state, KEY) == 1189
    assert value_of(state, "killed|civilians|Ukraine|Zelensky") == 145


def test_revision_moves_the_total_and_withdrawal_moves_it_back() -> None:
    first = enriched("e1", (1189, "exact"))
    revised = enriched("e1", (1276, "exact"))
    state = fold(list(ledger.claims_of(first).values()))
    previous = {cid: c.series_key for cid, c in ledger.claims_of(first).items()}
    state = fold_into(state, ledger.replace_claims(previous, ledger.claims_of(revised), revised))
    assert value_of(state, KEY) == 1276
    emptied = enriched("e1")
    previous = {cid: c.series_key for cid, c in ledger.claims_of(revised).items()}
    state = fold_into(state, ledger.replace_claims(previous, ledger.claims_of(emptied), emptied))
    assert state[KEY] == {}


def fold_into(state: dict[str, dict[str, Any]], ops: list[Any]) -> dict[str, dict[str, Any]]:
    for claim in ops:
        state[claim.series_key] = ledger.apply(state.get(claim.series_key, {}), claim)
    return state


def test_vague_figures_are_not_claims() -> None:
    e = enriched("e1", (200, "at_least"))
    vague = e.model_copy(update={"figures": [e.figures[0].model_copy(update={"vague": True})]})
    assert ledger.claims_of(vague) == {}


@given(st.lists(st.sampled_from(["e1", "e2", "e3"]), min_size=1, max_size=12), st.randoms())
def test_replays_and_duplicates_never_change_a_total(entries: list[str], rnd: Any) -> None:
    values = {"e1": 1000.0, "e2": 1189.0, "e3": 900.0}
    ops = [c for e in entries for c in ledger.claims_of(enriched(e, (values[e], "exact"))).values()]
    once = fold([c for e in sorted(set(entries)) for c in ledger.claims_of(enriched(e, (values[e], "exact"))).values()])
    shuffled = ops * 2
    rnd.shuffle(shuffled)
    again = fold(shuffled)
    assert again == once
    assert value_of(again, KEY) == max(values[e] for e in entries)


def test_a_smaller_older_restatement_never_lowers_a_cumulative_total() -> None:
    ops = list(ledger.claims_of(enriched("e1", (3100, "approx"))).values())
    ops += list(ledger.claims_of(enriched("e2", (3000, "approx"))).values())
    assert value_of(fold(ops), KEY) == 3100


def test_a_rounded_upper_statement_gives_way_to_the_precise_figure() -> None:
    ops = list(ledger.claims_of(enriched("e1", (1200, "approx"), (1189, "exact"), (1189, "at_least"))).values())
    row = ledger.current_total(KEY, fold(ops)[KEY], T0)
    assert row is not None and (row.value, row.qualifier) == (1189, "exact")


def test_a_stock_follows_the_latest_report_even_when_it_falls() -> None:
    later = T0.replace(hour=18)
    ops = []
    for entry, value, when in (("e1", 50.0, T0), ("e2", 30.0, later)):
        e = enriched(entry, (value, "approx"))
        figure = e.figures[0].model_copy(update={"metric": "remaining"})
        e = e.model_copy(update={"figures": [figure], "update": e.update.model_copy(update={"published": when})})
        ops += list(ledger.claims_of(e).values())
    state = fold(ops)
    (key,) = state
    row = ledger.current_total(key, state[key], T0)
    assert row is not None and row.value == 30
