"""How authoritative a source is, for choosing the headline value among sources that disagree.

The rule (documented in the README): UN agencies and official statistics or national authorities (3) over
other officials and organisations (2) over media (1); a figure with no known source ranks last (0).
"""

from __future__ import annotations

import re
from functools import lru_cache

UN_AND_OFFICIAL = 3
OFFICIALS = 2
MEDIA = 1
UNKNOWN = 0

_UN = re.compile(
    r"\b(un|u\.n\.?|united nations|unhcr|ohchr|unicef|who|ocha|iom|wfp|unrwa|undp|unfpa|world health organi[sz]ation"
    r"|world food programme)\b",
    re.IGNORECASE,
)
_OFFICIAL_BODY = re.compile(
    r"\b(ministry|authority|agency|department|statistics|bureau|ndma|pdma|civil defen[cs]e|census|commission"
    r"|government)\b",
    re.IGNORECASE,
)
_MEDIA = re.compile(
    r"\b(reuters|ap|associated press|afp|agence france|bbc|cnn|guardian|times|post|news|newsweek|al jazeera"
    r"|tass|ria|interfax|media|journalist|newspaper|broadcaster|tv)\b",
    re.IGNORECASE,
)


#: A source named by a common noun alone, whose kind the noun does not tell: "the agency" is the AP as often as a
#: state agency, and an unnamed organisation ranks with officials, not above them.
_UNNAMED = frozenset({"agency"})


@lru_cache(maxsize=4096)
def authority(source: str | None) -> int:
    """The rank of a source: higher wins the headline."""
    if not source or source == "unknown":
        return UNKNOWN
    if _UN.search(source):
        return UN_AND_OFFICIAL
    if _MEDIA.search(source):  # before the official words: "Xinhua News Agency" is media, not an agency of state
        return MEDIA
    if source.lower() in _UNNAMED:  # "according to the agency": a news agency as often as one of state
        return OFFICIALS
    if _OFFICIAL_BODY.search(source):
        return UN_AND_OFFICIAL
    return OFFICIALS
