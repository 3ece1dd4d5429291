"""The one enrichment call shared by the enrich agent and `liveblog extract`, so they can never disagree."""

from __future__ import annotations

from functools import lru_cache

from schemas import EnrichedUpdate, RawUpdate
from streams.extract import enrich, guess_default_place
from streams.extract.home import home_country
from streams.extract.places import names_a_country
from streams.stories import story_of


@lru_cache(maxsize=4096)
def default_place(blog_title: str | None, url: str | None = None) -> str | None:
    """The blog's main place: the fallback for figures whose sentence names none. The country its title is most
    about, unless the outlet files the blog under another country's section (`home_country`) and the title names no
    country of its own: then the title's places are namesakes ("BBC Local Live: Norfolk" is not in Virginia)."""
    titled = guess_default_place([blog_title]) if blog_title else None
    home = home_country(url)
    if home is None or titled == home or (titled is not None and names_a_country(blog_title or "", titled)):
        return titled
    return home


def enrich_update(update: RawUpdate) -> EnrichedUpdate:
    enriched = enrich(update, default_place=default_place(update.blog_title, update.url))
    return enriched.model_copy(update={"story": story_of(update)})
