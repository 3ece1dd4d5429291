"""The real archive end to end on Apache Kafka, as a user runs it: `liveblog run <corpus>`, then `liveblog stories`.

The quick suite runs the labelled blogs and every blog linked into their stories; with LIVEBLOG_FULL_CORPUS=1
(set by `.ci/run`) it runs all 4,659 blogs. Either way: the run finishes with in = out + duplicates +
dead-lettered balanced, and each labelled story's headlines on the totals topic equal what the pipeline's pure
stages give in memory (`streams.offline`): distributing the work over topics, partitions and tables changes
no total.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest

from schemas import RawUpdate
from streams.ingest.corpus import iter_corpus
from streams.offline import fold_totals
from streams.stories import story_of
from tests.corpus.labels import corpus_path, figure_labels

pytestmark = [pytest.mark.corpus, pytest.mark.kafka]
LIVEBLOG = [sys.executable, "-m", "streams.cli"]
FULL = os.environ.get("LIVEBLOG_FULL_CORPUS") == "1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def labelled_stories() -> tuple[set[str], dict[str, list[RawUpdate]]]:
    """The stories of the labelled blogs, and every update of every blog in them (any blog may be linked in)."""
    labelled = set(figure_labels())
    stories = {story_of(u) for u in iter_corpus(corpus_path()) if u.blog_id in labelled}
    members: dict[str, list[RawUpdate]] = {}
    for update in iter_corpus(corpus_path()):
        story = story_of(update)
        if story in stories:
            members.setdefault(story, []).append(update)
    return stories, members


def write_subset(path: Path, blogs: set[str]) -> None:
    """The corpus lines of these blogs, as a smaller archive of the same format (a temporary file)."""
    with gzip.open(corpus_path()) as source, gzip.open(path, "wb") as out:
        for line in source:
            if orjson.loads(line)["blog_id"] in blogs:
                out.write(line)


def cli(*args: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LIVEBLOG, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False)


def headlines(rows: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {r["key"]: (r["value"], r["value_low"], r["value_high"], r["qualifier"], r["source"]) for r in rows}


@pytest.mark.timeout(5400)
def test_the_corpus_runs_end_to_end_on_apache_kafka(apache_kafka: str, tmp_path: Path) -> None:
    stories, members = labelled_stories()
    if FULL:
        archive = corpus_path()
    else:
        archive = tmp_path / "labelled-stories.jsonl.gz"
        write_subset(archive, {u.blog_id for updates in members.values() for u in updates})
    unique = uuid.uuid4().hex[:8]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVEBLOG_")}
    env |= {"LIVEBLOG_TOPIC_PREFIX": f"c{unique}.liveblog", "LIVEBLOG_APP_ID": f"liveblog-corpus-{unique}"}

    done = cli("run", str(archive), "--broker", apache_kafka, "--timeout", "600", env=env, timeout=5000)
    assert done.returncode == 0, done.stderr[-5000:]
    summary = next(line for line in done.stderr.splitlines() if line.startswith("in "))
    assert ": balanced;" in summary
    assert re.search(r"\d[\d,]* stories", done.stdout)

    listed = cli("stories", "--broker", apache_kafka, "--json", env=env, timeout=600)
    assert listed.returncode == 0, listed.stderr
    on_kafka = {s["story"]: s["headlines"] for s in map(json.loads, listed.stdout.splitlines())}
    for story in sorted(stories):
        in_memory = [r.model_dump(mode="json") for r in fold_totals(members[story]).values() if r.row == "headline"]
        assert headlines(on_kafka.get(story, [])) == headlines(in_memory), story

    figures = {
        "corpus": "full" if FULL else "labelled stories",
        "summary": summary,
        "stories": len(on_kafka),
        "linked_stories": sum(not s.startswith("blog/") for s in on_kafka),
    }
    print(f"corpus run on Apache Kafka: {figures}")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"corpus-run-{'full' if FULL else 'subset'}.json").write_text(json.dumps(figures, indent=1))
