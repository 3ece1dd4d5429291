"""`EncodedArchive`: what `liveblog run` and `replay` publish is, record for record and byte for byte, what the
updates as models gave (`in_event_time_order`, then `update_event`), and it counts them the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import RawUpdate
from streams.ingest.archive import iter_archive, load_updates, read_archive
from streams.ingest.encoded import EncodedArchive, distinct_so_far, micros
from streams.ingest.events import update_event
from streams.ingest.spool import EventSpool, pack, unpack
from streams.kafka.replay import event_time, in_event_time_order, within
from streams.runner import Feed, expected_duplicates
from tests.ingest.archives import PLUS_ONE, SAMPLE, multi_blog_archive


def test_the_encoded_events_are_the_models_events_in_event_time_order(tmp_path: Path) -> None:
    path = multi_blog_archive(tmp_path)
    models = read_archive(path)
    expected = in_event_time_order(models.updates)
    assert len({u.blog_id for u in expected}) >= 6 and expected != models.updates
    with EncodedArchive.read(iter_archive(path)) as archive:
        ordered = archive.in_event_time_order()
        assert len(archive) == len(ordered) == len(expected)
        assert list(ordered.events()) == [update_event(u) for u in expected]
        assert ordered.times() == [event_time(u) for u in expected]
        assert archive.rejects == models.rejects and len(archive.rejects) == 1


def test_a_run_counts_the_encoded_archive_as_it_counted_the_models(tmp_path: Path) -> None:
    path = multi_blog_archive(tmp_path)
    expected = in_event_time_order(read_archive(path).updates)
    with EncodedArchive.read(iter_archive(path)) as archive:
        feed = Feed.of_archive(archive.in_event_time_order())
        models = Feed.of_updates(expected)
        assert (feed.count, list(feed.blog_marks)) == (models.count, list(distinct_so_far(u.blog_id for u in expected)))
        assert feed.duplicates == models.duplicates == expected_duplicates(expected) == 2  # redelivered, stale
        assert list(feed.events()) == list(models.events())
        again = list(feed.events())
        assert len(again) == feed.count and again == list(models.events()), "a feed's events can be read again"


def test_a_window_of_event_time_is_the_models_window(tmp_path: Path) -> None:
    path = multi_blog_archive(tmp_path)
    expected = in_event_time_order(read_archive(path).updates)
    since, until = event_time(expected[5]), event_time(expected[-5])
    with EncodedArchive.read(iter_archive(path)) as archive:
        ordered = archive.in_event_time_order(since, until)
        assert list(ordered.events()) == [update_event(u) for u in within(expected, since, until)]
        assert len(archive.in_event_time_order(until=since - timedelta(days=3650))) == 0


def test_microseconds_sort_as_the_times_do() -> None:
    when = datetime(2027, 7, 14, 9, 15, tzinfo=PLUS_ONE)
    assert micros(when) == micros(datetime(2027, 7, 14, 8, 15, tzinfo=UTC))
    assert micros(when) - micros(when - timedelta(microseconds=1)) == 1
    assert micros(when.replace(tzinfo=None)) == micros(when) + 3_600_000_000
    assert micros(datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)) == -1


def test_a_spool_gives_back_each_event_byte_for_byte_in_any_order() -> None:
    updates = [RawUpdate(blog_id="b", entry_id=f"e{i}", published=event_time(u), body=u.body) for i, u in
               enumerate(load_updates(SAMPLE))]  # fmt: skip
    events = [update_event(u) for u in updates] + [(b"", b"", [])]
    assert unpack(pack(events[0])) == events[0]
    with EventSpool() as spool:
        for event in events:
            spool.append(event)
        assert [spool[i] for i in reversed(range(len(spool)))] == events[::-1]
        with pytest.raises(IndexError):
            spool[len(events)]


def test_a_spool_that_runs_out_of_room_fails_with_a_clear_error() -> None:
    """A file-size limit (as a full disk would) stops the spool at the append that hits it, with the directory,
    how far it got and what to do; closing afterwards raises nothing more."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import resource, signal
        from streams.errors import SpoolError
        from streams.ingest.spool import EventSpool
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
        spool = EventSpool()
        try:
            for n in range(100):
                spool.append((b"key", b"x" * 100, [("ce_id", str(n).encode())]))
        except SpoolError as exc:
            print("stopped", len(spool), exc)
        spool.close()
        print("closed")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    stopped, closed = done.stdout.splitlines()
    assert re.match(r"stopped (\d+) cannot spool the archive in .+ after \1 updates", stopped), stopped
    assert 0 < int(stopped.split()[1]) < 100 and stopped.endswith("set TMPDIR to a disk with room")
    assert closed == "closed"


def test_a_feed_releases_its_spool_once_published(tmp_path: Path) -> None:
    """What `liveblog run --serve` relies on: once everything is published the spool file goes, not at exit."""
    with EncodedArchive.read(iter_archive(multi_blog_archive(tmp_path))) as archive:
        feed = Feed.of_archive(archive.in_event_time_order())
        assert next(feed.events())
        feed.release()
        with pytest.raises(ValueError, match="closed file"):
            next(feed.events())
