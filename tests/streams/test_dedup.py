"""Redeliveries are recognised, revisions win by recency, and arrival order does not matter."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from schemas import RawUpdate
from streams.dedup import SeenEntry, classify, version_of

T0 = datetime(2022, 3, 30, 12, tzinfo=UTC)


def version(revision: int, minutes: int, content: str) -> SeenEntry:
    update = RawUpdate(
        blog_id="b", entry_id="e", revision=revision, published=T0, updated=T0 + timedelta(minutes=minutes)
    )
    return version_of(update, content)


def test_first_sight_is_new() -> None:
    assert classify(None, version(1, 0, "a")) == "new"


def test_same_content_is_a_redelivery() -> None:
    assert classify(version(1, 0, "a"), version(1, 0, "a")) == "redelivery"


def test_newer_changed_content_is_a_revision_and_older_is_stale() -> None:
    old, new = version(1, 0, "a"), version(2, 5, "b")
    assert classify(old, new) == "revision"
    assert classify(new, old) == "stale"


@given(st.permutations([(1, 0, "a"), (2, 3, "b"), (2, 3, "b"), (3, 9, "c"), (1, 0, "a")]))
def test_final_version_does_not_depend_on_arrival_order(order: list[tuple[int, int, str]]) -> None:
    kept: SeenEntry | None = None
    for revision, minutes, content in order:
        current = version(revision, minutes, content)
        if classify(kept, current) in ("new", "revision"):
            kept = current
    assert kept is not None and kept["content_hash"] == "c"


def test_the_same_input_read_again_after_a_crash_is_a_retry_not_a_redelivery() -> None:
    update = RawUpdate(blog_id="b", entry_id="e", published=T0)
    first = version_of(update, "a", origin="0:41")
    assert classify(first, version_of(update, "a", origin="0:41")) == "retry"
    assert classify(first, version_of(update, "a", origin="0:97")) == "redelivery"
