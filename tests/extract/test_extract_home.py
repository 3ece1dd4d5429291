"""A blog's home country from its outlet's section, and the default place it gives a blog whose title names only
namesakes. Titles and URLs here are written for these tests in the outlets' formats."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import RawUpdate
from streams.enrichment import default_place, enrich_update
from streams.extract.home import home_country

BBC_NORFOLK = "http://www.bbc.com/news/live/uk-england-norfolk-40245677"
GUARDIAN_US = "https://www.theguardian.com/us-news/live/2016/feb/20/south-carolina-primary-live"


@pytest.mark.parametrize(
    ("url", "country"),
    [
        (BBC_NORFOLK, "United Kingdom"),
        ("https://www.bbc.co.uk/news/uk-scotland-12345678", "United Kingdom"),
        ("https://www.theguardian.com/uk-news/live/2017/jun/17/a-fire-live", "United Kingdom"),
        (GUARDIAN_US, "United States"),
        ("https://www.theguardian.com/politics/blog/live/2017/feb/09/pmqs-live", "United Kingdom"),
        ("https://www.theguardian.com/australia-news/live/2016/jun/06/storms-live", "Australia"),
        ("https://www.theguardian.com/world/live/2015/apr/25/nepal-earthquake-live", None),
        ("http://www.bbc.com/news/live/world-us-canada-41060671", None),
        (None, None),
    ],
)
def test_the_section_of_a_blogs_url_names_its_home_country(url: str | None, country: str | None) -> None:
    assert home_country(url) == country


def test_a_title_of_namesakes_gives_way_to_the_home_country() -> None:
    assert default_place("BBC Local Live: Norfolk") == "United States", "Norfolk, Virginia, without the URL"
    assert default_place("BBC Local Live: Norfolk", BBC_NORFOLK) == "United Kingdom"
    assert default_place("Campaign live: candidates head to South Carolina", GUARDIAN_US) == "United States"
    assert default_place("Weather warnings for the region", BBC_NORFOLK) == "United Kingdom"


def test_a_title_naming_a_country_keeps_it() -> None:
    assert default_place("Aid convoy reaches Syria", BBC_NORFOLK) == "Syria"
    assert default_place("Britons caught up in the Tunisia attack", BBC_NORFOLK) == "Tunisia"
    assert default_place("Nepal earthquake: day one") == "Nepal"


def test_a_figure_of_a_local_blog_is_placed_in_its_home_country() -> None:
    update = RawUpdate(
        blog_id="b", entry_id="e", published=datetime(2016, 7, 15, 12, tzinfo=UTC),
        body="two people have died after a car crash on the a11 .", blog_title="BBC Local Live: Norfolk",
        url=BBC_NORFOLK,
    )  # fmt: skip
    assert [(f.metric, f.value, f.place) for f in enrich_update(update).figures] == [("killed", 2, "United Kingdom")]
