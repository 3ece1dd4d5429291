"""Parse a plain-text live-blog page into `RawUpdate`s: pure logic, no I/O.

The layout (see `shared/seed/liveblog-2022-03-30.txt`), one paragraph per line::

    <blog title>
    Live Updates                      marker, optional, dropped
    Today is Day 35 of ...            intro text before the first entry: dropped
      • summary bullet                one `summary` update each
    <photo title>                     a photo block: two adjacent lines, the second ending
    <caption ... Name/Agency>         with a photo credit; one `caption` update each
    Live Updates Have Ended.          marker, optional (an ongoing blog has none)
    <headline>                        an entry: a headline line, then paragraphs and bullet
                                      lists (blank lines between them), then photo blocks
    <paragraph>

Text between the "ended" marker and the first headline becomes an entry without a headline.

Ids are stable across re-parses and body edits: `e-<headline slug>` for entries (`e-untitled`
for the one without a headline), `s-<n>` for summary bullets (1-based, from the top),
`<owner id>/p-<photo title slug>` for captions, the owner being the entry the photo follows
(`header` before the first entry). Repeated ids get `-2`, `-3`, ... counted from the *bottom*
of the page, so that prepending a newer entry (live blogs are newest first) never renames an
older one.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from schemas.models import Kind, RawUpdate
from streams.errors import ParseError
from streams.ingest.heuristics import is_caption, is_headline_like, is_marker

__all__ = ["parse_plaintext"]

_BULLET_RE = re.compile(r"^\s*[•●▪◦‣]\s*(?P<text>.*)$")
_MAX_ADJACENT_TITLE_WORDS = 25
_MAX_SLUG = 80
_MAX_BLOG_ID = 200


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class _Bullets:
    items: list[str]  # grown while lexing
    line: int


@dataclass(frozen=True, slots=True)
class _Photo:
    title: str | None
    caption: str
    line: int


@dataclass(frozen=True, slots=True)
class _Marker:
    ended: bool
    line: int


_Unit = _Text | _Bullets | _Photo | _Marker


@dataclass(slots=True)
class _Draft:
    kind: Kind
    base_id: str
    headline: str | None = None
    blocks: list[str] = field(default_factory=list)
    owner: _Draft | None = None
    entry_id: str = ""


def parse_plaintext(
    text: str,
    *,
    blog_id: str,
    published: datetime,
    outlet: str | None = None,
    url: str | None = None,
) -> list[RawUpdate]:
    """Parse one page into its summary bullets, entries and photo captions, in page order.

    Raises `ParseError` for empty text, text with no entry, or text that is not valid Unicode;
    `ValueError` for a bad `blog_id` or a naive `published`.
    """
    if not 1 <= len(blog_id) <= _MAX_BLOG_ID:
        raise ValueError(f"blog_id must have 1 to {_MAX_BLOG_ID} characters, got {len(blog_id)}")
    if published.tzinfo is None or published.utcoffset() is None:
        raise ValueError("published must be timezone-aware")
    lines = text.splitlines()
    _check_unicode(lines)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ParseError("empty page: no text to parse", line=1)
    title: str | None = lines[first].strip()
    start = first + 1
    if is_marker(lines[first]) is not None or _BULLET_RE.match(lines[first]):
        title, start = None, first  # no title line
    cased = _is_cased(lines[start:])
    drafts = _assemble(_lex(lines, start, cased), cased)
    if not any(d.kind == "entry" for d in drafts):
        raise ParseError("no entry found: expected a headline line followed by a paragraph", line=len(lines))
    _assign_ids(drafts)
    return [
        RawUpdate(
            blog_id=blog_id,
            entry_id=d.entry_id,
            published=published,
            kind=d.kind,
            headline=d.headline,
            body="\n\n".join(d.blocks),
            url=url,
            outlet=outlet,
            position=position,
            blog_title=title,
        )
        for position, d in enumerate(drafts)
    ]


def _check_unicode(lines: list[str]) -> None:
    for number, line in enumerate(lines, start=1):
        try:
            line.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError("not valid Unicode (lone surrogate code point)", line=number) from exc


def _lex(lines: list[str], start: int, cased: bool) -> list[_Unit]:
    """Cut lines into units: text lines, bullet lists, photo blocks and markers; blank lines only
    matter for telling a photo block (two adjacent lines) from a headline and a paragraph."""
    units: list[_Unit] = []
    adjacent = False  # the previous line was non-blank
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.strip()
        if not line:
            adjacent = False
            continue
        prev = units[-1] if units else None
        if bullet := _BULLET_RE.match(raw):
            item = bullet["text"].strip()
            if isinstance(prev, _Bullets):
                prev.items.append(item)
            else:
                units.append(_Bullets([item], number))
        elif (ended := is_marker(line)) is not None:
            units.append(_Marker(ended, number))
        elif is_caption(line):
            if isinstance(prev, _Text) and _is_photo_title(prev.text, adjacent=adjacent, cased=cased):
                units[-1] = _Photo(prev.text, line, prev.line)
            else:
                units.append(_Photo(None, line, number))
        else:
            units.append(_Text(line, number))
        adjacent = True
    return units


def _is_photo_title(text: str, *, adjacent: bool, cased: bool) -> bool:
    if adjacent:
        return len(text.split()) <= _MAX_ADJACENT_TITLE_WORDS
    return is_headline_like(text, cased=cased)


def _headlines(units: list[_Unit], cased: bool) -> set[int]:
    """Indexes of the text units that are headlines.

    A headline is a headline-like line (see `is_headline_like`) directly followed, blank lines
    and markers aside, by a paragraph that is not headline-like, or by a bullet list once the
    entries have begun. In a run of headline-like lines only the last can qualify, so a
    paragraph that lacks its final period is not taken for the next entry's headline. Nothing
    before a "Live Updates Have Ended." marker is a headline, unless nothing after it is one
    (a page that puts the marker at its bottom).
    """
    content = [i for i, u in enumerate(units) if not isinstance(u, _Marker)]
    like = {i for i in content if isinstance(u := units[i], _Text) and is_headline_like(u.text, cased=cased)}
    found: list[int] = []
    for i, nxt in itertools.pairwise(content):
        after = units[nxt]
        if i in like and ((isinstance(after, _Text) and nxt not in like) or (isinstance(after, _Bullets) and found)):
            found.append(i)
    ended_at = next((i for i, u in enumerate(units) if isinstance(u, _Marker) and u.ended), None)
    if ended_at is not None and any(i > ended_at for i in found):
        found = [i for i in found if i > ended_at]
    return set(found)


def _assemble(units: list[_Unit], cased: bool) -> list[_Draft]:
    headlines = _headlines(units, cased)
    seen_ended = False
    drafts: list[_Draft] = []
    entry: _Draft | None = None
    for index, unit in enumerate(units):
        if isinstance(unit, _Marker):
            seen_ended = seen_ended or unit.ended
        elif isinstance(unit, _Photo):
            title = unit.title or "photo"
            drafts.append(_Draft("caption", f"p-{_slug(title)}", unit.title, [unit.caption], owner=entry))
        elif isinstance(unit, _Bullets):
            block = "\n".join(f"• {item}" for item in unit.items if item)
            if entry is None:
                drafts.extend(_Draft("summary", "s", None, [item]) for item in unit.items if item)
            elif block:
                entry.blocks.append(block)
        elif index in headlines:
            entry = _Draft("entry", f"e-{_slug(unit.text)}", unit.text)
            drafts.append(entry)
        elif entry is not None:
            entry.blocks.append(unit.text)
        elif seen_ended:  # text between the "ended" marker and the first headline
            entry = _Draft("entry", "e-untitled", None, [unit.text])
            drafts.append(entry)
        # else: intro text before the first entry ("Today is Day 35 ..."), dropped
    return drafts


def _is_cased(lines: list[str]) -> bool:
    """Whether the page keeps its capitals: most of its lines start with a capital letter
    (a lower-cased scrape with a stray "U.N." is still lower-cased)."""
    firsts = (next((c for c in line if c.isalpha()), "") for line in lines)
    letters = [c for c in firsts if c]
    return bool(letters) and sum(c.isupper() for c in letters) * 2 > len(letters)


def _assign_ids(drafts: list[_Draft]) -> None:
    summaries = [d for d in drafts if d.kind == "summary"]
    for n, draft in enumerate(summaries, start=1):
        draft.entry_id = f"s-{n}"
    entries = [d for d in drafts if d.kind == "entry"]
    for draft, entry_id in zip(entries, _disambiguate([d.base_id for d in entries]), strict=True):
        draft.entry_id = entry_id
    captions = [d for d in drafts if d.kind == "caption"]
    bases = [f"{d.owner.entry_id if d.owner else 'header'}/{d.base_id}" for d in captions]
    for draft, entry_id in zip(captions, _disambiguate(bases), strict=True):
        draft.entry_id = entry_id


def _disambiguate(bases: list[str]) -> list[str]:
    """Suffix repeats with -2, -3, ... counting from the last one (the oldest on a newest-first page)."""
    used: set[str] = set()
    last: dict[str, int] = {}
    out: list[str] = []
    for base in reversed(bases):
        candidate, n = base, last.get(base, 1)
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        last[base] = n
        out.append(candidate)
    return out[::-1]


def _slug(text: str) -> str:
    """Lower-case, accent-free, dash-separated: case and punctuation edits keep the same slug."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"['’`]", "", folded)
    slug = re.sub(r"[\W_]+", "-", folded).strip("-")[:_MAX_SLUG].rstrip("-")
    return slug or hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
