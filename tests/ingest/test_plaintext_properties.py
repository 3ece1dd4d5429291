"""Properties of the plain-text parser: arbitrary text, generated pages, and real archive pages."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.models import RawUpdate
from streams.errors import ParseError
from streams.ingest.plaintext import parse_plaintext

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "liveblogs-guardian-bbc.jsonl.gz"
PUBLISHED = datetime(2022, 3, 30, 23, 0, tzinfo=UTC)


def parse(text: str) -> list[RawUpdate]:
    return parse_plaintext(text, blog_id="generated", published=PUBLISHED)


# --- properties -----------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "",
        "",
        "Live Updates",
        "Live Updates Have Ended.",
        "  • A bullet.",
        "•",
        "Short Headline",
        "A full sentence ends here.",
        "Caption text on March 3. Jane Doe/AP Photo",
        "Twitter/@someone",
        "?",
        "'",
        "U.S.",
        "\u2028",
    ]
)


def _check_invariants(updates: list[RawUpdate]) -> None:
    assert [u.position for u in updates] == list(range(len(updates)))
    ids = [u.entry_id for u in updates]
    assert len(set(ids)) == len(ids)
    assert any(u.kind == "entry" for u in updates)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        updates = parse(text)
    except ParseError:
        return
    _check_invariants(updates)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=30), max_size=30))
def test_arbitrary_lines_parse_or_raise_parse_error(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        updates = parse(text)
    except ParseError:
        return
    _check_invariants(updates)
    assert parse(text) == updates


_WORD = st.sampled_from(
    ["ukraine", "russia", "talks", "aid", "kyiv", "city", "500", "u.n.", "mayor", "say", "new", "'strikes'"]
)
_HEADLINE = st.tuples(st.sampled_from(["kyiv", "aid", "talks"]), st.lists(_WORD, max_size=9)).map(
    lambda t: " ".join([t[0], *t[1]])
)
_SENTENCE = st.lists(_WORD, min_size=3, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=3).map(" ".join)
_PHOTO = st.tuples(_HEADLINE, _SENTENCE.map(lambda s: f"{s} Jane Doe/Getty Images"))
_ENTRY = st.tuples(
    _HEADLINE,
    st.lists(_PARAGRAPH, min_size=1, max_size=4),
    st.lists(_SENTENCE, max_size=3),
    st.lists(_PHOTO, max_size=2),
)


@settings(max_examples=200, deadline=None)
@given(
    entries=st.lists(_ENTRY, min_size=1, max_size=6),
    bullets=st.lists(_SENTENCE, max_size=4),
    ended=st.booleans(),
    style=st.sampled_from(["title", "sentence", "lower"]),
    gaps=st.lists(st.integers(1, 3), min_size=64, max_size=64),
)
def test_generated_pages_parse_back(
    entries: list[tuple[str, list[str], list[str], list[tuple[str, str]]]],
    bullets: list[str],
    ended: bool,
    style: str,
    gaps: list[int],
) -> None:
    """Pages built from known parts, with one to three blank lines between blocks, parse back into them."""
    gap = iter(gaps * 8)
    blocks = ["Generated Blog", "Live Updates", "Today is Day 1 of the crisis."]
    if bullets:
        blocks.append("\n".join(f"  • {b}" for b in bullets))
    if ended:
        blocks.append("Live Updates Have Ended.")
    expected: list[tuple[str, str | None, str]] = [("summary", None, b) for b in bullets]
    for headline, paragraphs, points, photos in entries:
        shown = {"title": headline.title(), "sentence": headline.capitalize()}.get(style, headline)
        body = [*paragraphs, "\n".join(f"• {p}" for p in points)] if points else paragraphs
        blocks += [shown, *paragraphs]
        if points:
            blocks.append("\n".join(f"  • {p}" for p in points))
        if photos:
            blocks.append("\n".join(line for photo in photos for line in photo))
        expected.append(("entry", shown, "\n\n".join(body)))
        expected += [("caption", title, caption) for title, caption in photos]
    text = "".join(block + "\n" * (1 + next(gap)) for block in blocks)
    if style == "lower":  # the lower-cased scrape of the same page
        text = text.lower()
        expected = [(k, h and h.lower(), b.lower()) for k, h, b in expected]
    updates = parse(text)
    assert [(u.kind, u.headline, u.body) for u in updates] == expected
    _check_invariants(updates)


# --- the real archive -------------------------------------------------------------------------------------


@pytest.mark.corpus
def test_headlines_found_on_lower_cased_archive_pages() -> None:
    """Guardian and BBC posts (lower-cased, tokenised) laid out as a page: headlines are found."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found at {CORPUS} (the shared folder is not mounted)")
    expected_total = found_total = wrong_total = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number == 200:
                break
            blog = json.loads(line)
            posts = [
                (p["title"].strip(), " ".join(p["text"]))
                for p in blog["posts"]
                if p["title"].strip() and p["text"] and " ".join(p["text"]).strip() != p["title"].strip()
            ]
            if not posts:
                continue
            page = [blog["title"] or "untitled", "live updates", *(f"  • {s}" for s in blog["summary"])]
            page += [part for post in posts for part in post]
            try:
                updates = parse("\n\n".join(page))
            except ParseError:
                expected_total += len(posts)
                continue
            expected = Counter(title for title, _ in posts)
            got = Counter(u.headline for u in updates if u.kind == "entry")
            expected_total += len(posts)
            found_total += sum((expected & got).values())
            wrong_total += sum((got - expected).values())
    assert expected_total > 5_000
    assert found_total / expected_total > 0.95
    assert wrong_total / expected_total < 0.01
