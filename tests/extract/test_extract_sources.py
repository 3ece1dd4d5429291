"""One name per reporter: the rules of `streams/extract/orgs.py`, one update at a time."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import RawUpdate
from streams.extract import extract_figures
from streams.extract.orgs import OrgRegistry

PUBLISHED = datetime(2027, 8, 25, 12, tzinfo=UTC)


def sources(body: str, headline: str | None = None, place: str | None = "Pakistan") -> list[str | None]:
    u = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, headline=headline, body=body)
    return [f.source for f in extract_figures(u, default_place=place)]


def test_acronym_in_parentheses_names_the_agency_and_its_anaphora() -> None:
    body = (
        "At least 261 people have been killed, the National Disaster Management Authority (NDMA) said. "
        "The authority said 1,034 people had been injured."
    )
    assert sources(body, headline="Death Toll Rises to 261, Disaster Agency Says") == ["NDMA"] * 3


def test_full_name_maps_to_the_entry_acronym() -> None:
    reg = OrgRegistry(
        "the official figure given by Sindh's Provincial Disaster Management Authority (PDMA).", cased=True
    )
    assert reg.canonical("Sindh's Provincial Disaster Management Authority") == "PDMA"
    assert reg.canonical("the agency") == "PDMA"


def test_an_official_speaking_for_an_agency_is_the_agency() -> None:
    reg = OrgRegistry("NDMA Chairman Asif Mahmood told reporters.", cased=True)
    assert reg.canonical("NDMA Chairman Asif Mahmood") == "NDMA"
    body = "OCHA's head of office in Pakistan, Marco Lindqvist, said 6,000 people had been displaced."
    assert sources(body) == ["OCHA"]
    # an official of a place stays a person
    body = "Pakistan's climate change minister, Sadia Rind, said nearly two million people had been displaced."
    assert sources(body) == ["Sadia Rind"]


def test_unnamed_local_and_national_bodies() -> None:
    assert sources("Between 40 and 60 people were injured at a camp in Shikarpur, police said.") == ["Shikarpur Police"]
    body = "More than 4,300 people have been airlifted from villages around Johi, the military's media wing said."
    assert sources(body) == ["Pakistan Army"]
    assert sources("Three people were killed in Karachi, Karachi police said.") == ["Karachi Police"]


def test_named_services_and_donors() -> None:
    body = "Eleven people were killed near Mingora, the Khyber Pakhtunkhwa Rescue 1122 service said."
    assert sources(body) == ["Khyber Pakhtunkhwa Rescue 1122"]
    assert sources("Britain will provide £10 million ($12.7 million) in emergency humanitarian funding.") == ["UK"]
    reg = OrgRegistry("The Pakistan Red Crescent Society says 75 people have died.", cased=True)
    assert reg.canonical("Red Crescent Society") == "Pakistan Red Crescent"


def test_money_that_is_not_aid() -> None:
    for body in (
        "The United Nations launched a $160 million flash appeal for Pakistan.",
        "Households will be able to claim £500 each, with grants of up to £2,500 for small businesses.",
        "Rind said rebuilding would cost at least $30 billion.",
    ):
        assert sources(body) == [], body


def test_a_count_named_as_already_known_is_not_the_speakers() -> None:
    """ "two million children are among the four million who have fled": the four million is someone else's
    figure restated, so it carries no source (the totals fold it into that source's)."""
    body = "UNICEF has said that two million children are among the four million who have fled Ukraine."
    u = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body)
    found = [(f.subject, f.value, f.source) for f in extract_figures(u, default_place="Ukraine")]
    assert ("people", 4_000_000, None) in found
    assert [f.restated for f in extract_figures(u, default_place="Ukraine") if f.value == 4_000_000] == [True]
    body = "UNICEF has said that four million people have fled Ukraine."
    u = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body)
    assert [f.source for f in extract_figures(u, default_place="Ukraine")] == ["UNICEF"]


def test_a_sum_named_as_already_known_is_a_mention_not_a_pledge() -> None:
    def restated(body: str) -> list[tuple[float | None, bool]]:
        u = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body)
        return [(f.value, f.restated) for f in extract_figures(u, default_place="Ukraine") if f.metric == "aid"]

    known = "This includes the newly announced $500 million President Biden promised to Ukraine in aid."
    assert restated(known) == [(500_000_000, True)]
    new = "The U.S. will provide Ukraine with an additional $500 million in humanitarian aid."
    assert restated(new) == [(500_000_000, False)]
    also_new = "The EU pledged the additional $200 million in humanitarian aid for Ukraine."
    assert restated(also_new) == [(200_000_000, False)]


def test_the_agency_is_the_agency_named_before_it() -> None:
    named = "the flood relief agency has set up 30 camps . according to the agency , 15 people were injured ."
    assert sources(named, place="Chile") == ["Flood Relief Agency"]
    assert sources("according to the agency , 15 people were injured .", place="Chile") == ["Agency"]


def test_a_reporter_carries_over_only_through_sentences_about_figures() -> None:
    run = "the fire service said 12 people were killed . another 30 were injured . 200 people were evacuated ."
    assert sources(run, place="Chile") == ["Fire Service"] * 3
    listed = "the regional authority gave these figures by town : \n valdivia : 12 killed , 30 injured"
    assert sources(listed, place="Chile") == ["Regional Authority"] * 2
    # the sentence just before may introduce a quote; a reporter further back, past other news, is not the count's
    quote = "mayor ana rojas told a radio station the town was in ruins . we have 40 dead , maybe more ."
    assert sources(quote, place="Chile") == ["Ana Rojas"]
    gap = "police said four people died . the town hall was closed all day . 20 more were injured ."
    assert sources(gap, place="Chile") == ["Police", None]


def test_reporters_named_in_lower_case_text() -> None:
    """With no capitals to mark a name, the words after "according to" or after an inverted verb say what
    they are: an organisation, a title and a name, or a name only a name can be."""
    assert sources("12 people died , according to the regional emergency operations centre .", place="Chile") == [
        "Regional Emergency Operations Centre"
    ]
    body = "30 people were injured , according to an update from the valdivia fire service ."
    assert sources(body, place="Chile") == ["Valdivia Fire Service"]
    body = "40 people died , according to the civil protection chief , luis puente ."
    assert sources(body, place="Chile") == ["Luis Puente"]
    assert sources("40 people died , according to marta quiroga .", place="Chile") == ["Marta Quiroga"]
    assert sources("40 people died , said the interior ministry in a statement .", place="Chile") == [
        "Interior Ministry"
    ]
    # words that only qualify a title, and a bare name after the verb (maybe its object), name nobody
    assert sources("70 people were injured , according to the press assocation .", place="Chile") == [None]
    assert sources("40 people died , said marta quiroga .", place="Chile") == [None]
    assert sources("12 people died , according to letters seen by the paper .", place="Chile") == [None]


def test_a_reporter_carries_over_a_colon_into_the_bulleted_list_it_introduces() -> None:
    body = (
        "OCHA said 40 people died in the floods.\n\nOCHA further provides this breakdown:\n\n"
        "• 30 killed in the north\n• 10 killed in the south"
    )
    update = RawUpdate(blog_id="b", entry_id="e", published=datetime(2024, 5, 1, tzinfo=UTC), body=body)
    assert {f.source for f in extract_figures(update) if f.value in (30, 10)} == {"OCHA"}


def test_a_law_or_a_plan_after_according_to_is_no_reporter() -> None:
    from streams.extract.sources import find_attributions

    assert find_attributions("the hospital was hit , according to international humanitarian law .", cased=False) == []
    named = find_attributions("the toll is 30 , according to christian estrosi .", cased=False)
    assert [a.name for a in named] == ["Christian Estrosi"]


def test_a_figure_told_as_hearsay_is_not_the_reporter_of_the_sentence_before() -> None:
    body = (
        "government officials have said at least 21 children have died at a school . "
        "15 people were reportedly killed when a church collapsed ."
    )
    assert sources(body, place="Mexico") == ["Government Officials", None]
    body = "the home ministry says 19 people have died . media reports say 29 people have died ."
    assert sources(body, place="Nepal") == ["Home Ministry", None]


def test_words_before_a_comma_and_an_inverted_verb_are_no_reporter() -> None:
    body = (
        "the storm killed upwards of 800 people and flattened entire communities , reports the canadian global news ."
    )
    assert sources(body, place="Haiti") == [None]
    # A name in apposition before the verb is still the reporter.
    body = "the mayor of the town , sergio pirozzi , says 200 people could have died ."
    assert sources(body, place="Italy") == ["Sergio Pirozzi"]


def test_hearsay_in_another_clause_leaves_the_figure_its_reporter() -> None:
    body = (
        "the interior ministry said 20 people have died . "
        "another 15 were killed when gunmen , who reportedly belonged to a cartel , attacked a bar ."
    )
    assert sources(body, place="Mexico") == ["Interior Ministry", "Interior Ministry"]
