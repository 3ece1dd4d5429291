"""The pipeline's topics on a cluster: created idempotently and described, with the admin client.

What the topics should be (names, partitions, replication, configs) and how to compare is pure logic in
`streams.kafka.topic_specs`; this module only talks to the broker.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError

from streams.errors import BrokerError
from streams.kafka.clients import client_options
from streams.kafka.topic_specs import TopicSpec, missing, wanted_topics
from streams.settings import Settings

#: DescribeConfigs' config source for a value set on the topic itself (Kafka's `TOPIC_CONFIG`).
SOURCE_TOPIC_CONFIG = 1


def topic_configs(compacted: bool) -> dict[str, str]:
    """Configs of a compacted topic or a log (kept for callers; `topic_specs.configs_for` is per topic)."""
    if compacted:
        return {"cleanup.policy": "compact"}
    return {"cleanup.policy": "delete", "retention.ms": str(30 * 24 * 3600 * 1000)}


async def ensure_topics(settings: Settings) -> list[str]:
    """Create any missing pipeline topic (`topic_specs.wanted_topics`); returns the names created.

    Existing topics are left as they are, whatever their configs: `describe_topics` shows any drift.
    """
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        absent = missing(wanted_topics(settings), await admin.list_topics())
        if absent:
            new = [
                NewTopic(
                    name=spec.name,
                    num_partitions=spec.partitions,
                    replication_factor=spec.replication_factor,
                    topic_configs=dict(spec.configs),
                )
                for spec in absent
            ]
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(new)
        return [spec.name for spec in absent]
    finally:
        await admin.close()


async def describe_topics(settings: Settings) -> dict[str, TopicSpec]:
    """The pipeline's topics as the cluster has them, by name; a topic that does not exist is absent.

    `configs` holds the values set on each topic plus the current value of every config the settings want
    (a broker default included), not the broker's whole default set.
    """
    wanted = {spec.name: spec for spec in wanted_topics(settings)}
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        # Ask only about topics that exist: a Metadata request for a missing topic auto-creates it on
        # brokers with auto-creation on (Tansu does).
        names = [name for name in wanted if name in set(await admin.list_topics())]
        if not names:
            return {}
        metadata = await admin.describe_topics(names)
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
    finally:
        await admin.close()
    configs = _configs_by_topic(responses, wanted)
    actual = {}
    for topic in metadata:
        name = topic["topic"]
        if topic.get("error_code", 0) != 0 or name not in wanted:
            continue
        partitions = topic["partitions"]
        replication = max((len(p["replicas"]) for p in partitions), default=0)
        actual[name] = TopicSpec(name, len(partitions), replication, configs.get(name, {}))
    return actual


def _configs_by_topic(responses: list[Any], wanted: dict[str, TopicSpec]) -> dict[str, dict[str, str]]:
    configs: dict[str, dict[str, str]] = {}
    for response in responses:
        for resource in response.to_object()["resources"]:
            name = resource["resource_name"]
            if resource["error_code"] != 0:
                raise BrokerError(f"describe configs of {name}: {resource['error_message']}")
            keep = set(wanted[name].configs) if name in wanted else set()
            entries = configs.setdefault(name, {})
            for entry in resource["config_entries"]:
                key = entry.get("config_names", entry.get("config_name"))
                value = entry["config_value"]
                if value is not None and (key in keep or entry.get("config_source") == SOURCE_TOPIC_CONFIG):
                    entries[key] = value
    return configs
