"""Creating the pipeline's topics idempotently, with compaction where the topic is a table of state."""

from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from streams.app import TOPICS
from streams.kafka.clients import client_options
from streams.settings import Settings


def topic_configs(compacted: bool) -> dict[str, str]:
    if compacted:
        return {"cleanup.policy": "compact"}
    return {"cleanup.policy": "delete", "retention.ms": str(30 * 24 * 3600 * 1000)}


async def ensure_topics(settings: Settings) -> list[str]:
    """Create any missing pipeline topic; returns the names created."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(
                name=settings.topic(name),
                num_partitions=settings.partitions,
                replication_factor=settings.replication_factor,
                topic_configs=topic_configs(compacted),
            )
            for name, compacted in TOPICS.items()
            if settings.topic(name) not in existing
        ]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(wanted)
        return [t.name for t in wanted]
    finally:
        await admin.close()
