"""Totals are derived from the set of claims: replays, duplicates and order change nothing; sources never sum."""

from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from schemas import Claim, EnrichedUpdate, Figure, RawUpdate, TotalsRow
from streams import ledger, totals

T0 = datetime(2022, 3, 30, 12, tzinfo=UTC)
GROUP = "blog/b|killed|children|Ukraine"


def claims(
    entry: str,
    *values: tuple[float, str],
    source: str | None = "OHCHR",
    metric: str = "killed",
    hour: int = 12,
    subject: str = "children",
    revised_down: bool = False,
) -> list[Claim]:
    update = RawUpdate(blog_id="b", entry_id=entry, published=T0.replace(hour=hour), body="...")
    figures = [
        Figure(
            entry_id=entry,
            kind="entry",
            metric=metric,  # type: ignore[arg-type]
            value=value,
            qualifier=qualifier,  # type: ignore[arg-type]
            subject=subject,
            place="Ukraine",
            source=source,
            revised_down=revised_down,
            text=f"{value}",
        )
        for value, qualifier in values
    ]
    return list(ledger.claims_of(EnrichedUpdate(update=update, content_hash=entry, figures=figures)).values())


State = tuple[dict[str, totals.Series], dict[str, totals.Heads]]


def fold(ops: list[Claim]) -> State:
    """What the totals agent does, claim by claim: series state, then the group's heads."""
    all_series: dict[str, totals.Series] = {}
    all_heads: dict[str, totals.Heads] = {}
    for op in ops:
        key, group = op.series_key, ledger.group_key(op.series_key)
        all_series[key] = totals.apply(key, all_series.get(key, {}), op)
        row = totals.series_row(key, all_series[key], T0)
        all_heads[group] = totals.with_head(all_heads.get(group, {}), key.rsplit("|", 1)[1], row)
    return all_series, all_heads


def series(state: State, source: str, group: str = GROUP) -> TotalsRow:
    row = totals.series_row(f"{group}|{source}", state[0][f"{group}|{source}"], T0)
    assert row is not None
    return row


def headline(state: State, group: str = GROUP) -> TotalsRow:
    row = totals.headline_row(group, state[1][group], T0)
    assert row is not None
    return row


def test_a_rounded_restatement_is_a_mention_of_the_precise_claim() -> None:
    groups = fold(claims("e1", (1200, "approx"), (1189, "exact"), (1189, "at_least")))
    row = series(groups, "OHCHR")
    assert (row.value, row.qualifier, row.claims, row.mentions) == (1189, "exact", 1, 3)


def test_a_smaller_older_restatement_never_lowers_a_cumulative_total() -> None:
    groups = fold(claims("e1", (3100, "approx")) + claims("e2", (3000, "approx")))
    assert series(groups, "OHCHR").value == 3100


def test_a_stock_follows_the_latest_report_even_when_it_falls() -> None:
    ops = claims("e1", (50, "approx"), metric="remaining", hour=9) + claims("e2", (30, "approx"), metric="remaining")
    groups = fold(ops)
    assert series(groups, "OHCHR", "blog/b|remaining|children|Ukraine").value == 30


def test_sources_are_shown_side_by_side_and_a_disagreement_is_a_conflict() -> None:
    groups = fold(
        claims("e1", (108, "exact"), source="OHCHR")
        + claims("e2", (145, "exact"), source="Volodymyr Zelensky")
        + claims("e3", (100, "at_least"), source="UNICEF")
    )
    row = headline(groups)
    assert (row.row, row.key, row.value, row.source) == ("headline", f"{GROUP}|*", 108, "OHCHR")
    assert row.conflict
    assert {(s.source, s.value, s.agrees) for s in row.sources} == {
        ("OHCHR", 108, True),
        ("UNICEF", 100, True),
        ("Volodymyr Zelensky", 145, False),
    }
    assert row.value != sum(s.value or 0 for s in row.sources)


def test_sources_that_agree_are_no_conflict() -> None:
    groups = fold(claims("e1", (108, "exact")) + claims("e2", (100, "at_least"), source="UNICEF"))
    assert not headline(groups).conflict


def test_withdrawing_every_claim_empties_the_series_and_the_headline() -> None:
    ops = claims("e1", (108, "exact"))
    withdrawals = [op.model_copy(update={"op": "withdraw", "figure": None}) for op in ops]
    all_series, all_heads = fold(ops + withdrawals)
    assert all_series == {f"{GROUP}|OHCHR": {}} and all_heads == {GROUP: {}}
    assert totals.headline_row(GROUP, {}, T0) is None


def test_a_series_keeps_a_bounded_number_of_claims_and_still_the_right_value() -> None:
    ops = [op for i in range(totals.MAX_CLAIMS + 50) for op in claims(f"e{i}", (1000 + i, "exact"))]
    all_series, _ = fold(ops)
    assert len(all_series[f"{GROUP}|OHCHR"]) == totals.MAX_CLAIMS
    assert series((all_series, {}), "OHCHR").value == 1000 + totals.MAX_CLAIMS + 49


def values(state: State) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group_key, heads in state[1].items():
        row = totals.headline_row(group_key, heads, T0)
        out[group_key] = row.model_dump(exclude={"updated_at"}) if row else None
    for key, s in state[0].items():
        group, source = key.rsplit("|", 1)
        srow = None if source in totals.restated_sources(state[1][group]) else totals.series_row(key, s, T0)
        out[key] = srow.model_dump(exclude={"updated_at"}) if srow else None
    return out


@given(
    st.lists(st.sampled_from(["e1", "e2", "e3", "e4", "e5", "e6"]), min_size=1, max_size=12),
    st.randoms(use_true_random=False),
)
def test_replays_duplicates_and_order_never_change_a_total(entries: list[str], rnd: Any) -> None:
    made = {
        "e1": claims("e1", (1000, "exact")),
        "e2": claims("e2", (1189, "exact"), (1200, "approx")),
        "e3": claims("e3", (145, "exact"), source="Volodymyr Zelensky"),
        "e4": claims("e4", (100, "at_least"), source="UNICEF"),
        "e5": claims("e5", (1189, "at_least"), source="UN"),
        "e6": claims("e6", (1200, "approx"), source=None),
        "e7": claims("e7", (1150, "exact"), hour=13, revised_down=True),
        "e8": claims("e8", (1100, "exact"), source="UN", hour=14, revised_down=True),
    }
    once = fold([op for e in sorted(set(entries)) for op in made[e]])
    shuffled = [op for e in entries for op in made[e]] * 2
    rnd.shuffle(shuffled)
    assert values(fold(shuffled)) == values(once)


def test_two_donors_pledging_different_sums_are_not_a_conflict() -> None:
    state = fold(
        claims("e1", (25_000_000, "exact"), source="US", metric="aid")
        + claims("e2", (5_000_000, "exact"), source="EU", metric="aid")
    )
    row = headline(state, "blog/b|aid|children|Ukraine")
    assert not row.conflict and {s.source for s in row.sources} == {"US", "EU"}


def test_the_un_restating_a_counting_agency_in_another_entry_is_that_agency() -> None:
    """ "U.N. data shows at least 1,189 ..." in one entry, "OHCHR reports 1,189" in another: one source."""
    un_first = claims("e1", (1189, "at_least"), source="UN") + claims("e2", (1189, "exact"))
    for ops in (un_first, un_first[::-1]):
        state = fold(ops)
        assert totals.restated_sources(state[1][GROUP]) == {"UN": "OHCHR"}
        row = headline(state)
        assert [s.source for s in row.sources] == ["OHCHR"] and row.mentions == 2 and row.claims == 1
    # The agency withdraws its figure: the UN's statement stands on its own again.
    withdrawn = [op.model_copy(update={"op": "withdraw", "figure": None}) for op in claims("e2", (1189, "exact"))]
    state = fold(un_first + withdrawn)
    assert totals.restated_sources(state[1][GROUP]) == {}
    assert [s.source for s in headline(state).sources] == ["UN"]


def test_the_un_is_not_restating_an_agency_outside_its_remit_or_a_different_figure() -> None:
    refugees = "blog/b|refugees|people|Ukraine"
    state = fold(
        claims("e1", (4_000_000, "at_least"), source="UN", metric="refugees", subject="people")
        + claims("e2", (4_000_000, "exact"), source="UNICEF", metric="refugees", subject="people")
    )
    assert totals.restated_sources(state[1][refugees]) == {}  # UNICEF counts children, not all refugees
    state = fold(claims("e1", (145, "exact"), source="UN") + claims("e2", (108, "exact")))
    assert totals.restated_sources(state[1][GROUP]) == {}  # 145 is not 108 restated
    assert headline(state).conflict


def test_a_figure_without_a_source_restating_a_named_one_is_a_mention_of_it() -> None:
    state = fold(
        claims("e1", (108, "exact"))
        + claims("e2", (145, "exact"), source="Volodymyr Zelensky")
        + claims("e3", (108, "exact"), source=None)
    )
    assert totals.restated_sources(state[1][GROUP]) == {"unknown": "OHCHR"}  # the most authoritative that agrees
    assert {s.source for s in headline(state).sources} == {"OHCHR", "Volodymyr Zelensky"}
    state = fold(
        claims("e1", (108, "exact"))
        + claims("e2", (110, "exact"), source="UNICEF")
        + claims("e3", (110, "exact"), source=None)
    )
    assert totals.restated_sources(state[1][GROUP]) == {"unknown": "UNICEF"}  # the closest figure first
    state = fold(claims("e1", (108, "exact")) + claims("e3", (300, "exact"), source=None))
    assert totals.restated_sources(state[1][GROUP]) == {}  # a different figure is a source of its own


def test_an_upper_bound_gives_way_to_the_range_it_bounds() -> None:
    """ "Up to 300 civilians killed" (headline) and "between 200 and 300" (body): the range is the value."""
    update = RawUpdate(blog_id="b", entry_id="e1", published=T0, body="...")
    figures = [
        Figure(entry_id="e1", kind="entry", metric="killed", value=300, qualifier="at_most", subject="children",
               place="Ukraine", source="Mayor", text="up to 300"),
        Figure(entry_id="e1", kind="entry", metric="killed", value_low=200, value_high=300, qualifier="range",
               subject="children", place="Ukraine", source="Mayor", text="between 200 and 300"),
    ]  # fmt: skip
    ops = list(ledger.claims_of(EnrichedUpdate(update=update, content_hash="h", figures=figures)).values())
    row = series(fold(ops), "Mayor")
    assert (row.value_low, row.value_high, row.qualifier, row.mentions) == (200, 300, "range", 2)


def test_a_rising_toll_headlines_the_largest_of_equally_authoritative_sources() -> None:
    """Interior Ministry 108 stated three times, then the government's 264 once: the toll has risen."""
    state = fold(
        claims("e1", (108, "exact"), source="Interior Ministry", hour=9)
        + claims("e2", (108, "exact"), source="Interior Ministry", hour=10)
        + claims("e3", (108, "exact"), source="Interior Ministry", hour=11)
        + claims("e4", (264, "exact"), source="Haiti Government", hour=12)
    )
    row = headline(state)
    assert (row.value, row.source, row.conflict) == (264, "Haiti Government", True)


def test_the_blogs_own_later_higher_toll_is_the_headline_but_never_an_older_or_lower_one() -> None:
    official = claims("e1", (264, "exact"), source="Interior Ministry", hour=10)
    later_higher = fold(official + claims("e2", (800, "exact"), source=None, hour=14))
    assert (headline(later_higher).value, headline(later_higher).source) == (800, "unknown")
    earlier_higher = fold(official + claims("e2", (800, "exact"), source=None, hour=8))
    assert (headline(earlier_higher).value, headline(earlier_higher).source) == (264, "Interior Ministry")
    later_lower = fold(official + claims("e2", (200, "exact"), source=None, hour=14))
    assert (headline(later_lower).value, headline(later_lower).source) == (264, "Interior Ministry")
    # A named source below the most authoritative gets no such say: the children killed of the seed stay OHCHR's.
    seed_like = fold(claims("e1", (108, "exact"), hour=10) + claims("e2", (145, "exact"), source="Zelensky", hour=14))
    assert (headline(seed_like).value, headline(seed_like).source) == (108, "OHCHR")


def test_the_blogs_own_later_higher_toll_counts_when_it_echoes_a_less_authoritative_source() -> None:
    # "Civil protection says 40 have died" in the morning; the prime minister gives 130 in the evening and the
    # blog's own summary repeats 130: the blog's own voice is folded into the minister's series, and still wins.
    official = claims("e1", (40, "exact"), source="Civil Protection Agency", hour=9)
    minister = claims("e2", (130, "exact"), source="Prime Minister", hour=17)
    echoed = fold(official + minister + claims("e3", (130, "at_least"), source=None, hour=18))
    assert (headline(echoed).value, headline(echoed).source) == (130, "Prime Minister")
    assert headline(fold(official + minister)).value == 40  # no own voice: the authority rule alone
    earlier = fold(official + minister + claims("e3", (130, "at_least"), source=None, hour=8))
    assert headline(earlier).value == 40


def test_the_blogs_own_precise_count_close_above_a_source_is_its_own_not_a_restatement() -> None:
    # Officials gave 140 in the morning; the blog's own "at least 141" in the evening is a newer count: it stays a
    # series of its own and, later and higher, is the headline. A round "more than 150" would be a restatement.
    official = claims("e1", (140, "exact"), source="Officials", subject="people", hour=10)
    group = "blog/b|killed|people|Ukraine"
    newer = fold(official + claims("e2", (141, "at_least"), source=None, subject="people", hour=14))
    assert totals.restated_sources(newer[1][group]) == {}
    assert (headline(newer, group).value, headline(newer, group).source) == (141, "unknown")
    rounded = fold(official + claims("e2", (145, "approx"), source=None, subject="people", hour=14))
    assert totals.restated_sources(rounded[1][group]) == {}  # 145 is not round either
    echo = fold(official + claims("e2", (140, "at_least"), source=None, subject="people", hour=14))
    assert totals.restated_sources(echo[1][group]) == {"unknown": "Officials"}


def test_the_blogs_own_precise_count_beats_a_sources_rounded_lower_bound_it_fits() -> None:
    # The blog's "at least 141" and, later, officials' "more than 140": the precise figure is the headline value.
    own = claims("e1", (141, "at_least"), source=None, subject="people", hour=10)
    group = "blog/b|killed|people|Ukraine"
    state = fold(own + claims("e2", (140, "at_least"), source="Officials", subject="people", hour=14))
    assert (headline(state, group).value, headline(state, group).source) == (141, "unknown")
    exact = fold(own + claims("e2", (140, "exact"), source="Officials", subject="people", hour=14))
    assert headline(exact, group).source == "Officials"  # an exact 140 is a count, not a rounding of 141
    far = fold(own + claims("e2", (100, "at_least"), source="Officials", subject="people", hour=14))
    assert headline(far, group).source == "Officials"  # "more than 100" does not round 141


def test_a_downward_revision_lowers_a_cumulative_series_until_a_later_larger_claim() -> None:
    before = claims("e1", (103, "exact"), hour=10) + claims("e2", (104, "exact"), hour=11)
    revised = claims("e3", (96, "exact"), hour=12, revised_down=True)
    assert series(fold(before + revised), "OHCHR").value == 96
    assert series(fold(revised + before), "OHCHR").value == 96  # arrival order does not matter, only publication
    assert series(fold(before + revised), "OHCHR").revised_down
    later = claims("e4", (106, "exact"), hour=14)
    assert series(fold(before + revised + later), "OHCHR").value == 106
    # A larger figure published with the revision ("down to 96 from an earlier 103") is what it corrects.
    same_time = claims("e3", (96, "exact"), hour=12, revised_down=True) + claims("e3b", (103, "exact"), hour=12)
    same_entry = fold(before + same_time)
    assert series(same_entry, "OHCHR").value == 96
    # A revision older than the largest value does not lower it; withdrawing the revision restores the largest.
    older = claims("e0", (90, "exact"), hour=9, revised_down=True)
    assert series(fold(before + older), "OHCHR").value == 104
    withdrawn = ledger.replace_claims({c.claim_id: c.series_key for c in revised}, {}, _enriched("e3", 12))
    assert series(fold(before + revised + withdrawn), "OHCHR").value == 104


def _enriched(entry: str, hour: int) -> EnrichedUpdate:
    update = RawUpdate(blog_id="b", entry_id=entry, published=T0.replace(hour=hour), body="...")
    return EnrichedUpdate(update=update, content_hash=entry + "-edited")


def test_a_stock_ignores_the_revision_flag_and_follows_the_latest_report() -> None:
    ops = claims("e1", (50, "exact"), metric="remaining", hour=12, revised_down=True)
    ops += claims("e2", (80, "exact"), metric="remaining", hour=10)
    assert series(fold(ops), "OHCHR", group="blog/b|remaining|children|Ukraine").value == 50


def test_a_downward_revision_outdates_older_values_of_every_source_in_the_headline() -> None:
    official = claims("e1", (103, "exact"), source="Civil Protection", hour=10)
    official += claims("e2", (103, "exact"), source="AP", hour=11)
    own_revision = fold(official + claims("e3", (96, "exact"), source=None, hour=12, revised_down=True))
    row = headline(own_revision)
    assert (row.value, row.revised_down) == (96, True)
    assert {s.source for s in row.sources} >= {"Civil Protection", "AP"}  # every source is still shown
    named = fold(official + claims("e3", (96, "exact"), source="Prefecture", hour=12, revised_down=True))
    assert (headline(named).value, headline(named).source) == (96, "Prefecture")
    raised = fold(
        official
        + claims("e3", (96, "exact"), source=None, hour=12, revised_down=True)
        + claims("e4", (108, "exact"), source="AP", hour=13)
    )
    assert (headline(raised).value, headline(raised).source) == (108, "AP")


def test_a_series_keeps_its_downward_revision_among_its_bounded_claims() -> None:
    ops = [op for i in range(totals.MAX_CLAIMS + 5) for op in claims(f"e{i}", (1000 + i, "exact"), hour=10)]
    ops += claims("r", (900, "exact"), hour=12, revised_down=True)
    ops += [op for i in range(5) for op in claims(f"x{i}", (2000 + i, "exact"), hour=9)]
    assert series(fold(ops), "OHCHR").value == 900


def test_a_stock_headlines_the_latest_report_of_the_most_authoritative_kind() -> None:
    """People still trapped fall as they are rescued: among equals the latest, however often the older was said."""
    state = fold(
        claims("e1", (500, "exact"), source="OCHA", metric="remaining", hour=9)
        + claims("e2", (500, "exact"), source="OCHA", metric="remaining", hour=10)
        + claims("e3", (120, "exact"), source="UNHCR", metric="remaining", hour=14)
    )
    row = headline(state, "blog/b|remaining|children|Ukraine")
    assert (row.value, row.source) == (120, "UNHCR")
