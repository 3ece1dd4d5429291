"""Pure formatting of results for the terminal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from schemas import TotalsRow

_COLUMNS = ("metric", "subject", "place", "value", "source", "claims", "note")


def format_value(row: TotalsRow) -> str:
    def num(x: float | None) -> str:
        if x is None:
            return "?"
        return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"

    if row.qualifier == "range":
        text = f"{num(row.value_low)}–{num(row.value_high)}"
    else:
        prefix = {"at_least": "≥ ", "at_most": "≤ ", "approx": "≈ "}.get(row.qualifier, "")
        text = prefix + num(row.value)
    return text if row.unit == "people" else f"{text} {row.unit}"


def _note(row: TotalsRow, headlines: Mapping[tuple[str, str, str, str], TotalsRow]) -> str:
    """Where several sources report the same thing: which one is the headline, and which disagree with it."""
    head = headlines.get((row.story, row.metric, row.subject, row.place))
    if head is None or len(head.sources) < 2:
        return ""
    mine = next((s for s in head.sources if s.source == row.source), None)
    if mine is not None and not mine.agrees:
        return "disagrees"
    if head.source == row.source:
        return "headline, sources disagree" if head.conflict else "headline"
    return ""


def format_totals(rows: Iterable[TotalsRow]) -> str:
    """A plain-text table of every source's series, by story, then metric, subject, place and source."""
    rows = list(rows)
    headlines: dict[tuple[str, str, str, str], TotalsRow] = {
        (r.story, r.metric, r.subject, r.place): r for r in rows if r.row == "headline"
    }
    series = sorted(
        (r for r in rows if r.row == "series"), key=lambda r: (r.story, r.metric, r.subject, r.place, r.source)
    )
    stories = sorted({r.story for r in series})
    parts = []
    for story in stories:
        mine = [r for r in series if r.story == story]
        table = [
            (r.metric, r.subject, r.place, format_value(r), r.source, str(r.claims), _note(r, headlines)) for r in mine
        ]
        parts.append((f"story {story}\n" if len(stories) > 1 else "") + _table(_COLUMNS, table))
    return "\n\n".join(parts) if parts else _table(_COLUMNS, [])


def format_stories(rows: Iterable[TotalsRow]) -> str:
    """One line per story: its headline totals ("killed 129; injured 352 (sources disagree)"), linked stories
    (several blogs on one event) first, then single-blog stories, each in story order."""
    heads: dict[str, list[TotalsRow]] = {}
    for row in rows:
        if row.row == "headline":
            heads.setdefault(row.story, []).append(row)
    order = sorted(heads, key=lambda s: (s.startswith("blog/"), s))
    table = [(story, _headlines_text(heads[story])) for story in order]
    return _table(("story", "headlines"), table)


#: A story's line in `format_stories` names at most this many headlines (the most-stated first); `--json` has all.
STORY_HEADLINES = 4


def _headlines_text(rows: list[TotalsRow]) -> str:
    ranked = sorted(rows, key=lambda r: (-r.mentions, r.key))
    shown = "; ".join(
        f"{h.metric.replace('_', ' ')} {h.subject} {h.place}: {format_value(h)}"
        + (" (sources disagree)" if h.conflict else "")
        for h in ranked[:STORY_HEADLINES]
    )
    more = len(ranked) - STORY_HEADLINES
    return shown + (f"; +{more} more" if more > 0 else "")


def _table(columns: tuple[str, ...], body: Sequence[tuple[str, ...]]) -> str:
    table = [columns, *body]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
