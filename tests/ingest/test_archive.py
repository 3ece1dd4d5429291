"""`read_archive`: each format chosen by its file name, rejects kept, whole-file failures as ParseError."""

from __future__ import annotations

import gzip
import re
import shutil
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import RawUpdate
from streams.errors import ParseError
from streams.ingest.archive import Archive, Reject, blog_id_for, load_updates, published_for, read_archive
from streams.ingest.compression import open_write
from streams.ingest.events import structured_event
from streams.ingest.jsonl import write_jsonl
from streams.ingest.records import dead_letter_of

BLOGS = Path(__file__).resolve().parents[1] / "data" / "blogs"
T0 = datetime(2026, 11, 19, 6, 10, tzinfo=UTC)


def corpus_line(blog_id: str) -> bytes:
    post = {"block_id": "p1", "time": "10:00", "author": None, "title": "t", "text": ["a sentence ."]}
    return orjson.dumps({"blog_id": blog_id, "outlet": "bbc", "title": "x", "url": "u", "summary": [], "posts": [post]})


def test_plain_text() -> None:
    archive = read_archive(BLOGS / "wildfire-twin.txt")
    assert archive.rejects == []
    assert len(archive.updates) == 4 and {u.blog_id for u in archive.updates} == {"wildfire-twin"}
    assert load_updates(BLOGS / "wildfire-twin.txt") == archive.updates


@pytest.mark.parametrize("name", ["flood-jsonld.json", "flood-jsonld.html"])
def test_json_ld_and_html(name: str) -> None:
    updates = load_updates(BLOGS / name)
    assert [u.entry_id for u in updates] == [f"block-u{n}" for n in range(1, 12)]


def test_html_is_chosen_for_htm_too(tmp_path: Path) -> None:
    shutil.copy(BLOGS / "flood-jsonld.html", tmp_path / "page.HTM")
    assert load_updates(tmp_path / "page.HTM") == load_updates(BLOGS / "flood-jsonld.json")


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_our_jsonl_archive_with_a_bad_line(tmp_path: Path, suffix: str) -> None:
    update = RawUpdate(blog_id="b", entry_id="e1", published=T0, body="x")
    good = tmp_path / f"good{suffix}"
    write_jsonl([update, update.model_copy(update={"entry_id": "e2"})], good)
    assert [u.entry_id for u in load_updates(good)] == ["e1", "e2"]
    mixed = tmp_path / f"mixed{suffix}"
    with open_write(mixed) as out:
        out.write(b"{broken\n" + structured_event(update) + b"\n")
    archive = read_archive(mixed)
    assert archive.updates == [update]
    assert [(r.position, r.reason, r.raw) for r in archive.rejects] == [(1, "not_json", b"{broken")]


def test_the_corpus_is_recognised_by_name_or_by_its_first_line(tmp_path: Path) -> None:
    data = gzip.compress(corpus_line("a" * 40) + b"\nnot json\n")
    for name in ("liveblogs-guardian-bbc.jsonl.gz", "other.jsonl.gz"):
        (tmp_path / name).write_bytes(data)
        archive = read_archive(tmp_path / name)
        assert [(u.blog_id, u.entry_id) for u in archive.updates] == [("a" * 40, "p1")]
        assert [(r.position, r.reason) for r in archive.rejects] == [(2, "not_json")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("blog.pdf", b"%PDF", "unsupported archive format '.pdf'"),
        ("latin1.txt", "Caf\u00e9 news\n\nHeadline here\n\nA paragraph.".encode("latin-1"), "not UTF-8"),
        ("empty.txt", b"", "empty page"),
        ("article.json", b'{"@type": "NewsArticle"}', "no schema.org LiveBlogPosting"),
        ("broken.json", b'{"@type": ', "not JSON"),
        ("page.html", b"<html><p>no json-ld</p></html>", "no schema.org LiveBlogPosting"),
        ("x.jsonl.gz", b"not gzip", "cannot read the gzip stream"),
    ],
)
def test_a_file_that_cannot_be_read_at_all_is_a_parse_error(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ParseError, match=re.escape(message)) as caught:
        read_archive(path)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}:")
    with pytest.raises(ParseError):
        load_updates(path)


def test_a_parse_error_keeps_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b'{\n  "@type": "LiveBlogPosting",\n  oops\n}')
    with pytest.raises(ParseError) as caught:
        read_archive(path)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: not JSON")


def test_a_directory_is_not_an_archive(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        read_archive(tmp_path)


def test_blog_id_and_date_for_plain_text(tmp_path: Path) -> None:
    assert blog_id_for(Path("Ukraine War – 2022-03-30.txt")) == "ukraine-war-2022-03-30"
    assert blog_id_for(Path("¿¿¿.txt")) == "blog"
    assert len(blog_id_for(Path("x" * 300 + ".txt"))) == 200
    assert published_for(Path("liveblog-2022-03-30.txt")) == datetime(2022, 3, 30, 12, 0, tzinfo=UTC)
    path = tmp_path / "liveblog-2022-02-30.txt"
    path.write_text("x")
    assert published_for(path).tzinfo is not None


def test_archive_and_reject_are_frozen_and_make_dead_letters() -> None:
    reject = Reject(7, "not_json", "not JSON: oops", b"{oops")
    with pytest.raises(FrozenInstanceError):
        reject.position = 8  # type: ignore[misc]
    assert Archive().updates == [] and Archive().rejects == []
    letter = dead_letter_of(reject, source="a.jsonl", time=T0)
    assert (letter.reason, letter.stage, letter.value_b64) == ("not_json", "ingest", "e29vcHM=")
    assert letter.error == "a.jsonl:7: not JSON: oops"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    suffix=st.sampled_from([".txt", ".json", ".html", ".htm", ".jsonl", ".jsonl.gz", ".jsonl.zst", ".bin"]),
)
def test_fuzz(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz-2026-01-01{suffix}"
    path.write_bytes(data)
    try:
        archive = read_archive(path)
    except ParseError as exc:
        assert exc.path == str(path)
        return
    assert all(isinstance(u, RawUpdate) for u in archive.updates)
    assert all(isinstance(r, Reject) for r in archive.rejects)
