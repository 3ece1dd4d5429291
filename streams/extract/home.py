"""A blog's home country from where its outlet files it: `/uk-news/`, BBC's `/news/live/uk-england-essex-…`.

Titles are a poor guide to where a local or national blog is: "BBC Local Live: Norfolk" names a US city to the
gazetteer (Norfolk, Virginia), "Devon & Cornwall" a Canadian one, "Labor pursues Simon Birmingham" an English
one. The section an outlet files a blog under says which country it is about, and a title that names no country
does not outweigh it (`enrichment.default_place`).
"""

from __future__ import annotations

import re
from typing import Final

# (pattern of the blog's URL, the country its section is about). Sections about the whole world, or a region of
# several countries ("world-us-canada"), name none.
_SECTIONS: Final = (
    (re.compile(r"\bbbc\.(?:com|co\.uk)/news/(?:live/)?uk-"), "United Kingdom"),
    (re.compile(r"\btheguardian\.com/(?:uk|uk-news|politics)/"), "United Kingdom"),  # its politics is Westminster's
    (re.compile(r"\btheguardian\.com/us-news/"), "United States"),
    (re.compile(r"\btheguardian\.com/australia-news/"), "Australia"),
    (re.compile(r"\bbbc\.(?:com|co\.uk)/news/(?:live/)?world-australia-"), "Australia"),
)


_LOCAL: Final = re.compile(r"\bbbc\.(?:com|co\.uk)/news/(?:live/)?uk-(?:england|scotland|wales|northern-ireland)-")


def local_section(url: str | None) -> bool:
    """Whether the blog is a BBC local live page (one region of the UK: "uk-england-norfolk-…")."""
    return bool(url) and _LOCAL.search(url or "") is not None


def home_country(url: str | None) -> str | None:
    """The country the section of a blog's URL is about; None for any other URL."""
    if not url:
        return None
    return next((country for pattern, country in _SECTIONS if pattern.search(url)), None)
