"""Looking at and redriving the dead-letter topic.

`redrive` sends each dead letter's original key, value and headers back to the topic it was read from, after
a fix (a new extractor, a raised size limit). A consumer group remembers which letters were redriven, so each
is sent back once; downstream dedup makes an event that was already processed harmless anyway.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from schemas import DeadLetter
from streams import codec
from streams.kafka.clients import client_options
from streams.kafka.observe import partitions_of, read_topic
from streams.settings import Settings


async def dead_letters(settings: Settings) -> list[DeadLetter]:
    return [codec.decode(record.value, DeadLetter) for record in await read_topic(settings, "deadletter")]


def format_dead_letters(letters: Iterable[DeadLetter]) -> str:
    """Dead letters grouped by stage and reason, most frequent first, each with an example error."""
    letters = list(letters)
    counts = Counter((letter.stage, letter.reason) for letter in letters)
    example = {(letter.stage, letter.reason): letter.error for letter in reversed(letters)}
    lines = [f"{len(letters)} dead letters"]
    for (stage, reason), count in counts.most_common():
        lines.append(f"{count:>7}  {stage:<8} {reason:<18} e.g. {example[(stage, reason)][:90]}")
    return "\n".join(lines)


async def redrive(settings: Settings, reason: str | None = None) -> tuple[int, int]:
    """Send back the dead letters not redriven before (optionally of one reason); returns (sent, skipped).

    Letters from the edges (an archive line that never was an event) have no source topic and are skipped.
    """
    group = f"{settings.group_id}-redrive"
    consumer = AIOKafkaConsumer(
        group_id=group, enable_auto_commit=False, auto_offset_reset="earliest", **client_options(settings)
    )
    producer = AIOKafkaProducer(**client_options(settings), acks="all")
    await consumer.start()
    await producer.start()
    sent = skipped = 0
    try:
        tps = await partitions_of(settings, settings.topic("deadletter"))
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        for tp in tps:
            while await consumer.position(tp) < ends[tp]:
                batch = await consumer.getmany(tp, timeout_ms=1000, max_records=1000)
                for record in batch.get(tp, []):
                    letter = codec.decode(record.value, DeadLetter)
                    if letter.topic is None or (reason is not None and letter.reason != reason):
                        skipped += 1
                        continue
                    await producer.send_and_wait(
                        letter.topic,
                        value=base64.b64decode(letter.value_b64),
                        key=base64.b64decode(letter.key_b64) if letter.key_b64 is not None else None,
                        headers=[(name, base64.b64decode(value)) for name, value in letter.headers],
                    )
                    sent += 1
            await consumer.commit({tp: ends[tp]})
    finally:
        await producer.stop()
        await consumer.stop()
    return sent, skipped
