"""The `seen` state expires by event time without changing what is forwarded for anything inside the window."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from schemas import RawUpdate
from streams.dedup import SeenEntry, classify, classify_within, expired_keys, is_expired, version_of

T0 = datetime(2027, 8, 25, 6, tzinfo=UTC)
WINDOW = 3600.0
FORWARD = ("new", "revision", "retry")


def version(entry: int, revision: int, start: int = 0) -> SeenEntry:
    """Entry `entry` at `revision`: modified 30 minutes later per revision, content set by the revision."""
    published = T0 + timedelta(minutes=start)
    update = RawUpdate(
        blog_id="b", entry_id=f"e{entry}", revision=revision, published=published,
        updated=published + timedelta(minutes=30 * revision),
    )  # fmt: skip
    return version_of(update, f"{entry}-{revision}")


def test_an_entry_expires_once_its_last_version_is_older_than_the_window() -> None:
    seen = version(0, 1)  # modified at T0 + 30 min
    at = (T0 + timedelta(minutes=30)).timestamp()
    assert not is_expired(seen, at + WINDOW, WINDOW)
    assert is_expired(seen, at + WINDOW + 1, WINDOW)
    assert expired_keys([("b|e0", seen), ("b|e1", version(1, 3))], at + WINDOW + 1, WINDOW) == ["b|e0"]


def test_a_version_older_than_the_window_with_nothing_seen_is_late() -> None:
    old = version(0, 1)
    watermark = (T0 + timedelta(hours=5)).timestamp()
    assert classify_within(None, old, watermark, WINDOW) == "late"
    assert classify_within(old, old, watermark, WINDOW) == "redelivery"  # still compared when it is there
    assert classify_within(None, version(0, 1, start=4 * 60), watermark, WINDOW) == "new"


@given(
    st.dictionaries(st.integers(0, 3), st.integers(0, 300), min_size=1),
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), min_size=1, max_size=40),
)
def test_sweeping_changes_nothing_inside_the_window(starts: dict[int, int], events: list[tuple[int, int]]) -> None:
    """The same events with and without a sweep after each one: inside the window, the same ones go on."""
    kept: dict[str, SeenEntry] = {}
    swept: dict[str, SeenEntry] = {}
    watermark = 0.0
    for entry, revision in events:
        current = version(entry, revision, starts.get(entry, 0))
        key = f"b|e{entry}"
        plain = classify(kept.get(key), current)
        if plain in ("new", "revision"):
            kept[key] = current
        watermark = max(watermark, datetime.fromisoformat(current["updated"]).timestamp())
        windowed = classify_within(swept.get(key), current, watermark, WINDOW)
        if windowed in ("new", "revision"):
            swept[key] = current
        for gone in expired_keys(swept.items(), watermark, WINDOW):
            del swept[gone]
        if windowed != "late":
            assert (plain in FORWARD) == (windowed in FORWARD)
        assert all(not is_expired(s, watermark, WINDOW) for s in swept.values())
