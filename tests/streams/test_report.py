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


def test_a_story_line_names_its_most_stated_headlines_and_counts_the_rest() -> None:
    rows = [
        row("attack/lyon/2031-11", n, head=True).model_copy(
            update={"key": f"attack/lyon/2031-11|killed|people|Place{n}|*", "place": f"Place{n}", "mentions": n}
        )
        for n in range(1, 7)
    ]
    line = format_stories(rows).splitlines()[2]
    assert "Place6: 6" in line and "Place3: 3" in line and "Place2" not in line and line.endswith("; +2 more")
