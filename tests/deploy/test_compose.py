"""docker-compose.yml, checked without a Docker engine: its shape, images, LIVEBLOG_* names and mounted files.

`docker compose config` runs too where the compose plugin is installed (not on this project's machines).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.common import REPO, is_cli_command, settings_from_env, tool, unknown_liveblog_names

COMPOSE = REPO / "docker-compose.yml"
LIVEBLOG_SERVICES = ("topics", "worker", "replay-sample")


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def services() -> dict[str, Any]:
    result: dict[str, Any] = compose()["services"]
    return result


def env_of(service: str) -> dict[str, str]:
    return {k: str(v) for k, v in (services()[service].get("environment") or {}).items()}


def test_docker_compose_config_accepts_it() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker CLI here")
    if subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode != 0:
        pytest.skip("the docker CLI has no compose plugin here: the YAML checks below stand in for it")
    done = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "--quiet"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_services() -> None:
    assert set(services()) == {"kafka", "topics", "worker", "replay-sample", "prometheus", "grafana"}


def test_every_image_is_pinned_and_the_liveblog_ones_build_from_the_dockerfile() -> None:
    for name, service in services().items():
        image = service["image"]
        repository, _, tag = image.rpartition(":")
        assert repository and tag and tag != "latest" and any(c.isdigit() for c in tag), f"{name}: pin {image}"
    for name in LIVEBLOG_SERVICES:
        assert services()[name]["build"] == "."


def test_kafka_is_the_official_image_in_kraft_mode() -> None:
    kafka = services()["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = kafka["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "KAFKA_ZOOKEEPER_CONNECT" not in env
    assert "healthcheck" in kafka


def test_every_liveblog_variable_is_a_settings_field_and_the_values_are_valid() -> None:
    for name in LIVEBLOG_SERVICES:
        env = env_of(name)
        assert not unknown_liveblog_names(env), f"{name}: {unknown_liveblog_names(env)}"
        settings = settings_from_env(env)
        assert settings.broker == "kafka://kafka:9092" and settings.bootstrap_servers == "kafka:9092"


def test_the_containers_run_real_cli_commands() -> None:
    assert services()["topics"]["command"] == ["liveblog", "topics", "create"]
    assert services()["worker"]["command"] == ["liveblog", "worker"]
    replay = services()["replay-sample"]["command"]
    assert replay[:2] == ["sh", "-c"] and "liveblog ingest" in replay[2] and "sample_path()" in replay[2]
    for name in LIVEBLOG_SERVICES:
        command = services()[name]["command"]
        argv = command if command[0] == "liveblog" else command[2].removeprefix("exec ").split()[:2]
        assert is_cli_command(argv), f"{name}: {command}"


def test_the_one_shots_run_in_order_and_skip_the_image_healthcheck() -> None:
    s = services()
    assert s["topics"]["depends_on"] == {"kafka": {"condition": "service_healthy"}}
    for name in ("worker", "replay-sample"):
        assert s[name]["depends_on"] == {"topics": {"condition": "service_completed_successfully"}}
    for name in ("topics", "replay-sample"):
        assert s[name]["healthcheck"] == {"disable": True}


def test_workers_scale_serve_http_and_keep_rocksdb_each_on_its_own_volume() -> None:
    worker = services()["worker"]
    env = settings_from_env(env_of("worker"))
    assert env.web_enabled and env.web_host == "0.0.0.0" and env.store == "rocksdb://"
    assert "container_name" not in worker, "a fixed name prevents --scale"
    assert "ports" not in worker, "a fixed host port prevents --scale"
    assert str(env.web_port) in [str(p) for p in worker["expose"]]
    # An anonymous volume (a bare container path): one per replica, never shared by two RocksDB instances.
    assert worker["volumes"] == [env.data_dir]


def test_mounted_files_exist_and_prometheus_finds_the_workers_and_the_rules() -> None:
    for service in services().values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), source
    prometheus = services()["prometheus"]
    mounts = dict(v.split(":")[:2] for v in prometheus["volumes"] if v.startswith("./"))
    config = yaml.safe_load((REPO / "deploy/compose/prometheus.yml").read_text())
    assert mounts["./deploy/compose/prometheus.yml"] == "/etc/prometheus/prometheus.yml"
    assert mounts["./deploy/prometheus/alerts.yml"] == "/etc/prometheus/alerts.yml"
    assert config["rule_files"] == ["alerts.yml"]
    (sd,) = config["scrape_configs"][0]["dns_sd_configs"]
    assert sd["names"] == ["worker"] and sd["port"] == settings_from_env(env_of("worker")).web_port


def test_grafana_loads_the_dashboard_from_where_the_provisioning_says_with_its_data_source() -> None:
    grafana = services()["grafana"]
    mounts = dict(v.split(":")[:2] for v in grafana["volumes"])
    provider = yaml.safe_load((REPO / "deploy/grafana/provisioning/dashboards/liveblog.yml").read_text())
    assert mounts["./deploy/grafana/dashboards"] == provider["providers"][0]["options"]["path"]
    datasource = yaml.safe_load((REPO / "deploy/compose/grafana-datasources.yml").read_text())["datasources"][0]
    original = yaml.safe_load((REPO / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())
    assert datasource["uid"] == original["datasources"][0]["uid"]
    assert datasource["url"] == "http://prometheus:9090"


def test_promtool_accepts_the_compose_prometheus_config(tmp_path: Path) -> None:
    promtool = tool("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (.ci/run installs it: deploy/prometheus/install.sh)")
    shutil.copy(REPO / "deploy/compose/prometheus.yml", tmp_path / "prometheus.yml")
    shutil.copy(REPO / "deploy/prometheus/alerts.yml", tmp_path / "alerts.yml")
    done = subprocess.run(
        [promtool, "check", "config", str(tmp_path / "prometheus.yml")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
