"""Our JSON Lines archive of raw-update CloudEvents: round trips, bad lines, compression."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import RawUpdate
from streams import codec
from streams.errors import ParseError
from streams.ingest.events import structured_event, update_attributes, update_event
from streams.ingest.jsonl import Event, iter_jsonl, parse_event, read_jsonl, write_jsonl
from streams.ingest.records import Reject

T0 = datetime(2026, 11, 19, 6, 10, tzinfo=UTC)
UPDATES = [
    RawUpdate(blog_id="b", entry_id="e1", published=T0, headline="One", body="First.", url="https://x.example/b#e1"),
    RawUpdate(
        blog_id="b",
        entry_id="e2",
        revision=2,
        published=T0,
        updated=datetime(2026, 11, 19, 7, 0, tzinfo=UTC),
        kind="summary",
        body="Ünïcödé – £2m",
        outlet="The Courier",
        position=1,
        blog_title="A blog",
    ),
]


def good_line(update: RawUpdate = UPDATES[0]) -> bytes:
    return structured_event(update)


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz", "a.jsonl.zst"])
def test_round_trip_gives_identical_updates_and_ids(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    assert write_jsonl(UPDATES, path) == 2
    events, rejects = read_jsonl(path)
    assert rejects == []
    assert [e.update for e in events] == UPDATES
    assert [e.id for e in events] == [update_attributes(u)["id"] for u in UPDATES]
    assert not list(tmp_path.glob(".*partial"))


def test_compression_follows_the_file_name(tmp_path: Path) -> None:
    write_jsonl(UPDATES, tmp_path / "a.jsonl.gz")
    write_jsonl(UPDATES, tmp_path / "a.jsonl.zst")
    plain = gzip.decompress((tmp_path / "a.jsonl.gz").read_bytes())
    assert zstandard.ZstdDecompressor().decompressobj().decompress((tmp_path / "a.jsonl.zst").read_bytes()) == plain
    write_jsonl(UPDATES, tmp_path / "b.jsonl.gz")
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()  # reproducible


def test_a_line_is_a_structured_cloud_event_of_the_topic_value() -> None:
    line = orjson.loads(good_line(UPDATES[1]))
    key, value, headers = update_event(UPDATES[1])
    assert set(line) == {"specversion", "id", "source", "type", "time", "datacontenttype", "data"}
    assert line["specversion"] == "1.0"
    assert line["type"] == "org.liveblog-streams.update.v1"
    assert line["datacontenttype"] == "application/json"
    assert line["time"] == "2026-11-19T07:00:00Z"
    assert line["source"] == "liveblog-streams/ingest/b"
    assert orjson.dumps(line["data"]) == value
    assert dict(headers)["ce_id"].decode() == line["id"]
    assert key == b"b"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"\xff\xfe{}", "not_utf8"),
        (b'{"specversion": "1.0",', "not_json"),
        (b"[1, 2]", "invalid_shape"),
        (b'{"specversion": "0.3", "type": "org.liveblog-streams.update.v1"}', "bad_envelope"),
        (b'{"specversion": "1.0", "type": "org.liveblog-streams.claim.v1"}', "bad_envelope"),
        (good_line().replace(b'"application/json"', b'"text/plain"'), "bad_envelope"),
        (good_line().replace(b'"data":', b'"data_base64":'), "invalid_shape"),
        (good_line().replace(b'"entry_id":"e1"', b'"entry_id":""'), "invalid_shape"),
        (good_line().replace(b'"headline"', b'"title"'), "invalid_shape"),
        (good_line().replace(b'"time":"2026-11-19T06:10:00Z"', b'"time":"noon"'), "invalid_shape"),
        (good_line()[:-1] + b',"pad":"' + b"x" * (1 << 20) + b'"}', "oversized"),
    ],
)
def test_bad_lines_have_stable_reasons(line: bytes, reason: str) -> None:
    with pytest.raises(Exception) as caught:
        parse_event(line)
    assert getattr(caught.value, "reason", None) == reason


def test_extension_attributes_are_allowed() -> None:
    line = good_line()[:-1] + b',"traceparent":"00-abc-def-01","subject":"e1"}'
    assert parse_event(line).update == UPDATES[0]


def test_bad_lines_do_not_stop_reading(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [good_line(UPDATES[0]), b"not json", b"", b"\xff", good_line(UPDATES[1]) + b"\r", b"  "]
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    items = list(iter_jsonl(path))
    assert [type(i).__name__ for i in items] == ["Event", "Reject", "Reject", "Event"]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [(r.position, r.reason, r.raw) for r in rejects] == [(2, "not_json", b"not json"), (4, "not_utf8", b"\xff")]
    assert isinstance(items[3], Event) and items[3].update == UPDATES[1]


@pytest.mark.parametrize("name", ["cut.jsonl.gz", "cut.jsonl.zst"])
def test_a_truncated_file_keeps_what_was_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    many = [
        u.model_copy(update={"entry_id": f"e{n}", "body": "x" * 2000 + str(n)}) for n in range(200) for u in UPDATES[:1]
    ]
    write_jsonl(many, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    events, rejects = read_jsonl(path)
    assert 0 < len(events) < 200
    assert len(rejects) == 1
    assert rejects[0].reason == "parse_error"
    assert rejects[0].position == len(events) + 1
    assert "cannot read the" in rejects[0].error


def test_concatenated_zstd_frames_are_one_stream(tmp_path: Path) -> None:
    path = tmp_path / "frames.jsonl.zst"
    compressor = zstandard.ZstdCompressor()
    first, second = good_line(UPDATES[0]), good_line(UPDATES[1])
    path.write_bytes(compressor.compress(first[:10]) + compressor.compress(first[10:] + b"\n" + second + b"\n"))
    events, rejects = read_jsonl(path)
    assert rejects == []
    assert [e.update for e in events] == UPDATES


@pytest.mark.parametrize("name", ["x.jsonl.gz", "x.jsonl.zst"])
def test_a_file_that_is_not_compressed_as_named_is_a_parse_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(good_line() + b"\n")
    with pytest.raises(ParseError, match=r"cannot read the (gzip|zstd) stream") as caught:
        read_jsonl(path)
    assert caught.value.line == 1
    assert caught.value.path == str(path)


def test_event_time_is_parsed() -> None:
    event = parse_event(good_line(UPDATES[1]))
    assert event.time == datetime(2026, 11, 19, 7, 0, tzinfo=UTC)
    assert event.source == "liveblog-streams/ingest/b"
    assert event.id == codec.event_id("b", "e2", "2", codec.dumps(UPDATES[1]).hex())


_line = st.binary(max_size=200) | st.sampled_from([good_line(u) for u in UPDATES]).flatmap(
    lambda good: st.integers(0, len(good)).map(lambda cut: good[:cut] + good[cut + 1 :])
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, max_size=6), suffix=st.sampled_from([".jsonl", ".jsonl.gz", ".jsonl.zst"]))
def test_fuzz(tmp_path: Path, lines: list[bytes], suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    raw = b"\n".join(lines)
    if suffix == ".jsonl.gz":
        raw = gzip.compress(raw) if len(lines) % 2 else raw[:50]  # sometimes not gzip at all
    elif suffix == ".jsonl.zst":
        raw = zstandard.ZstdCompressor().compress(raw) if len(lines) % 2 else raw[:50]
    path.write_bytes(raw)
    try:
        _, rejects = read_jsonl(path)
    except ParseError:
        return
    assert all(isinstance(r.position, int) and r.position >= 1 for r in rejects)
