"""The `liveblog` command line. Each option also reads its `LIVEBLOG_*` environment variable."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from importlib import resources
from itertools import chain
from pathlib import Path

import click

from schemas import RawUpdate
from streams.errors import LiveblogError
from streams.ingest.encoded import EncodedArchive
from streams.ingest.records import Archive, Reject, updates_keeping_rejects
from streams.settings import Settings


def sample_path() -> Path:
    """The bundled sample live blog (an invented crisis, written by the project)."""
    return Path(str(resources.files("streams") / "data" / "sample-liveblog-2027-08-25.txt"))


def _settings(broker: str | None, **overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if broker:
        values["broker"] = broker
    return Settings(**values)  # type: ignore[arg-type]


def _read(path: Path) -> Archive:
    """Read an archive; each bad record is reported with its position and reading goes on."""
    from streams.ingest.archive import read_archive

    archive = read_archive(path)
    _report(path, archive.rejects)
    return archive


def _read_encoded(path: Path) -> EncodedArchive:
    """Read an archive into its encoded events (what `run` and `replay` publish, in event-time order, without
    holding every update as a model); each bad record is reported as `_read` reports it."""
    from streams.ingest.archive import iter_archive

    archive = EncodedArchive.read(iter_archive(path))
    try:
        _report(path, archive.rejects)
    except BaseException:  # a closed pipe or Ctrl-C while reporting: the caller's `with` is not entered yet
        archive.close()
        raise
    return archive


def _report(path: Path, rejects: list[Reject]) -> None:
    for reject in rejects:
        click.echo(f"{path}:{reject.position}: {reject.reason}: {reject.error}", err=True)


@click.group()
@click.version_option(package_name="liveblog-streams")
def main() -> None:
    """liveblog-streams: live blogs in, trustworthy running totals out, on Kafka."""


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--broker", envvar="LIVEBLOG_BROKER", help="kafka://HOST:PORT, or 'embedded' (default).")
@click.option(
    "--serve", is_flag=True, help="Keep the worker running after the totals are printed, with its live page and API."
)
@click.option("--partitions", type=int, envvar="LIVEBLOG_PARTITIONS", help="Partitions per topic.")
@click.option(
    "--timeout", type=float, default=300.0, show_default=True, help="Seconds without progress before giving up."
)
def run(path: Path | None, broker: str | None, serve: bool, partitions: int | None, timeout: float) -> None:
    """Publish a live blog or an archive (default: the bundled sample), run the pipeline with a progress line,
    print the running totals (or, for an archive of many stories, each story's headlines) and the accounting
    in = out + duplicates + dead-lettered."""
    import logging
    import signal

    from streams.report import format_stories
    from streams.runner import Feed, print_totals, run_feed

    # SIGTERM (e.g. from `timeout` or an orchestrator) unwinds like Ctrl-C, so the worker and the embedded
    # broker this command started are stopped too, never left behind.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    settings = _settings(broker, partitions=partitions, web_enabled=True if serve else None)
    source = path or sample_path()
    # The progress poller's consumer logs the broker's transient "coordinator not available" while the worker's
    # group forms; the run has its own stall check, so only aiokafka's critical errors are worth showing.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        with _read_encoded(source) as archive:
            ordered = archive.in_event_time_order()
            click.echo(f"publishing {len(ordered)} updates from {path or 'the bundled sample'}", err=True)
            result = run_feed(
                settings,
                Feed.of_archive(ordered),
                archive.rejects,
                origin=str(source),
                serve=serve,
                timeout=timeout,
                progress=_progress_printer(),
            )
    except LiveblogError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if sys.stderr.isatty():
        click.echo("", err=True)  # end the progress line
    accounting = result.accounting
    rate = accounting.updates_in / result.seconds if result.seconds > 0 else 0.0
    peak = f", worker peak RSS {result.worker_peak_rss_mb:,.0f} MB" if result.worker_peak_rss_mb else ""
    click.echo(f"{accounting.line()}; {result.seconds:,.1f}s, {rate:,.0f} updates/s{peak}", err=True)
    if not serve:
        stories = {row.story for row in result.totals.values()}
        if len(stories) > MAX_STORIES_AS_TABLE:
            click.echo(f"{len(stories):,} stories (`liveblog stories` lists them later):")
            click.echo(format_stories(result.totals.values()))
        else:
            print_totals(result.totals)
    if not accounting.balanced:
        sys.exit(1)


#: Above this many stories `liveblog run` prints each story's headlines rather than every series.
MAX_STORIES_AS_TABLE = 3


def _progress_printer() -> Callable[[str], None]:
    """Progress on stderr: rewritten in place on a terminal, a line every 10 seconds otherwise (logs, CI)."""
    import time

    tty = sys.stderr.isatty()
    last = 0.0

    def show(line: str) -> None:
        nonlocal last
        if tty:
            click.echo(f"\r{line}\033[K", err=True, nl=False)
        elif time.monotonic() - last >= 10.0:
            last = time.monotonic()
            click.echo(line, err=True)

    return show


@main.command()
def worker() -> None:
    """Run a pipeline worker (configured by LIVEBLOG_* variables) until stopped."""
    from streams.worker import run_worker

    run_worker(Settings())


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
def ingest(path: Path, broker: str) -> None:
    """Publish an archive's updates to the updates topic."""
    import asyncio

    from streams.ingest.archive import iter_archive
    from streams.kafka.publish import publish_updates
    from streams.kafka.topics import ensure_topics

    settings = _settings(broker)
    reading = _StreamedArchive(iter_archive(path))
    try:
        # Streamed in archive order: an archive of any size needs the memory of one update, not of all of them.
        # Its first record is read before the broker is asked for anything: a missing or unreadable file fails fast.
        reading.peek()
        asyncio.run(ensure_topics(settings))
        sent = asyncio.run(publish_updates(settings, reading.updates(), reading.rejects, origin=str(path)))
    except LiveblogError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    _report(path, reading.rejects)
    rejected = len(reading.rejects)
    summary = f"{sent} updates to {settings.topic('updates')}, {rejected} rejects to {settings.topic('deadletter')}"
    if reading.error is not None:
        # What was read before the error is on the broker, acknowledged, its rejects dead-lettered: in = out +
        # dead-lettered holds for it, and ingesting the mended file again is safe (the pipeline dedups by entry).
        click.echo(f"error: {reading.error} (published {summary} before it)", err=True)
        sys.exit(1)
    click.echo(f"published {summary}")


class _StreamedArchive:
    """An archive read one record at a time for `ingest`: its updates, its rejects as they are read (dead-lettered
    after the updates), and the error that stopped the reading, if one did (the records before it still go out)."""

    def __init__(self, items: Iterator[RawUpdate | Reject]) -> None:
        self._items = items
        self._first: list[RawUpdate | Reject] = []
        self.rejects: list[Reject] = []
        self.error: LiveblogError | None = None

    def peek(self) -> None:
        """Read the first record now: a file that cannot be opened raises here, before anything is published."""
        self._first = [item for item in [next(self._items, None)] if item is not None]

    def updates(self) -> Iterator[RawUpdate]:
        try:
            yield from updates_keeping_rejects(chain(self._first, self._items), self.rejects)
        except LiveblogError as exc:
            self.error = exc


@main.command()
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
def totals(broker: str) -> None:
    """Print the current totals, read from the compacted totals topic."""
    import asyncio

    from streams.kafka.observe import read_totals
    from streams.runner import print_totals

    print_totals(asyncio.run(read_totals(_settings(broker))))


@main.command()
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story (JSON Lines).")
@click.option("--kind", help="Only stories of one kind: attack, earthquake, storm, flood, fire, …, blog.")
def stories(broker: str, as_json: bool, kind: str | None) -> None:
    """List the stories (one event each) with their headline totals, read from the compacted totals topic."""
    import asyncio

    from streams import codec
    from streams.kafka.observe import read_totals
    from streams.report import format_stories

    rows = [
        r
        for r in asyncio.run(read_totals(_settings(broker))).values()
        if r.row == "headline" and (kind is None or r.story.startswith(f"{kind}/"))
    ]
    if not as_json:
        click.echo(format_stories(rows))
        return
    by_story: dict[str, list[object]] = {}
    for row in sorted(rows, key=lambda r: r.key):
        by_story.setdefault(row.story, []).append(row.model_dump(mode="json"))
    for story, headlines in sorted(by_story.items()):
        click.echo(codec.dumps({"story": story, "headlines": headlines}).decode())


def _register_archive_commands() -> None:
    from streams.cli_archive import deadletter, evaluate, export, replay, reprocess

    main.add_command(replay)
    main.add_command(export)
    main.add_command(evaluate)
    main.add_command(reprocess)
    main.add_command(deadletter)


_register_archive_commands()


@main.group()
def topics() -> None:
    """Manage the pipeline's topics."""


@topics.command("create")
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
def topics_create(broker: str) -> None:
    """Create missing topics (idempotent): partitions, replication and configs from the LIVEBLOG_* settings.

    Existing topics are never altered; any drift from the settings is reported on stderr.
    """
    import asyncio

    from aiokafka.errors import KafkaError

    from streams.kafka.topic_specs import diff, wanted_topics
    from streams.kafka.topics import describe_topics, ensure_topics

    settings = _settings(broker)
    try:
        created = asyncio.run(ensure_topics(settings))
        actual = asyncio.run(describe_topics(settings))
    except (KafkaError, LiveblogError) as exc:
        click.echo(f"error: {settings.broker}: {exc!r}", err=True)
        sys.exit(1)
    click.echo("created: " + (", ".join(created) if created else "nothing (all exist)"))
    for drift in diff(wanted_topics(settings), actual):
        click.echo(f"warning: {drift} (see: liveblog topics describe)", err=True)


@topics.command("describe")
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
@click.option("--check", is_flag=True, help="Exit 1 when a topic is missing or drifts from the settings.")
def topics_describe(broker: str, check: bool) -> None:
    """Print each topic's partitions, replication and configs; flag drift from what the settings want."""
    import asyncio

    from aiokafka.errors import KafkaError

    from streams.kafka.topic_specs import format_topic, topic_drift, wanted_topics
    from streams.kafka.topics import describe_topics

    settings = _settings(broker)
    wanted = wanted_topics(settings)
    try:
        actual = asyncio.run(describe_topics(settings))
    except (KafkaError, LiveblogError) as exc:
        click.echo(f"error: {settings.broker}: {exc!r}", err=True)
        sys.exit(1)
    drifted = 0
    for spec in wanted:
        found = actual.get(spec.name)
        drift = topic_drift(spec, found)
        drifted += bool(drift)
        click.echo(format_topic(found, drift) if found else f"{spec.name}  MISSING (liveblog topics create)")
    click.echo(f"{drifted} of {len(wanted)} topics missing or drifting" if drifted else "all topics match")
    if check and drifted:
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
def extract(path: Path) -> None:
    """Print every figure of an archive as JSON Lines (the same Figure model the enrich agent emits)."""
    from streams import codec
    from streams.enrichment import enrich_update

    try:
        archive = _read(path)
    except LiveblogError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    out = sys.stdout.buffer
    for update in archive.updates:
        for figure in enrich_update(update).figures:
            out.write(codec.dumps(figure) + b"\n")
    out.flush()


@main.command()
@click.argument("url")
@click.option("--broker", envvar="LIVEBLOG_BROKER", required=True, help="kafka://HOST:PORT")
@click.option("--interval", default="30s", show_default=True, help="Between polls: 30s, 2m, 1h, 500ms.")
@click.option("--max-polls", type=click.IntRange(min=1), help="Stop after N polls (default: follow until stopped).")
@click.option("--blog-id", help="The blog id of the updates (default: the page's own, else derived from the URL).")
def follow(url: str, broker: str, interval: str, max_polls: int | None, blog_id: str | None) -> None:
    """Poll a live page or feed (JSON-LD, HTML, plain text); publish new entries and revisions.

    Conditional requests (ETag, Last-Modified), backoff with jitter on errors, Retry-After respected;
    the cursor is kept on the compacted topic <prefix>.follow.cursors, so a restart republishes nothing.
    """
    import asyncio

    from aiokafka.errors import KafkaError

    from streams.follow.backoff import parse_duration
    from streams.follow.follower import Poll, format_poll, format_summary
    from streams.follow.follower import follow as follow_url
    from streams.kafka.topics import ensure_topics

    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("must be an http:// or https:// URL", param_hint="URL")
    try:
        seconds = parse_duration(interval)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--interval") from exc
    settings = _settings(broker)

    async def go() -> list[Poll]:
        await ensure_topics(settings)
        return await follow_url(
            settings,
            url,
            interval=seconds,
            max_polls=max_polls,
            blog_id=blog_id,
            on_poll=lambda poll: click.echo(format_poll(poll), err=True),
        )

    try:
        polls = asyncio.run(go())
    except LiveblogError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KafkaError as exc:
        click.echo(f"error: broker: {exc!r} (rerun to resume from the cursor)", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    click.echo(format_summary(url, polls))


if __name__ == "__main__":
    main()
