"""The ceiling: plain aiokafka consume → orjson parse → produce, in a consumer group, no framework, no work.

    python benchmarks/ceiling.py BOOTSTRAP IN_TOPIC OUT_TOPIC GROUP

Reads `getmany` batches of up to 10,000 records, parses each value with orjson, produces it re-serialised to
OUT_TOPIC with the same key and headers (so `ce_time` travels with it), waits for the batch's acknowledgements,
then commits the batch's offsets: at-least-once, like the pipeline. Runs until SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


async def main(bootstrap: str, source: str, sink: str, group: str) -> None:
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=16 * 2**20,
        fetch_max_bytes=64 * 2**20,
        session_timeout_ms=10_000,
        rebalance_timeout_ms=5_000,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=256 * 1024)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await consumer.start()
    await producer.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100, max_records=10_000)
            futures = []
            for records in batch.values():
                for record in records:
                    event = orjson.loads(record.value)
                    value = orjson.dumps(event)
                    futures.append(await producer.send(sink, value=value, key=record.key, headers=list(record.headers)))
            if futures:
                await asyncio.gather(*futures)
                await consumer.commit()
    finally:
        await consumer.stop()
        await producer.stop()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
