"""Reading an archive file into raw updates, whatever its format (chosen by its name)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from schemas import RawUpdate
from streams.errors import ParseError
from streams.ingest.plaintext import parse_plaintext

_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def blog_id_for(path: Path) -> str:
    """A stable blog id from the file name: the same archive always maps to the same blog."""
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "blog"


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
    """The updates of an archive: a plain-text page (`.txt`)."""
    if not path.is_file():
        raise ParseError("no such file", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text"):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"not UTF-8 text: {exc}", path=str(path)) from exc
        return parse_plaintext(text, blog_id=blog_id_for(path), published=published_for(path))
    raise ParseError(f"unsupported archive format {suffix!r} (supported: .txt)", path=str(path))
