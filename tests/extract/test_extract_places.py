"""Where a figure is: places the gazetteer needs beyond countries and cities, and how a sentence names them. Every
sentence here is written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import RawUpdate
from streams.extract import extract_figures
from streams.extract.places import dominant_country, find_places, lookup

PUBLISHED = datetime(2019, 5, 4, 12, tzinfo=UTC)


def update(body: str, headline: str | None = None, *, title: str | None = None) -> RawUpdate:
    return RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, headline=headline, body=body, blog_title=title)


Placed = list[tuple[str, float | None, str | None]]


def placed(body: str, *, title: str | None = None, default: str | None = None) -> Placed:
    """(metric, value, place) of each figure of `body`."""
    return [(f.metric, f.value, f.place) for f in extract_figures(update(body, title=title), default_place=default)]


# --- regions and mountains ---------------------------------------------------------------------------------------


def test_regions_and_mountains_resolve_with_their_country() -> None:
    tibet, everest = lookup("tibet"), lookup("everest")
    assert tibet is not None and (tibet.name, tibet.kind, tibet.country) == ("Tibet", "region", "China")
    assert everest is not None and (everest.name, everest.kind) == ("Mount Everest", "mountain")
    assert lookup("Mount Everest") == everest


def test_a_toll_in_a_region_is_the_regions_not_the_blogs_country() -> None:
    body = "the tremor killed four people and badly hurt 11 in tibet , state media said ."
    assert placed(body, default="Nepal")[0] == ("killed", 4.0, "Tibet")
    assert placed("two people have died in tibet .", default="Nepal") == [("killed", 2.0, "Tibet")]


def test_on_a_mountain_is_where_a_toll_is() -> None:
    body = "at least seven people died on mount everest ."
    assert placed(body, default="Nepal") == [("killed", 7.0, "Mount Everest")]
    assert placed("a rockfall on everest has killed nine people .", default="Nepal") == [
        ("killed", 9.0, "Mount Everest")
    ]


def test_on_is_locative_before_a_mountain_only() -> None:
    assert [m.locative for m in find_places("Three climbers are trapped on Everest today")] == [True]
    assert [m.locative for m in find_places("new sanctions on Russia were agreed")] == [False]


def test_a_city_named_in_apposition_is_where_a_toll_is() -> None:
    body = "the cyclone left six dead and 30 injured in the capital port vila alone ."
    assert placed(body, default="Vanuatu") == [("killed", 6.0, "Port-Vila"), ("injured", 30.0, "Port-Vila")]
    assert placed("Six people died in the northern city, Kunduz.", default="Afghanistan") == [("killed", 6.0, "Kunduz")]
    # In lower-case text a common word after "the city" is no name: only "the capital" introduces one there.
    assert [m.locative for m in find_places("ten were hurt in the city kunduz", cased=False)] == [False]
    assert [m.locative for m in find_places("ten were hurt in the capital kabul", cased=False)] == [True]


def test_us_states_are_places_of_the_united_states() -> None:
    florida, texas = lookup("florida"), lookup("Texas")
    assert florida is not None and (florida.kind, florida.country, florida.region) == ("region", "United States", "FL")
    assert texas is not None and texas.population > 10_000_000  # its cities together: larger than any namesake
    washington = lookup("washington")
    assert washington is not None and washington.kind == "city"  # the capital keeps its name
    # Georgia is the country, unless the text or the blog is American.
    assert [m.place.kind for m in find_places("Protests in Tbilisi, Georgia")] == ["city", "country"]
    names = [(m.place.name, m.place.country) for m in find_places("Storm hits Florida, Georgia and South Carolina")]
    assert names == [("Florida", "United States"), ("Georgia", "United States"), ("South Carolina", "United States")]
    assert [m.place.country for m in find_places("Floods in Georgia", home="United States")] == ["United States"]
    # A town of another state gives the state its name; a large city keeps it.
    oregon = lookup("oregon")
    assert oregon is not None and oregon.kind == "region"
    # A state that is also a first name needs a locative or "state of".
    assert find_places("Virginia Raggi said") == []
    assert [m.place.name for m in find_places("shot dead in the us state of virginia .", cased=False)] == ["Virginia"]


def test_a_toll_told_for_several_countries_at_once_is_theirs_together() -> None:
    body = "at least 180 people have been killed in afghanistan and pakistan ."
    assert placed(body, default="Afghanistan") == [("killed", 180.0, "Afghanistan and Pakistan")]
    body = "more than 200 people died in syria , iraq and turkey ."
    assert placed(body) == [("killed", 200.0, "Iraq, Syria and Turkey")]
    # A country's own toll, with another's after it, stays the country's.
    body = "40 people were killed in pakistan and another 30 in afghanistan ."
    assert placed(body)[0] == ("killed", 40.0, "Pakistan")
    assert placed("30 died in kathmandu and pokhara .", default="Nepal") == [("killed", 30.0, "Kathmandu")]


def test_a_hyphenated_city_is_found_written_with_a_space() -> None:
    assert lookup("port vila") == lookup("Port-Vila") is not None
    assert placed("six people are confirmed dead in port vila .", default="Vanuatu") == [("killed", 6.0, "Port-Vila")]
    (mention,) = find_places("Gunmen killed 16 people in Grand Bassam on Sunday")
    assert (mention.place.name, mention.place.country) == ("Grand-Bassam", "Ivory Coast")


def test_a_city_name_several_countries_share_is_the_home_countrys_unless_far_smaller() -> None:
    def named(text: str, home: str | None) -> list[tuple[str, str]]:
        return [(m.place.name, m.place.country) for m in find_places(text, cased=False, home=home)]

    assert named("two people died on westminster bridge .", "United Kingdom") == [
        ("City of Westminster", "United Kingdom")
    ]
    assert named("a man was hurt in worcester .", "United Kingdom") == [("Worcester", "United Kingdom")]
    assert named("a man was hurt in worcester .", None) == [("Worcester", "United States")]
    assert named("the attacks in paris killed 130 .", "United States") == [("Paris", "France")], "Paris, Texas"


# --- a name at the end of a sentence -----------------------------------------------------------------------------


def test_a_two_word_name_before_a_full_stop_is_read_whole() -> None:
    (mention,) = find_places("Dozens were hurt in New York.")
    assert (mention.place.name, mention.locative) == ("New York City", True)
    (mention,) = find_places("Two hikers fell to their deaths on Mount Everest.")
    assert (mention.place.name, mention.locative) == ("Mount Everest", True)
    assert placed("Fourteen people were injured in New York.") == [("injured", 14.0, "New York City")]
    (mention,) = find_places("dozens were hurt in new york.", cased=False)
    assert (mention.place.name, mention.locative) == ("New York City", True)


# --- a place carried across an attribution -----------------------------------------------------------------------


def test_a_figure_after_an_attribution_keeps_the_place_its_sentence_gave_the_figure_before() -> None:
    for body in (
        "the death toll in dallas rose to 12 , the mayor said ; 40 people were hurt .",
        "The death toll in Dallas rose to 12, the mayor said; 40 people were hurt.",
    ):
        assert placed(body, default="United States") == [("killed", 12.0, "Dallas"), ("injured", 40.0, "Dallas")]


def test_no_place_is_carried_from_a_part_of_a_toll_or_from_another_event() -> None:
    body = "the death toll rose to 60 , including 25 people in houston , officials said ; 90 people were injured ."
    assert placed(body, default="United States")[-1] == ("injured", 90.0, "United States")
    body = "a gas blast killed 30 people in the 1990 attack in dallas , police said ; 40 people were hurt ."
    (old, new) = extract_figures(update(body), default_place="United States")
    assert (old.other_event, old.place) == (True, "Dallas")
    assert (new.other_event, new.place) == (False, "United States")


# --- a place before the figure over one in a later clause --------------------------------------------------------


def test_a_place_in_a_later_clause_is_the_figures_only_when_none_comes_before() -> None:
    for body in (
        "the death toll in lima stands at 40 , and nine people died in cusco .",
        "The death toll in Lima stands at 40, and nine people died in Cusco.",
    ):
        assert placed(body, default="Peru") == [("killed", 40.0, "Lima"), ("killed", 9.0, "Cusco")]
    body = "the blast killed three people and wounded 30 in lahore ."
    assert placed(body, default="Pakistan")[0] == ("killed", 3.0, "Lahore")
    body = "the blast killed three people and wounded 1,300 in lahore ."
    assert placed(body, default="Pakistan")[0] == ("killed", 3.0, "Lahore")
    body = "mourners in york remembered the 22 people killed and 59 hurt at a concert in leeds ."
    assert placed(body, default="United Kingdom") == [("killed", 22.0, "Leeds"), ("injured", 59.0, "Leeds")]


def test_a_short_word_in_capitals_is_an_abbreviation_not_the_city_it_spells() -> None:
    assert dominant_country(["WA floods: two towns cut off | Australia news"]) == "Australia"
    assert [m.place.name for m in find_places("Aid reaches Ulm, the UN says")] == ["Ulm"]
    assert [m.place.name for m in find_places("shelling in wa , the un says", cased=False)] == ["Wa"]


def test_in_the_country_is_the_country_the_sentence_named_even_in_its_attribution() -> None:
    body = "officials in india say that at least 20 people have been killed in the country ."
    assert placed(body, default="Nepal") == [("killed", 20, "India")]
    # With no country named before it, "in the country" is the blog's; a city named is where a speaker was.
    assert placed("at least 20 people have been killed in the country .", default="Nepal") == [("killed", 20, "Nepal")]
    body = "speaking in geneva , a un spokesman said 20 people have been killed in the country ."
    assert placed(body, default="Nepal") == [("killed", 20, "Nepal")]
    body = "officials in india say 20 people have been killed in the blast ; aid groups across the country help ."
    assert placed(body, default="Nepal") == [("killed", 20, "Nepal")]
