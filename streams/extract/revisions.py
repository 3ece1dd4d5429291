"""Whether a figure is stated as a downward revision of an earlier one: "the death toll has been revised down to
96", "authorities lowered the death toll to 64 from 71", "the number of dead was corrected to 19".

A cumulative series takes its largest value (`streams.totals`): a smaller figure is read as an older or partial
report. A figure its own clause states as a correction is the opposite: newer knowledge that replaces the larger
figures before it, so it is marked `revised_down`.

The test is conservative: a revising verb (revised, corrected, lowered, cut, reduced, downgraded) right before
the figure's "to", with at most a direction or the count it revises between them. A correction that names no
direction ("corrected to 19", "revised to around 80") counts, unless it comes from a smaller figure ("revised to
130 from 129"): a correction upwards needs no mark (a larger figure wins anyway), and "revised up to 300" is not
matched. A count that merely falls ("the number of people in shelters fell to 12") is no revision.

A revision is an authority's new bulletin: the other casualty figures the same source gives after it in the same
entry ("the civil protection revised the death toll down to 241 . it said 264 people were injured") are that
bulletin's too, and replace its earlier ones in the same way (`with_bulletin`).
"""

from __future__ import annotations

import re
from typing import Final

from schemas.models import Figure
from streams.extract.text import Caseless

# A revising verb, then "to" right before the figure, with at most a direction ("revised down to") or the count it
# revises between them ("lowered the death toll to", "revised the number of dead down to"): "cut off supplies to
# 20,000 residents" or "reduced access to 5,000 refugees" is no revision.
_DOWN = r"(?:\s+(?:down|downward|downwards|again|sharply|slightly|significantly))?"
_COUNT = (
    r"(?:\s+(?:the|its|their|an?|this|that)\s+(?:[\w'’-]+\s+){0,3}?(?:toll|number|figure|total|tally|count|estimate)"
    r"(?:\s+(?:of|from|in|for)\s+(?:the\s+)?[\w'’-]+)?)?"
)
_REVISED: Final = Caseless(
    r"\b(?:revised|revising|corrected|correcting|lowered|lowering|cut|cutting|reduced|reducing|downgraded"
    rf"|downgrading){_DOWN}{_COUNT}{_DOWN}\s+to\s+$"
)
_FROM_AFTER_RE: Final = re.compile(r"\s*(?:\w+\s+){0,2}from\s+(?:\w+\s+){0,4}?(\d[\d,]*)\b", re.IGNORECASE)
_REACH: Final = 90  # how far before the figure the revising verb is looked for


def revised_down(text: str, low: str | None, start: int, end: int, value: float | None) -> bool:
    """Whether the figure at `text[start:end]` (`value`, None for a range) is stated as a downward revision;
    `low` is `lowered(text)` when the caller has it."""
    match = _REVISED.search(text, low, max(0, start - _REACH), start)
    if match is None:
        return False
    earlier = _FROM_AFTER_RE.match(text, end)
    return earlier is None or value is None or float(earlier.group(1).replace(",", "")) > value


_CASUALTIES: Final = frozenset({"killed", "injured", "casualties"})


def with_bulletin(figures: list[Figure]) -> list[Figure]:
    """An entry's figures (in reading order) with the casualty figures of a revising source's bulletin marked
    `revised_down` too: after a downward revision of one casualty count by a named source, that source's counts of
    another casualty metric, same subject and place, later in the entry. Figures about another event, restated or
    vague ones are never marked; a figure with no source is no bulletin."""
    revisions = [(i, f) for i, f in enumerate(figures) if f.revised_down and f.source and f.metric in _CASUALTIES]
    if not revisions:
        return figures

    def of_bulletin(i: int, g: Figure) -> bool:
        return any(
            j < i
            and g.source == f.source
            and g.metric in _CASUALTIES
            and g.metric != f.metric
            and (g.subject, g.place) == (f.subject, f.place)
            for j, f in revisions
        )

    return [
        g.model_copy(update={"revised_down": True})
        if not (g.revised_down or g.other_event or g.restated or g.vague) and of_bulletin(i, g)
        else g
        for i, g in enumerate(figures)
    ]
