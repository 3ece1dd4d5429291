"""Export then replay is lossless; replaying what was already processed changes no total."""

from __future__ import annotations

import asyncio
import base64
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from schemas import DeadLetter, RawUpdate
from streams.ingest.archive import load_updates, read_archive
from streams.ingest.events import update_event
from streams.kafka.observe import read_topic, read_totals
from streams.kafka.replay import export_topic, replay
from streams.kafka.topics import ensure_topics
from streams.runner import run_pipeline
from streams.settings import Settings
from tests.conftest import shared_file

pytestmark = pytest.mark.kafka


def values(settings: Settings) -> dict[str, tuple[object, ...]]:
    rows = asyncio.run(read_totals(settings))
    return {k: (r.value, r.value_low, r.value_high, r.qualifier, r.claims, r.conflict) for k, r in rows.items()}


def test_seed_export_then_replay_into_a_fresh_cluster_gives_the_same_totals(settings: Settings, tmp_path: Path) -> None:
    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    run_pipeline(settings, updates, timeout=180)
    first = values(settings)

    archive_path = tmp_path / "updates.jsonl.zst"
    written, skipped = asyncio.run(export_topic(settings, "updates", archive_path))
    assert (written, skipped) == (len(updates), 0)
    archive = read_archive(archive_path)
    assert archive.rejects == [] and archive.updates == updates  # lossless
    topic_ids = [dict(r.headers)["ce_id"].decode() for r in asyncio.run(read_topic(settings, "updates"))]
    assert [dict(update_event(u)[2])["ce_id"].decode() for u in archive.updates] == topic_ids  # original ids

    fresh = settings.model_copy(update={"topic_prefix": f"t{uuid.uuid4().hex[:8]}.liveblog", "app_id": "fresh"})
    run_pipeline(fresh, archive.updates, timeout=180)
    assert values(fresh) == first

    # Replaying the archive into the cluster that already processed it changes no total.
    run_pipeline(settings, archive.updates, timeout=180)
    assert values(settings) == first


def test_replay_is_paced_by_event_times(settings: Settings) -> None:
    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))[:4]
    start = datetime(2022, 3, 30, 9, tzinfo=UTC)
    timed = [u.model_copy(update={"published": start + timedelta(seconds=20 * i)}) for i, u in enumerate(updates)]
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    from streams.kafka.topics import ensure_topics

    asyncio.run(ensure_topics(settings))
    asyncio.run(replay(settings, timed, 10.0, sleep=fake_sleep))
    # 60 s of events at 10x: due 2, 4 and 6 s after the start (the fake sleep does not move the clock, so each
    # wait is the whole distance to the event's due time).
    assert [round(s) for s in slept] == [2, 4, 6]
    published = asyncio.run(read_topic(settings, "updates"))
    assert [orjson.loads(r.value)["entry_id"] for r in published] == [u.entry_id for u in timed]
    assert [dict(r.headers)["ce_time"] for r in published] == [
        (start + timedelta(seconds=20 * i)).isoformat().replace("+00:00", "Z").encode() for i in range(4)
    ]


def test_reprocess_rebuilds_the_same_totals_and_retires_what_no_longer_exists(settings: Settings) -> None:
    from aiokafka import AIOKafkaProducer

    from streams import codec
    from streams.reprocess import reprocess

    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    run_pipeline(settings, updates, timeout=180)
    first = values(settings)

    async def plant_stale_row() -> None:
        # A series an older extractor found and the current one does not: reprocess must retire it.
        producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers)
        await producer.start()
        try:
            stale = next(iter(asyncio_totals.values())).model_copy(
                update={"key": "blog/liveblog-2022-03-30|killed|people|Atlantis|nobody"}
            )
            await producer.send_and_wait(settings.topic("totals"), codec.dumps(stale), key=stale.key.encode())
        finally:
            await producer.stop()

    asyncio_totals = asyncio.run(read_totals(settings))
    asyncio.run(plant_stale_row())
    nxt, rebuilt, retired = reprocess(settings, timeout=180)
    assert nxt.generation == 2 and nxt.topic("claims").endswith(".claims.g2") and nxt.group_id.endswith("-v2")
    assert retired == ["blog/liveblog-2022-03-30|killed|people|Atlantis|nobody"]
    assert "blog/liveblog-2022-03-30|killed|people|Atlantis|nobody" not in rebuilt
    assert values(settings) == first


def seed_with_a_corrupt_third_line(tmp_path: Path) -> tuple[list[RawUpdate], Path]:
    """The seed's updates, and a JSON Lines archive of them with a line that is not UTF-8 at line 3."""
    from streams.ingest.jsonl import write_jsonl

    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    path = tmp_path / "seed.jsonl"
    write_jsonl(updates, path)
    lines = path.read_bytes().splitlines()
    lines.insert(2, b"\xff{not json")
    path.write_bytes(b"\n".join(lines) + b"\n")
    return updates, path


def test_a_corrupt_line_never_stops_a_replay_and_is_dead_lettered_with_its_line(
    settings: Settings, tmp_path: Path
) -> None:
    updates, path = seed_with_a_corrupt_third_line(tmp_path)
    archive = read_archive(path)
    asyncio.run(ensure_topics(settings))
    asyncio.run(replay(settings, archive.updates, None, rejects=archive.rejects, origin=str(path)))

    assert len(asyncio.run(read_topic(settings, "updates"))) == len(updates)
    (letter,) = [DeadLetter.model_validate_json(r.value) for r in asyncio.run(read_topic(settings, "deadletter"))]
    assert (letter.stage, letter.reason) == ("ingest", "not_utf8")
    assert f"{path}:3:" in letter.error and base64.b64decode(letter.value_b64) == b"\xff{not json"


def test_ingest_streams_an_archive_and_dead_letters_its_corrupt_line(settings: Settings, tmp_path: Path) -> None:
    """`liveblog ingest` as a user runs it (a subprocess), on an archive with a corrupt line: every good update
    is published in archive order, the bad line is a dead letter with its line number, and the counts are said."""
    import os
    import subprocess
    import sys

    updates, path = seed_with_a_corrupt_third_line(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}
    env |= {"LIVEBLOG_TOPIC_PREFIX": settings.topic_prefix, "LIVEBLOG_APP_ID": settings.app_id}
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "ingest", str(path), "--broker", settings.broker],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"published {len(updates)} updates to ") and ", 1 rejects to " in done.stdout
    assert f"{path}:3:" in done.stderr
    published = asyncio.run(read_topic(settings, "updates"))
    assert [r.value for r in published] == [update_event(u)[1] for u in updates]
    (letter,) = [DeadLetter.model_validate_json(r.value) for r in asyncio.run(read_topic(settings, "deadletter"))]
    assert (letter.reason, base64.b64decode(letter.value_b64)) == ("not_utf8", b"\xff{not json")


def test_the_replay_command_publishes_a_window_of_the_archive_in_event_time_order(
    settings: Settings, tmp_path: Path
) -> None:
    """`liveblog replay PATH --since --until` as a user runs it (a subprocess, through the spooled archive): the
    updates of the window, each blog's in event-time order, byte for byte what the models give, and the archive's
    unreadable line dead-lettered."""
    import os
    import subprocess
    import sys

    from streams.kafka.replay import event_time, in_event_time_order, within
    from tests.ingest.archives import multi_blog_archive

    path = multi_blog_archive(tmp_path)
    ordered = in_event_time_order(read_archive(path).updates)
    since, until = event_time(ordered[5]), event_time(ordered[-5])
    expected = within(ordered, since, until)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}
    env |= {"LIVEBLOG_TOPIC_PREFIX": settings.topic_prefix, "LIVEBLOG_APP_ID": settings.app_id}
    args = [
        "replay",
        str(path),
        "--broker",
        settings.broker,
        "--since",
        since.isoformat(),
        "--until",
        until.isoformat(),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert f"replayed {len(expected):,} updates" in done.stderr and "1 unreadable records dead-lettered" in done.stderr
    by_blog: dict[bytes, list[bytes]] = {}
    for record in asyncio.run(read_topic(settings, "updates")):
        by_blog.setdefault(record.key, []).append(record.value)
    wanted: dict[bytes, list[bytes]] = {}
    for update in expected:
        key, value, _ = update_event(update)
        wanted.setdefault(key, []).append(value)
    assert len(wanted) > 2 and by_blog == wanted
    (letter,) = [DeadLetter.model_validate_json(r.value) for r in asyncio.run(read_topic(settings, "deadletter"))]
    assert letter.stage == "ingest"
