"""An archive read once into the events it is published as, ready to publish in event-time order.

`liveblog run` and `liveblog replay` publish an archive's blogs interleaved by event time (see
`streams.kafka.replay.in_event_time_order`, whose order this is, byte for byte). Instead of every update as a
pydantic model (about 960 MB for the corpus), an `EncodedArchive` keeps each update's encoded event in an
`EventSpool` (a temporary file, which keeps where each record starts) and, in memory, three more numbers per
update: its event time, its blog and a hash of its entry key. That is enough to order, pace and count the
updates, and to find the few a run's accounting must read back (`OrderedEvents.updates_sharing_keys`).
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from types import TracebackType

from schemas import RawUpdate
from streams import dedup
from streams.ingest.events import event_time, update_event
from streams.ingest.records import Reject, updates_keeping_rejects
from streams.ingest.spool import EventSpool, Record

__all__ = ["EncodedArchive", "OrderedEvents", "distinct_so_far", "micros"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(when: datetime) -> int:
    """Microseconds since the epoch: integers that sort as the datetimes do (a naive time is taken as UTC)."""
    return (when - (_EPOCH if when.tzinfo else _EPOCH.replace(tzinfo=None))) // _MICROSECOND


class EncodedArchive:
    """An archive's updates as encoded events, in reading order, and its rejects (kept as they were read)."""

    def __init__(self) -> None:
        self.rejects: list[Reject] = []
        self._events = EventSpool()
        self._times = array("q")  # event time, microseconds since the epoch
        self._blogs = array("L")  # the blog, as an index into _blog_ids
        self._keys = array("q")  # hash of the entry key: equal for every version of an entry
        self._blog_ids: dict[str, int] = {}

    @classmethod
    def read(cls, items: Iterable[RawUpdate | Reject]) -> EncodedArchive:
        """An archive from what a reader gives (`streams.ingest.archive.iter_archive`), one item at a time."""
        archive = cls()
        try:
            for update in updates_keeping_rejects(items, archive.rejects):
                archive.add(update)
        except BaseException:
            archive.close()
            raise
        return archive

    def add(self, update: RawUpdate) -> None:
        """Keep the update as its event (the bytes published) and its time, blog and entry-key hash."""
        self._events.append(update_event(update))
        self._times.append(micros(event_time(update)))
        self._blogs.append(self._blog_ids.setdefault(update.blog_id, len(self._blog_ids)))
        self._keys.append(hash(dedup.entry_key(update)))

    def __len__(self) -> int:
        return len(self._events)

    def in_event_time_order(self, since: datetime | None = None, until: datetime | None = None) -> OrderedEvents:
        """The updates whose event time is in [since, until), by event time; a stable sort, so equal times keep
        their archive order (`in_event_time_order` then `within`, without the models)."""
        low = None if since is None else micros(since)
        high = None if until is None else micros(until)
        times = self._times
        order = sorted(range(len(times)), key=times.__getitem__)
        kept = (i for i in order if (low is None or times[i] >= low) and (high is None or times[i] < high))
        return OrderedEvents(self, array("L", kept))

    def close(self) -> None:
        """Remove the spooled events."""
        self._events.close()

    def __enter__(self) -> EncodedArchive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


@dataclass(frozen=True)
class OrderedEvents:
    """Some of an archive's updates in publishing order: positions into the `EncodedArchive`."""

    archive: EncodedArchive
    order: array[int]

    def __len__(self) -> int:
        return len(self.order)

    def events(self) -> Iterator[Record]:
        """Key, value and headers of each update, in order: what `update_event` gave when it was read."""
        spool = self.archive._events
        return (spool[i] for i in self.order)

    def times(self) -> list[datetime]:
        """Each update's event time (in UTC), in order: what replay paces by."""
        times = self.archive._times
        return [_EPOCH + timedelta(microseconds=times[i]) for i in self.order]

    def blog_marks(self) -> array[int]:
        """For each position, how many distinct blogs the updates up to it belong to (the progress line's)."""
        blogs = self.archive._blogs
        return distinct_so_far(blogs[i] for i in self.order)

    def updates_sharing_keys(self) -> Iterator[RawUpdate]:
        """In order, decoded from their events, the updates whose entry key another update of this order may
        share. The dedup stage can drop only those, and they only depend on each other, so counting its drops
        over them gives the count over all the updates; in the corpus they are few."""
        keys = self.archive._keys
        repeated = _repeated(keys[i] for i in self.order)
        for i in self.order:
            if keys[i] in repeated:
                yield RawUpdate.model_validate_json(self.archive._events[i][1])


def distinct_so_far(values: Iterable[Hashable]) -> array[int]:
    """For each position, how many distinct values there are up to it: a run's blogs reached, for its progress."""
    seen: set[Hashable] = set()
    marks = array("L")
    for value in values:
        seen.add(value)
        marks.append(len(seen))
    return marks


def _repeated(values: Iterable[int]) -> set[int]:
    """The values that occur more than once."""
    return {a for a, b in pairwise(sorted(values)) if a == b}
