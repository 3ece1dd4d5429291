"""Readiness of a broker: it answers metadata requests and lists a broker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from aiokafka.admin import AIOKafkaAdminClient

from streams.errors import BrokerError


async def wait_until_ready(bootstrap: str, deadline: float, alive: Callable[[], bool] = lambda: True) -> None:
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not alive():
            raise BrokerError(f"the broker process for {bootstrap} exited")
        if not await _port_open(bootstrap):
            await asyncio.sleep(0.1)
            continue
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await admin.start()
            cluster = await admin.describe_cluster()
            if cluster.get("brokers"):
                return
        except Exception as exc:
            last = exc
        finally:
            await admin.close()
        await asyncio.sleep(0.2)
    raise BrokerError(f"broker at {bootstrap} not ready: {last!r}")


async def _port_open(bootstrap: str) -> bool:
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    try:
        _, writer = await asyncio.open_connection(host, int(port))
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True
