"""Story totals on labelled corpus blogs: the final figure each blog reports, and no figure of another event.

Each label (`tests/data/corpus_gold/blogs/*.json`, ids and numbers only) names a crisis blog, the final value
of each series it reports and the figures it gives about other events for context. The blog's updates go
through the pipeline's pure stages in memory (`streams.offline`, the functions the agents run); the Kafka run
of the whole corpus checks the distributed pipeline gives the same.
"""

from __future__ import annotations

from typing import Any

import pytest

from schemas import TotalsRow
from streams.offline import fold_totals
from tests.corpus.labels import figure_labels, updates_of

pytestmark = pytest.mark.corpus

#: Floors at today's measure (see the printed summary), per label set: the issue's target is 90% of blogs right
#: and no other-event figure in a total; we are not there. `heldout` was labelled after the extractor was tuned
#: on `blogs`, and some later rules were prompted by its cases; `heldout2` (new events, labelled by someone who did
#: not read the extractor) measured session 7's rules honestly and is a development set since; so is `heldout3`
#: (labelled the same way, honest through session 9) since session 10. `heldout4`, `heldout5` and `heldout6` (more
#: new events, labelled the same way on 2026-12-07 and 2026-12-08) are the honest measures now: never tune on their
#: blogs, read only their summary lines.
FLOORS = {
    "blogs": (0.9, 0.05),
    "heldout": (0.78, 0.27),
    "heldout2": (0.7, 0.22),
    "heldout3": (0.85, 0.1),
    "heldout4": (0.7, 0.5),
    "heldout5": (0.7, 0.5),
    "heldout6": (0.55, 0.45),
}


def score(label: dict[str, Any], rows: dict[str, TotalsRow]) -> tuple[list[str], list[str]]:
    """(series whose final value is not a current headline of its metric, other-event figures that are current)."""
    heads = [r for r in rows.values() if r.row == "headline"]
    series = [r for r in rows.values() if r.row == "series"]
    missed = [
        f"{s['metric']} {s['subject']} {s['place']} = {s['final']}"
        for s in label["series"]
        if not any(h.metric == s["metric"] and h.value == s["final"] for h in heads)
    ]
    leaked = [
        f"{o['metric']} {o['value']} ({o['block']})"
        for o in label["other_event"]
        if any(r.metric == o["metric"] and r.value == o["value"] for r in series)
    ]
    return missed, leaked


@pytest.mark.parametrize("label_set", sorted(FLOORS))
def test_labelled_blogs_final_figures_are_their_story_totals(label_set: str) -> None:
    labels = figure_labels(label_set)
    assert len(labels) >= 10
    updates = updates_of(set(labels))
    found = total = leaks = context = whole = clean = 0
    for blog, label in sorted(labels.items()):
        rows = fold_totals(updates[blog])
        assert len({r.story for r in rows.values()}) <= 1, "one blog, one story"
        missed, leaked = score(label, rows)
        total += len(label["series"])
        found += len(label["series"]) - len(missed)
        context += len(label["other_event"])
        leaks += len(leaked)
        whole += not missed
        clean += not missed and not leaked  # what the issue asks of a blog: every total right, no other event in one
        print(f"{blog[:12]} {label['story']}: missed {missed or '-'}; other-event figures in a total {leaked or '-'}")
    print(
        f"corpus labels ({label_set}): {len(labels)} blogs, final figure found for {found}/{total} series"
        f" ({found / total:.0%}),"
        f" every series right on {whole}/{len(labels)} blogs; {leaks}/{context} other-event figures entered a total;"
        f" {clean}/{len(labels)} blogs right with no other-event figure in a total"
    )
    min_found, max_leaks = FLOORS[label_set]
    assert found / total >= min_found
    assert leaks / context <= max_leaks
