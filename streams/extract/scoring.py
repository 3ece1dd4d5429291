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
