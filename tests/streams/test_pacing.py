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
