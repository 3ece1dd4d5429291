"""Absurd timestamps are refused with a reason; ordinary ones (including a replay of 2022) pass."""

from datetime import UTC, datetime, timedelta

import pytest

from schemas import RawUpdate
from streams.errors import AbsurdTimeError
from streams.plausibility import check_times

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def update(published: datetime, updated: datetime | None = None) -> RawUpdate:
    return RawUpdate(blog_id="b", entry_id="e", published=published, updated=updated, body="1,189 killed")


@pytest.mark.parametrize(
    "published",
    [datetime(2022, 3, 30, tzinfo=UTC), NOW, NOW + DAY - timedelta(seconds=1), datetime(1999, 9, 1, tzinfo=UTC)],
)
def test_plausible_times_pass(published: datetime) -> None:
    check_times(update(published, published + timedelta(hours=1) if published < NOW else None), NOW, DAY)


@pytest.mark.parametrize(
    ("published", "updated", "why"),
    [
        (datetime(1970, 1, 1, tzinfo=UTC), None, "before 1991"),
        (datetime(2099, 1, 1, tzinfo=UTC), None, "after now"),
        (NOW, datetime(2099, 1, 1, tzinfo=UTC), "updated 2099"),
        (NOW, NOW - 30 * DAY, "long before published"),
    ],
)
def test_absurd_times_are_refused_with_a_reason(published: datetime, updated: datetime | None, why: str) -> None:
    with pytest.raises(AbsurdTimeError, match=why.split()[-1]) as caught:
        check_times(update(published, updated), NOW, DAY)
    assert caught.value.reason == "absurd_timestamp"
