"""The worker's operator endpoints, on Faust's own web server (`LIVEBLOG_WEB_ENABLED=true`).

- `/metrics`: the registry in Prometheus' text format: the pipeline's `Metrics`, the app's lag, table sizes
  and readiness (`Metrics.watch`), and Faust's own Prometheus sensor (`liveblog_faust_*`), installed here as
  `app.monitor` on the same registry;
- `/healthz`: 200 while the process and its event loop answer, the app has not crashed and its consumer has
  not stalled (`streams.watchdog`);
- `/readyz`: 200 once partitions are assigned and the tables recovered, 503 otherwise (body says why).
"""

from __future__ import annotations

from typing import Any

from faust import web
from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.metrics import Metrics, readiness
from streams.watchdog import Watchdog

#: Name prefix of the metrics of Faust's own sensor (its units are Faust's: latencies in milliseconds).
FAUST_PREFIX = "liveblog_faust"


def register_web(app: Any, metrics: Metrics, watchdog: Watchdog | None = None) -> None:
    """Install Faust's Prometheus sensor on `metrics.registry` and add the three views to `app`.

    Call it from the composition root before the worker starts (the monitor must be in place before Faust
    starts its sensors).
    """
    app.monitor = PrometheusMonitor(metrics=FaustMetrics.create(metrics.registry, FAUST_PREFIX))
    metrics.watch(app)
    registry = metrics.registry

    async def metrics_view(self: web.View, request: web.Request) -> web.Response:
        return self.bytes(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(self: web.View, request: web.Request) -> web.Response:
        crashed = getattr(app, "_crashed", None)
        if crashed is not None and crashed.is_set():
            return self.json({"status": "crashed", "reason": repr(getattr(app, "_crash_reason", None))}, status=503)
        if watchdog is not None and watchdog.stalled:
            return self.json({"status": "stalled", "partitions": watchdog.stalled}, status=503)
        return self.json({"status": "ok"})

    async def readyz(self: web.View, request: web.Request) -> web.Response:
        state = readiness(app)
        return self.json(state, status=200 if state["ready"] else 503)

    # Faust's `app.page` is an untyped decorator: applied as a call, the handlers keep their types.
    for path, handler in (("/metrics", metrics_view), ("/healthz", healthz), ("/readyz", readyz)):
        app.page(path, name=path.strip("/"))(handler)
