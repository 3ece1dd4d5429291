"""The lines the follow command prints, from pure functions over `Poll` values."""

from __future__ import annotations

from streams.follow.follower import Poll, format_poll, format_summary


def test_format_poll() -> None:
    assert format_poll(Poll(1, "published", 200, new=2, revised=1, delay=30.0)) == (
        "poll 1: 2 new, 1 revised, 0 rejected; next in 30.0s"
    )
    assert format_poll(Poll(2, "failed", 503, error="HTTP 503", retry_after=2.0, delay=2.0)) == (
        "poll 2: failed: HTTP 503; next in 2.0s"
    )
    assert format_poll(Poll(3, "not_modified", 304)) == "poll 3: not modified"


def test_format_summary() -> None:
    polls = [Poll(1, "published", 200, new=3), Poll(2, "failed", None), Poll(3, "published", 200, new=1, revised=2)]
    assert format_summary("https://n.example/live", polls) == (
        "followed https://n.example/live: 3 polls, 4 new entries, 2 revisions, 1 failed"
    )
