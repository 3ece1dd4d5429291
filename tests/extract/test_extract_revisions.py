"""Figures stated as a downward revision or correction are marked, in cased and lower-case tokenised text alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import RawUpdate
from streams.extract import extract_figures

PUBLISHED = datetime(2021, 6, 2, 9, tzinfo=UTC)


def killed(body: str) -> list[tuple[float | None, bool]]:
    update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body)
    return [(f.value, f.revised_down) for f in extract_figures(update) if f.metric == "killed"]


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("The death toll from the landslide has been revised down to 57, the regional governor said.", 57),
        ("the death toll from the landslide has been revised down to 57 , the regional governor said .", 57),
        ("The death toll was revised downwards to 33 people.", 33),
        ("Rescue officials lowered the death toll to 64 from 71 on Wednesday.", 64),
        ("rescue officials lowered the death toll to 64 from 71 on wednesday .", 64),
        ("The number of dead was corrected to 19 after two victims were counted twice.", 19),
        ("the number of dead was corrected to 19 after two victims were counted twice .", 19),
        ("The mayor cut the death toll to 12.", 12),
        ("The death toll has been reduced to 28, the health ministry said.", 28),
        ("Police revised the number of dead down to 45.", 45),
        ("The toll was lowered to 9 dead.", 9),
        ("The ministry has revised the death toll from the fire down to 16 from a previous figure of 18.", 16),
    ],
)
def test_a_figure_its_clause_states_as_a_downward_revision_is_marked(body: str, value: float) -> None:
    assert (value, True) in killed(body)


@pytest.mark.parametrize(
    "body",
    [
        "The death toll from the landslide rose to 57, the regional governor said.",
        "the death toll from the landslide rose to 57 , the regional governor said .",
        "The number of dead fell to 12 in the second week of the outbreak.",
        "The death toll was revised to 130 from 129.",
        "The death toll has been revised up to 130.",
        "At least 57 people were killed, officials said, after rescue work was cut short.",
        "Officials said 41 people were killed; the curfew was lowered to 10pm.",
    ],
)
def test_a_rising_falling_or_upward_revised_figure_is_not_marked(body: str) -> None:
    assert all(not down for _, down in killed(body))


def casualties(body: str) -> list[tuple[str, float | None, str | None, bool]]:
    update = RawUpdate(blog_id="b", entry_id="e", published=PUBLISHED, body=body)
    return [(f.metric, f.value, f.source, f.revised_down) for f in extract_figures(update, default_place="Peru")]


def test_the_other_casualty_counts_of_a_revising_sources_bulletin_are_revisions_too() -> None:
    # A civil defence office lowers its death toll and gives a new count of injured in the same update: both are
    # its new bulletin, and replace its earlier counts.
    cased = (
        "Peru's civil defence institute has revised the death toll down to 58 from an earlier 63. "
        "It said 190 people were injured."
    )
    lower = "peru 's civil defence institute has revised the death toll down to 58 . it said 190 people were injured ."
    for text in (cased, lower):
        (dead, hurt) = casualties(text)
        assert (dead[0], dead[1], dead[3], hurt[0], hurt[1], hurt[3]) == ("killed", 58, True, "injured", 190, True)
        assert dead[2] == hurt[2] is not None, text


def test_a_bulletin_needs_a_named_revising_source_and_comes_after_the_revision() -> None:
    unnamed = "The death toll has been revised down to 58. Another 190 people were injured."
    assert all(not down for metric, _, _, down in casualties(unnamed) if metric == "injured")
    before = (
        "The institute said 190 people were injured. It later revised the death toll down to 58, the institute said."
    )
    assert all(not down for metric, _, _, down in casualties(before) if metric == "injured")
    other_source = (
        "Peru's civil defence institute has revised the death toll down to 58. "
        "The Red Cross said 190 people were injured."
    )
    assert all(not down for metric, _, _, down in casualties(other_source) if metric == "injured")
