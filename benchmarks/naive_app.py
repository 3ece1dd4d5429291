"""The naive baseline: the pipeline's three stages as one minimal Faust agent, one event at a time.

    python benchmarks/naive_app.py BOOTSTRAP IN_TOPIC OUT_TOPIC APP_ID DATA_DIR

For each raw update: orjson parse → `streams.enrichment.enrich_update` (the same extractor as the pipeline) →
dedup by entry id in table `seen` (same content hash again, or an older revision, is dropped) → aggregate in table
`totals`: per blog, the largest value of each metric → one output row per kept update, carrying the update's
`ce_time`. Two table writes (two changelog messages) and one output message per kept update; no batching.

It does less than the pipeline: no claims, no withdrawals of revised figures, no per-source series or headlines,
no dead letters, no CloudEvents validation. Settings are Faust's defaults except those that only make the
measurement comparable: the same commit interval, session and rebalance timeouts as the pipeline, `warn` logging
and no spinner (`streams.worker` does the same),
one partition like the input.
"""

from __future__ import annotations

import sys
from typing import Any

import faust
import orjson

from schemas import RawUpdate
from streams.enrichment import enrich_update


def build(bootstrap: str, source: str, sink: str, app_id: str, data_dir: str) -> faust.App:
    app = faust.App(
        app_id,
        broker="kafka://" + bootstrap,
        store="memory://",
        datadir=data_dir,
        autodiscover=False,
        topic_partitions=1,
        broker_commit_interval=1.0,
        broker_session_timeout=10.0,
        broker_rebalance_timeout=5.0,
        broker_heartbeat_interval=3.0,
        consumer_auto_offset_reset="earliest",
        web_enabled=False,
    )
    raw: dict[str, Any] = {"key_type": bytes, "value_type": bytes, "key_serializer": "raw", "value_serializer": "raw"}
    updates = app.topic(source, **raw)
    rows = app.topic(sink, **raw)
    seen = app.Table("seen", default=None)
    totals = app.Table("totals", default=None)

    @app.agent(updates, name="naive")
    async def process(stream: Any) -> None:
        async for event in stream.events():
            update = RawUpdate.model_validate(orjson.loads(event.value))
            enriched = enrich_update(update)
            key = f"{update.blog_id}|{update.entry_id}"
            before = seen.get(key)
            if before is not None and (before[1] == enriched.content_hash or before[0] > update.revision):
                continue
            seen[key] = [update.revision, enriched.content_hash]
            current = dict(totals.get(update.blog_id) or {})
            for figure in enriched.figures:
                if figure.value is not None and not figure.vague:
                    current[figure.metric] = max(current.get(figure.metric, 0.0), figure.value)
            totals[update.blog_id] = current
            ce_time = dict(event.headers or {}).get("ce_time", b"")
            await rows.send(key=update.blog_id.encode(), value=orjson.dumps(current), headers={"ce_time": ce_time})

    return app


def main() -> None:
    app = build(*sys.argv[1:6])
    worker = faust.Worker(app, loglevel="warn", quiet=True, redirect_stdouts=False)
    worker.spinner = None
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
