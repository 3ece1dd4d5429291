"""Figures from single updates, including the lower-cased, tokenised text of scraped archives."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import Kind, RawUpdate
from streams.extract import content_hash, enrich, extract_figures, guess_default_place

PUBLISHED = datetime(2022, 3, 30, 12, tzinfo=UTC)


def update(body: str, headline: str | None = None, kind: Kind = "entry") -> RawUpdate:
    return RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, headline=headline, body=body, kind=kind)


def test_lower_case_tokenised_text() -> None:
    (f,) = extract_figures(update("more than 2,500 people have been displaced , the u.n said ."))
    assert (f.metric, f.value, f.qualifier, f.subject, f.source) == (
        "internally_displaced",
        2500,
        "at_least",
        "people",
        "UN",
    )
    assert f.text == "more than 2,500 people have been displaced"


def test_killed_with_breakdown_and_default_place() -> None:
    body = (
        "The Office of the U.N. High Commissioner for Human Rights (OHCHR) reports 1,189 civilians have been "
        "killed, including 108 children. Another 1,900 have been injured, including 142 children."
    )
    figures = extract_figures(update(body), default_place="Ukraine")
    got = [(f.metric, f.value, f.subject, f.place, f.source) for f in figures]
    assert got == [
        ("killed", 1189, "civilians", "Ukraine", "OHCHR"),
        ("killed", 108, "children", "Ukraine", "OHCHR"),
        ("injured", 1900, "civilians", "Ukraine", "OHCHR"),
        ("injured", 142, "children", "Ukraine", "OHCHR"),
    ]


def test_colon_breakdown_is_not_emitted() -> None:
    figures = extract_figures(update("1,189 killed: 239 men, 172 women, 17 girls, and 34 boys."))
    assert [(f.metric, f.value) for f in figures] == [("killed", 1189)]


def test_refugee_destination_and_as_of() -> None:
    body = "Ukrainian President Volodymyr Zelensky said up to 100,000 people remain in Mariupol as of Tuesday."
    (f,) = extract_figures(update(body))
    assert (f.metric, f.qualifier, f.place, f.source, f.as_of) == (
        "remaining",
        "at_most",
        "Mariupol",
        "Volodymyr Zelensky",
        "2022-03-29",
    )
    (g,) = extract_figures(update("More than 2.3 million have arrived in Poland, the UNHCR said."))
    assert (g.metric, g.value, g.place, g.source) == ("refugees", 2_300_000, "Poland", "UNHCR")


def test_aid_and_money_that_is_not_aid() -> None:
    body = "The U.S. intends to provide the Ukrainian government with $500 million in direct budgetary aid."
    (f,) = extract_figures(update(body))
    assert (f.metric, f.value, f.unit, f.subject, f.source) == ("aid", 5e8, "USD", "direct budgetary aid", "US")
    assert extract_figures(update("The scheme fast-tracks foreigners investing at least £2m ($2.6m) in the U.K.")) == []


def test_vague_quantities_never_precise() -> None:
    (f,) = extract_figures(update("Millions more have been displaced."))
    assert (f.vague, f.value, f.qualifier) == (True, 2_000_000, "at_least")
    assert extract_figures(update("tens of thousands of houses were destroyed")) == []


def test_not_figures() -> None:
    for body in (
        "A soldier comforts Larysa Kolesnyk, 82, after she was evacuated from Irpin.",
        "Russia is not one of the 146 countries that joined the treaty.",
        "Less than 20% of the forces are moving.",
        "Three humanitarian corridors are set to open.",
        "At least eight Russian nationals were subjected to sanctions.",
        "Today is Day 35 of the invasion, signed in 1996.",
    ):
        assert extract_figures(update(body)) == [], body


def test_people_who_serve_the_casualties_are_not_casualties() -> None:
    for body in (
        "More than 2,000 residents have queued to give blood for those wounded in the blast.",
        "some 300 volunteers are caring for the injured at the sports hall .",
        "About 400 people held a vigil for those killed on the bridge.",
    ):
        assert extract_figures(update(body)) == [], body
    kept = ("Twelve tourists are among the injured.", "Doctors said 85 people are treated for the injuries they had.")
    assert [[f.value for f in extract_figures(update(body))] for body in kept] == [[12], [85]]


def test_a_single_casualty_is_a_toll_but_one_of_many_is_not() -> None:
    for body, metric in (
        ("the governor confirmed there was one fatality at the station .", "killed"),
        ("Police said one death has been confirmed after the crash.", "killed"),
        ("one dead and four hurt as a lorry hits a bus .", "killed"),
    ):
        assert [(f.metric, f.value) for f in extract_figures(update(body))][:1] == [(metric, 1)], body
    for body in ("One of the victims was a teacher.", "one woman told reporters she saw the train hit the wall ."):
        assert [f.value for f in extract_figures(update(body))] == [], body


def test_people_arrested_over_deaths_or_who_killed_others_are_not_casualties() -> None:
    for body in (
        "two men have been arrested by police investigating the death of a teenager .",
        "three people have been charged in connection with the death of a woman found in woodland .",
        "four men arrested under the terrorism act remain in custody .",
    ):
        assert extract_figures(update(body)) == [], body
    body = "three of the eight attackers who killed 127 people were french ."
    assert [(f.metric, f.value) for f in extract_figures(update(body))] == [("killed", 127)]
    body = "he was convicted along with five other people of the bombings which killed 21 people ."
    assert [(f.metric, f.value) for f in extract_figures(update(body))] == [("killed", 21)]
    body = "twenty-two people died five months earlier in a bomb attack ."
    assert [(f.metric, f.value) for f in extract_figures(update(body))] == [("killed", 22)]
    body = "more than 100 people were killed and 300 injured ."
    assert [(f.metric, f.value) for f in extract_figures(update(body))] == [("killed", 100), ("injured", 300)]


def test_a_count_per_span_of_time_is_a_rate_not_a_toll() -> None:
    for body in ("guns kill 33,000 americans a year .", "the disease kills about 15,000 people every year .",
                 "12 people are killed every day on the roads ."):  # fmt: skip
        assert extract_figures(update(body)) == [], body
    body = "20 people were killed a day after the blast ."
    assert [(f.metric, f.value) for f in extract_figures(update(body))] == [("killed", 20)]


def test_a_count_over_a_month_or_more_is_a_periods_statistic_not_a_toll() -> None:
    for body in ("six hundred people have been killed in just one year , he said .",
                 "37 people have died in the last six years in such fires .",
                 "more than 900 people were killed over the past two years ."):  # fmt: skip
        assert extract_figures(update(body)) == [], body
    for body in ("300 people were killed in a month-long siege .", "50 people died in last year's floods .",
                 "40 people were killed in the past 24 hours ."):  # fmt: skip
        assert [f.value for f in extract_figures(update(body))] in ([300], [50], [40]), body


def test_enrich() -> None:
    u = update('Irpin Mayor Oleksandr Makrushin said "we are still counting the dead" in Irpin.', headline="Irpin")
    enriched = enrich(u, default_place="Ukraine")
    assert enriched.content_hash == content_hash(u) and len(enriched.content_hash) == 32
    assert "Irpin" in enriched.places
    assert "Oleksandr Makrushin" in enriched.entities
    assert enriched.quotes == ["we are still counting the dead"]


def test_guess_default_place() -> None:
    assert guess_default_place(["Ukraine News: Russian Troops Reposition From Kyiv, Some Into Belarus"]) == "Ukraine"
    assert guess_default_place(["myanmar border fighting : civilians flee into thailand"]) in ("Myanmar", "Thailand")
    assert guess_default_place([]) is None


def _told(body: str, title: str | None = None) -> list[tuple[str, float | None, str | None]]:
    u = update(body).model_copy(update={"blog_title": title}) if title else update(body)
    return [(f.metric, f.value, f.subject) for f in extract_figures(u)]


def test_hospital_shelter_and_evacuation_order_cues() -> None:
    assert _told("12 people have been taken to hospital after the crash .") == [("injured", 12, "people")]
    assert _told("about 3,000 people are staying in temporary shelters .") == [("internally_displaced", 3000, "people")]
    assert _told("more than 2 million people were ordered to leave their homes .") == [("evacuated", 2e6, "people")]


def test_coordinated_and_apposed_counts_share_the_cue() -> None:
    assert _told("at least 14 hostages and three gunmen had been killed .") == [
        ("killed", 14, "detainees"),
        ("killed", 3, "attackers"),
    ]
    assert _told("nine people , including two police officers , were injured .") == [
        ("injured", 9, "people"),
        ("injured", 2, "police"),
    ]
    # an apposition that does not close, and a count that is a verb's object, head no clause of their own
    assert _told("five people , including two children who died , were found .") == [("killed", 2, "children")]
    assert _told("the virus has infected 40 people and one person has died .") == [("killed", 1, "people")]


def test_all_of_a_known_number_is_a_count_and_on_board_ends_it() -> None:
    def told(body: str) -> list[tuple[str, float | None, str]]:
        return [(f.metric, f.value, f.text) for f in extract_figures(update(body))]

    assert told("the plane came down in the mountains , killing all 62 on board .") == [
        ("killed", 62, "killing all 62")
    ]
    assert told("the crash killed all 150 people aboard .") == [("killed", 150, "killed all 150 people")]
    assert told("the plane crashed , killing 62 on board .") == [("killed", 62, "killing 62")]


def test_wounded_knee_is_a_place_not_a_count_of_injured() -> None:
    assert extract_figures(update("the 1890 massacre of 150 people at wounded knee is remembered .")) == []
