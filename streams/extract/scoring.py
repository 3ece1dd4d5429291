"""Score extracted figures against a hand-labelled gold file (the `figures.json` format of the seed).

A claim is *found* when one figure has its metric, value (or low/high), qualifier, subject and place; its
*source* is right when such a figure also names the claim's reporter. A figure that matches no claim, and
restates none (same metric, value within 10% of a claim's or listed in its `mentions`), is *spurious*.
Vague figures ("hundreds") are counted apart: they never enter a total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from schemas.models import Figure

_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "us": ("united states", "u.s.", "state department", "white house"),
    "uk": ("united kingdom", "uk government", "u.k."),
    "un": ("un", "united nations", "u.n."),
    "eu": ("european union", "european commission"),
}


def source_matches(found: str | None, gold: str | None) -> bool:
    """Whether an extracted source names the gold reporter ("Oleksandr Makrushin" ~ "Irpin Mayor Oleksandr ...")."""
    if not found or not gold:
        return found == gold
    f, g = found.lower(), gold.lower()
    if re.search(rf"(?<![\w]){re.escape(f)}(?![\w])", g):
        return True
    if any(alias in g for alias in _ALIASES.get(f, ())):
        return True
    return any(len(word) >= 4 and re.search(rf"\b{re.escape(word)}\b", g) for word in f.split())


def _values(claim: Mapping[str, Any]) -> tuple[float | None, float | None, float | None]:
    def num(key: str) -> float | None:
        value = claim.get(key)
        return None if value is None else float(value)

    return num("value"), num("value_low"), num("value_high")


def claim_matches(figure: Figure, claim: Mapping[str, Any]) -> bool:
    value, low, high = _values(claim)
    return (
        figure.metric == claim["metric"]
        and (figure.value, figure.value_low, figure.value_high) == (value, low, high)
        and figure.qualifier == claim["qualifier"]
        and figure.subject == claim["subject"]
        and figure.place == claim["place"]
        and figure.vague == bool(claim.get("vague", False))
    )


def restates(figure: Figure, claim: Mapping[str, Any]) -> bool:
    """Same metric and a value the claim states, rounds to, or lists among its mentions."""
    if figure.metric != claim["metric"]:
        return False
    value, low, high = _values(claim)
    candidates = [v for v in (value, low, high) if v] + [float(m) for m in claim.get("mentions", [])]
    got = [v for v in (figure.value, figure.value_low, figure.value_high) if v]
    return any(abs(g - c) <= 0.1 * c for g in got for c in candidates)


@dataclass
class Scoreboard:
    claims: int = 0
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    right_source: list[str] = field(default_factory=list)
    distractors_hit: list[tuple[str, str]] = field(default_factory=list)
    spurious: list[Figure] = field(default_factory=list)
    vague: list[Figure] = field(default_factory=list)
    restatements: int = 0

    def summary(self) -> str:
        return (
            f"claims found {len(self.found)}/{self.claims}, right source {len(self.right_source)}/{self.claims}, "
            f"distractors hit {len(self.distractors_hit)}, spurious {len(self.spurious)}, "
            f"vague {len(self.vague)}, restatements {self.restatements}"
        )


def _distractor_hit(figure: Figure, snippet: str) -> bool:
    text, snip = figure.text.lower(), snippet.lower()
    return bool(text) and (text in snip or snip in text)


def score(figures: Sequence[Figure], gold: Mapping[str, Any], *, distractor_keys: Iterable[str] = ()) -> Scoreboard:
    """Compare `figures` (all of one blog's) with a gold file; `distractor_keys` are extra snippets to avoid."""
    board = Scoreboard(claims=len(gold["claims"]))
    for claim in gold["claims"]:
        matching = [f for f in figures if claim_matches(f, claim)]
        (board.found if matching else board.missing).append(claim["id"])
        if any(source_matches(f.source, claim.get("source")) for f in matching):
            board.right_source.append(claim["id"])
    snippets = [d.split(" — ")[0].strip().strip("'\"") for d in gold.get("distractors", []) if " — " in d]
    for figure in figures:
        for snippet in [*snippets, *distractor_keys]:
            if _distractor_hit(figure, snippet):
                board.distractors_hit.append((snippet, figure.text))
        if figure.vague:
            board.vague.append(figure)
        elif any(claim_matches(figure, c) or restates(figure, c) for c in gold["claims"]):
            board.restatements += 1
        else:
            board.spurious.append(figure)
    return board


_FIELDS: Final = ("qualifier", "subject", "place", "source")


@dataclass(frozen=True)
class MetricScore:
    """How one metric scored: `matched` figures restate a claim; `fields` counts, per field, the claims whose
    value was found with that field right (out of `located`, the claims whose value was found at all)."""

    metric: str
    claims: int
    found: int
    right_source: int
    figures: int
    matched: int
    located: int
    fields: dict[str, int]

    @property
    def recall(self) -> float:
        return self.found / self.claims if self.claims else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.figures if self.figures else 1.0


def _field_right(figure: Figure, claim: Mapping[str, Any], name: str) -> bool:
    if name == "source":
        return source_matches(figure.source, claim.get("source"))
    return bool(getattr(figure, name) == claim[name])


def metric_scores(figures: Sequence[Figure], gold: Mapping[str, Any]) -> list[MetricScore]:
    """Precision, recall and field accuracy of `figures` against a gold file, metric by metric (vague ones apart)."""
    claims = gold["claims"]
    rows = []
    for metric in sorted({c["metric"] for c in claims} | {f.metric for f in figures}):
        mine = [c for c in claims if c["metric"] == metric]
        figs = [f for f in figures if f.metric == metric]
        board = score(figs, {"claims": mine})
        fields = dict.fromkeys(_FIELDS, 0)
        located = 0
        for claim in mine:
            value = _values(claim)
            same = [f for f in figs if (f.value, f.value_low, f.value_high) == value]
            if not same:
                continue
            located += 1
            for name in _FIELDS:
                fields[name] += any(_field_right(f, claim, name) for f in same)
        precise = [f for f in figs if not f.vague or any(c.get("vague") for c in mine)]
        matched = sum(any(claim_matches(f, c) or restates(f, c) for c in mine) for f in precise)
        rows.append(
            MetricScore(
                metric, len(mine), len(board.found), len(board.right_source), len(precise), matched, located, fields
            )
        )
    return rows


def format_scores(figures: Sequence[Figure], gold: Mapping[str, Any]) -> str:
    """The table `liveblog eval figures` prints: per metric, precision, recall and field accuracy, then totals.

    Precision counts a figure right when it states or restates a gold claim; recall counts a claim found when one
    figure has its metric, value, qualifier, subject and place; a field's accuracy is over the claims whose value
    was found at all.
    """
    rows = metric_scores(figures, gold)
    head = f"{'metric':22} {'claims':>6} {'found':>5} {'recall':>7} {'figs':>5} {'precision':>9}"
    head += "".join(f" {name:>9}" for name in _FIELDS)
    lines = [head]

    def pct(part: int, whole: int) -> str:
        return f"{100 * part / whole:.0f}%" if whole else "-"

    for r in rows:
        line = f"{r.metric:22} {r.claims:6} {r.found:5} {pct(r.found, r.claims):>7} {r.figures:5}"
        line += f" {pct(r.matched, r.figures):>9}" + "".join(f" {pct(r.fields[n], r.located):>9}" for n in _FIELDS)
        lines.append(line)
    board = score(figures, gold)
    total = sum(r.figures for r in rows)
    lines.append(
        f"{'all':22} {board.claims:6} {len(board.found):5} {pct(len(board.found), board.claims):>7} {total:5}"
        f" {pct(sum(r.matched for r in rows), total):>9}"
    )
    lines.append(board.summary())
    for snippet, text in board.distractors_hit:
        lines.append(f"distractor hit: {snippet!r} <- {text!r}")
    return "\n".join(lines)
