"""Pure formatting of results for the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from schemas import TotalsRow

_COLUMNS = ("metric", "subject", "place", "value", "source", "claims")


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


def format_totals(rows: Iterable[TotalsRow]) -> str:
    """A plain-text table of totals, sorted by metric, subject and place."""
    ordered = sorted(rows, key=lambda r: (r.metric, r.subject, r.place, r.source))
    table = [_COLUMNS] + [(r.metric, r.subject, r.place, format_value(r), r.source, str(r.claims)) for r in ordered]
    widths = [max(len(line[i]) for line in table) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
