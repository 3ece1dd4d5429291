"""The one enrichment call shared by the enrich agent and `liveblog extract`, so they can never disagree."""

from __future__ import annotations

from functools import lru_cache

from schemas import EnrichedUpdate, RawUpdate
from streams.extract import enrich, guess_default_place
from streams.stories import story_of


@lru_cache(maxsize=4096)
def default_place(blog_title: str | None) -> str | None:
    """The blog's main place, from its title: the fallback for figures whose sentence names none."""
    return guess_default_place([blog_title]) if blog_title else None


def enrich_update(update: RawUpdate) -> EnrichedUpdate:
    enriched = enrich(update, default_place=default_place(update.blog_title))
    return enriched.model_copy(update={"story": story_of(update)})
