"""The README's main command, run as a user runs it: `liveblog run` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_file

pytestmark = pytest.mark.kafka
LIVEBLOG = [sys.executable, "-m", "streams.cli"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}
    return subprocess.run(
        [*LIVEBLOG, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False
    )


def rows(stdout: str) -> list[list[str]]:
    """The totals table's rows, split on runs of two or more spaces."""
    import re

    lines = stdout.strip().splitlines()
    assert lines[0].split() == ["metric", "subject", "place", "value", "source", "claims", "note"]
    return [re.split(r"\s{2,}", line.strip()) for line in lines[2:]]


def test_run_with_no_arguments_prints_the_sample_totals(tmp_path: Path) -> None:
    done = run_cli("run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    table = rows(done.stdout)
    assert ["killed", "people", "Pakistan"] in [row[:3] for row in table]
    assert any(row[0] == "aid" and row[3].endswith("USD") for row in table)
    assert list(tmp_path.iterdir()) == [], "the run leaves nothing behind in the working directory"


def test_run_an_archive_on_an_existing_apache_kafka(apache_kafka: str, tmp_path: Path) -> None:
    seed = shared_file("seed/liveblog-2022-03-30.txt")
    done = run_cli("run", str(seed), "--broker", apache_kafka, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    table = {(r[0], r[1], r[2], r[4]): r[3] for r in rows(done.stdout)}
    assert table[("killed", "civilians", "Ukraine", "OHCHR")] == "1,189"
    assert table[("refugees", "people", "Ukraine", "UN")] == "≥ 4,000,000"


def test_a_missing_archive_is_a_clear_error(tmp_path: Path) -> None:
    done = run_cli("run", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert done.returncode == 1
    assert "nope.txt" in done.stderr and "no such file" in done.stderr


def test_eval_figures_scores_the_sample_against_its_gold_file(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[2] / "streams" / "data"
    done = run_cli(
        "eval",
        "figures",
        str(data / "sample-liveblog-2027-08-25.txt"),
        str(data / "sample-liveblog-2027-08-25.figures.json"),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert "distractors hit 0" in summary
    found, total = (int(x) for x in summary.split("claims found ")[1].split(",")[0].split("/"))
    assert total == 31 and found >= 28  # the demo blog: at least 90% of its claims
