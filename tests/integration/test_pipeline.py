"""End to end on real brokers: an archive in, totals read back from the compacted topic by a plain consumer."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from schemas import DeadLetter, RawUpdate, TotalsRow
from streams.ingest.archive import load_updates
from streams.ingest.events import update_event
from streams.kafka.observe import read_topic
from streams.runner import run_pipeline
from streams.settings import Settings
from tests.conftest import shared_file

pytestmark = pytest.mark.kafka


async def downstream_totals(settings: Settings) -> dict[str, TotalsRow]:
    """What a downstream service does: read the compacted totals topic from the start, last value wins."""
    consumer = AIOKafkaConsumer(
        settings.topic("totals"),
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    try:
        totals: dict[str, TotalsRow] = {}
        while batch := await consumer.getmany(timeout_ms=2000):
            for records in batch.values():
                for record in records:
                    if record.value is None:
                        totals.pop(record.key.decode(), None)
                    else:
                        totals[record.key.decode()] = TotalsRow.model_validate_json(record.value)
        return totals
    finally:
        await consumer.stop()


def values(totals: dict[str, TotalsRow]) -> dict[str, tuple[float | None, float | None, float | None, str]]:
    return {k: (r.value, r.value_low, r.value_high, r.qualifier) for k, r in totals.items()}


def test_seed_totals_reach_a_downstream_consumer(settings: Settings) -> None:
    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    run_pipeline(settings, updates, timeout=180)
    totals = asyncio.run(downstream_totals(settings))

    refugees = totals["blog/liveblog-2022-03-30|refugees|people|Ukraine|UN"]
    assert refugees.value is not None and refugees.value >= 4_000_000
    killed = totals["blog/liveblog-2022-03-30|killed|civilians|Ukraine|OHCHR"]
    assert (killed.value, killed.qualifier) == (1189, "exact")
    assert killed.claims == 1 and killed.mentions >= 2  # "1,189" in the body and in the breakdown bullet
    refugees_claims = totals["blog/liveblog-2022-03-30|refugees|people|Ukraine|UN"]
    assert refugees_claims.claims == 1 and refugees_claims.mentions >= 4  # bullet, headline, bodies, caption
    children = totals["blog/liveblog-2022-03-30|killed|children|Ukraine|*"]
    assert children.row == "headline" and children.conflict
    assert {"OHCHR", "Volodymyr Zelensky", "UNICEF"} <= {s.source for s in children.sources}
    assert children.value == 108

    # The same archive again, redelivered in full: the worker resumes from its committed offsets and
    # recovers its tables from their changelogs; no total changes.
    run_pipeline(settings, updates, timeout=180)
    assert values(asyncio.run(downstream_totals(settings))) == values(totals)


FAR = datetime(2099, 1, 1, tzinfo=UTC)  # a typo'd year: it would hold the "latest" value forever


def test_bad_events_are_dead_lettered_and_the_stream_goes_on(settings: Settings) -> None:
    good = RawUpdate(
        blog_id="b",
        entry_id="e1",
        published=datetime(2024, 5, 1, 9, tzinfo=UTC),
        body="At least 1,189 civilians have been killed, the UN human rights office (OHCHR) said.",
        blog_title="Ukraine war live",
    )
    key, value, headers = update_event(good)
    _, future_value, future_headers = update_event(good.model_copy(update={"entry_id": "e2", "published": FAR}))

    async def publish_garbage() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers)
        await producer.start()
        try:
            topic = settings.topic("updates")
            await producer.send_and_wait(topic, b"{not json", key=b"b", headers=headers)
            await producer.send_and_wait(topic, b"\xff\xfe\x00", key=b"b", headers=headers)
            await producer.send_and_wait(topic, b'{"blog_id": "b"}', key=b"b", headers=headers)
            await producer.send_and_wait(topic, value, key=key, headers=[("ce_specversion", b"0.3")])
            await producer.send_and_wait(topic, future_value, key=key, headers=future_headers)
        finally:
            await producer.stop()

    from streams.kafka.topics import ensure_topics

    asyncio.run(ensure_topics(settings))
    asyncio.run(publish_garbage())
    totals = run_pipeline(settings, [good], timeout=180)

    letters = [DeadLetter.model_validate_json(r.value) for r in asyncio.run(read_topic(settings, "deadletter"))]
    assert sorted(letter.reason for letter in letters) == [
        "absurd_timestamp",
        "bad_envelope",
        "invalid_shape",
        "not_json",
        "not_utf8",
    ]
    assert {letter.stage for letter in letters} == {"entries"}
    not_json = next(letter for letter in letters if letter.reason == "not_json")
    assert base64.b64decode(not_json.value_b64) == b"{not json"
    assert not_json.topic == settings.topic("updates") and not_json.offset == 0
    assert any(row.value == 1189 for row in totals.values())


def test_a_malformed_archive_is_published_line_by_line_with_its_bad_lines_dead_lettered(
    settings: Settings, tmp_path: Path
) -> None:
    from streams.ingest.archive import read_archive
    from streams.ingest.jsonl import write_jsonl

    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    path = tmp_path / "seed.jsonl"
    write_jsonl(updates, path)
    lines = path.read_bytes().splitlines()
    lines[3:3] = [b"{not json", b'{"specversion": "1.0", "type": "nope"}']
    path.write_bytes(b"\n".join(lines) + b"\n")

    archive = read_archive(path)
    assert [(r.position, r.reason) for r in archive.rejects] == [(4, "not_json"), (5, "bad_envelope")]
    run_pipeline(settings, archive.updates, archive.rejects, origin=str(path), timeout=180)

    published = asyncio.run(read_topic(settings, "updates"))
    letters = [DeadLetter.model_validate_json(r.value) for r in asyncio.run(read_topic(settings, "deadletter"))]
    assert len(published) + len(letters) == len(lines)  # in = out + dead-lettered
    assert [(letter.stage, letter.reason) for letter in letters] == [("ingest", "not_json"), ("ingest", "bad_envelope")]
    assert base64.b64decode(letters[0].value_b64) == b"{not json"
    assert f"{path}:4:" in letters[0].error
    totals = asyncio.run(downstream_totals(settings))
    assert totals["blog/liveblog-2022-03-30|killed|civilians|Ukraine|OHCHR"].value == 1189
