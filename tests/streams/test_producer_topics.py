"""Every topic the pipeline sends to is tracked by the Kafka client before the send (`streams.batching.track`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from streams.batching import track


class Client:
    """aiokafka's client as `track` sees it: the tracked topics, and `add_topic` asking for a refresh."""

    def __init__(self, tracked: set[str]) -> None:
        self._topics = set(tracked)
        self.refreshes = 0

    def add_topic(self, topic: str) -> None:
        self.refreshes += 1
        self._topics.add(topic)


def producer(client: Any) -> Any:
    return SimpleNamespace(_producer=SimpleNamespace(client=client))


def test_an_untracked_topic_is_tracked_before_anything_is_sent_to_it() -> None:
    """The stall seen: only the activity changelog tracked, batches for the others waiting for a leader."""
    client = Client({"app-activity-changelog"})
    track(producer(client), "liveblog.neardup.bands")
    track(producer(client), "app-recent-changelog")
    assert client._topics == {"app-activity-changelog", "liveblog.neardup.bands", "app-recent-changelog"}
    assert client.refreshes == 2


def test_a_tracked_topic_costs_no_refresh_and_a_producer_without_a_client_is_left_alone() -> None:
    client = Client({"liveblog.claims"})
    for _ in range(3):
        track(producer(client), "liveblog.claims")
    assert client.refreshes == 0
    track(SimpleNamespace(), "liveblog.claims")  # not started yet, or not the Kafka driver: nothing to track
