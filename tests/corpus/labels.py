"""The hand labels of `tests/data/corpus_gold/` (ids, metrics and numbers only) and the corpus blogs they name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas import RawUpdate
from streams.ingest.corpus import CORPUS_NAME, iter_corpus
from tests.conftest import shared_file

GOLD = Path(__file__).resolve().parents[1] / "data" / "corpus_gold"


def corpus_path() -> Path:
    return shared_file(f"corpus/{CORPUS_NAME}")


def figure_labels(folder: str = "blogs") -> dict[str, dict[str, Any]]:
    """blog id → its label (series with final and earlier values, figures about other events): `blogs`, the
    set the extractor was tuned on, `heldout`, labelled later by someone else to measure it honestly, or
    `heldout2` to `heldout5`, each labelled later on new events by someone who did not read the extractor
    (`heldout4` and `heldout5` are never used for tuning; `heldout3` was not until session 10)."""
    labels = (json.loads(p.read_text()) for p in sorted((GOLD / folder).glob("*.json")))
    return {label["blog_id"]: label for label in labels}


def story_labels() -> dict[str, str]:
    """blog id → its story label."""
    stories = json.loads((GOLD / "stories.json").read_text())["stories"]
    return {blog: story for story, blogs in stories.items() for blog in blogs}


def updates_of(blog_ids: set[str]) -> dict[str, list[RawUpdate]]:
    """The updates of the named blogs, in publication order, read from the corpus."""
    out: dict[str, list[RawUpdate]] = {}
    for update in iter_corpus(corpus_path()):
        if update.blog_id in blog_ids:
            out.setdefault(update.blog_id, []).append(update)
    return out
