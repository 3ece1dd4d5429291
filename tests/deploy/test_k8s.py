"""deploy/k8s, checked without a cluster: every manifest parses, names settings fields, probes served paths.

`kubectl kustomize` renders the base where kubectl is installed (it needs no cluster).
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
import yaml

from tests.deploy.common import (
    REPO,
    is_cli_command,
    served_paths,
    settings_from_env,
    tool,
    unknown_liveblog_names,
)

K8S = REPO / "deploy" / "k8s"


def documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            docs.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None)
    return docs


def one(kind: str, name: str | None = None) -> dict[str, Any]:
    (doc,) = [d for d in documents() if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    return doc


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc["spec"]["template"]["spec"]
    result: list[dict[str, Any]] = spec.get("initContainers", []) + spec["containers"]
    return result


def settings_env() -> dict[str, str]:
    return {**one("ConfigMap")["data"], **one("Secret")["stringData"]}


def test_every_manifest_parses_and_the_kustomization_lists_them_all() -> None:
    docs = documents()
    assert all({"apiVersion", "kind", "metadata"} <= set(doc) and doc["metadata"]["name"] for doc in docs)
    assert {doc["kind"] for doc in docs} == {"ConfigMap", "Secret", "Service", "StatefulSet", "PodMonitor", "Job"}
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}


def test_kubectl_kustomize_renders_the_base() -> None:
    kubectl = tool("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed here: the base is checked by parsing each manifest instead")
    done = subprocess.run([kubectl, "kustomize", str(K8S)], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    rendered = [d for d in yaml.safe_load_all(done.stdout) if d]
    assert len(rendered) == len(documents())
    images = {c["image"] for d in rendered if d["kind"] in ("StatefulSet", "Job") for c in containers(d)}
    assert images == {"liveblog-streams:0.1.0"}


def test_every_liveblog_variable_is_a_settings_field_and_the_values_are_valid() -> None:
    names = set(settings_env())
    for doc in documents():
        if doc["kind"] in ("StatefulSet", "Job"):
            for container in containers(doc):
                names |= {env["name"] for env in container.get("env", [])}
                refs = {ref.get("configMapRef", ref.get("secretRef", {}))["name"] for ref in container["envFrom"]}
                assert refs == {one("ConfigMap")["metadata"]["name"], one("Secret")["metadata"]["name"]}
    assert not unknown_liveblog_names(names), unknown_liveblog_names(names)
    assert all(name.startswith("LIVEBLOG_") for name in names)
    settings = settings_from_env(settings_env())
    assert settings.web_enabled and settings.web_host == "0.0.0.0" and settings.store == "rocksdb://"
    assert settings.processing_guarantee == "exactly_once"
    assert settings.bootstrap_servers.count(",") == 2


def test_probes_ask_the_paths_the_worker_serves_on_its_web_port() -> None:
    worker = one("StatefulSet")
    (container,) = containers(worker)
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports == {"http": settings_from_env(settings_env()).web_port}
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] in served_paths() and get["port"] in ports
    endpoint = one("PodMonitor")["spec"]["podMetricsEndpoints"][0]
    assert endpoint["port"] in ports and endpoint["path"] == "/metrics" in served_paths()


def test_the_workers_are_a_statefulset_with_a_volume_per_worker_for_rocksdb() -> None:
    worker = one("StatefulSet")
    spec = worker["spec"]
    (container,) = containers(worker)
    assert container["command"] == ["liveblog", "worker"] and is_cli_command(container["command"])
    (claim,) = spec["volumeClaimTemplates"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts[claim["metadata"]["name"]] == settings_from_env(settings_env()).data_dir
    headless = one("Service", spec["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()
    for doc in (headless, one("Service", "liveblog-worker")):
        assert doc["spec"]["selector"].items() <= labels.items()
        assert doc["spec"]["ports"][0]["targetPort"] == "http"
    assert one("PodMonitor")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert spec["replicas"] <= settings_from_env(settings_env()).partitions


def test_resources_are_the_placeholder_sizing_and_say_where_it_comes_from() -> None:
    (container,) = containers(one("StatefulSet"))
    assert container["resources"]["requests"] == {"cpu": "1", "memory": "512Mi"}
    text = (K8S / "statefulset.yaml").read_text()
    assert "issue 6" in text and re.search(r"240 MB RSS", text)


def test_pods_run_as_the_images_non_root_user() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    uid = int(re.findall(r"^USER (\d+)", dockerfile, re.MULTILINE)[-1])
    for doc in (one("StatefulSet"), one("Job")):
        pod = doc["spec"]["template"]["spec"]["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] == uid
        for container in containers(doc):
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_the_job_creates_the_topics() -> None:
    job = one("Job")
    (container,) = containers(job)
    assert container["command"] == ["liveblog", "topics", "create"] and is_cli_command(container["command"])
    assert job["spec"]["template"]["spec"]["restartPolicy"] in ("OnFailure", "Never")
