"""Near-duplicates on real brokers: the same wire story in a second blog is linked to the first, not counted twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from schemas import NearDuplicate, RawUpdate, TotalsRow
from streams.ingest.archive import load_updates
from streams.kafka.observe import read_topic
from streams.neardup import MIN_SHINGLES, fingerprint
from streams.runner import run_pipeline
from streams.settings import Settings
from tests.conftest import REPO

pytestmark = pytest.mark.kafka
SAMPLE = REPO / "streams" / "data" / "sample-liveblog-2027-08-25.txt"


def values(totals: dict[str, TotalsRow]) -> dict[str, tuple[object, ...]]:
    """What a total says (not how often it was said: a copy adds mentions, never value)."""
    return {k: (r.value, r.value_low, r.value_high, r.qualifier, r.source, r.conflict) for k, r in totals.items()}


def wire_copy(update: RawUpdate) -> RawUpdate:
    """The entry as another outlet carries it an hour later: its own blog and id, the first sentence reworded."""
    first, dot, rest = update.body.partition(". ")
    return update.model_copy(
        update={
            "blog_id": "wire-copy",
            "entry_id": f"copy-{update.entry_id}",
            "published": update.published + timedelta(hours=1),
            "body": f"{first.replace(' the ', ' a ', 1)}{dot}{rest}",
            "outlet": "Another Outlet",
        }
    )


def test_a_wire_copy_in_another_blog_is_linked_to_the_original_and_changes_no_total(settings: Settings) -> None:
    originals = [u for u in load_updates(SAMPLE) if u.kind == "entry"]
    copies = [wire_copy(u) for u in originals]  # every entry copied: each source is restated twice as often
    long_enough = {
        f"wire-copy|copy-{u.entry_id}"
        for u in originals
        if fingerprint(f"{u.headline or ''}\n{u.body}").shingles >= 3 * MIN_SHINGLES
    }
    assert len(long_enough) >= 5
    alone = settings.model_copy(
        update={"app_id": settings.app_id + "-alone", "topic_prefix": settings.topic_prefix + ".alone"}
    )
    once = values(run_pipeline(alone, originals, timeout=180))

    assert values(run_pipeline(settings, originals + copies, timeout=180)) == once  # never summed across blogs

    found = {
        link.entry_key: link
        for link in (NearDuplicate.model_validate_json(r.value) for r in asyncio.run(read_topic(settings, "neardup")))
    }
    original_of = {f"wire-copy|copy-{u.entry_id}": f"{u.blog_id}|{u.entry_id}" for u in originals}
    assert all(original_of.get(key) == link.canonical for key, link in found.items())  # copy → its original only
    assert long_enough <= found.keys()  # and every copy long enough to compare is found
    assert all(link.similarity >= settings.neardup_threshold for link in found.values())
