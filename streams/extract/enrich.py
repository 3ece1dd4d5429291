"""`enrich`: an update with its figures, places, entities, quotes and content hash."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Final

from schemas.models import EnrichedUpdate, RawUpdate
from streams.extract.figures import extract_with_context
from streams.extract.places import dominant_country, places_in

_QUOTE_RE: Final = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")
_MIN_QUOTE_WORDS: Final = 3


def content_hash(update: RawUpdate) -> str:
    """sha256 of headline and body (first 32 hex digits): equal hashes mean the same content."""
    return hashlib.sha256(f"{update.headline or ''}\n{update.body}".encode()).hexdigest()[:32]


def quotes_in(text: str) -> list[str]:
    """Quoted passages of at least three words."""
    return [q.strip() for q in _QUOTE_RE.findall(text) if len(q.split()) >= _MIN_QUOTE_WORDS]


def enrich(update: RawUpdate, *, default_place: str | None = None) -> EnrichedUpdate:
    """The update with what the extractor found in it."""
    text = f"{update.headline or ''}\n{update.body}"
    cased = text != text.lower()
    figures, context = extract_with_context(update, default_place)
    return EnrichedUpdate(
        update=update,
        content_hash=content_hash(update),
        places=places_in(text, cased=cased, trusted=context.trusted, home=context.home),
        entities=context.entities(),
        quotes=quotes_in(text),
        figures=figures,
    )


def guess_default_place(texts: Iterable[str]) -> str | None:
    """The blog's main country from its title and headlines (the first text, the title, weighs most)."""
    return dominant_country(t for t in texts if t)
