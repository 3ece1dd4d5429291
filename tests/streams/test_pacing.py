"""Replay pacing: due times follow event times divided by the speed."""

from datetime import UTC, datetime, timedelta

import pytest

from streams.pacing import due_offsets, parse_speed, progress_line

T0 = datetime(2027, 8, 25, 9, tzinfo=UTC)


def test_parse_speed() -> None:
    assert parse_speed("1x") == 1.0
    assert parse_speed("10X") == 10.0
    assert parse_speed("max") is None
    for bad in ("fast", "0x", "-2x", ""):
        with pytest.raises(ValueError):
            parse_speed(bad)


def test_an_hour_at_ten_times_takes_six_minutes() -> None:
    times = [T0 + timedelta(minutes=m) for m in (0, 5, 30, 60)]
    assert due_offsets(times, 10.0) == [0.0, 30.0, 180.0, 360.0]
    assert due_offsets(times, None) == [0.0] * 4


def test_out_of_order_events_are_never_due_before_an_earlier_one() -> None:
    times = [T0, T0 + timedelta(seconds=20), T0 + timedelta(seconds=10)]
    assert due_offsets(times, 1.0) == [0.0, 20.0, 20.0]


def test_progress_line() -> None:
    assert progress_line(500, 1000, 2.0) == "500/1,000 events  250/s  ETA 2s"
    assert progress_line(1000, 1000, 4.0).endswith("ETA done")


def test_run_progress_shows_blogs_published_processed_rate_and_eta() -> None:
    from streams.pacing import run_progress

    line = run_progress((1_234, 4_659), 80_000, 40_000, 325_972, 100.0)
    assert (
        line == "blogs 1,234/4,659  published 80,000/325,972  processed 40,000  400/s  ETA 11m54s"
    )  # 285,972 left at 400/s
    assert run_progress((1, 1), 29, 29, 29, 2.0).endswith("ETA done")
    assert run_progress((0, 1), 0, 0, 29, 0.0).endswith("ETA ?")


def test_an_archive_of_many_blogs_is_replayed_as_it_happened() -> None:
    """Blog after blog in the file (2015, then 2012) becomes one stream in event-time order; updates of the same
    time keep their archive order, and a revision (later `updated`) comes after the version it revises."""
    from schemas import RawUpdate
    from streams.kafka.replay import in_event_time_order

    def update(blog: str, entry: str, when: datetime, updated: datetime | None = None) -> RawUpdate:
        return RawUpdate(blog_id=blog, entry_id=entry, published=when, updated=updated, body="...")

    late = [update("b2015", f"e{i}", T0.replace(year=2015) + timedelta(hours=i)) for i in range(3)]
    early = [update("b2012", f"e{i}", T0.replace(year=2012) + timedelta(hours=i)) for i in range(2)]
    tie = update("b2012", "tie", early[1].published)
    revised = update("b2012", "e0", early[0].published, updated=early[0].published + timedelta(hours=5))
    ordered = in_event_time_order([*late, *early, tie, revised])
    assert [(u.blog_id, u.entry_id) for u in ordered] == [
        ("b2012", "e0"), ("b2012", "e1"), ("b2012", "tie"), ("b2012", "e0"),
        ("b2015", "e0"), ("b2015", "e1"), ("b2015", "e2"),
    ]  # fmt: skip
    assert ordered[3] is revised
