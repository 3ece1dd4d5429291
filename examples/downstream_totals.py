"""A downstream service: its own copy of the running totals, from the compacted `liveblog.totals` topic.

Plain aiokafka, no consumer group: on every start it reads the topic from the beginning (compaction keeps the
latest row per key, and a tombstone removes a key), so a restart rebuilds the same copy; then it follows. The
copy is `key → row` (series rows `metric|subject|place|source`, headlines `metric|subject|place|*`).

    python examples/downstream_totals.py --broker localhost:9092             # rebuild, then follow
    python examples/downstream_totals.py --broker localhost:9092 --once      # rebuild, print JSON, exit
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


def apply(totals: dict[str, dict[str, Any]], key: bytes | None, value: bytes | None) -> str | None:
    """Apply one record to the copy; the key of a headline that changed, else None."""
    if key is None:
        return None
    name = key.decode()
    if value is None:
        totals.pop(name, None)
    else:
        totals[name] = json.loads(value)
    return name if name.endswith("|*") else None


async def partitions(broker: str, topic: str) -> list[TopicPartition]:
    """The topic's partitions, asked of the cluster (a consumer without a subscription does not track them)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=broker)
    await admin.start()
    try:
        for _ in range(100):  # the metadata of a new topic may take a moment
            described = await admin.describe_topics([topic])
            found = [p["partition"] for d in described if d.get("error_code", 0) == 0 for p in d["partitions"]]
            if found:
                return [TopicPartition(topic, p) for p in sorted(found)]
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
    raise SystemExit(f"topic {topic} not found")


async def rebuild(consumer: AIOKafkaConsumer, tps: list[TopicPartition]) -> dict[str, dict[str, Any]]:
    """Read the topic from the beginning to its current end."""
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    ends = await consumer.end_offsets(tps)
    totals: dict[str, dict[str, Any]] = {}
    pending = {tp for tp in tps if ends[tp] > 0}
    while pending:
        for records in (await consumer.getmany(timeout_ms=500)).values():
            for record in records:
                apply(totals, record.key, record.value)
        pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
    return totals


def line(row: dict[str, Any] | None, key: str) -> str:
    if row is None:
        return f"{key}: withdrawn"
    flag = "  CONFLICT" if row.get("conflict") else ""
    return f"{key}: {row['value']:,.0f} ({row['qualifier']}) per {row['source']}{flag}"


async def main(broker: str, topic: str, once: bool) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=broker, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        totals = await rebuild(consumer, await partitions(broker, topic))
        if once:
            json.dump(totals, sys.stdout, sort_keys=True)
            print()
            return 0
        for key in sorted(k for k in totals if k.endswith("|*")):
            print(line(totals[key], key), flush=True)
        while True:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                for record in records:
                    changed = apply(totals, record.key, record.value)
                    if changed is not None:
                        print(line(totals.get(changed), changed), flush=True)
    finally:
        await consumer.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--broker", required=True, help="host:port[,host:port] (a kafka:// prefix is accepted)")
    parser.add_argument("--topic", default="liveblog.totals")
    parser.add_argument("--once", action="store_true", help="rebuild the copy, print it as JSON and exit")
    args = parser.parse_args()
    broker = args.broker.removeprefix("kafka://").replace(";", ",")
    try:
        sys.exit(asyncio.run(main(broker, args.topic, args.once)))
    except KeyboardInterrupt:
        sys.exit(0)
