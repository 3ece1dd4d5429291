"""Exact-duplicate and revision detection for updates, as plain functions over a small state record.

An entry is identified by (blog id, entry id). Seeing it again with the same content is a redelivery;
with changed content and a newer revision or modification time it is a revision; anything older
than what was already seen is stale. The winner does not depend on arrival order, so a shuffled
replay ends in the same state as an ordered one. The very input that set a version, read again after a
crash, is a retry: its output may never have been sent, so it goes on again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final, Literal, TypedDict

from schemas import RawUpdate

Decision = Literal["new", "redelivery", "revision", "stale", "retry"]


class SeenEntry(TypedDict):
    """What the dedup table keeps per entry: enough to recognise the version seen last."""

    content_hash: str
    revision: int
    updated: str
    origin: str
    """Where the event that set this version was read (partition:offset of the dedup agent's input)."""


def entry_key(update: RawUpdate) -> str:
    return f"{update.blog_id}|{update.entry_id}"


def _modified(update: RawUpdate) -> datetime:
    return update.updated or update.published


def version_of(update: RawUpdate, content_hash: str, origin: str = "") -> SeenEntry:
    return SeenEntry(
        content_hash=content_hash, revision=update.revision, updated=_modified(update).isoformat(), origin=origin
    )


def _rank(seen: SeenEntry) -> tuple[int, str, str]:
    # The isoformat strings of timezone-aware datetimes in UTC sort like the datetimes themselves only
    # when the offsets are equal, so compare parsed values.
    when = datetime.fromisoformat(seen["updated"]).timestamp()
    return (seen["revision"], f"{when:020.6f}", seen["content_hash"])


def classify(previous: SeenEntry | None, current: SeenEntry) -> Decision:
    """How an update relates to the version of its entry seen before (if any)."""
    if previous is None:
        return "new"
    if previous["content_hash"] == current["content_hash"]:
        # The very event that set this version, read again: the worker crashed after writing the table and
        # maybe before its output was sent. Forward it again (everything downstream is idempotent).
        same_input = bool(current["origin"]) and previous.get("origin") == current["origin"]
        return "retry" if same_input else "redelivery"
    if _rank(current) > _rank(previous):
        return "revision"
    return "stale"


#: Decisions after which an update is dropped: it brings nothing the state does not already have.
DROPPED: Final = frozenset({"redelivery", "stale"})


def step(
    previous: SeenEntry | None, update: RawUpdate, content_hash: str, origin: str = ""
) -> tuple[SeenEntry, Decision]:
    """The update's version and how it relates to the one seen before: the dedup stage's one step, as the agent,
    the in-memory fold and the run's accounting all take it. Drop the update when the decision is in `DROPPED`."""
    version = version_of(update, content_hash, origin)
    return version, classify(previous, version)


# Expiry by event time. The `seen` state would otherwise grow with every entry ever read. A caller keeps a
# watermark (the latest modification time it has read, never decreasing) and sweeps with `expired_keys`; an
# entry swept is one whose every version is older than the window, so `classify_within` calls `late` any version
# that is older than the window and has nothing to compare with. That keeps expiry from changing a decision:
# a redelivery or stale version of a swept entry is at most as new as the version swept, hence late (dropped
# either way), and a newer version is forwarded as `new`, as its revision would have been. (State kept beside
# `seen` for the same entry, such as the ledger's claims, goes with it: a revision later than the window then has
# no previous claims to withdraw. Choose the window longer than corrections come.)

Windowed = Decision | Literal["late"]


def modified_at(seen: SeenEntry) -> float:
    """When the version was last modified (epoch seconds): its event time for expiry."""
    return datetime.fromisoformat(seen["updated"]).timestamp()


def is_expired(seen: SeenEntry, watermark: float, window: float) -> bool:
    """Whether the entry was last modified more than `window` seconds of event time before `watermark`."""
    return modified_at(seen) < watermark - window


def expired_keys(items: Iterable[tuple[str, SeenEntry]], watermark: float, window: float) -> list[str]:
    """The keys a sweep deletes (e.g. a Faust timer over the table's local items, then `del table[key]`)."""
    return [key for key, seen in items if is_expired(seen, watermark, window)]


def classify_within(previous: SeenEntry | None, current: SeenEntry, watermark: float, window: float) -> Windowed:
    """`classify` for a state swept with the same window and watermark: a version with no previous older than
    the window is `late` (drop it, or dead-letter it) rather than `new`."""
    if previous is None and is_expired(current, watermark, window):
        return "late"
    return classify(previous, current)
