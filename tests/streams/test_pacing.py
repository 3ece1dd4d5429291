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
