"""Shared fixtures: real brokers started by the test session itself, and paths to ../shared."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.kafka.embedded import EmbeddedBroker
from streams.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
KAFKA_SH = REPO / "deploy" / "kafka" / "kafka.sh"


def shared_file(relative: str) -> Path:
    """A file from ../shared, or a skip saying why the test cannot run without it."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads the shared data set beside the repository")
    return path


def required_tool(name: str, installer: str) -> str:
    """The path of a program a test runs; skipped without it, but a failure in CI (LIVEBLOG_REQUIRE_KAFKA=1),
    where nothing may skip. `installer` is the project's script that installs it."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("LIVEBLOG_REQUIRE_KAFKA") == "1":
            pytest.fail(f"{name} is required here: bash {installer}")
        pytest.skip(f"{name} not found: bash {installer} installs it")
    return path


@pytest.fixture(scope="session")
def tansu() -> Iterator[str]:
    with EmbeddedBroker() as broker:
        yield broker.url


@pytest.fixture(scope="session")
def apache_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A single-node Apache Kafka 4.x (KRaft) from Maven Central jars, via deploy/kafka/kafka.sh."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("LIVEBLOG_REQUIRE_KAFKA") == "1":
            pytest.fail(f"Apache Kafka is required here but {missing} not found")
        pytest.skip(f"Apache Kafka tests need {missing}")
    data = tmp_path_factory.mktemp("kafka")
    env = {**os.environ, "LIVEBLOG_PYTHON": sys.executable}
    started = subprocess.run(
        ["bash", str(KAFKA_SH), "start", "--data", str(data)], capture_output=True, text=True, env=env, check=False
    )
    if started.returncode != 0:
        pytest.fail(f"could not start Apache Kafka:\n{started.stderr[-3000:]}")
    bootstrap = started.stdout.strip().splitlines()[-1]
    try:
        yield f"kafka://{bootstrap}"
    finally:
        subprocess.run(["bash", str(KAFKA_SH), "stop", "--data", str(data)], capture_output=True, check=False)


@pytest.fixture(params=["tansu", "apache_kafka"])
def broker(request: pytest.FixtureRequest) -> str:
    """Each integration test runs on both real brokers."""
    return str(request.getfixturevalue(request.param))


@pytest.fixture
def settings(broker: str, tmp_path: Path) -> Settings:
    """Settings for one test: its own topics and consumer group on the shared broker."""
    unique = uuid.uuid4().hex[:8]
    return Settings(
        broker=broker,
        app_id=f"liveblog-test-{unique}",
        topic_prefix=f"t{unique}.liveblog",
        data_dir=str(tmp_path / "data"),
    )
