"""The operators' view end to end: a real Prometheus scrapes a running worker while the seed blog goes through.

Also: `promtool` checks the shipped configuration and alert rules and runs their unit test. Prometheus comes
from Debian's `prometheus` package (`deploy/prometheus/install.sh`, run by `.ci/run`).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.ingest.archive import load_updates
from streams.kafka.observe import STAGES, read_topic, wait_caught_up
from streams.kafka.ports import free_port
from streams.kafka.publish import publish_updates
from streams.kafka.topics import ensure_topics
from streams.runner import WorkerProcess
from streams.settings import Settings
from tests.conftest import REPO, required_tool, shared_file

DEPLOY = REPO / "deploy" / "prometheus"
DASHBOARD = REPO / "deploy" / "grafana" / "dashboards" / "liveblog-streams.json"
SOURCE_TOPICS = STAGES  # every topic an agent consumes


def tool(name: str) -> str:
    return required_tool(name, "deploy/prometheus/install.sh")


@pytest.mark.parametrize(
    "args",
    [["check", "config", "prometheus.yml"], ["check", "rules", "alerts.yml"], ["test", "rules", "alerts.test.yml"]],
    ids=lambda args: " ".join(args[:2]),
)
def test_promtool_accepts_the_config_and_the_alert_rules_and_their_tests_pass(args: list[str]) -> None:
    done = subprocess.run([tool("promtool"), *args], cwd=DEPLOY, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_dashboard_is_grafana_json_on_the_provisioned_datasource() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    uids = {target["datasource"]["uid"] for panel in dashboard["panels"] for target in panel["targets"]}
    provisioned = (REPO / "deploy" / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text()
    assert uids == {"liveblog-prometheus"} and "uid: liveblog-prometheus" in provisioned
    titles = " ".join(panel["title"].lower() for panel in dashboard["panels"])
    for topic in ("throughput", "latency", "lag", "dead letters", "headline"):
        assert topic in titles


# -- a worker scraped by a real Prometheus ------------------------------------------------------------------


class Prometheus:
    def __init__(self, url: str) -> None:
        self.url = url

    def api(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=10) as response:
            body = json.loads(response.read())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        return list(self.api("query", query=expr)["result"])

    def scalar(self, expr: str) -> float | None:
        """The value of a query that has one series (or none)."""
        result = self.query(expr)
        assert len(result) <= 1, result
        return float(result[0]["value"][1]) if result else None


@pytest.fixture
def prometheus_for(tmp_path: Path) -> Iterator[Any]:
    """Start Debian's Prometheus with the shipped config, pointed at a worker's port and scraping every second."""
    binary = tool("prometheus")
    procs: list[subprocess.Popen[bytes]] = []

    def start(worker_port: int) -> Prometheus:
        config = (DEPLOY / "prometheus.yml").read_text()
        for old, new in (("127.0.0.1:6066", f"127.0.0.1:{worker_port}"), ("15s", "1s")):
            assert old in config
            config = config.replace(old, new)
        (tmp_path / "prometheus.yml").write_text(config)
        shutil.copy(DEPLOY / "alerts.yml", tmp_path / "alerts.yml")
        port = free_port()
        log = open(tmp_path / "prometheus.log", "wb")  # noqa: SIM115 - outlives this function
        proc = subprocess.Popen(
            [
                binary,
                f"--config.file={tmp_path / 'prometheus.yml'}",
                f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--web.enable-lifecycle",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(proc)
        server = Prometheus(f"http://127.0.0.1:{port}")
        wait_for(lambda: _ok(f"{server.url}/-/ready"), 30, lambda: (tmp_path / "prometheus.log").read_text())
        return server

    try:
        yield start
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)


def _ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def wait_for(condition: Any, timeout: float, explain: Any = lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s\n{explain()}"[-4000:])
        time.sleep(0.5)


@pytest.mark.kafka
def test_prometheus_scrapes_counters_equal_to_what_went_through(
    settings: Settings, prometheus_for: Any, tmp_path: Path
) -> None:
    updates = load_updates(shared_file("seed/liveblog-2022-03-30.txt"))
    live = settings.model_copy(update={"web_enabled": True, "web_port": free_port()})
    web = f"http://127.0.0.1:{live.web_port}"
    asyncio.run(ensure_topics(live))
    worker = WorkerProcess(live, tmp_path / "worker.log")
    worker.start()
    try:
        prom = prometheus_for(live.web_port)
        wait_for(lambda: _get(f"{web}/readyz")[0] == 200 if _ok(f"{web}/healthz") else False, 90, worker.log_tail)
        assert _get(f"{web}/healthz") == (200, {"status": "ok"})

        asyncio.run(publish_updates(live, updates))
        asyncio.run(wait_caught_up(live, timeout=180))
        worker.check()

        def events(kind: str, agent: str) -> float:
            return prom.scalar(f'sum(liveblog_events_{kind}_total{{job="liveblog", agent="{agent}"}})') or 0.0

        def sent_to(agent: str, topic: str) -> float:
            query = f'sum(liveblog_events_out_total{{job="liveblog", agent="{agent}", topic="{live.topic(topic)}"}})'
            return prom.scalar(query) or 0.0

        def settled() -> bool:  # the totals agent has taken in every batch of claims sent, and the lag is 0
            if events("in", "entries") != len(updates):
                return False
            if sent_to("entries", "claims") != events("in", "totals"):
                return False
            return prom.scalar("sum(liveblog_consumer_lag_messages)") == 0

        wait_for(settled, 60, lambda: worker.log_tail() + json.dumps(prom.query('{__name__=~"liveblog_events_.*"}')))

        assert prom.scalar('up{job="liveblog"}') == 1
        dead = {
            (r["metric"]["stage"], r["metric"]["reason"]): float(r["value"][1])
            for r in prom.query("liveblog_dead_letters_total")
        }
        dead_at = {stage: sum(n for (s, _), n in dead.items() if s == stage) for stage in ("entries", "totals")}
        # in = out + dropped as duplicates + dead-lettered; and each count equals what is on the topic it names.
        outcomes = {r["metric"]["outcome"]: float(r["value"][1]) for r in prom.query("liveblog_dedup_outcomes_total")}
        unique = sent_to("entries", "updates.unique")
        dropped = outcomes.get("redelivery", 0.0) + outcomes.get("stale", 0.0)
        assert events("in", "entries") == unique + dropped + dead_at["entries"]
        assert outcomes["new"] > 0 and dead_at["totals"] == 0
        assert unique == len(asyncio.run(read_topic(live, "updates.unique")))
        batches = asyncio.run(read_topic(live, "claims"))
        assert sent_to("entries", "claims") == len(batches) == events("in", "totals")
        on_totals = len(asyncio.run(read_topic(live, "totals")))
        assert events("out", "totals") == on_totals > 0

        figures = prom.scalar("sum(liveblog_figures_extracted_total)")
        upserts = sum(
            1 for record in batches for claim in orjson.loads(record.value)["claims"] if claim["op"] == "upsert"
        )
        assert figures is not None and figures >= upserts > 0
        latency = prom.scalar('sum(liveblog_processing_latency_seconds_count{agent="totals"})')
        assert latency == events("in", "totals")
        assert prom.scalar("liveblog_worker_ready") == 1
        assert prom.scalar("liveblog_worker_up") == 1
        assert prom.query("liveblog_build_info")[0]["metric"]["version"]
        tables = {r["metric"]["table"]: float(r["value"][1]) for r in prom.query("liveblog_table_keys")}
        assert set(tables) == {"entries", "series", "heads", "recent", "bands", "links", "activity"}
        assert all(keys > 0 for name, keys in tables.items() if name != "links")  # the seed has no near-duplicate
        headlines = prom.query("liveblog_headline_value")
        assert 0 < len(headlines) <= 50
        labels = 'story="blog/liveblog-2022-03-30", metric="killed", subject="civilians", place="Ukraine"'
        killed = f"liveblog_headline_value{{{labels}}}"
        assert prom.scalar(killed) == 1189
        lag = {r["metric"]["topic"] for r in prom.query("liveblog_consumer_lag_messages")}
        assert lag == {live.topic(name) for name in SOURCE_TOPICS}
        # Faust's own sensor, on the same registry, agrees on what came in.
        faust_in = prom.scalar(f'liveblog_faust_messages_received_per_topic_total{{topic="{live.topic("updates")}"}}')
        assert faust_in == len(updates)

        # The alert rules are loaded and evaluate; none fires on a healthy worker.
        rules = [rule for group in prom.api("rules")["groups"] for rule in group["rules"]]
        assert len(rules) == 6 and all(rule["health"] == "ok" for rule in rules), rules
        assert [a for a in prom.api("alerts")["alerts"] if a["state"] == "firing"] == []
        # Every dashboard query is valid PromQL on this server.
        dashboard = json.loads(DASHBOARD.read_text())
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                expr = target["expr"].replace("$job", "liveblog").replace("$instance", ".*")
                prom.query(expr.replace("$__rate_interval", "1m"))
    finally:
        worker.stop()
