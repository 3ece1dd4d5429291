"""Line classifiers of the plain-text parser: markers, photo credits, headline shape."""

from __future__ import annotations

import pytest

from streams.ingest.heuristics import is_caption, is_headline_like, is_marker


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Live Updates", False),
        ("live updates", False),
        ("Live Updates Have Ended.", True),
        ("live updates have ended .", True),
        ("Live updates has ended", True),
        ("Live Updates From Kyiv", None),
        ("Today is Day 35 of Russia's full-scale invasion of Ukraine.", None),
    ],
)
def test_markers(line: str, expected: bool | None) -> None:
    assert is_marker(line) is expected


@pytest.mark.parametrize(
    "line",
    [
        "A toy lies in the rubble of houses in Yasnohorodka, near Kyiv on March 30. Vadim Ghirda/AP Photo",
        "Russian President Vladimir Putin at the Kremlin in Moscow on March 29, 2022. MIKHAIL KLIMENTYEV/Getty Images",
        "Children arrive at Przemysl train station in Poland on March 30, 2022. Jeff J Mitchell/Getty",
        "An explosion allegedly near Belgorod spread on social media Tuesday, March 29. Twitter/@NotWoofers",
        "An abandoned stroller on the road to Kyiv, taken on March 29. RONALDO SCHEMIDT/AFP via Getty Images",
        "an abandoned stroller on the road between irpin and kyiv . ronaldo schemidt / afp via getty images",
        "Protesters gather outside parliament on Monday. (AP Photo/Evan Vucci)",
        "Smoke rises over the city on Tuesday. Reuters",
    ],
)
def test_caption_lines_end_with_a_credit(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "Toy in rubble",
        "Half of Irpin has been destroyed as search and recovery efforts continue, Irpin Mayor said Wednesday.",
        "Makrushin estimates up to 300 civilians have been killed, Reuters reports.",
        "The alert said citizens face detention and/or harassment",
        "Read more at bbc.co.uk/news",
        "Full statement: https://example.org/statement",
        "It runs 24/7",
        "Getty Images",
        "",
    ],
)
def test_other_lines_are_not_captions(line: str) -> None:
    assert not is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "Russian Troops Reposition From Kyiv, Some Into Belarus",
        "White House Calls Russia's War a 'Strategic Blunder'",
        "Did Ukraine Strike an Arms Depot in Belgorod Region of Russia?",
        "U.S. to Send $500 Million in 'Direct Budgetary Aid' to Ukraine",
        "Pact Signed in the U.S.",
        "Ukraine says Russia continues shelling Chernihiv",
        'Zelensky: "We Will Not Surrender"',
        "Leaderboard",
    ],
)
def test_headline_shapes(line: str) -> None:
    assert is_headline_like(line)
    assert is_headline_like(line.lower(), cased=False)


@pytest.mark.parametrize(
    "line",
    [
        "The Ukrainian delegation, however, claims those regions are still contested.",
        "OHCHR further provides this breakdown:",
        '"Freedom must be armed no worse than tyranny," he said.',
        'The alert urges citizens to leave "immediately."',
        "A viral video showed soldiers asking what they are doing here. Read more...",
        "Engineers inspected the dam. It held",
        "Will it hold until Friday? Nobody knows",
        "@KyivIndependent Russian forces pull back",
        "- a list item",
        "???",
        " ".join(["word"] * 23),
    ],
)
def test_sentence_shapes(line: str) -> None:
    assert not is_headline_like(line)
    assert not is_headline_like(line.lower(), cased=False)


def test_case_breaks_ties_only_when_the_page_has_capitals() -> None:
    assert not is_headline_like("What are we doing here?")
    assert is_headline_like("what are we doing here?", cased=False)
    assert not is_headline_like("and then the lights went out")
    assert is_headline_like("and then the lights went out", cased=False)
