"""Story linking on labelled corpus blogs: blogs about one event link, different events never merge.

Measured pairwise over the 163 labelled blogs of `tests/data/corpus_gold/stories.json` (64 stories): a pair of
blogs is linked when they get the same story id. Precision is what matters most (two events merged would add
one event's figures to another's); recall is limited by design: a blog whose day is unknown (most BBC pages)
is never linked, and a story crossing a month boundary splits.
"""

from __future__ import annotations

import itertools

import pytest

from streams.stories import story_of
from tests.corpus.labels import story_labels, updates_of

pytestmark = pytest.mark.corpus

#: Measured 2026-11-25: precision 0.986 (the only merge is two episodes of the 2015 refugee crisis in Hungary,
#: labelled apart, linked as the one "refugee crisis" story), recall 0.545.
MIN_PRECISION = 0.98
MIN_RECALL = 0.5


def test_linking_is_precise_on_labelled_stories() -> None:
    gold = story_labels()
    updates = updates_of(set(gold))
    assert set(updates) == set(gold), "every labelled blog is in the corpus"
    ours: dict[str, str] = {}
    for blog, blog_updates in updates.items():
        stories = {story_of(u) for u in blog_updates}
        assert len(stories) == 1, f"every update of {blog} has the blog's story, got {stories}"
        ours[blog] = stories.pop()
    pairs = list(itertools.combinations(sorted(gold), 2))
    linked = {(a, b) for a, b in pairs if ours[a] == ours[b]}
    same = {(a, b) for a, b in pairs if gold[a] == gold[b]}
    precision = len(linked & same) / len(linked)
    recall = len(linked & same) / len(same)
    merged = sorted({(gold[a], gold[b]) for a, b in linked - same})
    print(
        f"story linking: {len(gold)} blogs, {len(set(gold.values()))} stories; pairs linked {len(linked)},"
        f" precision {precision:.3f}, recall {recall:.3f}; merged labels {merged}"
    )
    assert precision >= MIN_PRECISION, merged
    assert recall >= MIN_RECALL
    linked_stories = {s for s in ours.values() if not s.startswith("blog/")}
    assert "attack/paris/2015-11" in linked_stories and "attack/paris/2015-01" in linked_stories
