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

#: Floors at today's measure (see the printed summary): the issue's target is 90% of blogs; we are not there.
MIN_SERIES_FOUND = 0.35
MAX_OTHER_EVENT_LEAKS = 0.45


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


def test_labelled_blogs_final_figures_are_their_story_totals() -> None:
    labels = figure_labels()
    assert len(labels) >= 10
    updates = updates_of(set(labels))
    found = total = leaks = context = whole = 0
    for blog, label in sorted(labels.items()):
        rows = fold_totals(updates[blog])
        assert len({r.story for r in rows.values()}) <= 1, "one blog, one story"
        missed, leaked = score(label, rows)
        total += len(label["series"])
        found += len(label["series"]) - len(missed)
        context += len(label["other_event"])
        leaks += len(leaked)
        whole += not missed
        print(f"{blog[:12]} {label['story']}: missed {missed or '-'}; other-event figures in a total {leaked or '-'}")
    print(
        f"corpus labels: {len(labels)} blogs, final figure found for {found}/{total} series ({found / total:.0%}),"
        f" every series right on {whole}/{len(labels)} blogs; {leaks}/{context} other-event figures entered a total"
    )
    assert found / total >= MIN_SERIES_FOUND
    assert leaks / context <= MAX_OTHER_EVENT_LEAKS
