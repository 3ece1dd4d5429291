"""A figure told of an event of another kind than the blog's ("a stampede" in a blog about a crane collapse) is
another event's (`streams/extract/event_kind.py`). Every sentence here is written for these tests, lower-cased and
tokenised like the archive."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import RawUpdate
from streams.extract import extract_figures
from streams.extract.event_kind import title_kinds

PUBLISHED = datetime(2016, 7, 15, 12, tzinfo=UTC)


def flags(body: str, title: str) -> list[tuple[float | None, bool]]:
    """(value, other_event) of each figure of an entry of a blog called `title`."""
    update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title=title)
    return [(f.value, f.other_event) for f in extract_figures(update)]


def test_a_title_names_the_kinds_of_its_event() -> None:
    assert title_kinds("Harbour crane collapse: 40 dead - as it happened") == {"collapse"}
    assert title_kinds("Storm Dora: rivers burst their banks - live") == {"storm"}
    assert title_kinds("Ferry crash: coastguard says 30 missing") == {"transport"}
    assert title_kinds("Brexit talks - politics live") == frozenset()
    assert title_kinds("Minister under fire over school budgets") == frozenset(), "'under fire' is no blaze"
    assert title_kinds("Refugee boat capsizes off the coast") == frozenset(), "a migration crisis is every kind"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Harbour crane collapse - live", "1998 : at least 120 workers are killed in a stampede at the gate ."),
        ("Harbour crane collapse - live", "2003 : a fire at the docks kills 54 people ."),
        ("Ferry crash: coastguard says 30 missing", "it follows a bomb attack on the port last year that killed 17 ."),
        ("Flood warnings in the north - live", "it recalls an earthquake in the region which left 61 people dead ."),
        # a disease is never a storm's other name: no article needed
        ("Storm Dora: rivers burst their banks - live", "aid workers fear the cholera epidemic that has killed 400 ."),
        ("Storm Dora: rivers burst their banks - live", "4,000 caught the disease , and close to 900 have died ."),
    ],
)
def test_an_event_of_another_kind_is_another_events(title: str, body: str) -> None:
    assert [other for _, other in flags(body, title)] == [True]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # the blog's own event under another name, or a part of it
        ("Market attack: city in mourning - live", "the crash , which left at least 80 people dead , was deliberate ."),
        ("Earthquake hits the north - live", "at least 12 pupils died in a stampede as they ran from the school ."),
        ("Earthquake hits the north - live", "a fire broke out after the quake , killing three people ."),
        ("Shooting at a mall - live", "the fire department said four people were injured in the car park ."),
        ("Shooting at a mall - live", "gunmen opened fire in the car park , killing six people ."),
        ("Cholera outbreak in the camps - live", "the epidemic has now killed 400 people ."),
        # a title with no kind, or a migration crisis: no test
        ("Latest updates - live", "a fire at the docks killed 54 people ."),
        ("Refugee crisis: borders close - live", "a boat sank in a storm , and 40 people died ."),
    ],
)
def test_the_blogs_own_event_or_a_part_of_it_is_not_another_kind(title: str, body: str) -> None:
    assert [other for _, other in flags(body, title)] == [False]
