"""The hand labels name real posts: every block a label cites is an entry of its blog in the corpus, so a label
can always be checked again against the text it was made from (the labels store ids and numbers only)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.corpus.labels import GOLD, figure_labels, updates_of

pytestmark = pytest.mark.corpus

FOLDERS = sorted(p.name for p in GOLD.iterdir() if p.is_dir())


def cited_blocks(label: dict[str, Any]) -> set[str]:
    blocks = {o["block"] for o in label["other_event"]}
    for series in label["series"]:
        blocks.add(series["final_block"])
        blocks.update(e["block"] for e in series["earlier"])
    return blocks


def test_every_label_set_is_scored_and_no_blog_is_labelled_twice() -> None:
    from tests.corpus.test_corpus_totals import FLOORS

    assert set(FOLDERS) == set(FLOORS)
    seen: set[str] = set()
    for folder in FOLDERS:
        blogs = set(figure_labels(folder))
        assert not blogs & seen, folder
        seen |= blogs


def test_every_cited_block_is_an_entry_of_its_blog() -> None:
    labels = {blog: label for folder in FOLDERS for blog, label in figure_labels(folder).items()}
    updates = updates_of(set(labels))
    for blog, label in labels.items():
        entries = {u.entry_id for u in updates.get(blog, [])}
        assert entries, f"{blog} is not in the corpus"
        assert cited_blocks(label) <= entries, (blog, sorted(cited_blocks(label) - entries))
