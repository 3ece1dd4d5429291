"""One event of every bad-input class of issue #5, mixed with good updates, through a real worker on Apache Kafka.

Each bad event must come out as exactly one dead letter with the expected reason (and its original bytes, headers
and offset), the good updates must reach the totals, and in = out + dead-lettered.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from schemas import DeadLetter, EnrichedUpdate, RawUpdate
from streams import codec, ledger
from streams.enrichment import enrich_update
from streams.ingest.events import update_event
from streams.kafka.clients import client_options
from streams.kafka.observe import read_records
from streams.kafka.topics import ensure_topics
from streams.settings import Settings
from tests.reliability import harness
from tests.reliability.conftest import Row

pytestmark = [pytest.mark.reliability, pytest.mark.kafka]

#: Lower than the default (1 MiB), so that a 70 KB value is oversized; every good update stays far below it. Not
#: lower: the limit applies to the pipeline's own batch records too (test_a_small_event_limit_only_applies_to_inputs).
MAX_EVENT_BYTES = 64 * 1024
#: A limit that every input of the test fits under, but the pipeline's internal batch records do not.
SMALL_LIMIT = 4096
BLOG = "reliability-bad-input"
PUBLISHED = datetime(2022, 3, 30, 8, 0, tzinfo=UTC)

GOOD_BODIES = (
    "At least 120 people were killed in Kharkiv, the regional governor said.",
    "The UN refugee agency said 4,000,000 refugees have fled Ukraine since the invasion began.",
    "Some 35 people were injured in the shelling of Mariupol, officials said.",
    "More than 6.5 million people are internally displaced inside Ukraine, the IOM said.",
    "The EU pledged €500m in humanitarian aid on Thursday.",
    "Talks resumed in Istanbul with no breakthrough.",
)


@dataclass(frozen=True)
class Bad:
    """One bad-input class: the event that represents it, and the dead-letter reason it must get."""

    name: str
    reason: str
    value: bytes
    headers: list[tuple[str, bytes]] | None
    key: bytes = BLOG.encode()


def update(entry_id: str, body: str = "A quiet morning.", **fields: Any) -> RawUpdate:
    return RawUpdate(**{"blog_id": BLOG, "entry_id": entry_id, "published": PUBLISHED, "body": body, **fields})


def good_updates(copies: int = 1) -> list[RawUpdate]:
    """The good updates: each body once, or in `copies` entries."""
    return [
        update(f"good-{n}-{copy}", body, position=n + copy * len(GOOD_BODIES))
        for copy in range(copies)
        for n, body in enumerate(GOOD_BODIES)
    ]


def _headers(entry_id: str, **changes: bytes) -> list[tuple[str, bytes]]:
    """The CloudEvents headers of a valid update of `entry_id` (so each bad event has its own `ce_id`), changed."""
    return [(k, changes.get(k, v)) for k, v in update_event(update(entry_id))[2]]


#: In an entry's body, makes the worker's extractor raise (`Settings.fault_extractor_marker`).
FAULT_MARKER = "INJECTED-EXTRACTOR-FAULT"


def bad_inputs() -> list[Bad]:
    """Every class the issue lists, each an otherwise well-formed event where it can be (one fault at a time)."""
    fields = orjson.loads(codec.dumps(update("wrong-shape")))
    missing = {k: v for k, v in orjson.loads(codec.dumps(update("missing"))).items() if k != "published"}
    mistyped = {**orjson.loads(codec.dumps(update("mistyped"))), "revision": "three"}
    # A value from a producer that writes Latin-1: valid JSON once decoded as such, but not UTF-8.
    latin1 = '{"blog_id": "caf\xe9", "entry_id": "latin-1", "published": "2022-03-30T08:00:00Z"}'.encode("latin-1")
    oversized = codec.dumps(update("oversized", "Long entry. " * 6000))  # about 72 KB, > MAX_EVENT_BYTES
    # No real input is known to make the extractor raise any more (the fuzzing looks for one; the last, a 400-digit
    # figure, is fixed): the worker is told to fail on a marker (LIVEBLOG_FAULT_EXTRACTOR_MARKER), a fault injected
    # like a kill -9, so the dead-letter path of an extractor failure runs in a real worker.
    absurd_figure = update("extractor-raises", f"{FAULT_MARKER}: 12 people were killed in Kharkiv, officials said.")
    return [
        Bad("not JSON", "not_json", b'{"blog_id": "' + BLOG.encode() + b'", "entry_id": ', _headers("not-json")),
        Bad("not UTF-8", "not_utf8", latin1, _headers("latin-1")),
        Bad("JSON of the wrong shape", "invalid_shape", orjson.dumps([fields]), _headers("wrong-shape")),
        Bad("missing field", "invalid_shape", orjson.dumps(missing), _headers("missing")),
        Bad("mistyped field", "invalid_shape", orjson.dumps(mistyped), _headers("mistyped")),
        Bad(
            "unknown CloudEvents type",
            "bad_envelope",
            codec.dumps(update("ce-type")),
            _headers("ce-type", ce_type=b"org.liveblog-streams.update.v9"),
        ),
        Bad(
            "unknown spec version",
            "bad_envelope",
            codec.dumps(update("ce-spec")),
            _headers("ce-spec", ce_specversion=b"0.3"),
        ),
        Bad("missing CE headers", "bad_envelope", codec.dumps(update("no-headers")), None),
        Bad("oversized value", "oversized", oversized, _headers("oversized")),
        Bad("timestamp in 1970", "absurd_timestamp", *update_event(update("t-1970", published=_at(1970)))[1:]),
        Bad("timestamp in 2099", "absurd_timestamp", *update_event(update("t-2099", published=_at(2099)))[1:]),
        Bad("entry body the extractor raises on", "extractor_failed", *update_event(absurd_figure)[1:]),
    ]


def _at(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC)


async def publish_mixed(settings: Settings, good: list[RawUpdate], bad: list[Bad]) -> dict[int, Bad | RawUpdate]:
    """Good and bad events interleaved on the updates topic; what was sent at each offset."""
    items: list[Bad | RawUpdate] = [
        x for n in range(max(len(good), len(bad))) for x in (*good[n : n + 1], *bad[n : n + 1])
    ]
    await ensure_topics(settings)
    producer = AIOKafkaProducer(**client_options(settings), acks="all")
    await producer.start()
    sent: dict[int, Bad | RawUpdate] = {}
    try:
        for item in items:
            if isinstance(item, Bad):
                key, value, headers = item.key, item.value, item.headers
            else:
                key, value, headers = update_event(item)
            meta = await producer.send_and_wait(settings.topic("updates"), value, key=key, headers=headers)
            assert meta.partition == 0
            sent[meta.offset] = item
    finally:
        await producer.stop()
    return sent


@dataclass
class Outcome:
    """What one run left on the broker."""

    sent: dict[int, Bad | RawUpdate]  # offset on the updates topic → what was published there
    run: harness.Observed
    result: harness.Audit
    letters: list[DeadLetter]  # of events of the updates topic
    internal: list[DeadLetter]  # of the pipeline's own records (claims, band notes, links)
    unique: list[EnrichedUpdate]


def run_pipeline(broker: str, tmp_path: Path, max_event_bytes: int, good: list[RawUpdate], bad: list[Bad]) -> Outcome:
    settings = harness.fresh_settings(
        broker, tmp_path, max_event_bytes=max_event_bytes, fault_extractor_marker=FAULT_MARKER
    )
    sent = asyncio.run(publish_mixed(settings, good, bad))
    worker = harness.worker(settings, tmp_path)
    worker.start()
    try:
        harness.wait_done(settings, [worker], timeout=120)
    finally:
        worker.stop()
    run = harness.observe(settings)
    letters = [
        DeadLetter.model_validate_json(r.value)
        for r in asyncio.run(read_records(settings, settings.topic("deadletter"), timeout=60))
    ]
    updates = settings.topic("updates")
    return Outcome(
        sent=sent,
        run=run,
        result=harness.audit(run, run),  # against itself: lost and double-counted within the run
        letters=[letter for letter in letters if letter.topic == updates],
        internal=[letter for letter in letters if letter.topic != updates],
        unique=[codec.decode(r.value, EnrichedUpdate) for r in run.records["updates.unique"]],
    )


def expected_series(good: list[RawUpdate]) -> set[str]:
    """The totals series the good updates' figures make (the extractor and ledger run here, in process)."""
    return {c.series_key for u in good for c in ledger.claims_of(enrich_update(u)).values()}


def test_every_bad_input_class_is_dead_lettered_once_with_its_reason(
    apache_kafka: str, report: Row, tmp_path: Path
) -> None:
    good, bad = good_updates(), bad_inputs()
    assert all(len(b.value) < MAX_EVENT_BYTES for b in bad if b.reason != "oversized")
    assert all(len(update_event(u)[1]) < MAX_EVENT_BYTES for u in good)
    harness.BAD_INPUT_CLASSES.extend(b.name for b in bad)
    out = run_pipeline(apache_kafka, tmp_path, MAX_EVENT_BYTES, good, bad)
    report.record(out.result)
    by_offset: dict[int, list[DeadLetter]] = {}
    for letter in out.letters:
        assert letter.offset is not None
        by_offset.setdefault(letter.offset, []).append(letter)
    got = {
        item.name: ",".join(letter.reason for letter in by_offset.get(offset, [])) or "none"
        for offset, item in out.sent.items()
        if isinstance(item, Bad)
    }
    wrong = [f"{name}: {reason}" for name, reason in got.items() if reason != _expected(bad, name)]
    wrong += [f"internal {letter.topic}: {letter.reason} at {letter.stage}" for letter in out.internal]
    report.note = "; ".join([report.note, *wrong]).strip("; ")

    # each bad event: exactly one dead letter, the expected reason, its original bytes, headers and origin
    assert got == {b.name: b.reason for b in bad}
    for offset, item in out.sent.items():
        if not isinstance(item, Bad):
            assert offset not in by_offset, f"a good update was dead-lettered: {by_offset[offset]}"
            continue
        (letter,) = by_offset[offset]
        assert (letter.stage, letter.partition) == ("entries", 0)
        assert base64.b64decode(letter.value_b64) == item.value
        assert letter.key_b64 is not None and base64.b64decode(letter.key_b64) == item.key
        assert [(k, base64.b64decode(v)) for k, v in letter.headers] == (item.headers or [])
    assert out.internal == [], "the pipeline dead-lettered its own records"

    # the good updates: one output each, and their figures in the totals
    assert sorted(e.update.entry_id for e in out.unique) == sorted(u.entry_id for u in good)
    series = expected_series(good)
    assert series, "the good updates should have figures"
    assert series <= out.run.totals.keys()

    # in = out + dead-lettered, nothing lost or counted twice
    assert len(out.sent) == len(good) + len(bad) == len(out.unique) + len(out.letters)
    assert (out.result.events_in, out.result.events_out, out.result.dead_lettered) == (
        len(out.sent),
        len(good),
        len(bad),
    )
    assert out.result.problems == []


def test_a_small_event_limit_only_applies_to_inputs(apache_kafka: str, report: Row, tmp_path: Path) -> None:
    """Good updates only, each far below a 4 KB limit: nothing may be dead-lettered, every figure must be totalled.

    The entries agent batches the claims and band notes of many updates into one record (up to 200 each: claims of
    about 500 bytes, band notes about 2.7 KB an update); `max_event_bytes` must hold only for the updates coming in.
    Published before the worker starts, these 18 updates are one batch: 15 claims (about 8 KB) and 180 band notes.
    """
    good = good_updates(copies=3)
    assert all(len(update_event(u)[1]) < SMALL_LIMIT for u in good)
    out = run_pipeline(apache_kafka, tmp_path, SMALL_LIMIT, good, [])
    report.record(out.result)
    missing = expected_series(good) - out.run.totals.keys()
    report.lost += len(missing)
    internal = sorted({f"{letter.stage} {letter.reason} ({letter.error[:90]})" for letter in out.internal})
    report.note = "; ".join(
        [report.note, *internal, f"{len(missing)} series missing from the totals" if missing else ""]
    ).strip("; ")
    assert out.letters == []
    assert out.internal == [], internal
    assert not missing, missing


def _expected(bad: list[Bad], name: str) -> str:
    return next(b.reason for b in bad if b.name == name)
