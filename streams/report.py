"""Pure formatting of results for the terminal."""

from __future__ import annotations

from collections.abc import Iterable

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


def _note(row: TotalsRow, headlines: dict[tuple[str, str, str], TotalsRow]) -> str:
    """Where several sources report the same thing: which one is the headline, and which disagree with it."""
    head = headlines.get((row.metric, row.subject, row.place))
    if head is None or len(head.sources) < 2:
        return ""
    mine = next((s for s in head.sources if s.source == row.source), None)
    if mine is not None and not mine.agrees:
        return "disagrees"
    if head.source == row.source:
        return "headline, sources disagree" if head.conflict else "headline"
    return ""


def format_totals(rows: Iterable[TotalsRow]) -> str:
    """A plain-text table of every source's series, sorted by metric, subject, place and source."""
    rows = list(rows)
    headlines: dict[tuple[str, str, str], TotalsRow] = {
        (r.metric, r.subject, r.place): r for r in rows if r.row == "headline"
    }
    ordered = sorted((r for r in rows if r.row == "series"), key=lambda r: (r.metric, r.subject, r.place, r.source))
    table = [_COLUMNS] + [
        (r.metric, r.subject, r.place, format_value(r), r.source, str(r.claims), _note(r, headlines)) for r in ordered
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
