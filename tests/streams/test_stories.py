"""A blog's story is a pure function of its title, URL and day: one event links, two events never merge."""

from datetime import UTC, date, datetime

import pytest

from schemas import RawUpdate
from streams.stories import blog_story, clean_title, story_of, url_day

GUARDIAN = "https://www.theguardian.com/world/live/{}/{}"


def story(title: str, day: date | None = date(2031, 11, 14), url: str | None = None, blog: str = "b1") -> str:
    return blog_story(blog, title, url, day)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Lyon attacks: death toll rises as manhunt goes on – as it happened | World news | The Guardian",
            "attack/lyon",
        ),
        ("Explosions reported near Lyon station - BBC News", "attack/lyon"),
        ("Hurricane Zelda: Florida braces for landfall", "storm/zelda"),
        ("Governor tells residents to leave before the hurricane arrives", "blog/b1"),  # a passing mention
        ("Peru earthquake: rescuers search the rubble â as it happened", "earthquake/peru"),
        ("Refugee crisis: thousands cross the border on foot", "refugees/refugee-crisis"),
    ],
)
def test_the_event_at_the_front_of_the_title_names_the_story(title: str, expected: str) -> None:
    period = "2031" if expected.startswith("refugees") else "2031-11"
    assert story(title) == (expected if expected.startswith("blog/") else f"{expected}/{period}")


def test_days_and_outlets_of_one_event_link_and_other_events_do_not() -> None:
    day_one = story("Lyon attacks kill dozens", date(2031, 11, 13), blog="g1")
    day_two = story("Lyon attacks: police name a suspect", date(2031, 11, 15), blog="g2")
    other_outlet = story("Lyon attacks: Latest updates - BBC News", date(2031, 11, 14), blog="b1")
    assert day_one == day_two == other_outlet == "attack/lyon/2031-11"
    assert story("Lyon attack: tram stabbing", date(2032, 3, 2)) != day_one  # same city, another month
    assert story("Marseille attacks kill dozens", date(2031, 11, 13)) != day_one  # same month, another city
    assert story("Storm Aria batters coast", date(2031, 11, 13)) != story(
        "Storm Boris batters coast", date(2031, 11, 13)
    )


def test_blogs_that_only_mention_an_event_are_their_own_story() -> None:
    politics = "https://www.theguardian.com/politics/live/2031/nov/16/pm-statement-politics-live"
    assert story("PM's statement on the Lyon attacks", url=politics) == "blog/b1"
    assert story("Election debate: candidates clash over Lyon attacks") == "blog/b1"
    assert story("Lyon attack: minister's statement", url=politics) == "attack/lyon/2031-11"  # topic-led title
    assert story("Live: the markets today") == "blog/b1"
    assert story("Lyon attacks kill dozens", day=None) == "blog/b1"  # no day known: never linked


def test_the_url_gives_the_event_and_the_day_when_the_title_does_not() -> None:
    url = GUARDIAN.format("2031/nov/13", "shootings-reported-in-eastern-lyon-live")
    assert url_day(url) == date(2031, 11, 13)
    assert story("Gunmen open fire at a concert hall", day=url_day(url), url=url) == "attack/lyon/2031-11"
    update = RawUpdate(
        blog_id="g9",
        entry_id="e1",
        published=datetime(2031, 12, 1, 0, 30, tzinfo=UTC),
        blog_title="Lyon attacks",
        url=url,
    )
    assert story_of(update) == "attack/lyon/2031-11"  # the URL's day, not the entry's, past midnight
    undated = RawUpdate(
        blog_id="b9",
        entry_id="e1",
        published=datetime(2000, 1, 1, 9, tzinfo=UTC),
        blog_title="Lyon attacks",
        day_known=False,
    )
    assert story_of(undated) == "blog/b9"


def test_titles_lose_mojibake_and_page_furniture() -> None:
    assert clean_title("Lyon attacks âÂ as it happened | World news | The Guardian") == "lyon attacks"
    assert clean_title("Lyon attacks: Latest updates - BBC News") == "lyon attacks: latest updates"
