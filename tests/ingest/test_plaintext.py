"""The plain-text live-blog parser, on the seed page and on small pages of our own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from schemas.models import RawUpdate
from streams.errors import LiveblogError, ParseError
from streams.ingest.plaintext import parse_plaintext

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "liveblog-2022-03-30.txt"
PUBLISHED = datetime(2022, 3, 30, 23, 0, tzinfo=UTC)

SEED_CAPTION_TITLES = [
    "Russian President Vladimir Putin",
    "Toy in rubble",
    "Road between Irpin and Kyiv",
    "Displaced Irpin residents",
    "Solider comforts woman",
    "Outskirts of Mariupol",
    "Registration center in Zaporizhzhia",
    "Outskirts of Mariupol",
    "Ukrainian soldiers",
    "British Home Office generic shot",
    "Explosion near Belgorod, Russia",
    "Child refugees Ukraine",
    "Chernihiv, Ukraine",
    "Ukrainian refugees",
    "Dmitry Peskov",
    "Chernihiv destruction",
]
CASUALTIES = "Nearly 1,200 Civilian Deaths, Including 108 Children"
IRPIN = "Half of Irpin Destroyed, up to 300 Civilians Killed"
IRPIN_PARAGRAPHS = [
    "Half of Irpin has been destroyed as search and recovery efforts continue, Irpin Mayor Oleksandr "
    "Makrushin said Wednesday.",
    "Makrushin estimates between 200 and 300 civilians have been killed, although exact numbers are not "
    "known, Reuters reports. During a briefing Wednesday, Makrushin added that 50 Ukrainian servicemen "
    "have been killed in Irpin.",
    "Russian shelling continued all night in the city, a northwest suburb of Kyiv. After heavy fighting, "
    "Markushyn said Ukraine had retaken control of Irpin Monday.",
]


def parse(text: str, *, outlet: str | None = None, url: str | None = None) -> list[RawUpdate]:
    return parse_plaintext(text, blog_id="newsweek-2022-03-30", published=PUBLISHED, outlet=outlet, url=url)


def of_kind(updates: list[RawUpdate], kind: str) -> list[RawUpdate]:
    return [u for u in updates if u.kind == kind]


def by_headline(updates: list[RawUpdate], headline: str) -> RawUpdate:
    (found,) = [u for u in updates if u.kind == "entry" and u.headline == headline]
    return found


def shape(updates: list[RawUpdate]) -> list[tuple[str, str, int]]:
    return [(u.kind, u.entry_id, u.position) for u in updates]


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED} (the shared folder is not mounted)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> list[RawUpdate]:
    return parse(seed_text)


# --- the seed page -----------------------------------------------------------------------------------


def test_seed_has_5_summaries_23_entries_16_captions(seed: list[RawUpdate]) -> None:
    assert Counter(u.kind for u in seed) == {"summary": 5, "entry": 23, "caption": 16}


def test_seed_summary_bullets_come_first(seed: list[RawUpdate]) -> None:
    summaries = seed[:5]
    assert [u.kind for u in summaries] == ["summary"] * 5
    assert [u.entry_id for u in summaries] == ["s-1", "s-2", "s-3", "s-4", "s-5"]
    assert all(u.headline is None for u in summaries)
    assert summaries[0].body.startswith('The Pentagon "concurs" with reports')
    assert summaries[4].body == (
        "Over 4 million people have now fled Ukraine to escape Russia's invasion, the U.N. said Wednesday. "
        "Millions more have been displaced."
    )
    assert not any("•" in u.body for u in summaries)


def test_seed_intro_and_markers_are_dropped(seed: list[RawUpdate]) -> None:
    texts = [f"{u.headline}\n{u.body}" for u in seed]
    assert not any("Today is Day 35" in t or "Live Updates" in t for t in texts)


def test_seed_header_photo_is_a_caption_after_the_bullets(seed: list[RawUpdate]) -> None:
    caption = seed[5]
    assert caption.kind == "caption"
    assert caption.headline == "Russian President Vladimir Putin"
    assert caption.body.startswith("Russian President Vladimir Putin at the Kremlin in Moscow")
    assert caption.body.endswith("MIKHAIL KLIMENTYEV/Getty Images")
    assert caption.entry_id == "header/p-russian-president-vladimir-putin"


def test_seed_entries_in_page_order(seed: list[RawUpdate]) -> None:
    entries = of_kind(seed, "entry")
    assert entries[0].headline == "Russian Troops Reposition From Kyiv, Some Into Belarus"
    assert entries[0].position == 6
    assert entries[-1].headline == "British Defense Ministry Says Russian Forces Are 'Struggling'"
    assert [u.position for u in seed] == list(range(44))
    assert "Did Ukraine Strike an Arms Depot in Belgorod Region of Russia?" in [e.headline for e in entries]
    assert "White House Calls Russia's War a 'Strategic Blunder'" in [e.headline for e in entries]


def test_seed_captions_in_page_order(seed: list[RawUpdate]) -> None:
    assert [u.headline for u in of_kind(seed, "caption")] == SEED_CAPTION_TITLES


def test_seed_toy_caption_follows_the_casualties_entry(seed: list[RawUpdate]) -> None:
    entry = by_headline(seed, CASUALTIES)
    caption = seed[entry.position + 1]
    assert caption.kind == "caption"
    assert caption.headline == "Toy in rubble"
    assert caption.body.startswith("A toy lies in the rubble of houses destroyed")
    assert caption.body.endswith("Vadim Ghirda/AP Photo")
    assert caption.entry_id == "e-nearly-1-200-civilian-deaths-including-108-children/p-toy-in-rubble"
    paragraphs = entry.body.split("\n\n")
    assert paragraphs[-2] == "OHCHR further provides this breakdown:"
    assert paragraphs[-1].splitlines() == [
        "• 1,189 killed: 239 men, 172 women, 17 girls, and 34 boys, as well as 57 children and 670 adults "
        "whose sex is unknown.",
        "• 1,901 injured: 218 men, 164 women, 36 girls, and 30 boys, as well as 76 children and 1,377 "
        "adults whose sex is unknown.",
    ]
    assert "Toy in rubble" not in entry.body
    assert "A toy lies" not in entry.body
    assert len(paragraphs) == 6


def test_seed_irpin_entry_has_exactly_its_3_paragraphs(seed: list[RawUpdate]) -> None:
    entry = by_headline(seed, IRPIN)
    assert entry.body.split("\n\n") == IRPIN_PARAGRAPHS
    following = seed[entry.position + 1 : entry.position + 4]
    assert [u.headline for u in following] == SEED_CAPTION_TITLES[2:5]
    assert {u.entry_id.split("/")[0] for u in following} == {entry.entry_id}


def test_seed_trailing_photo_block_is_a_caption(seed: list[RawUpdate]) -> None:
    last = seed[-1]
    assert (last.kind, last.headline) == ("caption", "Chernihiv destruction")
    assert last.body.endswith("DIMITAR DILKOFF/Getty Images")
    assert "Chernihiv destruction" not in seed[-2].body


def test_seed_double_blank_before_photo_block(seed: list[RawUpdate]) -> None:
    entry = by_headline(seed, "Ukraine Says Russia Continues To Shell Chernihiv Despite De-Escalation Pledge")
    assert entry.body.endswith('"only a concrete result can be trusted."')
    assert seed[entry.position + 1].headline == "Chernihiv, Ukraine"


def test_seed_no_entry_body_holds_a_photo(seed: list[RawUpdate]) -> None:
    captions = of_kind(seed, "caption")
    credits = ("/AP Photo", "/Getty", "Twitter/@", "/AFP")
    for entry in of_kind(seed, "entry"):
        assert not any(credit in entry.body for credit in credits), entry.headline
        for caption in captions:
            assert caption.body not in entry.body
            assert caption.headline not in entry.body.split("\n\n")


def assert_every_line_lands_once(text: str, updates: list[RawUpdate], intro: str) -> None:
    """Apart from the title, the markers and the intro, each non-blank line is in exactly one place."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    dropped = [lines[0], intro, *(line for line in lines if line.lower().startswith("live updates"))]
    expected = Counter(lines) - Counter(dropped)
    got: Counter[str] = Counter()
    for u in updates:
        if u.headline is not None:
            got[u.headline] += 1
        if u.kind == "summary":
            got[f"• {u.body}"] += 1
        else:
            got.update(line.strip() for line in u.body.splitlines() if line.strip())
    assert got == expected


def test_seed_every_line_lands_exactly_once(seed_text: str, seed: list[RawUpdate]) -> None:
    assert_every_line_lands_once(seed_text, seed, "Today is Day 35 of Russia's full-scale invasion of Ukraine.")


def test_seed_metadata(seed: list[RawUpdate]) -> None:
    title = "Ukraine News: Russian Troops Reposition From Kyiv, Some Into Belarus"
    assert {u.blog_title for u in seed} == {title}
    assert {u.published for u in seed} == {PUBLISHED}
    assert {u.revision for u in seed} == {1}
    assert {u.blog_id for u in seed} == {"newsweek-2022-03-30"}
    assert {(u.outlet, u.url) for u in seed} == {(None, None)}
    assert all(u.updated is None for u in seed)


def test_outlet_and_url_pass_through(seed_text: str) -> None:
    url = "https://www.newsweek.com/ukraine-live-2022-03-30"
    updates = parse(seed_text, outlet="newsweek", url=url)
    assert {(u.outlet, u.url) for u in updates} == {("newsweek", url)}


def test_seed_ids_are_unique_and_the_same_on_a_second_parse(seed_text: str, seed: list[RawUpdate]) -> None:
    ids = [u.entry_id for u in seed]
    assert len(set(ids)) == len(ids)
    assert all(0 < len(i) <= 200 for i in ids)
    assert parse(seed_text) == seed


def test_seed_repeated_photo_titles_are_disambiguated_from_the_bottom(seed: list[RawUpdate]) -> None:
    owner = "e-russia-ukraine-agree-on-three-humanitarian-corridors"
    assert [u.entry_id for u in seed if u.headline == "Outskirts of Mariupol"] == [
        f"{owner}/p-outskirts-of-mariupol-2",
        f"{owner}/p-outskirts-of-mariupol",
    ]


def test_seed_edits_keep_every_id(seed_text: str, seed: list[RawUpdate]) -> None:
    old = IRPIN_PARAGRAPHS[1]
    new = old.replace("between 200 and 300", "at least 300").replace("Reuters reports.", "Reuters said.")
    edited_text = (
        seed_text.replace(old, new)
        .replace("Millions more have been displaced.", "Millions more are displaced.")
        .replace("Vadim Ghirda/AP Photo", "Vadim Ghirda/AP")
    )
    edited = parse(edited_text)
    assert shape(edited) == shape(seed)
    changed = [(a.entry_id, b.body) for a, b in zip(seed, edited, strict=True) if a != b]
    assert [entry_id for entry_id, _ in changed] == [
        "s-5",
        "e-nearly-1-200-civilian-deaths-including-108-children/p-toy-in-rubble",
        "e-half-of-irpin-destroyed-up-to-300-civilians-killed",
    ]
    assert new in changed[2][1]


def test_seed_lower_cased_parses_the_same(seed_text: str, seed: list[RawUpdate]) -> None:
    lower = parse(seed_text.lower())
    assert shape(lower) == shape(seed)
    assert [u.body for u in lower] == [u.body.lower() for u in seed]


def test_seed_with_crlf_and_no_blank_lines_around_markers(seed_text: str, seed: list[RawUpdate]) -> None:
    assert parse(seed_text.replace("\n", "\r\n")) == seed
    squeezed = seed_text.replace("Live Updates\n\n", "Live Updates\n").replace("\n\n\n", "\n\n")
    assert shape(parse(squeezed)) == shape(seed)


# --- the project's own test blogs in the same layout ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "counts", "intro_start"),
    [
        (REPO / "streams" / "data" / "sample-liveblog-2027-08-25.txt", (5, 16, 8), "Today is Day"),
        (REPO / "tests" / "data" / "blogs" / "earthquake-agency-style.txt", (4, 10, 3), "A powerful earthquake"),
        (REPO / "tests" / "data" / "blogs" / "displacement-lowercase.txt", (4, 11, 4), "today is day 10"),
    ],
    ids=["sample", "earthquake-agency-style", "displacement-lowercase"],
)
def test_project_blogs(path: Path, counts: tuple[int, int, int], intro_start: str) -> None:
    text = path.read_text(encoding="utf-8")
    updates = parse(text)
    summaries, entries, captions = counts
    assert Counter(u.kind for u in updates) == {"summary": summaries, "entry": entries, "caption": captions}
    (intro,) = [line.strip() for line in text.splitlines() if line.strip().startswith(intro_start)]
    assert_every_line_lands_once(text, updates, intro)
    assert updates == parse(text)


# --- small pages of our own ----------------------------------------------------------------------------

ONGOING = """\
Storm Updates: Floods Hit the Valley

Live Updates

Today is Day 3 of the floods.

  • Rivers are still rising in the north.
  • About 1,200 people have been evacuated.

Rescuers Reach Cut-Off Village

Boats reached Millbrook on Tuesday morning.

"We waited two days," a resident said.

The fire service said 40 people were taken to safety.
Millbrook rescue
Firefighters carry a child to a boat in Millbrook on May 2. Jane Doe/Reuters


Is the Dam Safe?

Engineers inspected the dam overnight.

Will it hold until Friday? Nobody knows

Officials list the closed roads:

  • A12 between Ash and Elm
  • B4 at the bridge

Mayor Says Schools Will Reopen 'Within Days'

Schools will reopen on Thursday.

Rescuers Reach Cut-Off Village

A second village was reached in the afternoon.
"""


def test_ongoing_blog_without_ended_marker() -> None:
    updates = parse(ONGOING)
    assert [(u.kind, u.entry_id, u.headline) for u in updates] == [
        ("summary", "s-1", None),
        ("summary", "s-2", None),
        ("entry", "e-rescuers-reach-cut-off-village-2", "Rescuers Reach Cut-Off Village"),
        ("caption", "e-rescuers-reach-cut-off-village-2/p-millbrook-rescue", "Millbrook rescue"),
        ("entry", "e-is-the-dam-safe", "Is the Dam Safe?"),
        ("entry", "e-mayor-says-schools-will-reopen-within-days", "Mayor Says Schools Will Reopen 'Within Days'"),
        ("entry", "e-rescuers-reach-cut-off-village", "Rescuers Reach Cut-Off Village"),
    ]
    assert [u.body for u in updates[:2]] == [
        "Rivers are still rising in the north.",
        "About 1,200 people have been evacuated.",
    ]
    assert updates[2].body.split("\n\n") == [
        "Boats reached Millbrook on Tuesday morning.",
        '"We waited two days," a resident said.',
        "The fire service said 40 people were taken to safety.",
    ]
    assert updates[3].body == "Firefighters carry a child to a boat in Millbrook on May 2. Jane Doe/Reuters"
    # Two sentences: a paragraph, though it lacks a final period.
    assert updates[4].body.split("\n\n") == [
        "Engineers inspected the dam overnight.",
        "Will it hold until Friday? Nobody knows",
        "Officials list the closed roads:",
        "• A12 between Ash and Elm\n• B4 at the bridge",
    ]
    assert {u.blog_title for u in updates} == {"Storm Updates: Floods Hit the Valley"}


def test_lower_cased_ongoing_blog_parses_the_same() -> None:
    assert shape(parse(ONGOING.lower())) == shape(parse(ONGOING))


def test_prepending_an_entry_keeps_older_ids() -> None:
    before = parse(ONGOING)
    marker = "  • About 1,200 people have been evacuated.\n"
    newer = "\nRescuers Reach Cut-Off Village\n\nA third village was reached at night.\n"
    after = parse(ONGOING.replace(marker, marker + newer))
    assert after[2].entry_id == "e-rescuers-reach-cut-off-village-3"
    assert [u.entry_id for u in after[3:]] == [u.entry_id for u in before[2:]]


def test_paragraph_without_final_period_does_not_steal_the_next_headline() -> None:
    text = (
        "Blog\n\nFirst Headline\n\nA sentence.\n\nNewsweek has contacted the ministry for comment\n\n"
        "Second Headline\n\nAnother sentence.\n"
    )
    updates = parse(text)
    assert [u.headline for u in updates] == ["First Headline", "Second Headline"]
    assert updates[0].body == "A sentence.\n\nNewsweek has contacted the ministry for comment"


def test_headline_with_abbreviation_and_one_line_paragraph_entry() -> None:
    text = "Blog\n\nPact Signed in the U.S.\n\nIt was signed.\n\nTalks Resume\n\nThey resumed at noon.\n"
    updates = parse(text)
    assert [(u.headline, u.body) for u in updates] == [
        ("Pact Signed in the U.S.", "It was signed."),
        ("Talks Resume", "They resumed at noon."),
    ]


@pytest.mark.parametrize("case", [str, str.lower])
def test_photo_title_separated_from_its_caption_by_a_blank_line(case: Callable[[str], str]) -> None:
    text = (
        "Blog\n\nLive Updates Have Ended.\n\nTalks Resume\n\nThey resumed at noon.\n\n"
        "Delegates arrive\n\nDelegates arrive in Istanbul on March 29. John Smith/AFP via Getty Images\n"
    )
    updates = parse(case(text))
    assert [(u.kind, u.headline) for u in updates] == [
        ("entry", case("Talks Resume")),
        ("caption", case("Delegates arrive")),
    ]
    assert updates[0].body == case("They resumed at noon.")
    assert updates[1].body.endswith(case("John Smith/AFP via Getty Images"))


def test_text_between_ended_marker_and_first_headline_is_an_untitled_entry() -> None:
    text = "Blog\n\nLive Updates Have Ended.\n\nThanks for following.\n\nTalks Resume\n\nThey resumed.\n"
    updates = parse(text)
    assert [(u.entry_id, u.headline, u.body) for u in updates] == [
        ("e-untitled", None, "Thanks for following."),
        ("e-talks-resume", "Talks Resume", "They resumed."),
    ]


def test_ended_marker_at_the_bottom_of_the_page() -> None:
    text = "Blog\n\nTalks Resume\n\nThey resumed.\n\nLive updates have ended.\n"
    assert [u.headline for u in parse(text)] == ["Talks Resume"]


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n"])
def test_empty_text_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="empty page") as info:
        parse(text)
    assert info.value.line == 1
    assert isinstance(info.value, LiveblogError)


@pytest.mark.parametrize(
    "text",
    [
        "Only a title",
        "Title\n\nLive Updates\n\nToday is Day 3.\n\n  • One bullet.\n  • Two bullets.\n",
        "Title\n\nHeadline without a paragraph\n",
        "Title\n\nA sentence.\n\nAnother sentence.\n",
    ],
)
def test_text_without_entries_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="no entry found") as info:
        parse(text)
    assert info.value.line == len(text.splitlines())


def test_lone_surrogate_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not valid Unicode") as info:
        parse("Blog\n\nHeadline\n\nBad \ud800 text.\n")
    assert info.value.line == 5


def test_bad_arguments_are_value_errors() -> None:
    with pytest.raises(ValueError, match="blog_id"):
        parse_plaintext(ONGOING, blog_id="", published=PUBLISHED)
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_plaintext(ONGOING, blog_id="b", published=datetime(2022, 3, 30))


def test_published_keeps_its_timezone() -> None:
    kyiv = datetime(2022, 3, 30, 9, 0, tzinfo=timezone(timedelta(hours=3)))
    assert {u.published for u in parse_plaintext(ONGOING, blog_id="b", published=kyiv)} == {kyiv}
