"""The general causes behind final figures missing from story totals and other events leaking into them, in
archive-style text (lower-cased, tokenised). Every sentence here is written for these tests; the entry is
published on 15 July 2016 unless a test says otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import Figure, RawUpdate
from streams.extract import extract_figures

PUBLISHED = datetime(2016, 7, 15, 12, tzinfo=UTC)


def figures(
    body: str, headline: str | None = None, *, place: str | None = None, title: str | None = None
) -> list[Figure]:
    update = RawUpdate(
        blog_id="b", entry_id="e", published=PUBLISHED, headline=headline, body=body, blog_title=title, day_known=True
    )
    return extract_figures(update, default_place=place)


def found(body: str, **kwargs: object) -> list[tuple[str, float | None]]:
    return [(f.metric, f.value) for f in figures(body, **kwargs)]  # type: ignore[arg-type]


# --- number forms and metric words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "want"),
    [
        ("the death toll from the storm in the province is now 412 , officials say .", ("killed", 412)),
        ("the death toll currently stands at 58 , the coroner said .", ("killed", 58)),
        ("the minister confirmed the death toll as 96 people .", ("killed", 96)),
        ("officials revised the death toll again . the figure now stands at 203 , he says .", ("killed", 203)),
        ("dozens were hurt in the blast . the total now stands at 61 injured .", ("injured", 61)),
    ],
)
def test_toll_phrasings(body: str, want: tuple[str, float]) -> None:
    assert want in found(body)


def test_a_revised_figure_refers_to_the_count_two_sentences_back() -> None:
    body = (
        "the number of people killed may be lower than feared . an hour ago the rescue chief put it at 248 ."
        " he has since revised the figure down to 216 people ."
    )
    found_ = figures(body)
    assert [(f.metric, f.value, f.revised_down) for f in found_] == [
        ("killed", 248, False),
        ("killed", 216, True),
    ]


def test_the_figure_looks_back_no_further_than_two_sentences() -> None:
    body = "nine people were killed . the mall reopened . ticket sales rose . the figure now stands at 203 ."
    assert found(body) == [("killed", 9)]


def test_people_counted_part_by_part_are_one_toll_their_sum() -> None:
    assert found("28 men and 10 women were killed in the attack .") == [("killed", 38)]
    assert found("a mother and three children died in the fire .") == [("killed", 4)]
    assert found("two police officers and a civilian were killed .") == [("killed", 3)]
    assert found("gunmen killed two soldiers and a civilian .") == [("killed", 3)]
    assert found("four children , a man and a woman died .") == [("killed", 6)]
    (whole,) = figures("two young children and six adults were injured .")
    assert (whole.value, whole.subject, whole.text) == (8, "people", "two young children and six adults were injured")


def test_parts_of_another_clause_or_a_breakdown_are_not_summed() -> None:
    assert found("the outbreak has infected 61 people and one person has died .") == [("killed", 1)]
    assert found("five people were killed and a child injured .") == [("killed", 5)]
    assert found("12 people died , among them a mother and three children .") == [("killed", 12)]
    assert found("two men and a woman were arrested .") == []


def test_what_is_left_of_a_set_and_people_abroad_are_no_crisis_counts() -> None:
    assert found("the 27 remaining member states agreed .") == []
    assert found("five remaining candidates will debate tonight .") == []
    assert found("the 300 remaining residents are trapped .") == [("remaining", 300)]
    assert found("tens of thousands remaining in the city .") == [("remaining", 20000)]
    assert found("110,000 customers who are abroad will be flown home .") == []
    assert found("two million have fled abroad .") == [("refugees", 2_000_000)]
    assert found("around 300 caravans have been evacuated .") == []


def test_a_figure_without_a_casualty_word_before_it_is_no_toll() -> None:
    assert found("ticket sales were strong . the figure now stands at 203 , he says .") == []


def test_people_nouns_in_ans_and_derived_demonyms() -> None:
    assert found("at least 612 palestinians have been killed , the health ministry said .") == [("killed", 612)]
    assert found("more than 90,000 gazans are displaced , the agency said .") == [("internally_displaced", 90000)]
    assert found("four israelis were wounded in the attack .") == [("injured", 4)]


def test_attackers_are_their_own_subject() -> None:
    (victims, attackers) = figures("at least 88 people were killed and five attackers also died , police say .")
    assert (victims.subject, victims.value) == ("people", 88)
    assert (attackers.subject, attackers.value, attackers.metric) == ("attackers", 5, "killed")


def test_attackers_are_not_what_a_later_bare_number_counts() -> None:
    found_ = figures("three suspected gunmen have been killed . the toll passed the 40 who were killed on monday .")
    assert [f.subject for f in found_] == ["attackers", "people"]


def test_a_colon_ends_a_breakdown_only_when_a_number_follows_it() -> None:
    body = (
        "queues at blood banks after the shooting left 50 dead watch live : sheriff says the death toll has risen to 58"
    )
    assert found(body) == [("killed", 50), ("killed", 58)]
    assert found("the blasts killed 41 people : 20 in the market , 21 at the station .") == [("killed", 41)]


# --- place attribution: a part's place is not the whole's ------------------------------------------------------


def test_a_breakdown_after_a_number_keeps_its_place_to_itself() -> None:
    (whole,) = figures("at least 700 people have died , 450 in kathmandu .", place="Nepal")
    assert (whole.value, whole.place) == (700, "Nepal")
    (whole,) = [
        f
        for f in figures("the death toll is now 960 , with 520 victims in kathmandu .", place="Nepal")
        if f.value == 960
    ]
    assert whole.place == "Nepal"


def test_a_coordinated_figure_shares_the_place_after_it() -> None:
    (killed, injured) = figures("the quake killed five people and injured 13 people in pakistan .", place="Nepal")
    assert killed.place == injured.place == "Pakistan"


def test_a_place_of_an_earlier_number_in_a_list_is_not_the_next_figures() -> None:
    body = "the deaths include 870 in nepal and 25 in bangladesh and more than 1,700 people have also been injured ."
    (injured,) = [f for f in figures(body, place="Nepal") if f.metric == "injured"]
    assert injured.place == "Nepal"


# --- figures about another time or event -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "in 1703 , three quakes struck the region , killing an estimated 10,000 people .",
        "in march , a lorry was driven into a crowd in the capital , killing 14 .",
        "last may , a bomb at a stadium killed 31 people .",
        "more than 90,000 asylum seekers entered germany in june .",
        "the government is expecting up to 600,000 refugees this year .",
        "about 600,000 refugees are expected in the country this year .",
        "officials fear the death toll could rise to 300 .",
        "the toll now exceeds the 52 who were killed in the bombings of july 2005 .",
        "a lorry crash on the bypass killed four people three months ago .",
        "the ferry sank two weeks ago , leaving 19 people dead .",
        "the city is still on alert after march 's bombings , which left 32 dead .",
        "the village was hit hard by the first quake on 2 july that killed 40 people .",
        "the bombing on 28 june 2015 left 38 people dead .",
        "there have been 40 bombings across the country , killing 230 people .",
        "dozens of attacks on aid convoys have left 75 people dead .",
    ],
)
def test_other_event(body: str) -> None:
    found_ = figures(body)
    assert found_
    assert all(f.other_event for f in found_)


def test_sentences_after_one_about_an_earlier_time_go_on_telling_of_it() -> None:
    body = (
        "the city 's worst fire took place in a tower block in 2009 . six people were killed when the flames spread ."
        " at least 20 were injured . today , at least 12 people have died in the new fire ."
    )
    assert [(f.value, f.other_event) for f in figures(body)] == [(6, True), (20, True), (12, False)]


def test_an_explosion_told_with_its_year_dates_the_sentences_after_it() -> None:
    body = "in 2012 , a bomb exploded . on a crowded bus . near the market , killing 14 and injuring 60 ."
    assert [(f.value, f.other_event) for f in figures(body)] == [(14, True), (60, True)]


def test_a_sentence_in_the_present_breaks_the_account_of_an_earlier_time() -> None:
    body = "a quake hit the region in 2009 . at least 120 people have died so far in this one ."
    assert [(f.value, f.other_event) for f in figures(body)] == [(120, False)]


def test_another_event_in_another_country_and_what_follows_it() -> None:
    body = (
        "a 6.9-magnitude tremor struck japan on friday , killing at least 41 people . the first , on wednesday ,"
        " killed nine people ."
    )
    assert [(f.value, f.other_event) for f in figures(body, place="Ecuador")] == [(41, True), (9, True)]


def test_a_timeline_line_opening_with_an_earlier_day_is_that_days_event() -> None:
    body = (
        "3 february 2016 : a bomb at a bus station in the capital killed 11 people ."
        " 14 july 2016 : gunmen stormed the stadium , killing at least 40 ."
    )
    assert [(f.value, f.other_event) for f in figures(body)] == [(11, True), (40, False)]


def test_another_count_after_an_other_event_figure_is_that_events() -> None:
    body = "a bomb went off in the market in 2012 , killing nine . another 30 people were injured ."
    assert [(f.value, f.other_event) for f in figures(body)] == [(9, True), (30, True)]


def test_the_blogs_own_event_in_another_country_is_not_another_event() -> None:
    body = "a 7.8-magnitude quake struck nepal on saturday , killing 36 people in india ."
    assert [(f.value, f.other_event) for f in figures(body, place="Nepal")] == [(36, False)]


@pytest.mark.parametrize(
    "body",
    [
        "at least 40 people have been killed in july , the ministry said .",
        "the death toll of 84 is expected to rise .",
        "more than 3 million people have fled since march 2011 .",
        "the agency said 1,250 refugees currently stranded would be resettled .",
        "at least 64 soldiers have been killed since the fighting began on 8 june .",
        "twelve people are still in hospital after the attack on 1 july .",
        "27 people were killed in the blast on 13 july .",
        "two attacks on the capital killed 31 people .",
        "the 12 july attacks killed 31 people , officials say .",
    ],
)
def test_current_figures(body: str) -> None:
    found_ = figures(body)
    assert found_
    assert not any(f.other_event for f in found_)


# --- sources ------------------------------------------------------------------------------------------------------


def test_a_reporter_in_the_progressive_is_the_source_but_a_passive_names_none() -> None:
    (f,) = figures("china 's xinhua news agency is reporting that 12 people have died .")
    assert f.source == "Xinhua News Agency"
    (g,) = figures("police are saying 20 people were injured .")
    assert g.source == "Police"
    (h,) = figures("the police was given more time to question him ; two people died .")
    assert h.source is None


def test_an_official_speaks_for_the_body_named_before_the_title() -> None:
    (f,) = figures("the death toll rose to 230 , regional police spokesman ali rahimi tells the bbc .")
    assert f.source == "Regional Police"
    (f,) = figures("the office of health minister anna de vries says 31 people are dead .")
    assert f.source == "Health Ministry"
    (f,) = figures("the office of dutch health minister anna de vries says 31 people are dead .")
    assert f.source == "Dutch Health Ministry"


def test_a_generic_ministry_is_not_the_entrys_latest_state() -> None:
    body = "us envoys met the president . at least 797 people have been killed , according to health ministry figures ."
    (f,) = figures(body)
    assert f.source == "Health Ministry"


def test_a_headline_body_that_updates_figures_is_their_source() -> None:
    found_ = figures(
        "31 people are dead and 300 injured .", headline="belgian health ministry updates casualty figures"
    )
    assert {f.source for f in found_} == {"Belgian Health Ministry"}


@pytest.mark.parametrize(
    "body",
    [
        "the border police said they had arrested 18 suspected people smugglers overnight .",
        "more than eight in 10 voters who back him regard refugees as a threat .",
        "the mayor will tell the 1 million europeans who live in the city that they remain welcome .",
        "with three suspected attackers still on the loose , the capital remains on alert .",
    ],
)
def test_not_a_figure(body: str) -> None:
    assert figures(body) == []


def test_attackers_who_killed_others_are_not_a_toll() -> None:
    found_ = figures("he was one of three attackers who killed seven people at the market .")
    assert [(f.value, f.subject) for f in found_] == [(7, "people")]
    found_ = figures("two suspected gunmen armed with knives killed at least four people at the station .")
    assert [(f.value, f.subject) for f in found_] == [(4, "people")]


@pytest.mark.parametrize(
    ("body", "want"),
    [
        (
            "a boy was said to be pulled from the rubble of the 1985 earthquake . coverage turned to the school ,"
            " which collapsed on tuesday , killing 21 students .",
            [(21, False)],
        ),
        (
            "the 2008 war killed around 1,400 people . the death toll now rises to 1,364 , with 6,780 wounded .",
            [(1400, True), (1364, False), (6780, False)],
        ),
        (
            "he was questioned by police in 2015 but officers found no sign he was planning an attack . three men"
            " carried out the rampage in which seven people died .",
            [(7, False)],
        ),
        ("at least 223 people have been confirmed dead in the district and the number would go up .", [(223, False)]),
    ],
)
def test_what_brings_an_account_back_to_today(body: str, want: list[tuple[float, bool]]) -> None:
    assert [(f.value, f.other_event) for f in figures(body)] == want


def test_a_pledge_of_aid_is_the_aid_figure_itself() -> None:
    (f,) = [
        f for f in figures("the us pledged $ 1m in aid and said it would send a disaster team .") if f.metric == "aid"
    ]
    assert not f.other_event


@pytest.mark.parametrize(
    "body",
    [
        "the minister said he would look into claims that up to 81 civilians have been killed in the strikes .",
        "officials said there could be many reasons why the 179 refugees left the train .",
    ],
)
def test_a_modal_outside_the_figures_clause_is_no_forecast(body: str) -> None:
    found_ = figures(body)
    assert found_
    assert not any(f.other_event for f in found_)


def test_a_ministry_named_by_its_portfolio_is_not_the_entrys_latest_body() -> None:
    body = (
        "unicef said children need support . the health ministry put the death toll at 1,875 , including 430 children ."
    )
    assert {f.source for f in figures(body)} == {"Health Ministry"}


def test_a_country_after_in_the_is_the_figures_place() -> None:
    (f,) = figures("ten people are dead across the united states , with six in florida .", place="Cuba")
    assert (f.value, f.place) == (10, "United States")
