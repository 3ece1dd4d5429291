"""The containers' commands, run outside containers on Apache Kafka with docker-compose.yml's environment.

`liveblog topics create`, `liveblog worker` and `liveblog ingest <the bundled sample>` run as subprocesses
with the LIVEBLOG_* variables compose gives each service; only what names a place differs (the broker's
address, the data directory, the web host and port) and, to share the session's broker with other tests, the
topic prefix and app id. The worker must become ready on /readyz and the totals must appear (`liveblog totals`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from streams.cli import sample_path
from streams.kafka.ports import free_port
from tests.conftest import REPO

pytestmark = pytest.mark.kafka


def liveblog() -> list[str]:
    """The `liveblog` console script of this environment (what the image puts on PATH)."""
    script = Path(sys.executable).parent / "liveblog"
    return [str(script)] if script.exists() else [sys.executable, "-m", "streams.cli"]


def compose_env(service: str) -> dict[str, str]:
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    return {k: str(v) for k, v in services[service]["environment"].items()}


def environment(service: str, broker: str, overrides: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}
    wanted = compose_env(service) | overrides
    assert compose_env(service)["LIVEBLOG_BROKER"] == "kafka://kafka:9092"  # the one hostname replaced
    return env | wanted | {"LIVEBLOG_BROKER": broker}


def run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*liveblog(), *argv], env=env, cwd=cwd, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"liveblog {' '.join(argv)}:\n{done.stdout}\n{done.stderr[-3000:]}"
    return done


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@pytest.fixture
def place(tmp_path: Path) -> Iterator[dict[str, str]]:
    unique = uuid.uuid4().hex[:8]
    yield {
        "LIVEBLOG_TOPIC_PREFIX": f"d{unique}.liveblog",
        "LIVEBLOG_APP_ID": f"liveblog-deploy-{unique}",
        "LIVEBLOG_DATA_DIR": str(tmp_path / "var-lib-liveblog"),
        "LIVEBLOG_WEB_HOST": "127.0.0.1",
        "LIVEBLOG_WEB_PORT": str(free_port()),
    }


def test_the_compose_commands_run_the_sample_to_totals_on_apache_kafka(
    apache_kafka: str, place: dict[str, str], tmp_path: Path
) -> None:
    topics_env = environment("topics", apache_kafka, place)
    created = run(["topics", "create"], topics_env, tmp_path)
    assert f"{place['LIVEBLOG_TOPIC_PREFIX']}.totals" in created.stdout

    worker_env = environment("worker", apache_kafka, place)
    assert worker_env["LIVEBLOG_STORE"] == "rocksdb://" and worker_env["LIVEBLOG_WEB_ENABLED"] == "true"
    assert worker_env["LIVEBLOG_PROCESSING_GUARANTEE"] == "exactly_once"  # the production setting, RocksDB beside it
    base = f"http://127.0.0.1:{place['LIVEBLOG_WEB_PORT']}"
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [*liveblog(), "worker"], env=worker_env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        while http_status(f"{base}/readyz") != 200:
            assert worker.poll() is None, f"the worker exited:\n{(tmp_path / 'worker.log').read_text()[-3000:]}"
            assert time.monotonic() < deadline, "the worker never became ready on /readyz"
            time.sleep(0.5)
        assert http_status(f"{base}/healthz") == 200

        replay = compose_env("replay-sample")
        assert replay == compose_env("topics")
        ingested = run(["ingest", str(sample_path())], environment("replay-sample", apache_kafka, place), tmp_path)
        assert "published" in ingested.stdout

        deadline = time.monotonic() + 120
        while True:
            totals = run(["totals"], topics_env, tmp_path).stdout
            if "Pakistan" in totals and "killed" in totals:
                break
            assert worker.poll() is None, f"the worker exited:\n{(tmp_path / 'worker.log').read_text()[-3000:]}"
            assert time.monotonic() < deadline, (
                f"no totals after 120 s:\n{totals}\nworker log:\n{(tmp_path / 'worker.log').read_text()[-4000:]}"
            )
            time.sleep(1)
        rows = [line.split() for line in totals.splitlines()]
        assert any(row[:3] == ["killed", "people", "Pakistan"] for row in rows)
        # The tables really are RocksDB databases in the data directory (the compose volume).
        assert list(Path(place["LIVEBLOG_DATA_DIR"]).rglob("CURRENT")), "no RocksDB database under the data dir"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
