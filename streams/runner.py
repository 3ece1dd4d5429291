"""`liveblog run`: broker (embedded or given), worker process, publish an archive, wait, report totals."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from schemas import RawUpdate, TotalsRow
from streams.errors import BrokerError
from streams.ingest.records import Reject
from streams.kafka.embedded import EmbeddedBroker
from streams.kafka.observe import read_totals, wait_caught_up
from streams.kafka.publish import publish_updates
from streams.kafka.topics import ensure_topics
from streams.settings import Settings
from streams.watchdog import RESTART_EXIT_CODES


@contextlib.contextmanager
def broker_for(settings: Settings) -> Iterator[Settings]:
    """Settings pointing at a running broker: the given one, or an embedded one for the duration."""
    if settings.broker != "embedded":
        yield settings
        return
    with EmbeddedBroker() as broker:
        yield settings.model_copy(update={"broker": broker.url})


def with_private_data_dir(settings: Settings, tmp: Path) -> Settings:
    """A one-off worker keeps its local state in `tmp` unless a data directory was configured."""
    if settings.data_dir == Settings.model_fields["data_dir"].default:
        return settings.model_copy(update={"data_dir": str(tmp / "data")})
    return settings


class WorkerProcess:
    """A `liveblog worker` subprocess configured through the environment, like in production."""

    def __init__(self, settings: Settings, log_path: Path) -> None:
        self.settings = settings
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name, value in self.settings.model_dump().items():
            if value is None:
                continue
            if hasattr(value, "get_secret_value"):
                value = value.get_secret_value()
            env[f"LIVEBLOG_{name.upper()}"] = str(value)
        return env

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streams.worker"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env(),
                start_new_session=True,
            )

    def check(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            kept = Path(tempfile.mkstemp(prefix="liveblog-worker-", suffix=".log")[1])
            if self.log_path.exists():
                kept.write_bytes(self.log_path.read_bytes())
            raise BrokerError(f"the worker exited (whole log: {kept}); its first error:\n{self.first_error()}")

    def first_error(self, size: int = 4000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        starts = [i for i in (text.find("Traceback"), text.find("[ERROR]")) if i >= 0]
        return text[min(starts) : min(starts) + size] if starts else text[-size:]

    def log_tail(self, size: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-size:] if self.log_path.exists() else ""

    def wait(self) -> int:
        assert self.proc is not None
        return self.proc.wait()

    def stop(self, timeout: float = 20.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)


#: Restarts of a worker that stopped itself to be restarted (a stalled consumer, a batch that could not complete:
#: `streams.watchdog`) before giving up.
STALL_RESTARTS = 3


async def _catch_up(settings: Settings, worker: WorkerProcess, timeout: float) -> None:
    waiting = asyncio.ensure_future(wait_caught_up(settings, timeout=timeout))
    restarts = 0
    while not waiting.done():
        if worker.proc is not None and worker.proc.poll() in RESTART_EXIT_CODES and restarts < STALL_RESTARTS:
            restarts += 1
            print(
                f"the worker stopped itself to be restarted; restarting it ({restarts}/{STALL_RESTARTS})\n"
                f"{worker.first_error(800)}",
                file=sys.stderr,
            )
            worker.start()
        try:
            worker.check()
        except BrokerError:
            waiting.cancel()
            raise
        await asyncio.sleep(0.25)
    try:
        waiting.result()
    except TimeoutError as exc:
        raise TimeoutError(f"{exc}\nthe worker's log ends:\n{worker.log_tail(3000)}") from exc


def run_pipeline(
    settings: Settings,
    updates: list[RawUpdate],
    rejects: Sequence[Reject] = (),
    *,
    origin: str = "archive",
    serve: bool = False,
    timeout: float = 300.0,
) -> dict[str, TotalsRow]:
    """Publish `updates` (and `rejects` as dead letters) through a fresh worker; the totals once caught up."""
    with broker_for(settings) as live, tempfile.TemporaryDirectory(prefix="liveblog-") as tmp:
        live = with_private_data_dir(live, Path(tmp))
        asyncio.run(ensure_topics(live))
        worker = WorkerProcess(live, Path(tmp) / "worker.log")
        worker.start()
        try:
            asyncio.run(publish_updates(live, updates, rejects, origin=origin))
            asyncio.run(_catch_up(live, worker, timeout))
            totals = asyncio.run(read_totals(live))
            if serve:
                print_totals(totals)
                page = f"http://{live.web_host}:{live.web_port}/" if live.web_enabled else "(web server off)"
                print(f"worker running on {live.broker}; live page {page}; Ctrl-C to stop", file=sys.stderr)
                with contextlib.suppress(KeyboardInterrupt):
                    worker.wait()
            return totals
        finally:
            worker.stop()


def print_totals(totals: dict[str, TotalsRow]) -> None:
    from streams.report import format_totals

    print(format_totals(totals.values()))
