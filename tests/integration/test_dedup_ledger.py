"""Issue 4 on real brokers: order, duplicates and revisions of the seed, and the totals that result."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from schemas import RawUpdate, TotalsRow
from streams.ingest.archive import load_updates
from streams.kafka.observe import read_totals
from streams.offline import fold_totals
from streams.runner import run_pipeline
from streams.settings import Settings
from tests.conftest import shared_file

pytestmark = pytest.mark.kafka
KILLED = "blog/liveblog-2022-03-30|killed|civilians|Ukraine|OHCHR"


def values(totals: dict[str, TotalsRow]) -> dict[str, tuple[object, ...]]:
    return {
        k: (r.value, r.value_low, r.value_high, r.qualifier, r.source, r.claims, r.conflict) for k, r in totals.items()
    }


def fresh(settings: Settings, name: str) -> Settings:
    return settings.model_copy(update={"topic_prefix": f"{settings.topic_prefix}.{name}", "app_id": name})


def test_shuffled_and_duplicated_seed_gives_the_totals_of_the_seed_once(settings: Settings) -> None:
    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    once = values(run_pipeline(fresh(settings, "once"), updates, timeout=180))
    # The same archive published again to the same topics (a replay) by a fresh worker: nothing moves.
    assert values(run_pipeline(fresh(settings, "once"), updates, timeout=180)) == once
    messy = updates * 2
    random.Random(7).shuffle(messy)
    assert values(run_pipeline(fresh(settings, "messy"), messy, timeout=180)) == once
    assert once[KILLED][0] == 1189
    # The same rows as the pure stages in one process: the seed's 21 claims as its 20 labelled series
    # (tests/streams/test_seed_series.py) and their headlines, restatements folded into what they restate.
    assert once == values(fold_totals(updates))
    assert len([k for k in once if not k.endswith("|*")]) == 20


def revised(update: RawUpdate, old: str, new: str, revision: int) -> RawUpdate:
    return update.model_copy(
        update={
            "body": update.body.replace(old, new),
            "revision": revision,
            "updated": update.published + timedelta(hours=revision),
        }
    )


def test_a_revision_moves_the_total_and_a_correction_moves_it_back(settings: Settings) -> None:
    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    run_pipeline(settings, updates, timeout=180)
    assert asyncio.run(read_totals(settings))[KILLED].value == 1189

    (entry,) = [u for u in updates if u.kind == "entry" and "OHCHR" in u.body and "1,189" in u.body]
    run_pipeline(settings, [revised(entry, "1,189", "1,276", 2)], timeout=180)
    assert asyncio.run(read_totals(settings))[KILLED].value == 1276  # the revision replaces, never adds (2,465)

    run_pipeline(settings, [revised(entry, "1,189", "1,189", 3)], timeout=180)  # the correction: back to 1,189
    assert asyncio.run(read_totals(settings))[KILLED].value == 1189
