"""Acceptance on the project's own blogs, read as `liveblog extract` reads them (archive parser + `enrich_update`).

Each blog's achieved level is asserted metric by metric: (claims found, claims with the right source). A regression
fails here naming the metric; an improvement fails too, so the numbers (and `tests/data/blogs/README.md`'s list of
known misses) get updated with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemas.models import Figure
from streams.enrichment import enrich_update
from streams.extract.scoring import format_scores, metric_scores, score
from streams.ingest.archive import load_updates

REPO = Path(__file__).resolve().parents[2]
BLOGS = REPO / "tests" / "data" / "blogs"
SAMPLE = REPO / "streams" / "data" / "sample-liveblog-2027-08-25"

# blog -> (archive, gold, {metric: (found, right source)}, known misses)
EXPECTED: dict[str, tuple[Path, Path, dict[str, tuple[int, int]], set[str]]] = {
    "sample": (
        SAMPLE.with_suffix(".txt"),
        SAMPLE.with_suffix(".figures.json"),
        {"aid": (4, 4), "evacuated": (3, 3), "injured": (7, 7), "internally_displaced": (4, 4), "killed": (10, 10),
         "missing": (1, 1), "remaining": (2, 2)},
        set(),
    ),
    "earthquake": (
        BLOGS / "earthquake-agency-style.txt",
        BLOGS / "earthquake-agency-style.figures.json",
        {"aid": (2, 2), "casualties": (0, 0), "evacuated": (1, 1), "injured": (2, 2), "internally_displaced": (1, 1),
         "killed": (6, 6), "remaining": (2, 2)},
        {"arequipa-casualties-500"},
    ),
    "displacement": (
        BLOGS / "displacement-lowercase.txt",
        BLOGS / "displacement-lowercase.figures.json",
        {"aid": (1, 1), "evacuated": (0, 0), "injured": (2, 2), "internally_displaced": (2, 2), "killed": (1, 1),
         "refugees": (3, 3), "remaining": (0, 0)},
        {"tak-registered-6000", "unicef-child-refugees-4000", "police-rafts-hundreds", "mvrc-stranded-8000-10000",
         "thai-villager-killed-1", "thai-army-evacuated-1200", "us-aid-2m"},
    ),
    "flood": (
        BLOGS / "flood-jsonld.json",
        BLOGS / "flood-jsonld.figures.json",
        {"aid": (2, 2), "evacuated": (1, 1), "injured": (0, 0), "internally_displaced": (1, 1), "killed": (1, 1),
         "missing": (0, 0), "remaining": (1, 1)},
        {"police-killed-1", "police-killed-3", "york-hospital-injured-14", "york-hospital-children-injured-3",
         "county-missing-2"},
    ),
}  # fmt: skip


def blog(name: str) -> tuple[list[Figure], dict[str, Any]]:
    archive, gold_path, _, _ = EXPECTED[name]
    figures = [f for u in load_updates(archive) for f in enrich_update(u).figures]
    return figures, json.loads(gold_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_level_by_metric(name: str) -> None:
    figures, gold = blog(name)
    want = EXPECTED[name][2]
    got = {r.metric: (r.found, r.right_source) for r in metric_scores(figures, gold) if r.claims}
    assert got == want, format_scores(figures, gold)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_known_misses_and_no_distractor(name: str) -> None:
    figures, gold = blog(name)
    board = score(figures, gold)
    assert set(board.missing) == EXPECTED[name][3], board.summary()
    assert board.distractors_hit == [], board.distractors_hit
    assert board.spurious == [], board.spurious


def test_sample_is_the_demo() -> None:
    """The bundled sample: every claim found with its source; what `liveblog run` shows first."""
    figures, gold = blog("sample")
    board = score(figures, gold)
    assert len(board.found) == board.claims == 31
    assert len(board.right_source) == 31
    assert not any(f.metric == "aid" and f.value == 160e6 for f in figures)  # an appeal is not aid


def test_sample_sources_are_one_name_each() -> None:
    """Sources key series: one agency must not split into several names."""
    figures, _ = blog("sample")
    sources = {f.source for f in figures}
    assert {"NDMA", "PDMA", "Karachi Police", "Shikarpur Police", "Pakistan Army", "UK", "US", "EU"} <= sources
    for bad in ("Office", "Service", "Million Appeal", "Disaster Agency", "Police", "Army", "Red Crescent Society",
                "Over 1"):  # fmt: skip
        assert bad not in sources
    ndma = [f for f in figures if f.metric == "killed" and f.value in (212, 248, 261)]
    assert {f.source for f in ndma} == {"NDMA"}


def test_format_scores_table() -> None:
    figures, gold = blog("flood")
    table = format_scores(figures, gold)
    lines = table.splitlines()
    assert lines[0].split()[:6] == ["metric", "claims", "found", "recall", "figs", "precision"]
    killed = next(line for line in lines if line.startswith("killed"))
    assert killed.split()[1:4] == ["3", "1", "33%"]
    assert "claims found 6/11" in table
