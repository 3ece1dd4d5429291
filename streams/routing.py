"""Which partition a key lives on: Kafka's default partitioner, shared by the producer side and the API.

The totals state of a (story, metric, subject, place) lives on the `liveblog.claims` partition its key hashes to; the
entries agent sends each batch of claims straight to that partition, and the API forwards a request for a key
to the worker owning it, so both must hash alike (murmur2, as aiokafka and the Java client do).
"""

from __future__ import annotations

from aiokafka.partitioner import murmur2


def partition_of(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner gives `key` among `partitions`."""
    return int(murmur2(key) & 0x7FFFFFFF) % partitions
