"""Activity windows: tumbling by event time, the same whatever the arrival order, bounded by retention."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from streams.activity import Activity, fold, is_expired, series, window_key, window_start

T0 = datetime(2027, 8, 25, 6, tzinfo=UTC).timestamp()
events = st.lists(st.tuples(st.floats(0, 30 * 3600), st.integers(0, 9)), max_size=60)


def run(items: list[tuple[float, int]], retain: int = 24 * 7) -> Activity:
    state: Activity = {}
    for offset, figures in items:
        state = fold(state, T0 + offset, figures, retain=retain)
    return state


@given(st.floats(0, 4e9), st.sampled_from([60, 900, 3600, 86400]))
def test_a_time_falls_in_exactly_one_window(ts: float, size: int) -> None:
    start = window_start(ts, size)
    assert start % size == 0 and start <= ts < start + size


def test_updates_and_figures_are_counted_per_hour_of_event_time() -> None:
    state = run([(10, 3), (3599, 0), (3600, 2), (-1, 5)])  # -1: the hour before T0
    assert series(state) == [
        ("2027-08-25T05:00:00Z", {"updates": 1, "figures": 5}),
        ("2027-08-25T06:00:00Z", {"updates": 2, "figures": 3}),
        ("2027-08-25T07:00:00Z", {"updates": 1, "figures": 2}),
    ]
    assert window_key(T0 + 90 * 60, size=1800) == "2027-08-25T07:30:00Z"


@given(events.flatmap(lambda items: st.tuples(st.just(items), st.permutations(items))))
def test_the_counts_do_not_depend_on_arrival_order(
    pair: tuple[list[tuple[float, int]], list[tuple[float, int]]],
) -> None:
    """Within the retention (30 h of events, a week kept), any arrival order draws the same chart."""
    ordered, shuffled = pair
    assert run(sorted(ordered)) == run(shuffled)
    assert sum(c["updates"] for c in run(shuffled).values()) == len(ordered)


@given(events, st.integers(1, 12))
def test_only_the_latest_windows_are_kept(items: list[tuple[float, int]], retain: int) -> None:
    state = run(items, retain=retain)
    assert len(state) <= retain
    if items:
        newest = window_start(T0 + max(t for t, _ in items))
        assert all(datetime.fromisoformat(k).timestamp() > newest - retain * 3600 for k in state)


def test_an_update_older_than_the_retained_windows_is_not_counted() -> None:
    state = run([(48 * 3600, 1)], retain=24)
    assert fold(state, T0, 4, retain=24) == state


def test_a_blog_whose_windows_are_all_past_the_retention_is_expired() -> None:
    state = run([(0, 1)], retain=24)
    assert not is_expired(state, T0 + 23 * 3600, retain=24)
    assert is_expired(state, T0 + 24 * 3600, retain=24)
