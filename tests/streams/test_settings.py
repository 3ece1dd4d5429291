"""The one settings object: environment variables in, security options through, secrets never shown."""

import pytest

from streams.kafka.clients import client_options
from streams.settings import Settings


def test_environment_variables_configure_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEBLOG_BROKER", "kafka://k1:9092;k2:9092")
    monkeypatch.setenv("LIVEBLOG_PARTITIONS", "6")
    monkeypatch.setenv("LIVEBLOG_TOPIC_PREFIX", "news")
    settings = Settings()
    assert settings.bootstrap_servers == "k1:9092,k2:9092"
    assert settings.partitions == 6
    assert settings.topic("totals") == "news.totals"


def test_sasl_ssl_passes_through_and_the_password_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEBLOG_BROKER", "kafka://k1:9093")
    monkeypatch.setenv("LIVEBLOG_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("LIVEBLOG_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("LIVEBLOG_SASL_USERNAME", "desk")
    monkeypatch.setenv("LIVEBLOG_SASL_PASSWORD", "hunter2-secret")
    settings = Settings()
    options = client_options(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("desk", "hunter2-secret")
    assert options["ssl_context"] is not None
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.model_dump())


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEBLOG_SECURITY_PROTOCOL", "TLS-ish")
    with pytest.raises(ValueError):
        Settings()


def test_generations_version_the_internal_topics_and_the_group() -> None:
    first, second = Settings(), Settings(generation=2)
    assert (first.topic("claims"), first.group_id) == ("liveblog.claims", "liveblog")
    assert (second.topic("claims"), second.group_id) == ("liveblog.claims.g2", "liveblog-v2")
    assert second.topic("totals") == first.topic("totals") and second.topic("updates") == first.topic("updates")
