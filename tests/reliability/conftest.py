"""The reliability suite's clean reference run, and the summary printed at the end of the session."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.reliability import harness

REPORT = pytest.StashKey[list["Row"]]()
OUTCOME = pytest.StashKey[str]()


@dataclass
class Row:
    """One reliability test's line in the summary."""

    test: str
    faults: dict[str, int] = field(default_factory=dict)
    events_in: int = 0
    events_out: int = 0
    dead_lettered: int = 0
    lost: int = 0
    double_counted: int = 0
    seconds: float = 0.0
    note: str = ""
    outcome: str = ""

    def record(self, result: harness.Audit) -> None:
        self.events_in, self.events_out, self.dead_lettered = result.events_in, result.events_out, result.dead_lettered
        self.lost, self.double_counted = result.lost, result.double_counted
        if result.problems:
            self.note = "; ".join([self.note, *result.problems]).strip("; ")


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Iterator[Row]:
    """This test's summary line; its duration is filled in when the test ends."""
    row = Row(test=request.node.name)
    started = time.monotonic()
    yield row
    row.seconds = time.monotonic() - started
    row.outcome = request.node.stash.get(OUTCOME, "error")
    request.config.stash.setdefault(REPORT, []).append(row)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Opt in with LIVEBLOG_RELIABILITY=1 (`.ci/run` does): a few minutes of Apache Kafka, kill -9 and restarts,
    too slow for a quick local `.ci/check`, and run separately with `-m reliability`."""
    if os.environ.get("LIVEBLOG_RELIABILITY") == "1":
        return
    skip = pytest.mark.skip(reason="reliability suite: set LIVEBLOG_RELIABILITY=1 to run it (see the README)")
    for item in items:
        if "reliability" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report: pytest.TestReport = yield
    if report.when == "call":
        item.stash[OUTCOME] = "xfailed" if hasattr(report, "wasxfail") else report.outcome
    return report


@dataclass(frozen=True)
class Reference:
    """A clean run of the workload: one worker, one partition, at-least-once, fresh topics."""

    observed: harness.Observed
    seconds: float


@pytest.fixture(scope="session")
def clean_run(apache_kafka: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Reference:
    updates = harness.corpus_updates()
    tmp = tmp_path_factory.mktemp("reliability-clean")
    settings = harness.fresh_settings(apache_kafka, tmp)
    asyncio.run(harness.publish(settings, updates))
    worker = harness.worker(settings, tmp)
    started = time.monotonic()
    worker.start()
    try:
        harness.wait_done(settings, [worker])
    finally:
        worker.stop()
    seconds = time.monotonic() - started
    observed = harness.observe(settings)
    result = harness.audit(observed, observed)
    assert result.problems == [], result.problems
    assert len(observed.dead) == len(harness.GARBAGE)
    row = Row("clean run (reference)", {}, result.events_in, result.events_out, result.dead_lettered, seconds=seconds)
    row.outcome = "passed"
    row.note = f"{len(updates)} updates of {harness.BLOGS} blogs, {observed.work} stage records"
    request.config.stash.setdefault(REPORT, []).append(row)
    return Reference(observed, seconds)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    rows = config.stash.get(REPORT, [])
    if not rows:
        return
    write = terminalreporter.write_line
    terminalreporter.section("reliability: faults injected and what came out")
    write(f"workload: {harness.BLOGS} corpus blogs + {len(harness.GARBAGE)} malformed events; seed {harness.SEED}")
    head = (
        f"{'test':<58} {'outcome':<8} {'faults':<30} {'in':>5} {'out':>5} {'dead':>4} {'lost':>4} {'double':>6} "
        f"{'secs':>6}"
    )
    write(head)
    write("-" * len(head))
    for row in rows:
        faults = ", ".join(f"{n} {kind}" for kind, n in row.faults.items()) or "none"
        write(
            f"{_fit(row.test, 58):<58} {row.outcome:<8} {faults[:30]:<30} {row.events_in:>5} {row.events_out:>5} "
            f"{row.dead_lettered:>4} {row.lost:>4} {row.double_counted:>6} {row.seconds:>6.1f}"
        )
        if row.note:
            write(f"    {row.note[:400]}")
    write(f"workers that stopped themselves and were restarted (streams/watchdog.py): {len(harness.RESTARTS)}")
    for app_id, why in harness.RESTARTS:
        write(f"    {app_id}: {why[:300]}")
    held = [row for row in rows if row.outcome != "xfailed"]
    injected = sum(sum(row.faults.values()) for row in rows)
    write(
        f"faults injected: {injected}; lost = {sum(r.lost for r in held)}; "
        f"double-counted = {sum(r.double_counted for r in held)} (expected failures excluded)"
    )


# ---- bad inputs and fuzz cases (tests/reliability/test_bad_input.py, test_fuzz.py) -----------------------------


class _InputsSummary:
    """Prints the bad-input classes tried and the fuzz cases run, after the faults table (or alone)."""

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
        classes, cases = harness.BAD_INPUT_CLASSES, harness.FUZZ_CASES
        if not classes and not cases:
            return
        write = terminalreporter.write_line
        if not config.stash.get(REPORT, []):  # the faults table was not printed: give these their own section
            terminalreporter.section("reliability: bad inputs and fuzz cases")
            write(f"seed {harness.SEED}")
        write(f"bad-input classes tried: {len(classes)} ({', '.join(classes) or 'none'})")
        write(f"fuzz cases run: {sum(cases.values())}")
        for target, n in sorted(cases.items()):
            write(f"    {n:>6}  {target}")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_InputsSummary(), "liveblog-reliability-inputs-summary")


def _fit(name: str, width: int) -> str:
    """A test's name cut to `width`, keeping its parameters ("...mid_replay[exactly_once]")."""
    if len(name) <= width:
        return name
    base, bracket, params = name.partition("[")
    suffix = bracket + params
    return base[: width - len(suffix) - 1] + "…" + suffix if len(suffix) < width // 2 else name[:width]
