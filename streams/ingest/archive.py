"""Reading an archive file into raw updates, whatever its format (chosen by its name).

| name                                         | format                                   | module      |
|----------------------------------------------|------------------------------------------|-------------|
| `*.txt`, `*.text`                            | a plain-text page                        | `plaintext` |
| `*.json`                                     | schema.org `LiveBlogPosting` JSON-LD     | `jsonld`    |
| `*.html`, `*.htm`                            | a saved page with JSON-LD blocks         | `html`      |
| `*.jsonl`, `*.jsonl.gz`, `*.jsonl.zst`       | our CloudEvents archive                  | `jsonl`     |
| `liveblogs-guardian-bbc.jsonl.gz`, or any    | the Guardian/BBC corpus, one blog a line | `corpus`    |
| `*.jsonl*` whose first line has `posts`      |                                          |             |

`read_archive` gives the updates and the rejects (bad lines or entries, which do not stop reading);
a file that cannot be read at all (missing, unreadable, an unsupported name, plain text that is not
UTF-8, JSON-LD without a `LiveBlogPosting`) raises `ParseError` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from schemas import RawUpdate
from streams.errors import ParseError
from streams.ingest import corpus, jsonl
from streams.ingest.html import parse_html
from streams.ingest.jsonld import parse_jsonld_bytes
from streams.ingest.plaintext import parse_plaintext
from streams.ingest.records import Archive, Reject, updates_keeping_rejects

__all__ = ["Archive", "Reject", "blog_id_for", "iter_archive", "load_updates", "published_for", "read_archive"]

_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MAX_BLOG_ID = 200
_JSONL = (".jsonl", ".jsonl.gz", ".jsonl.zst")
SUPPORTED = ".txt, .json, .html, .htm, .jsonl, .jsonl.gz, .jsonl.zst"

Items = Iterator[RawUpdate | Reject]


def blog_id_for(path: Path) -> str:
    """A stable blog id from the file name: the same archive always maps to the same blog."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug[:_MAX_BLOG_ID].rstrip("-") or "blog"


def published_for(path: Path) -> datetime:
    """The blog's date: from the file name when it carries one, else the file's modification time."""
    match = _DATE_IN_NAME.search(path.name)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return datetime(year, month, day, 12, 0, tzinfo=UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(microsecond=0)


def load_updates(path: Path) -> list[RawUpdate]:
    """The updates of an archive (rejects dropped: use `read_archive` to see them)."""
    return read_archive(path).updates


def read_archive(path: Path) -> Archive:
    """The updates and rejects of an archive, its format chosen by its name (see the module doc)."""
    archive = Archive()
    archive.updates.extend(updates_keeping_rejects(iter_archive(path), archive.rejects))
    return archive


def iter_archive(path: Path) -> Iterator[RawUpdate | Reject]:
    """The updates and rejects of an archive in reading order, one at a time: the corpus and JSON Lines archives
    (the formats that grow large) are streamed, so a caller that keeps less than the models needs less memory."""
    if not path.is_file():
        raise ParseError("no such file", path=str(path))
    reader = _reader_for(path)
    try:
        yield from reader(path)
    except ParseError as exc:
        if exc.path is not None:
            raise
        raise ParseError(_bare_message(exc), line=exc.line, path=str(path)) from exc
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc}", path=str(path)) from exc


def _reader_for(path: Path) -> Callable[[Path], Items]:
    name = path.name.lower()
    if name == corpus.CORPUS_NAME:
        return corpus.iter_corpus_records
    if name.endswith(_JSONL):
        return corpus.iter_corpus_records if corpus.looks_like_corpus(path) else _read_jsonl
    readers: dict[str, Callable[[Path], Archive]] = {
        ".txt": _read_plaintext,
        ".text": _read_plaintext,
        ".json": _read_jsonld,
        ".html": _read_html,
        ".htm": _read_html,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise ParseError(f"unsupported archive format {path.suffix!r} (supported: {SUPPORTED})", path=str(path))
    return lambda file: _items(reader(file))


def _items(archive: Archive) -> Items:
    """A format read whole (one blog a file), as items."""
    yield from archive.updates
    yield from archive.rejects


def _read_plaintext(path: Path) -> Archive:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text: {exc}") from exc
    return Archive(parse_plaintext(text, blog_id=blog_id_for(path), published=published_for(path)))


def _read_jsonld(path: Path) -> Archive:
    return parse_jsonld_bytes(path.read_bytes(), default_blog_id=blog_id_for(path))


def _read_html(path: Path) -> Archive:
    return parse_html(path.read_bytes(), default_blog_id=blog_id_for(path))


def _read_jsonl(path: Path) -> Items:
    for item in jsonl.iter_jsonl(path):
        yield item if isinstance(item, Reject) else item.update


def _bare_message(exc: ParseError) -> str:
    """The message of a `ParseError` without the `<line>: ` prefix its constructor added."""
    message = str(exc)
    prefix = f"{exc.line}: " if exc.line is not None else ""
    return message.removeprefix(prefix)
