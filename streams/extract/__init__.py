"""Figures about people and aid, read from live-blog updates: pure functions, no I/O.

extract_figures(update, default_place=None) -> list[Figure]
enrich(update, default_place=None) -> EnrichedUpdate
guess_default_place(texts) -> str | None
"""

from streams.extract.enrich import content_hash, enrich, guess_default_place
from streams.extract.figures import extract_figures

__all__ = ["content_hash", "enrich", "extract_figures", "guess_default_place"]
