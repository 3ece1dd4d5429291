"""One blog in two layouts: the JSON-LD and plain-text parsers must agree on what it says."""

from __future__ import annotations

from pathlib import Path

from streams.ingest.archive import read_archive

BLOGS = Path(__file__).resolve().parents[1] / "data" / "blogs"


def test_json_ld_and_plain_text_twins_give_the_same_entries() -> None:
    jsonld = read_archive(BLOGS / "wildfire-twin.json")
    plain = read_archive(BLOGS / "wildfire-twin.txt")
    assert jsonld.rejects == plain.rejects == []
    # JSON-LD positions are chronological; the plain-text page is newest first
    chronological = sorted(jsonld.updates, key=lambda u: u.position)
    assert [(u.headline, u.body, u.kind) for u in reversed(chronological)] == [
        (u.headline, u.body, u.kind) for u in plain.updates
    ]
    assert {u.blog_title for u in jsonld.updates} == {u.blog_title for u in plain.updates}
    assert len(plain.updates) == 4


def test_the_json_ld_twin_carries_what_plain_text_cannot() -> None:
    updates = read_archive(BLOGS / "wildfire-twin.json").updates
    assert [u.entry_id for u in updates] == ["post-1", "post-2", "post-3", "post-4"]
    assert {u.outlet for u in updates} == {"The Example Courier"}
    revised = updates[2]
    assert revised.updated is not None and revised.updated > revised.published
    assert revised.published.utcoffset() is not None and revised.published.hour == 15  # 16:05+01:00
