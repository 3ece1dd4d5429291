"""Archive-style text (lower-cased and tokenised: "2,500 people .", "u.n .", "we 've"): sources, places, headlines,
figures about another time or event, and what is not a figure. Every sentence here is written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import Figure, RawUpdate
from streams.extract import enrich, extract_figures
from streams.extract.places import places_in, title_places
from streams.extract.sources import find_attributions
from streams.extract.text import sentences

PUBLISHED = datetime(2016, 7, 15, 12, tzinfo=UTC)


def update(body: str, headline: str | None = None, *, title: str | None = None, day_known: bool = True) -> RawUpdate:
    return RawUpdate(
        blog_id="b",
        entry_id="e",
        published=PUBLISHED,
        headline=headline,
        body=body,
        blog_title=title,
        day_known=day_known,
    )


def figures(body: str, headline: str | None = None, **kwargs: object) -> list[Figure]:
    return extract_figures(update(body, headline, **kwargs))  # type: ignore[arg-type]


def sources(sentence: str) -> list[str]:
    return [a.name for a in find_attributions(sentence, cased=False)]


# --- sources without capitals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("the interior ministry said 20 people had died .", "Interior Ministry"),
        ("police said three people were hurt .", "Police"),
        ("the regional police said three people were hurt .", "Regional Police"),
        ("the red cross said 40 people were injured .", "ICRC"),
        ("unicef says 200 children have been displaced .", "UNICEF"),
        ("according to the bbc , 30 people died .", "BBC"),
        ("president hollande said 11 people had been killed .", "Hollande"),
        ("police spokesman stefan weber told reporters that 90 people arrived .", "Stefan Weber"),
        ("germany said it would take in 500,000 refugees .", "Germany"),
        ("its director said 143 people were treated .", "Director"),
        ("angela merkel said 800,000 refugees could come this year .", "Angela Merkel"),
        ("the chancellor , angela merkel , said 800,000 refugees could come .", "Angela Merkel"),
    ],
)
def test_lower_case_sources(sentence: str, source: str) -> None:
    assert sources(sentence) == [source]


@pytest.mark.parametrize(
    "sentence",
    [
        "casualties have been reported , with 15 dead .",
        "i met two families the other day who said 4 people had gone .",
        "this has yet to be confirmed , reuters quotes officials as saying .",
        "the latest information says 40 people died .",
        "the area of the stadium said to be hit was cleared .",
    ],
)
def test_lower_case_words_before_a_verb_are_not_a_source(sentence: str) -> None:
    assert all(name in ("Reuters", "Officials") for name in sources(sentence))


def test_tokenised_abbreviation_does_not_end_a_sentence() -> None:
    text = "the u.n . said 5,000 people had fled . the u.s . embassy said 40 people were hurt ."
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "the u.n . said 5,000 people had fled .",
        "the u.s . embassy said 40 people were hurt .",
    ]
    (first, second) = figures(text)
    assert (first.value, first.source) == (5000, "UN")
    assert second.value == 40


# --- places without capitals ----------------------------------------------------------------------------------


def test_ambiguous_town_needs_the_title_or_a_strong_cue() -> None:
    trusted = title_places("Nice attack: lorry drives into crowd on Bastille Day")
    assert trusted == frozenset({"nice"})
    assert places_in("it was a nice day on the seafront .", cased=False, trusted=trusted) == []
    assert places_in("84 people were killed in nice on thursday .", cased=False, trusted=trusted) == ["Nice"]
    assert places_in("84 people were killed in nice on thursday .", cased=False) == []
    assert places_in("84 people were killed in nice .", cased=False) == ["Nice"]
    assert places_in("the attack in the city of nice killed 84 people .", cased=False) == ["Nice"]


@pytest.mark.parametrize(
    "sentence",
    [
        "she was reading a book in split seconds .",
        "trains are back to normal in time for march .",
        "he went to say thank you at university .",
        "the council put $ 50m in police technology .",
        "hang in there , the soul of the city is strong .",
    ],
)
def test_common_words_are_not_places(sentence: str) -> None:
    assert places_in(sentence, cased=False) == []


def test_lower_case_place_of_a_figure() -> None:
    (f,) = figures("at least 84 people were killed in nice , the interior ministry said .")
    assert (f.value, f.place, f.source) == (84, "Nice", "Interior Ministry")


# --- headlines ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "want"),
    [
        ("nepal earthquake : death toll passes 2,500", ("killed", 2500)),
        ("hungary : 4,000 migrants cross border overnight", ("refugees", 4000)),
        ("fire : 30 confirmed dead , police say", ("killed", 30)),
        ("quake kills 41 people and injures more than 250", ("killed", 41)),
    ],
)
def test_figures_in_lower_case_headlines(headline: str, want: tuple[str, float]) -> None:
    found = figures("more to follow .", headline)
    assert (found[0].metric, found[0].value) == want


def test_verb_before_a_number_governs_it() -> None:
    found = figures("the attack at the airport killed 41 people and injured more than 250 .")
    assert [(f.metric, f.value) for f in found] == [("killed", 41), ("injured", 250)]


# --- figures about another time or event ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "the 2005 bombings killed 52 people .",
        "last year 's quake killed 9,000 people .",
        "it was the strongest since 1934 , when 10,000 people died .",
        "in 2004 the tsunami killed 230,000 people .",
        "in september 1997 , a smaller quake to the north killed 11 people .",
        "in the 1970s , when the regime fell , britain took in more than 27,000 refugees .",
        "he survived a stadium disaster 30 years ago , in which 39 people died .",
        "on the anniversary of the bombings , which killed 52 people , crowds gathered .",
        "previous attacks killed 130 people in the capital .",
        "a gunman attacked a school in the south in 2012 , killing three children .",
        "it was the strongest since a 1985 one in the capital killed thousands of people .",
        "so far the toll looks lower than when a quake hit the city in 2009 , killing 309 people .",
        "the quake struck in 2009 , killing at least 295 people , injuring more than 1,000 .",
    ],
)
def test_other_event(sentence: str) -> None:
    found = figures(sentence)
    assert found
    assert all(f.other_event for f in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "at least 84 people have been killed , the interior ministry said .",
        "more than 250,000 people have been killed since 2011 .",
        "the death toll rose to 84 , up from 80 earlier .",
        "the toll of 84 people killed in the 2016 attack is expected to rise .",
        "the party backed it in 2010 and now 1,500 syrian refugees have been resettled .",
        "the 2016 attack killed 84 people .",
        "more than 4 million people have fled syria since march 2011 .",
        "a conflict that has killed 40,000 people since it began in 1984 .",
        "talks had been under way since 2012 to end a conflict that has killed 40,000 people .",
        "five people have been killed in the largest quake since the february 2010 quake .",
        "the death toll rose to 1953 , with 4629 injured .",
        "the uk has accepted more than 1,000 refugees in the last year .",
        "a deal struck at the end of last year , which would resettle 1,250 refugees currently stranded .",
        "more than 500 people have been killed by landmines in the last 20 years .",
    ],
)
def test_current_figures_are_not_other_event(sentence: str) -> None:
    found = figures(sentence)
    assert found
    assert not any(f.other_event for f in found)


def test_other_event_in_a_sentence_with_a_current_figure() -> None:
    found = figures("in 2014 , 3,000 people died ; 84 people have been killed this year .")
    assert [(f.value, f.other_event) for f in found] == [(3000, True), (84, False)]


def test_without_a_known_day_only_words_date_a_figure() -> None:
    assert not figures("in 2005 , bombings killed 52 people .", day_known=False)[0].other_event
    assert figures("the 2005 bombings killed 52 people .", day_known=False)[0].other_event  # an event by its year
    assert figures("last year 's quake killed 9,000 people .", day_known=False)[0].other_event


def test_other_event_aid() -> None:
    (f,) = figures("in 2009 , an aid conference pledged $ 5bn in humanitarian aid .")
    assert f.metric == "aid"
    assert f.other_event


# --- what is not a figure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "iran will get rid of 98 % of its nuclear material , and 40 per cent of people agree .",
        "more than one in 10 would welcome a refugee into their home .",
        "the ftse 100 was hurt by the car makers , and the nikkei 225 was hurt too .",
        "a smaller quake in 1988 with a magnitude of 6.8 killed more than 1,000 people .",
        "the two men on death row were moved to another prison .",
        "it is the equivalent of only six refugees per constituency .",
        "the mine met its safety target of zero fatalities .",
        "the church includes three asylum seekers who fled the regime .",
        "we scored 2-1 at 10.30 , and the 22-year-old , aged 22 , lives at 10 downing street .",
        "police have arrested three more people in connection with the murder of a man found dead in a park .",
        "all 64 passengers on the ferry survived , and there were no serious injuries .",
    ],
)
def test_not_a_count_of_people(sentence: str) -> None:
    found = figures(sentence)
    assert [f.value for f in found] in ([], [1000])


@pytest.mark.parametrize(
    "sentence",
    [
        "the party has donated more than $ 10,000 to the campaign .",
        "labour pledges £ 10bn for nhs buildings .",
        "there 's a $ 595m saving by streamlining funding across health programs .",
        "the government is cutting in-work support by £ 2bn .",
        "the firm will make a £ 1 donation for every order .",
        "the company raised $ 1.3bn in a listing earlier this year .",
        "a new £ 1.7bn transforming cities fund was announced .",
        "the prime minister will pledge $ 20m toward new hospital wards .",
        "the attorney-general found a spare $ 25.5m for legal aid services .",
        "greece gets its next € 2bn aid tranche .",
        "the tax relief will be cut for people earning more than £ 150,000 .",
    ],
)
def test_money_that_is_not_aid(sentence: str) -> None:
    assert figures(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("the uk public donated more than £ 19m to the disasters emergency committee .", 19_000_000),
        ("labor welcomes the $ 44m in humanitarian relief funding for the crisis in syria .", 44_000_000),
        ("the government announced a £ 25m flood recovery fund .", 25_000_000),
    ],
)
def test_aid_in_lower_case_text(sentence: str, value: float) -> None:
    (f,) = figures(sentence)
    assert (f.metric, f.value) == ("aid", value)


def test_pledge_is_aid_in_a_crisis_blog() -> None:
    body = "the united states has pledged $ 5m ."
    assert extract_figures(update(body, title="Live: budget day in parliament")) == []
    (f,) = extract_figures(update(body, title="Nepal earthquake: rescue teams reach villages"))
    assert (f.metric, f.value) == ("aid", 5_000_000)


@pytest.mark.parametrize(
    "sentence",
    [
        "the minister said the company burned through £ 850m in cash in a few months .",
        "the council has been given £ 2m for the town 's new relief road .",
        "a runner raised £ 5,000 for sport relief .",
        "the central bank raised its emergency liquidity assistance to the banks by € 900m .",
        "the council pledged £ 100,000 to help the homeless this winter .",
    ],
)
def test_money_that_is_no_crisis_aid(sentence: str) -> None:
    assert figures(sentence) == []


def test_a_sum_for_a_crisis_is_still_aid() -> None:
    (f,) = figures("a charity sleep-out raised £ 16,000 for flood victims .")
    assert (f.metric, f.value) == ("aid", 16_000)


def test_enrich_lower_case_entry() -> None:
    entry = update(
        "the interior ministry said at least 84 people were killed in nice . it was a nice evening until then .",
        "death toll rises to 84",
        title="Nice attack: truck drives into Bastille Day crowd",
    )
    enriched = enrich(entry)
    assert enriched.places == ["Nice"]
    assert "Interior Ministry" not in enriched.entities  # entities are agencies and named people
    assert {f.value for f in enriched.figures} == {84}


def test_people_who_escaped_with_injuries_are_injured() -> None:
    assert [(f.metric, f.value) for f in figures("two women in the van escaped with minor injuries .")] == [
        ("injured", 2)
    ]


def test_a_sentence_told_twice_in_an_entry_is_one_claim() -> None:
    body = "the red cross says 26 wounded people have left the city . " * 2  # an embedded post repeats the text
    assert [(f.metric, f.value) for f in figures(body)] == [("injured", 26)]


def test_a_flights_or_an_aircrafts_number_is_no_count() -> None:
    found = figures("all 150 people on board flight 4u 9525 were killed when the plane hit a mountainside .")
    assert [(f.metric, f.value) for f in found] == [("killed", 150)]
    assert figures("the debris belongs to a boeing 777 , the same aircraft as the missing one .") == []
