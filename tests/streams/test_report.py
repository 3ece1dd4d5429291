"""The terminal tables: every story apart, headlines per story."""

from datetime import UTC, datetime

from schemas import TotalsRow
from streams.report import format_stories, format_totals

NOW = datetime(2031, 11, 14, tzinfo=UTC)


def row(story: str, value: float, source: str = "police", head: bool = False, conflict: bool = False) -> TotalsRow:
    return TotalsRow(
        key=f"{story}|killed|people|Lyon|{'*' if head else source}",
        row="headline" if head else "series",
        story=story,
        metric="killed",
        subject="people",
        place="Lyon",
        source=source,
        value=value,
        qualifier="exact",
        claims=1,
        conflict=conflict,
        entry_id="e1",
        blog_id="b1",
        text="",
        updated_at=NOW,
    )


def test_totals_are_shown_story_by_story() -> None:
    text = format_totals([row("attack/lyon/2031-11", 129), row("attack/lyon/2032-03", 3)])
    first, second = text.split("\n\n")
    assert first.startswith("story attack/lyon/2031-11") and "129" in first and " 3 " not in first
    assert second.startswith("story attack/lyon/2032-03") and "129" not in second
    assert "story" not in format_totals([row("attack/lyon/2031-11", 129)])  # one story: no story header


def test_stories_list_linked_stories_first_with_their_headlines() -> None:
    text = format_stories(
        [row("blog/b9", 4, head=True), row("attack/lyon/2031-11", 129, head=True, conflict=True), row("x/y/z", 1)]
    )
    lines = text.splitlines()
    assert lines[0].split() == ["story", "headlines"]
    assert lines[2].startswith("attack/lyon/2031-11") and "killed people Lyon: 129 (sources disagree)" in lines[2]
    assert lines[3].startswith("blog/b9") and len(lines) == 4  # series rows are not stories' headlines
