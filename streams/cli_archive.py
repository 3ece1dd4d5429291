"""`liveblog replay` and `liveblog export`: archives in and out of Kafka."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from streams.errors import LiveblogError
from streams.settings import Settings


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
@click.option("--speed", default="max", show_default=True, help="1x (real time), 10x, ... or max.")
@click.option("--since", help="Only events at or after this ISO time.")
@click.option("--until", help="Only events before this ISO time.")
def replay(path: Path, broker: str, speed: str, since: str | None, until: str | None) -> None:
    """Republish an archive with its original ids and event times, paced by those times."""
    from streams.cli import _read_encoded
    from streams.kafka.replay import print_progress, replay_events
    from streams.kafka.topics import ensure_topics
    from streams.pacing import parse_speed

    settings = Settings(broker=broker)
    try:
        factor = parse_speed(speed)
        with _read_encoded(path) as archive:
            ordered = archive.in_event_time_order(_when(since), _when(until))
            asyncio.run(ensure_topics(settings))
            took = asyncio.run(
                replay_events(
                    settings,
                    ordered.events(),
                    ordered.times(),
                    factor,
                    rejects=archive.rejects,
                    origin=str(path),
                    progress=print_progress,
                )
            )
    except (LiveblogError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    rate = len(ordered) / took if took > 0 else 0.0
    click.echo(
        f"\nreplayed {len(ordered):,} updates in {took:.1f}s ({rate:,.1f}/s); "
        f"{len(archive.rejects):,} unreadable records dead-lettered",
        err=True,
    )


@click.command()
@click.argument("topic")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
@click.option("--since", help="Only events whose ce_time is at or after this ISO time.")
@click.option("--until", help="Only events whose ce_time is before this ISO time.")
def export(topic: str, path: Path, broker: str, since: str | None, until: str | None) -> None:
    """Write a topic, such as updates or totals, to a JSON Lines archive of CloudEvents (.gz, .zst compress)."""
    from streams.kafka.replay import export_topic

    settings = Settings(broker=broker)
    name = topic.removeprefix(settings.topic_prefix + ".")
    written, skipped = asyncio.run(export_topic(settings, name, path, _when(since), _when(until)))
    click.echo(f"wrote {written:,} events to {path}" + (f" ({skipped} non-JSON values left out)" if skipped else ""))


@click.group(name="eval")
def evaluate() -> None:
    """Score the pipeline against hand-labelled gold files."""


@evaluate.command("figures")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
def eval_figures(path: Path, gold: Path) -> None:
    """Precision, recall and field accuracy per metric of the figures of PATH against GOLD (figures.json format)."""
    import orjson

    from streams.cli import _read
    from streams.enrichment import enrich_update
    from streams.extract.scoring import format_scores

    try:
        archive = _read(path)
        labels = orjson.loads(gold.read_bytes())
    except (LiveblogError, orjson.JSONDecodeError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    figures = [figure for update in archive.updates for figure in enrich_update(update).figures]
    click.echo(format_scores(figures, labels))


@click.command()
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
@click.option("--timeout", type=float, default=900.0, show_default=True, help="Seconds to wait for catch-up.")
def reprocess(broker: str, timeout: float) -> None:
    """Rebuild every table from the updates topic as the next generation (after an extractor upgrade)."""
    from streams.reprocess import reprocess as run_reprocess
    from streams.runner import print_totals

    settings = Settings(broker=broker)
    try:
        nxt, totals, retired = run_reprocess(settings, timeout=timeout)
    except (LiveblogError, TimeoutError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    print_totals(totals)
    click.echo(
        f"generation {nxt.generation} has caught up; {len(retired)} stale totals retired. "
        f"Run workers with LIVEBLOG_GENERATION={nxt.generation} from now on.",
        err=True,
    )


@click.group(name="deadletter")
def deadletter() -> None:
    """Inspect and redrive the dead-letter topic."""


@deadletter.command("list")
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
def deadletter_list(broker: str) -> None:
    """Dead letters grouped by stage and reason."""
    from streams.kafka.deadletter_ops import dead_letters, format_dead_letters

    click.echo(format_dead_letters(asyncio.run(dead_letters(Settings(broker=broker)))))


@deadletter.command("redrive")
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
@click.option("--reason", help="Only letters of this reason (e.g. oversized).")
def deadletter_redrive(broker: str, reason: str | None) -> None:
    """Send dead letters not redriven before back to their source topic (after a fix)."""
    from streams.kafka.deadletter_ops import redrive

    sent, skipped = asyncio.run(redrive(Settings(broker=broker), reason))
    click.echo(f"redrove {sent} dead letters; {skipped} skipped (other reason, or from an archive's edge)")
