"""Entry point of a Faust worker process (`liveblog worker`, or `python -m streams.worker`)."""

from __future__ import annotations

import faust

from streams.app import build_app
from streams.settings import Settings


def run_worker(settings: Settings) -> None:
    """Run the pipeline's agents until the process is told to stop (SIGTERM/SIGINT)."""
    pipeline = build_app(settings)
    worker = faust.Worker(
        pipeline.app,
        loglevel=settings.log_level,
        quiet=True,
        redirect_stdouts=False,
    )
    # Faust's progress spinner sets the root logger to DEBUG so that it can spin on every record: every
    # debug call then builds a record (about a tenth of the worker's CPU). Without it, the level holds.
    worker.spinner = None
    worker.execute_from_commandline()


if __name__ == "__main__":
    run_worker(Settings())
