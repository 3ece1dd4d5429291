"""Figures about another time or event told far from their marker, or in an entry with no known day, in
archive-style text (lower-cased, tokenised). Every sentence here is written for these tests; the entry is published
on 15 July 2016 unless it has no known day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import RawUpdate
from streams.extract import extract_figures

PUBLISHED = datetime(2016, 7, 15, 12, tzinfo=UTC)


def flags(
    body: str, headline: str | None = None, *, day_known: bool = True, place: str | None = None
) -> list[tuple[float | None, bool]]:
    """(value, other_event) of each figure of an entry with this body."""
    update = RawUpdate(
        blog_id="b", entry_id="e", published=PUBLISHED, headline=headline, body=body, day_known=day_known
    )
    return [(f.value, f.other_event) for f in extract_figures(update, default_place=place)]


# --- a time gone by at the head of the sentence, or after the figure --------------------------------------------


@pytest.mark.parametrize("day_known", [True, False])
def test_a_sentence_opening_with_a_time_gone_by_is_that_times(day_known: bool) -> None:
    body = "two months ago , gunmen stormed a hotel in the capital , killing 21 people ."
    assert flags(body, day_known=day_known) == [(21, True)]


@pytest.mark.parametrize(
    "body",
    [
        "three weeks ago , the dam was inspected ; at least 21 people have been killed in the flood .",
        "a year ago , the town was rebuilt , and now 21 people have died in the new quake .",
    ],
)
def test_a_time_gone_by_at_the_head_does_not_reach_past_today(body: str) -> None:
    assert flags(body) == [(21, False)]


def test_a_time_gone_by_after_the_figure_dates_its_event() -> None:
    body = "a bomber killed 22 people , mostly students , at a bus stop two years ago ."
    assert flags(body, day_known=False) == [(22, True)]


def test_a_time_gone_by_after_a_comparison_is_not_the_figures() -> None:
    assert flags("at least 22 people were killed , the worst attack since the bombing a year ago .") == [(22, False)]


# --- a year in an entry with no known day -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "the epidemic that began in 2011 has since killed nearly 4,000 people .",
        "earlier this year the agency said an outbreak in 2011 has since killed 4,000 people .",
        "it was the deadliest attack on the city since 2008 , when 64 people died .",
        "friday marks ten years since the 2006 floods , which killed 140 people .",
        "unrest in recent years has mostly targeted police , although six police officers were killed in a raid on"
        " the consulate in march 2013 .",
        "in 2013 , when a gunman opened fire in a cinema in the suburb , and killed 12 people , the mayor resigned .",
        "the 2005 bombings of the trains in the capital killed 52 people , prompting a major inquiry .",
    ],
)
def test_without_a_known_day_a_year_the_sentence_places_before_dates_the_figure(body: str) -> None:
    assert all(other for _, other in flags(body, day_known=False))
    assert flags(body, day_known=False)


@pytest.mark.parametrize(
    "body",
    [
        "the bombings in the capital killed 52 people .",
        "more than 250,000 people have been killed since 2011 .",
        "it was the deadliest attack on the city since 2008 . at least 64 people have died .",
        "the region has been calm since 2013 , when the truce was signed ; 12 people have been killed this week .",
    ],
)
def test_without_a_known_day_a_bare_year_does_not_date_the_figure(body: str) -> None:
    assert flags(body, day_known=False)
    assert not any(other for _, other in flags(body, day_known=False))


def test_a_year_opening_a_when_clause_dates_what_it_tells() -> None:
    body = "in 2013 , when a gunman opened fire in a cinema in the suburb , and killed 12 people , the mayor resigned ."
    assert flags(body) == [(12, True)]
    assert flags("in 2016 , when the storm hit the coast , 12 people were killed .") == [(12, False)]


# --- a sum since the year began ---------------------------------------------------------------------------------


def test_a_toll_abroad_in_a_local_blog_is_another_storys() -> None:
    local = "https://www.bbc.co.uk/news/live/uk-england-coventry-warwickshire-40000000"

    def told(body: str, url: str) -> list[tuple[float | None, bool]]:
        update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title="Live", url=url)
        return [(f.value, f.other_event) for f in extract_figures(update)]

    body = "thirteen people were killed after a van drove into pedestrians in barcelona ."
    assert told(body, local) == [(13, True)]
    assert told("thirteen people were killed in spain .", local) == [(13, True)]
    assert told("two men were killed in a crash near coventry .", local) == [(2, False)]
    # A town's name abroad may be an English town's the gazetteer lacks: only a large city or a country counts.
    assert told("two people were hurt in a crash in halifax .", local) == [(2, False)]
    # A national section may cover an event abroad for its readers.
    world = "https://www.theguardian.com/uk-news/live/2015/nov/05/sinai-plane-crash-live"
    assert told("thirteen people were killed in spain .", world) == [(13, False)]


def test_a_toll_so_far_this_year_in_a_blog_about_one_event_is_not_the_storys() -> None:
    def told(body: str, title: str) -> list[tuple[float | None, bool]]:
        update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title=title)
        return [(f.value, f.other_event) for f in extract_figures(update)]

    assert told("132 killed in turkey so far this year .", "Istanbul airport attack") == [(132, True)]
    # A chronic crisis's year to date is its own: an epidemic's, or migrants' (no event kind in the title).
    assert told("31 have died of the fever since the start of the year .", "Ebola outbreak") == [(31, False)]
    assert told("1,750 migrants have died at sea so far this year .", "Migrant crisis") == [(1750, False)]
    # Only in the figure's own clause.
    assert told("40 people were killed on tuesday , the deadliest attack so far this year .", "Kabul attack") == [
        (40, False)
    ]


def test_a_toll_over_years_or_a_yearly_rate_in_a_blog_about_one_event_is_not_the_storys() -> None:
    def told(body: str, title: str = "Brussels airport attack") -> list[tuple[float | None, bool]]:
        update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title=title)
        return [(f.value, f.other_event) for f in extract_figures(update)]

    assert told("more than 500 people have been killed by landmines in the last 20 years in the region .") == [
        (500, True)
    ]
    assert told("in the past decade , 300 people have been killed in such attacks .") == [(300, True)]
    assert told("about 40 people are killed in the valley every year .") == [(40, True)]
    # The story's own toll, beside a period that is another thing's: a comparison, an age, a rate of something else.
    assert told("32 people were killed , and the airport was less than a year old .") == [(32, False)]
    assert told("32 people were killed in the worst floods in the past 50 years .") == [(32, False)]
    assert told("32 people were killed in the heaviest rain since records began .") == [(32, False)]
    assert told("32 people were killed at the airport which handles 20 million passengers every year .") == [
        (32, False)
    ]
    assert told("in the past decade the airport was attacked twice ; on tuesday 32 people were killed .") == [
        (32, False)
    ]
    # A war's or a crisis's blog counts over years: its own toll.
    assert told("more than 500 people have been killed in recent years .", "Syria war") == [(500, False)]


def test_a_sum_of_many_events_so_far_this_year_is_not_the_storys() -> None:
    assert flags("", "132 killed in attacks in the country so far this year") == [(132, True)]
    assert flags("at least 90 people have been killed in shootings in the province this year alone .") == [(90, True)]


def test_many_events_told_with_no_article_are_a_campaigns_sum() -> None:
    def told(body: str, title: str) -> list[tuple[float | None, bool]]:
        update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title=title)
        return [(f.value, f.other_event) for f in extract_figures(update)]

    title = "Airstrike hits a clinic - live"
    assert told("government airstrikes killed 2,300 civilians in the region ( says monitor ) .", title) == [
        (2300, True)
    ]
    assert told("suicide bombings have killed more than 300 people in the country .", title) == [(300, True)]
    # The story's own events: with an article, a number or a day, or named so by the title.
    assert told("the airstrikes killed 22 people , the charity said .", title) == [(22, False)]
    assert told("both bombings killed 30 people .", title) == [(30, False)]
    assert told("coordinated attacks killed 129 people in the capital .", "Capital attacks - live") == [(129, False)]


@pytest.mark.parametrize(
    "body",
    [
        "at least 120 people have been killed so far , officials say .",
        "more than 1,900 migrants have died at sea so far this year , the agency says .",
        "forty-two people have died of the fever since the start of the year , the ministry said .",
    ],
)
def test_a_count_so_far_this_year_without_many_events_can_be_the_storys(body: str) -> None:
    assert flags(body)
    assert not any(other for _, other in flags(body))


# --- an account of earlier events ---------------------------------------------------------------------------------

_RECOUNT = (
    "here is a list of the major bombings on railways over the past ten years . - gunmen attacked the station in"
    " ankara , killing 30 . - a bomb hit a train near lyon , killing 14 people . another 12 were hurt ."
    " - a blast in a station in izmir killed nine ."
)


def test_in_an_account_of_earlier_events_those_in_another_country_are_other_events() -> None:
    assert flags(_RECOUNT, place="Turkey") == [(30, False), (14, True), (12, True), (9, False)]


def test_in_an_account_of_earlier_events_a_sentence_naming_no_place_is_not_abroad() -> None:
    body = (
        "here is a list of the major bombings on railways over the past ten years . - a bomb hit a train near lyon ."
        " as many as 20 people are feared dead ."
    )
    assert flags(body, place="Turkey") == [(20, False)]


def test_without_an_account_of_earlier_events_a_place_abroad_is_no_other_event() -> None:
    body = "gunmen attacked the station in ankara , killing 30 . a bomb hit a train near lyon , killing 14 people ."
    assert flags(body, place="Turkey") == [(30, False), (14, False)]


# --- a month gone by tied to what follows ---------------------------------------------------------------------------


def test_a_month_gone_by_opening_a_where_clause_dates_what_it_tells() -> None:
    body = (
        "it recalled the attack in lyon in march , where a man from the suburbs , a former soldier , drove a van"
        " along the quay into a crowd watching a parade , killing 41 and injuring dozens ."
    )
    assert flags(body)[0] == (41, True)
    body = "the attack in lyon in march , where a van was used , was similar ; police say 41 have been killed ."
    assert flags(body) == [(41, False)]


def test_a_term_of_years_is_another_time() -> None:
    assert flags("what about the 2,500 people killed in the city during your eight years ?") == [(2500, True)]
    assert flags("what about the 2,500 people killed ( shot ) in the city during your eight years ?") == [(2500, True)]
    assert flags("at least 2,500 people have been killed in the city , the mayor says .") == [(2500, False)]


# --- an event told as one of many, in another region of the blog's country ----------------------------------------


def titled_flags(body: str, title: str) -> list[tuple[float | None, bool]]:
    """(value, other_event) of each figure of an entry of a blog with this title."""
    update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title=title)
    return [(f.value, f.other_event) for f in extract_figures(update, default_place="United States")]


def test_an_event_in_a_city_of_another_state_than_the_titles_is_another_event() -> None:
    body = "the senator spoke after a shooting in chicago that left 12 people dead ."
    assert titled_flags(body, "Shooting at Ohio school - live") == [(12, True)]
    assert titled_flags(body, "Shooting at Illinois school - live") == [(12, False)]


def test_with_no_region_in_the_title_a_city_of_the_blogs_country_is_not_elsewhere() -> None:
    body = "the senator spoke after a shooting in chicago that left 12 people dead ."
    assert titled_flags(body, "Shooting at a US school - live") == [(12, False)]


def test_a_country_that_suffered_its_worst_event_is_another_events_place() -> None:
    body = "chile suffered its worst quake in decades with 500 people killed ."
    update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title="Peru and Bolivia quake")
    assert [(f.value, f.other_event) for f in extract_figures(update, default_place="Peru")] == [(500, True)]
    body = "bolivia suffered its worst quake in decades with 50 people killed ."
    update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body, blog_title="Peru and Bolivia quake")
    assert [(f.value, f.other_event) for f in extract_figures(update, default_place="Peru")] == [(50, False)]


# --- a time that opens a timeline's line, a main clause or a relative clause --------------------------------------


def test_a_timeline_line_opening_with_an_earlier_year_is_that_years_and_goes_on() -> None:
    body = (
        "the worst disasters at the shrine . 2009 : more than 200 pilgrims are killed in a crush at the bridge ."
        " more than 900 were injured . 2003 - a fire in the camp kills 31 pilgrims ."
    )
    assert flags(body) == [(200, True), (900, True), (31, True)]


def test_a_timeline_line_of_this_year_or_a_count_with_a_colon_is_not_another_years() -> None:
    assert flags("2016 : more than 200 pilgrims are killed in a crush at the bridge .") == [(200, False)]
    assert flags("the toll : 200 pilgrims have been killed in the crush .") == [(200, False)]


def test_a_year_opening_a_main_clause_after_a_semicolon_or_colon_dates_it() -> None:
    body = "the record is poor : a blast in a mine killed 70 people ; in 2013 , 119 people died in a factory fire ."
    assert flags(body) == [(70, False), (119, True)]
    assert flags("the record is poor : in 2013 , 119 people died in a factory fire .") == [(119, True)]


def test_a_month_of_this_year_opening_the_sentence_dates_it() -> None:
    body = "in march this year , the country suffered its worst flood on record with 900 people killed ."
    assert flags(body) == [(900, True)]
    assert flags("in july this year , 900 people have been killed in the floods .") == [(900, False)]


def test_a_years_event_told_in_a_relative_clause_dates_what_the_clause_tells() -> None:
    body = (
        "police say it surpasses a 1999 attack in which a man drove a van through the window of a diner in the town"
        " and opened fire , killing 21 people and wounding 14 others ."
    )
    assert flags(body) == [(21, True), (14, True)]
    body = "it was the worst since the 2009 quake , which destroyed the old town ; now 21 people have died ."
    assert flags(body) == [(21, False)]


# --- a headline that restates the body's figure of another time --------------------------------------------------


def test_a_headline_figure_the_body_tells_as_another_times_is_that_times() -> None:
    body = "investigations into a crash which killed six people in december are continuing , police said ."
    assert flags(body, "inquiries go on into the crash which killed six") == [(6, True), (6, True)]
    body = "six people were killed when the lorry hit the bus , police said ."
    assert flags(body, "crash killed six") == [(6, False), (6, False)]
    body = "four men were killed when the roof fell on monday . in 2010 , four men were killed in a fire there ."
    assert flags(body, "families wait for answers") == [(4, False), (4, True)], "no headline figure: none is one"


# --- a known event named by its place abroad -----------------------------------------------------------------------


def test_a_definite_event_named_by_a_place_abroad_is_another_events() -> None:
    body = "the president spoke of the terror attacks in paris in the winter , which killed 17 people ."
    assert flags(body, place="Tunisia") == [(17, True)]
    assert flags("the attacks in brussels killed 31 people .", place="Belgium") == [(31, False)]
    assert flags("the attack at the airport killed 11 people .", place="Belgium") == [(11, False)]


# --- people a state plans, pledges or is asked to let in --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "the minister urged the government to take in an extra 10,000 refugees .",
        "the country has agreed to accept 4,000 more refugees .",
        "britain will resettle up to 20,000 refugees from the camps .",
        "about 300 child refugees will be brought to the country under the new law .",
        "the first of the extra 12,000 refugees should arrive before christmas .",
        "the bloc backed a quota of 160,000 refugees .",
        "the city will take 100 refugees over the next five years .",
    ],
)
def test_a_planned_admission_is_no_current_total(body: str) -> None:
    assert flags(body) == [(flags(body)[0][0], True)]


@pytest.mark.parametrize(
    "body",
    [
        "more than 12,000 refugees have arrived in the country this week .",
        "buses were sent to take 500 refugees to the border .",
        "police counted 4,600 refugees waiting to be allowed into the country .",
        "the country already hosts some 220,000 refugees .",
    ],
)
def test_refugees_who_came_are_a_current_total(body: str) -> None:
    assert [oe for _, oe in flags(body)] == [False]


# --- full dates, "earlier this month", sums since a year, timelines, pledges ---------------------------------------


def titled(
    body: str, title: str | None = None, published: datetime = PUBLISHED
) -> list[tuple[str, float | None, bool]]:
    """(metric, value, other_event) of each figure of an entry of a blog with this title."""
    update = RawUpdate(blog_id="b", entry_id="e", published=published, body=body, blog_title=title)
    return [(f.metric, f.value, f.other_event) for f in extract_figures(update)]


@pytest.mark.parametrize(
    ("body", "other"),
    [
        ("on march 3 , 2009 , a string of bombings on market stalls killed 31 people .", True),
        ("on july 14 , 2016 , a gunman killed 31 people .", False),
        ("the blast , which occurred on 2 february , 2016 , shook the port . four people were killed .", True),
        ("the blast , which occurred on 13 july , 2016 , shook the port . four people were killed .", False),
        ("a bridge collapsed in the city earlier this month , killing 14 people .", True),
        ("2010 4 may : a bomb at a bus station kills 43 people .", True),
        ("the government pledged the evacuation of 2,000 residents .", True),
        ("the army says it has completed the evacuation of 2,000 residents .", False),
        ("on june 30 , 44 people were killed in a double bombing in the city .", True),
        ("on july 12 , 44 people were killed in a double bombing in the city .", False),
        ("a jet flew into a hillside near the town on 2 may 2014 ( 150 deaths ) .", True),
        ("a storm struck in september 1950 , destroying the town and killing as many as 900 people .", True),
        ("rebels may stage atrocities such as the june bombing at the market that killed 80 people .", True),
        ("the july bombing at the market killed 80 people .", False),
    ],
)
def test_dated_pledged_and_listed_figures(body: str, other: bool) -> None:
    assert [flag for _, _, flag in titled(body, "Port blast: live")] == [other]


def test_a_toll_since_an_earlier_year_is_many_events_unless_the_blog_is_a_wars() -> None:
    body = "at least 12 reporters have been killed in the country since 2001 ."
    assert titled(body, "Market bombing: live") == [("killed", 12, True)]
    assert titled(body, "Civil war: live") == [("killed", 12, False)]
    assert titled("at least 12 people have been killed in the bombing since 2001 .", None) == [("killed", 12, False)]


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("the number of injured has risen to 157 .", [("injured", 157, False)]),
        ("the number of people killed stands at 12 .", [("killed", 12, False)]),
        ("31 people , including a nurse from the local clinic , were wounded .", [("injured", 31, False)]),
    ],
)
def test_counts_told_as_a_number_of_or_around_an_aside(body: str, found: list[tuple[str, float, bool]]) -> None:
    assert titled(body, "Port blast: live") == found


@pytest.mark.parametrize("body", ["412 leave the old town .", "412 residents have left the old town so far today ."])
def test_leaving_a_place_is_evacuation_in_an_evacuation_blog(body: str) -> None:
    assert titled(body, "Evacuation of the old town begins: live") == [("evacuated", 412, False)]
    assert titled(body, "Port blast: live") == []
    assert titled("40 people were left injured .", "Evacuation of the old town begins") == [("injured", 40, False)]


@pytest.mark.parametrize(
    "title",
    [
        "Harbour bombing: fifth anniversary - as it happened",
        "Harbour siege inquest: day three - live",
        "Harbour bomber sentenced to life - as it happened",
        "Ferry disaster crash report released - live",
        "Tower fire public inquiry begins - live",
    ],
)
def test_a_follow_up_blog_recalls_its_events_tolls(title: str) -> None:
    body = "the bombing killed 31 people and injured 140 ."
    assert titled(body, title) == [("killed", 31, True), ("injured", 140, True)]


@pytest.mark.parametrize(
    "title", ["Harbour bombing: live", "Memorial Day storms: live", "Harbour attack: terror inquiry launched - live"]
)
def test_a_live_blog_of_the_event_keeps_its_tolls(title: str) -> None:
    assert titled("the bombing killed 31 people and injured 140 .", title) == [
        ("killed", 31, False),
        ("injured", 140, False),
    ]


def test_a_separate_incident_is_another_event_in_a_blog_about_one_spot() -> None:
    body = "elsewhere in the country , a car bomb killed 25 people ."
    assert titled(body, "Hotel bombing: live") == [("killed", 25, True)]
    stormy = "elsewhere in the country , floods killed 25 people ."  # the storm's reach, not another event
    assert titled(stormy, "Storm hits the coast: live") == [("killed", 25, False)]
    assert titled("in a separate attack , three soldiers were killed .", "Hotel bombing: live") == [("killed", 3, True)]


def test_a_timeline_line_of_a_month_and_year_is_that_times() -> None:
    body = "september 2005 : a plane crashed on take-off in the city , killing 149 people ."
    assert titled(body, "Plane crash: live") == [("killed", 149, True)]


def test_an_event_named_by_a_place_abroad_before_its_noun_is_another_events() -> None:
    body = "he helped plan the lyon attacks in which 40 people died ."
    assert titled(body, "Brussels lockdown: live") == [("killed", 40, True)]
    assert titled("the brussels attacks killed 32 people .", "Brussels attacks: live") == [("killed", 32, False)]


def test_a_count_since_an_earlier_event_begins_with_that_events_toll() -> None:
    body = "the list covers every shooting since a gunman killed 26 people at a school ."
    assert titled(body, "Mall shooting: live") == [("killed", 26, True)]
    assert titled("since the attack began , 14 people have been killed .", "Mall shooting: live") == [
        ("killed", 14, False)
    ]


def test_a_clause_of_a_bare_verb_or_a_breakdown_continues_an_earlier_events() -> None:
    body = (
        "two men are in custody over last month 's bombing that killed 22 people , including seven children , and"
        " left 100 injured ."
    )
    assert titled(body, "Arena attack: live") == [("killed", 22, True), ("killed", 7, True), ("injured", 100, True)]
    body = "a suspected rebel attack on a bank in another country 's capital , killed at least 10 people ."
    assert titled(body, "School attack in Lahore: live") == [("killed", 10, False)]  # no country named: no telling
    body = "a suspected rebel attack on a bank in afghanistan 's helmand province , killed at least 10 people ."
    assert titled(body, "Lahore school attack: live") == [("killed", 10, True)]


def test_a_quake_is_never_a_storms_other_name() -> None:
    body = "the quake , the strongest in 80 years , killed at least 61 people ."
    assert titled(body, "Hurricane makes landfall: live") == [("killed", 61, True)]
    assert titled(body, "Earthquake strikes: live") == [("killed", 61, False)]


def test_atrocities_named_by_a_place_abroad_are_another_events() -> None:
    body = "the president seeks support after the atrocities in lyon that left 130 dead ."
    assert titled(body, "Russia confirms pilot dead after jet downed") == [("killed", 130, True)]


def test_in_may_at_a_clauses_end_is_the_month() -> None:
    body = "the other occasion was the arena bombing which killed 22 people in may ."
    assert titled(body, "Tube bomb: live", datetime(2017, 9, 16, 12, tzinfo=UTC)) == [("killed", 22, True)]


def test_a_place_then_which_continues_the_clause_before() -> None:
    body = "he spoke of the january 2015 attack in the port , lyon which left 14 people dead ."
    assert titled(body, "Town hall debate: live") == [("killed", 14, True)]


def test_a_month_after_since_starts_a_running_total() -> None:
    published = datetime(2014, 10, 9, 12, tzinfo=UTC)
    running = "at least 61 have died since the outbreak struck in may ."
    assert titled(running, "Outbreak: live", published) == [("killed", 61, False)]
    assert titled("at least 61 died when the storm struck in may .", "Flood: live", published) == [("killed", 61, True)]


def test_a_named_storm_other_than_the_titles_is_another_event() -> None:
    body = "he covered typhoon haiyan in the philippines . haiyan killed more than 6,000 people ."
    assert titled(body, "Cyclone Debbie hits the coast: live") == [("killed", 6000, True)]
    assert titled("debbie killed two people .", "Cyclone Debbie hits the coast: live") == [("killed", 2, False)]
